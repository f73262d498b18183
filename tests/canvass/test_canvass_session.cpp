// Tests for shared/canvass_session: the phone's side of a link against the real server-side apply
// (shared/sync_server) on real SQLite. Offline records, acknowledgement, a lost local checkpoint
// replayed from the browser's outbox without duplicates, other canvassers' statuses, and a refreshed package.
#include <doctest/doctest.h>

#include <filesystem>

#include "shared/canvass/canvass_session.h"
#include "shared/sync/sync_server.h"
#include "tests/fixtures.h"

using namespace doorstep;

namespace {

constexpr int64_t kNow = 1767225600000;
const char* kTurf = "0192f0c4-7a11-7d00-8a00-000000000001";
const char* kDoor1 = "0192f0c4-7b00-7000-8000-000000000101";
const char* kDoor2 = "0192f0c4-7b00-7000-8000-000000000102";

std::string package_json() {
  return std::string(R"({"api":1,"campaign":{"id":"c1","name":"Venice","languages":["en","es"]},)") +
         R"("turf":{"id":")" + kTurf + R"(","name":"Walgrove"},)" +
         R"("doors":[{"id":")" + kDoor2 + R"(","lat":33.9995,"lon":-118.439,"address":"2305 Walgrove Ave","order":2,"status":"not_visited"},)" +
         R"({"id":")" + kDoor1 + R"(","lat":33.9993,"lon":-118.4391,"address":"2301 Walgrove Ave","order":1,"status":"not_visited"}],)" +
         R"("people":[{"id":"p1","door_id":")" + kDoor1 + R"(","first_name":"Ana","last_name":"Ramirez","language":"es"}],)" +
         R"("script":{"en":[{"id":"s1","title":"Hi","text":"Hello"},{"id":"s2","title":"Ask","text":"?","branch":{"question":"q1","answer":"1"}}]},)" +
         R"("survey":[{"id":"q1","kind":"scale_1_5","labels":{"en":"Support"},"choices":[{"id":"1","labels":{"en":"1"}}]}],"cursor":""})";
}

store::Db server_db() {
  auto db = store::Db::open(":memory:");
  REQUIRE(db.ok());
  REQUIRE(sync::migrate(*db).ok());
  REQUIRE(db->exec(std::string("INSERT INTO campaign(id, name) VALUES('c1', 'Venice');"
                               "INSERT INTO building(id, campaign_id, address_key) VALUES('b1', 'c1', 'k');"
                               "INSERT INTO door(id, campaign_id, building_id, address_key) VALUES('") +
                   kDoor1 + "', 'c1', 'b1', 'k1');INSERT INTO door(id, campaign_id, building_id, address_key) VALUES('" + kDoor2 +
                   "', 'c1', 'b1', 'k2');")
              .ok());
  return std::move(*db);
}

std::unique_ptr<canvass::Session> phone() {
  auto db = store::Db::open(":memory:");
  REQUIRE(db.ok());
  auto s = canvass::Session::open(std::move(*db), kNow);
  REQUIRE(s.ok());
  REQUIRE((*s)->set_token(std::string(32, 'a'), kNow).ok());
  REQUIRE((*s)->set_package(package_json()).ok());
  return std::move(*s);
}

// A phone whose database is a file, opened as it is at each start (a restart: open it again).
std::unique_ptr<canvass::Session> phone_on_file(const std::string& path) {
  auto db = store::Db::open(path);
  REQUIRE(db.ok());
  auto s = canvass::Session::open(std::move(*db), kNow);
  REQUIRE(s.ok());
  return std::move(*s);
}

// One push round trip through the server's own decode and apply, as the endpoint does it.
void sync_once(canvass::Session& s, store::Db& server, int64_t now) {
  std::string body = s.push_body(now);
  REQUIRE_FALSE(body.empty());
  auto req = sync::parse_push_request(body);
  REQUIRE(req.ok());
  sync::PushContext ctx;
  ctx.turf_id = kTurf;
  ctx.server_now_ms = now;
  auto resp = sync::apply_push(server, *req, ctx);
  REQUIRE(resp.ok());
  s.on_push_reply(200, json::dump(sync::encode(*resp)), now);
}

int64_t server_records(store::Db& db) {
  auto r = sync::read_records(db);
  REQUIRE(r.ok());
  return static_cast<int64_t>(r->size());
}

}  // namespace

