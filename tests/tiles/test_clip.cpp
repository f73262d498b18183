// Tests for shared/tiles/clip: box clipping of rings and lines, and simplification that keeps
// corners and drops what lies within the tolerance.
#include <doctest/doctest.h>

#include <cmath>

#include "shared/tiles/clip.h"

using namespace doorstep::tiles;

namespace {
double area(const Line& r) {
  double a = 0;
  for (size_t i = 0; i < r.size(); ++i) {
    const P p = r[i], q = r[(i + 1) % r.size()];
    a += p.x * q.y - q.x * p.y;
  }
  return std::fabs(a / 2);
}
}  // namespace

TEST_CASE("clip_ring keeps the part of a square inside the box") {
  const Line sq{{-5, -5}, {5, -5}, {5, 5}, {-5, 5}};
  const Line in = clip_ring(sq, Box{0, 0, 10, 10});
  CHECK(area(in) == doctest::Approx(25));
  CHECK(clip_ring(sq, Box{-10, -10, 10, 10}).size() == 4);  // wholly inside: unchanged
  CHECK(clip_ring(sq, Box{20, 20, 30, 30}).empty());        // wholly outside: nothing
}

TEST_CASE("clip_line cuts a line into the pieces inside the box") {
  // In, out, back in: two pieces.
  const Line l{{1, 1}, {1, 20}, {5, 20}, {5, 1}};
  const auto pieces = clip_line(l, Box{0, 0, 10, 10});
  REQUIRE(pieces.size() == 2);
  CHECK(pieces[0] == Line{{1, 1}, {1, 10}});
  CHECK(pieces[1] == Line{{5, 10}, {5, 1}});
  CHECK(clip_line(Line{{20, 20}, {30, 30}}, Box{0, 0, 10, 10}).empty());
  const auto across = clip_line(Line{{-5, 5}, {15, 5}}, Box{0, 0, 10, 10});
  REQUIRE(across.size() == 1);
  CHECK(across[0] == Line{{0, 5}, {10, 5}});
}

TEST_CASE("simplify drops near-collinear points, keeps corners, and drops slivers") {
  const Line wobbly{{0, 0}, {5, 0.1}, {10, 0}, {10, 10}, {5, 10.05}, {0, 10}};
  const Line s = simplify(wobbly, 0.5, true);
  CHECK(s.size() == 4);
  CHECK(area(s) == doctest::Approx(100));
  CHECK(simplify(Line{{0, 0}, {1, 0.01}, {2, 0}}, 0.5, false) == Line{{0, 0}, {2, 0}});
  CHECK(simplify(Line{{0, 0}, {1, 0.1}, {2, 0}, {1, -0.1}}, 0.5, true).empty());  // thinner than the tolerance
}
