// Tests for shared/importer on real files and real SQLite: the whole Venice address-point file, a
// California-format voter file written here from the Venice addresses and geocoded against the
// Venice points, re-import and full-replace semantics, and ragged rows reported, never dropped.
#include <doctest/doctest.h>

#include "tests/fixtures.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "shared/base/geo.h"
#include "shared/store/campaign_store.h"
#include "shared/parse/geocode.h"
#include "shared/base/ids.h"
#include "shared/io/importer.h"
#include "shared/store/store.h"

using namespace doorstep;

namespace {

std::string venice_csv() { return fixtures::path("la/venice_addresses.csv"); }

struct Point {
  std::string number, street, unit, zip;
  double lat, lon;
};

// The Venice file is plain CSV without quotes; a simple split is enough to build fixtures.
std::vector<Point> venice_points() {
  std::ifstream f(venice_csv());
  REQUIRE(f.good());
  std::string line;
  std::getline(f, line);
  std::vector<Point> out;
  while (std::getline(f, line)) {
    std::vector<std::string> c(1);
    for (char ch : line) {
      if (ch == ',') c.emplace_back();
      else if (ch != '\r') c.back() += ch;
    }
    REQUIRE(c.size() == 11);
    out.push_back(Point{c[5], c[6], c[7], c[9], std::stod(c[3]), std::stod(c[4])});
  }
  return out;
}

store::Db memdb() {
  auto d = store::Db::open(":memory:");
  REQUIRE(d.ok());
  return std::move(d.value());
}

std::string tmpfile(const std::string& name, const std::string& content) {
  std::string p = fixtures::temp_path("doorstep_test_" + name);
  std::ofstream f(p, std::ios::binary);
  f << content;
  return p;
}

int64_t scalar(store::Db& db, const std::string& sql) {
  auto s = db.prepare(sql);
  REQUIRE(s.ok());
  auto r = s->step();
  REQUIRE(r.ok());
  REQUIRE(r.value());
  return s->int64(0);
}

const char* kCaHeader =
    "CountyCode\tRegistrantID\tExtractDate\tLastName\tFirstName\tMiddleName\tSuffix\tAddressNumber\t"
    "HouseFractionNumber\tAddressNumberSuffix\tStreetDirPrefix\tStreetName\tStreetType\tStreetDirSuffix\t"
    "UnitType\tUnitNumber\tCity\tState\tZip\tPhone1Area\tPhone1Exchange\tPhone1NumberPart\tEmail\tLanguage\tDOB\tPartyCode";

std::string ca_row(const std::string& id, const std::string& last, const std::string& first, const std::string& number,
                   const std::string& street, const std::string& type, const std::string& unit, const std::string& zip,
                   const std::string& phone = "3105550100") {
  std::ostringstream o;
  o << "19\t" << id << "\t20261101\t" << last << '\t' << first << "\t\t\t" << number << "\t\t\t\t" << street << '\t'
    << type << "\t\t" << (unit.empty() ? "" : "APT") << '\t' << unit << "\tLOS ANGELES\tCA\t" << zip << "1234\t"
    << phone.substr(0, 3) << '\t' << phone.substr(3, 3) << '\t' << phone.substr(6) << "\t\tSPANISH\t19840312\tDEM\n";
  return o.str();
}

}  // namespace

