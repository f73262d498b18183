// The package version over real loopback HTTP: the package and every version-4 pull name the same
// value while nothing changes; saving a survey, changing Help, renaming the turf or removing one of
// its doors changes the value pulls name (and the package then carries it); pulls of versions
// 1-3 are answered without the field, so older phones' strict decoders still read them.
#include "tests/server/fixture.h"

#include "shared/store/campaign_store.h"
#include "shared/sync/sync_protocol.h"

using namespace doorstep;

namespace {

struct World : fixture::SeededServer {
  std::string token;
  World() {
    auto link = server::create_link(s.app->storage(), seeded.campaign, seeded.turf_a, "Sam", "t", s.now_ms, 86400000);
    REQUIRE(link.ok());
    token = link->token;
  }
  json::Value package() {
    auto cli = s.client();
    auto r = cli.Get("/api/v1/canvass/package", fixture::bearer(token));
    REQUIRE(r);
    REQUIRE_MESSAGE(r->status == 200, r->body);
    return fixture::parse(r->body);
  }
  // A pull of protocol version v, decoded by the phone's own decoder.
  sync::PullResponse pull(int v) {
    auto cli = s.client();
    auto r = cli.Post("/api/v1/canvass/pull", fixture::bearer(token), "{\"v\":" + std::to_string(v) + ",\"cursor\":\"\"}",
                      "application/json");
    REQUIRE(r);
    REQUIRE_MESSAGE(r->status == 200, r->body);
    auto doc = fixture::parse(r->body);
    CHECK(doc.find("v")->as_int() == v);
    auto d = sync::decode_pull_response(doc);
    REQUIRE_MESSAGE(d.ok(), r->body);
    return *d;
  }
  std::string pulled() { return pull(sync::kProtocolVersion).package_version; }
  void post(const std::string& path, const std::string& body) {
    auto cli = s.client();
    auto r = cli.Post(path, org.headers(), body, "application/json");
    REQUIRE(r);
    REQUIRE_MESSAGE(r->status == 200, r->body);
  }
};

}  // namespace

TEST_CASE("pulls name the package version; saving a survey, Help, a rename or a removed door changes it") {
  World w;
  auto first = w.package();
  REQUIRE(first.find("package_version"));
  std::string v0 = first.find("package_version")->as_string();
  CHECK(v0.size() == 16);
  CHECK(v0.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(w.pulled() == v0);
  CHECK(w.pulled() == v0);  // stable while nothing changes

  // Older phones: answered in their version, without the field their decoder would refuse.
  for (int v = sync::kMinProtocolVersion; v < 4; ++v) CHECK(w.pull(v).package_version.empty());
  {
    auto cli = w.s.client();
    auto r = cli.Post("/api/v1/canvass/pull", fixture::bearer(w.token), R"({"v":3})", "application/json");
    REQUIRE(r);
    CHECK(r->body.find("package_version") == std::string::npos);
  }

  // The organizer saves a new survey: the next pull names another version; the package has it.
  w.post("/api/v1/campaigns/" + w.seeded.campaign + "/survey",
         R"({"base_version":0,"script":{"en":[{"id":"","title":"Hi","text":"Hello"}]},)"
         R"("survey":[{"id":"q_early","kind":"yes_no","labels":{"en":"Will you vote early?"},"choices":[]}]})");
  std::string v1 = w.pulled();
  CHECK(v1 != v0);
  auto second = w.package();
  CHECK(second.find("package_version")->as_string() == v1);
  CHECK(second.find("survey_version")->as_int() == 1);
  CHECK(second.find("survey")->as_array()[0].find("id")->as_string() == "q_early");

  // Help for canvassers.
  w.post("/api/v1/campaigns/" + w.seeded.campaign + "/settings", R"({"help":{"organizer_name":"Rosa","meeting_place":"Library"}})");
  std::string v2 = w.pulled();
  CHECK(v2 != v1);
  CHECK(w.package().find("package_version")->as_string() == v2);

  // The turf renamed.
  w.post("/api/v1/turfs/" + w.seeded.turf_a, R"({"name":"Turf A north"})");
  std::string v3 = w.pulled();
  CHECK(v3 != v2);

  // A door leaves the turf (as a split or an edit of its doors does).
  REQUIRE(w.s.app->storage().write([&](store::Db& db) -> Status {
    std::vector<std::string> kept(w.seeded.doors_a.begin(), w.seeded.doors_a.end() - 1);
    return store::set_turf_doors(db, w.seeded.turf_a, kept, w.s.app->next_hlc());
  }).ok());
  std::string v4 = w.pulled();
  CHECK(v4 != v3);
  auto last = w.package();
  CHECK(last.find("package_version")->as_string() == v4);
  CHECK(last.find("doors")->size() == w.seeded.doors_a.size() - 1);

  // Another turf's edit leaves this link's version alone.
  REQUIRE(w.s.app->storage().write([&](store::Db& db) -> Status {
    return store::set_turf_doors(db, w.seeded.turf_b, {w.seeded.doors_b[0]}, w.s.app->next_hlc());
  }).ok());
  CHECK(w.pulled() == v4);
}
