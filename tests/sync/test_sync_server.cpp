// Tests for shared/sync_server on real SQLite: exactly-once apply, gap and conflict, per-field LWW
// with clock clamping, tombstones, the link grace period and wipe directive, doors that left the
// turf, pull by cursor, group commit, and the mirror into the core tables.
#include <doctest/doctest.h>

#include <string>

#include "shared/base/ids.h"
#include "shared/store/store.h"
#include "shared/sync/sync_server.h"

using namespace doorstep;
using namespace doorstep::sync;

namespace {

constexpr int64_t kNow = 1767225600000;
const char* kTurf = "0192f0c4-7a11-7d00-8a00-000000000001";
const char* kDoor = "0192f0c4-7b00-7000-8000-000000000101";
const char* kDoor2 = "0192f0c4-7b00-7000-8000-000000000102";
const char* kPerson = "0192f0c4-7c00-7000-8000-000000000201";

store::Db server() {
  auto db = store::Db::open(":memory:");
  REQUIRE(db.ok());
  REQUIRE(sync::migrate(*db).ok());
  // A campaign with two doors, so the mirror into the core tables has rows to write to.
  REQUIRE(db->exec("INSERT INTO campaign(id, name) VALUES('c1', 'Venice');"
                   "INSERT INTO building(id, campaign_id, address_key) VALUES('b1', 'c1', '2301 walgrove ave');"
                   "INSERT INTO door(id, campaign_id, building_id, address_key, lat, lon) VALUES('" +
                   std::string(kDoor) + "', 'c1', 'b1', 'k1', 33.99931, -118.43912);"
                   "INSERT INTO door(id, campaign_id, building_id, address_key) VALUES('" +
                   std::string(kDoor2) + "', 'c1', 'b1', 'k2');")
              .ok());
  return std::move(*db);
}

std::string cid(char c) { return std::string(32, c); }
std::string mid(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "0192f0d0-0000-7000-8000-%012x", n);
  return buf;
}

Mutation attempt(int64_t seq, int id, std::string door = kDoor, int64_t at = kNow) {
  Mutation m;
  m.seq = seq;
  m.id = mid(id);
  m.kind = Kind::attempt_add;
  m.payload = json::Value::object();
  m.payload.set("door", door);
  m.payload.set("result", "talked");
  m.payload.set("lat", 33.99940);
  m.payload.set("lon", -118.43912);
  m.hlc = Hlc{at, 0, "phone-a"}.to_string();
  m.at_ms = at;
  return m;
}

Mutation door_status(int64_t seq, int id, const std::string& status, const Hlc& hlc, std::string door = kDoor) {
  Mutation m;
  m.seq = seq;
  m.id = mid(id);
  m.kind = Kind::door_set;
  m.payload = json::Value::object();
  m.payload.set("door", door);
  json::Value set = json::Value::object();
  set.set("status", status);
  m.payload.set("set", set);
  m.hlc = hlc.to_string();
  m.at_ms = hlc.wall_ms;
  return m;
}

PushRequest req(const std::string& client, std::vector<Mutation> ms) {
  PushRequest r;
  r.client_id = client;
  r.mutations = std::move(ms);
  return r;
}

PushContext ctx(int64_t now = kNow) {
  PushContext c;
  c.turf_id = kTurf;
  c.server_now_ms = now;
  return c;
}

int64_t count(store::Db& db, const std::string& sql) {
  auto s = db.prepare(sql);
  REQUIRE(s.ok());
  REQUIRE(s->step().value());
  return s->int64(0);
}

std::string field_value(store::Db& db, const std::string& entity, const std::string& id, const std::string& field) {
  auto all = read_fields(db);
  REQUIRE(all.ok());
  for (const auto& f : *all)
    if (f.entity == entity && f.id == id && f.field == field) return json::dump(f.value);
  return "";
}

}  // namespace

TEST_CASE("a push applies once; a retry is harmless and answers the same") {
  auto db = server();
  auto r = req(cid('a'), {attempt(1, 1), attempt(2, 2), attempt(3, 3)});
  auto first = apply_push(db, r, ctx());
  REQUIRE(first.ok());
  CHECK(first->code == Code::ok);
  CHECK(first->acked_through == 3);
  auto again = apply_push(db, r, ctx());
  REQUIRE(again.ok());
  CHECK(again->code == Code::ok);
  CHECK(again->acked_through == 3);
  CHECK(count(db, "SELECT count(*) FROM sync_record") == 3);
  CHECK(count(db, "SELECT count(*) FROM attempt") == 3);
  CHECK(*last_seq(db, cid('a')) == 3);
  // The mirrored attempt knows its campaign and how far the phone was from the door.
  auto s = db.prepare("SELECT campaign_id, distance_m, turf_id FROM attempt WHERE id=?1");
  REQUIRE(s.ok());
  s->bind(1, mid(1));
  REQUIRE(s->step().value());
  CHECK(s->text(0) == "c1");
  CHECK(s->real(1) == doctest::Approx(10.0).epsilon(0.05));  // 0.00009 deg of latitude
  CHECK(s->text(2) == kTurf);
}

