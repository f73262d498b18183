// The client's sync state machine and its SQLite outbox (see sync_client.h and docs/sync.md).
// Every state change is written to storage before it is kept in memory, so a crash between any
// two calls restarts from what was durably stored.
#include "shared/sync/sync_client.h"

#include <algorithm>

#include "shared/base/hash.h"

namespace doorstep::sync {

namespace {

uint64_t salt_of(std::string_view s) { return hash::fnv1a(s, hash::kStoredOffset); }

}  // namespace

int64_t backoff_delay_ms(const ClientOptions& o, uint32_t attempt, uint64_t salt) {
  int64_t d = o.backoff_base_ms;
  for (uint32_t i = 0; i < attempt && d < o.backoff_cap_ms; ++i) d *= 2;
  d = std::min(d, o.backoff_cap_ms);
  int64_t jitter = static_cast<int64_t>(hash::splitmix64(salt ^ attempt) % static_cast<uint64_t>(d / 4 + 1));
  return d - jitter;
}

// ---- SqliteOutbox -------------------------------------------------------------------------------

Result<ClientMeta> SqliteOutbox::load_meta() {
  auto s = db_.prepare(
      "SELECT client_id, acked_through, cursor, hlc, wipe_pending, link_dead FROM sync_client_state WHERE id=1");
  if (!s) return s.error();
  auto r = s->step();
  if (!r) return r.error();
  ClientMeta m;
  if (*r) {
    m.client_id = s->text(0);
    m.acked_through = s->int64(1);
    m.cursor = s->text(2);
    m.hlc = s->text(3);
    m.wipe_pending = s->int64(4) != 0;
    m.link_dead = s->int64(5) != 0;
  }
  return m;
}

Result<std::vector<Mutation>> SqliteOutbox::load_outbox() {
  auto s = db_.prepare("SELECT seq, body FROM sync_outbox ORDER BY seq");
  if (!s) return s.error();
  std::vector<Mutation> out;
  while (true) {
    auto r = s->step();
    if (!r) return r.error();
    if (!*r) break;
    auto v = json::parse(s->text_view(1));
    if (!v) return make_error(Code::corrupt, "outbox entry " + std::to_string(s->int64(0)) + ": " + v.error().message);
    auto m = decode_mutation(*v);
    if (!m) return make_error(Code::corrupt, "outbox entry " + std::to_string(s->int64(0)) + ": " + m.error().message);
    out.push_back(std::move(*m));
  }
  return out;
}

Status SqliteOutbox::put_meta(const ClientMeta& m) {
  auto s = db_.cached(
      "INSERT OR REPLACE INTO sync_client_state(id, client_id, acked_through, cursor, hlc, wipe_pending, link_dead)"
      " VALUES(1, ?1, ?2, ?3, ?4, ?5, ?6)");
  if (!s) return s.error();
  (*s)->bind_all(m.client_id, m.acked_through, m.cursor, m.hlc, m.wipe_pending, m.link_dead);
  return (*s)->run();
}

Status SqliteOutbox::append(const ClientMeta& meta, const Mutation& m) {
  store::Transaction tx(db_);
  TRY(tx.status());
  auto s = db_.cached("INSERT INTO sync_outbox(seq, body) VALUES(?1, ?2)");
  if (!s) return s.error();
  (*s)->bind_all(m.seq, json::dump(m.to_json()));
  TRY((*s)->run());
  TRY(put_meta(meta));
  return tx.commit();
}

Status SqliteOutbox::acknowledge(const ClientMeta& meta) {
  store::Transaction tx(db_);
  TRY(tx.status());
  auto s = db_.cached("DELETE FROM sync_outbox WHERE seq <= ?1");
  if (!s) return s.error();
  (*s)->bind(1, meta.acked_through);
  TRY((*s)->run());
  TRY(put_meta(meta));
  return tx.commit();
}

Status SqliteOutbox::replace(const ClientMeta& meta, const std::vector<Mutation>& outbox) {
  store::Transaction tx(db_);
  TRY(tx.status());
  TRY(db_.exec("DELETE FROM sync_outbox"));
  for (const auto& m : outbox) {
    auto s = db_.cached("INSERT INTO sync_outbox(seq, body) VALUES(?1, ?2)");
    if (!s) return s.error();
    (*s)->bind_all(m.seq, json::dump(m.to_json()));
    TRY((*s)->run());
  }
  TRY(put_meta(meta));
  return tx.commit();
}

Status SqliteOutbox::save_meta(const ClientMeta& meta) { return put_meta(meta); }

Status SqliteOutbox::wipe() {
  store::Transaction tx(db_);
  TRY(tx.status());
  TRY(db_.exec("DELETE FROM sync_outbox; DELETE FROM sync_client_state;"));
  return tx.commit();
}

// ---- SyncClient ---------------------------------------------------------------------------------

Result<std::unique_ptr<SyncClient>> SyncClient::open(OutboxStorage& storage, std::string device, ClientOptions opts) {
  std::unique_ptr<SyncClient> c(new SyncClient(storage, std::move(device), std::move(opts)));
  auto meta = storage.load_meta();
  if (!meta) return meta.error();
  auto outbox = storage.load_outbox();
  if (!outbox) return outbox.error();
  c->meta_ = std::move(*meta);
  c->outbox_ = std::move(*outbox);
  if (auto h = Hlc::parse(c->meta_.hlc)) c->clock_.restore(*h);
  if (c->meta_.client_id.empty()) {
    c->meta_.client_id = c->new_client_id();
    TRY(storage.save_meta(c->meta_));
  }
  return c;
}

std::string SyncClient::new_client_id() {
  auto b = opts_.random ? opts_.random() : random_bytes();
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (auto x : b) {
    s += hex[x >> 4];
    s += hex[x & 15];
  }
  return s;
}

int64_t SyncClient::next_seq() const {
  return std::max(meta_.acked_through, outbox_.empty() ? int64_t(0) : outbox_.back().seq) + 1;
}

Result<Mutation> SyncClient::record(Kind kind, json::Value payload, int64_t now_ms, std::string id) {
  Mutation m;
  m.seq = next_seq();
  m.id = id.empty() ? new_uuid_v7(now_ms) : std::move(id);
  m.kind = kind;
  m.payload = std::move(payload);
  m.hlc = clock_.tick(now_ms).to_string();
  m.at_ms = now_ms;
  TRY(validate_mutation(m));
  ClientMeta meta = meta_;
  meta.hlc = m.hlc;
  TRY(storage_.append(meta, m));
  meta_ = std::move(meta);
  outbox_.push_back(m);
  return m;
}

std::optional<PushRequest> SyncClient::next_push(int64_t now_ms) {
  if (outbox_.empty() || meta_.link_dead) return std::nullopt;
  if (in_flight_) {
    if (now_ms < sent_ms_ + opts_.request_timeout_ms) return std::nullopt;
    on_push_failed(now_ms);  // no answer in time: treat as lost; the retry is harmless
  }
  if (now_ms < retry_at_ms_) return std::nullopt;
  PushRequest r;
  r.client_id = meta_.client_id;
  r.recorded_through = next_seq() - 1;  // the link's high-water mark for this phone
  size_t n = std::min(outbox_.size(), std::max<size_t>(1, opts_.max_batch));
  r.mutations.assign(outbox_.begin(), outbox_.begin() + static_cast<std::ptrdiff_t>(n));
  in_flight_ = true;
  sent_ms_ = now_ms;
  max_sent_seq_ = std::max(max_sent_seq_, r.mutations.back().seq);
  return r;
}

void SyncClient::on_push_failed(int64_t now_ms) {
  in_flight_ = false;
  retry_at_ms_ = now_ms + backoff_delay_ms(opts_, failures_, salt_of(meta_.client_id));
  if (failures_ < 64) ++failures_;
}

Status SyncClient::restart_with_new_id() {
  ClientMeta meta = meta_;
  meta.client_id = new_client_id();
  meta.acked_through = 0;
  std::vector<Mutation> renumbered = outbox_;
  for (size_t i = 0; i < renumbered.size(); ++i) renumbered[i].seq = static_cast<int64_t>(i) + 1;
  TRY(storage_.replace(meta, renumbered));
  meta_ = std::move(meta);
  outbox_ = std::move(renumbered);
  max_sent_seq_ = 0;
  return {};
}

Status SyncClient::on_push_response(const PushResponse& r, int64_t now_ms) {
  if (r.client_id != meta_.client_id) return {};  // sent before we changed id: stale
  in_flight_ = false;
  ClientMeta meta = meta_;
  if (r.wipe_after_flush) meta.wipe_pending = true;
  switch (r.code) {
    case Code::ok: {
      failures_ = 0;
      retry_at_ms_ = now_ms;
      // Never beyond what we sent: a server ahead of us (our storage was rolled back) holds other
      // content under those numbers, and the conflict on our next push sorts that out.
      int64_t acked = std::min(r.acked_through, max_sent_seq_);
      if (acked > meta.acked_through) {
        meta.acked_through = acked;
        TRY(storage_.acknowledge(meta));
        meta_ = std::move(meta);
        outbox_.erase(std::remove_if(outbox_.begin(), outbox_.end(),
                                     [&](const Mutation& m) { return m.seq <= meta_.acked_through; }),
                      outbox_.end());
      } else if (meta.wipe_pending != meta_.wipe_pending) {
        TRY(storage_.save_meta(meta));
        meta_ = std::move(meta);
      }
      return {};
    }
    case Code::gap: {
      // The server has less than it acknowledged to us (restored from a backup, or it lost
      // writes). If our outbox still holds the next seq it wants, just resend; otherwise nothing
      // can fill the gap, so start over under a new id: the server skips what it already holds.
      retry_at_ms_ = now_ms;
      if (meta.wipe_pending != meta_.wipe_pending) {
        TRY(storage_.save_meta(meta));
        meta_ = meta;
      }
      if (!outbox_.empty() && r.acked_through + 1 >= outbox_.front().seq && r.acked_through >= meta_.acked_through) return {};
      return restart_with_new_id();
    }
    case Code::conflict:
      retry_at_ms_ = now_ms;
      if (meta.wipe_pending != meta_.wipe_pending) {
        TRY(storage_.save_meta(meta));
        meta_ = meta;
      }
      return restart_with_new_id();
    default:
      return make_error(Code::invalid_argument, "push response with code " + std::string(code_name(r.code)));
  }
}

Status SyncClient::on_push_error(const Error& e, int64_t now_ms) {
  in_flight_ = false;
  if (e.code == Code::expired || e.code == Code::revoked) {
    ClientMeta meta = meta_;
    meta.link_dead = true;
    meta.wipe_pending = true;
    TRY(storage_.save_meta(meta));
    meta_ = std::move(meta);
    return {};
  }
  on_push_failed(now_ms);  // the server may be upgraded or fixed later: keep everything, retry
  return {};
}

PullRequest SyncClient::next_pull(int64_t limit) const {
  PullRequest r;
  r.cursor = meta_.cursor;
  r.limit = limit;
  r.client_id = meta_.client_id;
  r.recorded_through = next_seq() - 1;  // reported while pulling too: a phone may have nothing to send
  return r;
}

Status SyncClient::on_pull_error(const Error& e) {
  if ((e.code != Code::expired && e.code != Code::revoked) || meta_.wipe_pending) return {};
  ClientMeta meta = meta_;
  meta.wipe_pending = true;
  TRY(storage_.save_meta(meta));
  meta_ = std::move(meta);
  return {};
}

Status SyncClient::on_pull_response(const PullRequest& sent, const PullResponse& r, int64_t now_ms) {
  if (sent.cursor != meta_.cursor) return {};  // an answer to an older pull
  // Local edits made after seeing a remote write must sort after it.
  for (const auto& c : r.changes)
    if (auto h = Hlc::parse(c.hlc)) clock_.observe(*h, now_ms);
  ClientMeta meta = meta_;
  meta.cursor = r.cursor;
  meta.hlc = clock_.last().to_string();
  TRY(storage_.save_meta(meta));
  meta_ = std::move(meta);
  return {};
}

std::vector<int64_t> SyncClient::backoff_schedule(size_t n) const {
  std::vector<int64_t> out;
  for (size_t i = 0; i < n; ++i) out.push_back(backoff_delay_ms(opts_, static_cast<uint32_t>(i), salt_of(meta_.client_id)));
  return out;
}

}  // namespace doorstep::sync
