// The live dashboard over real loopback HTTP: phones push through a crew link with the names they
// were given, and the progress answer carries one row per (link, name) with contacts counted as
// doors, the roster (opened, downloaded, last record), support, and the results map's latest
// result per door; bad requests are refused.
#include "tests/server/fixture.h"

using namespace doorstep;

namespace {

// One attempt.add with a canvasser name and an optional 1-5 answer for question `q`.
json::Value attempt(int64_t seq, const std::string& door, const char* result, const char* name, int64_t at,
                    const std::string& q = "", int support = 0) {
  json::Value p = json::Value::object();
  p.set("door", door);
  p.set("result", result);
  p.set("canvasser", name);
  p.set("survey_version", 0);
  if (support) p.set("answers", json::Value(json::Object{{q, support}}));
  json::Value m = json::Value::object();
  m.set("seq", seq);
  m.set("id", new_uuid_v7(at));
  m.set("kind", "attempt.add");
  m.set("hlc", Hlc{at, 0, "phone"}.to_string());
  m.set("at", at);
  m.set("payload", p);
  return m;
}

std::string push_of(const char* client, std::vector<json::Value> muts) {
  json::Value arr = json::Value::array();
  for (auto& m : muts) arr.push(std::move(m));
  return json::dump(json::Value(json::Object{{"v", 1}, {"client_id", client}, {"mutations", arr}}));
}

}  // namespace

TEST_CASE("progress: a row per (link, phone-given name), contacts as doors, the roster and the results map") {
  fixture::Server s;
  auto w = fixture::seed(*s.app);
  auto org = fixture::sign_in_admin(s);
  auto cli = s.client();
  auto r = cli.Post("/api/v1/campaigns/" + w.campaign + "/links", org.headers(),
                    R"({"turf_ids":[")" + w.turf_a + R"(",")" + w.turf_b + R"("],"labels":["Team A","Team B"]})",
                    "application/json");
  REQUIRE(r);
  REQUIRE_MESSAGE(r->status == 200, r->body);
  auto links = fixture::parse(r->body).find("links")->as_array();
  std::string token = links[0].find("token")->as_string(), link = links[0].find("link")->find("id")->as_string();
  s.now_ms += 1000;
  auto pkg = cli.Get("/api/v1/canvass/package", fixture::bearer(token));
  REQUIRE(pkg);
  REQUIRE(pkg->status == 200);
  std::string qid = fixture::parse(pkg->body).find("survey")->as_array()[0].find("id")->as_string();
  int64_t t = s.now_ms;
  // Sam's phone talks twice at door 0 (one contact), not home at door 1; Ana's phone, same link.
  auto p1 = cli.Post("/api/v1/canvass/push", fixture::bearer(token),
                     push_of("5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a",
                             {attempt(1, w.doors_a[0], "talked", "Sam", t, qid, 2),
                              attempt(2, w.doors_a[0], "talked", "Sam", t + 600000, qid, 1),
                              attempt(3, w.doors_a[1], "not_home", "Sam", t + 1200000)}),
                     "application/json");
  REQUIRE(p1);
  REQUIRE_MESSAGE(p1->status == 200, p1->body);
  auto p2 = cli.Post("/api/v1/canvass/push", fixture::bearer(token),
                     push_of("a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0", {attempt(1, w.doors_a[2], "talked", "Ana", t + 60000, qid, 1)}),
                     "application/json");
  REQUIRE(p2);
  REQUIRE_MESSAGE(p2->status == 200, p2->body);

  auto pr = cli.Get("/api/v1/campaigns/" + w.campaign + "/progress", org.headers(false));
  REQUIRE(pr);
  REQUIRE_MESSAGE(pr->status == 200, pr->body);
  auto v = fixture::parse(pr->body);
  auto totals = v.find("totals");
  CHECK(totals->find("attempts")->as_int() == 4);
  CHECK(totals->find("doors_knocked")->as_int() == 3);
  CHECK(totals->find("contacts")->as_int() == 2);
  CHECK(totals->find("contact_rate")->as_double() == doctest::Approx(2.0 / 3));
  const auto& rows = v.find("canvassers")->as_array();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].find("name")->as_string() == "Ana");
  CHECK(rows[1].find("name")->as_string() == "Sam");
  for (const auto& row : rows) {
    CHECK(row.find("label")->as_string() == "Team A");
    CHECK(row.find("link_id")->as_string() == link);
    CHECK(row.find("turf_id")->as_string() == w.turf_a);
  }
  CHECK(rows[1].find("attempts")->as_int() == 3);
  CHECK(rows[1].find("doors_knocked")->as_int() == 2);
  CHECK(rows[1].find("contacts")->as_int() == 1);
  CHECK(rows[1].find("contact_rate")->as_double() == doctest::Approx(0.5));
  CHECK(rows[1].find("last_attempt_at")->as_int() == t + 1200000);
  const auto& roster = v.find("roster")->as_array();
  REQUIRE(roster.size() == 2);
  CHECK(roster[0].find("label")->as_string() == "Team A");
  CHECK(roster[0].find("opened_at")->as_int() == t);
  CHECK(roster[0].find("downloaded_at")->as_int() == t);
  CHECK(roster[0].find("last_record_at")->as_int() == t);
  CHECK(roster[0].find("finished")->as_bool());
  CHECK(roster[1].find("opened_at")->as_int() == 0);  // Team B never opened theirs
  CHECK_FALSE(roster[1].find("finished")->as_bool());
  CHECK(v.find("support")->find("1")->as_int() == 2);  // door 0's latest answer is 1, door 2's is 1
  CHECK(v.find("support")->find("2")->as_int() == 0);

  auto res = cli.Get("/api/v1/campaigns/" + w.campaign + "/results", org.headers(false));
  REQUIRE(res);
  REQUIRE(res->status == 200);
  auto results = fixture::parse(res->body);
  const auto& doors = results.find("doors")->as_array();
  REQUIRE(doors.size() == 3);
  for (const auto& d : doors) {
    CHECK(d.find("lat")->as_double() > 34.0);
    CHECK(d.find("result")->as_string() == (d.find("id")->as_string() == w.doors_a[1] ? "not_home" : "talked"));
  }
  auto bad = cli.Get("/api/v1/campaigns/0192f0c4-7a11-7d00-8a00-000000000001/results", org.headers(false));
  REQUIRE(bad);
  CHECK(bad->status == 404);
  bad = cli.Get("/api/v1/campaigns/" + w.campaign + "/results");
  REQUIRE(bad);
  CHECK(bad->status == 401);
}
