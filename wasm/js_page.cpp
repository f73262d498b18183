// Page services over web/page.js through embind (see js_page.h). Requests are numbered; the JS side
// answers through the doorstep* functions bound at the end of this file.
#include "wasm/js_page.h"

#include <emscripten.h>
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <map>

using emscripten::val;

namespace doorstep::page {

namespace {
val page() { return val::global("DoorstepPage"); }
int g_next = 1;
std::map<int, std::function<void(const HttpReply&)>> g_http;
std::map<int, std::function<void(const Position&)>> g_pos;
std::function<void(bool)> g_net, g_font;
std::function<void(bool, const std::string&)> g_sandbox;
}  // namespace

std::string take_link_token() { return page().call<std::string>("takeLinkToken"); }
void clear_link_from_url() { page().call<void>("clearLinkFromUrl"); }
void set_status(const std::string& text) { page().call<void>("setStatus", text); }
void set_lang(const std::string& l) { page().call<void>("setLang", l); }
void set_mirror(const std::string& tree) { page().call<void>("setMirror", tree); }
bool focus_in_page_control() { return page().call<bool>("focusInPageControl"); }
int64_t now_ms() { return static_cast<int64_t>(page().call<double>("nowMs")); }
bool online() { return page().call<bool>("online"); }
void show_map(bool show) { page().call<void>("showMap", show); }

void http(const std::string& method, const std::string& path, const std::string& body, const std::string& bearer,
          std::function<void(const HttpReply&)> done) {
  int id = g_next++;
  g_http[id] = std::move(done);
  page().call<void>("request", id, method, path, body, bearer);
}

void locate(std::function<void(const Position&)> done, bool ask) {
  int id = g_next++;
  g_pos[id] = std::move(done);
  page().call<void>("locate", id, ask);
}

void set_location_reason(const std::string& text) { page().call<void>("setLocationReason", text); }
void cache_tiles(const std::string& turf_id, const std::string& urls_json, int64_t cap_bytes) {
  page().call<void>("cacheTiles", turf_id, urls_json, static_cast<double>(cap_bytes));
}
void drop_tile_caches() { page().call<void>("dropTileCaches"); }
void drop_tile_cache(const std::string& turf_id) { page().call<void>("dropTileCaches", turf_id); }

void on_network_change(std::function<void(bool)> fn) { g_net = std::move(fn); }

void load_cjk_font(std::function<void(bool)> done) {
  g_font = std::move(done);
  val::global("DoorstepFonts").call<void>("loadCjk");
}

void publish_stat(const char* key, double value) {
  EM_ASM({ if (window.doorstepStats) window.doorstepStats[UTF8ToString($0)] = $1; }, key, value);
}
void publish_item(const char* key, int x, int y, int w, int h) {
  // Kept relative to the canvas; the page position is worked out when it is read (a getter): the
  // canvas's rect read here, in every frame that moves an item, forced a layout each time.
  EM_ASM({
    var ui = window.doorstepUi || (window.doorstepUi = {});
    var raw = window.doorstepUiRaw || (window.doorstepUiRaw = {});
    var k = UTF8ToString($0);
    if (!(k in raw))
      Object.defineProperty(ui, k, { enumerable: true, configurable: true, get: function() {
        var r = raw[k], c = document.getElementById('ui').getBoundingClientRect();
        return Array.of(c.left + r[0], c.top + r[1], r[2], r[3]);
      } });
    raw[k] = Array.of($1, $2, $3, $4);
  }, key, x, y, w, h);
}
void frame_rendered(uint64_t frames) {
  EM_ASM({
    var st = window.doorstepStats;
    if (!st) return;
    st.frames = $0;
    if ($0 != 1) return;
    st.firstFrame = performance.now();
    // The panel covers the HTML first screen (index.html), which leaves the accessibility tree.
    document.getElementById('ui').classList.remove('pending');
    var first = document.getElementById('skeleton');
    if (first) first.setAttribute('aria-hidden', 'true');
  }, static_cast<double>(frames));
}
void offer_update() {
  EM_ASM({ if (window.doorstepOfferUpdate) window.doorstepOfferUpdate(); });
}
void show_fallback() {
  EM_ASM({ document.getElementById('fallback').hidden = false; });
}
std::string browser_language() {
  return EM_ASM_INT({ return (navigator.language || 'en').slice(0, 2) === 'es' ? 1 : 0; }) ? "es" : "en";
}

std::vector<std::string> phone_languages() {
  std::string all = page().call<std::string>("phoneLanguages");
  std::vector<std::string> out;
  size_t at = 0;
  while (at <= all.size()) {
    size_t nl = all.find('\n', at);
    std::string one = all.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
    if (!one.empty()) out.push_back(one);
    if (nl == std::string::npos) break;
    at = nl + 1;
  }
  return out;
}
bool on_mobile_data() { return page().call<bool>("onMobileData"); }
void open_practice(bool on) { page().call<void>("openPractice", on); }
void call_phone(const std::string& number) { page().call<void>("callPhone", number); }

std::string load_setting(const std::string& key) { return page().call<std::string>("loadSetting", key); }
void save_setting(const std::string& key, const std::string& value) { page().call<void>("saveSetting", key, value); }
std::string sandbox_mode() { return page().call<std::string>("sandboxMode"); }
void load_sandbox_package(const std::string& mode, std::function<void(bool, const std::string&)> done) {
  g_sandbox = std::move(done);
  page().call<void>("loadSandboxPackage", mode);
}

// ---- answers from JS ----
void http_done(int id, int status, const std::string& body, double length) {
  auto it = g_http.find(id);
  if (it == g_http.end()) return;
  auto fn = std::move(it->second);
  g_http.erase(it);
  fn(HttpReply{status, body, static_cast<int64_t>(length)});
}
// The same answer with its body as a Uint8Array: one copy into the module's memory.
void http_done_bytes(int id, int status, emscripten::val bytes, double length) {
  std::string body(bytes["byteLength"].as<size_t>(), '\0');
  if (!body.empty())
    emscripten::val(emscripten::typed_memory_view(body.size(), reinterpret_cast<unsigned char*>(body.data()))).call<void>("set", bytes);
  http_done(id, status, body, length);
}
void position(int id, bool ok, double lat, double lon, double acc) {
  auto it = g_pos.find(id);
  if (it == g_pos.end()) return;
  auto fn = std::move(it->second);
  g_pos.erase(it);
  fn(Position{ok, lat, lon, acc});
}
void network_changed(bool on) {
  if (g_net) g_net(on);
}
void font_loaded(bool ok) {
  if (g_font) g_font(ok);
}
void sandbox_package(bool ok, const std::string& json) {
  if (g_sandbox) g_sandbox(ok, json);
}

EMSCRIPTEN_BINDINGS(doorstep_page) {
  emscripten::function("doorstepHttpDone", &http_done);
  emscripten::function("doorstepHttpDoneBytes", &http_done_bytes);
  emscripten::function("doorstepPosition", &position);
  emscripten::function("doorstepNetworkChanged", &network_changed);
  emscripten::function("doorstepFontLoaded", &font_loaded);
  emscripten::function("doorstepSandboxPackage", &sandbox_package);
}

}  // namespace doorstep::page
