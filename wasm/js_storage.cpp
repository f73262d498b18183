// IDBFS and the IndexedDB outbox through embind (see js_storage.h and web/storage.js).
#include "wasm/js_storage.h"

#include <emscripten.h>
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <map>
#include <utility>
#include <vector>

using emscripten::val;

namespace doorstep::storage {

namespace {
val facade() { return val::global("DoorstepStorage"); }
std::function<void(bool, bool)> g_ready;
std::map<std::pair<std::string, int64_t>, std::function<void(bool)>> g_saved;
std::map<std::string, std::function<void(const std::string&)>> g_listed;
std::vector<std::function<void(bool)>> g_checkpoint;

void ready(bool ok, bool writer) {
  if (g_ready) g_ready(ok, writer);
}
void saved(const std::string& scope, double seq, bool ok) {
  auto it = g_saved.find({scope, static_cast<int64_t>(seq)});
  if (it == g_saved.end()) return;
  auto fn = std::move(it->second);
  g_saved.erase(it);
  fn(ok);
}
void listed(const std::string& scope, const std::string& json) {
  auto it = g_listed.find(scope);
  if (it == g_listed.end()) return;
  auto fn = std::move(it->second);
  g_listed.erase(it);
  fn(json);
}
void checkpointed(bool ok) {
  auto fns = std::move(g_checkpoint);
  g_checkpoint.clear();
  for (auto& f : fns)
    if (f) f(ok);
}
}  // namespace

void start(std::function<void(bool, bool)> on_ready) {
  g_ready = std::move(on_ready);
  // IDBFS is only in scope inside the module's JS, so the mount happens here.
  EM_ASM({
    try { FS.mkdir('/persist'); } catch (e) {}
    FS.mount(IDBFS, {}, '/persist');
  });
  facade().call<void>("start");
}

void outbox_put(const std::string& scope, int64_t seq, const std::string& json, std::function<void(bool)> on_saved) {
  g_saved[{scope, seq}] = std::move(on_saved);
  facade().call<void>("put", scope, static_cast<double>(seq), json);
}

void outbox_list(const std::string& scope, std::function<void(const std::string&)> done) {
  g_listed[scope] = std::move(done);
  facade().call<void>("list", scope);
}

void outbox_remove_through(const std::string& scope, int64_t seq) {
  facade().call<void>("removeThrough", scope, static_cast<double>(seq));
}

void outbox_clear(const std::string& scope) { facade().call<void>("clearScope", scope); }

std::string last_error() { return facade().call<std::string>("lastError"); }

void checkpoint(std::function<void(bool)> done) {
  g_checkpoint.push_back(std::move(done));
  facade().call<void>("checkpoint");
}

EMSCRIPTEN_BINDINGS(doorstep_storage) {
  emscripten::function("doorstepStorageReady", &ready);
  emscripten::function("doorstepOutboxSaved", &saved);
  emscripten::function("doorstepOutboxListed", &listed);
  emscripten::function("doorstepCheckpointed", &checkpointed);
}

}  // namespace doorstep::storage
