// A base map for a campaign's area from what the project has (building footprints, address
// points, named outlines), as source layers in the Protomaps basemap schema, so one style draws it
// and a real regional extract: earth, buildings (footprints, and house numbers as kind=address
// points at z17+), roads (street-name label lines along each street's own address points, marked
// doorstep_label_only: no street geometry is invented), boundaries and places (outlines and their
// names). Leaves out water, land use and anything the inputs do not hold.
#pragma once
#include <string>
#include <vector>

#include "shared/base/geo.h"
#include "shared/tiles/tiler.h"

namespace doorstep::tiles {

struct AddressPoint {
  double lon = 0, lat = 0;
  std::string housenumber, street;
};

struct Outline {
  std::string kind;  // "neighbourhood", "block_group", ...
  std::string name;
  geo::MultiPolygon shape;
};

struct BasemapInput {
  std::vector<geo::MultiPolygon> buildings;
  std::vector<AddressPoint> addresses;
  std::vector<Outline> outlines;
};

std::vector<SourceLayer> basemap_layers(const BasemapInput& in);

// Label lines for one street's address points: the points' principal axis, cut where a gap along
// it exceeds max_gap_m; runs shorter than min_length_m or of fewer than 3 points give nothing.
std::vector<std::vector<LonLat>> street_label_lines(const std::vector<LonLat>& points, double max_gap_m = 150,
                                                    double min_length_m = 40);

}  // namespace doorstep::tiles
