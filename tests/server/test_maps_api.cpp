// The map routes over real loopback HTTP: footprints uploaded by an organizer (GeoJSON or NDJSON)
// reach the turf package as buildings with each door's building_id; bad uploads are refused and
// lose nothing; tiles are served from the archives in DIR/tiles/ by z/x/y with the cache and
// encoding headers, 204 for an empty tile inside the map's zooms, 404 for anything else; a
// corrupt archive is skipped and the rest still served.
#include <doctest/doctest.h>
#include <zlib.h>

#include "tests/fixtures.h"
#include "tests/server/fixture.h"

#include <fstream>
#include <sstream>

#include "server/links.h"
#include "server/turf_builder.h"
#include "shared/store/footprint_store.h"
#include "shared/tiles/archive.h"

using namespace doorstep;
using namespace fixture;

namespace {
std::string sample_geojson() {
  std::ifstream in(fixtures::path("la/venice_buildings_sample.geojson"));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string gzip(const std::string& in) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&z, static_cast<uLong>(in.size())) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

int64_t footprint_count(Server& s, const std::string& campaign) {
  int64_t n = -1;
  REQUIRE(s.app->storage().read([&](store::Db& db) -> Status {
    auto c = store::count_footprints(db, campaign);
    if (!c) return c.error();
    n = *c;
    return Status::Ok();
  }).ok());
  return n;
}

json::Value package_of(Server& s, const Seeded& seeded, const std::string& turf) {
  auto link = server::create_link(s.app->storage(), seeded.campaign, turf, "tester", "test", s.app->now(), 3600000);
  REQUIRE(link.ok());
  auto cli = s.client();
  auto r = cli.Get("/api/v1/canvass/package", bearer(link->token));
  REQUIRE(r);
  REQUIRE_MESSAGE(r->status == 200, r->body);
  return parse(r->body);
}
}  // namespace

TEST_CASE("maps api: footprints uploaded as GeoJSON reach the package as buildings, doors carry building_id") {
  Server s;
  Seeded seeded = seed(*s.app);
  Organizer org = sign_in_admin(s);
  auto cli = s.client();
  const std::string url = "/api/v1/campaigns/" + seeded.campaign + "/buildings";
  auto r = cli.Post(url, org.headers(), sample_geojson(), "application/geo+json");
  REQUIRE(r);
  REQUIRE_MESSAGE(r->status == 200, r->body);
  json::Value rep = parse(r->body);
  CHECK(rep.find("footprints")->as_int() == 129);
  const json::Value* m = rep.find("matched");
  CHECK(m->find("doors")->as_int() == 6);
  CHECK(m->find("inside")->as_int() + m->find("near")->as_int() >= 3);  // the Walgrove doors at least
  CHECK(rep.find("split_addresses")->is_array());

  json::Value pkg = package_of(s, seeded, seeded.turf_a);
  const json::Value* buildings = pkg.find("buildings");
  REQUIRE(buildings);
  REQUIRE(buildings->size() >= 1);
  std::set<std::string> ids;
  for (const auto& b : buildings->as_array()) {
    ids.insert(b.find("id")->as_string());
    CHECK(b.find("units")->as_int() >= 1);
    const std::string type = b.find("geometry")->find("type")->as_string();
    CHECK((type == "Polygon" || type == "MultiPolygon"));
  }
  int in_building = 0;
  for (const auto& d : pkg.find("doors")->as_array()) in_building += ids.count(d.find("building_id")->as_string()) > 0;
  CHECK(in_building >= 2);
  CHECK(pkg.find("map") == nullptr);  // this server has no tile archive
}