TEST_CASE("the package parses into doors in walk order with their people, script branches and survey") {
  auto p = canvass::parse_package(package_json());
  REQUIRE(p.ok());
  REQUIRE(p->doors.size() == 2);
  CHECK(p->doors[0].id == kDoor1);  // order 1 first, whatever the array order
  CHECK(p->doors[0].people.size() == 1);
  CHECK(p->people[0].first_name == "Ana");
  CHECK(p->script["en"][1].branch_question == "q1");
  CHECK(p->survey[0].kind == "scale_1_5");
  CHECK_FALSE(canvass::parse_package(R"({"campaign":{},"turf":{}})").ok());
  CHECK_FALSE(canvass::parse_package("not json").ok());
}

TEST_CASE("a record made offline waits, then reaches the server once and is marked sent") {
  auto s = phone();
  auto server = server_db();
  canvass::AttemptInput in;
  in.door = 0;
  in.result = "not_home";
  auto m = s->record(in, kNow);
  REQUIRE(m.ok());
  CHECK(s->pending() == 1);
  CHECK(s->unsaved() == 1);
  s->mark_saved(m->id, true);
  CHECK(s->unsaved() == 0);
  CHECK(s->door_status(0) == canvass::status_index("not_home"));

  // Offline: the push fails and is retried later, nothing is lost.
  std::string body = s->push_body(kNow);
  REQUIRE_FALSE(body.empty());
  auto out = s->on_push_reply(0, "", kNow);
  CHECK_FALSE(out.acked);
  CHECK(s->pending() == 1);
  CHECK(s->next_push_ms() > kNow);

  sync_once(*s, server, s->next_push_ms());
  CHECK(s->pending() == 0);
  CHECK(server_records(server) == 1);
  auto hist = s->attempts_at(0);
  REQUIRE(hist.size() == 1);
  CHECK(hist[0]->acked);
  CHECK(s->push_body(kNow + 60000).empty());
}

TEST_CASE("a lost local checkpoint is replayed from the browser outbox without duplicates on the server") {
  auto s = phone();
  auto server = server_db();
  canvass::AttemptInput in;
  in.door = 1;
  in.result = "talked";
  in.answers["q1"] = json::Value("1");
  auto m = s->record(in, kNow);
  REQUIRE(m.ok());
  // The browser outbox entry, as wasm/app.cpp writes it.
  json::Value entry = json::Value::object();
  entry.set("client_id", s->client_id());
  entry.set("token", s->token());
  entry.set("mutation", m->to_json());
  std::string outbox = "[" + json::dump(entry) + "]";
  sync_once(*s, server, kNow + 1000);  // the server has it
  REQUIRE(server_records(server) == 1);

  // The phone's SQLite comes back without that record (its checkpoint never reached the disk).
  auto fresh = phone();
  auto restored = fresh->replay_outbox(outbox, kNow + 2000);
  REQUIRE(restored.ok());
  CHECK(*restored == 1);
  CHECK(fresh->pending() == 1);
  CHECK(fresh->door_status(1) == canvass::status_index("talked"));
  CHECK(*fresh->replay_outbox(outbox, kNow + 2000) == 0);  // twice: still one
  sync_once(*fresh, server, kNow + 3000);
  CHECK(fresh->pending() == 0);
  CHECK(server_records(server) == 1);  // the server recognised the mutation id
}

TEST_CASE("another canvasser's status arrives by pull and the newer record wins") {
  auto a = phone();
  auto b = phone();
  auto server = server_db();
  canvass::AttemptInput in;
  in.door = 0;
  in.result = "refused";
  REQUIRE(a->record(in, kNow).ok());
  sync_once(*a, server, kNow + 10);
  auto pulled = sync::pull_changes(server, kTurf, "", 100);
  REQUIRE(pulled.ok());
  b->pull_body();
  auto more = b->on_pull_reply(200, json::dump(sync::encode(*pulled)), kNow + 20);
  REQUIRE(more.ok());
  CHECK(b->door_status(0) == canvass::status_index("refused"));
  CHECK(b->door_status(1) == 0);
  // b knocks later: its own newer record wins on its screen.
  in.result = "talked";
  REQUIRE(b->record(in, kNow + 60000).ok());
  CHECK(b->door_status(0) == canvass::status_index("talked"));
  CHECK(b->doors_done() == 1);
}

