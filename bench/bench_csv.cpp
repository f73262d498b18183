// Benchmark of the streaming CSV/TSV reader on a generated 1,000,000-row California-format voter
// file (~125 MB, tab-separated, no quote characters): MB/s and rows/s streaming from the file and
// from memory, peak RSS. Leaves out the SQLite import (the store's benchmark) and the browser half
// (bench/csv_browser.mjs). Usage: bench_csv [--out PATH] [--rows N] [--keep]
#include <sys/resource.h>

#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench/ca_voter_gen.h"
#include "bench/bench_clock.h"
#include "shared/parse/csv.h"
#include "shared/parse/geocode.h"

using namespace doorstep;

namespace {

using bench_clock::now_s;
using bench_clock::peak_rss_kb;
double cpu_s() { return bench_clock::thread_cpu_s(); }

struct Run {
  double seconds = 0, cpu = 0;
  uint64_t rows = 0, fields = 0, quoted = 0, bytes = 0, checksum = 0, issues = 0;
  char delimiter = 0;
};

// Streams the file through the reader in 1 MiB reads, touching every field (checksum) so the
// work cannot be optimised away.
Run parse_file(const std::string& path) {
  Run r;
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    std::perror(path.c_str());
    std::exit(1);
  }
  std::vector<char> buf(1u << 20);
  csv::Reader reader;
  csv::Row row;
  double t0 = now_s(), c0 = cpu_s();
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) {
    if (!reader.push({buf.data(), n}).ok()) break;
    while (reader.next(row)) {
      for (auto fld : row.fields) r.checksum += fld.size();
    }
  }
  reader.close();
  while (reader.next(row)) {
    for (auto fld : row.fields) r.checksum += fld.size();
  }
  r.seconds = now_s() - t0;
  r.cpu = cpu_s() - c0;
  std::fclose(f);
  r.rows = reader.stats().rows;
  r.fields = reader.stats().fields;
  r.quoted = reader.stats().quoted_fields;
  r.bytes = reader.stats().bytes_in;
  r.issues = reader.issues_total();
  r.delimiter = reader.delimiter();
  return r;
}

Run parse_memory(const std::string& data, size_t chunk) {
  Run r;
  csv::Reader reader;
  csv::Row row;
  double t0 = now_s(), c0 = cpu_s();
  for (size_t i = 0; i < data.size(); i += chunk) {
    reader.push(std::string_view(data).substr(i, chunk));
    while (reader.next(row)) {
      for (auto fld : row.fields) r.checksum += fld.size();
    }
  }
  reader.close();
  while (reader.next(row)) {
    for (auto fld : row.fields) r.checksum += fld.size();
  }
  r.seconds = now_s() - t0;
  r.cpu = cpu_s() - c0;
  r.rows = reader.stats().rows;
  r.fields = reader.stats().fields;
  r.bytes = data.size();
  return r;
}

void print(const char* what, const Run& r) {
  std::printf("%-32s %8.1f MB/s %11.0f rows/s %8.1f MB/s %11.0f rows/s %7.3f s %7.3f s\n", what,
              r.bytes / 1e6 / r.cpu, r.rows / r.cpu, r.bytes / 1e6 / r.seconds, r.rows / r.seconds, r.cpu,
              r.seconds);
}

}  // namespace

