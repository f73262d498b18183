// Regression tests for issue 10 item 1 over real loopback HTTP: a canvasser link writes only inside
// its own turf and campaign. Every path the attack took (person.add of another turf's person,
// person.set / person.delete / attempt.add / signup.add naming foreign ids, door.set on a foreign
// door) is refused as `forbidden` in `rejected` while the rest of the batch is applied, and
// afterwards nothing of turf B is readable through link A (package, pull, VAN export).
#include "shared/sync/sync_server.h"
#include "tests/server/fixture.h"

using namespace doorstep;

namespace {

struct World {
  fixture::Server s;
  fixture::Seeded seeded;
  fixture::Organizer org;
  std::string token_a;
  World() {
    seeded = fixture::seed(*s.app);
    org = fixture::sign_in_admin(s);
    auto link = server::create_link(s.app->storage(), seeded.campaign, seeded.turf_a, "Sam", "test", s.now_ms,
                                    24ll * 3600 * 1000);
    REQUIRE(link.ok());
    token_a = link->token;
    // Turf B's first resident has a VAN ID, so a forged result would reach the VAN export.
    REQUIRE(s.app->storage().write([&](store::Db& db) {
      return db.exec("UPDATE person SET van_id='VANB0' WHERE id='" + seeded.people_b[0] + "'");
    }).ok());
  }
};

const char* kClient = "5c0be5c0be5c0be5c0be5c0be5c0be5c";

using fixture::mutation;
using fixture::obj;

std::string body(const std::vector<json::Value>& ms) { return fixture::push_of(1, kClient, ms); }

}  // namespace

