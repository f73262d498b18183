// Automatic turfs for a stored campaign (see turf_builder.h): shared/turf_cut.h cuts the doors,
// shared/walk_order.h orders each turf; this file reads and writes the rows. Doors already in a
// live turf are left out, so cutting again only covers what is new.
#include "server/turf_builder.h"

#include <cstdio>
#include <set>

#include "server/app.h"
#include "shared/store/campaign_store.h"
#include "shared/base/geo.h"
#include "shared/route/footprints.h"
#include "shared/route/turf_cut.h"
#include "shared/store/footprint_store.h"
#include "shared/route/walk_order.h"

namespace doorstep::server {

Result<std::vector<BuiltTurf>> build_turfs(store::Db& db, App& app, const std::string& campaign_id, int target_doors) {
  if (target_doors < 1) return make_error(Code::invalid_argument, "target_doors must be at least 1");
  auto doors = store::list_doors(db, campaign_id);
  if (!doors) return doors.error();
  // Doors already in a live turf stay where they are: a second cut covers only the rest, so
  // turfs never overlap and links already handed out keep their doors.
  auto live = store::doors_in_live_turfs(db, campaign_id);
  if (!live) return live.error();
  const std::set<std::string>& taken = *live;
  std::vector<const Door*> placed;
  std::vector<turf::Door> cut_in;
  for (auto& d : *doors) {
    if (d.deleted || !d.lat || !d.lon) continue;  // unplaced doors wait for a manual fix
    placed.push_back(&d);
    turf::Door t;
    t.at = geo::fix_of(*d.lat, *d.lon);
    t.building = d.building_id;
    t.do_not_contact = d.do_not_contact;
    t.in_active_turf = taken.count(d.id) > 0;
    cut_in.push_back(std::move(t));
  }
  // Buildings as the footprints say (or address points within 30 m), never the address alone:
  // a cut never splits a building, and one address on points far apart is more than one stop.
  std::vector<footprints::DoorPoint> pts;
  for (size_t i = 0; i < placed.size(); ++i) pts.push_back({cut_in[i].at, placed[i]->building_id});
  Status failed;
  const footprints::Matching matched = footprints::match_by_area(pts, [&](const geo::BBox& box) {
    std::vector<footprints::Footprint> out;
    auto fs = store::footprints_in(db, campaign_id, box);
    if (!fs) failed = fs.error();
    else for (auto& f : *fs) out.push_back({f.id, std::move(f.shape)});
    return out;
  });
  if (!failed) return failed.error();
  for (size_t i = 0; i < placed.size(); ++i) cut_in[i].building = matched.building_of[i];
  turf::Options opt;
  opt.target_doors = target_doors;
  opt.exclude_in_active_turf = true;
  auto cut = turf::cut(cut_in, opt);
  if (!cut) return cut.error();

  std::vector<BuiltTurf> out;
  size_t k = 0;
  if (auto existing = store::list_turfs(db, campaign_id); existing) k = existing->size();  // names go on
  for (const auto& t : cut->turfs) {
    // Walk order with street sides: the door's parsed number and street.
    std::vector<walk::Door> wd;
    for (int i : t.doors) wd.push_back(walk::door_from_address(cut_in[i].at, cut_in[i].building, placed[i]->address, placed[i]->unit));
    auto route = walk::plan(wd);
    std::vector<std::string> ids;
    for (int j : route.order) ids.push_back(placed[t.doors[j]]->id);
    Turf row;
    row.campaign_id = campaign_id;
    char name[32];
    std::snprintf(name, sizeof name, "Turf %02zu", ++k);  // zero-padded: sorts in order in every list
    row.name = name;
    row.status = TurfStatus::open;
    row.polygon_geojson = json::dump(geo::to_geojson(t.polygon));
    auto up = store::upsert_turf(db, row, app.next_hlc());
    if (!up) return up.error();
    if (auto st = store::set_turf_doors(db, up->id, ids, app.next_hlc()); !st) return st.error();
    out.push_back({up->id, row.name, ids.size()});
  }
  return out;
}

}  // namespace doorstep::server
