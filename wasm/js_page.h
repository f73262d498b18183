// Page services for the app (token, status mirror, fetch, geolocation, clock), implemented in
// js_page.cpp on top of web/page.js. Plain C++ types; callbacks run later on the main thread.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

namespace doorstep::page {

std::string take_link_token();  // from #t=..., once; "" when the URL had none
void clear_link_from_url();      // after the token is stored durably
void set_status(const std::string& text);  // aria-live mirror of what the panel shows
void set_lang(const std::string& bcp47);
int64_t now_ms();
bool online();
void show_map(bool show);

struct HttpReply {
  int status = 0;  // 0: network failure (offline, DNS, reset)
  std::string body;
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

void on_network_change(std::function<void(bool online)> fn);
void edit_text(const std::string& title, const std::string& initial, bool multiline,
               std::function<void(bool ok, const std::string& text)> done);
void load_cjk_font(std::function<void(bool ok)> done);

}  // namespace doorstep::page
