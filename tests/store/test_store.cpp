// Tests for shared/store and shared/campaign_store on real SQLite: statements and transactions,
// upserts by natural key, per-field last-writer-wins, idempotent append-only attempts, walk lists.
#include <doctest/doctest.h>

#include "tests/fixtures.h"

#include <cstdio>
#include <set>
#include <string>

#include "shared/store/campaign_store.h"
#include "shared/base/ids.h"
#include "shared/store/store.h"

using namespace doorstep;
using namespace doorstep::store;

namespace {

Hlc stamp(int64_t ms, const char* node = "server") { return Hlc{ms, 0, node}; }

struct World {
  Db db;
  Campaign c;
  std::string building;
  World() {
    auto d = Db::open(":memory:");
    REQUIRE(d.ok());
    db = std::move(d.value());
    auto cc = ensure_campaign(db, "Venice 2026", stamp(1000), 1000);
    REQUIRE(cc.ok());
    c = cc.value();
    Building b;
    b.campaign_id = c.id;
    b.address_key = "1319 WALGROVE AVE|90291";
    b.address = "1319 Walgrove Ave";
    auto bb = upsert_building(db, b, stamp(1000));
    REQUIRE(bb.ok());
    building = bb->id;
  }
  std::string door(const std::string& unit, bool dnc = false) {
    Door d;
    d.campaign_id = c.id;
    d.building_id = building;
    d.unit = unit;
    d.address_key = "1319 WALGROVE AVE|" + unit + "|90291";
    d.address = "1319 Walgrove Ave " + unit;
    d.lat = 34.0093326;
    d.lon = -118.4560125;
    d.geocode = GeocodeQuality::exact;
    d.do_not_contact = dnc;
    auto r = upsert_door(db, d, stamp(1000));
    REQUIRE(r.ok());
    return r->id;
  }
  std::string person(const std::string& src, const std::string& door_id, const std::string& first, bool dnc = false) {
    Person p;
    p.campaign_id = c.id;
    p.source_key = "ca:" + src;
    p.state_id = src;
    p.door_id = door_id;
    p.first_name = first;
    p.last_name = "Rivera";
    auto r = upsert_person(db, p, stamp(1000));
    REQUIRE(r.ok());
    if (dnc) REQUIRE(write_field(db, "person", r->id, "do_not_contact", int64_t{1}, stamp(1001)).ok());
    return r->id;
  }
};

Attempt make_attempt(const World& w, const std::string& door, int64_t ms) {
  Attempt a;
  a.id = new_uuid_v7(ms);
  a.campaign_id = w.c.id;
  a.door_id = door;
  a.result = AttemptResult::talked;
  a.answers_json = R"({"q1":4})";
  a.canvasser = "ana";
  a.device = "phone-1";
  a.client_ms = ms;
  a.lat = 34.00934;
  a.lon = -118.45601;
  a.accuracy_m = 8.5;
  return a;
}

}  // namespace

TEST_CASE("statements bind and read every type; errors carry stable codes") {
  auto db = Db::open(":memory:", OpenOptions{.migrate_core = false});
  REQUIRE(db.ok());
  REQUIRE(db->exec("CREATE TABLE t(i INTEGER, r REAL, s TEXT, n TEXT, u TEXT UNIQUE)").ok());
  auto ins = db->prepare("INSERT INTO t VALUES(?1, ?2, ?3, ?4, ?5)");
  REQUIRE(ins.ok());
  ins->bind_all(int64_t{-9007199254740993}, 2.5, std::string_view("héllo"), nullptr, "k");
  REQUIRE(ins->run().ok());
  auto sel = db->prepare("SELECT i, r, s, n FROM t");
  REQUIRE(sel.ok());
  REQUIRE(sel->step().value());
  CHECK(sel->int64(0) == -9007199254740993LL);
  CHECK(sel->real(1) == 2.5);
  CHECK(sel->text(2) == "héllo");
  CHECK(sel->is_null(3));
  CHECK_FALSE(sel->opt_real(3).has_value());
  CHECK_FALSE(sel->step().value());
  // Unique violation -> conflict; a syntax error -> internal (a programmer error, reported).
  ins->bind_all(int64_t{1}, 1.0, "x", nullptr, "k");
  auto dup = ins->run();
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().code == Code::conflict);
  CHECK(db->prepare("SELEC nonsense").error().code == Code::internal);
}

