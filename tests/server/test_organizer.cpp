// Organizer API over real loopback HTTP: campaign creation, universe upload through
// shared/importer (real Venice address points), turfs drawn as polygons and cut automatically,
// live progress by cursor with GPS distance bands, exports through shared/export, the audit log,
// and the retention purge of personal data.
#include <fstream>
#include <sstream>

#include "tests/fixtures.h"
#include "tests/server/fixture.h"

using namespace doorstep;

namespace {

// The first `n` data rows of the Venice address points (Los Angeles County GIS, via
// osmlab/labuildings), read from the shared data folder.
std::string venice_rows(int n) {
  std::ifstream in(fixtures::path("la/venice_addresses.csv"));
  REQUIRE(in.good());
  std::string line, out;
  for (int i = 0; i <= n && std::getline(in, line); ++i) out += line + "\n";
  return out;
}

}  // namespace

TEST_CASE("campaign, universe upload, drawn and automatic turfs, link, progress, export, audit") {
  fixture::Server s;
  auto org = fixture::sign_in_admin(s);
  auto cli = s.client();
  auto c = cli.Post("/api/v1/campaigns", org.headers(), R"({"name":"Venice","retention_days":30})", "application/json");
  REQUIRE(c);
  REQUIRE(c->status == 200);
  std::string campaign = fixture::parse(c->body).find("campaign")->find("id")->as_string();
  auto dup = cli.Post("/api/v1/campaigns", org.headers(), R"({"name":"Venice"})", "application/json");
  REQUIRE(dup);
  CHECK(dup->status == 409);

  std::string csv = venice_rows(200);
  auto up = cli.Post("/api/v1/campaigns/" + campaign + "/universe?file_name=venice.csv", org.headers(), csv, "text/csv");
  REQUIRE(up);
  REQUIRE_MESSAGE(up->status == 200, up->body);
  auto rep = fixture::parse(up->body);
  CHECK(rep.find("rows")->as_int() == 200);
  CHECK(rep.find("doors")->as_int() > 150);
  auto info = cli.Get("/api/v1/campaigns/" + campaign, org.headers(false));
  REQUIRE(info);
  int64_t doors = fixture::parse(info->body).find("counts")->find("doors")->as_int();
  CHECK(doors == rep.find("doors")->as_int());

  // A drawn polygon around the first three Walgrove points (1319-1327 Walgrove).
  std::string poly = R"({"name":"Walgrove 1300s","polygon":{"type":"Polygon","coordinates":[[[-118.4562,34.00910],[-118.4556,34.00910],[-118.4556,34.00940],[-118.4562,34.00940],[-118.4562,34.00910]]]}})";
  auto t = cli.Post("/api/v1/campaigns/" + campaign + "/turfs", org.headers(), poly, "application/json");
  REQUIRE(t);
  REQUIRE_MESSAGE(t->status == 200, t->body);
  auto tv = fixture::parse(t->body);
  auto turf = tv.find("turf");
  std::string turf_id = turf->find("id")->as_string();
  CHECK(turf->find("doors")->as_int() >= 3);

  auto autocut = cli.Post("/api/v1/campaigns/" + campaign + "/turfs/auto", org.headers(), R"({"target_doors":40})",
                          "application/json");
  REQUIRE(autocut);
  REQUIRE_MESSAGE(autocut->status == 200, autocut->body);
  auto cv = fixture::parse(autocut->body);
  auto cut = cv.find("turfs");
  CHECK(cut->size() >= 2);
  auto list = cli.Get("/api/v1/campaigns/" + campaign + "/turfs", org.headers(false));
  REQUIRE(list);
  CHECK(fixture::parse(list->body).find("turfs")->size() >= cut->size());

  auto l = cli.Post("/api/v1/turfs/" + turf_id + "/links", org.headers(), R"({"label":"Sam"})", "application/json");
  REQUIRE(l);
  std::string token = fixture::parse(l->body).find("token")->as_string();
  auto pkg = cli.Get("/api/v1/canvass/package", fixture::bearer(token));
  REQUIRE(pkg);
  REQUIRE(pkg->status == 200);
  std::vector<std::string> turf_doors;
  auto pkgv = fixture::parse(pkg->body);
  for (const auto& d : pkgv.find("doors")->as_array()) turf_doors.push_back(d.find("id")->as_string());
  REQUIRE(turf_doors.size() >= 3);

  auto p0 = cli.Get("/api/v1/campaigns/" + campaign + "/progress", org.headers(false));
  REQUIRE(p0);
  auto pv0 = fixture::parse(p0->body);
  CHECK(pv0.find("totals")->find("attempts")->as_int() == 0);
  std::string cursor = pv0.find("cursor")->as_string();

  auto push = cli.Post("/api/v1/canvass/push", fixture::bearer(token),
                       fixture::push_body("c0ffeec0ffeec0ffeec0ffeec0ffee00", 1, 6, turf_doors, s.now_ms),
                       "application/json");
  REQUIRE(push);
  REQUIRE(push->status == 200);
  auto p1 = cli.Get("/api/v1/campaigns/" + campaign + "/progress?cursor=" + cursor, org.headers(false));
  REQUIRE(p1);
  auto pv1 = fixture::parse(p1->body);
  CHECK(pv1.find("totals")->find("attempts")->as_int() == 6);
  CHECK(pv1.find("recent")->size() == 6);
  auto bands = pv1.find("distance_bands");
  CHECK(bands->find("green")->as_int() + bands->find("orange")->as_int() + bands->find("red")->as_int() +
            bands->find("unknown")->as_int() ==
        6);
  // seq 3 and 6 are "talked", both at the same door (round robin over the turf's 3 doors): contacts
  // are doors with a talk, so one (organizer part 3; it used to count talks).
  CHECK(turf_doors.size() == 3);
  CHECK(pv1.find("totals")->find("contacts")->as_int() == 1);
  // Polling again with the new cursor returns nothing new.
  auto p2 = cli.Get("/api/v1/campaigns/" + campaign + "/progress?cursor=" + pv1.find("cursor")->as_string(),
                    org.headers(false));
  CHECK(fixture::parse(p2->body).find("recent")->size() == 0);

  auto ex = cli.Get("/api/v1/campaigns/" + campaign + "/export/attempts", org.headers(false));
  REQUIRE(ex);
  CHECK(ex->status == 200);
  CHECK(ex->get_header_value("Content-Type").rfind("text/csv", 0) == 0);
  CHECK(std::count(ex->body.begin(), ex->body.end(), '\n') >= 7);  // header + 6 attempts
  auto gj = cli.Get("/api/v1/campaigns/" + campaign + "/export/turfs", org.headers(false));
  REQUIRE(gj);
  CHECK(gj->status == 200);
  CHECK(fixture::parse(gj->body).find("type")->as_string() == "FeatureCollection");

  auto audit = cli.Get("/api/v1/campaigns/" + campaign + "/audit", org.headers(false));
  REQUIRE(audit);
  std::string a = audit->body;
  for (const char* action : {"campaign.create", "universe.import", "turf.create", "turf.auto", "link.create",
                             "export.attempts", "export.turfs"}) {
    CAPTURE(action);
    CHECK(a.find(action) != std::string::npos);
  }
  CHECK(a.find(token) == std::string::npos);
}

