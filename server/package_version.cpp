// Package version (see package_version.h): reads the stamps the package's inputs already keep
// (survey_version rows, the turf's and its doors' HLC stamps, srv_campaign's settings) and hashes
// them. No stored stamp: every path that edits a turf or a survey is covered without hooking it.
#include "server/package_version.h"

#include <cstdio>

#include "shared/base/hash.h"

namespace doorstep::server {

namespace {
// Hashes every column of every row `sql` (bound to `id`) answers, in order, NULL as "~". `sql` is
// a string literal: the statement is prepared once per connection (every pull asks).
Status hash_rows(store::Db& db, const char* sql, const std::string& id, uint64_t& h) {
  auto st = db.cached_static(sql);
  if (!st) return st.error();
  store::Stmt* q = *st;
  q->bind(1, id);
  for (;;) {
    auto r = q->step();
    if (!r) {
      q->reset();
      return r.error();
    }
    if (!*r) break;
    for (int c = 0; c < q->column_count(); ++c) {
      h = hash::fnv1a(q->is_null(c) ? std::string("~") : q->text(c), h);
      h = hash::fnv1a(std::string_view("\x1f", 1), h);
    }
    h = hash::fnv1a(std::string_view("\x1e", 1), h);
  }
  return {};
}
}  // namespace

Result<std::string> package_version(store::Db& db, const LinkRecord& link) {
  uint64_t h = hash::kFnv1aOffset;
  struct Part {
    const char* sql;
    const std::string& id;
  };
  const Part parts[] = {
      {"SELECT coalesce(max(version), 0) FROM survey_version WHERE campaign_id=?1", link.campaign_id},
      {"SELECT name_hlc, time_zone_hlc, deleted_hlc FROM campaign WHERE id=?1", link.campaign_id},
      {"SELECT help, languages FROM srv_campaign WHERE campaign_id=?1", link.campaign_id},
      {"SELECT tile_cache_mb FROM srv_campaign_maps WHERE campaign_id=?1", link.campaign_id},
      {"SELECT name_hlc, polygon_hlc, status_hlc, deleted_hlc FROM turf WHERE id=?1", link.turf_id},
      // Doors added, removed or reordered (edits, split, merge) restamp the turf's rows.
      {"SELECT count(*), max(position_hlc), max(deleted_hlc), sum(deleted) FROM turf_door WHERE turf_id=?1", link.turf_id},
  };
  for (const auto& p : parts)
    if (auto s = hash_rows(db, p.sql, p.id, h); !s) return s.error();
  h = hash::fnv1a(std::to_string(link.expires_at), h);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return std::string(buf);
}

}  // namespace doorstep::server
