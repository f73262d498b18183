// A corpus of bad requests against the real server: malformed and truncated JSON, huge numbers,
// deep nesting, invalid UTF-8, oversized bodies and batches, wrong types, unknown fields. Every one
// must get a 4xx with {code, message}, and the server must stay alive and correct afterwards.
#include "tests/server/fixture.h"

using namespace doorstep;

namespace {

void check_4xx(const httplib::Result& r, const std::string& what) {
  CAPTURE(what);
  REQUIRE(r);
  CHECK(r->status >= 400);
  CHECK(r->status < 500);
  auto v = json::parse(r->body);
  REQUIRE_MESSAGE(v.ok(), r->body);
  REQUIRE(v->is_object());
  REQUIRE(v->find("code"));
  CHECK(v->find("code")->is_string());
  CHECK(code_from_name(v->find("code")->as_string()).has_value());
  REQUIRE(v->find("message"));
  CHECK(v->find("message")->is_string());
}

}  // namespace

TEST_CASE("bad push and pull bodies are all 4xx with {code,message}; the server survives") {
  fixture::Server s;
  auto seeded = fixture::seed(*s.app);
  auto org = fixture::sign_in_admin(s);
  auto cli = s.client();
  auto r = cli.Post("/api/v1/turfs/" + seeded.turf_a + "/links", org.headers(), "{}", "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  std::string token = fixture::parse(r->body).find("token")->as_string();
  const std::string cid = "0123456789abcdef0123456789abcdef";
  const std::string good = fixture::push_body(cid, 1, 2, seeded.doors_a, s.now_ms);
  const std::string door = seeded.doors_a[0];
  auto mut = [&](const std::string& payload, const std::string& extra = "") {
    return R"({"v":1,"client_id":")" + cid + R"(","mutations":[{"seq":1,"id":"0192f0d0-1111-7000-8000-000000000001","kind":"attempt.add","hlc":"019b7adc7000-0000-01234567","at":1767225600000,"payload":)" +
           payload + "}" + extra + "]}";
  };
  std::vector<std::pair<std::string, std::string>> corpus = {
      {"empty", ""},
      {"not json", "hello"},
      {"truncated", good.substr(0, good.size() / 2)},
      {"truncated by one", good.substr(0, good.size() - 1)},
      {"trailing garbage", good + "x"},
      {"array at top", "[1,2,3]"},
      {"string at top", "\"push\""},
      {"null", "null"},
      {"huge integer", R"({"v":1,"client_id":")" + cid + R"(","mutations":[{"seq":99999999999999999999999999}]})"},
      {"huge exponent", R"({"v":1e999,"client_id":")" + cid + R"(","mutations":[]})"},
      {"negative seq", mut(R"({"door":")" + door + R"(","result":"talked"})").replace(mut("").find("\"seq\":1") + 6, 1, "-1")},
      {"float seq", R"({"v":1,"client_id":")" + cid + R"(","mutations":[{"seq":1.5}]})"},
      {"deep nesting", std::string(5000, '[') + std::string(5000, ']')},
      {"deep object nesting", [] {
         std::string x;
         for (int i = 0; i < 200; ++i) x += "{\"a\":";
         x += "1";
         for (int i = 0; i < 200; ++i) x += "}";
         return x;
       }()},
      {"invalid utf-8 in a string", mut(R"({"door":")" + door + R"(","result":"talked","notes":"caf\xC3"})")},
      {"overlong utf-8", mut(R"({"door":")" + door + R"(","result":"talked","notes":"\xC0\xAF"})")},
      {"lone surrogate escape", mut(R"({"door":")" + door + R"(","result":"talked","notes":"\ud800"})")},
      {"nul byte", std::string("{\"v\":1,\0}", 9)},
      {"duplicate key", R"({"v":1,"v":1,"client_id":")" + cid + R"(","mutations":[]})"},
      {"wrong type: v", R"({"v":"1","client_id":")" + cid + R"(","mutations":[]})"},
      {"wrong type: mutations", R"({"v":1,"client_id":")" + cid + R"(","mutations":{}})"},
      {"wrong type: client_id", R"({"v":1,"client_id":12,"mutations":[]})"},
      {"bad client id", R"({"v":1,"client_id":"ZZZ","mutations":[]})"},
      {"missing mutations", R"({"v":1,"client_id":")" + cid + R"("})"},
      {"unknown top field", R"({"v":1,"client_id":")" + cid + R"(","mutations":[],"admin":true})"},
      {"unknown payload field", mut(R"({"door":")" + door + R"(","result":"talked","immigration":"x"})")},
      {"unknown result", mut(R"({"door":")" + door + R"(","result":"maybe"})")},
      {"bad door id", mut(R"({"door":"../../etc/passwd","result":"talked"})")},
      {"lat out of range", mut(R"({"door":")" + door + R"(","result":"talked","lat":91,"lon":0})")},
      {"future version", R"({"v":99,"client_id":")" + cid + R"(","mutations":[]})"},
      {"oversized batch", fixture::push_body(cid, 1, 101, seeded.doors_a, s.now_ms)},
      {"oversized note", mut(R"({"door":")" + door + R"(","result":"talked","notes":")" + std::string(20000, 'n') + "\"}")},
      {"non-consecutive seq", [&] {
         std::string b = fixture::push_body(cid, 1, 2, seeded.doors_a, s.now_ms);
         return b.replace(b.find("\"seq\":2"), 7, "\"seq\":5");
       }()},
  };
  for (const auto& [name, body] : corpus) {
    check_4xx(cli.Post("/api/v1/canvass/push", fixture::bearer(token), body, "application/json"), "push: " + name);
    check_4xx(cli.Post("/api/v1/canvass/pull", fixture::bearer(token), body, "application/json"), "pull: " + name);
    check_4xx(cli.Post("/api/v1/auth/signin", body, "application/json"), "signin: " + name);
    check_4xx(cli.Post("/api/v1/campaigns", org.headers(), body, "application/json"), "campaigns: " + name);
  }
  // Wrong or missing Content-Type, and bad query parameters.
  check_4xx(cli.Post("/api/v1/canvass/push", fixture::bearer(token), good, "text/plain"), "push as text/plain");
  check_4xx(cli.Get("/api/v1/canvass/pull?cursor=abc", fixture::bearer(token)), "pull cursor abc");
  check_4xx(cli.Get("/api/v1/canvass/pull?limit=-3", fixture::bearer(token)), "pull limit -3");
  check_4xx(cli.Get("/api/v1/canvass/pull?cursor=" + std::string(100, '9'), fixture::bearer(token)), "pull long cursor");
  check_4xx(cli.Get("/api/v1/campaigns/" + seeded.campaign + "/progress?cursor=x", org.headers(false)), "progress cursor");
  check_4xx(cli.Get("/api/v1/campaigns/0192f0c4-7a10-7c3e-9b1a-2f4e5d6c7b8a", org.headers(false)), "unknown campaign");
  check_4xx(cli.Post("/api/v1/campaigns/" + seeded.campaign + "/turfs", org.headers(),
                     R"({"name":"x","polygon":{"type":"Polygon","coordinates":[[[0,0],[1,1]]]}})", "application/json"),
            "degenerate polygon");
  check_4xx(cli.Post("/api/v1/campaigns/" + seeded.campaign + "/turfs", org.headers(),
                     R"J({"name":"x","polygon":"POLYGON((0 0,1 1,1 0))"})J", "application/json"),
            "WKT polygon");
  check_4xx(cli.Post("/api/v1/turfs/" + seeded.turf_a + "/links", org.headers(), R"({"expires_in_days":100000})",
                     "application/json"),
            "link ttl too long");
  check_4xx(cli.Post("/api/v1/turfs/" + seeded.turf_a + "/links", org.headers(), R"({"expires_in_days":"2"})",
                     "application/json"),
            "link ttl as string");
  check_4xx(cli.Post("/api/v1/campaigns/" + seeded.campaign + "/purge", org.headers(), R"({"confirm":"wrong name"})",
                     "application/json"),
            "purge with the wrong name");

  // A body over the server's limit (4 MiB) is cut off with 413 too_large.
  std::string huge(5u << 20, ' ');
  auto big = cli.Post("/api/v1/canvass/push", fixture::bearer(token), huge, "application/json");
  check_4xx(big, "oversized body");
  CHECK(big->status == 413);
  CHECK(fixture::parse(big->body).find("code")->as_string() == "too_large");

  // Alive, and still correct: the good push is applied once.
  auto ok = cli.Post("/api/v1/canvass/push", fixture::bearer(token), good, "application/json");
  REQUIRE(ok);
  CHECK_MESSAGE(ok->status == 200, ok->body);
  REQUIRE(fixture::parse(ok->body).find("acked_through"));
  CHECK(fixture::parse(ok->body).find("acked_through")->as_int() == 2);
  auto health = cli.Get("/api/v1/health");
  REQUIRE(health);
  CHECK(health->status == 200);
}