TEST_CASE("a transaction rolls back unless committed") {
  auto db = Db::open(":memory:", OpenOptions{.migrate_core = false});
  REQUIRE(db.ok());
  REQUIRE(db->exec("CREATE TABLE t(x)").ok());
  {
    Transaction tx(*db);
    REQUIRE(tx.status().ok());
    REQUIRE(db->exec("INSERT INTO t VALUES(1)").ok());
  }
  {
    Transaction tx(*db);
    REQUIRE(db->exec("INSERT INTO t VALUES(2)").ok());
    REQUIRE(tx.commit().ok());
  }
  auto s = db->prepare("SELECT group_concat(x) FROM t");
  REQUIRE(s->step().value());
  CHECK(s->text(0) == "2");
  CHECK_FALSE(db->in_transaction());
}

TEST_CASE("WAL is switched on when asked, for files") {
  std::string p = fixtures::temp_path("doorstep_test_wal") + ".db";
  {
    auto db = Db::open(p, OpenOptions{.wal = true});
    REQUIRE(db.ok());
    auto s = db->prepare("PRAGMA journal_mode");
    REQUIRE(s->step().value());
    CHECK(s->text(0) == "wal");
  }
  for (const char* suf : {"", "-wal", "-shm"}) std::remove((p + suf).c_str());
}

TEST_CASE("a sole connection holds its file exclusively and truncates its journal, keeping nothing in it") {
  std::string p = fixtures::temp_path("doorstep_test_sole") + ".db";
  auto pragma = [](Db& db, const char* name) {
    auto s = db.prepare(std::string("PRAGMA ") + name);
    REQUIRE(s.ok());
    REQUIRE(s->step().value());
    return s->text(0);
  };
  {
    auto db = Db::open(p, OpenOptions{.sole_connection = true});
    REQUIRE(db.ok());
    CHECK(pragma(*db, "locking_mode") == "exclusive");
    CHECK(pragma(*db, "journal_mode") == "truncate");
    REQUIRE(db->exec("CREATE TABLE t(x TEXT)").ok());
    REQUIRE(db->exec("INSERT INTO t VALUES('Maria Lopez, 1200 W 7th St')").ok());
    REQUIRE(db->exec("DELETE FROM t").ok());
    // The journal of the last transaction is cut to nothing: no old page (no name) stays in it.
    FILE* j = std::fopen((p + "-journal").c_str(), "rb");
    if (j) {
      std::fseek(j, 0, SEEK_END);
      CHECK(std::ftell(j) == 0);
      std::fclose(j);
    }
    REQUIRE(db->exec("INSERT INTO t VALUES('kept')").ok());
    // Another connection cannot write beside it (the phone never opens one).
    auto other = Db::open(p, OpenOptions{.busy_timeout_ms = 0, .migrate_core = false});
    if (other.ok()) CHECK_FALSE(other->exec("INSERT INTO t VALUES('second')").ok());
  }
  {
    auto db = Db::open(p);
    REQUIRE(db.ok());
    auto s = db->prepare("SELECT group_concat(x) FROM t");
    REQUIRE(s->step().value());
    CHECK(s->text(0) == "kept");
  }
  for (const char* suf : {"", "-journal"}) std::remove((p + suf).c_str());
}

TEST_CASE("campaigns are found by name, created once") {
  World w;
  auto again = ensure_campaign(w.db, "Venice 2026", stamp(5000), 5000);
  REQUIRE(again.ok());
  CHECK(again->id == w.c.id);
  CHECK(w.c.time_zone == "America/Los_Angeles");
  CHECK(is_uuid(w.c.id));
  CHECK(list_campaigns(w.db)->size() == 1);
  CHECK(get_campaign(w.db, "nope").error().code == Code::not_found);
}

TEST_CASE("doors and people upsert by natural key and report inserted/changed") {
  World w;
  std::string d1 = w.door("APT 1");
  CHECK(w.door("APT 1") == d1);  // same address key, same door
  Person p;
  p.campaign_id = w.c.id;
  p.source_key = "ca:123";
  p.door_id = d1;
  p.first_name = "Maria";
  p.phone = "3105550100";
  auto a = upsert_person(w.db, p, stamp(2000));
  REQUIRE(a.ok());
  CHECK(a->inserted);
  auto b = upsert_person(w.db, p, stamp(3000));
  REQUIRE(b.ok());
  CHECK(b->id == a->id);
  CHECK_FALSE(b->inserted);
  CHECK_FALSE(b->changed);
  p.phone = "3105550199";
  auto c = upsert_person(w.db, p, stamp(4000));
  CHECK(c->changed);
  CHECK(get_person(w.db, a->id)->phone == "3105550199");
}

