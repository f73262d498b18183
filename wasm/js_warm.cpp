// doorstep_warm(): the phone's first SQLite work, done once on a throwaway in-memory database by a
// worker (web/wasm_warm.js) that shares the page's compiled module. V8 compiles each wasm function
// at its first call; run first on the worker, the page's first statements find them compiled
// (bench/wasm_shared_compile.mjs measures the effect). Touches no file and nothing of the page.
#include <emscripten.h>

#include "shared/canvass/canvass_session.h"
#include "shared/store/store.h"

extern "C" EMSCRIPTEN_KEEPALIVE int doorstep_warm() {
  using namespace doorstep;
  // A turf file's database, opened, migrated and read as a first visit does (Session::open).
  auto db = store::Db::open(":memory:", canvass::turf_file_options());
  if (!db) return 1;
  return canvass::Session::open(std::move(*db), 0) ? 0 : 2;
}
