// Clipping to an axis-aligned box and Douglas-Peucker simplification, in plane coordinates (the
// tiler uses tile units, the package uses metres). Leaves out general polygon booleans: a clipped
// concave ring may keep zero-width edges along the box, which renderers draw as nothing.
#pragma once
#include <vector>

namespace doorstep::tiles {

struct P {
  double x = 0, y = 0;
  bool operator==(const P& o) const { return x == o.x && y == o.y; }
};
using Line = std::vector<P>;  // a ring is implicitly closed (first point not repeated)

struct Box {
  double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
};

// Sutherland-Hodgman against each side of the box; an empty result when nothing is inside.
Line clip_ring(const Line& ring, const Box& box);
// A line cut by the box: the pieces inside, in order.
std::vector<Line> clip_line(const Line& line, const Box& box);
// Douglas-Peucker with the given tolerance; keeps the end points (for a ring: at least 3 points,
// or nothing when the whole ring is thinner than the tolerance).
Line simplify(const Line& line, double tolerance, bool closed);

}  // namespace doorstep::tiles
