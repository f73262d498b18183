// Links for a crew over real loopback HTTP: many at once in the order of turf_ids, expiry as
// "tonight 21:00" in the campaign's zone, the campaign's link list, extend, reissue (the old token
// stops working), the handout's walk list (names and addresses only), and every bad input refused
// with nothing made.
#include "tests/server/fixture.h"

using namespace doorstep;

namespace {

struct World : fixture::SeededServer {
  httplib::Result post(const std::string& path, const std::string& body, bool csrf = true) {
    auto cli = s.client();
    return cli.Post(path, org.headers(csrf), body, "application/json");
  }
  json::Value get(const std::string& path) {
    auto cli = s.client();
    auto r = cli.Get(path, org.headers(false));
    REQUIRE(r);
    REQUIRE_MESSAGE(r->status == 200, r->body);
    return fixture::parse(r->body);
  }
  size_t link_count() { return get("/api/v1/campaigns/" + seeded.campaign + "/links").find("links")->size(); }
};

}  // namespace

TEST_CASE("links for a crew: in the order of turf_ids, expiring tonight 21:00 in the campaign's zone") {
  World w;
  // The fixture's clock: 2026-01-01 00:00 UTC = 2025-12-31 16:00 in Los Angeles; 21:00 there is 05:00 UTC.
  auto r = w.post("/api/v1/campaigns/" + w.seeded.campaign + "/links",
                  R"({"turf_ids":[")" + w.seeded.turf_b + R"(",")" + w.seeded.turf_a + R"(",")" + w.seeded.turf_b +
                      R"("],"labels":["Lee","Sam","Ana"],"expires_at":"tonight 21:00"})");
  REQUIRE(r);
  REQUIRE_MESSAGE(r->status == 200, r->body);
  auto v = fixture::parse(r->body);
  const auto& links = v.find("links")->as_array();
  REQUIRE(links.size() == 3);
  const char* labels[] = {"Lee", "Sam", "Ana"};
  std::string turfs[] = {w.seeded.turf_b, w.seeded.turf_a, w.seeded.turf_b};
  for (size_t i = 0; i < 3; ++i) {
    CHECK(links[i].find("link")->find("label")->as_string() == labels[i]);
    CHECK(links[i].find("link")->find("turf_id")->as_string() == turfs[i]);
    CHECK(links[i].find("link")->find("expires_at")->as_int() == w.s.now_ms + 5 * 3600000);
    CHECK(links[i].find("url")->as_string().find("#t=" + links[i].find("token")->as_string()) != std::string::npos);
  }
  // Sam's token reads turf A.
  auto cli = w.s.client();
  auto pkg = cli.Get("/api/v1/canvass/package", fixture::bearer(links[1].find("token")->as_string()));
  REQUIRE(pkg);
  CHECK(pkg->status == 200);
  CHECK(fixture::parse(pkg->body).find("turf")->find("id")->as_string() == w.seeded.turf_a);

  // At 22:00 local, "tonight 21:00" is tomorrow's; an absolute time works too.
  w.s.now_ms += 6 * 3600000;
  r = w.post("/api/v1/campaigns/" + w.seeded.campaign + "/links",
             R"({"turf_ids":[")" + w.seeded.turf_a + R"("],"expires_at":"tonight 21:00"})");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  CHECK(fixture::parse(r->body).find("links")->as_array()[0].find("link")->find("expires_at")->as_int() ==
        w.s.now_ms + 23 * 3600000);
  r = w.post("/api/v1/campaigns/" + w.seeded.campaign + "/links",
             R"({"turf_ids":[")" + w.seeded.turf_a + R"("],"expires_at":)" + std::to_string(w.s.now_ms + 60000) + "}");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(w.link_count() == 5);
}

TEST_CASE("crew links refuse bad input and make nothing") {
  World w;
  std::string path = "/api/v1/campaigns/" + w.seeded.campaign + "/links";
  std::string a = "\"" + w.seeded.turf_a + "\"";
  struct Case {
    const char* what;
    std::string body;
    int status;
  } cases[] = {
      {"no turfs", R"({"turf_ids":[]})", 400},
      {"not an array", R"({"turf_ids":"x"})", 400},
      {"labels of another length", R"({"turf_ids":[)" + a + R"(],"labels":["a","b"]})", 400},
      {"a label too long", R"({"turf_ids":[)" + a + R"(],"labels":[")" + std::string(101, 'x') + R"("]})", 400},
      {"an unknown turf", R"({"turf_ids":[)" + a + R"(,"0192f0c4-7a11-7d00-8a00-000000000001"]})", 404},
      {"tonight at 25:00", R"({"turf_ids":[)" + a + R"(],"expires_at":"tonight 25:00"})", 400},
      {"expiry as words", R"({"turf_ids":[)" + a + R"(],"expires_at":"soon"})", 400},
      {"expiry in the past", R"({"turf_ids":[)" + a + R"(],"expires_at":1000})", 400},
      {"expiry beyond a year", R"({"turf_ids":[)" + a + R"(],"expires_at":)" + std::to_string(w.s.now_ms + 400ll * 86400000) + "}", 400},
      {"an unknown field", R"({"turf_ids":[)" + a + R"(],"expires_in_days":2})", 400},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    auto r = w.post(path, c.body);
    REQUIRE(r);
    CHECK(r->status == c.status);
    CHECK(fixture::parse(r->body).find("message")->as_string().size() > 0);
  }
  std::vector<std::string> many(201, w.seeded.turf_a);
  std::string big = R"({"turf_ids":[")";
  for (size_t i = 0; i < many.size(); ++i) big += (i ? "\",\"" : "") + many[i];
  big += "\"]}";
  auto r = w.post(path, big);
  REQUIRE(r);
  CHECK(r->status == 413);
  r = w.post(path, R"({"turf_ids":[)" + a + "]}", false);  // no CSRF header
  REQUIRE(r);
  CHECK(r->status == 403);
  auto cli = w.s.client();
  r = cli.Post(path, R"({"turf_ids":[)" + a + "]}", "application/json");  // no session
  REQUIRE(r);
  CHECK(r->status == 401);
  CHECK(w.link_count() == 0);
}

