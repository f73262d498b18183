// Automatic turfs for a stored campaign (see turf_builder.h): shared/turf_cut.h cuts the doors,
// turf_edit.h orders each turf and stores it; this file chooses the doors and reports the turfs
// that missed the target. Doors already in a live turf are left out, so cutting again only covers
// what is new (a second pass moves its doors out of their turfs first).
#include "server/turf_builder.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "server/app.h"
#include "server/turf_edit.h"
#include "shared/route/turf_cut.h"
#include "shared/store/campaign_store.h"

namespace doorstep::server {

namespace {

// Second pass: doors of the chosen turfs whose latest attempt has one of the results, by turf.
Result<std::map<std::string, std::vector<std::string>>> second_pass_doors(store::Db& db, const std::string& campaign_id,
                                                                          const CutRequest& req) {
  std::map<std::string, std::vector<std::string>> out;
  std::set<std::string> wanted;
  for (AttemptResult r : req.results) wanted.insert(std::string(to_name(r)));
  auto latest = db.prepare("SELECT result FROM attempt_effective WHERE door_id=?1 ORDER BY client_ms DESC, seq DESC LIMIT 1");
  if (!latest) return latest.error();
  for (const auto& id : req.from_turfs) {
    auto t = get_turf(db, id, campaign_id);
    if (!t) return t.error();
    auto ids = turf_door_ids(db, id);
    if (!ids) return ids.error();
    auto& mine = out[id];
    for (const auto& door : *ids) {
      latest->reset();
      latest->bind(1, door);
      auto r = latest->step();
      if (!r) return r.error();
      if (*r && wanted.count(latest->text(0))) mine.push_back(door);
    }
  }
  return out;
}

}  // namespace

Result<BuiltCut> build_turfs(store::Db& db, App& app, const std::string& campaign_id, const CutRequest& req) {
  if (req.target_doors < 1 && !(req.target_minutes > 0))
    return make_error(Code::invalid_argument, "give target_doors or target_minutes");
  auto pace = campaign_pace(db, campaign_id);
  if (!pace) return pace.error();
  auto doors = store::list_doors(db, campaign_id);
  if (!doors) return doors.error();
  // Doors already in a live turf stay where they are: a second cut covers only the rest, so
  // turfs never overlap and links already handed out keep their doors.
  auto live = store::doors_in_live_turfs(db, campaign_id);
  if (!live) return live.error();
  const std::set<std::string>& taken = *live;
  std::map<std::string, std::vector<std::string>> pass;
  std::set<std::string> again;  // second-pass doors
  if (!req.from_turfs.empty()) {
    auto p = second_pass_doors(db, campaign_id, req);
    if (!p) return p.error();
    pass = std::move(*p);
    for (const auto& [turf, ids] : pass) again.insert(ids.begin(), ids.end());
  }
  BuiltCut out;
  std::vector<const Door*> placed;
  std::vector<turf_cut::Door> cut_in;
  for (auto& d : *doors) {
    if (d.deleted || !d.lat || !d.lon) continue;  // unplaced doors wait for a manual fix (warnings count them)
    geo::Fix at = geo::fix_of(*d.lat, *d.lon);
    if (req.area && !geo::contains(*req.area, at)) continue;
    if (!req.from_turfs.empty() && !again.count(d.id)) continue;
    placed.push_back(&d);
    turf_cut::Door t;
    t.at = at;
    t.do_not_contact = d.do_not_contact;
    t.in_active_turf = taken.count(d.id) > 0 && !again.count(d.id);
    cut_in.push_back(std::move(t));
  }
  out.candidates = placed.size();
  // Buildings as the footprints say (or address points within 30 m), never the address alone:
  // a cut never splits a building, and one address on points far apart is more than one stop.
  auto buildings = walk_buildings(db, campaign_id, placed);
  if (!buildings) return buildings.error();
  for (size_t i = 0; i < placed.size(); ++i) cut_in[i].building = (*buildings)[i];
  turf_cut::Options opt;
  opt.target_doors = req.target_doors;
  opt.target_minutes = req.target_minutes;
  opt.tolerance = req.tolerance;
  opt.pace = *pace;
  opt.exclude_in_active_turf = true;
  opt.route_stats = false;  // the walk order below (with street sides) gives the minutes
  auto cut = turf_cut::cut(cut_in, opt);
  if (!cut) return cut.error();
  out.target = cut->target;
  out.by_minutes = cut->by_minutes;
  out.excluded = cut->excluded.size();

  // A second pass takes its doors out of the chosen turfs (records stay on the doors).
  for (const auto& [turf, moving] : pass) {
    if (moving.empty()) continue;
    std::set<std::string> gone(moving.begin(), moving.end());
    auto ids = turf_door_ids(db, turf);
    if (!ids) return ids.error();
    std::vector<std::string> keep;
    for (const auto& id : *ids)
      if (!gone.count(id)) keep.push_back(id);
    if (auto s = store::set_turf_doors(db, turf, keep, app.next_hlc()); !s) return s.error();
    out.moved += moving.size();
  }

  size_t k = 0;
  if (auto existing = store::list_turfs(db, campaign_id); existing) k = existing->size();  // names go on
  for (const auto& t : cut->turfs) {
    std::vector<const Door*> mine;
    std::vector<std::string> mine_b;
    for (int i : t.doors) mine.push_back(placed[static_cast<size_t>(i)]), mine_b.push_back((*buildings)[static_cast<size_t>(i)]);
    char name[32];
    std::snprintf(name, sizeof name, "Turf %02zu", ++k);  // zero-padded: sorts in order in every list
    auto st = store_turf(db, app, campaign_id, "", name, t.polygon, mine, &mine_b);
    if (!st) return st.error();
    BuiltTurf b;
    b.id = st->id;
    b.name = st->name;
    b.doors = static_cast<size_t>(st->doors);
    b.people = st->people;
    b.route_m = st->route_m;
    b.minutes = st->minutes;
    double measured = out.by_minutes ? b.minutes : static_cast<double>(b.doors);
    b.off_target = std::fabs(measured - out.target) > req.tolerance * out.target;
    if (b.off_target) b.reason = t.oversized_building ? "building" : t.remainder ? "remainder" : out.by_minutes ? "walk" : "size";
    out.turfs.push_back(std::move(b));
  }
  return out;
}

Result<std::vector<BuiltTurf>> build_turfs(store::Db& db, App& app, const std::string& campaign_id, int target_doors) {
  if (target_doors < 1) return make_error(Code::invalid_argument, "target_doors must be at least 1");
  CutRequest req;
  req.target_doors = target_doors;
  auto r = build_turfs(db, app, campaign_id, req);
  if (!r) return r.error();
  return std::move(r->turfs);
}

}  // namespace doorstep::server
