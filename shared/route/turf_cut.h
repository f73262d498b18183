// Turfs: doors inside a drawn polygon, live counts while the polygon is being drawn, and the
// automatic cut of a set of doors into turfs of a target size (doors, or minutes of a shift).
//
// The cut is a recursive bisection on fixed-point coordinates: each step splits the buildings
// along the longer side of their extent at the place where the door (or minute) count is closest
// to the share of the turfs planned for that side. Leaves are turfs; a building is never split;
// each turf's display polygon is the bounding box of its doors clipped to its cell of the
// bisection, so polygons are one piece, never overlap and stay compact. Integer coordinates,
// index tie-breaks and the deterministic walk-order solver make the result the same everywhere.
// Leaves out street-network awareness (a turf may span a street or a park).
#pragma once
#include <climits>
#include <cstdint>
#include <string>
#include <vector>

#include "shared/base/geo.h"
#include "shared/route/tour.h"
#include "shared/route/walk_order.h"

namespace doorstep::turf_cut {

struct Door {
  geo::Fix at;
  std::string building;          // building key; empty: the door is a building of its own
  int people = 1;
  bool do_not_contact = false;
  bool in_active_turf = false;
  int64_t last_attempt_day = INT64_MIN;  // days since 1970-01-01; INT64_MIN: never attempted
};

// Doors inside a drawn polygon (geo::contains rule), as indices in input order.
std::vector<int> doors_in(const std::vector<Door>& doors, const geo::MultiPolygon& area);

struct Options {
  int target_doors = 0;             // > 0: cut by door count
  double target_minutes = 0;        // > 0 (and target_doors == 0): cut by shift minutes
  walk_order::Pace pace;            // walking speed and time at a door (campaign settings)
  double tolerance = 0.15;          // sizes within +-15% of the target
  // Leave-outs.
  bool exclude_do_not_contact = true;
  bool exclude_in_active_turf = false;
  int exclude_attempted_within_days = 0;  // > 0: leave out doors attempted within N days of today
  int64_t today = 0;                       // days since 1970-01-01
  // Per-turf walk order (route metres per door, shift minutes). Off: faster, no route numbers.
  bool route_stats = true;
  tour::Options solver = light_solver();

  static tour::Options light_solver() {
    tour::Options o;
    o.work_per_node = 250;
    o.min_work = 4000;
    o.max_work = 400000;
    return o;
  }
};

struct Turf {
  std::vector<int> doors;            // input indices, in walk order when route_stats, else by building
  geo::MultiPolygon polygon;         // display polygon (one rectangle)
  int people = 0;
  double size = 0;                   // doors, or estimated minutes when cutting by minutes
  bool oversized_building = false;   // one building larger than the target, a turf of its own
  bool remainder = false;            // the one smaller turf an area may have
  // Outside target +- tolerance after the walk order (minutes) or the cut (doors): the cut could
  // not bring it near the target (a big building, a remainder, a lone far building).
  bool off_target = false;
  double area_m2 = 0, perimeter_m = 0, compactness = 0;  // 4*pi*A/P^2 of the polygon
  double route_m = 0, route_m_per_door = 0, minutes = 0; // from the walk order (route_stats)
  int doors_outside_polygon = 0;     // doors of a building whose points straddle a cut line
};

struct Cut {
  std::vector<Turf> turfs;
  std::vector<int> excluded;         // input indices left out by the options
  double target = 0;                 // in doors or minutes
  bool by_minutes = false;
};

Result<Cut> cut(const std::vector<Door>& doors, const Options& opt);

// Estimated minutes per door when walking (nearest-neighbour spacing of buildings x 1.25, shared
// among a building's doors, capped at 300 m), plus pace.minutes_per_door. Used for the minutes target
// and the live counts.
std::vector<double> door_minutes(const std::vector<Door>& doors, const Options& opt);

// Live counts for a polygon being drawn: a bucket grid over the doors, built once; a query adds
// whole cells that no polygon edge touches and tests doors one by one only in cells that an edge
// crosses. Answers equal doors_in() exactly.
class LiveIndex {
 public:
  struct Counts {
    int64_t doors = 0;
    int64_t people = 0;
    double minutes = 0;
  };
  LiveIndex() = default;
  LiveIndex(const std::vector<Door>& doors, const Options& opt);
  Counts query(const geo::MultiPolygon& area) const;
  size_t cells() const { return static_cast<size_t>(gx_) * gy_; }

 private:
  int64_t min_lon_ = 0, min_lat_ = 0, cw_ = 1, ch_ = 1;
  int gx_ = 0, gy_ = 0;
  std::vector<int> start_;           // per cell, into the arrays below
  std::vector<geo::Fix> at_;         // doors sorted by cell
  std::vector<int> people_;
  std::vector<double> minutes_;
  std::vector<Counts> cell_sum_;
};

}  // namespace doorstep::turf_cut

namespace doorstep {
// The namespace's old name, still spelled in server/ and shared/canvass while other branches edit
// them; remove once they say turf_cut::.
namespace turf = turf_cut;
}  // namespace doorstep
