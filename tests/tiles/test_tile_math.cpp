// Tests for shared/tiles/tile_math: Web Mercator tiles of known places and the PMTiles v3 tile
// ids, checked against values from the spec's reference implementation.
#include <doctest/doctest.h>

#include "shared/tiles/tile_math.h"

using namespace doorstep::tiles;

TEST_CASE("tile_math puts a Venice address in its OSM tile") {
  // 1165 Palms Blvd, Venice: z17 tile 22407/52358 by the slippy-map formula (computed in Python).
  const TileId t = tile_of(-118.4565360, 34.0013965, 17);
  CHECK(t.z == 17);
  CHECK(t.x == 22407);
  CHECK(t.y == 52358);
  CHECK(tile_of(0, 0, 0) == TileId{0, 0, 0});
  CHECK(tile_of(-180, 89.9, 3) == TileId{3, 0, 0});  // clamped to the Mercator square
  CHECK(tile_of(180, -89.9, 3) == TileId{3, 7, 7});
  const WorldXY w = world_of(-118.45, 34.0);
  CHECK(lon_of_world(w.x) == doctest::Approx(-118.45).epsilon(1e-12));
  CHECK(lat_of_world(w.y) == doctest::Approx(34.0).epsilon(1e-12));
}

TEST_CASE("tile_math covers a box with a margin, clamped at the world's edge") {
  const auto one = tiles_covering(-118.4566, 34.0013, -118.4565, 34.0014, 17);
  REQUIRE(one.size() == 1);
  CHECK(tiles_covering(-118.4566, 34.0013, -118.4565, 34.0014, 17, 1).size() == 9);
  CHECK(tiles_covering(-180, -85, 180, 85, 1, 1).size() == 4);
}

TEST_CASE("tile_math gives PMTiles ids in the spec's Hilbert order") {
  // From the PMTiles v3 reference tests (zxyToTileId / tileIdToZxy).
  CHECK(pmtiles_id({0, 0, 0}) == 0);
  CHECK(pmtiles_id({1, 0, 0}) == 1);
  CHECK(pmtiles_id({1, 0, 1}) == 2);
  CHECK(pmtiles_id({1, 1, 1}) == 3);
  CHECK(pmtiles_id({1, 1, 0}) == 4);
  CHECK(pmtiles_id({2, 0, 0}) == 5);
  CHECK(pmtiles_id({12, 3423, 1763}) == 19078479);
  for (uint64_t id : {0ull, 4ull, 5ull, 19078479ull, 1000000007ull}) {
    auto t = pmtiles_tile(id);
    REQUIRE(t);
    CHECK(pmtiles_id(*t) == id);
  }
  CHECK(pmtiles_id({17, 22407, 52358}) == 9139705216ull);  // the npm pmtiles reader agrees
  CHECK(pmtiles_tile(9139705216ull) == TileId{17, 22407, 52358});
  CHECK_FALSE(pmtiles_tile(~0ull));
}
