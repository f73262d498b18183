// Rejected push records and the organizer's decisions on them (see rejected_review.h).
#include "server/rejected_review.h"

#include "server/auth.h"
#include "server/link_activity.h"
#include "shared/base/ids.h"
#include "shared/sync/sync_server.h"

namespace doorstep::server {

const char* const kRejectedReviewSql = R"sql(
CREATE TABLE srv_rejected_review(
  record_id TEXT PRIMARY KEY,
  campaign_id TEXT NOT NULL,
  decision TEXT NOT NULL CHECK(decision IN ('accepted', 'discarded')),
  applied_id TEXT NOT NULL DEFAULT '',
  account_id TEXT NOT NULL,
  decided_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX srv_rejected_review_campaign ON srv_rejected_review(campaign_id);
)sql";

namespace {

constexpr const char* kSelect =
    "SELECT r.id, r.kind, r.rejected, r.turf_id, t.name, r.client_id, coalesce(lc.link_id, ''),"
    " coalesce(l.label, ''), r.door_id, coalesce(d.address, ''), r.seq, r.at_ms, r.server_ms, r.hlc, r.payload,"
    " coalesce(v.decision, 'pending'), coalesce(a.email, ''), coalesce(v.decided_at, 0), coalesce(v.applied_id, '')"
    " FROM sync_record r JOIN turf t ON t.id = r.turf_id"
    " LEFT JOIN srv_link_client lc ON lc.client_id = r.client_id"
    " LEFT JOIN srv_links l ON l.id = lc.link_id AND l.campaign_id = t.campaign_id"
    " LEFT JOIN door d ON d.id = r.door_id AND d.campaign_id = t.campaign_id"
    " LEFT JOIN srv_rejected_review v ON v.record_id = r.id"
    " LEFT JOIN srv_accounts a ON a.id = v.account_id"
    " WHERE r.rejected <> '' AND t.campaign_id = ?1";

RejectedRecord row(const store::Stmt& q) {
  RejectedRecord r;
  r.id = q.text(0);
  r.kind = q.text(1);
  r.code = q.text(2);
  r.turf_id = q.text(3);
  r.turf_name = q.text(4);
  r.client_id = q.text(5);
  r.link_id = q.text(6);
  r.link_label = q.text(7);
  r.door_id = q.text(8);
  r.door_address = q.text(9);
  r.seq = q.int64(10);
  r.at_ms = q.int64(11);
  r.server_ms = q.int64(12);
  r.hlc = q.text(13);
  auto p = json::parse(q.text_view(14));
  r.payload = p ? *p : json::Value::object();
  if (const json::Value* c = r.payload.find("canvasser"); c && c->is_string()) r.canvasser = c->as_string();
  r.status = q.text(15);
  r.decided_by = q.text(16);
  r.decided_at = q.int64(17);
  r.applied_id = q.text(18);
  return r;
}

Status decide(store::Db& db, const RejectedRecord& r, const std::string& campaign_id, const char* decision,
              const std::string& applied_id, const std::string& account_id, int64_t now_ms) {
  auto q = db.prepare(
      "INSERT INTO srv_rejected_review(record_id, campaign_id, decision, applied_id, account_id, decided_at)"
      " VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
  if (!q) return q.error();
  q->bind_all(r.id, campaign_id, decision, applied_id, account_id, now_ms);
  return q->run();
}

Status pending(const RejectedRecord& r) {
  if (r.status != "pending") return Error{Code::conflict, "this record was " + r.status + " already"};
  return Status::Ok();
}

}  // namespace

bool acceptable_code(std::string_view code) { return code == "after_end" || code == "revoked" || code == "expired"; }

Result<std::vector<RejectedRecord>> rejected_records(store::Db& db, const std::string& campaign_id,
                                                     bool pending_only, int64_t limit) {
  std::string sql = std::string(kSelect) + (pending_only ? " AND v.record_id IS NULL" : "") +
                    " ORDER BY r.server_ms, r.id LIMIT ?2";
  auto q = db.prepare(sql);
  if (!q) return q.error();
  q->bind(1, campaign_id).bind(2, limit);
  std::vector<RejectedRecord> out;
  for (;;) {
    auto s = q->step();
    if (!s) return s.error();
    if (!*s) break;
    out.push_back(row(*q));
  }
  return out;
}

Result<RejectedRecord> rejected_record(store::Db& db, const std::string& campaign_id, const std::string& id) {
  auto q = db.prepare(std::string(kSelect) + " AND r.id = ?2");
  if (!q) return q.error();
  q->bind(1, campaign_id).bind(2, id);
  auto s = q->step();
  if (!s) return s.error();
  if (!*s) return Error{Code::not_found, "no rejected record with this id in this campaign"};
  return row(*q);
}

Result<std::string> accept_rejected(store::Db& db, const RejectedRecord& r, const std::string& campaign_id,
                                    const std::string& account_id, int64_t now_ms) {
  if (auto s = pending(r); !s) return s.error();
  if (!acceptable_code(r.code))
    return Error{Code::conflict, "a record rejected as " + r.code +
                                                " named something outside its link's turf and cannot be accepted; discard it"};
  auto kind = sync::kind_from_name(r.kind);
  if (!kind) return Error{Code::conflict, "this record's kind is unknown to this server"};
  // The same mutation under a new id and a client id of its own: the phone's numbering and its
  // mutation ids stay as they are (a resend of the original is still only acknowledged).
  sync::Mutation m;
  m.seq = 1;
  m.id = new_uuid_v7(now_ms);
  m.kind = *kind;
  m.payload = r.payload;
  m.hlc = r.hlc;
  m.at_ms = r.at_ms;
  sync::PushRequest req;
  req.client_id = new_secret_hex();
  req.mutations.push_back(std::move(m));
  sync::PushContext ctx;
  ctx.turf_id = r.turf_id;
  ctx.campaign_id = campaign_id;
  ctx.server_now_ms = now_ms;
  auto out = sync::apply_push(db, req, ctx);
  if (!out) {
    if (out.error().code == Code::invalid_argument && !out.error().from_storage)
      return Error{Code::conflict, "this record can no longer be applied (" + out.error().message + ")"};
    return out.error();
  }
  if (out->code != Code::ok) return Error{Code::internal, "the record was not applied"};
  if (!out->rejected.empty())
    return Error{Code::conflict, "this record can no longer be applied: " + out->rejected.front().message};
  if (!r.link_id.empty())  // the dashboard's rows per link count it with the link's other records
    if (auto s = note_link_client(db, req.client_id, r.link_id, now_ms); !s) return s.error();
  if (auto s = decide(db, r, campaign_id, "accepted", req.mutations.front().id, account_id, now_ms); !s) return s.error();
  return req.mutations.front().id;
}

Status discard_rejected(store::Db& db, const RejectedRecord& r, const std::string& account_id, int64_t now_ms) {
  if (auto s = pending(r); !s) return s;
  auto t = db.prepare("SELECT campaign_id FROM turf WHERE id=?1");
  if (!t) return t.error();
  t->bind(1, r.turf_id);
  auto found = t->step();
  if (!found) return found.error();
  if (!*found) return Error{Code::not_found, "the record's turf is gone"};
  return decide(db, r, t->text(0), "discarded", "", account_id, now_ms);
}

}  // namespace doorstep::server
