// Turfs drawn and edited by organizers over the campaign's rows (see turf_edit.h). "Live" means
// not deleted and not archived, everywhere in this file: the same rule as
// store::doors_in_live_turfs.
#include "server/turf_edit.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "server/app.h"
#include "shared/route/footprints.h"
#include "shared/route/turf_shape.h"
#include "shared/store/campaign_store.h"
#include "shared/store/footprint_store.h"

namespace doorstep::server {

namespace {

constexpr const char* kLive = "t.deleted=0 AND t.status<>'archived'";

Result<store::Stmt> prepare(store::Db& db, const std::string& sql) { return db.prepare(sql); }

// Runs a one-column count.
Result<int64_t> count(store::Db& db, const std::string& sql, const std::string& arg) {
  auto q = prepare(db, sql);
  if (!q) return q.error();
  q->bind(1, arg);
  auto r = q->step();
  if (!r) return r.error();
  return *r ? q->int64(0) : int64_t{0};
}

// The first column of every row, as text; ?1 is `arg`, ?2 `num` when given.
Result<std::vector<std::string>> texts(store::Db& db, const std::string& sql, const std::string& arg,
                                       std::optional<int64_t> num = std::nullopt) {
  auto q = prepare(db, sql);
  if (!q) return q.error();
  q->bind(1, arg);
  if (num) q->bind(2, *num);
  std::vector<std::string> out;
  for (;;) {
    auto r = q->step();
    if (!r) return r.error();
    if (!*r) break;
    out.push_back(q->text(0));
  }
  return out;
}

}  // namespace

bool is_live(const Turf& t) { return !t.deleted && t.status != TurfStatus::archived; }

Result<Turf> get_turf(store::Db& db, const std::string& turf_id, const std::string& campaign_id) {
  auto q = prepare(db, "SELECT id, campaign_id, name, polygon, status FROM turf WHERE id=?1 AND deleted=0");
  if (!q) return q.error();
  q->bind(1, turf_id);
  auto r = q->step();
  if (!r) return r.error();
  if (!*r) return Error{Code::not_found, "no such turf: " + turf_id};
  Turf t;
  t.id = q->text(0);
  t.campaign_id = q->text(1);
  t.name = q->text(2);
  t.polygon_geojson = q->text(3);
  t.status = turf_status_from_name(q->text_view(4)).value_or(TurfStatus::draft);
  if (!campaign_id.empty() && t.campaign_id != campaign_id)
    return Error{Code::invalid_argument, "turf " + turf_id + " belongs to another campaign"};
  return t;
}

Result<std::vector<std::string>> turf_door_ids(store::Db& db, const std::string& turf_id) {
  return texts(db, "SELECT door_id FROM turf_door WHERE turf_id=?1 AND deleted=0 ORDER BY position", turf_id);
}

Result<std::vector<std::string>> walk_buildings(store::Db& db, const std::string& campaign_id,
                                                const std::vector<const Door*>& doors) {
  std::vector<footprints::DoorPoint> pts;
  pts.reserve(doors.size());
  for (const Door* d : doors) pts.push_back({geo::fix_of(*d->lat, *d->lon), d->building_id});
  Status failed;
  footprints::Matching m = footprints::match_by_area(pts, [&](const geo::BBox& box) {
    std::vector<footprints::Footprint> out;
    auto fs = store::footprints_in(db, campaign_id, box);
    if (!fs) failed = fs.error();
    else for (auto& f : *fs) out.push_back({f.id, std::move(f.shape)});
    return out;
  });
  if (!failed) return failed.error();
  return std::move(m.building_of);
}

Walk plan_walk(const std::vector<const Door*>& doors, const std::vector<std::string>& building_of,
               const walk_order::Pace& pace) {
  std::vector<walk_order::Door> wd;
  wd.reserve(doors.size());
  for (size_t i = 0; i < doors.size(); ++i)
    wd.push_back(walk_order::door_from_address(geo::fix_of(*doors[i]->lat, *doors[i]->lon), building_of[i],
                                               doors[i]->address, doors[i]->unit));
  walk_order::Route route = walk_order::plan(wd);
  Walk w;
  w.order = std::move(route.order);
  w.route_m = route.length_m;
  w.minutes = walk_order::walk_minutes(route.length_m, doors.size(), pace);
  return w;
}

Result<std::vector<Door>> doors_inside(store::Db& db, const std::string& campaign_id, const geo::MultiPolygon& area) {
  auto all = store::list_doors(db, campaign_id);
  if (!all) return all.error();
  std::vector<Door> out;
  for (auto& d : *all)
    if (!d.deleted && d.lat && d.lon && geo::contains(area, geo::fix_of(*d.lat, *d.lon))) out.push_back(std::move(d));
  return out;
}

Result<StoredTurf> store_turf(store::Db& db, App& app, const std::string& campaign_id, const std::string& id,
                              const std::string& name, const geo::MultiPolygon& polygon,
                              const std::vector<const Door*>& doors, const std::vector<std::string>* buildings) {
  auto pace = campaign_pace(db, campaign_id);
  if (!pace) return pace.error();
  std::vector<std::string> found;
  if (!buildings) {
    auto b = walk_buildings(db, campaign_id, doors);
    if (!b) return b.error();
    found = std::move(*b);
    buildings = &found;
  }
  Walk w = plan_walk(doors, *buildings, *pace);
  std::vector<std::string> ids;
  ids.reserve(doors.size());
  for (int i : w.order) ids.push_back(doors[static_cast<size_t>(i)]->id);
  Turf t;
  t.id = id;
  t.campaign_id = campaign_id;
  t.name = name;
  t.polygon_geojson = json::dump(geo::to_geojson(polygon));
  t.status = TurfStatus::open;
  Hlc hlc = app.next_hlc();
  auto up = store::upsert_turf(db, t, hlc);
  if (!up) return up.error();
  if (auto r = store::set_turf_doors(db, up->id, ids, hlc); !r) return r.error();
  auto people = count(db,
                      "SELECT count(*) FROM person p JOIN turf_door td ON td.door_id=p.door_id "
                      "WHERE td.turf_id=?1 AND td.deleted=0 AND p.deleted=0 AND p.do_not_contact=0",
                      up->id);
  if (!people) return people.error();
  StoredTurf out;
  out.id = up->id;
  out.name = name;
  out.polygon = polygon;
  out.doors = static_cast<int64_t>(ids.size());
  out.people = *people;
  out.route_m = w.route_m;
  out.minutes = w.minutes;
  return out;
}

Result<std::vector<TurfRoute>> turf_routes(store::Db& db, const std::string& campaign_id, const walk_order::Pace& pace,
                                           const std::string& turf_id) {
  std::string sql =
      "SELECT td.turf_id, d.id, d.lat, d.lon, d.address, d.unit, d.building_id, "
      "(SELECT count(*) FROM person p WHERE p.door_id=d.id AND p.deleted=0 AND p.do_not_contact=0) "
      "FROM turf_door td JOIN door d ON d.id=td.door_id JOIN turf t ON t.id=td.turf_id "
      "WHERE t.campaign_id=?1 AND t.deleted=0 AND td.deleted=0 AND d.deleted=0 AND d.do_not_contact=0 "
      "AND d.lat IS NOT NULL AND d.lon IS NOT NULL ";
  sql += turf_id.empty() ? std::string("AND t.status<>'archived' AND ?2=''") : std::string("AND t.id=?2");
  sql += " ORDER BY td.turf_id, td.position";
  auto q = prepare(db, sql);
  if (!q) return q.error();
  q->bind(1, campaign_id).bind(2, turf_id);
  std::vector<TurfRoute> out;
  std::vector<std::vector<walk_order::Door>> wd;
  for (;;) {
    auto r = q->step();
    if (!r) return r.error();
    if (!*r) break;
    std::string tid = q->text(0);
    if (out.empty() || out.back().turf_id != tid) {
      out.emplace_back();
      out.back().turf_id = tid;
      wd.emplace_back();
    }
    RouteStop s;
    s.door_id = q->text(1);
    s.at = geo::fix_of(q->real(2), q->real(3));
    s.address = q->text(4);
    s.people = q->int64(7);
    wd.back().push_back(walk_order::door_from_address(s.at, q->text(6), s.address, q->text(5)));
    out.back().people += s.people;
    out.back().stops.push_back(std::move(s));
  }
  for (size_t k = 0; k < out.size(); ++k) {
    std::vector<int> order(wd[k].size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    walk_order::Route m = walk_order::measure(wd[k], order);
    out[k].polyline = std::move(m.polyline);
    out[k].length_m = m.length_m;
    out[k].minutes = walk_order::walk_minutes(m.length_m, out[k].stops.size(), pace);
  }
  return out;
}

Result<Retired> retire_turf(store::Db& db, App& app, const std::string& turf_id) {
  Retired out;
  auto records = count(db, "SELECT count(*) FROM (SELECT 1 FROM attempt WHERE turf_id=?1 LIMIT 1)", turf_id);
  if (!records) return records.error();
  out.archived = *records > 0;
  Hlc hlc = app.next_hlc();
  if (out.archived) {
    auto w = store::write_field(db, "turf", turf_id, "status", std::string("archived"), hlc);
    if (!w) return w.error();
  } else {
    if (auto r = store::set_turf_doors(db, turf_id, {}, hlc); !r) return r.error();
    auto w = store::write_field(db, "turf", turf_id, "deleted", int64_t{1}, hlc);
    if (!w) return w.error();
  }
  auto q = prepare(db, "UPDATE srv_links SET revoked_at=?1 WHERE turf_id=?2 AND revoked_at=0");
  if (!q) return q.error();
  q->bind(1, app.now()).bind(2, turf_id);
  if (auto r = q->run(); !r) return r.error();
  out.links_ended = db.changes();
  return out;
}

Result<Warnings> turf_warnings(store::Db& db, const std::string& campaign_id) {
  Warnings w;
  auto q = prepare(db, std::string("SELECT a.turf_id, b.turf_id, count(*) FROM turf_door a "
                                   "JOIN turf_door b ON b.door_id=a.door_id AND a.turf_id<b.turf_id AND b.deleted=0 "
                                   "JOIN turf t ON t.id=a.turf_id JOIN turf t2 ON t2.id=b.turf_id "
                                   "WHERE t.campaign_id=?1 AND a.deleted=0 AND ") +
                           kLive + " AND t2.deleted=0 AND t2.status<>'archived' "
                                   "GROUP BY a.turf_id, b.turf_id ORDER BY 3 DESC, 1, 2 LIMIT 500");
  if (!q) return q.error();
  q->bind(1, campaign_id);
  for (;;) {
    auto r = q->step();
    if (!r) return r.error();
    if (!*r) break;
    w.overlaps.push_back(Overlap{q->text(0), q->text(1), q->int64(2)});
  }
  auto none = count(db,
                    std::string("SELECT count(*) FROM door d WHERE d.campaign_id=?1 AND d.deleted=0 AND d.do_not_contact=0 "
                                "AND d.lat IS NOT NULL AND d.lon IS NOT NULL AND NOT EXISTS (SELECT 1 FROM turf_door td "
                                "JOIN turf t ON t.id=td.turf_id WHERE td.door_id=d.id AND td.deleted=0 AND ") +
                        kLive + ")",
                    campaign_id);
  if (!none) return none.error();
  w.doors_in_no_turf = *none;
  auto unplaced = count(db, "SELECT count(*) FROM door WHERE campaign_id=?1 AND deleted=0 AND (lat IS NULL OR lon IS NULL)",
                        campaign_id);
  if (!unplaced) return unplaced.error();
  w.unplaced_doors = *unplaced;
  auto empty = texts(db, std::string("SELECT t.id FROM turf t WHERE t.campaign_id=?1 AND ") + kLive +
                             " AND NOT EXISTS (SELECT 1 FROM turf_door td WHERE td.turf_id=t.id AND td.deleted=0) ORDER BY t.name, t.id",
                     campaign_id);
  if (!empty) return empty.error();
  w.empty_turfs = std::move(*empty);
  return w;
}

json::Value to_json(const Warnings& w) {
  json::Value o = json::Value::object();
  json::Value ov = json::Value::array();
  for (const auto& x : w.overlaps) {
    json::Value e = json::Value::object();
    e.set("turf_ids", json::Value(json::Array{json::Value(x.turf_a), json::Value(x.turf_b)}));
    e.set("doors", x.doors);
    ov.push(std::move(e));
  }
  o.set("overlaps", ov);
  o.set("doors_in_no_turf", w.doors_in_no_turf);
  o.set("unplaced_doors", w.unplaced_doors);
  json::Value empty = json::Value::array();
  for (const auto& id : w.empty_turfs) empty.push(id);
  o.set("empty_turfs", empty);
  return o;
}

Result<Nearest> next_unassigned(store::Db& db, const std::string& campaign_id, geo::Fix at, int64_t now_ms) {
  auto turfs = store::list_turfs(db, campaign_id);
  if (!turfs) return turfs.error();
  auto links = texts(db, "SELECT DISTINCT turf_id FROM srv_links WHERE campaign_id=?1 AND revoked_at=0 AND expires_at>?2",
                     campaign_id, now_ms);
  if (!links) return links.error();
  const std::set<std::string> held(links->begin(), links->end());
  auto routes = turf_routes(db, campaign_id, walk_order::Pace{});
  if (!routes) return routes.error();
  std::map<std::string, const TurfRoute*> by_id;
  for (const auto& r : *routes) by_id[r.turf_id] = &r;
  geo::Projection proj(at);
  std::optional<Nearest> best;
  for (const Turf& t : *turfs) {
    if (!is_live(t) || t.status == TurfStatus::done || held.count(t.id)) continue;
    auto route = by_id.find(t.id);
    if (route == by_id.end() || route->second->stops.empty()) continue;  // nothing to knock
    double d = INFINITY;
    auto poly = json::parse(t.polygon_geojson);
    auto mp = poly ? geo::multipolygon_from_geojson(*poly) : Result<geo::MultiPolygon>(Error{Code::invalid_argument, ""});
    if (mp) d = turf_shape::distance_m(*mp, at, proj);
    else
      for (const auto& s : route->second->stops) d = std::min(d, geo::distance_m(proj.to_xy(at), proj.to_xy(s.at)));
    if (!best || d < best->distance_m) best = Nearest{t, d, static_cast<int64_t>(route->second->stops.size())};
  }
  if (!best) return Error{Code::not_found, "every turf with doors has a live link"};
  return *best;
}

}  // namespace doorstep::server