TEST_CASE("maps api: bad footprint uploads are refused with a clear error and lose nothing") {
  Server s;
  Seeded seeded = seed(*s.app);
  Organizer org = sign_in_admin(s);
  auto cli = s.client();
  const std::string url = "/api/v1/campaigns/" + seeded.campaign + "/buildings";
  REQUIRE(cli.Post(url, org.headers(), sample_geojson(), "application/geo+json")->status == 200);
  REQUIRE(footprint_count(s, seeded.campaign) == 129);

  auto anon = cli.Post(url, sample_geojson(), "application/geo+json");
  CHECK(anon->status == 401);
  auto no_csrf = cli.Post(url, org.headers(false), sample_geojson(), "application/geo+json");
  CHECK(no_csrf->status == 403);
  auto wrong_type = cli.Post(url, org.headers(), sample_geojson(), "text/csv");
  CHECK(wrong_type->status == 400);
  CHECK(wrong_type->body.find("application/x-ndjson") != std::string::npos);
  auto broken = cli.Post(url, org.headers(), R"({"type":"FeatureCollection","features":[{"type":)", "application/geo+json");
  CHECK(broken->status == 400);
  auto not_polygons = cli.Post(url, org.headers(), R"({"type":"Point","coordinates":[1,2]})", "application/geo+json");
  CHECK(not_polygons->status == 400);
  auto bad_line = cli.Post(url, org.headers(),
                           R"({"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[-118.45,34.0],[-118.449,34.0],[-118.449,34.001]]]}})"
                           "\nnot json\n",
                           "application/x-ndjson");
  CHECK(bad_line->status == 400);
  CHECK(bad_line->body.find("line 2") != std::string::npos);
  auto unknown = cli.Post("/api/v1/campaigns/00000000-0000-7000-8000-000000000000/buildings", org.headers(), sample_geojson(),
                          "application/geo+json");
  CHECK(unknown->status == 404);
  CHECK(footprint_count(s, seeded.campaign) == 129);  // nothing lost

  // NDJSON that is fine replaces the set.
  auto fc = parse(sample_geojson());
  std::string nd;
  for (size_t i = 0; i < 10; ++i) nd += json::dump(fc.find("features")->as_array()[i]) + "\n";
  auto ok = cli.Post(url, org.headers(), nd, "application/x-ndjson");
  REQUIRE(ok->status == 200);
  CHECK(parse(ok->body).find("replaced")->as_int() == 129);
  CHECK(footprint_count(s, seeded.campaign) == 10);
}

