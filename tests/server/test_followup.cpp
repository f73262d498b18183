// Follow-up and paper tallies over real loopback HTTP: sign-ups pushed by a phone reach the
// queue and the exports only with the consent the export is for (text_me among them); the queue's
// state is kept; paper results count like phone records; bad input is refused with nothing kept.
#include "tests/server/fixture.h"

using namespace doorstep;

namespace {

json::Value signup(int64_t seq, const std::string& door, const char* name, bool text_me, bool join, int64_t at) {
  json::Value consents = json::Value(json::Object{{"call_me", false}, {"email_me", true}, {"volunteer", false},
                                                  {"join", join}, {"text_me", text_me}});
  json::Value m = json::Value::object();
  m.set("seq", seq);
  m.set("id", new_uuid_v7(at));
  m.set("kind", "signup.add");
  m.set("hlc", Hlc{at, 0, "phone"}.to_string());
  m.set("at", at);
  m.set("payload", json::Value(json::Object{{"door", door}, {"name", name}, {"phone", "310-555-0101"},
                                            {"email", std::string(name).substr(0, 4) + "@example.org"},
                                            {"consents", consents}}));
  return m;
}

struct World : fixture::SeededServer {
  std::string get(const std::string& path, int status = 200) {
    auto cli = s.client();
    auto r = cli.Get(path, org.headers(false));
    REQUIRE(r);
    CHECK_MESSAGE(r->status == status, r->body);
    return r->body;
  }
  int post(const std::string& path, const std::string& body) {
    auto cli = s.client();
    auto r = cli.Post(path, org.headers(), body, "application/json");
    REQUIRE(r);
    return r->status;
  }
};

}  // namespace

TEST_CASE("sign-ups reach the follow-up queue and its exports only with the purpose's consent") {
  World w;
  auto link = server::create_link(w.s.app->storage(), w.seeded.campaign, w.seeded.turf_a, "Sam", "t", w.s.now_ms, 86400000);
  REQUIRE(link.ok());
  json::Value arr = json::Value::array();
  arr.push(signup(1, w.seeded.doors_a[0], "Tess Texter", true, false, w.s.now_ms));
  arr.push(signup(2, w.seeded.doors_a[1], "Noah Notext", false, true, w.s.now_ms + 1));
  auto cli = w.s.client();
  auto push = cli.Post("/api/v1/canvass/push", fixture::bearer(link->token),
                       json::dump(json::Value(json::Object{{"v", 1}, {"client_id", "f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0"},
                                                           {"mutations", arr}})),
                       "application/json");
  REQUIRE(push);
  REQUIRE_MESSAGE(push->status == 200, push->body);

  std::string base = "/api/v1/campaigns/" + w.seeded.campaign;
  auto q = fixture::parse(w.get(base + "/signups?purpose=text_me"));
  const auto& list = q.find("signups")->as_array();
  REQUIRE(list.size() == 1);
  CHECK(list[0].find("name")->as_string() == "Tess Texter");
  CHECK(list[0].find("status")->as_string() == "new");
  CHECK(list[0].find("consents")->find("text_me")->as_bool());
  CHECK(list[0].find("address")->as_string() == "1319 Walgrove");
  std::string id = list[0].find("id")->as_string();
  CHECK(fixture::parse(w.get(base + "/signups?purpose=join")).find("signups")->size() == 1);
  CHECK(fixture::parse(w.get(base + "/signups?purpose=email_me")).find("signups")->size() == 2);

  CHECK(w.post("/api/v1/signups/" + id + "/followup", R"({"status":"texted","assigned_to":"Lee"})") == 200);
  auto after = fixture::parse(w.get(base + "/signups?purpose=text_me"));
  CHECK(after.find("signups")->as_array()[0].find("status")->as_string() == "texted");
  CHECK(after.find("signups")->as_array()[0].find("assigned_to")->as_string() == "Lee");

  std::string text = w.get(base + "/export/followup?purpose=text_me");
  CHECK(text.find("Tess Texter") != std::string::npos);
  CHECK(text.find("Noah") == std::string::npos);
  CHECK(text.find("texted") != std::string::npos);
  std::string an = w.get(base + "/export/action_network");
  CHECK(an.find("Tess@example.org,Tess,Texter") != std::string::npos);
  CHECK(an.find("Noah@example.org,Noah,Notext,1325 Walgrove,\r\n") != std::string::npos);  // no text_me: no mobile
  std::string nb = w.get(base + "/export/nationbuilder");
  CHECK(nb.find("Noah") != std::string::npos);
  CHECK(nb.find("Tess") == std::string::npos);

  // Bad input.
  w.get(base + "/signups?purpose=maybe", 400);
  w.get(base + "/export/followup", 400);  // a purpose is required
  w.get("/api/v1/campaigns/0192f0c4-7a11-7d00-8a00-000000000001/signups", 404);
  CHECK(w.post("/api/v1/signups/" + id + "/followup", R"({"status":"maybe"})") == 400);
  CHECK(w.post("/api/v1/signups/" + id + "/followup", R"({})") == 400);
  CHECK(w.post("/api/v1/signups/" + id + "/followup", R"({"status":"called","x":1})") == 400);
  CHECK(w.post("/api/v1/signups/0192f0c4-7a11-7d00-8a00-000000000001/followup", R"({"status":"called"})") == 404);
  CHECK(fixture::parse(w.get(base + "/signups?purpose=text_me")).find("signups")->as_array()[0].find("status")->as_string() ==
        "texted");
  auto anon = cli.Get(base + "/signups?purpose=text_me");
  REQUIRE(anon);
  CHECK(anon->status == 401);
}