int main(int argc, char** argv) {
  std::string out = "/tmp/doorstep_bench_ca_1m.tsv";
  uint64_t rows = 1000000;
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--out" && i + 1 < argc) out = argv[++i];
    else if (a == "--rows" && i + 1 < argc) rows = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--keep") keep = true;
    else {
      std::fprintf(stderr, "usage: bench_csv [--out PATH] [--rows N] [--keep]\n");
      return 2;
    }
  }
  double t0 = now_s();
  bench::GenStats g = bench::write_ca_voter_file(out, rows);
  std::printf("generated %s: %llu rows, %.1f MB, %llu quote characters, in %.2f s\n", out.c_str(),
              static_cast<unsigned long long>(g.rows), g.bytes / 1e6, static_cast<unsigned long long>(g.quotes),
              now_s() - t0);

  Run warm = parse_file(out);  // page cache warm-up, not reported
  (void)warm;
  Run f = parse_file(out);
  long rss_stream = peak_rss_kb();
  std::printf("\n%-32s %13s %18s %13s %18s %9s %9s\n", "csv reader (native)", "MB/s (CPU)", "rows/s (CPU)",
              "MB/s (wall)", "rows/s (wall)", "CPU", "wall");
  print("stream file, 1 MiB reads", f);
  std::printf("  peak RSS while streaming: %.1f MB (file is %.1f MB)\n", rss_stream / 1024.0, f.bytes / 1e6);
  std::printf("  fields %llu, quoted fields %llu, issues %llu, delimiter detected: %s\n",
              static_cast<unsigned long long>(f.fields), static_cast<unsigned long long>(f.quoted),
              static_cast<unsigned long long>(f.issues), f.delimiter == '\t' ? "tab" : std::string(1, f.delimiter).c_str());

  std::string data;
  {
    FILE* in = std::fopen(out.c_str(), "rb");
    std::fseek(in, 0, SEEK_END);
    data.resize(static_cast<size_t>(std::ftell(in)));
    std::fseek(in, 0, SEEK_SET);
    size_t got = std::fread(data.data(), 1, data.size(), in);
    std::fclose(in);
    data.resize(got);
  }
  for (size_t chunk : {size_t(64) << 10, size_t(1) << 20, size_t(16) << 20}) {
    Run m = parse_memory(data, chunk);
    char label[64];
    std::snprintf(label, sizeof label, "from memory, %zu KiB pushes", chunk >> 10);
    print(label, m);
    if (m.checksum != f.checksum) std::printf("  CHECKSUM MISMATCH\n");
  }
  // The same rows as CSV with every non-numeric field quoted, as many exporters write it: the
  // quoted-field path, which PapaParse's quote-free fast path does not cover.
  std::string csv_text;
  csv_text.reserve(data.size() + data.size() / 4);
  bench::tsv_to_quoted_csv(data, csv_text);
  data.clear();
  data.shrink_to_fit();
  Run q = parse_memory(csv_text, size_t(1) << 20);
  csv::Reader probe;
  probe.feed(csv_text, [](const csv::Row&) {});
  probe.finish([](const csv::Row&) {});
  print("CSV with quoted fields, 1 MiB", q);
  std::printf("  %.1f MB, CRLF, quoted fields %llu of %llu (%.1f%%), issues %llu\n", csv_text.size() / 1e6,
              static_cast<unsigned long long>(probe.stats().quoted_fields),
              static_cast<unsigned long long>(probe.stats().fields),
              100.0 * static_cast<double>(probe.stats().quoted_fields) / static_cast<double>(probe.stats().fields),
              static_cast<unsigned long long>(probe.issues_total()));
  if (!keep) std::remove(out.c_str());

  // Offline geocoding cost per row for the importer: every Venice address (CA parts, with street
  // types the reference lacks) located against the Venice points, repeated to ~1M lookups.
  geocode::Index idx;
  std::string venice = std::string(DOORSTEP_TEST_DATA) + "/la/venice_addresses.csv";
  double l0 = cpu_s();
  if (!idx.load_csv(venice).ok()) {
    std::printf("geocode: cannot load %s\n", venice.c_str());
    return 0;
  }
  double load_cpu = cpu_s() - l0;
  std::vector<address::Address> queries;
  csv::read_file(venice, {}, [&](const csv::Reader&, const csv::Row& r) {
    address::Parts p;
    p.number = r[5];
    p.name = r[6];
    p.type = "AVE";
    queries.push_back(address::from_parts(p));
  });
  uint64_t placed = 0, n = 0;
  double g0 = cpu_s(), w0 = now_s();
  for (int rep = 0; rep < 75; ++rep) {
    for (const auto& query : queries) {
      placed += idx.locate(query).placed();
      ++n;
    }
  }
  double gc = cpu_s() - g0, gw = now_s() - w0;
  std::printf("\ngeocode: index of %llu Venice points built in %.3f s CPU; %llu lookups: %.0f/s CPU, %.0f/s wall "
              "(%.1f%% placed)\n",
              static_cast<unsigned long long>(idx.points()), load_cpu, static_cast<unsigned long long>(n), n / gc,
              n / gw, 100.0 * static_cast<double>(placed) / static_cast<double>(n));
  return 0;
}
