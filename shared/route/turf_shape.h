// Turf shapes as organizers draw and edit them: checks a drawn polygon (self-intersecting rings,
// empty area, too many vertices, too large an extent), splits a one-piece polygon along a drawn
// line, joins shapes for a merge, and measures how far a point lies from a turf. Leaves out general
// polygon booleans (a merge of overlapping shapes takes their convex hull) and doors (turf_cut.h).
#pragma once
#include <array>
#include <cstddef>
#include <vector>

#include "shared/base/geo.h"
#include "shared/base/json.h"
#include "shared/base/result.h"

namespace doorstep::turf_shape {

struct Limits {
  size_t max_vertices = 10000;  // all rings together
  double max_span_m = 20000;    // east-west or north-south extent
};

// invalid_argument with a message an organizer can act on ("the outline crosses itself near ...").
Status check(const geo::MultiPolygon& mp, const Limits& lim = {});

// A GeoJSON LineString (or a Feature holding one) of 2 to max_points positions.
Result<std::vector<geo::Fix>> line_from_geojson(const json::Value& v, size_t max_points = 1000);

// The two pieces of a one-piece polygon without holes cut by `line`, which must cross its outline
// exactly twice, away from its corners, and start and end outside it. invalid_argument otherwise
// (a line that misses the turf, stops inside it, or zigzags across it).
Result<std::array<geo::MultiPolygon, 2>> split(const geo::MultiPolygon& mp, const std::vector<geo::Fix>& line);

// Whether the insides of two shapes overlap (sharing an edge or a corner is not overlapping).
bool overlap(const geo::MultiPolygon& a, const geo::MultiPolygon& b);

// The shape of merged turfs: their pieces side by side when no two overlap, else the convex hull
// of all their outlines (even-odd rings would cut the overlap out).
geo::MultiPolygon join(const std::vector<geo::MultiPolygon>& parts);

// Metres from p to the shape: 0 inside it, else to its nearest edge.
double distance_m(const geo::MultiPolygon& mp, geo::Fix p, const geo::Projection& proj);

}  // namespace doorstep::turf_shape