TEST_CASE("per-field last writer wins: a newer phone edit survives an older import") {
  World w;
  std::string d = w.door("");
  std::string id = w.person("77", d, "Lena");
  // Canvasser corrects the language at 5000 on a phone.
  auto ok = write_field(w.db, "person", id, "language", std::string("es"), stamp(5000, "phone-a"));
  REQUIRE(ok.ok());
  CHECK(ok.value());
  // A delayed write stamped earlier loses, field by field.
  auto late = write_field(w.db, "person", id, "language", std::string("en"), stamp(4000, "phone-b"));
  REQUIRE(late.ok());
  CHECK_FALSE(late.value());
  // Same wall time: the node name breaks the tie deterministically.
  CHECK(write_field(w.db, "person", id, "language", std::string("hy"), stamp(5000, "phone-b")).value());
  CHECK(get_person(w.db, id)->language == "hy");
  CHECK(field_hlc(w.db, "person", id, "language").value() == stamp(5000, "phone-b").to_string());
  // Other fields were not touched by those writes.
  CHECK(get_person(w.db, id)->first_name == "Lena");
  // Unknown fields and rows are refused with clear codes.
  CHECK(write_field(w.db, "person", id, "source_key", std::string("x"), stamp(9000)).error().code ==
        Code::invalid_argument);
  CHECK(write_field(w.db, "person; DROP TABLE person", id, "phone", std::string("x"), stamp(9000)).error().code ==
        Code::invalid_argument);
  CHECK(write_field(w.db, "person", "missing", "phone", std::string("x"), stamp(9000)).error().code ==
        Code::not_found);
}

TEST_CASE("attempts are append-only and idempotent by id") {
  World w;
  std::string d = w.door("");
  Attempt a = make_attempt(w, d, 1700000000000);
  CHECK(insert_attempt(w.db, a).value() == InsertOutcome::inserted);
  Attempt retry = a;
  retry.server_ms = 1700000009999;  // the server stamps a retry later: still the same attempt
  CHECK(insert_attempt(w.db, retry).value() == InsertOutcome::duplicate);
  Attempt forged = a;
  forged.result = AttemptResult::refused;
  CHECK(insert_attempt(w.db, forged).error().code == Code::conflict);
  Attempt second = make_attempt(w, d, 1700000060000);
  second.result = AttemptResult::not_home;
  REQUIRE(insert_attempt(w.db, second).ok());
  auto list = attempts_for_door(w.db, d);
  REQUIRE(list.ok());
  REQUIRE(list->size() == 2);
  CHECK(list->at(0).result == AttemptResult::talked);
  CHECK(list->at(0).answers_json == R"({"q1":4})");
  CHECK(list->at(0).accuracy_m.value() == doctest::Approx(8.5));
  CHECK(list->at(1).result == AttemptResult::not_home);
  // The table itself refuses updates, whoever tries.
  auto upd = w.db.exec("UPDATE attempt SET result='refused'");
  REQUIRE_FALSE(upd.ok());
  CHECK(attempts_for_door(w.db, d)->at(0).result == AttemptResult::talked);
  Attempt bad = make_attempt(w, d, 1);
  bad.id = "not-a-uuid";
  CHECK(insert_attempt(w.db, bad).error().code == Code::invalid_argument);
}

TEST_CASE("walk list follows position and never shows do-not-contact people or doors") {
  World w;
  std::string d1 = w.door("APT 1"), d2 = w.door("APT 2"), d3 = w.door("APT 3", /*dnc=*/true);
  std::string ok1 = w.person("1", d1, "Ana");
  w.person("2", d1, "Bo", /*dnc=*/true);
  std::string ok2 = w.person("3", d2, "Cy");
  w.person("4", d3, "Di");
  Turf t;
  t.campaign_id = w.c.id;
  t.name = "Walgrove north";
  auto tu = upsert_turf(w.db, t, stamp(1000));
  REQUIRE(tu.ok());
  REQUIRE(set_turf_doors(w.db, tu->id, {d2, d3, d1}, stamp(2000)).ok());
  auto list = turf_walk_list(w.db, tu->id);
  REQUIRE(list.ok());
  REQUIRE(list->size() == 2);
  CHECK(list->at(0).door.id == d2);
  CHECK(list->at(1).door.id == d1);
  REQUIRE(list->at(1).people.size() == 1);
  CHECK(list->at(1).people[0].id == ok1);
  CHECK(list->at(0).people.at(0).id == ok2);
  // Re-cutting the turf drops a door with a tombstone and keeps the order of the rest.
  REQUIRE(set_turf_doors(w.db, tu->id, {d1}, stamp(3000)).ok());
  list = turf_walk_list(w.db, tu->id);
  REQUIRE(list->size() == 1);
  CHECK(list->at(0).door.id == d1);
  auto td = w.db.prepare("SELECT count(*) FROM turf_door WHERE turf_id=?1");
  td->bind(1, tu->id);
  REQUIRE(td->step().value());
  CHECK(td->int64(0) == 3);  // tombstones, not deletes
}

