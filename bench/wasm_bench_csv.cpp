// In-browser half of the CSV benchmark: a small embind module that generates the same
// California-format voter file as bench_csv (in chunks, for a Blob) and parses bytes copied in
// from JS with the project's reader. Driven by bench/csv_browser.mjs; leaves out SQLite import.
//
// The reader's source is compiled into this module (not taken from doorstep_core) so it gets
// -msimd128 and its wasm_simd128 path; the app's core is built without SIMD and uses the SWAR
// path. The linker then never pulls csv.o from libdoorstep_core.a, so nothing is defined twice.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <memory>
#include <string>
#include <vector>

#include "bench/ca_voter_gen.h"
#include "shared/parse/csv.cpp"  // NOLINT(bugprone-suspicious-include): see the comment above

using namespace emscripten;

namespace {

std::unique_ptr<doorstep::csv::Reader> g_reader;
std::vector<char> g_input;
std::string g_gen;
double g_checksum = 0;

// Uint8Array view of an input area of n bytes in wasm memory; JS copies a chunk into it at once
// (before anything can grow memory and detach the view), then calls push(n).
val input(size_t n) {
  if (g_input.size() < n) g_input.resize(n);
  return val(typed_memory_view(n, reinterpret_cast<unsigned char*>(g_input.data())));
}

void begin() {
  g_reader = std::make_unique<doorstep::csv::Reader>();
  g_checksum = 0;
}

void drain() {
  doorstep::csv::Row row;
  uint64_t sum = 0;
  while (g_reader->next(row)) {
    for (auto f : row.fields) sum += f.size();  // touch every field, as an importer would
  }
  g_checksum += static_cast<double>(sum);
}

bool push(size_t n) {
  if (!g_reader->push(std::string_view(g_input.data(), n)).ok()) return false;
  drain();
  return g_reader->error().ok();
}

val finish() {
  g_reader->close();
  drain();
  const auto& s = g_reader->stats();
  val out = val::object();
  out.set("ok", g_reader->error().ok());
  out.set("rows", static_cast<double>(s.rows));
  out.set("fields", static_cast<double>(s.fields));
  out.set("quoted", static_cast<double>(s.quoted_fields));
  out.set("bytes", static_cast<double>(s.bytes_in));
  out.set("issues", static_cast<double>(g_reader->issues_total()));
  out.set("checksum", g_checksum);
  out.set("utf8", g_reader->encoding() == doorstep::csv::Encoding::utf8);
  out.set("delimiter", std::string(1, g_reader->delimiter()));
  return out;
}

// Header plus rows [first, first + count) as a fresh Uint8Array (copied out of wasm memory),
// tab-separated or as CSV with every non-numeric field quoted.
val generate(double first, double count, bool with_header, bool quoted_csv) {
  g_gen.clear();
  if (with_header) g_gen = bench::ca_header();
  bench::ca_rows(static_cast<uint64_t>(first), static_cast<uint64_t>(count), g_gen);
  if (quoted_csv) {
    std::string csv;
    bench::tsv_to_quoted_csv(g_gen, csv);
    g_gen.swap(csv);
  }
  val view(typed_memory_view(g_gen.size(), reinterpret_cast<const unsigned char*>(g_gen.data())));
  return val::global("Uint8Array").new_(view);
}

bool simd() {
#if defined(__wasm_simd128__)
  return true;
#else
  return false;
#endif
}

}  // namespace

EMSCRIPTEN_BINDINGS(bench_csv) {
  function("input", &input);
  function("begin", &begin);
  function("push", &push);
  function("finish", &finish);
  function("generate", &generate);
  function("simd", &simd);
}