TEST_CASE("a gap is answered with the last applied seq; a reused seq with other content conflicts") {
  auto db = server();
  auto gap = apply_push(db, req(cid('a'), {attempt(3, 3)}), ctx());
  REQUIRE(gap.ok());
  CHECK(gap->code == Code::gap);
  CHECK(gap->acked_through == 0);
  CHECK(count(db, "SELECT count(*) FROM sync_record") == 0);

  REQUIRE(apply_push(db, req(cid('a'), {attempt(1, 1), attempt(2, 2)}), ctx())->code == Code::ok);
  Mutation other = attempt(2, 99);  // seq 2 again, different content
  auto conflict = apply_push(db, req(cid('a'), {other}), ctx());
  REQUIRE(conflict.ok());
  CHECK(conflict->code == Code::conflict);
  CHECK(count(db, "SELECT count(*) FROM sync_record") == 2);

  // The client takes a new id and resends everything unacknowledged, renumbered; mutations the
  // server already holds (by their own id) are acknowledged without applying twice.
  Mutation resent = attempt(1, 2);
  Mutation fresh = attempt(2, 99);
  auto after = apply_push(db, req(cid('b'), {resent, fresh}), ctx());
  REQUIRE(after.ok());
  CHECK(after->code == Code::ok);
  CHECK(after->acked_through == 2);
  CHECK(count(db, "SELECT count(*) FROM sync_record") == 3);
  CHECK(count(db, "SELECT count(*) FROM attempt") == 3);
}

TEST_CASE("the acknowledgement never exceeds what the request carried") {
  auto db = server();
  REQUIRE(apply_push(db, req(cid('a'), {attempt(1, 1), attempt(2, 2), attempt(3, 3)}), ctx()).ok());
  // A phone restored from an old snapshot resends seq 1 only: it must not learn that 2 and 3
  // (which it has forgotten and will reuse) are acknowledged.
  auto r = apply_push(db, req(cid('a'), {attempt(1, 1)}), ctx());
  REQUIRE(r.ok());
  CHECK(r->code == Code::ok);
  CHECK(r->acked_through == 1);
}

TEST_CASE("fields merge per field by HLC, clamped when a clock runs ahead") {
  auto db = server();
  Hlc early{kNow, 0, "phone-a"}, late{kNow + 1000, 0, "phone-b"};
  REQUIRE(apply_push(db, req(cid('b'), {door_status(1, 2, "talked", late)}), ctx())->code == Code::ok);
  REQUIRE(apply_push(db, req(cid('a'), {door_status(1, 1, "not_home", early)}), ctx())->code == Code::ok);
  CHECK(field_value(db, "door", kDoor, "status") == "\"talked\"");  // the older write lost
  CHECK(count(db, "SELECT count(*) FROM door WHERE status='talked'") == 1);

  // A phone one day ahead is clamped to now + 5 minutes, so an honest write made 6 minutes later wins.
  Hlc runaway{kNow + 24 * 3600 * 1000, 0, "phone-c"};
  REQUIRE(apply_push(db, req(cid('c'), {door_status(1, 3, "refused", runaway)}), ctx())->code == Code::ok);
  CHECK(field_value(db, "door", kDoor, "status") == "\"refused\"");
  auto fields = read_fields(db);
  for (const auto& f : *fields)
    if (f.field == "status") CHECK(Hlc::parse(f.hlc)->wall_ms == kNow + 5 * 60 * 1000);
  Hlc honest{kNow + 6 * 60 * 1000, 0, "phone-b"};
  REQUIRE(apply_push(db, req(cid('b'), {door_status(2, 4, "moved", honest)}), ctx(kNow + 6 * 60 * 1000))->code == Code::ok);
  CHECK(field_value(db, "door", kDoor, "status") == "\"moved\"");
}

TEST_CASE("person delete is a tombstone; person.add makes a core row on a known door") {
  auto db = server();
  Mutation add;
  add.seq = 1;
  add.id = mid(1);
  add.kind = Kind::person_add;
  add.payload = json::Value::object();
  add.payload.set("person", kPerson);
  add.payload.set("door", kDoor);
  json::Value set = json::Value::object();
  set.set("first_name", "Ana");
  set.set("phone", "555-0100");
  add.payload.set("set", set);
  add.hlc = Hlc{kNow, 0, "phone-a"}.to_string();
  add.at_ms = kNow;
  Mutation del = add;
  del.seq = 2;
  del.id = mid(2);
  del.kind = Kind::person_delete;
  del.payload = json::Value::object();
  del.payload.set("person", kPerson);
  del.hlc = Hlc{kNow + 1, 0, "phone-a"}.to_string();
  REQUIRE(apply_push(db, req(cid('a'), {add, del}), ctx())->code == Code::ok);
  CHECK(field_value(db, "person", kPerson, "deleted") == "true");
  CHECK(field_value(db, "person", kPerson, "first_name") == "\"Ana\"");
  CHECK(count(db, "SELECT count(*) FROM person WHERE first_name='Ana' AND phone='555-0100' AND deleted=1") == 1);
}