TEST_CASE("regression: a link cannot take over, edit or write results for another turf's people") {
  World w;
  auto cli = w.s.client();
  const auto& A = w.seeded;
  int64_t at = w.s.now_ms;
  json::Value consents = obj({{"call_me", true}, {"email_me", false}, {"volunteer", false}, {"join", false}});
  std::vector<json::Value> ms = {
      // 1: the takeover: "adding" turf B's resident at one of my doors.
      mutation(1, "person.add", obj({{"person", A.people_b[0]}, {"door", A.doors_a[0]}, {"set", json::Value::object()}}), at),
      // 2-4: renaming, deleting, lifting do-not-contact on strangers.
      mutation(2, "person.set", obj({{"person", A.people_b[1]}, {"set", obj({{"first_name", "Hacked"}})}}), at),
      mutation(3, "person.delete", obj({{"person", A.people_b[2]}}), at),
      mutation(4, "person.set", obj({{"person", A.people_b[0]}, {"set", obj({{"do_not_contact", false}})}}), at),
      // 5: moving my own resident to a turf-B door.
      mutation(5, "person.set", obj({{"person", A.people_a[0]}, {"set", obj({{"door", A.doors_b[0]}})}}), at),
      // 6: "deceased" for a stranger, written from my own door.
      mutation(6, "attempt.add", obj({{"door", A.doors_a[0]}, {"person", A.people_b[0]}, {"result", "deceased"}}), at),
      // 7: a sign-up tied to a stranger.
      mutation(7, "signup.add", obj({{"door", A.doors_a[0]}, {"person", A.people_b[1]}, {"name", "X"}, {"consents", consents}}), at),
      // 8: editing a turf-B door.
      mutation(8, "door.set", obj({{"door", A.doors_b[0]}, {"set", obj({{"status", "talked"}})}}), at),
      // 9: an honest record at my own door, for my own resident: applied, the batch goes on.
      mutation(9, "attempt.add", obj({{"door", A.doors_a[1]}, {"person", A.people_a[1]}, {"result", "talked"}}), at),
      // 10: a new resident of my own door, then edited in the same batch.
      mutation(10, "person.add", obj({{"person", new_uuid_v7(at)}, {"door", A.doors_a[2]}, {"set", obj({{"first_name", "Neu"}})}}), at),
  };
  std::string new_person = ms[9].find("payload")->find("person")->as_string();
  ms.push_back(mutation(11, "person.set", obj({{"person", new_person}, {"set", obj({{"last_name", "Nachbar"}})}}), at));
  auto r = cli.Post("/api/v1/canvass/push", fixture::bearer(w.token_a), body(ms), "application/json");
  REQUIRE(r);
  REQUIRE_MESSAGE(r->status == 200, r->body);
  auto v = fixture::parse(r->body);
  CHECK(v.find("acked_through")->as_int() == 11);
  std::set<int64_t> rejected;
  for (const auto& x : v.find("rejected")->as_array()) {
    CHECK(x.find("code")->as_string() == "forbidden");
    rejected.insert(x.find("seq")->as_int());
  }
  CHECK(rejected == std::set<int64_t>{1, 2, 3, 4, 5, 6, 7, 8});

  // Turf B's people are untouched, and none became readable through link A.
  w.s.app->storage().read([&](store::Db& db) {
    for (size_t i = 0; i < 3; ++i) {
      auto p = store::get_person(db, A.people_b[i]);
      REQUIRE(p.ok());
      CHECK(p->door_id == A.doors_b[i]);
      CHECK(p->first_name == "First" + std::to_string(i + 3));
      CHECK_FALSE(p->deleted);
    }
    auto own = store::get_person(db, A.people_a[0]);
    REQUIRE(own.ok());
    CHECK(own->door_id == A.doors_a[0]);
    auto added = store::get_person(db, new_person);
    REQUIRE(added.ok());
    CHECK(added->last_name == "Nachbar");
    return Status::Ok();
  });
  auto pkg = cli.Get("/api/v1/canvass/package", fixture::bearer(w.token_a));
  REQUIRE(pkg);
  REQUIRE(pkg->status == 200);
  auto pull = cli.Get("/api/v1/canvass/pull?cursor=", fixture::bearer(w.token_a));
  REQUIRE(pull);
  REQUIRE(pull->status == 200);
  for (const char* name : {"First3", "First4", "First5", "Hacked"}) {
    CHECK_MESSAGE(pkg->body.find(name) == std::string::npos, name);
    CHECK_MESSAGE(pull->body.find(name) == std::string::npos, name);
  }
  for (const auto& id : A.people_b) {
    CHECK(pkg->body.find(id) == std::string::npos);
    CHECK(pull->body.find(id) == std::string::npos);
  }
  CHECK(pkg->body.find("Neu") != std::string::npos);  // the honest addition is there

  // The forged "deceased" never reaches the VAN export; the honest record does.
  auto van = cli.Get("/api/v1/campaigns/" + A.campaign + "/export/van", w.org.headers(false));
  REQUIRE(van);
  REQUIRE(van->status == 200);
  CHECK(van->body.find("VANB0") == std::string::npos);
  CHECK(van->body.find("Deceased") == std::string::npos);
}

TEST_CASE("regression: a batch whose every mutation is out of scope answers 403 and is acknowledged on resend") {
  World w;
  auto cli = w.s.client();
  const auto& A = w.seeded;
  std::string b = body({mutation(1, "person.set", obj({{"person", A.people_b[0]}, {"set", obj({{"first_name", "X"}})}}), w.s.now_ms),
                        mutation(2, "door.set", obj({{"door", A.doors_b[1]}, {"set", obj({{"status", "talked"}})}}), w.s.now_ms)});
  auto r = cli.Post("/api/v1/canvass/push", fixture::bearer(w.token_a), b, "application/json");
  REQUIRE(r);
  CHECK(r->status == 403);
  auto v = fixture::parse(r->body);
  CHECK(v.find("code")->as_string() == "forbidden");
  CHECK(v.find("rejected")->size() == 2);
  // The phone keeps its outbox on a 403 and resends: now acknowledged, so its outbox drains.
  auto again = cli.Post("/api/v1/canvass/push", fixture::bearer(w.token_a), b, "application/json");
  REQUIRE(again);
  CHECK(again->status == 200);
  CHECK(fixture::parse(again->body).find("acked_through")->as_int() == 2);
  w.s.app->storage().read([&](store::Db& db) {
    CHECK(store::get_person(db, A.people_b[0])->first_name == "First3");
    return Status::Ok();
  });
}

