// Walk order for one turf: doors -> visiting sequence and route polyline. Units of one building are
// visited together (by floor, then unit); buildings are ordered by the TSP solver in shared/tour
// on a local projection in metres, with a penalty for crossing a street between its two sides
// (house-number parity); a start point (the canvasser's position) is honoured; a door marked
// "come back later" is moved to its cheapest later place; and the street-sort order of today's
// tools is there as a baseline. Leaves out the street network: legs are straight lines.
#pragma once
#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/geo.h"
#include "shared/route/tour.h"

namespace doorstep::walk_order {

struct Door {
  geo::Fix at;            // lat/lon in 1e-7 degrees
  std::string building;   // building key; empty: derived from number + street, else the door alone
  std::string street;     // normalised street name (same street, same text)
  std::string number;     // house number text: "1319", "1319 1/2", "12A"
  std::string unit;       // unit text; empty for a single dwelling
  int floor = INT_MIN;    // INT_MIN when unknown (then ordered after known floors)
};

// Walking minutes, the one formula behind every count, cut, route view and handout: the walk
// order's length at walk_m_per_s plus minutes_per_door at each door. Both are campaign settings.
struct Pace {
  double walk_m_per_s = 1.2;
  double minutes_per_door = 2.0;
  double walk_m_per_min() const { return walk_m_per_s * 60.0; }
};
double walk_minutes(double length_m, size_t doors, const Pace& pace = {});

struct Options {
  std::optional<geo::Fix> start;     // canvasser's position: the route begins there
  double crossing_penalty_m = 20.0;  // added to a leg between opposite sides of one street
  tour::Options solver;              // work budget and seed
};

struct Route {
  std::vector<int> order;            // door indices, visiting sequence
  std::vector<geo::Fix> polyline;    // start (when given), then one point per building stop
  double length_m = 0;               // walking metres along the polyline
  int crossings = 0;                 // legs between opposite sides of one street
  int64_t work = 0;                  // solver operations spent
};

// House number's leading integer ("1319 1/2" -> 1319); -1 when there is none.
long house_number(const std::string& number);
// Natural order for unit texts: digit runs compare as numbers ("2" < "10"), then text.
bool unit_less(const std::string& a, const std::string& b);
// Building key of a door: its building field, else "NUMBER STREET" (upper case, single spaces),
// else "#index" (a door of its own).
std::string building_key(const Door& d, size_t index);

// A door from a display address ("1319 1/2 Walgrove Ave"): street and number parsed by
// shared/parse/address.h, so the street sides are known. Used by the server's turfs and the phone.
Door door_from_address(geo::Fix at, std::string building, std::string_view address_line, std::string unit);

// The optimised walk order.
Route plan(const std::vector<Door>& doors, const Options& opt = {});
// Baseline of today's tools: street, then odd side before even, then house number, then unit.
Route street_sort(const std::vector<Door>& doors, const Options& opt = {});
// Metres walked through `order` (from opt.start when given), crossings counted as in plan().
Route measure(const std::vector<Door>& doors, const std::vector<int>& order, const Options& opt = {});

// "Come back later": door `door` (an index into doors, present in order) is taken out of the
// sequence and put back where it costs the fewest extra metres among the places strictly after
// position `current` (the index in order of the door being visited now); the end of the route
// counts as a place. Ties go to the earliest place. Returns the new order.
std::vector<int> come_back_later(const std::vector<Door>& doors, const std::vector<int>& order, size_t current, int door);

}  // namespace doorstep::walk_order

namespace doorstep {
// The namespace's old name, still spelled in server/ and shared/canvass while other branches edit
// them; remove once they say walk_order::.
namespace walk = walk_order;
}  // namespace doorstep
