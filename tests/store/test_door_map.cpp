// Tests for shared/store/door_map: placed doors with their map attributes as dictionary codes,
// unplaced doors counted but not drawn, the latest attempt and support answer winning, live turfs.
#include <doctest/doctest.h>

#include <string>

#include "shared/store/door_map.h"
#include "shared/store/store.h"

using namespace doorstep;

namespace {
const store::DoorMap::Attribute& attr(const store::DoorMap& m, const std::string& name) {
  for (const auto& a : m.attributes)
    if (a.name == name) return a;
  FAIL("no attribute " << name);
  return m.attributes.front();
}
std::string value(const store::DoorMap& m, const std::string& name, size_t door) {
  const auto& a = attr(m, name);
  return a.values[a.codes[door]];
}
}  // namespace

TEST_CASE("door_map: attributes per placed door, latest attempt wins, unplaced counted") {
  auto db = store::Db::open(":memory:");
  REQUIRE(db.ok());
  REQUIRE(db->exec(R"SQL(
    INSERT INTO campaign(id, name) VALUES('c', 'C'), ('other', 'O');
    INSERT INTO building(id, campaign_id, address_key) VALUES('b', 'c', 'k');
    INSERT INTO door(id, campaign_id, building_id, address_key, lat, lon) VALUES
      ('d1', 'c', 'b', 'k1', 34.0000004, -118.4), ('d2', 'c', 'b', 'k2', 34.1, -118.5),
      ('d3', 'c', 'b', 'k3', NULL, NULL), ('d4', 'other', 'b', 'k4', 1, 1);
    INSERT INTO person(id, campaign_id, source_key, door_id, party, language) VALUES
      ('p1', 'c', 's:1', 'd1', 'DEM', 'es'), ('p2', 'c', 's:2', 'd1', 'REP', 'en'), ('p3', 'c', 's:3', 'd2', 'NPP', 'ko');
    INSERT INTO turf(id, campaign_id, status) VALUES('t', 'c', 'open');
    INSERT INTO turf_door(turf_id, door_id, position) VALUES('t', 'd2', 1);
    INSERT INTO survey_question(id, campaign_id, position, kind) VALUES('q', 'c', 1, 'scale_1_5');
    INSERT INTO attempt(id, campaign_id, door_id, result, answers, client_ms) VALUES
      ('a2', 'c', 'd1', 'talked', '{"q":4}', 200), ('a1', 'c', 'd1', 'not_home', '{}', 100);
  )SQL").ok());
  auto m = store::door_map(*db, "c");
  REQUIRE(m.ok());
  REQUIRE(m->lat.size() == 2);
  CHECK(m->unplaced == 1);
  size_t d1 = m->lon[0] == -118.4 ? 0 : 1, d2 = 1 - d1;
  CHECK(m->lat[d1] == 34.0);  // rounded to 6 decimals (about 10 cm)
  CHECK(value(*m, "party", d1) == "DEM");     // the first resident speaks for the door
  CHECK(value(*m, "language", d2) == "ko");
  CHECK(value(*m, "result", d1) == "talked");  // the latest attempt, not the last inserted
  CHECK(value(*m, "support", d1) == "4");
  CHECK(value(*m, "support", d2) == "");
  CHECK(value(*m, "turf", d2) == "in a turf");
  CHECK(value(*m, "turf", d1) == "not in a turf");
  auto j = m->to_json();
  CHECK(j.find("count")->as_int() == 2);
  CHECK(j.find("attributes")->find("language")->find("codes")->size() == 2);
}
