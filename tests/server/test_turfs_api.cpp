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

namespace {

struct Pt {
  double lon, lat;
};
using Ring = std::vector<Pt>;

// The test's own point-in-polygon (even-odd ray casting in doubles), independent of shared/geo.
bool pip(const Ring& r, Pt p) {
  bool in = false;
  for (size_t i = 0, j = r.size() - 1; i < r.size(); j = i++)
    if ((r[i].lat > p.lat) != (r[j].lat > p.lat) &&
        p.lon < (r[j].lon - r[i].lon) * (p.lat - r[i].lat) / (r[j].lat - r[i].lat) + r[i].lon)
      in = !in;
  return in;
}

std::string coords(const Ring& r) {
  std::string s = "[";
  for (size_t i = 0; i <= r.size(); ++i) {
    const Pt& p = r[i % r.size()];
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s[%.7f,%.7f]", i ? "," : "", p.lon, p.lat);
    s += buf;
  }
  return s + "]";
}
std::string polygon(const Ring& r) { return R"({"type":"Polygon","coordinates":[)" + coords(r) + "]}"; }
std::string line(const Ring& r) {
  std::string s = R"({"type":"LineString","coordinates":[)";
  for (size_t i = 0; i < r.size(); ++i) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s[%.7f,%.7f]", i ? "," : "", r[i].lon, r[i].lat);
    s += buf;
  }
  return s + "]}";
}
Ring rect(double lon0, double lat0, double lon1, double lat1) { return {{lon0, lat0}, {lon1, lat0}, {lon1, lat1}, {lon0, lat1}}; }

// A campaign made through the API from the first 400 Venice address points (Los Angeles County
// GIS via osmlab/labuildings), its doors read back from the store for the test's own counts.
struct Venice {
  fixture::Server s;
  fixture::Organizer org;
  std::string campaign;
  std::vector<Door> doors;  // placed, live
  explicit Venice(const char* name = "Venice turfs") {
    org = fixture::sign_in_admin(s);
    auto cli = s.client();
    auto c = cli.Post("/api/v1/campaigns", org.headers(), std::string(R"({"name":")") + name + R"("})", "application/json");
    REQUIRE(c);
    REQUIRE_MESSAGE(c->status == 200, c->body);
    campaign = fixture::parse(c->body).find("campaign")->find("id")->as_string();
    std::ifstream in(fixtures::path("la/venice_addresses.csv"));
    REQUIRE(in.good());
    std::string row, csv;
    for (int i = 0; i <= 400 && std::getline(in, row); ++i) csv += row + "\n";
    auto up = cli.Post("/api/v1/campaigns/" + campaign + "/universe?file_name=venice.csv", org.headers(), csv, "text/csv");
    REQUIRE(up);
    REQUIRE_MESSAGE(up->status == 200, up->body);
    REQUIRE(s.app->storage().read([&](store::Db& db) -> Status {
      auto all = store::list_doors(db, campaign);
      if (!all) return all.error();
      for (auto& d : *all)
        if (!d.deleted && d.lat && d.lon) doors.push_back(d);
      return Status::Ok();
    }).ok());
    REQUIRE(doors.size() > 300);
  }
  std::set<std::string> inside(const Ring& r) const {
    std::set<std::string> out;
    for (const auto& d : doors)
      if (pip(r, Pt{*d.lon, *d.lat})) out.insert(d.id);
    return out;
  }
  json::Value call(const std::string& method, const std::string& path, const std::string& body, int want = 200) {
    auto cli = s.client();
    auto r = method == "GET" ? cli.Get(path, org.headers(false)) : cli.Post(path, org.headers(), body, "application/json");
    REQUIRE(r);
    CHECK_MESSAGE(r->status == want, method << " " << path << " " << body.substr(0, 200) << " -> " << r->status << " " << r->body);
    return r->body.empty() ? json::Value() : fixture::parse(r->body);
  }
  std::string turfs() const { return "/api/v1/campaigns/" + campaign + "/turfs"; }
  json::Value draw(const std::string& name, const Ring& r, int want = 200) {
    return call("POST", turfs(), R"({"name":")" + name + R"(","polygon":)" + polygon(r) + "}", want);
  }
  std::set<std::string> route_doors(const std::string& turf) {
    std::set<std::string> out;
    json::Value r = call("GET", "/api/v1/turfs/" + turf + "/route", "");
    for (const auto& d : r.find("doors")->as_array()) out.insert(d.find("id")->as_string());
    return out;
  }
  int64_t attempts() {
    return call("GET", "/api/v1/campaigns/" + campaign, "").find("counts")->find("attempts")->as_int();
  }
};

// Turf A: an irregular quadrilateral in the middle of the points; B overlaps its north-east.
const Ring kA = {{-118.4620, 34.0010}, {-118.4550, 34.0005}, {-118.4535, 34.0060}, {-118.4605, 34.0065}};
const Ring kB = rect(-118.4580, 34.0030, -118.4500, 34.0080);
const Ring kSea = rect(-118.5000, 33.9800, -118.4980, 33.9815);  // the ocean off Venice Beach

bool has(const json::Value& arr, const std::string& id) {
  for (const auto& v : arr.as_array())
    if ((v.is_string() ? v.as_string() : v.find("id")->as_string()) == id) return true;
  return false;
}

double metres(Pt a, Pt b) {
  double x = (b.lon - a.lon) * 111320.0 * std::cos(a.lat * 3.14159265358979 / 180), y = (b.lat - a.lat) * 111320.0;
  return std::sqrt(x * x + y * y);
}

}  // namespace

