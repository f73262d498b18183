// Per-link push quotas over real loopback HTTP (issue 10 item 3): a link over its hourly
// mutation or byte budget gets 429 with Retry-After, nothing of that push is applied, another
// link is unaffected, and the next window takes the same push.
#include "server/links.h"
#include "tests/server/fixture.h"

using namespace doorstep;

TEST_CASE("regression: a link over its hourly quota gets 429 with Retry-After and loses nothing") {
  server::AppConfig ac;
  ac.link_quota.mutations = 5;
  fixture::Server s({}, ac);
  auto w = fixture::seed(*s.app);
  auto a = server::create_link(s.app->storage(), w.campaign, w.turf_a, "Sam", "test", s.now_ms, 48ll * 3600 * 1000);
  auto b = server::create_link(s.app->storage(), w.campaign, w.turf_a, "Ana", "test", s.now_ms, 48ll * 3600 * 1000);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  auto cli = s.client();
  const std::string ca = "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1", cb = "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2";
  auto push = [&](const std::string& token, const std::string& client, int64_t first, int n) {
    auto r = cli.Post("/api/v1/canvass/push", fixture::bearer(token), fixture::push_body(client, first, n, w.doors_a, s.now_ms),
                      "application/json");
    REQUIRE(r);
    return r;
  };
  CHECK(push(a->token, ca, 1, 3)->status == 200);
  auto over = push(a->token, ca, 4, 3);  // 6 > 5
  CHECK(over->status == 429);
  CHECK(fixture::parse(over->body).find("code")->as_string() == "rate_limited");
  int retry = std::stoi(over->get_header_value("Retry-After"));
  CHECK(retry > 0);
  CHECK(retry <= 3600);
  CHECK(push(b->token, cb, 1, 3)->status == 200);  // another link has its own budget
  s.app->storage().read([&](store::Db& db) {
    auto n = db.prepare("SELECT count(*) FROM sync_record");
    REQUIRE(n.ok());
    REQUIRE(n->step().value());
    CHECK(n->int64(0) == 6);  // nothing of the refused push was applied or kept
    return Status::Ok();
  });
  s.now_ms += 3600ll * 1000;  // the next window takes the same push
  auto again = push(a->token, ca, 4, 3);
  CHECK(again->status == 200);
  CHECK(fixture::parse(again->body).find("acked_through")->as_int() == 6);
}

TEST_CASE("a campaign's own link quota: set by its owner in settings, shown on the campaign, 0 for the default") {
  fixture::SeededServer w;
  auto& s = w.s;
  auto a = server::create_link(s.app->storage(), w.seeded.campaign, w.seeded.turf_a, "Sam", "test", s.now_ms, 48ll * 3600 * 1000);
  REQUIRE(a.ok());
  auto cli = s.client();
  const std::string base = "/api/v1/campaigns/" + w.seeded.campaign;
  auto show = [&] {
    auto r = cli.Get(base, w.org.headers(false));
    REQUIRE(r);
    REQUIRE(r->status == 200);
    return *fixture::parse(r->body).find("link_quota");
  };
  CHECK(show().find("mutations")->as_int() == 3000);
  CHECK(show().find("bytes")->as_int() == 8ll << 20);
  CHECK_FALSE(show().find("campaign_set")->as_bool());
  auto set = cli.Post(base + "/settings", w.org.headers(), R"({"link_quota_mutations":4})", "application/json");
  REQUIRE(set);
  REQUIRE_MESSAGE(set->status == 200, set->body);
  CHECK(show().find("mutations")->as_int() == 4);
  CHECK(show().find("bytes")->as_int() == 8ll << 20);
  CHECK(show().find("campaign_set")->as_bool());
  auto bad = cli.Post(base + "/settings", w.org.headers(), R"({"link_quota_bytes":-5})", "application/json");
  REQUIRE(bad);
  CHECK(bad->status == 400);

  const std::string ca = "c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3";
  auto push = [&](int64_t first, int n) {
    auto r = cli.Post("/api/v1/canvass/push", fixture::bearer(a->token), fixture::push_body(ca, first, n, w.seeded.doors_a, s.now_ms),
                      "application/json");
    REQUIRE(r);
    return r;
  };
  CHECK(push(1, 3)->status == 200);
  auto over = push(4, 2);  // 5 > the campaign's 4
  CHECK(over->status == 429);
  CHECK(over->has_header("Retry-After"));
  // Back to the server's default: the same push fits.
  auto reset = cli.Post(base + "/settings", w.org.headers(), R"({"link_quota_mutations":0})", "application/json");
  REQUIRE(reset);
  REQUIRE(reset->status == 200);
  CHECK(show().find("mutations")->as_int() == 3000);
  CHECK(push(4, 2)->status == 200);
  bool audited = false;
  auto audit = s.app->storage().audit_after(w.seeded.campaign, 0, 1000);
  REQUIRE(audit.ok());
  for (const auto& e : *audit) audited = audited || e.action == "campaign.link_quota";
  CHECK(audited);
}