TEST_CASE("bad input: unknown door, no package, a refused push keeps the records") {
  auto db = store::Db::open(":memory:");
  REQUIRE(db.ok());
  auto s = canvass::Session::open(std::move(*db), kNow);
  REQUIRE(s.ok());
  canvass::AttemptInput in;
  in.door = 0;
  in.result = "talked";
  CHECK((*s)->record(in, kNow).error().code == Code::invalid_argument);  // no turf yet
  auto p = phone();
  in.door = 7;
  CHECK_FALSE(p->record(in, kNow).ok());
  in.door = 0;
  in.result = "maybe";
  CHECK_FALSE(p->record(in, kNow).ok());  // not a result
  in.result = "moved";
  REQUIRE(p->record(in, kNow).ok());
  p->push_body(kNow);
  p->on_push_reply(400, R"({"code":"invalid_argument","message":"nope"})", kNow);
  CHECK(p->pending() == 1);  // kept, retried after a backoff
}

TEST_CASE("come back later moves the door to where revisiting costs least, and next_door follows it") {
  auto s = phone();
  REQUIRE(s->visit_order() == std::vector<int>{0, 1});
  CHECK(s->next_door(-1) == 0);
  canvass::AttemptInput in;
  in.door = 0;
  in.result = "come_back";
  REQUIRE(s->record(in, kNow).ok());
  CHECK(s->visit_order() == std::vector<int>{1, 0});  // after the other door
  CHECK(s->next_door(0) == -1);                      // nothing after it in the new order...
  CHECK(s->next_door(1) == 0);                       // ...it comes after door 1
  in.door = 1;
  in.result = "not_home";
  REQUIRE(s->record(in, kNow + 1000).ok());
  CHECK(s->next_door(1) == 0);  // the come-back door is still to do
}

TEST_CASE("a sign-up travels with its consents and is not counted as a visit") {
  auto s = phone();
  auto server = server_db();
  canvass::SignupInput su;
  su.door = 0;
  CHECK(s->record_signup(su, kNow).error().code == Code::invalid_argument);  // nothing filled in
  su.name = "Ana Ramirez";
  su.phone = "310-555-0100";
  su.volunteer = true;
  auto m = s->record_signup(su, kNow);
  REQUIRE(m.ok());
  CHECK(m->kind == sync::Kind::signup_add);
  CHECK(m->payload.find("consents")->find("volunteer")->as_bool());
  CHECK_FALSE(m->payload.find("consents")->find("call_me")->as_bool());
  CHECK(s->door_status(0) == 0);  // a sign-up alone is not a knock
  CHECK(s->attempts_at(0).empty());
  sync_once(*s, server, kNow + 10);
  CHECK(s->pending() == 0);
  auto recs = sync::read_records(server);
  REQUIRE(recs.ok());
  REQUIRE(recs->size() == 1);
  CHECK((*recs)[0].kind == "signup.add");
}

TEST_CASE("text_me is a consent of its own; leaving a door unsafe marks it and reaches the server") {
  auto s = phone();
  auto server = server_db();
  canvass::SignupInput su;
  su.door = 0;
  su.text_me = true;
  CHECK_FALSE(su.empty());
  auto m = s->record_signup(su, kNow);
  REQUIRE(m.ok());
  CHECK(m->payload.find("consents")->find("text_me")->as_bool());
  CHECK_FALSE(s->mark_unsafe(0, "", kNow).ok());
  CHECK_FALSE(s->mark_unsafe(99, "left", kNow).ok());
  auto u = s->mark_unsafe(1, "Canvasser left: felt unsafe", kNow + 1);
  REQUIRE(u.ok());
  CHECK(u->kind == sync::Kind::door_set);
  CHECK(s->package().doors[1].safety == "Canvasser left: felt unsafe");
  CHECK(s->package().doors[1].flags == std::vector<std::string>{"safety"});
  sync_once(*s, server, kNow + 10);
  CHECK(s->pending() == 0);
  auto recs = sync::read_records(server);
  REQUIRE(recs.ok());
  CHECK(recs->size() == 1);  // the sign-up; the door's safety is a field, not a record
  auto q = server.prepare("SELECT safety FROM door WHERE id=?1");
  REQUIRE(q.ok());
  q->bind(1, s->package().doors[1].id);
  auto row = q->step();
  REQUIRE(row.ok());
  REQUIRE(*row);
  CHECK(q->text(0) == "Canvasser left: felt unsafe");  // the organizer's door list shows it
}

