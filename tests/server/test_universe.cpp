// The organizer's data routes over real loopback HTTP: reference address points (POST
// .../address-points) placing the doors that waited for them, voter files (POST .../universe) with
// a JSON column mapping, progress (GET .../imports/current), the doors for the map, and bad input:
// a wrong layout, a truncated file, binary garbage, a header quote, an upload cut off mid-way,
// wrong content types; none leaves anything half-imported and every error names its row. Then a
// streamed 64 MiB upload into a real `doorstep serve` child whose memory grows by under 64 MB.
#include <fstream>
#include <sstream>

#include "bench/ca_voter_gen.h"
#include "tests/fixtures.h"
#include "tests/server/child.h"
#include "tests/server/fixture.h"

using namespace doorstep;

namespace {

// Every 4th Venice point as a California-format voter (no coordinates); the language sits in
// HomeLanguage, the standard Language column is blank.
std::string voters(const std::string& venice, int* rows) {
  std::string out = "RegistrantID\tLastName\tFirstName\tAddressNumber\tStreetName\tStreetType\tZip\tLanguage\tHomeLanguage\n";
  std::istringstream in(venice);
  std::string line;
  std::getline(in, line);
  int i = 0, n = 0;
  while (std::getline(in, line)) {
    if (i++ % 4) continue;
    std::vector<std::string> c(1);
    for (char ch : line) {
      if (ch == ',') c.emplace_back();
      else c.back() += ch;
    }
    if (c.size() < 10 || c[5].empty() || c[6].empty() || !c[7].empty()) continue;
    ++n;
    out += "V" + std::to_string(n) + "\tVOTER\tANA\t" + c[5] + "\t" + c[6] + "\t\t" + c[9] + "\t\t" + (n % 2 ? "KOREAN" : "SPANISH") + "\n";
  }
  *rows = n;
  return out;
}

std::string create_campaign(httplib::Client& cli, const fixture::Organizer& org, const std::string& name) {
  auto c = cli.Post("/api/v1/campaigns", org.headers(), R"({"name":")" + name + R"("})", "application/json");
  REQUIRE(c);
  REQUIRE_MESSAGE(c->status == 200, c->body);
  return fixture::parse(c->body).find("campaign")->find("id")->as_string();
}

int64_t count(fixture::Server& s, const std::string& campaign, const char* what) {
  int64_t n = -1;
  auto st = s.app->storage().read([&](store::Db& db) -> Status {
    auto c = store::count_campaign(db, campaign);
    if (!c) return c.error();
    n = std::string(what) == "people" ? c->people : std::string(what) == "doors" ? c->doors : c->geocoded_doors;
    return Status::Ok();
  });
  REQUIRE(st.ok());
  return n;
}

}  // namespace