TEST_CASE("a push naming another protocol kind or with a conflicting retry is answered, not crashed") {
  fixture::Server s;
  auto seeded = fixture::seed(*s.app);
  auto org = fixture::sign_in_admin(s);
  auto cli = s.client();
  auto r = cli.Post("/api/v1/turfs/" + seeded.turf_a + "/links", org.headers(), "{}", "application/json");
  std::string token = fixture::parse(r->body).find("token")->as_string();
  const std::string cid = "fedcba9876543210fedcba9876543210";
  auto first = cli.Post("/api/v1/canvass/push", fixture::bearer(token),
                        fixture::push_body(cid, 1, 3, seeded.doors_a, s.now_ms), "application/json");
  REQUIRE(first);
  CHECK(fixture::parse(first->body).find("acked_through")->as_int() == 3);
  // The same numbers with other content: a conflict the client resolves with a new client id.
  auto other = cli.Post("/api/v1/canvass/push", fixture::bearer(token),
                        fixture::push_body(cid, 1, 3, seeded.doors_a, s.now_ms + 99999), "application/json");
  REQUIRE(other);
  CHECK(other->status == 200);
  CHECK(fixture::parse(other->body).find("code")->as_string() == "conflict");
  // A gap: seq 7 after 3.
  auto gap = cli.Post("/api/v1/canvass/push", fixture::bearer(token),
                      fixture::push_body(cid, 7, 1, seeded.doors_a, s.now_ms), "application/json");
  REQUIRE(gap);
  CHECK(gap->status == 200);
  auto gv = fixture::parse(gap->body);
  CHECK(gv.find("code")->as_string() == "gap");
  CHECK(gv.find("acked_through")->as_int() == 3);
}

TEST_CASE("a storage failure answers a stable message: SQLite's own text goes to the log, never to the client") {
  fixture::Server s;
  auto seeded = fixture::seed(*s.app);
  auto org = fixture::sign_in_admin(s);
  auto cli = s.client();
  // A table the campaign list reads is gone (as a damaged or half-migrated file would be).
  REQUIRE(s.app->storage().write([](store::Db& db) { return db.exec("DROP TABLE srv_campaign_maps"); }).ok());
  auto r = cli.Get("/api/v1/campaigns", org.headers());
  REQUIRE(r);
  CHECK(r->status == 500);
  auto v = fixture::parse(r->body);
  CHECK(v.find("code")->as_string() == "internal");
  const std::string message = v.find("message")->as_string();
  CHECK(message == "the server could not complete this request");
  for (const char* leak : {"no such table", "srv_campaign_maps", "SELECT", "prepare"}) CHECK(r->body.find(leak) == std::string::npos);
  // Errors the server words itself still say what was wrong.
  auto bad = cli.Post("/api/v1/campaigns/" + seeded.campaign + "/settings", org.headers(), R"({"tile_cache_mb":0})", "application/json");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(bad->body.find("tile_cache_mb: must be between 1 and 200") != std::string::npos);
}
