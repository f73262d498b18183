// Tests for shared/io/ref_points on real SQLite and the real Venice address points: points loaded
// in bounded batches geocode a voter file exactly as the in-memory index does, a failed load keeps
// the old set, waiting doors are placed once points arrive, and replaced sets are cleaned up.
#include <doctest/doctest.h>

#include "tests/fixtures.h"

#include <fstream>
#include <sstream>
#include <string>

#include "shared/io/importer.h"
#include "shared/io/ref_points.h"
#include "shared/parse/csv.h"
#include "shared/store/store.h"

using namespace doorstep;

namespace {

store::Db open_db() {
  auto d = store::Db::open(":memory:");
  REQUIRE(d.ok());
  REQUIRE(ref_points::migrate(*d).ok());
  return std::move(d.value());
}

int64_t scalar(store::Db& db, const std::string& sql) {
  auto s = db.prepare(sql);
  REQUIRE(s.ok());
  auto r = s->step();
  REQUIRE(r.ok());
  REQUIRE(r.value());
  return s->int64(0);
}

// A California-format voter file (no coordinates) for every 5th Venice point, plus 5 addresses
// that exist nowhere.
std::string ca_file(const std::string& venice) {
  std::string out = "RegistrantID\tLastName\tFirstName\tAddressNumber\tStreetName\tStreetType\tUnitType\tUnitNumber\tZip\tLanguage\n";
  csv::Reader r;
  REQUIRE(r.push(venice).ok());
  r.close();
  csv::Row row;
  int n = 0;
  while (r.next(row)) {
    if (row.number % 5) continue;
    ++n;
    out += "V" + std::to_string(n) + "\tVOTER\tANA\t" + std::string(row[5]) + "\t" + std::string(row[6]) + "\t\t" +
           (row[7].empty() ? "" : "APT") + "\t" + std::string(row[7]) + "\t" + std::string(row[9]) + "\tSPANISH\n";
  }
  for (int k = 0; k < 5; ++k) out += "X" + std::to_string(k) + "\tNOBODY\tPAT\t" + std::to_string(90001 + 2 * k) + "\tImaginary\tST\t\t\t90291\tENGLISH\n";
  return out;
}

Result<ref_points::LoadReport> load(store::Db& db, const std::string& campaign, std::string_view bytes, size_t chunk = 65536) {
  ref_points::Loader l(db, campaign, {}, "venice.csv", 1);
  for (size_t i = 0; i < bytes.size(); i += chunk) {
    if (auto s = l.push(bytes.substr(i, chunk)); !s) return s.error();
    if (l.rows_pending() >= 1000)
      if (auto s = l.commit(); !s) return s.error();
  }
  return l.finish();
}

importer::Report import(store::Db& db, const std::string& file, const importer::Options& base) {
  importer::Options o = base;
  o.campaign = "Venice";
  o.now_ms = 1767225600000;
  importer::Importer imp(db, o);
  REQUIRE(imp.push(file).ok());
  auto r = imp.finish();
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().message));
  return *r;
}

}  // namespace

TEST_CASE("ref_points: points in SQLite geocode a voter file exactly as the in-memory index does") {
  const std::string venice_path = fixtures::path("la/venice_addresses.csv");
  const std::string venice = fixtures::contents("la/venice_addresses.csv");
  const std::string voters = ca_file(venice);

  auto mem = open_db();
  importer::Options with_file;
  with_file.geocode_with = venice_path;
  auto a = import(mem, voters, with_file);

  auto db = open_db();
  auto first = import(db, "RegistrantID\tAddressNumber\tStreetName\nZ1\t1\tNowhere\n", {});  // creates the campaign
  auto loaded = load(db, first.campaign_id, venice);
  REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? std::string() : loaded.error().message));
  CHECK(loaded->preset == "address_points");
  CHECK(loaded->points + loaded->skipped == loaded->rows);
  CHECK(loaded->anchors > 1000);
  ref_points::Points points(db, first.campaign_id);
  REQUIRE_FALSE(points.empty());
  importer::Options with_db;
  with_db.points = &points;
  auto b = import(db, voters, with_db);
  CHECK(points.error().ok());
  CHECK(b.doors == a.doors);
  CHECK(b.exact == a.exact);
  CHECK(b.approximate == a.approximate);
  CHECK(b.ambiguous == a.ambiguous);
  CHECK(b.unmatched == a.unmatched);
  CHECK(b.unmatched >= 5);
  MESSAGE("Venice CA-format from SQLite points: doors ", b.doors, ", exact ", b.exact, ", approximate ", b.approximate,
          ", ambiguous ", b.ambiguous, ", unmatched ", b.unmatched);
}