TEST_CASE("the whole Venice address file imports with every row accounted for") {
  auto db = memdb();
  importer::Options o;
  o.campaign = "Venice";
  auto r = importer::import_file(db, venice_csv(), o);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().message));
  const auto& rep = r.value();
  CHECK(rep.preset == "address_points");
  CHECK(rep.rows == 13296);
  CHECK(rep.imported + rep.skipped == rep.rows);
  // Every skipped row is named in the errors with its row number.
  std::set<uint64_t> skipped_rows;
  for (const auto& e : rep.errors)
    if (e.code == "no_address") skipped_rows.insert(e.row);
  CHECK(skipped_rows.size() == rep.skipped);
  // Doors are distinct dwellings: fewer than rows (duplicates in the points), never more.
  CHECK(rep.doors <= rep.imported);
  CHECK(rep.doors + rep.same_door == rep.imported);
  CHECK(rep.doors > 12000);
  CHECK(rep.people == 0);
  // The file carries coordinates for every point, so every door is placed from the source.
  CHECK(rep.geocoded == rep.doors);
  CHECK(rep.from_source == rep.doors);
  CHECK(rep.buildings <= rep.doors);
  auto counts = store::count_campaign(db, rep.campaign_id);
  REQUIRE(counts.ok());
  CHECK(counts->doors == static_cast<int64_t>(rep.doors));
  CHECK(counts->buildings == static_cast<int64_t>(rep.buildings));
  CHECK(counts->geocoded_doors == static_cast<int64_t>(rep.doors));
  // The first import into an empty database rebuilt the lookup indexes it dropped for speed.
  CHECK(scalar(db, "SELECT count(*) FROM sqlite_schema WHERE type='index' AND name IN ('person_door','door_building')") == 2);
  // The report is one JSON object with the promised keys.
  auto j = rep.to_json();
  for (const char* k : {"rows", "people", "doors", "buildings", "geocoded", "errors"}) CHECK_MESSAGE(j.find(k), k);
  // A second import of the same file changes nothing.
  auto again = importer::import_file(db, venice_csv(), o);
  REQUIRE(again.ok());
  CHECK(again->added == 0);
  CHECK(again->changed == 0);
  CHECK(store::count_campaign(db, rep.campaign_id)->doors == counts->doors);
}

TEST_CASE("a California-format file written from the Venice addresses geocodes against the Venice points") {
  auto pts = venice_points();
  // Every 7th point, two voters each; street types added on a third of the rows since the points
  // lack them and real voter files carry them; 20 addresses that do not exist in Venice.
  std::string file = std::string(kCaHeader) + "\n";
  std::map<std::string, const Point*> by_id;
  int n = 0;
  for (size_t i = 0; i < pts.size(); i += 7) {
    const auto& p = pts[i];
    for (int k = 0; k < 2; ++k) {
      std::string id = "LA" + std::to_string(++n);
      file += ca_row(id, "Voter" + std::to_string(n), k ? "Ana" : "Luis", p.number, p.street, i % 3 == 0 ? "AVE" : "",
                     p.unit, p.zip);
      by_id[id] = &p;
    }
  }
  for (int k = 0; k < 20; ++k) {
    std::string id = "NX" + std::to_string(k);
    file += ca_row(id, "Nowhere", "Pat", std::to_string(90001 + 2 * k), "Imaginary", "ST", "", "90291");
  }
  std::string path = tmpfile("ca", file);
  auto db = memdb();
  importer::Options o;
  o.geocode_with = venice_csv();
  auto r = importer::import_file(db, path, o);
  std::remove(path.c_str());
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().message));
  const auto& rep = r.value();
  CHECK(rep.preset == "california");
  CHECK(rep.rows == static_cast<uint64_t>(n + 20));
  CHECK(rep.imported == rep.rows);
  CHECK(rep.people == rep.rows);
  uint64_t needed = rep.exact + rep.approximate + rep.ambiguous + rep.unmatched;
  CHECK(needed == rep.doors);
  MESSAGE("CA-format geocode: doors=", rep.doors, " exact=", rep.exact, " approximate=", rep.approximate,
          " ambiguous=", rep.ambiguous, " unmatched=", rep.unmatched, " match rate=", rep.match_rate());
  CHECK(rep.match_rate() > 0.95);
  CHECK(rep.unmatched >= 20);  // the invented addresses are never guessed
  // Every unmatched or ambiguous row is listed.
  uint64_t listed = 0;
  for (const auto& e : rep.errors)
    if (e.code == "geocode_unmatched" || e.code == "geocode_ambiguous") ++listed;
  CHECK(listed >= 40);  // 20 invented addresses with one voter each, plus any real misses (two voters each)
  // Placed people sit within 30 m of the point their address was written from.
  int checked = 0, close = 0;
  for (const auto& [id, p] : by_id) {
    auto person = store::find_person_by_source(db, rep.campaign_id, "california:" + id);
    REQUIRE(person.ok());
    REQUIRE(person->has_value());
    auto door = store::get_door(db, person->value().door_id);
    REQUIRE(door.ok());
    if (door->geocode != GeocodeQuality::exact) continue;
    ++checked;
    if (geo::approx_distance_m(*door->lat, *door->lon, p->lat, p->lon) < 30) ++close;
  }
  CHECK(checked > 1500);
  CHECK(close == checked);
  // Phones were assembled from the three CA columns; dates normalised.
  auto one = store::find_person_by_source(db, rep.campaign_id, "california:LA1");
  CHECK(one->value().phone == "3105550100");
  CHECK(one->value().birth_date == "1984-03-12");
  CHECK(one->value().language == "es"  /* normalised from SPANISH */);
}

