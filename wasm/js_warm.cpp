// doorstep_warm(): the phone's first SQLite work, done once on a throwaway in-memory database by a
// worker (web/wasm_warm.js) that shares the page's compiled module. V8 compiles each wasm function
// at its first call; run first on the worker, the page's first statements find them compiled
// (bench/wasm_shared_compile.mjs measures the effect). Touches no file and nothing of the page.
#include <emscripten.h>

#include "shared/canvass/canvass_session.h"
#include "shared/store/store.h"

extern "C" EMSCRIPTEN_KEEPALIVE int doorstep_warm() {
  using namespace doorstep;
  store::OpenOptions o;
  o.sole_connection = true;
  o.migrate_core = false;
  auto db = store::Db::open(":memory:", o);
  if (!db) return 1;
  // The turf file's migrations, then the session's first reads, as a first visit runs them.
  while (true) {
    auto step = canvass::migrate_client_step(*db);
    if (!step) return 2;
    if (!*step) break;
  }
  auto s = canvass::Session::open(std::move(*db), 0);
  return s ? 0 : 3;
}
