// Client side of sync as an I/O-free state machine: a durable outbox behind a small storage
// interface, numbering, batching, retry with a backoff schedule computed as data, handling of
// ok/gap/conflict, the pull cursor and the wipe directive. Leaves out the network (the host sends
// PushRequest/PullRequest and feeds answers back) and the local replica (the host applies pulls, e.g. with
// shared/sync/mirror.h apply_pulled).
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "shared/base/ids.h"
#include "shared/base/result.h"
#include "shared/store/store.h"
#include "shared/sync/sync_protocol.h"

namespace doorstep::sync {

// What the client keeps durably besides the outbox.
struct ClientMeta {
  std::string client_id;      // current id; a new one after a conflict
  int64_t acked_through = 0;  // highest seq the server acknowledged under client_id
  std::string cursor;         // pull cursor
  std::string hlc;            // last stamp issued, so a restart never issues a smaller one
  bool wipe_pending = false;  // the server asked to wipe the turf once the outbox is empty
  bool link_dead = false;     // the link ended beyond its grace period: nothing more will be taken
};

// Durable storage for one client. Every call is atomic and durable when it returns ok: the UI
// says "saved" only after append() returned. The browser implements it over IndexedDB with
// {durability:'strict'}; SqliteOutbox serves native tests and any host with a SQLite file.
class OutboxStorage {
 public:
  virtual ~OutboxStorage() = default;
  virtual Result<ClientMeta> load_meta() = 0;                         // default ClientMeta when new
  virtual Result<std::vector<Mutation>> load_outbox() = 0;            // unacknowledged, seq ascending
  virtual Status append(const ClientMeta& meta, const Mutation& m) = 0;  // one mutation + meta
  virtual Status acknowledge(const ClientMeta& meta) = 0;  // meta; drop seq <= meta.acked_through
  virtual Status replace(const ClientMeta& meta, const std::vector<Mutation>& outbox) = 0;  // new id
  virtual Status save_meta(const ClientMeta& meta) = 0;    // cursor and flags
  virtual Status wipe() = 0;                               // forget everything (after a wipe)
};

// OutboxStorage in the tables sync_outbox and sync_client_state (component "sync" migrations).
class SqliteOutbox final : public OutboxStorage {
 public:
  explicit SqliteOutbox(store::Db& db) : db_(db) {}
  Result<ClientMeta> load_meta() override;
  Result<std::vector<Mutation>> load_outbox() override;
  Status append(const ClientMeta& meta, const Mutation& m) override;
  Status acknowledge(const ClientMeta& meta) override;
  Status replace(const ClientMeta& meta, const std::vector<Mutation>& outbox) override;
  Status save_meta(const ClientMeta& meta) override;
  Status wipe() override;

 private:
  Status put_meta(const ClientMeta& meta);
  store::Db& db_;
};

struct ClientOptions {
  size_t max_batch = 50;                       // mutations per push (the server takes <= 100)
  int64_t backoff_base_ms = 1000;              // first retry delay
  int64_t backoff_cap_ms = 5 * 60 * 1000;      // longest retry delay
  int64_t request_timeout_ms = 30 * 1000;      // an unanswered push is sent again after this
  // Source of randomness for client ids (tests pass a seeded one). Default: random_bytes().
  std::function<std::array<uint8_t, 16>()> random;
};

// Backoff before retry number `attempt` (0-based): base * 2^attempt capped, with a deterministic
// jitter of up to -25% derived from `salt`, so phones behind one tower do not retry in lockstep.
int64_t backoff_delay_ms(const ClientOptions& o, uint32_t attempt, uint64_t salt);

class SyncClient {
 public:
  // Loads meta and outbox from storage; picks a client id when there is none. `device` is the
  // HLC node of this phone (stable per browser profile).
  static Result<std::unique_ptr<SyncClient>> open(OutboxStorage& storage, std::string device,
                                                  ClientOptions opts = {});

  // Records one user action: validates it, numbers it, stamps it and stores it durably. Returns
  // the stored mutation; ok means "saved". `id` defaults to a new UUIDv7.
  Result<Mutation> record(Kind kind, json::Value payload, int64_t now_ms, std::string id = {});

  // The push to send now, or nothing: outbox empty, a push in flight, or backing off.
  std::optional<PushRequest> next_push(int64_t now_ms);
  // An answer to a push. Answers for another client id (sent before a conflict) are ignored.
  Status on_push_response(const PushResponse& r, int64_t now_ms);
  // A transport failure, timeout or 5xx: retry after the backoff.
  void on_push_failed(int64_t now_ms);
  // A 4xx error body from the push route (expired, revoked, unsupported, ...).
  Status on_push_error(const Error& e, int64_t now_ms);

  PullRequest next_pull(int64_t limit = 500) const;
  // An error body from the pull route. expired/revoked: the turf is wiped once the outbox is
  // empty (pushes may still be taken within the grace period); anything else changes nothing.
  Status on_pull_error(const Error& e);
  // Call after the host has applied r.changes to its replica: stores the new cursor. `sent` is
  // the request this answers; an answer to an older cursor is ignored.
  Status on_pull_response(const PullRequest& sent, const PullResponse& r, int64_t now_ms);

  // When next_push may have something to send (now if not backing off).
  int64_t next_attempt_ms() const { return retry_at_ms_; }
  // The network is back (the host saw it): try now instead of waiting out the backoff. The
  // failure count stays, so a link that is still down backs off as before.
  void retry_now() { retry_at_ms_ = 0; }
  size_t pending() const { return outbox_.size(); }
  const std::vector<Mutation>& outbox() const { return outbox_; }
  const ClientMeta& meta() const { return meta_; }
  // The host should wipe the turf (and then call storage.wipe()).
  bool should_wipe() const { return meta_.link_dead || (meta_.wipe_pending && outbox_.empty()); }
  // The next delays a run of failures would wait (for display and tests).
  std::vector<int64_t> backoff_schedule(size_t n) const;

 private:
  SyncClient(OutboxStorage& s, std::string device, ClientOptions o)
      : storage_(s), clock_(std::move(device)), opts_(std::move(o)) {}
  std::string new_client_id();
  Status restart_with_new_id();
  int64_t next_seq() const;

  OutboxStorage& storage_;
  HlcClock clock_;
  ClientOptions opts_;
  ClientMeta meta_;
  std::vector<Mutation> outbox_;
  bool in_flight_ = false;
  int64_t max_sent_seq_ = 0;  // highest seq sent under the current id since open(): acks cap here
  int64_t sent_ms_ = 0;
  uint32_t failures_ = 0;
  int64_t retry_at_ms_ = 0;
};

}  // namespace doorstep::sync
