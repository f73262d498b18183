// Tests for shared/store/progress_report on real SQLite: totals, distance bands, per-turf counts,
// and the cursor that returns only attempts recorded after the last report.
#include <doctest/doctest.h>

#include <string>

#include "shared/base/ids.h"
#include "shared/store/campaign_store.h"
#include "shared/store/progress_report.h"
#include "shared/store/store.h"

using namespace doorstep;
using namespace doorstep::store;

TEST_CASE("progress report: totals, distance bands, turfs and recent attempts by cursor") {
  auto opened = Db::open(":memory:");
  REQUIRE(opened.ok());
  Db db = std::move(*opened);
  Hlc h{1000, 0, "server"};
  auto c = ensure_campaign(db, "Venice", h, 1000);
  REQUIRE(c.ok());
  Building b;
  b.campaign_id = c->id;
  b.address_key = b.address = "1319 Walgrove Ave";
  auto bu = upsert_building(db, b, h);
  REQUIRE(bu.ok());
  std::vector<std::string> doors;
  for (int i = 0; i < 3; ++i) {
    Door d;
    d.campaign_id = c->id;
    d.building_id = bu->id;
    d.address_key = d.address = "1319 Walgrove Ave #" + std::to_string(i);
    auto du = upsert_door(db, d, h);
    REQUIRE(du.ok());
    doors.push_back(du->id);
  }
  Turf t;
  t.campaign_id = c->id;
  t.name = "B turf";
  auto tb = upsert_turf(db, t, h);
  t.name = "A turf";
  auto ta = upsert_turf(db, t, h);
  REQUIRE((tb.ok() && ta.ok()));
  REQUIRE(set_turf_doors(db, ta->id, {doors[0], doors[1]}, h).ok());
  REQUIRE(set_turf_doors(db, tb->id, {doors[2]}, h).ok());

  auto empty = progress_report(db, c->id, 0);
  REQUIRE(empty.ok());
  CHECK(empty->attempts == 0);
  CHECK(empty->cursor == 0);
  REQUIRE(empty->turfs.size() == 2);
  CHECK(empty->turfs[0].name == "A turf");  // by name
  CHECK(empty->turfs[0].doors == 2);
  CHECK(empty->recent.empty());

  // Four attempts: two at door 0 (talked at 50 m, not home at 200 m), door 1 at 500 m, door 2 no fix.
  struct A {
    int door;
    AttemptResult r;
    std::optional<double> dist;
    std::string turf;
  } as[] = {{0, AttemptResult::talked, 50.0, ta->id}, {0, AttemptResult::not_home, 200.0, ta->id},
            {1, AttemptResult::talked, 500.0, ta->id}, {2, AttemptResult::refused, std::nullopt, tb->id}};
  int64_t ms = 2000;
  for (const auto& x : as) {
    Attempt a;
    a.id = new_uuid_v7(ms);
    a.campaign_id = c->id;
    a.door_id = doors[x.door];
    a.turf_id = x.turf;
    a.result = x.r;
    a.client_ms = ms++;
    a.distance_m = x.dist;
    REQUIRE(insert_attempt(db, a).ok());
  }
  auto p = progress_report(db, c->id, 0);
  REQUIRE(p.ok());
  CHECK(p->attempts == 4);
  CHECK(p->doors_knocked == 3);
  CHECK(p->contacts == 2);
  CHECK(p->green == 1);
  CHECK(p->orange == 1);
  CHECK(p->red == 1);
  CHECK(p->unknown == 1);
  CHECK(p->turfs[0].attempts == 3);
  CHECK(p->turfs[0].knocked == 2);
  CHECK(p->turfs[0].contacts == 2);
  CHECK(p->turfs[0].last_attempt_at == 2002);
  CHECK(p->turfs[1].attempts == 1);
  REQUIRE(p->recent.size() == 4);
  CHECK(p->recent[0].distance_m == 50.0);
  CHECK(!p->recent[3].distance_m);
  CHECK(p->cursor == p->recent.back().rowid);

  // With the cursor: nothing new; with a small limit the cursor stops at the last one returned.
  auto again = progress_report(db, c->id, p->cursor);
  REQUIRE(again.ok());
  CHECK(again->recent.empty());
  CHECK(again->cursor == p->cursor);
  auto paged = progress_report(db, c->id, 0, 2);
  REQUIRE(paged.ok());
  REQUIRE(paged->recent.size() == 2);
  CHECK(paged->cursor == paged->recent[1].rowid);
  auto rest = progress_report(db, c->id, paged->cursor, 2);
  REQUIRE(rest.ok());
  REQUIRE(rest->recent.size() == 2);
  CHECK(rest->recent[0].door_id == doors[1]);

  // Contacts are doors with a talk, not talks: two more talks at door 0 leave them at 2 of 3 doors
  // (counting talks gave 4 of 3, a contact rate over 100%).
  for (int k = 0; k < 2; ++k) {
    Attempt a;
    a.id = new_uuid_v7(ms);
    a.campaign_id = c->id;
    a.door_id = doors[0];
    a.turf_id = ta->id;
    a.result = AttemptResult::talked;
    a.client_ms = ms++;
    REQUIRE(insert_attempt(db, a).ok());
  }
  auto more = progress_report(db, c->id, 0);
  REQUIRE(more.ok());
  CHECK(more->attempts == 6);
  CHECK(more->contacts == 2);
  CHECK(more->contacts <= more->doors_knocked);
  CHECK(more->turfs[0].contacts == 2);
}
