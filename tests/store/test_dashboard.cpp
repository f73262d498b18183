// Tests for shared/store/dashboard on real SQLite: per (link, name) rows with contacts counted as
// doors (never attempts), the roster, support 1-5 by each door's latest answer, the three quality
// flags with their records, unsafe doors, and the results map's latest result per door.
#include <doctest/doctest.h>

#include <string>

#include "shared/base/ids.h"
#include "shared/store/campaign_store.h"
#include "shared/store/dashboard.h"

using namespace doorstep;
using namespace doorstep::store;

namespace {

Hlc stamp(int64_t ms) { return Hlc{ms, 0, "server"}; }

struct Field {
  Db db;
  Campaign c;
  std::string building, turf;
  std::vector<std::string> doors;
  Field(int n) {
    db = std::move(Db::open(":memory:").value());
    c = ensure_campaign(db, "Dash", stamp(1000), 1000).value();
    Building b;
    b.campaign_id = c.id;
    b.address_key = "1 MAIN ST|90291";
    b.address = "1 Main St";
    building = upsert_building(db, b, stamp(1000))->id;
    for (int i = 0; i < n; ++i) {
      Door d;
      d.campaign_id = c.id;
      d.building_id = building;
      d.unit = std::to_string(i + 1);
      d.address_key = "1 MAIN ST|" + d.unit + "|90291";
      d.address = "1 Main St #" + d.unit;  // the display form carries the unit
      d.lat = 34.0 + i * 1e-4;
      d.lon = -118.45;
      d.geocode = GeocodeQuality::exact;
      doors.push_back(upsert_door(db, d, stamp(1000))->id);
    }
    Turf t;
    t.campaign_id = c.id;
    t.name = "North";
    turf = upsert_turf(db, t, stamp(1000))->id;
    REQUIRE(set_turf_doors(db, turf, doors, stamp(1000)).ok());
  }
  std::string knock(int door, AttemptResult result, int64_t ms, const std::string& name, const std::string& client,
                    std::optional<double> distance = 5, const char* answers = "{}") {
    Attempt a;
    a.id = new_uuid_v7(ms);
    a.campaign_id = c.id;
    a.door_id = doors[door];
    a.turf_id = turf;
    a.result = result;
    a.answers_json = answers;
    a.canvasser = name;
    a.device = client;
    a.client_ms = ms;
    a.server_ms = ms + 1000;
    a.distance_m = distance;
    REQUIRE(insert_attempt(db, a).ok());
    return a.id;
  }
  // An undo or a correction as the sync mirror stores it (core table attempt_edit).
  void edit(const std::string& attempt, const char* kind, const char* result, const char* answers, int64_t ms) {
    auto s = db.prepare(
        "INSERT INTO attempt_edit(id, attempt_id, campaign_id, kind, result, answers, hlc) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    REQUIRE(s.ok());
    s->bind_all(new_uuid_v7(ms), attempt, c.id, kind);
    if (result) s->bind(5, result);
    else s->bind(5, nullptr);
    if (answers) s->bind(6, answers);
    else s->bind(6, nullptr);
    s->bind(7, stamp(ms).to_string());
    REQUIRE(s->run().ok());
  }
};

}  // namespace

TEST_CASE("contacts are doors with a talked attempt, per link and name; the rate never exceeds 100%") {
  Field f(4);
  const int64_t t0 = 1767225600000;
  // Sam talks at door 0 three times (a follow-up visit counts once), and not home at door 1.
  f.knock(0, AttemptResult::talked, t0, "Sam", "phone-a");
  f.knock(0, AttemptResult::talked, t0 + 600000, "Sam", "phone-a");
  f.knock(0, AttemptResult::talked, t0 + 1200000, "Sam", "phone-a");
  f.knock(1, AttemptResult::not_home, t0 + 1800000, "Sam", "phone-a");
  // Lee on the same link, another phone; a paper record with no link.
  f.knock(2, AttemptResult::refused, t0 + 60000, "Lee", "phone-b");
  f.knock(3, AttemptResult::talked, t0 + 70000, "", "");
  std::vector<CrewLink> links{{"link-1", "Team A", f.turf, t0 - 1000, t0 - 500}};
  auto d = dashboard(f.db, f.c.id, links, {{"phone-a", "link-1"}, {"phone-b", "link-1"}});
  REQUIRE(d.ok());
  REQUIRE(d->canvassers.size() == 3);
  const CanvasserRow& paper = d->canvassers[0];  // label "" sorts first
  CHECK(paper.link_id == "");
  CHECK(paper.contacts == 1);
  const CanvasserRow& lee = d->canvassers[1];
  CHECK(lee.name == "Lee");
  CHECK(lee.label == "Team A");
  CHECK(lee.doors_knocked == 1);
  CHECK(lee.contacts == 0);
  const CanvasserRow& sam = d->canvassers[2];
  CHECK(sam.name == "Sam");
  CHECK(sam.turf_id == f.turf);
  CHECK(sam.attempts == 4);
  CHECK(sam.doors_knocked == 2);
  CHECK(sam.contacts == 1);
  CHECK(sam.last_attempt_at == t0 + 1800000);
  REQUIRE(d->roster.size() == 1);
  CHECK(d->roster[0].opened_at == t0 - 1000);
  CHECK(d->roster[0].downloaded_at == t0 - 500);
  CHECK(d->roster[0].last_record_at == t0 + 1800000 + 1000);
  CHECK(d->roster[0].doors == 4);
  CHECK(d->roster[0].doors_knocked == 4);
  CHECK(d->roster[0].finished);
  CHECK(d->flags.empty());
}

TEST_CASE("quality flags: far from the door, too fast between doors, a contact rate too good to be true") {
  Field f(16);
  const int64_t t0 = 1767225600000;
  // Fast: doors 0 and 1 ten seconds apart; far: door 2 recorded 450 m away. The rest at a walk.
  f.knock(0, AttemptResult::talked, t0, "Ann", "p1");
  f.knock(1, AttemptResult::talked, t0 + 10000, "Ann", "p1");
  f.knock(2, AttemptResult::talked, t0 + 100000, "Ann", "p1", 450.0);
  for (int i = 3; i < 16; ++i) f.knock(i, AttemptResult::talked, t0 + 100000 + i * 90000, "Ann", "p1");
  auto d = dashboard(f.db, f.c.id, {{"l1", "Ann's link", f.turf, 0, 0}}, {{"p1", "l1"}});
  REQUIRE(d.ok());
  REQUIRE(d->flags.size() == 3);
  CHECK(d->flags[0].kind == "far");
  REQUIRE(d->flags[0].records.size() == 1);
  CHECK(d->flags[0].records[0].door_id == f.doors[2]);
  CHECK(d->flags[0].records[0].distance_m.value() == doctest::Approx(450));
  CHECK(d->flags[0].records[0].address == "1 Main St #3");
  CHECK(d->flags[1].kind == "fast");
  REQUIRE(d->flags[1].records.size() == 2);
  CHECK(d->flags[1].records[1].door_id == f.doors[1]);
  CHECK(d->flags[2].kind == "contact_rate");
  CHECK(d->flags[2].message == "contact rate 100% over 16 doors");
  CHECK(d->flags[2].label == "Ann's link");
  // 14 doors would not be enough for the contact-rate flag.
  Field g(14);
  for (int i = 0; i < 14; ++i) g.knock(i, AttemptResult::talked, t0 + i * 90000, "Bo", "p2");
  CHECK(dashboard(g.db, g.c.id, {}, {})->flags.empty());
}

TEST_CASE("support counts each door's latest 1-5 answer; unsafe doors and latest results are listed") {
  Field f(3);
  SurveyQuestion q;
  q.id = "q_support";
  q.campaign_id = f.c.id;
  q.kind = QuestionKind::scale_1_5;
  q.choices = {"1", "2", "3", "4", "5"};
  REQUIRE(upsert_question(f.db, q, stamp(1000)).ok());
  const int64_t t0 = 1767225600000;
  f.knock(0, AttemptResult::talked, t0, "A", "p", 5, R"({"q_support":3})");
  f.knock(0, AttemptResult::talked, t0 + 900000, "A", "p", 5, R"({"q_support":1})");  // changed their mind
  f.knock(1, AttemptResult::talked, t0 + 60000, "A", "p", 5, R"({"q_support":"1"})");
  f.knock(2, AttemptResult::talked, t0 + 120000, "A", "p", 5, R"({"q_support":9})");  // out of range: no answer
  auto d = dashboard(f.db, f.c.id, {}, {});
  REQUIRE(d.ok());
  CHECK(d->support[0] == 2);
  CHECK(d->support[2] == 0);
  CHECK(d->unsafe.empty());
  REQUIRE(write_field(f.db, "door", f.doors[1], "safety", std::string("dog"), stamp(2000)).ok());
  d = dashboard(f.db, f.c.id, {}, {});
  REQUIRE(d->unsafe.size() == 1);
  CHECK(d->unsafe[0].safety == "dog");
  CHECK(d->unsafe[0].turf_id == f.turf);
  CHECK(d->unsafe[0].address == "1 Main St #2");

  f.knock(1, AttemptResult::refused, t0 + 990000, "A", "p");
  auto r = door_results(f.db, f.c.id);
  REQUIRE(r.ok());
  REQUIRE(r->size() == 3);
  for (const auto& x : *r) {
    if (x.door_id == f.doors[1]) CHECK(x.result == "refused");
    else CHECK(x.result == "talked");
    CHECK(x.lat > 33.9);
  }
}

TEST_CASE("an undone attempt counts for nothing and a corrected one counts as corrected") {
  Field f(2);
  SurveyQuestion q;
  q.id = "q_support";
  q.campaign_id = f.c.id;
  q.kind = QuestionKind::scale_1_5;
  q.choices = {"1", "2", "3", "4", "5"};
  REQUIRE(upsert_question(f.db, q, stamp(1000)).ok());
  const int64_t t0 = 1767225600000;
  std::string first = f.knock(0, AttemptResult::not_home, t0, "Sam", "phone-a");
  std::string mistap = f.knock(0, AttemptResult::talked, t0 + 60000, "Sam", "phone-a", 5, R"({"q_support":5})");
  std::string other = f.knock(1, AttemptResult::not_home, t0 + 120000, "Sam", "phone-a");
  f.edit(mistap, "void", nullptr, nullptr, t0 + 70000);
  f.edit(other, "amend", "talked", R"({"q_support":2})", t0 + 130000);
  auto d = dashboard(f.db, f.c.id, {}, {});
  REQUIRE(d.ok());
  REQUIRE(d->canvassers.size() == 1);
  CHECK(d->canvassers[0].attempts == 2);  // the undone one is gone
  CHECK(d->canvassers[0].contacts == 1);  // door 1, by its correction; door 0's talk was undone
  CHECK(d->support[1] == 1);              // the corrected answer, not the undone 5
  CHECK(d->support[4] == 0);
  auto r = door_results(f.db, f.c.id);
  REQUIRE(r.ok());
  REQUIRE(r->size() == 2);
  for (const auto& x : *r) CHECK(x.result == (x.door_id == f.doors[0] ? "not_home" : "talked"));
  (void)first;
}