TEST_CASE("address points place waiting doors; a voter file with a column mapping is geocoded against them") {
  fixture::Server s;
  auto org = fixture::sign_in_admin(s);
  auto cli = s.client();
  cli.set_read_timeout(180, 0);  // an answer is the import's report: generous on a loaded machine
  std::string campaign = create_campaign(cli, org, "Venice data");
  std::string venice = fixtures::contents("la/venice_addresses.csv");
  int rows = 0;
  std::string file = voters(venice, &rows);
  std::string base = "/api/v1/campaigns/" + campaign;

  // Doors first: nothing to geocode against yet, so every door waits unplaced.
  auto first = cli.Post(base + "/universe?file_name=v.tsv", org.headers(), file, "text/tab-separated-values");
  REQUIRE(first);
  REQUIRE_MESSAGE(first->status == 200, first->body);
  auto r1 = fixture::parse(first->body);
  CHECK(r1.find("rows")->as_int() == rows);
  CHECK(r1.find("geocoded")->as_int() == 0);
  int64_t doors = r1.find("doors")->as_int();

  // Reference points: stored, and the waiting doors are placed.
  auto pts = cli.Post(base + "/address-points?file_name=venice.csv", org.headers(), venice, "text/csv");
  REQUIRE(pts);
  REQUIRE_MESSAGE(pts->status == 200, pts->body);
  auto pr = fixture::parse(pts->body);
  CHECK(pr.find("preset")->as_string() == "address_points");
  CHECK(pr.find("points")->as_int() > 13000);
  CHECK(pr.find("doors_placed")->as_int() > doors * 9 / 10);
  CHECK(pr.find("doors_unplaced")->as_int() == doors - pr.find("doors_placed")->as_int());
  CHECK(count(s, campaign, "geocoded") == pr.find("doors_placed")->as_int());

  // Progress of the last upload.
  auto cur = cli.Get(base + "/imports/current", org.headers(false));
  REQUIRE(cur);
  auto cv = fixture::parse(cur->body);
  CHECK(cv.find("bytes_received")->as_int() == static_cast<int64_t>(venice.size()));
  CHECK(cv.find("bytes_total")->as_int() == static_cast<int64_t>(venice.size()));
  CHECK(cv.find("phase")->as_string() == "done");
  CHECK_FALSE(cv.find("running")->as_bool());

  // The same voters again with the language taken from HomeLanguage, geocoded on the way in.
  std::string mapping = "%7B%22columns%22%3A%7B%22language%22%3A%22HomeLanguage%22%7D%7D";  // {"columns":{"language":"HomeLanguage"}}
  auto second = cli.Post(base + "/universe?mapping=" + mapping + "&file_name=v2.tsv", org.headers(), file, "text/plain");
  REQUIRE(second);
  REQUIRE_MESSAGE(second->status == 200, second->body);
  auto r2 = fixture::parse(second->body);
  CHECK(r2.find("preset")->as_string() == "california");
  CHECK(r2.find("changed")->as_int() == rows);  // every person's language changed
  auto map = cli.Get(base + "/doors/map", org.headers(false));
  REQUIRE(map);
  REQUIRE(map->status == 200);
  auto mv = fixture::parse(map->body);
  CHECK(mv.find("count")->as_int() == pr.find("doors_placed")->as_int());
  CHECK(mv.find("unplaced")->as_int() == pr.find("doors_unplaced")->as_int());
  const auto& langs = mv.find("attributes")->find("language")->find("values")->as_array();
  bool ko = false, es = false;
  for (const auto& l : langs) ko = ko || l.as_string() == "ko", es = es || l.as_string() == "es";
  CHECK(ko);
  CHECK(es);
  auto cur2 = fixture::parse(cli.Get(base + "/imports/current", org.headers(false))->body);
  CHECK(cur2.find("rows")->as_int() == rows);
  CHECK(cur2.find("kind")->as_string() == "universe");

  // The time zones a campaign may use; a zone outside them is refused at creation.
  auto tz = cli.Get("/api/v1/time-zones", org.headers(false));
  REQUIRE(tz);
  CHECK(fixture::parse(tz->body).find("time_zones")->size() > 3);
  auto badtz = cli.Post("/api/v1/campaigns", org.headers(), R"({"name":"Mars","time_zone":"Mars/Olympus"})", "application/json");
  REQUIRE(badtz);
  CHECK(badtz->status == 400);
}

