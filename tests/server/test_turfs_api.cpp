// Organizer part 2 over real loopback HTTP (issue 13): the walking pace as campaign settings and
// the one minutes formula; drawn turfs (door counts against the test's own point-in-polygon),
// reshape, rename, split, merge, delete (archived with records, links ended), warnings, auto-cut
// of an area by doors or minutes with the turfs that missed the target, a second pass, the route
// view, the nearest unassigned turf and the preview package; bad input for every route.
#include <cmath>
#include <fstream>
#include <map>
#include <set>

#include "tests/fixtures.h"
#include "tests/server/fixture.h"

using namespace doorstep;

namespace {

std::string settings(const std::string& campaign) { return "/api/v1/campaigns/" + campaign + "/settings"; }

}  // namespace

TEST_CASE("walking pace: campaign settings with 1.2 m/s and 2 minutes a door until set; bad values refused") {
  fixture::SeededServer w;
  auto cli = w.s.client();
  auto info = cli.Get("/api/v1/campaigns/" + w.seeded.campaign, w.org.headers(false));
  REQUIRE(info);
  json::Value doc = fixture::parse(info->body);
  const json::Value* camp = doc.find("campaign");
  CHECK(camp->find("walk_m_per_s")->as_double() == doctest::Approx(1.2));
  CHECK(camp->find("minutes_per_door")->as_double() == doctest::Approx(2.0));
  auto set = cli.Post(settings(w.seeded.campaign), w.org.headers(), R"({"walk_m_per_s":1.0,"minutes_per_door":3})",
                      "application/json");
  REQUIRE(set);
  CHECK_MESSAGE(set->status == 200, set->body);
  // Retention alone still works, and leaves the pace as it was.
  auto ret = cli.Post(settings(w.seeded.campaign), w.org.headers(), R"({"retention_days":30})", "application/json");
  REQUIRE(ret);
  CHECK(ret->status == 200);
  info = cli.Get("/api/v1/campaigns/" + w.seeded.campaign, w.org.headers(false));
  doc = fixture::parse(info->body);
  camp = doc.find("campaign");
  CHECK(camp->find("walk_m_per_s")->as_double() == doctest::Approx(1.0));
  CHECK(camp->find("minutes_per_door")->as_double() == doctest::Approx(3.0));
  CHECK(camp->find("retention_days")->as_int() == 30);
  for (const char* bad : {R"({})", R"({"walk_m_per_s":0})", R"({"walk_m_per_s":"fast"})", R"({"minutes_per_door":-1})",
                          R"({"minutes_per_door":90})", R"({"walk_m_per_s":1,"pace":2})"}) {
    CAPTURE(bad);
    auto r = cli.Post(settings(w.seeded.campaign), w.org.headers(), bad, "application/json");
    REQUIRE(r);
    CHECK(r->status == 400);
  }
  info = cli.Get("/api/v1/campaigns/" + w.seeded.campaign, w.org.headers(false));
  CHECK(fixture::parse(info->body).find("campaign")->find("walk_m_per_s")->as_double() == doctest::Approx(1.0));
}