TEST_CASE("re-import upserts by source id; full replace removes only when asked and keeps attempts") {
  auto db = memdb();
  std::string v1 = std::string(kCaHeader) + "\n" + ca_row("A1", "Diaz", "Ana", "1319", "Walgrove", "AVE", "", "90291") +
                   ca_row("A2", "Diaz", "Ben", "1319", "Walgrove", "AVE", "", "90291") +
                   ca_row("A3", "Kim", "Cho", "1325", "Walgrove", "AVE", "2", "90291");
  std::string p1 = tmpfile("v1", v1);
  importer::Options o;
  o.now_ms = 1'800'000'000'000;
  auto r1 = importer::import_file(db, p1, o);
  REQUIRE(r1.ok());
  CHECK(r1->added == 3);
  CHECK(r1->doors == 2);
  CHECK(r1->buildings == 2);

  // Ben's door gets a knock recorded against his person id.
  auto ben = store::find_person_by_source(db, r1->campaign_id, "california:A2")->value();
  Attempt a;
  a.id = new_uuid_v7(o.now_ms + 1000);
  a.campaign_id = r1->campaign_id;
  a.door_id = ben.door_id;
  a.person_id = ben.id;
  a.result = AttemptResult::talked;
  a.client_ms = o.now_ms + 1000;
  REQUIRE(store::insert_attempt(db, a).ok());

  // Same file again, later: nothing added or changed.
  o.now_ms += 60'000;
  auto r2 = importer::import_file(db, p1, o);
  REQUIRE(r2.ok());
  CHECK(r2->added == 0);
  CHECK(r2->changed == 0);
  CHECK(r2->unchanged == 3);

  // A new file: Ana's phone changed, Ben is gone, Dee is new. Without --replace Ben stays.
  std::string v2 = std::string(kCaHeader) + "\n" +
                   ca_row("A1", "Diaz", "Ana", "1319", "Walgrove", "AVE", "", "90291", "4245550111") +
                   ca_row("A3", "Kim", "Cho", "1325", "Walgrove", "AVE", "2", "90291") +
                   ca_row("A4", "Lee", "Dee", "1325", "Walgrove", "AVE", "2", "90291");
  std::string p2 = tmpfile("v2", v2);
  o.now_ms += 60'000;
  auto r3 = importer::import_file(db, p2, o);
  REQUIRE(r3.ok());
  CHECK(r3->added == 1);
  CHECK(r3->changed == 1);
  CHECK(r3->removed == 0);
  CHECK(store::get_person(db, ben.id)->deleted == false);
  CHECK(store::find_person_by_source(db, r1->campaign_id, "california:A1")->value().phone == "4245550111");

  // With replace: Ben is tombstoned, his attempt stays on his door with his id.
  o.replace = true;
  o.now_ms += 60'000;
  auto r4 = importer::import_file(db, p2, o);
  REQUIRE(r4.ok());
  CHECK(r4->removed == 1);
  auto gone = store::get_person(db, ben.id);
  REQUIRE(gone.ok());
  CHECK(gone->deleted);
  auto kept = store::attempts_for_door(db, ben.door_id);
  REQUIRE(kept->size() == 1);
  CHECK(kept->at(0).person_id == ben.id);
  CHECK(store::count_campaign(db, r1->campaign_id)->people == 3);
  // A phone edit made after the import wins over a later re-import of the old value? No: the
  // re-import is later, so it wins; but an edit stamped after the import survives it.
  auto ana = store::find_person_by_source(db, r1->campaign_id, "california:A1")->value();
  REQUIRE(store::write_field(db, "person", ana.id, "phone", std::string("2135550000"), Hlc{o.now_ms + 10, 0, "phone-1"})
              .value());
  o.replace = false;
  auto r5 = importer::import_file(db, p2, o);  // same stamp as r4: older than the phone edit
  REQUIRE(r5.ok());
  CHECK(store::get_person(db, ana.id)->phone == "2135550000");
  std::remove(p1.c_str());
  std::remove(p2.c_str());
}

