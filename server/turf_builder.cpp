// Automatic turfs for a stored campaign (see turf_builder.h).
#include "server/turf_builder.h"

#include <algorithm>
#include <cstdio>

#include "server/app.h"
#include "shared/campaign_store.h"
#include "shared/geo.h"
#include "shared/tour.h"

namespace doorstep::server {

Result<std::vector<BuiltTurf>> build_turfs(store::Db& db, App& app, const std::string& campaign_id, int target_doors) {
  if (target_doors < 1) return make_error(Code::invalid_argument, "target_doors must be at least 1");
  auto doors = store::list_doors(db, campaign_id);
  if (!doors) return doors.error();
  std::vector<const Door*> placed;
  for (auto& d : *doors)
    if (!d.deleted && !d.do_not_contact && d.lat && d.lon) placed.push_back(&d);
  if (placed.empty()) return std::vector<BuiltTurf>{};

  std::vector<geo::Fix> pts;
  for (auto* d : placed) pts.push_back(geo::fix_of(*d->lat, *d->lon));
  geo::Projection proj = geo::projection_for(pts);
  tour::CostModel m;
  m.scale = 10;  // decimetres: integer costs without losing the street-scale detail
  for (auto& p : pts) {
    auto xy = proj.to_xy(p);
    m.x.push_back(xy.x);
    m.y.push_back(xy.y);
  }
  // One tour through every door, cut into consecutive runs: each run is compact and already in
  // walking order. Doors of one building are adjacent in the tour (zero distance) and are kept
  // together by moving a cut to the next building boundary.
  auto order = tour::solve(m);
  std::vector<BuiltTurf> out;
  size_t i = 0, n = order.size(), k = 0;
  size_t turfs = std::max<size_t>(1, (n + target_doors / 2) / static_cast<size_t>(target_doors));
  while (i < n) {
    size_t end = k + 1 == turfs ? n : std::min(n, i + (n - i) / (turfs - k));
    while (end < n && end > i && placed[order[end]]->building_id == placed[order[end - 1]]->building_id) ++end;
    std::vector<std::string> ids;
    for (size_t j = i; j < end; ++j) ids.push_back(placed[order[j]]->id);
    Turf t;
    t.campaign_id = campaign_id;
    char name[32];
    std::snprintf(name, sizeof name, "Turf %02zu", ++k);  // sorts in order in every list
    t.name = name;
    t.status = TurfStatus::open;
    std::vector<geo::Fix> hull_pts;
    for (size_t j = i; j < end; ++j) hull_pts.push_back(pts[order[j]]);
    geo::MultiPolygon mp;
    mp.polygons.push_back(geo::Polygon{{geo::convex_hull(hull_pts)}});
    t.polygon_geojson = json::dump(geo::to_geojson(mp));
    auto up = store::upsert_turf(db, t, app.next_hlc());
    if (!up) return up.error();
    if (auto st = store::set_turf_doors(db, up->id, ids, app.next_hlc()); !st) return st.error();
    out.push_back({up->id, t.name, ids.size()});
    i = end;
  }
  return out;
}

}  // namespace doorstep::server