TEST_CASE("bad uploads are refused with a clear message and leave nothing half-imported") {
  fixture::Server s;
  auto org = fixture::sign_in_admin(s);
  auto cli = s.client();
  cli.set_read_timeout(180, 0);  // an answer is the import's report: generous on a loaded machine
  std::string campaign = create_campaign(cli, org, "Bad input");
  std::string base = "/api/v1/campaigns/" + campaign;
  auto post = [&](const std::string& path, const std::string& body, const char* type = "text/csv") {
    auto r = cli.Post(base + path, org.headers(), body, type);
    REQUIRE(r);
    return std::make_pair(r->status, fixture::parse(r->body));
  };
  auto msg = [](const json::Value& v) { return v.find("message")->as_string(); };
  auto nothing_stored = [&] {
    CHECK(count(s, campaign, "people") == 0);
    CHECK(count(s, campaign, "doors") == 0);
  };

  auto [st1, wrong] = post("/universe", "name,colour\nAna,red\n");
  CHECK(st1 == 400);
  CHECK(msg(wrong).find("no preset matches this header") == 0);
  auto [st2, quote] = post("/universe", "foo,\"bar,baz\n1,2,3\n");
  CHECK(st2 == 400);
  CHECK(msg(quote) == "csv: the header row (line 1) has a quote in column 2 that is never closed");
  std::string garbage = "RegistrantID,AddressNumber,StreetName\n";
  for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 7919) & 0xff);
  auto [st3, bin] = post("/universe", garbage, "application/octet-stream");
  CHECK(st3 == 400);
  CHECK(msg(bin).find("the file is not text (a NUL byte at byte") == 0);
  auto [st4, type] = post("/universe", "RegistrantID,AddressNumber,StreetName\n1,1,Main\n", "application/json");
  CHECK(st4 == 400);
  CHECK(msg(type).find("Content-Type must be") == 0);
  auto [st5, map] = post("/universe?mapping=%7B%22columns%22%3A%7B%22language%22%3A%22Nope%22%7D%7D", "RegistrantID,AddressNumber,StreetName\n1,1,Main\n");
  CHECK(st5 == 400);
  CHECK(msg(map) == "mapping: no column 'Nope' in the header (field language)");
  auto [st6, notjson] = post("/universe?mapping=%7Bnope", "RegistrantID,AddressNumber,StreetName\n1,1,Main\n");
  CHECK(st6 == 400);
  CHECK(msg(notjson).find("mapping:") == 0);
  auto [st7, pts] = post("/address-points", "RegistrantID,AddressNumber,StreetName\n1,1,Main\n");
  CHECK(st7 == 400);
  CHECK(msg(pts).find("reference points need lat and lon") == 0);
  nothing_stored();

  // A truncated file (cut inside a quoted field) imports its whole rows and names the cut one.
  auto [st8, cut] = post("/universe", "RegistrantID,AddressNumber,StreetName,LastName\n1,1319,Walgrove,Ana\n2,1325,Walgrove,\"Be");
  CHECK(st8 == 200);
  CHECK(cut.find("rows")->as_int() == 2);
  bool named = false;
  for (const auto& e : cut.find("errors")->as_array())
    named = named || (e.find("code")->as_string() == "unterminated_quote" && e.find("row")->as_int() == 2);
  CHECK(named);

  // An upload cut off mid-way: the connection closes before the declared length arrives.
  int64_t before = count(s, campaign, "people");
  {
    httplib::Client raw("127.0.0.1", s.port);
    raw.set_read_timeout(5, 0);
    std::string head = "RegistrantID,AddressNumber,StreetName\n";
    for (int i = 0; i < 20000; ++i) head += std::to_string(100 + i) + "," + std::to_string(i) + ",Main\n";
    size_t declared = head.size() * 2;
    auto r = raw.Post(base + "/universe", org.headers(), declared,
                      [&](size_t offset, size_t length, httplib::DataSink& sink) {
                        if (offset >= head.size()) return false;  // gives up: the rest never comes
                        sink.write(head.data() + offset, std::min(length, head.size() - offset));
                        return true;
                      },
                      "text/csv");
    if (r) CHECK(r->status >= 400);
  }
  CHECK(count(s, campaign, "people") == before);
  // The server spools a body whole before the route runs: a cut-off one never reaches the import,
  // and the last upload's status is still the truncated file's.
  auto cur = fixture::parse(cli.Get(base + "/imports/current", org.headers(false))->body);
  CHECK(cur.find("phase")->as_string() == "done");
  CHECK(cur.find("rows")->as_int() == 2);

  // Someone else's upload may not be watched without a session.
  auto anon = cli.Get(base + "/imports/current");
  REQUIRE(anon);
  CHECK(anon->status == 401);
}

TEST_CASE("a streamed 64 MiB upload grows a real doorstep serve's memory by under 64 MB") {
  fixture::TempDir dir;
  fixture::Child child(dir.path + "/data");
  fixture::Organizer org = fixture::sign_in_printed(child.out, child.port);
  httplib::Client cli("127.0.0.1", child.port);
  cli.set_read_timeout(300, 0);
  cli.set_write_timeout(60, 0);
  std::string campaign = create_campaign(cli, org, "Big");

  auto status_kb = [&](const char* field) {
    std::ifstream f("/proc/" + std::to_string(child.pid) + "/status");
    std::string l;
    while (std::getline(f, l))
      if (l.rfind(field, 0) == 0) return std::stol(l.substr(std::string(field).size()));
    return -1L;
  };
  long rss_before = status_kb("VmRSS:");
  REQUIRE(rss_before > 0);

  // 64 MiB of California rows, generated as they are sent (never whole in this process either).
  const uint64_t target = 64ull << 20;
  std::string pending = bench::ca_header();
  uint64_t next_row = 0, sent = 0, rows = 0;
  auto r = cli.Post("/api/v1/campaigns/" + campaign + "/universe?file_name=big.tsv", org.headers(), target,
                    [&](size_t, size_t length, httplib::DataSink& sink) {
                      while (pending.size() < length) {
                        bench::ca_rows(next_row, 512, pending);
                        next_row += 512;
                      }
                      size_t n = std::min<uint64_t>(length, target - sent);
                      sink.write(pending.data(), n);
                      pending.erase(0, n);
                      sent += n;
                      return true;
                    },
                    "text/tab-separated-values");
  REQUIRE(r);
  REQUIRE_MESSAGE(r->status == 200, r->body);
  auto rep = fixture::parse(r->body);
  rows = static_cast<uint64_t>(rep.find("rows")->as_int());
  long hwm = status_kb("VmHWM:");
  MESSAGE("64 MiB upload: ", rows, " rows; server RSS before ", rss_before / 1024, " MB, peak ", hwm / 1024, " MB");
  CHECK(rows > 150000);
  CHECK(rep.find("bytes")->as_int() == static_cast<int64_t>(target));
  CHECK(hwm - rss_before < 64 * 1024);
}
