// The phone controller's one window on the browser: clock and timers, HTTP to its own origin, the
// durable outbox, the database checkpoint, the map, and the page (token, status, fonts, frames).
// Plain C++ types only: wasm/js_host.cpp implements it over the js_* files, and the native tests
// implement it with a recorded-call double. Leaves out drawing (ImGui) and input (wasm/platform).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace doorstep::host {

struct HttpReply {
  int status = 0;  // 0: network failure (offline, DNS, reset)
  std::string body;
  int64_t content_length = -1;  // the Content-Length header (a HEAD's size); -1 when absent
};

struct Position {
  bool ok = false;
  double lat = 0, lon = 0, accuracy_m = 0;
};

struct LatLon {
  double lat = 0, lon = 0;
};

class Host {
 public:
  virtual ~Host() = default;

  // ---- Clock and one-shot timers (ids > 0; clearing a fired or unknown id does nothing).
  virtual int64_t now_ms() = 0;
  virtual int set_timeout(int64_t delay_ms, std::function<void()> fn) = 0;
  virtual void clear_timeout(int id) = 0;
  // Like set_timeout(0, fn), but in a task after the next frame is drawn (the browser: or 100 ms
  // at most, when no frame comes): work the first screen does not show waits for it to paint.
  // The id is clear_timeout's.
  virtual int after_frame(std::function<void()> fn) { return set_timeout(0, std::move(fn)); }

  // ---- HTTP to the page's own origin; `done` runs later, exactly once.
  virtual void http(const std::string& method, const std::string& path, const std::string& body,
                    const std::string& bearer, std::function<void(const HttpReply&)> done) = 0;

  // ---- Storage: where the SQLite file lives, loading it, and making it durable.
  // Loads the database folder and takes the single-writer lock; `ready` says whether both worked.
  virtual void storage_start(std::function<void(bool ok, bool writer)> ready) = 0;
  virtual std::string db_path() = 0;
  // Writes the database file durably; `done` gets whether it succeeded.
  virtual void checkpoint(std::function<void(bool ok)> done) = 0;

  // ---- Outbox: one durable entry per mutation, keyed by (scope, seq).
  virtual void outbox_put(const std::string& scope, int64_t seq, const std::string& json,
                          std::function<void(bool ok)> saved) = 0;
  // Every entry of `scope` as a JSON array text ("" on failure).
  virtual void outbox_list(const std::string& scope, std::function<void(const std::string& json)> done) = 0;
  virtual void outbox_remove_through(const std::string& scope, int64_t seq) = 0;
  virtual void outbox_clear(const std::string& scope) = 0;
  // Why the last failed outbox write failed: the DOMException's name ("QuotaExceededError" when
  // the phone's storage is full), "" when unknown.
  virtual std::string outbox_error() { return ""; }

  // ---- Map (status numbers are canvass::kStatusNames indexes).
  virtual void map_show(const std::string& turf_geojson, const std::vector<LatLon>& doors,
                        const std::vector<uint8_t>& status, const std::vector<std::string>& labels) = 0;
  virtual void map_set_door_status(int index, uint8_t status) = 0;
  virtual void map_select_door(int index, bool pan) = 0;
  virtual void map_clear() = 0;  // every layer: doors, route, turf outline, position
  virtual void map_set_visible(bool visible) = 0;
  // Base map and turf detail (the maps work). No-ops by default: the controller's native tests
  // check the record path, the browser host draws these (wasm/js_host.cpp).
  virtual void map_set_buildings(const std::string& feature_collection) {}  // "" clears
  virtual void map_set_door_sides(const std::vector<std::string>& sides) {}  // street|parity per door
  virtual void map_set_route(const std::vector<LatLon>& line, int next_door) {}
  virtual void map_set_tiles(const std::string& url_template, const std::string& attribution) {}
  virtual void map_add_locate_button(const std::string& label) {}
  virtual void map_on_building_tap(std::function<void(int index)> fn) {}
  // The service worker's tile cache of a turf (URLs as a JSON array), and dropping every one.
  virtual void cache_tiles(const std::string& turf_id, const std::string& urls_json, int64_t cap_bytes) {}
  virtual void drop_tile_caches() {}
  // Only one turf's tile cache (wipe() of one turf while others stay on the phone).
  virtual void drop_tile_cache(const std::string& turf_id) { drop_tile_caches(); }

  // ---- Page.
  virtual std::string take_link_token() = 0;  // from #t=..., once; "" when the URL had none
  virtual void clear_link_from_url() = 0;
  virtual void set_status(const std::string& text) = 0;  // the accessible status element
  virtual void set_lang(const std::string& bcp47) = 0;
  virtual void locate(std::function<void(const Position&)> done) = 0;
  // A reading only when the permission is already granted: never prompts (a door selection).
  virtual void locate_quietly(std::function<void(const Position&)> done) { locate(std::move(done)); }
  virtual void set_location_reason(const std::string& text) {}  // the one-line reason, in the UI's language
  virtual void load_cjk_font(std::function<void(bool ok)> done) = 0;
  virtual void set_fonts(const std::string& sample_text, bool with_cjk, float size_px) = 0;
  // The canvasser's display settings (text size, contrast): remembered on this device, never
  // personal and never sent. "" when unset.
  virtual std::string load_setting(const std::string& key) = 0;
  virtual void save_setting(const std::string& key, const std::string& value) = 0;
  // navigator.languages in the phone's order of preference ("" entries never).
  virtual std::vector<std::string> phone_languages() { return {}; }
  // On mobile data (navigator.connection says cellular, or the canvasser asked to save data).
  virtual bool on_mobile_data() { return false; }
  // Leaves for the practice turf (sandbox mode, a fresh page) or back to the stored turf.
  virtual void open_practice(bool on) {}
  // Reloads the bare page (no link in the URL), which resumes the turf used last: the turf
  // switcher's way to put another stored turf on screen with nothing of the first left in memory.
  virtual void reload_bare_page() { open_practice(false); }
  virtual void call_phone(const std::string& number) {}  // a tel: link
  virtual void request_frames() = 0;
  virtual bool page_visible() = 0;
  virtual void offer_update() = 0;  // a waiting build may take over (the outbox is empty)
  // Figures for the end-to-end tests and benchmarks (window.doorstepStats[key] = value).
  virtual void publish_stat(const char* key, double value) = 0;
  // Where a drawn control is on the canvas (CSS px), under a fixed key (window.doorstepUi[key]).
  virtual void publish_item(const char* key, float x, float y, float w, float h) = 0;
};

}  // namespace doorstep::host
