// The browser's host::Host (see wasm/host.h) over the page services (js_page), the IDBFS database
// and IndexedDB outbox (js_storage), Leaflet (js_map), emscripten timers and the ImGui platform
// layer; and the module's entry point, which wires them to the controller (wasm/app.h).
// Every EM_ASM of the app lives in the js_*.cpp files; this one holds the few without a facade.
#include <emscripten.h>
#include <emscripten/bind.h>
#include <emscripten/eventloop.h>

#include <map>

#include "wasm/app.h"
#include "wasm/host.h"
#include "wasm/js_map.h"
#include "wasm/js_page.h"
#include "wasm/js_storage.h"
#include "wasm/mirror.h"
#include "wasm/platform.h"
#include "wasm/ui.h"

namespace doorstep {

namespace {

class BrowserHost final : public host::Host {
 public:
  int64_t now_ms() override { return page::now_ms(); }
  int set_timeout(int64_t delay_ms, std::function<void()> fn) override {
    int id = next_++;
    timers_[id].fn = std::move(fn);
    timers_[id].handle = emscripten_set_timeout(&BrowserHost::fire, static_cast<double>(delay_ms),
                                                reinterpret_cast<void*>(static_cast<intptr_t>(id)));
    return id;
  }
  int after_frame(std::function<void()> fn) override {
    int id = next_++;
    timers_[id].fn = std::move(fn);
    timers_[id].handle = emscripten_set_timeout(&BrowserHost::fire, 100, reinterpret_cast<void*>(static_cast<intptr_t>(id)));
    // Whichever comes first fires it; fire() finds the timer gone the second time.
    platform::after_frame([id] { BrowserHost::fire(reinterpret_cast<void*>(static_cast<intptr_t>(id))); });
    return id;
  }
  void clear_timeout(int id) override {
    auto it = timers_.find(id);
    if (it == timers_.end()) return;
    emscripten_clear_timeout(it->second.handle);
    timers_.erase(it);
  }
  void http(const std::string& method, const std::string& path, const std::string& body, const std::string& bearer,
            std::function<void(const host::HttpReply&)> done) override {
    page::http(method, path, body, bearer, [done = std::move(done)](const page::HttpReply& r) {
      done(host::HttpReply{r.status, r.body, r.content_length});
    });
  }
  void storage_start(std::function<void(bool, bool)> ready) override { storage::start(std::move(ready)); }
  std::string db_path() override { return "/persist/doorstep.db"; }
  void checkpoint(std::function<void(bool)> done) override { storage::checkpoint(std::move(done)); }
  void outbox_put(const std::string& scope, int64_t seq, const std::string& json, std::function<void(bool)> saved) override {
    // A write answered: frames held for a tap recorded outside a frame draw now (saved shown).
    storage::outbox_put(scope, seq, json, [saved = std::move(saved)](bool ok) {
      saved(ok);
      platform::release_frames();
    });
  }
  void outbox_list(const std::string& scope, std::function<void(const std::string&)> done) override {
    storage::outbox_list(scope, std::move(done));
  }
  void outbox_remove_through(const std::string& scope, int64_t seq) override { storage::outbox_remove_through(scope, seq); }
  void outbox_clear(const std::string& scope) override { storage::outbox_clear(scope); }
  std::string outbox_error() override { return storage::last_error(); }

