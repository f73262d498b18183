// The canvassers' Help over real loopback HTTP: an organizer sets it in the campaign's settings,
// a canvasser link's package carries it as campaign.help, the campaign shows it; bad Help is
// refused with a clear message and changes nothing.
#include <doctest/doctest.h>

#include "tests/server/fixture.h"

using namespace doorstep;

TEST_CASE("campaign settings: help reaches the turf package; malformed help is refused") {
  fixture::Server s;
  auto seeded = fixture::seed(*s.app);
  auto org = fixture::sign_in_admin(s);
  auto cli = s.client();
  auto l = cli.Post("/api/v1/turfs/" + seeded.turf_a + "/links", org.headers(), "{}", "application/json");
  REQUIRE(l);
  std::string token = fixture::parse(l->body).find("token")->as_string();
  auto package = [&] {
    auto r = cli.Get("/api/v1/canvass/package", fixture::bearer(token));
    REQUIRE(r);
    REQUIRE(r->status == 200);
    return fixture::parse(r->body);
  };
  CHECK(package().find("campaign")->find("help") == nullptr);  // none set: absent

  const std::string url = "/api/v1/campaigns/" + seeded.campaign + "/settings";
  auto set = cli.Post(url, org.headers(),
                      R"({"help":{"organizer_name":"Maria","organizer_phone":"+1 310 555 0142","meeting_place":"Oakwood Park",)"
                      R"("shift_end":"1:00 pm","faq":{"en":[{"q":"Cost?","a":"Less than now."}],"es":[{"q":"¿Costo?","a":"Menos."}]}}})",
                      "application/json");
  REQUIRE(set);
  CHECK(set->status == 200);
  auto p = package();
  const json::Value* h = p.find("campaign")->find("help");
  REQUIRE(h);
  CHECK(h->find("organizer_phone")->as_string() == "+1 310 555 0142");
  CHECK(h->find("meeting_place")->as_string() == "Oakwood Park");
  CHECK(h->find("faq")->find("es")->as_array()[0].find("q")->as_string() == "¿Costo?");
  auto info = cli.Get("/api/v1/campaigns/" + seeded.campaign, org.headers(false));
  CHECK(fixture::parse(info->body).find("campaign")->find("help")->find("shift_end")->as_string() == "1:00 pm");
  // retention_days untouched by a help-only body.
  CHECK(fixture::parse(info->body).find("campaign")->find("retention_days")->as_int() == 0);

  for (const char* bad : {R"({"help":"call me"})", R"({"help":{"phone":"1"}})", R"({"help":{"organizer_phone":5}})",
                          R"({"help":{"faq":{"en":[{"q":"only a question"}]}}})", R"({"help":{"faq":{"EN!":[]}}})", R"({})"}) {
    CAPTURE(bad);
    auto r = cli.Post(url, org.headers(), bad, "application/json");
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(fixture::parse(r->body).find("message")->as_string().size() > 3);
  }
  CHECK(package().find("campaign")->find("help")->find("organizer_name")->as_string() == "Maria");  // kept
  // A canvasser link cannot set it.
  auto forged = cli.Post(url, fixture::bearer(token), R"({"help":{}})", "application/json");
  REQUIRE(forged);
  CHECK(forged->status == 401);
}
