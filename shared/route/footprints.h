// Doors to buildings: each door goes to the footprint it lies in, or the nearest one within 30 m
// that holds no other address (a footprint already holding another address takes a point only
// within 3 m of its wall: otherwise one big building would swallow the houses across the street);
// doors matched to no footprint form buildings from address points of one address key lying
// within 30 m of each other (single linkage), never from the key alone. Reports the address keys
// whose points ended up split between buildings. Leaves out splitting or merging footprints and
// any judgement on which of the split points is right.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "shared/base/geo.h"

namespace doorstep::footprints {

struct Footprint {
  std::string id;
  geo::MultiPolygon shape;  // finish() called
};

struct DoorPoint {
  geo::Fix at;
  std::string address_key;  // the building-level address (number + street + ZIP), no unit
};

enum class How { inside, near, clustered };

struct Split {
  std::string address_key;
  int parts = 0;          // buildings the key's points went to
  double spread_m = 0;    // widest distance between two of its points
};

struct Matching {
  // Per door: a footprint's id, or the address key for its points' first group and "<key>#2",
  // "<key>#3", ... for groups further away (so without footprints and far points, ids are the keys).
  std::vector<std::string> building_of;
  std::vector<How> how;                  // per door
  std::vector<Split> splits;             // by address key
  int inside = 0, near = 0, clustered = 0;
};

constexpr double kMaxMatchM = 30.0;

Matching match(const std::vector<DoorPoint>& doors, const std::vector<Footprint>& footprints,
               double max_m = kMaxMatchM);

// The same for footprints too many to hold at once (a county's): doors are taken in cells of about
// 500 m and `footprints_in` is asked for the footprints meeting each cell's box grown by max_m.
using FootprintSource = std::function<std::vector<Footprint>(const geo::BBox& box)>;
Matching match_by_area(const std::vector<DoorPoint>& doors, const FootprintSource& footprints_in,
                       double max_m = kMaxMatchM);

}  // namespace doorstep::footprints