  void map_show(const std::string& turf, const std::vector<host::LatLon>& doors, const std::vector<uint8_t>& status,
                const std::vector<std::string>& labels) override {
    std::vector<map::LatLon> pts;
    pts.reserve(doors.size());
    for (auto& d : doors) pts.push_back({d.lat, d.lon});
    map::set_turf(map_, turf);
    map::set_doors(map_, pts, status, labels);
    map::set_route(map_, pts);
    map::fit(map_);
  }
  void map_set_door_status(int index, uint8_t status) override { map::set_door_status(map_, index, status); }
  void map_select_door(int index, bool pan) override { map::select_door(map_, index, pan); }
  void map_clear() override {
    map::clear(map_);
    map::set_buildings(map_, "");
  }
  void map_set_buildings(const std::string& fc) override { map::set_buildings(map_, fc); }
  void map_set_door_sides(const std::vector<std::string>& sides) override { map::set_door_sides(map_, sides); }
  void map_set_route(const std::vector<host::LatLon>& line, int next) override {
    std::vector<map::LatLon> pts;
    pts.reserve(line.size());
    for (auto& d : line) pts.push_back({d.lat, d.lon});
    map::set_route(map_, pts, next);
  }
  void map_set_tiles(const std::string& url, const std::string& attribution) override { map::set_tiles(map_, url, attribution); }
  void map_add_locate_button(const std::string& label) override { map::add_locate_button(map_, label); }
  void map_on_building_tap(std::function<void(int)> fn) override { map::on_building_tap(std::move(fn)); }
  void cache_tiles(const std::string& turf, const std::string& urls, int64_t cap) override { page::cache_tiles(turf, urls, cap); }
  void drop_tile_caches() override { page::drop_tile_caches(); }
  void drop_tile_cache(const std::string& turf) override { page::drop_tile_cache(turf); }
  void map_set_visible(bool visible) override {
    page::show_map(visible);
    if (visible) map::invalidate(map_);
  }

  std::string take_link_token() override { return page::take_link_token(); }
  void clear_link_from_url() override { page::clear_link_from_url(); }
  void set_status(const std::string& text) override { page::set_status(text); }
  void set_lang(const std::string& l) override { page::set_lang(l); }
  void locate(std::function<void(const host::Position&)> done) override {
    page::locate([done = std::move(done)](const page::Position& p) { done(host::Position{p.ok, p.lat, p.lon, p.accuracy_m}); });
  }
  void locate_quietly(std::function<void(const host::Position&)> done) override {
    page::locate([done = std::move(done)](const page::Position& p) { done(host::Position{p.ok, p.lat, p.lon, p.accuracy_m}); },
                 false);
  }
  void set_location_reason(const std::string& text) override { page::set_location_reason(text); }
  void load_cjk_font(std::function<void(bool)> done) override { page::load_cjk_font(std::move(done)); }
  void set_fonts(const std::string& sample, bool cjk, float size_px) override {
    platform::set_fonts("/fonts/DejaVuSans.ttf", cjk ? "/fonts/wqy-microhei.ttc" : "", sample, size_px);
  }
  std::string load_setting(const std::string& key) override { return page::load_setting(key); }
  void save_setting(const std::string& key, const std::string& value) override { page::save_setting(key, value); }
  std::vector<std::string> phone_languages() override { return page::phone_languages(); }
  void open_practice(bool on) override { page::open_practice(on); }
  bool on_mobile_data() override { return page::on_mobile_data(); }
  void call_phone(const std::string& number) override { page::call_phone(number); }
  void request_frames() override { platform::request_frames(3); }
  bool page_visible() override { return platform::page_visible(); }
  void offer_update() override { page::offer_update(); }
  void publish_stat(const char* key, double value) override { page::publish_stat(key, value); }
  void publish_item(const char* key, float x, float y, float w, float h) override {
    // Only changes cross into JS.
    std::array<int, 4> r = {static_cast<int>(x), static_cast<int>(y), static_cast<int>(w), static_cast<int>(h)};
    auto& slot = items_[key];
    if (slot == r) return;
    slot = r;
    page::publish_item(key, r[0], r[1], r[2], r[3]);
  }

  int map_ = 0;