TEST_CASE("purge blanks personal data and keeps results; retention is a campaign setting") {
  fixture::Server s;
  auto seeded = fixture::seed(*s.app);
  auto org = fixture::sign_in_admin(s);
  auto cli = s.client();
  auto set = cli.Post("/api/v1/campaigns/" + seeded.campaign + "/settings", org.headers(), R"({"retention_days":60})",
                      "application/json");
  REQUIRE(set);
  CHECK(set->status == 200);
  auto info = cli.Get("/api/v1/campaigns/" + seeded.campaign, org.headers(false));
  CHECK(fixture::parse(info->body).find("campaign")->find("retention_days")->as_int() == 60);

  auto l = cli.Post("/api/v1/turfs/" + seeded.turf_a + "/links", org.headers(), "{}", "application/json");
  std::string token = fixture::parse(l->body).find("token")->as_string();
  auto push = cli.Post("/api/v1/canvass/push", fixture::bearer(token),
                       fixture::push_body("0badc0de0badc0de0badc0de0badc0de", 1, 3, seeded.doors_a, s.now_ms),
                       "application/json");
  REQUIRE(push);
  REQUIRE(push->status == 200);

  // A sign-up and an attempt note pushed by the phone: personal data that also lands in the sync tables.
  {
    json::Value su = json::Value::object();
    su.set("door", seeded.doors_a[0]);
    su.set("name", "Signup Person");
    su.set("phone", "555-7777");
    su.set("email", "signup@example.org");
    su.set("consents", json::Value(json::Object{{"call_me", true}}));
    json::Value at = json::Value::object();
    at.set("door", seeded.doors_a[1]);
    at.set("result", "talked");
    at.set("notes", "private remark 42");
    json::Value muts = json::Value::array();
    int64_t seq = 4;
    for (auto [kind, payload] : {std::pair<const char*, json::Value>{"signup.add", su}, {"attempt.add", at}}) {
      json::Value m = json::Value::object();
      m.set("seq", seq);
      m.set("id", new_uuid_v7(s.now_ms + seq));
      m.set("kind", kind);
      m.set("payload", payload);
      m.set("hlc", Hlc{s.now_ms + seq, 0, "0badc0de"}.to_string());
      m.set("at", s.now_ms.load() + seq);
      muts.push(std::move(m));
      ++seq;
    }
    json::Value body = json::Value::object();
    body.set("v", 1);
    body.set("client_id", "0badc0de0badc0de0badc0de0badc0de");
    body.set("mutations", muts);
    auto r = cli.Post("/api/v1/canvass/push", fixture::bearer(token), json::dump(body), "application/json");
    REQUIRE(r);
    REQUIRE_MESSAGE(r->status == 200, r->body);
    REQUIRE(fixture::parse(r->body).find("acked_through")->as_int() == 5);
  }
  // Every text cell of every table, for searching.
  auto all_text = [&] {
    std::string out;
    s.app->storage().read([&](store::Db& db) -> Status {
      auto t = db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'");
      std::vector<std::string> tables;
      while (t->step().value()) tables.push_back(t->text(0));
      for (const auto& name : tables) {
        auto q = db.prepare("SELECT * FROM \"" + name + "\"");
        while (q->step().value())
          for (int i = 0; i < q->column_count(); ++i) out += q->text(i) + "\n";
      }
      return Status::Ok();
    });
    return out;
  };
  std::string before = all_text();
  for (const char* secret : {"555-7777", "signup@example.org", "Signup Person", "private remark 42", "555-0100", "First0"})
    CHECK_MESSAGE(before.find(secret) != std::string::npos, secret);

  auto purge = cli.Post("/api/v1/campaigns/" + seeded.campaign + "/purge", org.headers(), R"({"confirm":"Venice test"})",
                        "application/json");
  REQUIRE(purge);
  REQUIRE_MESSAGE(purge->status == 200, purge->body);
  CHECK(fixture::parse(purge->body).find("people_purged")->as_int() == 6);
  auto people = Result<std::vector<Person>>(Error{});
  s.app->storage().read([&](store::Db& db) {
    people = store::people_at_door(db, seeded.doors_a[0]);
    return Status::Ok();
  });
  REQUIRE(people.ok());
  REQUIRE(!people->empty());
  CHECK((*people)[0].first_name.empty());
  CHECK((*people)[0].phone.empty());
  CHECK((*people)[0].birth_date.empty());
  std::string after = all_text();
  for (const char* secret : {"555-7777", "signup@example.org", "Signup Person", "private remark 42", "555-0100", "First0"})
    CHECK_MESSAGE(after.find(secret) == std::string::npos, secret);  // gone from every table
  auto info2 = cli.Get("/api/v1/campaigns/" + seeded.campaign, org.headers(false));
  CHECK(fixture::parse(info2->body).find("counts")->find("attempts")->as_int() == 4);  // results stay
  // The append-only guards are back after the purge.
  auto guard = s.app->storage().write([&](store::Db& db) { return db.exec("UPDATE attempt SET result='refused'"); });
  CHECK_FALSE(guard.ok());
  auto pkg = cli.Get("/api/v1/canvass/package", fixture::bearer(token));
  REQUIRE(pkg);
  CHECK(pkg->body.find("First0") == std::string::npos);
  auto audit = s.app->storage().audit_after(seeded.campaign, 0, 100);
  REQUIRE(audit.ok());
  bool purged = false;
  for (const auto& e : *audit) purged = purged || e.action == "campaign.purge";
  CHECK(purged);
}