TEST_CASE("the link list, extend and reissue: the reissued link's old token is revoked") {
  World w;
  auto r = w.post("/api/v1/campaigns/" + w.seeded.campaign + "/links",
                  R"({"turf_ids":[")" + w.seeded.turf_a + R"("],"labels":["Sam"],"expires_at":"tonight 21:00"})");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  auto made = fixture::parse(r->body).find("links")->as_array()[0];
  std::string id = made.find("link")->find("id")->as_string(), token = made.find("token")->as_string();
  auto cli = w.s.client();
  REQUIRE(cli.Get("/api/v1/canvass/package", fixture::bearer(token))->status == 200);
  auto list = w.get("/api/v1/campaigns/" + w.seeded.campaign + "/links").find("links")->as_array();
  REQUIRE(list.size() == 1);
  CHECK(list[0].find("last_used_at")->as_int() == w.s.now_ms);
  CHECK(list[0].find("label")->as_string() == "Sam");

  int64_t later = w.s.now_ms + 2 * 86400000;
  r = w.post("/api/v1/links/" + id + "/extend", R"({"expires_at":)" + std::to_string(later) + "}");
  REQUIRE(r);
  REQUIRE_MESSAGE(r->status == 200, r->body);
  CHECK(fixture::parse(r->body).find("link")->find("expires_at")->as_int() == later);
  for (const char* bad : {R"({})", R"({"expires_at":"tomorrow"})", R"({"expires_at":5,"x":1})"}) {
    CAPTURE(bad);
    r = w.post("/api/v1/links/" + id + "/extend", bad);
    REQUIRE(r);
    CHECK(r->status == 400);
  }
  r = w.post("/api/v1/links/0192f0c4-7a11-7d00-8a00-000000000001/extend", R"({"expires_at":"tonight 21:00"})");
  REQUIRE(r);
  CHECK(r->status == 404);

  r = w.post("/api/v1/links/" + id + "/reissue", "{}");
  REQUIRE(r);
  REQUIRE_MESSAGE(r->status == 200, r->body);
  auto re = fixture::parse(r->body);
  CHECK(re.find("replaces")->as_string() == id);
  CHECK(re.find("link")->find("label")->as_string() == "Sam");
  CHECK(re.find("link")->find("turf_id")->as_string() == w.seeded.turf_a);
  CHECK(re.find("link")->find("expires_at")->as_int() == later);
  auto old = cli.Get("/api/v1/canvass/package", fixture::bearer(token));
  REQUIRE(old);
  CHECK(old->status == 401);
  CHECK(fixture::parse(old->body).find("code")->as_string() == "revoked");
  CHECK(cli.Get("/api/v1/canvass/package", fixture::bearer(re.find("token")->as_string()))->status == 200);
  // A revoked link is not extended (reissue it instead).
  r = w.post("/api/v1/links/" + id + "/extend", R"({"expires_at":"tonight 21:00"})");
  REQUIRE(r);
  CHECK(r->status == 400);
  CHECK(w.link_count() == 2);
}

TEST_CASE("the handout's walk list holds names and addresses in walk order, nothing else personal") {
  World w;
  auto v = w.get("/api/v1/turfs/" + w.seeded.turf_a + "/walklist");
  CHECK(v.find("turf")->find("name")->as_string() == "Turf A");
  const auto& doors = v.find("doors")->as_array();
  REQUIRE(doors.size() == 3);
  CHECK(doors[0].find("order")->as_int() == 1);
  CHECK(doors[0].find("address")->as_string() == "1319 Walgrove");
  CHECK(doors[0].find("people")->as_array()[0].find("first_name")->as_string() == "First0");
  std::string text = json::dump(v);
  CHECK(text.find("555-010") == std::string::npos);
  CHECK(text.find("1980-01") == std::string::npos);
  CHECK(text.find("\"language\"") == std::string::npos);
  auto cli = w.s.client();
  auto r = cli.Get("/api/v1/turfs/0192f0c4-7a11-7d00-8a00-000000000001/walklist", w.org.headers(false));
  REQUIRE(r);
  CHECK(r->status == 404);
  r = cli.Get("/api/v1/turfs/" + w.seeded.turf_a + "/walklist");
  REQUIRE(r);
  CHECK(r->status == 401);
}