TEST_CASE("a resident added at the door shows there, survives a package refresh, and reaches the server") {
  auto s = phone();
  auto server = server_db();
  CHECK_FALSE(s->add_person(0, "", "", "", kNow).ok());  // a name is required
  auto m = s->add_person(1, "Luz", "Ortega", "es", kNow);
  REQUIRE(m.ok());
  CHECK(m->kind == sync::Kind::person_add);
  const auto& door = s->package().doors[1];
  REQUIRE(door.people.size() == 1);
  CHECK(s->package().people[door.people[0]].first_name == "Luz");
  // The talk names the new person.
  canvass::AttemptInput in;
  in.door = 1;
  in.result = "talked";
  in.person_id = m->payload.find("person")->as_string();
  REQUIRE(s->record(in, kNow + 1).ok());
  REQUIRE(s->set_package(package_json()).ok());  // a refreshed package: the local resident stays
  CHECK(s->package().doors[1].people.size() == 1);
  sync_once(*s, server, kNow + 10);
  CHECK(s->pending() == 0);
}

TEST_CASE("a record carries the survey version of the package it was made with") {
  for (int64_t version : {0, 3}) {
    auto db = store::Db::open(":memory:");
    REQUIRE(db.ok());
    auto s = canvass::Session::open(std::move(*db), kNow);
    REQUIRE(s.ok());
    std::string pkg = package_json();
    if (version) pkg.insert(pkg.find("\"api\":1,") + 8, "\"survey_version\":" + std::to_string(version) + ",");
    REQUIRE((*s)->set_package(pkg).ok());
    canvass::AttemptInput in;
    in.door = 0;
    in.result = "talked";
    auto m = (*s)->record(in, kNow);
    REQUIRE(m.ok());
    const json::Value* v = m->payload.find("survey_version");
    REQUIRE(v);
    CHECK(v->as_int() == version);
  }
}

TEST_CASE("undo: a voided record stays listed and flagged, counts for nothing, and survives a restart") {
  std::string path = fixtures::temp_path("doorstep_void") + ".db";
  std::string first, second;
  {
    auto db = store::Db::open(path);
    REQUIRE(db.ok());
    auto s = canvass::Session::open(std::move(*db), kNow);
    REQUIRE(s.ok());
    REQUIRE((*s)->set_token(std::string(32, 'a'), kNow).ok());
    REQUIRE((*s)->set_package(package_json()).ok());
    canvass::AttemptInput in;
    in.door = 0;
    in.result = "talked";
    auto a = (*s)->record(in, kNow);
    REQUIRE(a.ok());
    in.door = 1;
    in.result = "refused";
    auto b = (*s)->record(in, kNow + 1000);
    REQUIRE(b.ok());
    first = a->id;
    second = b->id;
    auto v = (*s)->void_attempt(second, kNow + 5000);
    REQUIRE(v.ok());
    CHECK(v->kind == sync::Kind::attempt_void);
    CHECK(v->payload.find("attempt")->as_string() == second);
    CHECK((*s)->pending() == 3);  // both records and the undo wait to be sent, in that order
    CHECK((*s)->door_status(1) == 0);
    CHECK((*s)->door_status(0) == canvass::status_index("talked"));
    CHECK((*s)->doors_done() == 1);
    CHECK((*s)->attempts_at(1).empty());
    CHECK((*s)->void_attempt(second, kNow + 6000).error().code == Code::conflict);  // once is enough
    CHECK((*s)->pending() == 3);
  }
  // Reopened from the same file: the undo is still there, the flag too.
  auto db = store::Db::open(path);
  REQUIRE(db.ok());
  auto s = canvass::Session::open(std::move(*db), kNow + 10000);
  REQUIRE(s.ok());
  CHECK((*s)->pending() == 3);
  CHECK((*s)->door_status(1) == 0);
  auto mine = (*s)->my_attempts();
  REQUIRE(mine.size() == 2);
  CHECK(mine[0]->id == second);  // newest first
  CHECK(mine[0]->voided);
  CHECK(mine[0]->door == 1);
  CHECK(mine[1]->id == first);
  CHECK_FALSE(mine[1]->voided);
  CHECK((*s)->unsaved() == 3);
  (*s)->mark_saved((*s)->outbox().back().id, true);
  CHECK((*s)->unsaved() == 2);
  std::filesystem::remove(path);
}

