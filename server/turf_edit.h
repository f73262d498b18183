// Turfs as organizers draw and edit them, over the campaign's rows: the one walk order every turf
// gets (cut, drawn, reshaped, split, merged), a turf's route and figures in the campaign's pace,
// retiring a turf (archived when it has records, else deleted; its links end), the warnings an
// organizer must see (doors in two turfs, doors in none, turfs with no doors) and the nearest turf
// nobody holds a link for. Callers run these inside one storage write()/read(). Leaves out HTTP
// (api_turfs.cpp) and the automatic cut (turf_builder.h).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "shared/base/geo.h"
#include "shared/base/model.h"
#include "shared/base/result.h"
#include "shared/route/walk_order.h"
#include "shared/store/store.h"

namespace doorstep::server {

class App;

// Building keys for walking: the footprint each door lies in (or near), else address points of
// one address within 30 m (shared/route/footprints.h).
Result<std::vector<std::string>> walk_buildings(store::Db& db, const std::string& campaign_id,
                                                const std::vector<const Door*>& doors);

struct Walk {
  std::vector<int> order;  // indices into the doors given
  double route_m = 0, minutes = 0;
};
// The walk order of doors (placed) whose buildings are `building_of`: street sides from the
// parsed address, the tour solver, minutes in `pace`.
Walk plan_walk(const std::vector<const Door*>& doors, const std::vector<std::string>& building_of,
               const walk_order::Pace& pace);

// The campaign's placed, live doors inside `area` (geo::contains rule).
Result<std::vector<Door>> doors_inside(store::Db& db, const std::string& campaign_id, const geo::MultiPolygon& area);

struct StoredTurf {
  std::string id, name;
  geo::MultiPolygon polygon;
  int64_t doors = 0, people = 0;
  double route_m = 0, minutes = 0;
};
// Makes `doors` the turf's door list in walk order (a new turf when id is empty) with that
// name and polygon, status open. `buildings`: their walk_buildings() when the caller has them.
Result<StoredTurf> store_turf(store::Db& db, App& app, const std::string& campaign_id, const std::string& id,
                              const std::string& name, const geo::MultiPolygon& polygon,
                              const std::vector<const Door*>& doors,
                              const std::vector<std::string>* buildings = nullptr);

struct RouteStop {
  std::string door_id, address;
  geo::Fix at;
  int64_t people = 0;
};
struct TurfRoute {
  std::string turf_id;
  std::vector<RouteStop> stops;  // the stored walk order (what the package hands out)
  std::vector<geo::Fix> polyline;
  double length_m = 0, minutes = 0;
  int64_t people = 0;
};
// Routes of the campaign's live turfs (or of one turf when turf_id is given), measured along
// their stored order. Do-not-contact doors are left out, as the package leaves them out.
Result<std::vector<TurfRoute>> turf_routes(store::Db& db, const std::string& campaign_id, const walk_order::Pace& pace,
                                           const std::string& turf_id = "");

struct Retired {
  bool archived = false;  // it had records; else deleted
  int64_t links_ended = 0;
};
// Retires a turf: archived when attempts were recorded in it (its door list and records stay),
// else deleted; either way every link to it is revoked at now_ms.
Result<Retired> retire_turf(store::Db& db, App& app, const std::string& turf_id);

struct Overlap {
  std::string turf_a, turf_b;
  int64_t doors = 0;
};
struct Warnings {
  std::vector<Overlap> overlaps;         // doors in two live turfs
  int64_t doors_in_no_turf = 0;          // placed, contactable doors in no live turf
  int64_t unplaced_doors = 0;            // doors without coordinates (no turf can hold them)
  std::vector<std::string> empty_turfs;  // live turfs without doors
};
Result<Warnings> turf_warnings(store::Db& db, const std::string& campaign_id);
json::Value to_json(const Warnings& w);

// The live turf nearest `at` (0 m inside it) among those no active link points to; not_found
// when every turf is held.
struct Nearest {
  Turf turf;
  double distance_m = 0;
  int64_t doors = 0;
};
Result<Nearest> next_unassigned(store::Db& db, const std::string& campaign_id, geo::Fix at, int64_t now_ms);

// Door ids of a turf in walk order (live memberships).
Result<std::vector<std::string>> turf_door_ids(store::Db& db, const std::string& turf_id);

// The live turf's row (not deleted, any status), checked to belong to `campaign_id` when given.
Result<Turf> get_turf(store::Db& db, const std::string& turf_id, const std::string& campaign_id = "");
bool is_live(const Turf& t);

}  // namespace doorstep::server
