// Tests for shared/store/footprint_store: footprints stored, found by area, counted and replaced,
// on a real SQLite database.
#include <doctest/doctest.h>

#include "shared/store/campaign_store.h"
#include "shared/store/footprint_store.h"

using namespace doorstep;

namespace {
geo::MultiPolygon square(int64_t lon, int64_t lat, int64_t size) {
  geo::MultiPolygon mp;
  mp.polygons.push_back(geo::Polygon{{geo::rect_ring(lon, lat, lon + size, lat + size)}});
  mp.finish();
  return mp;
}
}  // namespace

TEST_CASE("footprint_store keeps footprints per campaign and finds them by area") {
  auto db = store::Db::open(":memory:");
  REQUIRE(db.ok());
  REQUIRE(db->exec("INSERT INTO campaign(id, name) VALUES ('c1', 'One'), ('c2', 'Two')").ok());
  auto a = store::add_footprint(*db, "c1", square(-1184560000, 340090000, 2000));
  auto b = store::add_footprint(*db, "c1", square(-1184500000, 340090000, 2000));
  auto c = store::add_footprint(*db, "c2", square(-1184560000, 340090000, 2000));
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(c.ok());
  CHECK(*a != *b);
  CHECK(store::count_footprints(*db, "c1").value() == 2);
  geo::BBox near_a;
  near_a.add({-1184561000, 340089000});
  near_a.add({-1184559000, 340091000});
  auto found = store::footprints_in(*db, "c1", near_a);
  REQUIRE(found.ok());
  REQUIRE(found->size() == 1);
  CHECK((*found)[0].id == *a);
  CHECK((*found)[0].shape.bbox.min_lon == -1184560000);
  CHECK((*found)[0].geometry.find("\"Polygon\"") != std::string::npos);
  CHECK(store::clear_footprints(*db, "c1").value() == 2);
  CHECK(store::count_footprints(*db, "c1").value() == 0);
  CHECK(store::count_footprints(*db, "c2").value() == 1);  // another campaign's stay
}