 private:
  struct Timer {
    long handle = 0;
    std::function<void()> fn;
  };
 public:
  static void fire(void* data);
 private:
  int next_ = 1;
  std::map<int, Timer> timers_;
  std::map<std::string, std::array<int, 4>> items_;
};

BrowserHost g_host;

void BrowserHost::fire(void* data) {
  int id = static_cast<int>(reinterpret_cast<intptr_t>(data));
  auto it = g_host.timers_.find(id);
  if (it == g_host.timers_.end()) return;
  auto fn = std::move(it->second.fn);
  g_host.timers_.erase(it);
  fn();
}

// The start-up after the panel exists, one step per task so that the page answers input between
// them (issue 15: no long task after the first paint): the map, then the controller.
void start_app(void*) {
  std::string mode = page::sandbox_mode();
  if (mode.empty()) {
    app::start(g_host, page::browser_language());
    return;
  }
  // Sandbox: no storage is started at all (no IndexedDB, no Web Lock), no link, no sync.
  page::load_sandbox_package(mode, [mode](bool ok, const std::string& json) {
    app::start_sandbox(g_host, page::browser_language(), mode == "preview" ? app::Sandbox::preview : app::Sandbox::practice,
                       ok ? json : std::string());
  });
}

// After a tap recorded outside a frame, frames wait for the durable write's answer this long at
// most: the main thread is free for it, and the next frame shows "saved" with the next door.
constexpr int kQuickHoldMs = 80;
// The map's part of such a record runs in a task of its own once the write answered (not inside
// the answer, which says "saved").
void flush_map_soon() {
  emscripten_set_timeout([](void*) { app::flush_map_work(); }, 0, nullptr);
}

// A tap or press that `take` may record outside a frame (ui::quick_tap, ui::quick_activate): the
// map's part waits and frames are held until the write answers; not taken, nothing waits.
template <typename Take>
bool record_quickly(Take take) {
  app::defer_map_work();
  if (!take()) {
    app::flush_map_work();
    return false;
  }
  platform::hold_frames(kQuickHoldMs, flush_map_soon);
  return true;
}

void start_map(void*) {
  g_host.map_ = map::create("map");
  map::on_door_tap([](int i) { app::on_door_tap(i); });
  page::on_network_change([](bool on) { app::on_network_change(on); });
  platform::on_hidden([] { app::on_hidden(); });
  // A one-tap result records as the finger lifts, not two frames later.
  // doorstepStats.quick_taps counts the taps it took (bench/startup.mjs shows it).
  platform::on_tap([](float sx, float sy, float ex, float ey) {
    static int taken = 0;
    if (!record_quickly([&] { return ui::quick_tap(sx, sy, ex, ey); })) return false;
    page::publish_stat("quick_taps", ++taken);
    return true;
  });
  emscripten_set_timeout(start_app, 0, nullptr);
}

// Entry point called by web/boot.js once the module is instantiated.
void start() {
  if (!platform::init("#ui", "#mirror", [] {
        if (ui::draw()) page::set_mirror(mirror::to_json(mirror::tree()));
      })) {
    page::show_fallback();
    return;
  }
  emscripten_set_timeout(start_map, 0, nullptr);
}

// A press from the mirror (keyboard, screen reader): a one-tap result records at once, as a
// finger's tap does; any other control takes it in the next frame.
void mirror_activate(double id) {
  if (record_quickly([id] { return ui::quick_activate(static_cast<uint32_t>(id)); })) return;
  mirror::activate(static_cast<uint32_t>(id));
  platform::request_frames(3);
}
// Typing in place (web/mirror.js): a text field's value, Enter in a one-line field, which field
// has the keyboard, and the visible bottom (canvas CSS px) it must stay above.
void mirror_text(double id, const std::string& value) {
  mirror::set_text(static_cast<uint32_t>(id), value);
  platform::request_frames(3);
}
void mirror_submit(double id) {
  mirror::submit(static_cast<uint32_t>(id));
  platform::request_frames(3);
}
void mirror_focus(double id) {
  mirror::set_focus(static_cast<uint32_t>(id));
  platform::request_frames(3);
}
void mirror_reveal(double bottom) {
  mirror::reveal(static_cast<float>(bottom));
  platform::request_frames(8);
}

}  // namespace

EMSCRIPTEN_BINDINGS(doorstep_app) {
  emscripten::function("doorstepStart", &start);
  emscripten::function("doorstepMirrorActivate", &mirror_activate);
  emscripten::function("doorstepMirrorText", &mirror_text);
  emscripten::function("doorstepMirrorSubmit", &mirror_submit);
  emscripten::function("doorstepMirrorFocus", &mirror_focus);
  emscripten::function("doorstepMirrorReveal", &mirror_reveal);
}

}  // namespace doorstep
