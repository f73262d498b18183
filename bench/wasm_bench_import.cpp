// In-browser half of the import benchmark: an embind module that generates the same
// California-format voter file as bench_import (bench/ca_voter_gen.h, in chunks for a Blob) and
// imports bytes copied in from JS with shared/importer into SQLite in MEMFS, as the app keeps it.
// Driven by bench/import_browser.mjs. Leaves out geocoding and IndexedDB persistence (syncfs).
#include <emscripten/bind.h>
#include <emscripten/heap.h>
#include <emscripten/val.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "bench/ca_voter_gen.h"
#include "shared/io/importer.h"
#include "shared/base/json.h"
#include "shared/store/store.h"

using namespace emscripten;
using namespace doorstep;

namespace {

std::unique_ptr<store::Db> g_db;
std::unique_ptr<importer::Importer> g_imp;
std::vector<char> g_input;
std::string g_gen;
std::string g_error;

val input(size_t n) {
  if (g_input.size() < n) g_input.resize(n);
  return val(typed_memory_view(n, reinterpret_cast<unsigned char*>(g_input.data())));
}

// A fresh database file in MEMFS (the app's layout: SQLite in MEMFS, persisted by syncfs).
bool begin() {
  g_imp.reset();
  g_db.reset();
  for (const char* suf : {"", "-journal"}) std::remove((std::string("/import.db") + suf).c_str());
  auto db = store::Db::open("/import.db");
  if (!db) {
    g_error = db.error().message;
    return false;
  }
  g_db = std::make_unique<store::Db>(std::move(db.value()));
  importer::Options o;
  o.campaign = "Bench";
  g_imp = std::make_unique<importer::Importer>(*g_db, o);
  return true;
}

bool push(size_t n) {
  auto s = g_imp->push(std::string_view(g_input.data(), n));
  if (!s) g_error = s.error().message;
  return s.ok();
}

std::string finish() {
  auto r = g_imp->finish();
  g_imp.reset();
  if (!r) return "{\"error\":" + json::dump(json::Value(r.error().message)) + "}";
  json::Value v = r->to_json();
  v.set("errors", json::Value::array());  // counts are enough here
  return json::dump(v);
}

std::string last_error() { return g_error; }
double heap_bytes() { return static_cast<double>(emscripten_get_heap_size()); }

val generate(double first, double count, bool with_header) {
  g_gen.clear();
  if (with_header) g_gen = bench::ca_header();
  bench::ca_rows(static_cast<uint64_t>(first), static_cast<uint64_t>(count), g_gen);
  val view(typed_memory_view(g_gen.size(), reinterpret_cast<const unsigned char*>(g_gen.data())));
  return val::global("Uint8Array").new_(view);
}

}  // namespace

EMSCRIPTEN_BINDINGS(bench_import) {
  function("input", &input);
  function("begin", &begin);
  function("push", &push);
  function("finish", &finish);
  function("lastError", &last_error);
  function("heapBytes", &heap_bytes);
  function("generate", &generate);
}