TEST_CASE("a voided come back later gives the door its place back; an amended one moves it") {
  auto s = phone();
  canvass::AttemptInput in;
  in.door = 0;
  in.result = "come_back";
  auto m = s->record(in, kNow);
  REQUIRE(m.ok());
  REQUIRE(s->visit_order() == std::vector<int>{1, 0});
  REQUIRE(s->void_attempt(m->id, kNow + 2000).ok());
  CHECK(s->visit_order() == std::vector<int>{0, 1});
  CHECK(s->door_status(0) == 0);
  CHECK(s->next_door(-1) == 0);

  in.result = "not_home";
  auto n = s->record(in, kNow + 3000);
  REQUIRE(n.ok());
  CHECK(s->visit_order() == std::vector<int>{0, 1});
  canvass::AmendInput fix;
  fix.attempt_id = n->id;
  fix.result = "come_back";
  REQUIRE(s->amend_attempt(fix, kNow + 4000).ok());
  CHECK(s->visit_order() == std::vector<int>{1, 0});
  CHECK(s->door_status(0) == canvass::status_index("come_back"));
  fix.result = "talked";
  REQUIRE(s->amend_attempt(fix, kNow + 5000).ok());
  CHECK(s->visit_order() == std::vector<int>{0, 1});
  CHECK(s->door_status(0) == canvass::status_index("talked"));
}

TEST_CASE("a correction changes only the fields it names, shows at once and after a restart") {
  std::string path = fixtures::temp_path("doorstep_amend") + ".db";
  std::string id;
  {
    auto db = store::Db::open(path);
    REQUIRE(db.ok());
    auto s = canvass::Session::open(std::move(*db), kNow);
    REQUIRE(s.ok());
    REQUIRE((*s)->set_token(std::string(32, 'a'), kNow).ok());
    REQUIRE((*s)->set_package(package_json()).ok());
    canvass::AttemptInput in;
    in.door = 0;
    in.result = "talked";
    in.notes = "blue door";
    in.answers["q1"] = json::Value(4);
    auto a = (*s)->record(in, kNow);
    REQUIRE(a.ok());
    id = a->id;
    canvass::AmendInput fix;
    fix.attempt_id = id;
    fix.result = "refused";
    auto m = (*s)->amend_attempt(fix, kNow + 60000);
    REQUIRE(m.ok());
    CHECK(m->kind == sync::Kind::attempt_amend);
    CHECK(json::dump(m->payload) == "{\"attempt\":\"" + id + "\",\"result\":\"refused\"}");
    fix.result.reset();
    fix.notes = "green door";
    fix.answers = std::map<std::string, json::Value>{{"q1", json::Value(2)}};
    REQUIRE((*s)->amend_attempt(fix, kNow + 61000).ok());
    auto at = (*s)->attempts_at(0);
    REQUIRE(at.size() == 1);
    CHECK(at[0]->result == "refused");
    CHECK(at[0]->notes == "green door");
    CHECK(at[0]->answers.at("q1") == json::Value(2));
    CHECK(at[0]->amended);
    CHECK((*s)->door_status(0) == canvass::status_index("refused"));
  }
  auto db = store::Db::open(path);
  REQUIRE(db.ok());
  auto s = canvass::Session::open(std::move(*db), kNow + 70000);
  REQUIRE(s.ok());
  auto at = (*s)->attempts_at(0);
  REQUIRE(at.size() == 1);
  CHECK(at[0]->id == id);
  CHECK(at[0]->result == "refused");
  CHECK(at[0]->notes == "green door");
  CHECK(at[0]->answers.at("q1") == json::Value(2));
  CHECK((*s)->door_status(0) == canvass::status_index("refused"));
  CHECK((*s)->pending() == 3);
  std::filesystem::remove(path);
}

TEST_CASE("bad corrections: another phone's record, nothing to change, an unknown result, an undone record") {
  auto s = phone();
  auto other = phone();
  canvass::AttemptInput in;
  in.door = 0;
  in.result = "talked";
  auto theirs = other->record(in, kNow);
  REQUIRE(theirs.ok());
  auto mine = s->record(in, kNow);
  REQUIRE(mine.ok());
  size_t before = s->pending();
  CHECK(s->void_attempt(theirs->id, kNow + 1).error().code == Code::not_found);
  CHECK(s->void_attempt("0192f0d0-1111-7000-8000-000000000001", kNow + 1).error().code == Code::not_found);
  canvass::AmendInput fix;
  fix.attempt_id = theirs->id;
  fix.notes = "x";
  CHECK(s->amend_attempt(fix, kNow + 1).error().code == Code::not_found);
  fix.attempt_id = mine->id;
  fix.notes.reset();
  CHECK(s->amend_attempt(fix, kNow + 1).error().code == Code::invalid_argument);  // nothing to change
  fix.result = "maybe";
  CHECK(s->amend_attempt(fix, kNow + 1).error().code == Code::invalid_argument);
  fix.result.reset();
  fix.notes = std::string(2001, 'n');
  CHECK_FALSE(s->amend_attempt(fix, kNow + 1).ok());  // notes over 2,000 bytes
  CHECK(s->pending() == before);  // nothing reached the outbox
  CHECK(s->attempts_at(0)[0]->result == "talked");
  REQUIRE(s->void_attempt(mine->id, kNow + 2).ok());
  fix.notes = "late";
  CHECK(s->amend_attempt(fix, kNow + 3).error().code == Code::conflict);
}