TEST_CASE("ragged rows, missing ids and bad values are reported with row and column") {
  auto db = memdb();
  std::string file =
      "Voter File VANID,LastName,FirstName,Address,City,State,Zip5,Latitude,Longitude,Age\n"
      "101,Diaz,Ana,1319 Walgrove Ave,Los Angeles,CA,90291,34.0093326,-118.4560125,41\n"
      "102,Kim,Cho,1325 Walgrove Ave Apt 2,Los Angeles,CA\n"                                     // ragged: 6 of 10
      ",Lee,Dee,1401 Walgrove Ave,Los Angeles,CA,90291,34.01,-118.45,30\n"                      // no id
      "104,Park,Eun,,Los Angeles,CA,90291,34.01,-118.45,30\n"                                  // no address
      "105,Roe,Fay,1500 Walgrove Ave,Los Angeles,CA,90291,999,-118.45,old\n"                  // bad coords, age
      "101,Diaz,Ana,1319 Walgrove Ave,Los Angeles,CA,90291,34.0093326,-118.4560125,41\n";     // duplicate id
  std::string path = tmpfile("ragged", file);
  auto r = importer::import_file(db, path, {});
  std::remove(path.c_str());
  REQUIRE(r.ok());
  CHECK(r->preset == "van");
  CHECK(r->rows == 6);
  CHECK(r->imported == 3);  // 101, 102 (ragged but has an address), 105
  CHECK(r->skipped == 3);
  std::map<std::string, std::pair<uint64_t, uint32_t>> seen;
  for (const auto& e : r->errors) seen[e.code] = {e.row, e.column};
  REQUIRE(seen.count("ragged_row"));
  CHECK(seen["ragged_row"].first == 2);
  CHECK(seen["ragged_row"].second == 7);  // first missing column
  CHECK(seen["missing_id"] == std::make_pair(uint64_t{3}, uint32_t{1}));
  CHECK(seen["no_address"] == std::make_pair(uint64_t{4}, uint32_t{4}));
  CHECK(seen["bad_coordinates"].first == 5);
  CHECK(seen["bad_value"] == std::make_pair(uint64_t{5}, uint32_t{10}));
  CHECK(seen["duplicate_id"].first == 6);
  auto ana = store::find_person_by_source(db, r->campaign_id, "van:101");
  REQUIRE(ana->has_value());
  CHECK(ana->value().van_id == "101");
  CHECK(ana->value().age.value() == 41);
  CHECK(store::get_door(db, ana->value().door_id)->geocode == GeocodeQuality::source);
}

TEST_CASE("a file no preset recognises fails with a clear error; nothing is written") {
  auto db = memdb();
  std::string path = tmpfile("unknown", "Name,Where\nAna,Home\n");
  auto r = importer::import_file(db, path, {});
  std::remove(path.c_str());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Code::not_found);
  CHECK(scalar(db, "SELECT count(*) FROM person") == 0);
  CHECK(scalar(db, "SELECT count(*) FROM sqlite_schema WHERE type='index' AND name IN ('person_door','door_building')") == 2);
}