TEST_CASE("ref_points: a failed load keeps the old set; waiting doors are placed; old sets are cleaned up") {
  const std::string venice = fixtures::contents("la/venice_addresses.csv");
  auto db = open_db();
  // Doors first, without coordinates and with no points: all wait.
  auto rep = import(db, ca_file(venice), {});
  const std::string campaign = rep.campaign_id;
  CHECK(rep.geocoded == 0);
  int64_t waiting = scalar(db, "SELECT count(*) FROM door WHERE lat IS NULL");
  CHECK(waiting == static_cast<int64_t>(rep.doors));

  // Wrong layout and a file cut off in its header: refused, nothing becomes current.
  auto wrong = load(db, campaign, "name,city\nAna,LA\n");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().message.find("no reference layout matches") == 0);
  auto cut = load(db, campaign, "lat,lon,housenumber,\"street\n34,-118,1,Main\n");
  REQUIRE_FALSE(cut.ok());
  CHECK(ref_points::Points(db, campaign).empty());

  auto ok = load(db, campaign, venice, 4096);
  REQUIRE(ok.ok());
  std::string after;
  ref_points::PlaceReport total;
  Hlc hlc{1767225700000, 0, "test"};
  for (int guard = 0; guard < 1000 && !total.done; ++guard) {
    auto p = ref_points::place_unplaced(db, campaign, hlc, after, 500);
    REQUIRE(p.ok());
    total.add(*p);
  }
  CHECK(total.done);
  CHECK(total.doors == static_cast<uint64_t>(waiting));
  CHECK(total.placed == total.exact + total.approximate);
  CHECK(total.placed > total.doors * 9 / 10);
  CHECK(scalar(db, "SELECT count(*) FROM door WHERE lat IS NULL") == static_cast<int64_t>(total.doors - total.placed));

  // A second load replaces the first; a load abandoned half-way (destroyed unfinished) changes nothing.
  int64_t first_set = scalar(db, "SELECT id FROM ref_set WHERE state='current'");
  {
    ref_points::Loader l(db, campaign, {}, "half.csv", 2);
    REQUIRE(l.push(venice.substr(0, venice.size() / 2)).ok());
    REQUIRE(l.commit().ok());
  }
  CHECK(scalar(db, "SELECT id FROM ref_set WHERE state='current'") == first_set);
  REQUIRE(load(db, campaign, venice).ok());
  CHECK(scalar(db, "SELECT id FROM ref_set WHERE state='current'") != first_set);
  CHECK(scalar(db, "SELECT count(*) FROM ref_set") == 3);
  for (int guard = 0; guard < 1000; ++guard) {
    auto n = ref_points::cleanup(db, 5000);
    REQUIRE(n.ok());
    if (*n == 0) break;
  }
  CHECK(scalar(db, "SELECT count(*) FROM ref_set") == 1);
  int64_t current = scalar(db, "SELECT id FROM ref_set");
  CHECK(scalar(db, "SELECT count(*) FROM ref_point WHERE set_id <> " + std::to_string(current)) == 0);
  CHECK(scalar(db, "SELECT count(*) FROM ref_anchor WHERE set_id <> " + std::to_string(current)) == 0);
}