TEST_CASE("regression: a pull from cursor 0 and the package hold no other canvasser's contact data, notes, answers or GPS") {
  World w;
  auto cli = w.s.client();
  const auto& A = w.seeded;
  auto other = server::create_link(w.s.app->storage(), A.campaign, A.turf_a, "Ana", "test", w.s.now_ms, 24ll * 3600 * 1000);
  REQUIRE(other.ok());
  int64_t at = w.s.now_ms;
  json::Value consents = obj({{"call_me", true}, {"email_me", true}, {"volunteer", false}, {"join", false}});
  std::vector<json::Value> ms = {
      mutation(1, "attempt.add",
               obj({{"door", A.doors_a[0]}, {"person", A.people_a[0]}, {"result", "talked"}, {"notes", "SECRETNOTE"},
                    {"answers", obj({{"q1", "ANSWERX"}})}, {"lat", 34.0093999}, {"lon", -118.4560999},
                    {"canvasser", "Sam Smithers"}}),
               at),
      mutation(2, "signup.add",
               obj({{"door", A.doors_a[0]}, {"name", "Zed Zulu"}, {"phone", "310-555-7777"}, {"email", "zed@example.org"},
                    {"consents", consents}}),
               at),
      mutation(3, "person.set", obj({{"person", A.people_a[1]}, {"set", obj({{"phone", "310-555-8888"}, {"first_name", "Bea"}})}}), at),
  };
  auto r = cli.Post("/api/v1/canvass/push", fixture::bearer(w.token_a), body(ms), "application/json");
  REQUIRE(r);
  REQUIRE_MESSAGE(r->status == 200, r->body);
  REQUIRE(fixture::parse(r->body).find("rejected")->size() == 0);

  auto pull = cli.Post("/api/v1/canvass/pull", fixture::bearer(other->token), R"({"v":2,"cursor":"","limit":1000})",
                       "application/json");
  REQUIRE(pull);
  REQUIRE(pull->status == 200);
  auto pkg = cli.Get("/api/v1/canvass/package", fixture::bearer(other->token));
  REQUIRE(pkg);
  REQUIRE(pkg->status == 200);
  for (const char* secret : {"SECRETNOTE", "ANSWERX", "Smithers", "Zed", "310-555-7777", "310-555-8888", "zed@example.org",
                             "34.0093999", "-118.4560999", "\"notes\"", "\"answers\"", "\"lat\":34.0093999"}) {
    CHECK_MESSAGE(pull->body.find(secret) == std::string::npos, "pull holds " << secret);
    CHECK_MESSAGE(pkg->body.find(secret) == std::string::npos, "package holds " << secret);
  }
  // What a canvasser may see arrives: the result with the first name, and the new first name.
  CHECK(pull->body.find("\"canvasser\":\"Sam\"") != std::string::npos);
  CHECK(pull->body.find("Bea") != std::string::npos);
  auto pv = fixture::parse(pkg->body);
  bool seen = false;
  for (const auto& d : pv.find("doors")->as_array()) {
    if (d.find("id")->as_string() != A.doors_a[0]) continue;
    REQUIRE(d.find("history")->size() == 1);
    const auto& h = d.find("history")->as_array()[0];
    CHECK(h.find("result")->as_string() == "talked");
    CHECK(h.find("canvasser")->as_string() == "Sam");
    CHECK(h.find("at")->as_int() == at + 1);
    seen = true;
  }
  CHECK(seen);
  // The organizer still reads everything (export), so nothing was lost.
  auto ex = cli.Get("/api/v1/campaigns/" + A.campaign + "/export/attempts", w.org.headers(false));
  REQUIRE(ex);
  CHECK(ex->body.find("SECRETNOTE") != std::string::npos);
}