TEST_CASE("drawn turfs: doors equal a point-in-polygon count, in walk order, minutes in the pace; overlaps, empty turfs and doors in no turf are warned") {
  Venice v;
  auto a = v.draw("A", kA);
  const json::Value& ta = *a.find("turf");
  std::string id_a = ta.find("id")->as_string();
  auto in_a = v.inside(kA);
  REQUIRE(in_a.size() > 20);
  CHECK(ta.find("doors")->as_int() == static_cast<int64_t>(in_a.size()));
  CHECK(v.route_doors(id_a) == in_a);
  // The route: the stored order measured; minutes = metres at 1.2 m/s + 2 a door.
  auto route = v.call("GET", "/api/v1/turfs/" + id_a + "/route", "");
  double len = route.find("length_m")->as_double();
  CHECK(len > 0);
  CHECK(ta.find("route_m")->as_double() == doctest::Approx(len).epsilon(0.01));
  CHECK(route.find("minutes")->as_double() == doctest::Approx(len / 72.0 + 2.0 * in_a.size()).epsilon(0.002));
  CHECK(route.find("line")->size() >= 2);
  // Walk order, not address order: the route is no longer than walking the doors by address.
  std::vector<std::pair<std::string, Pt>> by_address;
  for (const auto& d : v.doors)
    if (in_a.count(d.id)) by_address.push_back({d.address_key, Pt{*d.lon, *d.lat}});
  std::sort(by_address.begin(), by_address.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  double address_m = 0;
  for (size_t i = 1; i < by_address.size(); ++i) address_m += metres(by_address[i - 1].second, by_address[i].second);
  MESSAGE("walk order " << len << " m, address order " << address_m << " m for " << in_a.size() << " doors");
  CHECK(len < address_m);

  // The pace is the campaign's: change it and the same route takes other minutes.
  v.call("POST", settings(v.campaign), R"({"walk_m_per_s":1.0,"minutes_per_door":3})");
  route = v.call("GET", "/api/v1/turfs/" + id_a + "/route", "");
  CHECK(route.find("minutes")->as_double() == doctest::Approx(len / 60.0 + 3.0 * in_a.size()).epsilon(0.002));
  auto walk = v.call("GET", "/api/v1/turfs/" + id_a + "/walklist", "");
  CHECK(walk.find("minutes")->as_double() == doctest::Approx(route.find("minutes")->as_double()).epsilon(0.002));

  auto b = v.draw("B", kB);
  std::string id_b = b.find("turf")->find("id")->as_string();
  auto in_b = v.inside(kB);
  CHECK(b.find("turf")->find("doors")->as_int() == static_cast<int64_t>(in_b.size()));
  int64_t both = 0;
  for (const auto& d : in_a) both += in_b.count(d);
  REQUIRE(both > 0);
  const json::Value* overlaps = b.find("warnings")->find("overlaps");
  REQUIRE(overlaps->size() == 1);
  CHECK(overlaps->as_array()[0].find("doors")->as_int() == both);
  CHECK(has(*overlaps->as_array()[0].find("turf_ids"), id_a));
  CHECK(has(*overlaps->as_array()[0].find("turf_ids"), id_b));
  auto sea = v.draw("Sea", kSea);
  std::string id_sea = sea.find("turf")->find("id")->as_string();
  CHECK(sea.find("turf")->find("doors")->as_int() == 0);
  CHECK(has(*sea.find("warnings")->find("empty_turfs"), id_sea));
  std::set<std::string> any = in_a;
  any.insert(in_b.begin(), in_b.end());
  CHECK(sea.find("warnings")->find("doors_in_no_turf")->as_int() == static_cast<int64_t>(v.doors.size() - any.size()));
  auto list = v.call("GET", v.turfs(), "");
  CHECK(list.find("turfs")->size() == 3);
  for (const auto& t : list.find("turfs")->as_array())
    if (t.find("id")->as_string() == id_a) CHECK(t.find("minutes")->as_double() == doctest::Approx(route.find("minutes")->as_double()).epsilon(0.002));
  CHECK(list.find("warnings")->find("overlaps")->size() == 1);

  // Bad outlines: refused with a reason, nothing stored.
  Ring bow = {{-118.46, 34.00}, {-118.45, 34.01}, {-118.45, 34.00}, {-118.46, 34.01}};
  CHECK(v.draw("bow", bow, 400).find("message")->as_string().find("crosses itself") != std::string::npos);
  v.call("POST", v.turfs(), R"({"name":"empty","polygon":{"type":"Polygon","coordinates":[]}})", 400);
  v.call("POST", v.turfs(), R"({"name":"point","polygon":{"type":"Point","coordinates":[-118.46,34.0]}})", 400);
  CHECK(v.draw("huge", rect(-118.9, 33.7, -118.2, 34.3), 400).find("message")->as_string().find("km across") != std::string::npos);
  Ring circle;
  for (int i = 0; i < 10001; ++i)
    circle.push_back({-118.457 + 0.003 * std::cos(i * 6.283185307 / 10001), 34.003 + 0.003 * std::sin(i * 6.283185307 / 10001)});
  CHECK(v.draw("circle", circle, 400).find("message")->as_string().find("corners") != std::string::npos);
  v.call("POST", v.turfs(), R"({"polygon":)" + polygon(kA) + "}", 400);
  v.call("POST", v.turfs(), R"({"name":"x","polygon":)" + polygon(kA) + R"(,"doors":3})", 400);
  CHECK(v.call("GET", v.turfs(), "").find("turfs")->size() == 3);
}

TEST_CASE("edit: rename, reshape, split along a line, merge, delete (archived with records, links ended); bad input refused") {
  Venice v;
  std::string id = v.draw("A", kA).find("turf")->find("id")->as_string();
  auto renamed = v.call("POST", "/api/v1/turfs/" + id, R"({"name":"Walgrove"})");
  CHECK(renamed.find("turf")->find("name")->as_string() == "Walgrove");
  CHECK(renamed.find("turf")->find("doors")->as_int() == static_cast<int64_t>(v.inside(kA).size()));
  // Reshape: the doors of the new outline, in a fresh walk order, under the same id.
  const Ring smaller = {{-118.4615, 34.0015}, {-118.4555, 34.0010}, {-118.4545, 34.0055}, {-118.4600, 34.0060}};
  auto reshaped = v.call("POST", "/api/v1/turfs/" + id, R"({"polygon":)" + polygon(smaller) + "}");
  CHECK(reshaped.find("turf")->find("id")->as_string() == id);
  CHECK(reshaped.find("turf")->find("name")->as_string() == "Walgrove");
  auto in_small = v.inside(smaller);
  CHECK(reshaped.find("turf")->find("doors")->as_int() == static_cast<int64_t>(in_small.size()));
  CHECK(v.route_doors(id) == in_small);
  v.call("POST", "/api/v1/turfs/" + id, R"({})", 400);
  v.call("POST", "/api/v1/turfs/" + id, R"({"name":""})", 400);
  v.call("POST", "/api/v1/turfs/" + id, R"({"polygon":)" + polygon({{-118.46, 34.00}, {-118.45, 34.01}, {-118.45, 34.00}, {-118.46, 34.01}}) + "}", 400);
  v.call("POST", "/api/v1/turfs/00000000-0000-7000-8000-000000000000", R"({"name":"x"})", 404);
  CHECK(v.route_doors(id) == in_small);  // the refused edits changed nothing

  // Split along a north-south line: each piece holds the doors on its side.
  const double mid = -118.4578;
  auto bad_miss = v.call("POST", "/api/v1/turfs/" + id + "/split", R"({"line":)" + line({{-118.44, 33.99}, {-118.44, 34.02}}) + "}", 400);
  CHECK(bad_miss.find("message")->as_string().find("misses") != std::string::npos);
  v.call("POST", "/api/v1/turfs/" + id + "/split", R"({"line":)" + line({{mid, 33.99}, {mid, 34.004}}) + "}", 400);
  v.call("POST", "/api/v1/turfs/" + id + "/split", R"({"line":{"type":"Point","coordinates":[0,0]}})", 400);
  v.call("POST", "/api/v1/turfs/" + id + "/split", R"({"line":)" + line({{mid, 33.99}, {mid, 34.02}}) + R"(,"names":["one"]})", 400);
  auto split = v.call("POST", "/api/v1/turfs/" + id + "/split",
                      R"({"line":)" + line({{mid, 33.99}, {mid, 34.02}}) + R"(,"names":["West","East"]})");
  REQUIRE(split.find("turfs")->size() == 2);
  CHECK(split.find("retired")->find("archived")->as_bool() == false);
  std::set<std::string> west, east;
  for (const auto& d : v.doors)
    if (in_small.count(d.id)) (*d.lon < mid ? west : east).insert(d.id);
  std::string id_w = split.find("turfs")->as_array()[0].find("id")->as_string();
  std::string id_e = split.find("turfs")->as_array()[1].find("id")->as_string();
  CHECK(split.find("turfs")->as_array()[0].find("name")->as_string() == "West");
  auto got_w = v.route_doors(id_w), got_e = v.route_doors(id_e);
  // Which piece is west depends on the outline's direction; the doors must match one way round.
  if (got_w != west) std::swap(got_w, got_e);
  CHECK(got_w == west);
  CHECK(got_e == east);
  v.call("GET", "/api/v1/turfs/" + id + "/route", "", 404);  // the split turf had no records: gone
  CHECK(v.call("GET", v.turfs(), "").find("turfs")->size() == 2);

  // Merge: the union of the doors; the pieces retire.
  v.call("POST", v.turfs() + "/merge", R"({"turf_ids":[")" + id_w + R"("]})", 400);
  v.call("POST", v.turfs() + "/merge", R"({"turf_ids":[")" + id_w + R"(",")" + id_w + R"("]})", 400);
  v.call("POST", v.turfs() + "/merge", R"({"turf_ids":[")" + id_w + R"(","00000000-0000-7000-8000-000000000000"]})", 404);
  auto other = v.call("POST", "/api/v1/campaigns", R"({"name":"Elsewhere"})");
  std::string other_campaign = other.find("campaign")->find("id")->as_string();
  auto foreign = v.call("POST", "/api/v1/campaigns/" + other_campaign + "/turfs", R"({"name":"F","polygon":)" + polygon(kA) + "}");
  std::string id_f = foreign.find("turf")->find("id")->as_string();
  CHECK(foreign.find("turf")->find("doors")->as_int() == 0);  // the other campaign's doors only
  auto cross = v.call("POST", v.turfs() + "/merge", R"({"turf_ids":[")" + id_w + R"(",")" + id_f + R"("]})", 400);
  CHECK(cross.find("message")->as_string().find("another campaign") != std::string::npos);
  v.call("POST", "/api/v1/campaigns/" + other_campaign + "/turfs/auto", R"({"target_doors":5,"from_turfs":[")" + id_w + R"("]})", 400);
  auto merged = v.call("POST", v.turfs() + "/merge", R"({"turf_ids":[")" + id_w + R"(",")" + id_e + R"("]})");
  std::string id_m = merged.find("turf")->find("id")->as_string();
  CHECK(merged.find("turf")->find("name")->as_string() == "West + East");
  CHECK(merged.find("retired")->size() == 2);
  CHECK(v.route_doors(id_m) == in_small);
  v.call("GET", "/api/v1/turfs/" + id_w + "/route", "", 404);

  // Delete with records: archived (records and door list kept), its link ends, its doors are free.
  auto cli = v.s.client();
  auto l = cli.Post("/api/v1/turfs/" + id_m + "/links", v.org.headers(), R"({"label":"Sam"})", "application/json");
  REQUIRE(l);
  std::string token = fixture::parse(l->body).find("token")->as_string();
  std::vector<std::string> ids(in_small.begin(), in_small.end());
  auto push = cli.Post("/api/v1/canvass/push", fixture::bearer(token),
                       fixture::push_body("c0ffeec0ffeec0ffeec0ffeec0ffee01", 1, 3, ids, v.s.now_ms), "application/json");
  REQUIRE(push);
  REQUIRE(push->status == 200);
  auto del = v.call("POST", "/api/v1/turfs/" + id_m + "/delete", "{}");
  CHECK(del.find("retired")->find("archived")->as_bool());
  CHECK(del.find("retired")->find("links_ended")->as_int() == 1);
  CHECK(del.find("warnings")->find("doors_in_no_turf")->as_int() == static_cast<int64_t>(v.doors.size()));
  auto pkg = cli.Get("/api/v1/canvass/package", fixture::bearer(token));
  REQUIRE(pkg);
  CHECK(pkg->status == 401);
  CHECK(fixture::parse(pkg->body).find("code")->as_string() == "revoked");
  CHECK(v.call("GET", v.turfs(), "").find("turfs")->size() == 0);
  auto with_archived = v.call("GET", v.turfs() + "?archived=true", "");
  REQUIRE(with_archived.find("turfs")->size() == 1);
  CHECK(with_archived.find("turfs")->as_array()[0].find("status")->as_string() == "archived");
  CHECK(v.route_doors(id_m) == in_small);  // the door list stays with the records
  CHECK(v.attempts() == 3);
  v.call("POST", "/api/v1/turfs/" + id_m, R"({"name":"again"})", 400);  // archived: no edits
  v.call("POST", "/api/v1/turfs/" + id_m + "/delete", "{}", 400);
  v.call("POST", "/api/v1/turfs/" + id_m + "/delete", R"({"force":true})", 400);
  // A new cut may take the archived turf's doors.
  auto cut = v.call("POST", v.turfs() + "/auto", R"({"target_doors":40})");
  CHECK(cut.find("warnings")->find("doors_in_no_turf")->as_int() == 0);
}

TEST_CASE("auto-cut: an area by minutes reports the turfs off the target; no area covers the rest; a second pass moves not-home doors") {
  Venice v;
  const Ring west = rect(-118.4700, 33.9980, -118.4580, 34.0100);
  auto in_west = v.inside(west);
  REQUIRE(in_west.size() > 60);
  auto cut = v.call("POST", v.turfs() + "/auto", R"({"target_minutes":60,"area":)" + polygon(west) + "}");
  CHECK(cut.find("by")->as_string() == "minutes");
  CHECK(cut.find("target")->as_double() == 60);
  CHECK(cut.find("candidates")->as_int() == static_cast<int64_t>(in_west.size()));
  const auto& turfs = cut.find("turfs")->as_array();
  REQUIRE(turfs.size() >= 2);
  std::set<std::string> covered;
  int64_t off = 0;
  for (const auto& t : turfs) {
    std::string id = t.find("id")->as_string();
    auto doors = v.route_doors(id);
    for (const auto& d : doors) {
      CHECK(in_west.count(d) == 1);  // only doors of the area
      CHECK(covered.insert(d).second);
    }
    double minutes = t.find("minutes")->as_double();
    auto route = v.call("GET", "/api/v1/turfs/" + id + "/route", "");
    CHECK(route.find("minutes")->as_double() == doctest::Approx(minutes).epsilon(0.01));
    bool near = std::fabs(minutes - 60) <= 0.15 * 60 + 0.05;
    CHECK(t.find("off_target")->as_bool() == !near);
    if (!near) {
      ++off;
      CHECK(has(*cut.find("off_target"), id));
      std::string why = cut.find("off_target")->as_array()[0].find("reason")->as_string();
      CHECK((why == "building" || why == "remainder" || why == "walk"));
    }
  }
  CHECK(cut.find("off_target")->size() == static_cast<size_t>(off));
  MESSAGE(turfs.size() << " turfs of about 60 minutes, " << off << " off the target");
  CHECK(static_cast<int64_t>(covered.size()) == cut.find("candidates")->as_int() - cut.find("excluded")->as_int());
  // The same area again: every door is taken.
  auto again = v.call("POST", v.turfs() + "/auto", R"({"target_minutes":60,"area":)" + polygon(west) + "}");
  CHECK(again.find("turfs")->size() == 0);
  // Bad requests change nothing.
  for (std::string bad : {std::string(R"({})"), std::string(R"({"target_doors":40,"target_minutes":60})"),
                          std::string(R"({"target_minutes":5})"), std::string(R"({"target_doors":4})"),
                          std::string(R"({"target_doors":40,"area":{"type":"Polygon","coordinates":[[[-118.46,34.0],[-118.45,34.01],[-118.45,34.0],[-118.46,34.01],[-118.46,34.0]]]}})"),
                          std::string(R"({"target_doors":40,"results":["not_home"]})"),
                          std::string(R"({"target_doors":40,"from_turfs":["00000000-0000-7000-8000-000000000000"]})"),
                          std::string(R"({"target_doors":40,"from_turfs":[")") + turfs[0].find("id")->as_string() + R"("],"results":["lost"]})",
                          std::string(R"({"target_doors":40,"shape":1})")}) {
    CAPTURE(bad);
    auto cli = v.s.client();
    auto r = cli.Post(v.turfs() + "/auto", v.org.headers(), bad, "application/json");
    REQUIRE(r);
    CHECK((r->status == 400 || r->status == 404));
  }
  CHECK(v.call("GET", v.turfs(), "").find("turfs")->size() == turfs.size());
  // No area: every door in no turf, as before.
  auto rest = v.call("POST", v.turfs() + "/auto", R"({"target_doors":40})");
  CHECK(rest.find("by")->as_string() == "doors");
  CHECK(rest.find("warnings")->find("doors_in_no_turf")->as_int() == 0);
  CHECK(rest.find("warnings")->find("overlaps")->size() == 0);

  // Second pass: a turf's not-home and come-back doors go to new turfs; talked doors stay.
  std::string first = turfs[0].find("id")->as_string();
  auto route = v.call("GET", "/api/v1/turfs/" + first + "/route", "");
  std::vector<std::string> order;
  for (const auto& d : route.find("doors")->as_array()) order.push_back(d.find("id")->as_string());
  REQUIRE(order.size() >= 9);
  auto cli = v.s.client();
  auto l = cli.Post("/api/v1/turfs/" + first + "/links", v.org.headers(), R"({"label":"Sam"})", "application/json");
  std::string token = fixture::parse(l->body).find("token")->as_string();
  // push_body: seq % 3 == 0 talked, else not home, door = order[seq % n]: doors 1, 2, 4, 5, 7, 8 not home.
  std::vector<std::string> nine(order.begin(), order.begin() + 9);
  auto push = cli.Post("/api/v1/canvass/push", fixture::bearer(token),
                       fixture::push_body("c0ffeec0ffeec0ffeec0ffeec0ffee02", 1, 8, nine, v.s.now_ms), "application/json");
  REQUIRE(push);
  REQUIRE_MESSAGE(push->status == 200, push->body);
  std::set<std::string> not_home;
  for (int seq = 1; seq <= 8; ++seq)
    if (seq % 3) not_home.insert(nine[static_cast<size_t>(seq) % 9]);
  auto pass = v.call("POST", v.turfs() + "/auto", R"({"target_doors":5,"from_turfs":[")" + first + R"("]})");
  CHECK(pass.find("moved")->as_int() == static_cast<int64_t>(not_home.size()));
  std::set<std::string> moved;
  for (const auto& t : pass.find("turfs")->as_array())
    for (const auto& d : v.route_doors(t.find("id")->as_string())) moved.insert(d);
  CHECK(moved == not_home);
  for (const auto& d : v.route_doors(first)) CHECK(not_home.count(d) == 0);
  CHECK(pass.find("warnings")->find("overlaps")->size() == 0);
}

TEST_CASE("next unassigned turf: the nearest with no live link; preview package in the package's order, no attempt made") {
  Venice v;
  std::string a = v.draw("A", kA).find("turf")->find("id")->as_string();
  std::string b = v.draw("B", rect(-118.4560, 34.0070, -118.4510, 34.0100)).find("turf")->find("id")->as_string();
  std::string next = "/api/v1/campaigns/" + v.campaign + "/turfs/next";
  auto n = v.call("GET", next + "?lat=34.0035&lon=-118.4580", "");
  CHECK(n.find("turf")->find("id")->as_string() == a);
  CHECK(n.find("distance_m")->as_double() == 0);  // inside A
  auto cli = v.s.client();
  auto l = cli.Post("/api/v1/turfs/" + a + "/links", v.org.headers(), R"({"label":"Sam"})", "application/json");
  REQUIRE(l);
  std::string link_a = fixture::parse(l->body).find("link")->find("id")->as_string();
  n = v.call("GET", next + "?lat=34.0035&lon=-118.4580", "");
  REQUIRE(n.find("turf"));
  CHECK(n.find("turf")->find("id")->as_string() == b);
  CHECK(n.find("distance_m")->as_double() > 100);
  auto lb = cli.Post("/api/v1/turfs/" + b + "/links", v.org.headers(), R"({"label":"Lee"})", "application/json");
  REQUIRE(lb);
  v.call("GET", next + "?lat=34.0035&lon=-118.4580", "", 404);
  v.call("POST", "/api/v1/links/" + link_a + "/revoke", "{}");  // a revoked link holds nothing
  CHECK(v.call("GET", next + "?lat=34.0035&lon=-118.4580", "").find("turf")->find("id")->as_string() == a);
  for (const char* q : {"", "?lat=34.0035", "?lat=north&lon=-118.45", "?lat=94&lon=-118.45", "?lat=34&lon=-218.45"}) {
    CAPTURE(q);
    v.call("GET", next + q, "", 400);
  }

  // Preview: the package a phone would get, for the organizer's session only; nothing counted.
  int64_t before = v.attempts();
  auto pkg = v.call("GET", "/api/v1/turfs/" + a + "/package", "");
  auto route = v.call("GET", "/api/v1/turfs/" + a + "/route", "");
  std::vector<std::string> pkg_order, route_order;
  auto sorted = pkg.find("doors")->as_array();
  std::sort(sorted.begin(), sorted.end(), [](const json::Value& x, const json::Value& y) {
    return x.find("order")->as_int() < y.find("order")->as_int();
  });
  for (const auto& d : sorted) pkg_order.push_back(d.find("id")->as_string());
  for (const auto& d : route.find("doors")->as_array()) route_order.push_back(d.find("id")->as_string());
  CHECK(pkg_order.size() == v.inside(kA).size());
  CHECK(pkg_order == route_order);
  CHECK(pkg.find("turf")->find("id")->as_string() == a);
  CHECK(v.attempts() == before);
  auto anon = cli.Get("/api/v1/turfs/" + a + "/package");
  REQUIRE(anon);
  CHECK(anon->status == 401);
  v.call("GET", "/api/v1/turfs/00000000-0000-7000-8000-000000000000/package", "", 404);
  auto audit = v.call("GET", "/api/v1/campaigns/" + v.campaign + "/audit", "");
  bool seen = false;
  for (const auto& e : audit.find("entries")->as_array()) seen |= e.find("action")->as_string() == "turf.preview";
  CHECK(seen);
}

TEST_CASE("the canvasser page alone may be framed, by its own origin (the console's preview iframe)") {
  fixture::TempDir web;
  std::ofstream(web.path + "/index.html") << "<!doctype html><title>x</title>";
  std::ofstream(web.path + "/organizer.html") << "<!doctype html><title>y</title>";
  server::HttpConfig hc;
  hc.web_root = web.path;
  fixture::Server s(hc);
  auto cli = s.client();
  for (const char* p : {"/", "/index.html"}) {
    auto r = cli.Get(p);
    REQUIRE(r);
    CHECK(r->get_header_value("Content-Security-Policy").find("frame-ancestors 'self'") != std::string::npos);
    CHECK(r->get_header_value("X-Frame-Options") == "SAMEORIGIN");
  }
  for (const char* p : {"/organizer.html", "/api/v1/health"}) {
    auto r = cli.Get(p);
    REQUIRE(r);
    CHECK(r->get_header_value("Content-Security-Policy").find("frame-ancestors 'none'") != std::string::npos);
    CHECK(r->get_header_value("X-Frame-Options") == "DENY");
  }
}