TEST_CASE("retention: personal data is purged once the campaign's days have passed, once") {
  fixture::Server s;
  auto seeded = fixture::seed(*s.app);
  auto org = fixture::sign_in_admin(s);
  auto cli = s.client();
  auto set = cli.Post("/api/v1/campaigns/" + seeded.campaign + "/settings", org.headers(), R"({"retention_days":30})",
                      "application/json");
  REQUIRE(set);
  REQUIRE(set->status == 200);
  auto first = s.app->purge_expired();
  REQUIRE(first.ok());
  CHECK(*first == 0);  // not yet due
  s.now_ms += 31ll * 86400000;
  auto due = s.app->purge_expired();
  REQUIRE(due.ok());
  CHECK(*due == 1);
  auto again = s.app->purge_expired();
  REQUIRE(again.ok());
  CHECK(*again == 0);  // already purged
  auto people = Result<std::vector<Person>>(Error{});
  s.app->storage().read([&](store::Db& db) {
    people = store::people_at_door(db, seeded.doors_b[0]);
    return Status::Ok();
  });
  REQUIRE(people.ok());
  REQUIRE(!people->empty());
  CHECK((*people)[0].last_name.empty());
}

TEST_CASE("a campaign has languages: optional, [\"en\",\"es\"] by default, BCP 47 codes, kept and listed") {
  fixture::Server s;
  auto org = fixture::sign_in_admin(s);
  auto cli = s.client();
  auto langs_of = [](const json::Value& campaign) {
    std::vector<std::string> out;
    for (const auto& l : campaign.find("languages")->as_array()) out.push_back(l.as_string());
    return out;
  };
  auto plain = cli.Post("/api/v1/campaigns", org.headers(), R"({"name":"Plain"})", "application/json");
  REQUIRE(plain);
  REQUIRE_MESSAGE(plain->status == 200, plain->body);
  CHECK(langs_of(*fixture::parse(plain->body).find("campaign")) == std::vector<std::string>{"en", "es"});

  // The example of docs/api.md, and one with a region subtag.
  auto doc = cli.Post("/api/v1/campaigns", org.headers(),
                      R"({"name":"Venice","languages":["en","es"],"time_zone":"America/Los_Angeles","retention_days":90})",
                      "application/json");
  REQUIRE(doc);
  REQUIRE_MESSAGE(doc->status == 200, doc->body);
  auto three = cli.Post("/api/v1/campaigns", org.headers(), R"({"name":"Koreatown","languages":["ko","en","es-419"]})",
                        "application/json");
  REQUIRE(three);
  REQUIRE_MESSAGE(three->status == 200, three->body);
  std::string id = fixture::parse(three->body).find("campaign")->find("id")->as_string();
  auto one = cli.Get("/api/v1/campaigns/" + id, org.headers(false));
  REQUIRE(one);
  REQUIRE(one->status == 200);
  CHECK(langs_of(*fixture::parse(one->body).find("campaign")) == std::vector<std::string>{"ko", "en", "es-419"});
  auto all = cli.Get("/api/v1/campaigns", org.headers(false));
  REQUIRE(all);
  int listed = 0;
  json::Value listing = fixture::parse(all->body);
  for (const auto& c : listing.find("campaigns")->as_array())
    if (c.find("id")->as_string() == id) listed += langs_of(c).size() == 3;
  CHECK(listed == 1);

  // Refused with a message naming the field, and nothing is created.
  for (const char* bad : {R"({"name":"Bad","languages":[]})", R"({"name":"Bad","languages":"en"})",
                          R"({"name":"Bad","languages":["English"]})", R"({"name":"Bad","languages":["en","en"]})",
                          R"({"name":"Bad","languages":["e"]})", R"({"name":"Bad","languages":["en-"]})",
                          R"({"name":"Bad","languages":[1]})"}) {
    auto r = cli.Post("/api/v1/campaigns", org.headers(), bad, "application/json");
    REQUIRE(r);
    CHECK_MESSAGE(r->status == 400, bad);
    CHECK(fixture::parse(r->body).find("message")->as_string().rfind("languages:", 0) == 0);
  }
  auto after = cli.Get("/api/v1/campaigns", org.headers(false));
  REQUIRE(after);
  CHECK(fixture::parse(after->body).find("campaigns")->as_array().size() == 3);
}