TEST_CASE("after a revoke: what the phone numbered while valid is taken, later records are kept as after_end") {
  // Issue 10 item 2: the high-water mark replaces record time, so back-dating `at` gains nothing.
  auto db = server();
  PushContext c = ctx();
  auto valid = req(cid('a'), {attempt(1, 1, kDoor, kNow)});
  valid.recorded_through = 3;  // the phone holds seq 2 and 3 unsent
  REQUIRE(apply_push(db, valid, c).ok());
  CHECK(high_water(db, cid('a')).value() == 3);

  c.server_now_ms = kNow + 3600 * 1000;
  c.link = PushContext::Link::revoked;
  c.link_ended_ms = kNow + 1000;
  auto late = req(cid('a'), {attempt(2, 2, kDoor, kNow + 5000), attempt(3, 3, kDoor, kNow + 6000),
                             attempt(4, 4, kDoor, kNow - 999999)});  // seq 4: numbered later, back-dated
  late.recorded_through = 9;  // reported after the end: not believed
  auto r = apply_push(db, late, c);
  REQUIRE(r.ok());
  CHECK(r->code == Code::ok);
  CHECK(r->acked_through == 4);
  CHECK(r->wipe_after_flush);
  REQUIRE(r->rejected.size() == 1);
  CHECK(r->rejected[0].seq == 4);
  CHECK(r->rejected[0].code == Code::after_end);
  CHECK(high_water(db, cid('a')).value() == 3);
  CHECK(read_records(db)->size() == 4);  // the late one is kept for review, not applied
  CHECK(count(db, "SELECT count(*) FROM attempt") == 3);
  CHECK(count(db, "SELECT count(*) FROM sync_record WHERE rejected='after_end'") == 1);

  // Long after the old 72 h grace a push still answers (so an outbox can always drain), and a
  // version-1 phone, which knows no after_end, gets the link's own code.
  c.server_now_ms = kNow + 1000 + c.grace_ms + 1;
  auto v1 = req(cid('a'), {attempt(5, 5, kDoor, kNow)});
  v1.v = 1;
  auto r1 = apply_push(db, v1, c);
  REQUIRE(r1.ok());
  REQUIRE(r1->rejected.size() == 1);
  CHECK(r1->rejected[0].code == Code::revoked);
  c.link = PushContext::Link::expired;
  auto r2 = apply_push(db, v1, c);  // a retry: acknowledged, nothing new
  REQUIRE(r2.ok());
  CHECK(r2->acked_through == 5);
  // A pull of the valid link raises the mark, so records numbered offline are still welcome.
  REQUIRE(report_high_water(db, cid('b'), kTurf, 2, kNow).ok());
  CHECK(high_water(db, cid('b')).value() == 2);
}

TEST_CASE("attempts for doors that left the turf are kept and flagged; door edits there are refused") {
  auto db = server();
  PushContext c = ctx();
  c.door_in_turf = [](std::string_view door) { return door == kDoor; };
  auto r = apply_push(db, req(cid('a'), {attempt(1, 1, kDoor2), door_status(2, 2, "talked", Hlc{kNow, 1, "p"}, kDoor2),
                                         attempt(3, 3, kDoor)}),
                      c);
  REQUIRE(r.ok());
  CHECK(r->acked_through == 3);
  REQUIRE(r->rejected.size() == 1);
  CHECK(r->rejected[0].code == Code::forbidden);
  CHECK(count(db, "SELECT count(*) FROM attempt WHERE off_turf=1") == 1);
  CHECK(count(db, "SELECT count(*) FROM attempt WHERE off_turf=0") == 1);
  CHECK(field_value(db, "door", kDoor2, "status").empty());
}