TEST_CASE("regression: a first import runs on a connection whose cached statements are still open") {
  // `doorstep demo` seeded a campaign and then imported on the same connection: a cached
  // single-row SELECT left open made the importer's DROP INDEX fail with "table is locked".
  auto db = memdb();
  Hlc h{1'800'000'000'000, 0, "test"};
  REQUIRE(store::ensure_campaign(db, "Venice", h, h.wall_ms).ok());
  auto open = db.cached("SELECT id FROM campaign");
  REQUIRE(open.ok());
  REQUIRE((*open)->step().value());  // one row read, statement left open on purpose
  std::string file = std::string(kCaHeader) + "\n" + ca_row("B1", "Diaz", "Ana", "1319", "Walgrove", "AVE", "", "90291");
  importer::Options o;
  o.campaign = "Venice";
  o.now_ms = h.wall_ms;
  auto r = importer::import_file(db, tmpfile("open-stmt", file), o);
  REQUIRE(r.ok());
  CHECK(r->people == 1);
}

TEST_CASE("precheck refuses, before anything is stored, a file that would stop an import half-way") {
  importer::Options o;
  auto header_ok = [&](const std::vector<std::string>& h) -> Status {
    auto m = importer::mapping_for(h, o);
    return m ? Status::Ok() : Status(m.error());
  };
  auto check = [&](const std::string& content) {
    std::string p = tmpfile("pre", content);
    auto r = importer::precheck(p, header_ok);
    std::remove(p.c_str());
    return r;
  };
  std::string good = std::string(kCaHeader) + "\n" + ca_row("1", "A", "B", "1319", "Walgrove", "AVE", "", "90291");
  auto ok = check(good);
  REQUIRE(ok.ok());
  CHECK(*ok == 1);
  std::string binary = good + std::string("\x89PNG\0\0\0", 7);
  auto bin = check(binary);
  REQUIRE_FALSE(bin.ok());
  CHECK(bin.error().message == "the file is not text (a NUL byte at byte " + std::to_string(good.size() + 4) +
                                   "): upload the CSV or TSV file itself");
  auto quote = check("foo,\"bar,baz\n1,2,3\n");
  REQUIRE_FALSE(quote.ok());
  CHECK(quote.error().message.find("header row (line 1) has a quote in column 2") != std::string::npos);
  auto layout = check("a,b\n1,2\n");
  REQUIRE_FALSE(layout.ok());
  CHECK(layout.error().message.find("no preset matches") == 0);
  o.mapping = R"({"columns":{"language":"NoSuchColumn"}})";
  auto mapping = check(good);
  REQUIRE_FALSE(mapping.ok());
  CHECK(mapping.error().message == "mapping: no column 'NoSuchColumn' in the header (field language)");
  CHECK_FALSE(check("").ok());
}

TEST_CASE("an import with a JSON column mapping reads the chosen column") {
  auto db = memdb();
  importer::Options o;
  o.mapping = R"({"columns":{"language":"PartyCode"}})";  // any column will do: the mapping decides
  importer::Importer imp(db, o);
  REQUIRE(imp.push(std::string(kCaHeader) + "\n" + ca_row("1", "A", "B", "1319", "Walgrove", "AVE", "", "90291")).ok());
  auto r = imp.finish();
  REQUIRE(r.ok());
  CHECK(r->preset == "california");
  auto p = store::find_person_by_source(db, r->campaign_id, "california:1");
  REQUIRE(p.ok());
  REQUIRE(p->has_value());
  CHECK((*p)->language == "dem");
}

TEST_CASE("regression: record ids of one import are unguessable (random low bits) yet sort in creation order") {
  // Issue 10: ids were a random base plus a counter, so one id in a package gave every other.
  auto db = memdb();
  importer::Options o;
  o.campaign = "Venice";
  auto r = importer::import_file(db, venice_csv(), o);
  REQUIRE(r.ok());
  auto q = db.prepare("SELECT id FROM door ORDER BY rowid LIMIT 2000");
  REQUIRE(q.ok());
  std::vector<std::string> ids;
  while (q->step().value()) ids.push_back(q->text(0));
  REQUIRE(ids.size() == 2000);
  std::set<std::string> high_rand_b;  // the 32 bits after the variant nibble
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) CHECK_MESSAGE(ids[i - 1] < ids[i], ids[i - 1] << " then " << ids[i]);  // right-edge B-tree growth
    high_rand_b.insert(ids[i].substr(20, 8));
  }
  CHECK(high_rand_b.size() >= 1990);  // a counter would leave them all equal
}
