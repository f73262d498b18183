// Page services over web/page.js through embind (see js_page.h). Requests are numbered; the JS side
// answers through the doorstep* functions bound at the end of this file.
#include "wasm/js_page.h"

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
std::map<int, std::function<void(bool, const std::string&)>> g_edit;
std::function<void(bool)> g_net, g_font;
}  // namespace

std::string take_link_token() { return page().call<std::string>("takeLinkToken"); }
void clear_link_from_url() { page().call<void>("clearLinkFromUrl"); }
void set_status(const std::string& text) { page().call<void>("setStatus", text); }
void set_lang(const std::string& l) { page().call<void>("setLang", l); }
int64_t now_ms() { return static_cast<int64_t>(page().call<double>("nowMs")); }
bool online() { return page().call<bool>("online"); }
void show_map(bool show) { page().call<void>("showMap", show); }

void http(const std::string& method, const std::string& path, const std::string& body, const std::string& bearer,
          std::function<void(const HttpReply&)> done) {
  int id = g_next++;
  g_http[id] = std::move(done);
  page().call<void>("request", id, method, path, body, bearer);
}

void locate(std::function<void(const Position&)> done) {
  int id = g_next++;
  g_pos[id] = std::move(done);
  page().call<void>("locate", id);
}

void on_network_change(std::function<void(bool)> fn) { g_net = std::move(fn); }

void edit_text(const std::string& title, const std::string& initial, bool multiline,
               std::function<void(bool, const std::string&)> done) {
  int id = g_next++;
  g_edit[id] = std::move(done);
  page().call<void>("editText", id, title, initial, multiline);
}

void load_cjk_font(std::function<void(bool)> done) {
  g_font = std::move(done);
  val::global("DoorstepFonts").call<void>("loadCjk");
}

// ---- answers from JS ----
void http_done(int id, int status, const std::string& body) {
  auto it = g_http.find(id);
  if (it == g_http.end()) return;
  auto fn = std::move(it->second);
  g_http.erase(it);
  fn(HttpReply{status, body});
}
void position(int id, bool ok, double lat, double lon, double acc) {
  auto it = g_pos.find(id);
  if (it == g_pos.end()) return;
  auto fn = std::move(it->second);
  g_pos.erase(it);
  fn(Position{ok, lat, lon, acc});
}
void text_edited(int id, bool ok, const std::string& text) {
  auto it = g_edit.find(id);
  if (it == g_edit.end()) return;
  auto fn = std::move(it->second);
  g_edit.erase(it);
  fn(ok, text);
}
void network_changed(bool on) {
  if (g_net) g_net(on);
}
void font_loaded(bool ok) {
  if (g_font) g_font(ok);
}

EMSCRIPTEN_BINDINGS(doorstep_page) {
  emscripten::function("doorstepHttpDone", &http_done);
  emscripten::function("doorstepPosition", &position);
  emscripten::function("doorstepTextEdited", &text_edited);
  emscripten::function("doorstepNetworkChanged", &network_changed);
  emscripten::function("doorstepFontLoaded", &font_loaded);
}

}  // namespace doorstep::page
