// Geocoding benchmark at county scale: 1,000,000 reference address points (the generator's 16
// streets at every house number, the rest on 2,000 filler streets) loaded into a campaign's points
// in SQLite (shared/io/ref_points) in 10,000-row batches, then a 200,000-row California voter file
// geocoded against them, beside the in-memory index (doorstep import --geocode-with) on the same
// files. Each phase runs in its own child so its peak RSS is its own (target: SQLite under 256 MB).
// Usage: bench_geocode [points=1000000] [voters=200000]. Prints a table; asserts nothing.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench/bench_clock.h"
#include "bench/ca_voter_gen.h"
#include "shared/io/importer.h"
#include "shared/io/ref_points.h"
#include "shared/store/store.h"

using namespace doorstep;
using bench_clock::now_s;

namespace {

struct Phase {
  double wall = 0, cpu = 0;
  long rss_kb = 0;
  uint64_t rows = 0, placed = 0, doors = 0;
};

const char* kStreets[] = {"WALGROVE AVE", "VENICE BLVD", "ROSE AVE", "ABBOT KINNEY BLVD", "PACIFIC AVE", "INDIANA AVE",
                          "BROOKS AVE", "PENMAR AVE", "SUNSET AVE", "VERNON AVE", "LINCOLN BLVD", "MAIN ST",
                          "CALIFORNIA AVE", "PALMS BLVD", "WASHINGTON BLVD", "OCEAN FRONT WALK"};

// OpenAddresses layout: LON,LAT,NUMBER,STREET,UNIT,CITY,POSTCODE.
void write_points(const std::string& path, uint64_t n) {
  FILE* f = std::fopen(path.c_str(), "wb");
  std::fputs("LON,LAT,NUMBER,STREET,UNIT,CITY,POSTCODE\n", f);
  uint64_t i = 0;
  for (unsigned s = 0; s < 16; ++s)
    for (unsigned num = 100; num < 3000 && i < n; ++num, ++i)
      std::fprintf(f, "%.7f,%.7f,%u,%s,,VENICE,9029%u\n", -118.47 + num * 1e-5, 33.99 + s * 1e-3, num, kStreets[s], s % 2);
  for (unsigned s = 0; i < n; ++s)
    for (unsigned num = 1; num <= 500 && i < n; ++num, ++i)
      std::fprintf(f, "%.7f,%.7f,%u,FILLER %u ST,,LOS ANGELES,90%03u\n", -118.6 + num * 2e-5, 33.7 + s * 2e-4, num * 2, s, s % 1000);
  std::fclose(f);
}

void fresh(const std::string& db) {
  for (const char* suf : {"", "-wal", "-shm"}) std::remove((db + suf).c_str());
}

store::Db open_db(const std::string& path) {
  auto db = store::Db::open(path, store::OpenOptions{.wal = true});
  if (!db || !ref_points::migrate(*db)) {
    std::fprintf(stderr, "cannot open %s\n", path.c_str());
    std::exit(1);
  }
  return std::move(db.value());
}

Phase load_points(const std::string& db_path, const std::string& points) {
  Phase r;
  double t0 = now_s(), c0 = bench_clock::process_cpu_s();
  auto db = open_db(db_path);
  importer::Options o;
  o.campaign = "Bench";
  o.cache_kib = 16384;  // as the server runs imports: the loader shares the connection after it
  importer::Importer create(db, o);  // the campaign, from a one-row file
  (void)create.push("RegistrantID\tAddressNumber\tStreetName\nB1\t1\tNowhere\n");
  auto c = create.finish();
  if (!c) std::exit(1);
  ref_points::Loader l(db, c->campaign_id, {}, "points.csv");
  FILE* f = std::fopen(points.c_str(), "rb");
  std::string buf(1u << 18, '\0');
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) {
    if (!l.push({buf.data(), n})) std::exit(1);
    if (l.rows_pending() >= 10000 && !l.commit()) std::exit(1);
  }
  std::fclose(f);
  auto rep = l.finish();
  if (!rep) {
    std::fprintf(stderr, "%s\n", rep.error().message.c_str());
    std::exit(1);
  }
  r.rows = rep->points;
  r.wall = now_s() - t0;
  r.cpu = bench_clock::process_cpu_s() - c0;
  return r;
}

Phase geocode_voters(const std::string& db_path, const std::string& voters, const std::string& points_file) {
  Phase r;
  double t0 = now_s(), c0 = bench_clock::process_cpu_s();
  auto db = open_db(db_path);
  importer::Options o;
  o.campaign = "Bench";
  o.defer_indexes = false;
  o.cache_kib = 16384;  // as the server's route runs it
  o.batch_rows = 10000;
  std::unique_ptr<ref_points::Points> pts;
  if (points_file.empty()) {
    auto c = db.prepare("SELECT id FROM campaign WHERE name='Bench'");
    if (!c || !c->step().value()) std::exit(1);
    pts = std::make_unique<ref_points::Points>(db, c->text(0));
    o.points = pts.get();
  } else {
    o.geocode_with = points_file;
  }
  auto rep = importer::import_file(db, voters, o);
  if (!rep) {
    std::fprintf(stderr, "%s\n", rep.error().message.c_str());
    std::exit(1);
  }
  r.rows = rep->rows;
  r.doors = rep->doors;
  r.placed = rep->geocoded;
  r.wall = now_s() - t0;
  r.cpu = bench_clock::process_cpu_s() - c0;
  return r;
}

void print(const char* name, const Phase& p) {
  std::printf("%-44s %9.2f %9.2f %10.0f %9.1f %9llu %9llu\n", name, p.wall, p.cpu, p.rows / std::max(p.wall, 1e-9),
              p.rss_kb / 1024.0, static_cast<unsigned long long>(p.rows), static_cast<unsigned long long>(p.placed));
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t points = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  uint64_t voters = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 200000;
  std::string dir = "/tmp/doorstep-bench-geocode";
  std::string mk = "mkdir -p " + dir;
  if (std::system(mk.c_str()) != 0) return 1;
  std::string pts = dir + "/points.csv", vf = dir + "/voters.tsv", db = dir + "/geo.db", db2 = dir + "/mem.db";
  write_points(pts, points);
  bench::write_ca_voter_file(vf, voters);
  fresh(db);
  fresh(db2);
  std::printf("%-44s %9s %9s %10s %9s %9s %9s\n", "phase", "wall s", "cpu s", "rows/s", "peak MB", "rows", "placed");
  print("load points into SQLite (10k-row batches)", bench_clock::in_child<Phase>([&] { return load_points(db, pts); }));
  print("geocode voters against SQLite points", bench_clock::in_child<Phase>([&] { return geocode_voters(db, vf, ""); }));
  print("geocode voters, in-memory index (--geocode-with)", bench_clock::in_child<Phase>([&] { return geocode_voters(db2, vf, pts); }));
  std::printf("(%llu reference points, %llu voters; peak MB is the phase's whole process)\n",
              static_cast<unsigned long long>(points), static_cast<unsigned long long>(voters));
  return 0;
}
