// Server side of sync: applies a client's pushed mutations exactly once and in order inside one
// SQLite transaction, merges mutable fields per field (LWW by HLC), keeps records append-only and
// serves a turf's change log by cursor. Leaves out HTTP, tokens and auth (the endpoint checks the
// token and passes what it learned in PushContext) and the organizer's own tables.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/result.h"
#include "shared/store/store.h"
#include "shared/sync/sync_protocol.h"
#include "shared/sync/sync_schema.h"  // migrate(): callers of the server set up its tables

namespace doorstep::sync {

// What the endpoint knows about the request beyond its body.
struct PushContext {
  std::string turf_id;     // the token's turf: changes are logged under it
  int64_t server_now_ms = 0;
  // The link's state. When it has ended (revoked or expired at link_ended_ms), mutations whose
  // record time is <= link_ended_ms are still accepted until link_ended_ms + grace_ms, and the
  // answer asks the client to wipe once its outbox is empty; later records are kept but rejected.
  enum class Link { active, revoked, expired } link = Link::active;
  int64_t link_ended_ms = 0;
  int64_t grace_ms = 72ll * 3600 * 1000;
  // Stamps further ahead of the server's clock than this are clamped to now + this.
  int64_t max_clock_ahead_ms = 5 * 60 * 1000;
  // Whether a door still belongs to the token's turf. Attempts for doors that left are kept on
  // their door and flagged off_turf, never rejected. Empty: every door counts as in the turf.
  std::function<bool(std::string_view door_id)> door_in_turf;
};

// Applies req. Opens its own BEGIN IMMEDIATE transaction when the connection has none (and
// commits it before returning, so with synchronous=FULL an ok answer is durable); inside a
// caller's transaction it uses a savepoint, so the caller can group-commit several pushes.
// Errors: expired/revoked (link ended beyond the grace period; the client should wipe),
// invalid_argument (a request that decode would have refused), io/corrupt (database).
// gap and conflict are not errors: they come back in PushResponse::code.
Result<PushResponse> apply_push(store::Db& db, const PushRequest& req, const PushContext& ctx);

// Changes logged for turf_id after cursor, oldest first, at most limit (capped at
// Limits::max_changes). An empty turf_id reads every turf (organizer views).
Result<PullResponse> pull_changes(store::Db& db, std::string_view turf_id, std::string_view cursor,
                                  int64_t limit);

// For writes that do not come from a push (organizer edits, imports): merges a field write into
// the LWW state (ignored if an existing write has a later stamp) and logs it for turf_id. Must run
// inside the caller's transaction or alone.
Status write_field(store::Db& db, std::string_view turf_id, std::string_view entity,
                   std::string_view id, std::string_view field, const json::Value& value,
                   std::string_view hlc);

// Read-back, for exports, organizer views and tests.
struct FieldState {
  std::string entity, id, field;
  json::Value value;
  std::string hlc;
};
struct RecordRow {
  std::string id, kind, turf, client_id;
  int64_t seq = 0, at_ms = 0, server_ms = 0;
  std::string hlc;
  json::Value payload;
  bool off_turf = false;  // the door was not in the pushing token's turf when it arrived
  bool rejected = false;  // kept for review, not applied (see Rejected)
  std::string reject_code;
};
Result<std::vector<FieldState>> read_fields(store::Db& db);
Result<std::vector<RecordRow>> read_records(store::Db& db);
// Last applied seq of a client, 0 when unknown.
Result<int64_t> last_seq(store::Db& db, std::string_view client_id);

}  // namespace doorstep::sync
