// A campaign's own per-link push quota (see campaign_quota.h).
#include "server/campaign_quota.h"

namespace doorstep::server {

const char* const kCampaignQuotaSql = R"sql(
CREATE TABLE srv_campaign_quota(
  campaign_id TEXT PRIMARY KEY,
  mutations INTEGER NOT NULL DEFAULT 0,
  bytes INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
)sql";

Result<LinkQuotaLimits> campaign_quota(store::Db& db, const std::string& campaign_id) {
  // Every push asks: prepared once per connection, reset before the read transaction ends.
  auto q = db.cached_static("SELECT mutations, bytes FROM srv_campaign_quota WHERE campaign_id=?1");
  if (!q) return q.error();
  (*q)->bind(1, campaign_id);
  auto r = (*q)->step();
  if (!r) return r.error();
  LinkQuotaLimits l;
  if (*r) {
    l.mutations = (*q)->int64(0);
    l.bytes = (*q)->int64(1);
  }
  (*q)->reset();
  return l;
}

Status set_campaign_quota(store::Db& db, const std::string& campaign_id, int64_t mutations, int64_t bytes) {
  auto cur = campaign_quota(db, campaign_id);
  if (!cur) return cur.error();
  if (mutations >= 0) cur->mutations = mutations;
  if (bytes >= 0) cur->bytes = bytes;
  auto q = db.prepare(
      "INSERT INTO srv_campaign_quota(campaign_id, mutations, bytes) VALUES(?1, ?2, ?3) "
      "ON CONFLICT(campaign_id) DO UPDATE SET mutations=excluded.mutations, bytes=excluded.bytes");
  if (!q) return q.error();
  q->bind_all(campaign_id, cur->mutations, cur->bytes);
  return q->run();
}

}  // namespace doorstep::server
