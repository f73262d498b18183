// Link activity and the campaign's links (see link_activity.h).
#include "server/link_activity.h"

namespace doorstep::server {

const char* const kLinkActivitySql = R"sql(
CREATE TABLE srv_link_activity(
  link_id TEXT PRIMARY KEY, opened_at INTEGER NOT NULL, downloaded_at INTEGER NOT NULL DEFAULT 0);
CREATE TABLE srv_link_client(
  client_id TEXT PRIMARY KEY, link_id TEXT NOT NULL, first_at INTEGER NOT NULL, last_at INTEGER NOT NULL);
CREATE INDEX srv_link_client_link ON srv_link_client(link_id);
)sql";

Status note_link_use(store::Db& db, const std::string& link_id, int64_t now_ms, bool downloaded) {
  // Prepared once per connection (cached_static): every push runs this and the next one.
  auto q = db.cached_static(
      "INSERT INTO srv_link_activity(link_id, opened_at, downloaded_at) VALUES(?1, ?2, ?3) "
      "ON CONFLICT(link_id) DO UPDATE SET downloaded_at=CASE WHEN ?3 > 0 THEN ?3 ELSE downloaded_at END");
  if (!q) return q.error();
  (*q)->bind(1, link_id).bind(2, now_ms).bind(3, downloaded ? now_ms : int64_t{0});
  return (*q)->run();
}

Status note_link_client(store::Db& db, const std::string& client_id, const std::string& link_id, int64_t now_ms) {
  auto q = db.cached_static(
      "INSERT INTO srv_link_client(client_id, link_id, first_at, last_at) VALUES(?1, ?2, ?3, ?3) "
      "ON CONFLICT(client_id) DO UPDATE SET last_at=?3");
  if (!q) return q.error();
  (*q)->bind(1, client_id).bind(2, link_id).bind(3, now_ms);
  return (*q)->run();
}

Result<std::vector<LinkRecord>> campaign_links(store::Db& db, const std::string& campaign_id) {
  auto q = db.prepare(
      "SELECT id, campaign_id, turf_id, label, created_by, created_at, expires_at, revoked_at, last_used_at "
      "FROM srv_links WHERE campaign_id=?1 ORDER BY created_at DESC, rowid DESC");
  if (!q) return q.error();
  q->bind(1, campaign_id);
  std::vector<LinkRecord> out;
  for (;;) {
    auto r = q->step();
    if (!r) return r.error();
    if (!*r) break;
    out.push_back(LinkRecord{q->text(0), q->text(1), q->text(2), q->text(3), q->text(4), q->int64(5), q->int64(6),
                             q->int64(7), q->int64(8)});
  }
  return out;
}

Result<std::vector<store::CrewLink>> crew_links(store::Db& db, const std::string& campaign_id) {
  auto q = db.prepare(
      "SELECT l.id, l.label, l.turf_id, coalesce(a.opened_at,0), coalesce(a.downloaded_at,0) FROM srv_links l "
      "LEFT JOIN srv_link_activity a ON a.link_id=l.id WHERE l.campaign_id=?1 AND l.revoked_at=0 "
      "ORDER BY l.created_at, l.rowid");
  if (!q) return q.error();
  q->bind(1, campaign_id);
  std::vector<store::CrewLink> out;
  for (;;) {
    auto r = q->step();
    if (!r) return r.error();
    if (!*r) break;
    out.push_back(store::CrewLink{q->text(0), q->text(1), q->text(2), q->int64(3), q->int64(4)});
  }
  return out;
}

Result<std::map<std::string, std::string>> client_links(store::Db& db, const std::string& campaign_id) {
  auto q = db.prepare(
      "SELECT c.client_id, c.link_id FROM srv_link_client c JOIN srv_links l ON l.id=c.link_id WHERE l.campaign_id=?1");
  if (!q) return q.error();
  q->bind(1, campaign_id);
  std::map<std::string, std::string> out;
  for (;;) {
    auto r = q->step();
    if (!r) return r.error();
    if (!*r) break;
    out[q->text(0)] = q->text(1);
  }
  return out;
}

Status set_link_expiry(store::Db& db, const std::string& link_id, int64_t expires_at) {
  auto q = db.prepare("UPDATE srv_links SET expires_at=?2 WHERE id=?1");
  if (!q) return q.error();
  q->bind(1, link_id).bind(2, expires_at);
  if (auto s = q->run(); !s) return s;
  if (db.changes() == 0) return Error{Code::not_found, "no such link"};
  return Status::Ok();
}

}  // namespace doorstep::server