TEST_CASE("an undo and a correction reach the server once and another phone's door and history by pull") {
  auto a = phone();
  auto b = phone();
  auto server = server_db();
  canvass::AttemptInput in;
  in.door = 0;
  in.result = "refused";
  auto rec = a->record(in, kNow);
  REQUIRE(rec.ok());
  in.door = 1;
  in.result = "not_home";
  auto other = a->record(in, kNow + 100);
  REQUIRE(other.ok());
  sync_once(*a, server, kNow + 200);
  auto pull = [&](int64_t now) {
    b->pull_body();
    auto pulled = sync::pull_changes(server, kTurf, "", 1000);  // from the start: applying twice is harmless
    REQUIRE(pulled.ok());
    REQUIRE(b->on_pull_reply(200, json::dump(sync::encode(*pulled)), now).ok());
  };
  pull(kNow + 300);
  REQUIRE(b->door_status(0) == canvass::status_index("refused"));
  REQUIRE(b->package().doors[0].history.size() == 1);

  // a undoes the refusal (offline: the undo waits in the outbox) and corrects the other record.
  REQUIRE(a->void_attempt(rec->id, kNow + 5000).ok());
  canvass::AmendInput fix;
  fix.attempt_id = other->id;
  fix.result = "talked";
  REQUIRE(a->amend_attempt(fix, kNow + 6000).ok());
  CHECK(a->pending() == 2);
  sync_once(*a, server, kNow + 7000);
  CHECK(a->pending() == 0);
  auto recs = sync::read_records(server);
  REQUIRE(recs.ok());
  int edits = 0;
  for (const auto& r : *recs)
    if (r.kind == "attempt.void" || r.kind == "attempt.amend") {
      CHECK_FALSE(r.rejected);
      ++edits;
    }
  CHECK(edits == 2);

  pull(kNow + 8000);
  CHECK(b->door_status(0) == 0);  // not visited any more
  CHECK(b->package().doors[0].history.empty());
  CHECK(b->door_status(1) == canvass::status_index("talked"));
  REQUIRE(b->package().doors[1].history.size() == 1);
  CHECK(b->package().doors[1].history[0].result == "talked");
  CHECK(b->doors_done() == 1);
}