TEST_CASE("paper tallies count like phone records, marked as entered from paper; bad sheets keep nothing") {
  World w;
  std::string path = "/api/v1/turfs/" + w.seeded.turf_a + "/paper";
  std::string d0 = w.seeded.doors_a[0], d1 = w.seeded.doors_a[1];
  CHECK(w.post(path, R"({"canvasser":"Sam","entries":[{"door_id":")" + d0 + R"(","result":"talked"},{"door_id":")" + d1 +
                         R"(","result":"not_home"}]})") == 200);
  auto p = fixture::parse(w.get("/api/v1/campaigns/" + w.seeded.campaign + "/progress"));
  CHECK(p.find("totals")->find("attempts")->as_int() == 2);
  CHECK(p.find("totals")->find("contacts")->as_int() == 1);
  const auto& rows = p.find("canvassers")->as_array();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].find("name")->as_string() == "Sam");
  CHECK(rows[0].find("link_id")->as_string() == "");
  std::string attempts = w.get("/api/v1/campaigns/" + w.seeded.campaign + "/export/attempts");
  CHECK(attempts.find("paper") != std::string::npos);

  std::string b0 = w.seeded.doors_b[0];
  struct Case {
    const char* what;
    std::string body;
    int status;
  } cases[] = {
      {"another turf's door", R"({"entries":[{"door_id":")" + d0 + R"(","result":"talked"},{"door_id":")" + b0 + R"(","result":"talked"}]})", 400},
      {"an unknown result", R"({"entries":[{"door_id":")" + d0 + R"(","result":"maybe"}]})", 400},
      {"answers not an object", R"({"entries":[{"door_id":")" + d0 + R"(","result":"talked","answers":[1]}]})", 400},
      {"entries not an array", R"({"entries":{}})", 400},
      {"an unknown field", R"({"entries":[],"when":1})", 400},
      {"an entry without a door", R"({"entries":[{"result":"talked"}]})", 400},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    CHECK(w.post(path, c.body) == c.status);
  }
  std::string many = R"({"entries":[)";
  for (int i = 0; i < 2001; ++i) many += std::string(i ? "," : "") + R"({"door_id":")" + d0 + R"(","result":"talked"})";
  CHECK(w.post(path, many + "]}") == 413);
  CHECK(w.post("/api/v1/turfs/0192f0c4-7a11-7d00-8a00-000000000001/paper", R"({"entries":[]})") == 404);
  CHECK(fixture::parse(w.get("/api/v1/campaigns/" + w.seeded.campaign + "/progress")).find("totals")->find("attempts")->as_int() == 2);
}
