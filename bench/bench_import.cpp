// Benchmark of the full voter-file import: a generated 1,000,000-row California-format TSV
// (bench/ca_voter_gen.h, ~125 MB, no quote characters at all: TSV has no quoting) parsed alone and
// imported into a fresh SQLite file (WAL, synchronous=NORMAL, 50,000-row transactions), then
// re-imported (all upserts unchanged), then imported with offline geocoding against the Venice
// points. Each phase runs in its own child process so peak RSS is per phase. Prints a table.
// Usage: bench_import [--rows N] [--file PATH] [--keep] [--no-geocode]
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench/ca_voter_gen.h"
#include "bench/bench_clock.h"
#include "shared/parse/csv.h"
#include "shared/io/importer.h"
#include "shared/store/store.h"

using namespace doorstep;

namespace {

using bench_clock::now_s;
using bench_clock::peak_rss_kb;
double cpu_s() { return bench_clock::process_cpu_s(); }
long file_size(const std::string& p) {
  FILE* f = std::fopen(p.c_str(), "rb");
  if (!f) return -1;
  std::fseek(f, 0, SEEK_END);
  long n = std::ftell(f);
  std::fclose(f);
  return n;
}

struct Result_ {
  double wall = 0, cpu = 0;
  long rss_kb = 0;
  uint64_t rows = 0, people = 0, doors = 0, buildings = 0, geocoded = 0, errors = 0;
  double match = 0;
  long db_bytes = 0;
  char note[64] = {};
};

template <class F>
Result_ in_child(F fn) {
  return bench_clock::in_child<Result_>(fn);
}

Result_ parse_only(const std::string& path) {
  Result_ r;
  FILE* f = std::fopen(path.c_str(), "rb");
  std::vector<char> buf(1u << 20);
  csv::Reader reader;
  csv::Row row;
  uint64_t sum = 0;
  double t0 = now_s(), c0 = cpu_s();
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) {
    if (!reader.push({buf.data(), n}).ok()) break;
    while (reader.next(row)) {
      sum += row.size();
      ++r.rows;
    }
  }
  reader.close();
  while (reader.next(row)) ++r.rows;
  r.wall = now_s() - t0;
  r.cpu = cpu_s() - c0;
  std::fclose(f);
  std::snprintf(r.note, sizeof r.note, "%llu fields", static_cast<unsigned long long>(sum));
  return r;
}

Result_ import(const std::string& path, const std::string& db_path, bool fresh, const std::string& geocode) {
  if (fresh)
    for (const char* suf : {"", "-wal", "-shm"}) std::remove((db_path + suf).c_str());
  Result_ r;
  double t0 = now_s(), c0 = cpu_s();
  auto db = store::Db::open(db_path, store::OpenOptions{.wal = true});
  if (!db) {
    std::fprintf(stderr, "%s\n", db.error().message.c_str());
    std::exit(1);
  }
  importer::Options o;
  o.campaign = "Bench";
  o.geocode_with = geocode;
  auto rep = importer::import_file(db.value(), path, o);
  if (!rep) {
    std::fprintf(stderr, "%s\n", rep.error().message.c_str());
    std::exit(1);
  }
  db->exec("PRAGMA wal_checkpoint(TRUNCATE)");
  r.wall = now_s() - t0;
  r.cpu = cpu_s() - c0;
  r.rows = rep->rows;
  r.people = rep->people;
  r.doors = rep->doors;
  r.buildings = rep->buildings;
  r.geocoded = rep->geocoded;
  r.errors = rep->errors_total;
  r.match = rep->match_rate();
  r.db_bytes = file_size(db_path);
  std::snprintf(r.note, sizeof r.note, "added %llu changed %llu", static_cast<unsigned long long>(rep->added),
                static_cast<unsigned long long>(rep->changed));
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t rows = 1000000;
  std::string path = "/tmp/doorstep_bench_ca_1m.tsv";
  bool keep = false, geocode = true;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--rows" && i + 1 < argc) rows = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--file" && i + 1 < argc) path = argv[++i];
    else if (a == "--keep") keep = true;
    else if (a == "--no-geocode") geocode = false;
    else {
      std::fprintf(stderr, "usage: bench_import [--rows N] [--file PATH] [--keep] [--no-geocode]\n");
      return 2;
    }
  }
  double g0 = now_s();
  bench::GenStats gen = bench::write_ca_voter_file(path, rows);
  double gen_s = now_s() - g0;
  const double mb = static_cast<double>(gen.bytes) / 1e6;
  std::printf("bench_import: %llu rows, %.1f MB California-format TSV (%s), generated in %.1f s\n",
              static_cast<unsigned long long>(gen.rows), mb, path.c_str(), gen_s);
  std::printf("  quoting: TSV has none; %llu quote characters in the file, 0 quoted fields\n",
              static_cast<unsigned long long>(gen.quotes));
  std::printf("  times are wall clock on a shared 2-core machine; cpu = process CPU time\n\n");
  std::string db_path = path + ".db";
  const std::string venice = std::string(DOORSTEP_TEST_DATA) + "/la/venice_addresses.csv";

  struct Row {
    const char* name;
    Result_ r;
  };
  std::vector<Row> table;
  table.push_back({"parse only (csv::Reader)", in_child([&] { return parse_only(path); })});
  table.push_back({"full import, fresh db", in_child([&] { return import(path, db_path, true, ""); })});
  table.push_back({"re-import, same file", in_child([&] { return import(path, db_path, false, ""); })});
  if (geocode)
    table.push_back({"full import + geocode", in_child([&] { return import(path, db_path, true, venice); })});

  std::printf("%-26s %8s %8s %9s %11s %12s %9s %9s %9s %9s %8s\n", "phase", "wall s", "cpu s", "MB/s", "rows/s",
              "rows/cpu-s", "peak MB", "people", "doors", "geocoded", "db MB");
  for (const auto& [name, r] : table) {
    std::printf("%-26s %8.2f %8.2f %9.1f %11.0f %12.0f %9.1f %9llu %9llu %9llu %8.1f  %s", name, r.wall, r.cpu,
                mb / r.wall, static_cast<double>(rows) / r.wall, static_cast<double>(rows) / r.cpu,
                static_cast<double>(r.rss_kb) / 1024.0,
                static_cast<unsigned long long>(r.people), static_cast<unsigned long long>(r.doors),
                static_cast<unsigned long long>(r.geocoded), r.db_bytes > 0 ? r.db_bytes / 1e6 : 0.0, r.note);
    if (r.match > 0) std::printf(", match rate %.3f", r.match);
    std::printf("\n");
  }
  std::printf("\ntarget: full import of 1M rows under 10 s natively\n");
  if (!keep) {
    std::remove(path.c_str());
    for (const char* suf : {"", "-wal", "-shm"}) std::remove((db_path + suf).c_str());
  }
  return 0;
}