TEST_CASE("a pull naming another package version asks for a refetch; the new package keeps local records and the outbox") {
  auto server = server_db();
  std::string pkg = package_json();
  pkg.insert(pkg.find("\"api\":1,") + 8, R"("package_version":"00000000000000aa",)");
  auto db = store::Db::open(":memory:");
  REQUIRE(db.ok());
  auto opened = canvass::Session::open(std::move(*db), kNow);
  REQUIRE(opened.ok());
  auto& s = *opened;
  REQUIRE(s->set_token(std::string(32, 'a'), kNow).ok());
  REQUIRE(s->set_package(pkg).ok());
  CHECK(s->package().package_version == "00000000000000aa");

  // One record reaches the server, one waits (offline), one is at the door that will leave.
  canvass::AttemptInput in;
  in.door = 0;  // kDoor1 (order 1)
  in.result = "talked";
  in.answers["q1"] = json::Value(int64_t{4});
  REQUIRE(s->record(in, kNow).ok());
  sync_once(*s, server, kNow + 10);
  in.answers.clear();
  in.result = "come_back";
  REQUIRE(s->record(in, kNow + 20).ok());
  in.door = 1;  // kDoor2
  in.result = "not_home";
  REQUIRE(s->record(in, kNow + 30).ok());
  CHECK(s->pending() == 2);

  auto answer = [&](const std::string& body) {
    s->pull_body();
    REQUIRE(s->on_pull_reply(200, body, kNow + 40).ok());
  };
  // The same version, and a version-3 answer (no field): nothing to fetch.
  answer(R"({"v":4,"changes":[],"cursor":"1","more":false,"package_version":"00000000000000aa"})");
  CHECK_FALSE(s->package_outdated());
  answer(R"({"v":3,"changes":[],"cursor":"1","more":false})");
  CHECK_FALSE(s->package_outdated());
  answer(R"({"v":4,"changes":[],"cursor":"1","more":false,"package_version":"00000000000000bb"})");
  CHECK(s->package_outdated());
  // A version-3 answer naming one is refused (an old phone's strict decoder), flag unchanged.
  s->pull_body();
  CHECK_FALSE(s->on_pull_reply(200, R"({"v":3,"changes":[],"cursor":"1","more":false,"package_version":"x"})", kNow).ok());
  CHECK(s->package_outdated());

  // The new package: a new question, kDoor2 gone from the turf, a new door.
  const char* kDoor3 = "0192f0c4-7b00-7000-8000-000000000103";
  std::string next = package_json();
  next.insert(next.find("\"api\":1,") + 8, R"("package_version":"00000000000000bb","survey_version":2,)");
  size_t d2 = next.find(std::string(R"({"id":")") + kDoor2);
  size_t d1 = next.find(std::string(R"({"id":")") + kDoor1);
  next.replace(d2, d1 - d2, std::string(R"({"id":")") + kDoor3 + R"(","lat":33.9997,"lon":-118.4389,"address":"2309 Walgrove Ave","order":3,"status":"not_visited"},)");
  next.replace(next.find(R"("survey":[)") + 10, 0,
               R"({"id":"q2","kind":"yes_no","labels":{"en":"Will you vote early?"}},)");
  std::vector<std::string> before;
  for (const auto& m : s->outbox()) before.push_back(m.id);
  REQUIRE(s->set_package(next).ok());
  CHECK_FALSE(s->package_outdated());
  CHECK(s->package().package_version == "00000000000000bb");
  CHECK(s->package().survey_version == 2);
  REQUIRE(s->package().survey.size() == 2);
  CHECK(s->package().survey[0].id == "q2");
  REQUIRE(s->package().doors.size() == 2);
  CHECK(s->package().doors[0].id == kDoor1);
  CHECK(s->package().doors[1].id == kDoor3);
  // The outbox is untouched (the record at the door that left is still sent), the history stays.
  std::vector<std::string> after;
  for (const auto& m : s->outbox()) after.push_back(m.id);
  CHECK(after == before);
  CHECK(s->pending() == 2);
  auto mine = s->attempts_at(0);
  REQUIRE(mine.size() == 2);
  CHECK(mine[0]->result == "talked");
  CHECK(mine[0]->acked);
  CHECK(mine[0]->answers.at("q1").as_int() == 4);
  CHECK(s->door_status(0) == canvass::status_index("come_back"));
  CHECK(s->attempts_at(1).empty());  // the new door: nothing recorded here
  sync_once(*s, server, kNow + 50);
  CHECK(s->pending() == 0);
  CHECK(server_records(server) == 3);  // each record once
}

TEST_CASE("skipped doors are kept by door id across a restart and a package refresh; a record or a wipe lifts them") {
  std::string path = fixtures::temp_path("doorstep_skip") + ".db";
  auto open = [&path] { return phone_on_file(path); };
  {
    auto s = open();
    REQUIRE(s->set_token(std::string(32, 'a'), kNow).ok());
    REQUIRE(s->set_package(package_json()).ok());
    CHECK_FALSE(s->set_skipped(7, true).ok());
    REQUIRE(s->set_skipped(0, true).ok());
    REQUIRE(s->set_skipped(1, true).ok());
    REQUIRE(s->set_skipped(1, false).ok());
    CHECK(s->skipped(0));
    CHECK_FALSE(s->skipped(1));
    CHECK_FALSE(s->skipped(-1));
  }
  auto s = open();
  REQUIRE(s->skipped(0));
  std::string id = s->package().doors[0].id;
  // The same doors in the other walk order: the skip follows its door.
  std::string p = package_json();
  p.replace(p.find("\"order\":2"), 9, "\"order\":9");
  p.replace(p.find("\"order\":1"), 9, "\"order\":2");
  p.replace(p.find("\"order\":9"), 9, "\"order\":1");
  REQUIRE(s->set_package(p).ok());
  REQUIRE(s->package().doors[1].id == id);
  CHECK(s->skipped(1));
  CHECK_FALSE(s->skipped(0));
  canvass::AttemptInput in;
  in.door = 1;
  in.result = "not_home";
  REQUIRE(s->record(in, kNow + 1).ok());
  CHECK_FALSE(s->skipped(1));
  REQUIRE(s->set_skipped(0, true).ok());
  auto server = server_db();
  sync_once(*s, server, kNow + 10);
  REQUIRE(s->wipe().ok());
  REQUIRE(s->set_token(std::string(32, 'a'), kNow).ok());
  REQUIRE(s->set_package(package_json()).ok());
  for (int d : {0, 1}) CHECK_FALSE(s->skipped(d));
}

TEST_CASE("unmark_unsafe gives the door its earlier safety note back, on the phone and on the server (null clears it)") {
  auto s = phone();
  auto server = server_db();
  auto door_safety = [&server](const std::string& id) {
    auto q = server.prepare("SELECT safety FROM door WHERE id=?1");
    REQUIRE(q.ok());
    q->bind(1, id);
    auto row = q->step();
    REQUIRE(row.ok());
    REQUIRE(*row);
    return q->is_null(0) ? std::string() : q->text(0);
  };
  REQUIRE(s->mark_unsafe(1, "Canvasser left: felt unsafe", kNow).ok());
  sync_once(*s, server, kNow + 10);
  CHECK(door_safety(s->package().doors[1].id) == "Canvasser left: felt unsafe");
  auto u = s->unmark_unsafe(1, "", kNow + 20);
  REQUIRE(u.ok());
  CHECK(u->kind == sync::Kind::door_set);
  CHECK(u->payload.find("set")->find("safety")->is_null());
  CHECK(s->package().doors[1].safety.empty());
  CHECK(s->package().doors[1].flags.empty());
  sync_once(*s, server, kNow + 30);
  CHECK(s->pending() == 0);
  CHECK(door_safety(s->package().doors[1].id).empty());  // the organizer's door list shows no note
  // A door that had a note before: the note comes back, the flag stays.
  REQUIRE(s->mark_unsafe(0, "Canvasser left: felt unsafe", kNow + 40).ok());
  REQUIRE(s->unmark_unsafe(0, "Dog in the yard", kNow + 50).ok());
  CHECK(s->package().doors[0].safety == "Dog in the yard");
  CHECK(s->package().doors[0].flags == std::vector<std::string>{"safety"});
  sync_once(*s, server, kNow + 60);
  CHECK(door_safety(s->package().doors[0].id) == "Dog in the yard");
  CHECK_FALSE(s->unmark_unsafe(5, "", kNow).ok());
  CHECK_FALSE(s->unmark_unsafe(0, std::string(501, 'x'), kNow).ok());
}

TEST_CASE("a door left as unsafe stays marked across a restart until a package built after the mark replaces it") {
  std::string path = fixtures::temp_path("doorstep_unsafe") + ".db";
  auto open = [&path] { return phone_on_file(path); };
  const std::string note = "Canvasser left: felt unsafe";
  auto server = server_db();
  {
    auto s = open();
    REQUIRE(s->set_token(std::string(32, 'a'), kNow).ok());
    REQUIRE(s->set_package(package_json()).ok());
    REQUIRE(s->package().doors[1].safety.empty());
    REQUIRE(s->mark_unsafe(1, note, kNow + 1).ok());
  }
  {
    auto s = open();  // a restart before anything was sent
    CHECK(s->package().doors[1].safety == note);
    CHECK(s->package().doors[1].flags == std::vector<std::string>{"safety"});
    sync_once(*s, server, kNow + 10);
    REQUIRE(s->pending() == 0);
  }
  {
    auto s = open();  // sent, but the stored package is older than the mark
    CHECK(s->package().doors[1].safety == note);
    // A package built after the mark landed is the server's word (an organizer may clear it).
    REQUIRE(s->set_package(package_json()).ok());
    CHECK(s->package().doors[1].safety.empty());
    // Marked offline, then a refresh that cannot hold the unsent mark: the mark stays.
    REQUIRE(s->mark_unsafe(0, note, kNow + 20).ok());
    REQUIRE(s->set_package(package_json()).ok());
    CHECK(s->package().doors[0].safety == note);
    CHECK(s->package().doors[1].safety.empty());
  }
  {
    auto s = open();
    CHECK(s->package().doors[0].safety == note);
    CHECK(s->package().doors[1].safety.empty());
    REQUIRE(s->unmark_unsafe(0, "", kNow + 30).ok());  // the undo survives a restart too
  }
  {
    auto s = open();
    CHECK(s->package().doors[0].safety.empty());
    CHECK(s->package().doors[0].flags.empty());
    sync_once(*s, server, kNow + 40);
    REQUIRE(s->wipe().ok());
  }
}
