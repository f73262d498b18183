// Page services for the app (token, status mirror, fetch, geolocation, clock), implemented in
// js_page.cpp on top of web/page.js. Plain C++ types; callbacks run later on the main thread.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace doorstep::page {

std::string take_link_token();  // from #t=..., once; "" when the URL had none
void clear_link_from_url();      // after the token is stored durably
void set_status(const std::string& text);  // aria-live mirror of what the panel shows
void set_lang(const std::string& bcp47);
void set_mirror(const std::string& tree_json);  // the accessible mirror's elements (web/mirror.js)
bool focus_in_page_control();  // a DOM control (a mirror element, a text field's input) has the keyboard
int64_t now_ms();
bool online();
void show_map(bool show);

struct HttpReply {
  int status = 0;  // 0: network failure (offline, DNS, reset)
  std::string body;
  int64_t content_length = -1;
};
void http(const std::string& method, const std::string& path, const std::string& body, const std::string& bearer,
          std::function<void(const HttpReply&)> done);

struct Position {
  bool ok = false;
  double lat = 0, lon = 0, accuracy_m = 0;
};
// One reading. ask: may ask for the permission (after the page's one-line reason); otherwise a
// reading only when it is already granted (a quiet read never prompts).
void locate(std::function<void(const Position&)> done, bool ask = true);
void set_location_reason(const std::string& text);  // the one-line reason, in the UI's language
// Hands the service worker a turf's tile URLs (JSON array) to cache under cap_bytes, and the
// opposite for wipe(): every turf's tile cache removed.
void cache_tiles(const std::string& turf_id, const std::string& urls_json, int64_t cap_bytes);
void drop_tile_caches();
void drop_tile_cache(const std::string& turf_id);  // one turf's (others stay on the phone)

void on_network_change(std::function<void(bool online)> fn);
void load_cjk_font(std::function<void(bool ok)> done);
std::string load_setting(const std::string& key);  // localStorage, display settings only
void save_setting(const std::string& key, const std::string& value);
// Sandbox mode asked for by the address (#practice or #preview; "" otherwise), and its package:
// practice.json beside the page, or the one the organizer console left in sessionStorage.
std::string sandbox_mode();
void load_sandbox_package(const std::string& mode, std::function<void(bool ok, const std::string& json)> done);

// Figures and positions for the end-to-end tests (window.doorstepStats, window.doorstepUi).
void publish_stat(const char* key, double value);
void publish_item(const char* key, int x, int y, int w, int h);  // canvas CSS px
void frame_rendered(uint64_t frames);
void offer_update();        // a waiting service worker may take over
void show_fallback();       // no WebGL 2: the page's fallback text
std::string browser_language();  // "es" for a Spanish browser, else "en"
std::vector<std::string> phone_languages();  // navigator.languages
bool on_mobile_data();  // navigator.connection: cellular or save-data
void open_practice(bool on);     // #practice on a fresh page, or back to the bare page
void call_phone(const std::string& number);  // tel: link

}  // namespace doorstep::page