TEST_CASE("survey questions, script and sign-ups round-trip with labels and consents") {
  World w;
  SurveyQuestion q;
  q.id = new_uuid_v7(1000);
  q.campaign_id = w.c.id;
  q.kind = QuestionKind::single_choice;
  q.choices = {"yes", "no", "undecided"};
  q.van_name = "Measure A";
  q.labels = {{"en", "Support Measure A?", {"Yes", "No", "Undecided"}},
              {"es", "¿Apoya la Medida A?", {"Sí", "No", "Indeciso"}}};
  REQUIRE(upsert_question(w.db, q, stamp(1000)).ok());
  auto qs = list_questions(w.db, w.c.id);
  REQUIRE(qs->size() == 1);
  CHECK(qs->at(0).choices.size() == 3);
  REQUIRE(qs->at(0).labels.size() == 2);
  CHECK(qs->at(0).labels[1].choice_labels[0] == "Sí");

  ScriptSection s;
  s.id = new_uuid_v7(1000);
  s.campaign_id = w.c.id;
  s.language = "ko";
  s.title = "인사";
  s.body = "안녕하세요";
  REQUIRE(upsert_script_section(w.db, s, stamp(1000)).ok());
  s.body = "older edit";
  REQUIRE(upsert_script_section(w.db, s, stamp(500)).ok());
  auto sc = list_script(w.db, w.c.id, "ko");
  REQUIRE(sc->size() == 1);
  CHECK(sc->at(0).body == "안녕하세요");

  Signup su;
  su.id = new_uuid_v7(1000);
  su.campaign_id = w.c.id;
  su.name = "Ana";
  su.email = "ana@example.org";
  su.consents = {{ConsentPurpose::email_me, true}, {ConsentPurpose::call_me, false}};
  REQUIRE(upsert_signup(w.db, su, stamp(1000)).ok());
  su.consents = {{ConsentPurpose::email_me, false}};  // withdrawn later
  REQUIRE(upsert_signup(w.db, su, stamp(2000)).ok());
  auto ss = list_signups(w.db, w.c.id);
  REQUIRE(ss->size() == 1);
  REQUIRE(ss->at(0).consents.size() == 2);
  CHECK(ss->at(0).consents[0].purpose == ConsentPurpose::call_me);
  CHECK_FALSE(ss->at(0).consents[1].granted);
}

TEST_CASE("turf queries: campaign of a live turf, live door count, membership, doors in live turfs") {
  World w;
  std::string d1 = w.door("APT 1"), d2 = w.door("APT 2"), d3 = w.door("APT 3");
  Turf t;
  t.campaign_id = w.c.id;
  t.name = "North";
  auto north = upsert_turf(w.db, t, stamp(1000));
  REQUIRE(north.ok());
  t.name = "Gone";
  auto gone = upsert_turf(w.db, t, stamp(1000));
  REQUIRE(gone.ok());
  REQUIRE(set_turf_doors(w.db, north->id, {d1, d2}, stamp(2000)).ok());
  REQUIRE(set_turf_doors(w.db, gone->id, {d3}, stamp(2000)).ok());
  REQUIRE(write_field(w.db, "turf", gone->id, "deleted", int64_t{1}, stamp(2500)).ok());

  CHECK(turf_campaign_id(w.db, north->id).value() == w.c.id);
  CHECK(turf_campaign_id(w.db, gone->id).error().code == Code::not_found);
  CHECK(turf_campaign_id(w.db, "no-such-turf").error().code == Code::not_found);
  CHECK(count_turf_doors(w.db, north->id).value() == 2);

  auto live = doors_in_live_turfs(w.db, w.c.id);
  REQUIRE(live.ok());
  CHECK(*live == std::set<std::string>{d1, d2});  // d3's turf is deleted

  // d2 leaves the turf: it was a member, its records still count as the turf's.
  REQUIRE(set_turf_doors(w.db, north->id, {d1}, stamp(3000)).ok());
  CHECK(count_turf_doors(w.db, north->id).value() == 1);
  CHECK(turf_membership(w.db, north->id, d1).value() == TurfMembership::member);
  CHECK(turf_membership(w.db, north->id, d2).value() == TurfMembership::left);
  CHECK(turf_membership(w.db, north->id, d3).value() == TurfMembership::never);
  CHECK(doors_in_live_turfs(w.db, w.c.id).value() == std::set<std::string>{d1});
}
