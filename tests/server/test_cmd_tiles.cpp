// `doorstep tiles` and the footprint import as a user meets them: the real binary builds the demo
// base map into PMTiles and MBTiles and `tiles info` reads both; bad input (a missing file, broken
// GeoJSON, a truncated archive) exits non-zero with a message; a footprint upload with a bad line
// is refused whole and the footprints already stored stay.
#include <doctest/doctest.h>

#include "tests/fixtures.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "server/building_import.h"
#include "shared/base/json.h"
#include "shared/store/campaign_store.h"
#include "shared/store/footprint_store.h"

using namespace doorstep;

namespace {
struct Out {
  int rc;
  std::string text;
};
Out run(const std::string& args) {
  const std::string cmd = std::string(DOORSTEP_BINARY) + " " + args + " 2>&1";
  Out o{0, {}};
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) o.text.append(buf, n);
  const int st = pclose(p);
  o.rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return o;
}
std::string dir(const char* name) {
  const std::string d = std::string(DOORSTEP_SOURCE_DIR) + "/build/test-tiles-" + name;
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}
const std::string kDemo = std::string(DOORSTEP_SOURCE_DIR) + "/assets/demo/";
}  // namespace

TEST_CASE("doorstep tiles build writes PMTiles and MBTiles that tiles info reads") {
  const std::string d = dir("build");
  for (const char* ext : {"pmtiles", "mbtiles"}) {
    const std::string out = d + "/demo." + ext;
    Out b = run("tiles build --json --out " + out + " --buildings " + kDemo + "venice_buildings.geojson --addresses " +
                kDemo + "venice_points.csv --outlines " + kDemo + "demo_outlines.geojson --name Demo");
    REQUIRE_MESSAGE(b.rc == 0, b.text);
    auto rep = json::parse(b.text);
    REQUIRE(rep.ok());
    CHECK(rep->find("buildings")->as_int() == 1310);
    CHECK(rep->find("addresses")->as_int() == 991);
    CHECK(rep->find("outlines")->as_int() == 30);
    CHECK(rep->find("tiles")->as_int() > 500);
    Out i = run("tiles info --json " + out);
    REQUIRE_MESSAGE(i.rc == 0, i.text);
    auto info = json::parse(i.text);
    REQUIRE(info.ok());
    CHECK(info->find("type")->as_string() == "mvt");
    CHECK(info->find("min_zoom")->as_int() == 12);
    CHECK(info->find("max_zoom")->as_int() == 18);
    CHECK(info->find("tiles")->as_int() == rep->find("tiles")->as_int());
  }
  std::filesystem::remove_all(d);
}

TEST_CASE("doorstep tiles refuses bad input with a message") {
  const std::string d = dir("bad");
  Out none = run("tiles build --out " + d + "/x.pmtiles");
  CHECK(none.rc == 2);
  CHECK(none.text.find("nothing to draw") != std::string::npos);
  Out missing = run("tiles build --out " + d + "/x.pmtiles --buildings " + d + "/nope.geojson");
  CHECK(missing.rc == 1);
  CHECK(missing.text.find("nope.geojson: cannot open") != std::string::npos);
  { std::ofstream(d + "/broken.geojson") << "{\"type\":\"FeatureCollection\",\"features\":[{"; }
  Out broken = run("tiles build --out " + d + "/x.pmtiles --buildings " + d + "/broken.geojson");
  CHECK(broken.rc == 1);
  CHECK(broken.text.find("broken.geojson") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(d + "/x.pmtiles"));
  // A truncated archive: info says what is wrong.
  REQUIRE(run("tiles build --out " + d + "/ok.pmtiles --buildings " + kDemo + "venice_buildings.geojson").rc == 0);
  std::filesystem::resize_file(d + "/ok.pmtiles", 5000);
  Out cut = run("tiles info " + d + "/ok.pmtiles");
  CHECK(cut.rc == 1);
  CHECK(cut.text.find("truncated") != std::string::npos);
  std::filesystem::remove_all(d);
}

TEST_CASE("footprint import: NDJSON streamed, a bad line refuses the upload and keeps what was stored") {
  auto db = store::Db::open(":memory:");
  REQUIRE(db.ok());
  auto c = store::ensure_campaign(*db, "Venice", Hlc{1000, 0, "server"}, 1000);
  REQUIRE(c.ok());
  std::ifstream in(fixtures::path("la/venice_buildings_sample.geojson"));
  std::stringstream s;
  s << in.rdbuf();
  auto first = server::import_buildings_geojson(*db, c->id, s.str());
  REQUIRE_MESSAGE(first.ok(), first.error().message);
  CHECK(first->footprints == 129);
  CHECK(store::count_footprints(*db, c->id).value() == 129);

  // The same footprints one Feature per line, with a blank line; then a broken line.
  auto fc = json::parse(s.str());
  REQUIRE(fc.ok());
  std::string nd;
  for (const auto& f : fc->find("features")->as_array()) nd += json::dump(f) + "\n\n";
  std::istringstream good(nd);
  auto second = server::import_buildings_ndjson(*db, c->id, good);
  REQUIRE(second.ok());
  CHECK(second->footprints == 129);
  CHECK(second->replaced == 129);
  std::istringstream bad(json::dump(fc->find("features")->as_array()[0]) + "\n{\"type\":\"Feature\",\"geometry\":\n");
  auto third = server::import_buildings_ndjson(*db, c->id, bad);
  REQUIRE_FALSE(third.ok());
  CHECK(third.error().code == Code::invalid_argument);
  CHECK(third.error().message.find("line 2") != std::string::npos);
  CHECK(store::count_footprints(*db, c->id).value() == 129);  // nothing lost
  CHECK(server::import_buildings_geojson(*db, "no-such-campaign", s.str()).error().code == Code::not_found);
}