TEST_CASE("pull by cursor pages through a turf's changes in order") {
  auto db = server();
  std::vector<Mutation> ms;
  for (int i = 1; i <= 7; ++i) ms.push_back(attempt(i, i));
  REQUIRE(apply_push(db, req(cid('a'), ms), ctx())->code == Code::ok);
  PushContext other = ctx();
  other.turf_id = "another-turf";
  REQUIRE(apply_push(db, req(cid('b'), {attempt(1, 50)}), other)->code == Code::ok);

  std::string cursor;
  std::vector<std::string> ids;
  int pulls = 0;
  while (true) {
    auto p = pull_changes(db, kTurf, cursor, 3);
    REQUIRE(p.ok());
    ++pulls;
    for (const auto& c : p->changes) {
      CHECK(c.entity == "attempt");
      ids.push_back(c.id);
    }
    cursor = p->cursor;
    if (!p->more) break;
  }
  CHECK(pulls == 3);
  REQUIRE(ids.size() == 7);
  for (int i = 0; i < 7; ++i) CHECK(ids[static_cast<size_t>(i)] == mid(i + 1));
  // Nothing new: the cursor stays put.
  auto none = pull_changes(db, kTurf, cursor, 3);
  CHECK(none->changes.empty());
  CHECK(none->cursor == cursor);
  // Organizer views read every turf.
  CHECK(pull_changes(db, "", "", 100)->changes.size() == 8);
  CHECK(pull_changes(db, kTurf, "x1", 10).error().code == Code::invalid_argument);
}

TEST_CASE("pushes inside a caller's transaction commit together (group commit)") {
  auto db = server();
  REQUIRE(db.exec("BEGIN IMMEDIATE").ok());
  REQUIRE(apply_push(db, req(cid('a'), {attempt(1, 1)}), ctx())->code == Code::ok);
  REQUIRE(apply_push(db, req(cid('b'), {attempt(1, 2)}), ctx())->code == Code::ok);
  CHECK(db.in_transaction());
  REQUIRE(db.exec("ROLLBACK").ok());
  CHECK(count(db, "SELECT count(*) FROM sync_record") == 0);
  CHECK(*last_seq(db, cid('a')) == 0);
}

TEST_CASE("organizer writes go through the same merge and reach pulls") {
  auto db = server();
  REQUIRE(write_field(db, kTurf, "door", kDoor, "safety", json::Value("dog"), Hlc{kNow, 0, "server"}.to_string()).ok());
  REQUIRE(write_field(db, kTurf, "door", kDoor, "safety", json::Value("old"), Hlc{kNow - 1, 0, "server"}.to_string()).ok());
  CHECK(field_value(db, "door", kDoor, "safety") == "\"dog\"");
  auto p = pull_changes(db, kTurf, "", 10);
  REQUIRE(p->changes.size() == 1);
  CHECK(p->changes[0].field == "safety");
  CHECK_FALSE(write_field(db, kTurf, "door", kDoor, "safety", json::Value("x"), "bad").ok());
}

TEST_CASE("regression: scope checks the campaign too: another campaign's door or person in the turf is refused") {
  // Issue 10: ids are resolved where the data is. A turf_door row pointing at another campaign's
  // door (a corrupted or hostile cut) must not let a link of campaign c1 write there.
  auto db = server();
  REQUIRE(db.exec("INSERT INTO campaign(id, name) VALUES('c2', 'Other');"
                  "INSERT INTO building(id, campaign_id, address_key) VALUES('b2', 'c2', 'x');"
                  "INSERT INTO door(id, campaign_id, building_id, address_key) VALUES('0192f0c4-7b00-7000-8000-000000000999', 'c2', 'b2', 'k9');"
                  "INSERT INTO person(id, campaign_id, source, source_key, door_id) VALUES('" +
                  std::string(kPerson) + "', 'c2', '', 'x:1', '0192f0c4-7b00-7000-8000-000000000999');"
                  "INSERT INTO turf(id, campaign_id, name) VALUES('" + std::string(kTurf) + "', 'c1', 'T');"
                  "INSERT INTO turf_door(turf_id, door_id, position) VALUES('" + std::string(kTurf) + "', '" + kDoor + "', 1);"
                  "INSERT INTO turf_door(turf_id, door_id, position) VALUES('" + std::string(kTurf) +
                  "', '0192f0c4-7b00-7000-8000-000000000999', 2);")
            .ok());
  PushContext c = ctx();
  c.campaign_id = "c1";
  Mutation foreign_door = attempt(1, 1, "0192f0c4-7b00-7000-8000-000000000999");
  Mutation foreign_person = attempt(2, 2);
  foreign_person.payload.set("person", kPerson);
  Mutation own = attempt(3, 3);
  auto r = apply_push(db, req(cid('a'), {foreign_door, foreign_person, own}), c);
  REQUIRE(r.ok());
  CHECK(r->acked_through == 3);
  REQUIRE(r->rejected.size() == 2);
  CHECK(r->rejected[0].code == Code::forbidden);
  CHECK(r->rejected[1].code == Code::forbidden);
  CHECK_FALSE(all_out_of_scope(req(cid('a'), {foreign_door, foreign_person, own}), *r));
  CHECK(count(db, "SELECT count(*) FROM attempt") == 1);
  CHECK(count(db, "SELECT count(*) FROM sync_record WHERE rejected='forbidden'") == 2);
}