TEST_CASE("maps api: tiles by z/x/y from DIR/tiles with cache and encoding headers; corrupt archives skipped") {
  TempDir dir;
  const std::string data = dir.path + "/data";
  std::filesystem::create_directories(data + "/tiles");
  tiles::ArchiveInfo info;
  info.min_zoom = 15;
  info.max_zoom = 18;
  info.attribution = "Test attribution";
  info.tile_compression = tiles::Compression::gzip;
  const std::string body = "not really a vector tile, but bytes";
  const std::string packed = gzip(body);
  REQUIRE(tiles::write_pmtiles(data + "/tiles/a.pmtiles", {{{17, 22407, 52358}, packed}, {{15, 5601, 13089}, packed}}, info).ok());
  { std::ofstream(data + "/tiles/b-broken.pmtiles") << "PMTiles garbage"; }

  server::AppConfig ac;
  ac.data_dir = data;
  auto app = server::App::open(ac);
  REQUIRE(app.ok());
  CHECK((*app)->tiles().names() == std::vector<std::string>{"a.pmtiles"});
  CHECK((*app)->tiles().problems().size() == 1);
  server::HttpConfig hc;
  hc.port = 0;
  server::HttpServer http(hc);
  (*app)->register_routes(http.routes());
  const int port = http.bind();
  REQUIRE(port > 0);
  std::thread t([&] { http.run(); });
  httplib::Client cli("127.0.0.1", port);
  cli.set_decompress(false);  // look at the bytes as sent

  auto r = cli.Get("/tiles/17/22407/52358.mvt");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body == packed);
  CHECK(r->get_header_value("Content-Encoding") == "gzip");
  CHECK(r->get_header_value("Content-Type") == "application/vnd.mapbox-vector-tile");
  CHECK(r->get_header_value("Cache-Control") == "public, max-age=86400");
  CHECK(cli.Get("/tiles/17/22407/52358.pbf")->status == 200);

  auto empty = cli.Get("/tiles/17/0/0.mvt");  // inside the zooms, nothing there
  CHECK(empty->status == 204);
  CHECK(empty->body.empty());
  CHECK(empty->get_header_value("Cache-Control") == "public, max-age=86400");
  CHECK(cli.Get("/tiles/12/700/1636.mvt")->status == 404);       // below the archive's zooms
  CHECK(cli.Get("/tiles/3/8/0.mvt")->status == 404);             // x beyond the zoom level
  CHECK(cli.Get("/tiles/17/22407/52358.png")->status == 404);    // not what the archive holds
  CHECK(cli.Get("/tiles/99/0/0.mvt")->status == 404);
  CHECK(cli.Get("/tiles/17/22407/52358.mvt/../../x")->status == 404);
  CHECK(cli.Get("/tiles/abc/1/2.mvt")->status == 404);

  auto tj = cli.Get("/tiles.json");
  REQUIRE(tj->status == 200);
  json::Value v = parse(tj->body);
  CHECK(v.find("tiles")->as_array()[0].as_string() == "/tiles/{z}/{x}/{y}.mvt");
  CHECK(v.find("minzoom")->as_int() == 15);
  CHECK(v.find("attribution")->as_string() == "Test attribution");

  // The package names the base map for the phone.
  Seeded seeded = seed(**app);
  auto link = server::create_link((*app)->storage(), seeded.campaign, seeded.turf_a, "tester", "test", (*app)->now(), 3600000);
  REQUIRE(link.ok());
  auto p = cli.Get("/api/v1/canvass/package", bearer(link->token));
  REQUIRE(p->status == 200);
  const json::Value pkg = parse(p->body);
  const json::Value* map = pkg.find("map");
  REQUIRE(map);
  CHECK(map->find("tiles")->as_string() == "/tiles/{z}/{x}/{y}.mvt");
  CHECK(map->find("max_zoom")->as_int() == 18);
  CHECK(map->find("cache_max_bytes")->as_int() == 20 << 20);

  // The cap is a campaign setting: out of range refused (nothing changes), then 5 MB reaches
  // the next package.
  (*app)->set_default_public_url("http://127.0.0.1:" + std::to_string(port));
  auto owner = sign_in_admin(**app, port);
  const std::string settings = "/api/v1/campaigns/" + seeded.campaign + "/settings";
  for (const char* bad : {R"({"tile_cache_mb":0})", R"({"tile_cache_mb":201})", R"({"tile_cache_mb":"5"})"}) {
    auto r = cli.Post(settings, owner.headers(), bad, "application/json");
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(r->body.find("tile_cache_mb") != std::string::npos);
  }
  CHECK(parse(cli.Get("/api/v1/canvass/package", bearer(link->token))->body).find("map")->find("cache_max_bytes")->as_int() == 20 << 20);
  auto set = cli.Post(settings, owner.headers(), R"({"tile_cache_mb":5})", "application/json");
  REQUIRE(set);
  CHECK(set->status == 200);
  CHECK(parse(cli.Get("/api/v1/canvass/package", bearer(link->token))->body).find("map")->find("cache_max_bytes")->as_int() == 5 << 20);
  auto list = parse(cli.Get("/api/v1/campaigns", owner.headers())->body);
  CHECK(list.find("campaigns")->as_array()[0].find("tile_cache_mb")->as_int() == 5);
  http.stop();
  t.join();
}

TEST_CASE("maps api: an automatic cut keeps the doors of one footprint in one turf") {
  Server s;
  Seeded seeded = seed(*s.app);
  // 1325 and 1327 Walgrove (doors_a[1], doors_a[2]) stand 24 m apart; one footprint over both.
  auto cut = [&]() {
    std::map<std::string, std::string> turf_of;
    REQUIRE(s.app->storage().write([&](store::Db& db) -> Status {
      REQUIRE(db.exec("DELETE FROM turf_door; UPDATE turf SET deleted = 1").ok());
      auto built = server::build_turfs(db, *s.app, seeded.campaign, 1);
      if (!built) return built.error();
      for (const auto& t : *built) {
        auto stops = store::turf_walk_list(db, t.id);
        if (!stops) return stops.error();
        for (const auto& st : *stops) turf_of[st.door.id] = t.id;
      }
      return Status::Ok();
    }).ok());
    return turf_of;
  };
  auto before = cut();
  REQUIRE(before.size() == 6);
  CHECK(before[seeded.doors_a[1]] != before[seeded.doors_a[2]]);  // one door per turf: apart
  const std::string wide = R"({"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[)"
                           R"([-118.4562,34.00905],[-118.4555,34.00905],[-118.4555,34.00928],[-118.4562,34.00928],[-118.4562,34.00905]]]}})";
  Organizer org = sign_in_admin(s);
  auto r = s.client().Post("/api/v1/campaigns/" + seeded.campaign + "/buildings", org.headers(), wide, "application/geo+json");
  REQUIRE(r->status == 200);
  auto after = cut();
  CHECK(after[seeded.doors_a[1]] == after[seeded.doors_a[2]]);  // one building: one turf
}
