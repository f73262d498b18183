// The canvasser app's glue (see app.h): start-up (storage → database → token → package), recording
// with the durable outbox, sync scheduling, and keeping the map, panel and aria mirror in step.
// Sync runs only when there is something to do: after a record, when the network returns, and on
// a slow timer while the page is visible (no polling in the background: battery).
#include "wasm/app.h"

#include <emscripten.h>
#include <emscripten/bind.h>
#include <emscripten/eventloop.h>

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <optional>

#include "imgui.h"
#include "shared/base/json.h"
#include "shared/store/store.h"
#include "shared/route/walk_order.h"
#include "shared/tiles/tile_math.h"
#include "wasm/i18n.h"
#include "wasm/js_map.h"
#include "wasm/js_page.h"
#include "wasm/js_storage.h"
#include "wasm/platform.h"
#include "wasm/ui.h"

namespace doorstep::app {

namespace {

constexpr const char* kDbPath = "/persist/doorstep.db";
constexpr int64_t kPullEveryMs = 60000;
constexpr float kFontPx = 17.f;

State g_state;
std::unique_ptr<canvass::Session> g_session;
int g_map = 0;
std::optional<page::Position> g_position;
int64_t g_position_at = 0;
bool g_push_in_flight = false, g_pull_in_flight = false;
long g_push_timer = 0, g_pull_timer = 0, g_checkpoint_timer = 0;
int64_t g_last_pull = 0;
std::string g_last_status;

void schedule_push(int64_t in_ms);
void pull();

void changed() {
  platform::request_frames(3);
  const char* line = ui::status_line();
  if (g_last_status != line) {
    g_last_status = line;
    page::set_status(line);
  }
}

void refresh_sync_view() {
  g_state.sync.pending = g_session ? g_session->pending() : 0;
  g_state.sync.unsaved = g_session ? g_session->unsaved() : 0;
  EM_ASM({ if (window.doorstepStats) { window.doorstepStats.pending = $0; window.doorstepStats.unsaved = $1; } },
         static_cast<double>(g_state.sync.pending), static_cast<double>(g_state.sync.unsaved));
}

// Every checkpoint makes the IDBFS copy of the database current; outbox entries the server has
// acknowledged are removed only after such a checkpoint, so a phone killed at any moment still
// has every record either in the checkpoint or in the outbox.
void checkpoint_then_trim() {
  int64_t acked = g_session ? g_session->acked_through() : 0;
  std::string scope = g_session ? g_session->client_id() : "";
  storage::checkpoint([acked, scope](bool ok) {
    if (ok && acked > 0 && !scope.empty()) storage::outbox_remove_through(scope, acked);
  });
}

void schedule_checkpoint(int delay_ms) {
  if (g_checkpoint_timer) emscripten_clear_timeout(g_checkpoint_timer);
  g_checkpoint_timer = emscripten_set_timeout(
      [](void*) {
        g_checkpoint_timer = 0;
        checkpoint_then_trim();
      },
      delay_ms, nullptr);
}

std::string outbox_entry(const sync::Mutation& m) {
  json::Value e = json::Value::object();
  e.set("client_id", g_session->client_id());
  e.set("token", g_session->token());
  e.set("mutation", m.to_json());
  return json::dump(e);
}

void put_in_outbox(const sync::Mutation& m) {
  std::string id = m.id;
  storage::outbox_put(g_session->client_id(), m.seq, outbox_entry(m), [id](bool ok) {
    if (!g_session) return;
    g_session->mark_saved(id, ok);
    if (ok) {
      g_state.flash = std::string("✓ ") + i18n::tr("saved_phone");
      g_state.flash_until = now_ms() + 2500;
      schedule_checkpoint(1500);
      schedule_push(0);
    } else {
      g_state.sync.last_error = "outbox write failed";
    }
    refresh_sync_view();
    changed();
  });
}

void push() {
  if (!g_session || g_push_in_flight || g_session->token().empty()) return;
  std::string body = g_session->push_body(now_ms());
  if (body.empty()) {
    g_state.sync.sending = false;
    if (g_session->pending() > 0) schedule_push(std::max<int64_t>(1000, g_session->next_push_ms() - now_ms()));
    return;
  }
  g_push_in_flight = true;
  g_state.sync.sending = true;
  changed();
  page::http("POST", "/api/v1/canvass/push", body, g_session->token(), [](const page::HttpReply& r) {
    g_push_in_flight = false;
    g_state.sync.sending = false;
    if (!g_session) return;
    std::string old_scope = g_session->client_id();
    auto out = g_session->on_push_reply(r.status, r.body, now_ms());
    g_state.sync.online = r.status != 0;
    g_state.sync.last_error = out.message;
    if (out.renumbered) {
      // Conflict: the outbox moved to a new client id; its browser copy follows.
      for (const auto& m : g_session->outbox()) put_in_outbox(m);
      schedule_checkpoint(0);
      storage::checkpoint([old_scope](bool ok) {
        if (ok) storage::outbox_clear(old_scope);
      });
    }
    if (out.acked) schedule_checkpoint(500);
    if (out.wipe) {
      (void)g_session->wipe();
      g_state.phase = Phase::ended;
      map::set_doors(g_map, {}, {}, {});
      map::set_buildings(g_map, "");
      page::drop_tile_caches();
      schedule_checkpoint(0);
    } else if (g_session->pending() > 0) {
      schedule_push(std::max<int64_t>(0, g_session->next_push_ms() - now_ms()));
    } else if (out.acked && now_ms() - g_last_pull > 5000) {
      pull();
    }
    refresh_sync_view();
    changed();
  });
}

void schedule_push(int64_t in_ms) {
  if (g_push_timer) emscripten_clear_timeout(g_push_timer);
  g_push_timer = emscripten_set_timeout(
      [](void*) {
        g_push_timer = 0;
        push();
      },
      static_cast<double>(in_ms), nullptr);
}

void update_map_statuses() {
  if (!g_session || !g_session->has_package()) return;
  const auto& doors = g_session->package().doors;
  for (size_t i = 0; i < doors.size(); ++i)
    map::set_door_status(g_map, static_cast<int>(i), g_session->door_status(static_cast<int>(i)));
}

void pull() {
  if (!g_session || g_pull_in_flight || g_session->token().empty() || !g_session->has_package()) return;
  g_pull_in_flight = true;
  g_last_pull = now_ms();
  page::http("POST", "/api/v1/canvass/pull", g_session->pull_body(), g_session->token(), [](const page::HttpReply& r) {
    g_pull_in_flight = false;
    if (!g_session) return;
    g_state.sync.online = r.status != 0;
    auto more = g_session->on_pull_reply(r.status, r.body, now_ms());
    if (more) {
      update_map_statuses();
      schedule_checkpoint(2000);
      if (*more) pull();
    }
    changed();
  });
}

void pull_timer_tick(void*) {
  g_pull_timer = emscripten_set_timeout(pull_timer_tick, kPullEveryMs, nullptr);
  if (platform::page_visible() && g_state.sync.online) {
    pull();
    if (g_session && g_session->pending() > 0) push();
  }
}

// The walk line in the session's visit order (which "come back later" changes), with the next
// door to knock ringed.
void show_route() {
  if (!g_session || !g_session->has_package()) return;
  const auto& doors = g_session->package().doors;
  std::vector<map::LatLon> line;
  for (int i : g_session->visit_order()) line.push_back({doors[static_cast<size_t>(i)].lat, doors[static_cast<size_t>(i)].lon});
  int next = g_session->next_door(g_state.selected);
  if (next < 0) next = g_session->next_door(-1);
  map::set_route(g_map, line, next);
}

// The turf's footprints as one FeatureCollection for the map (geometry text copied as it came).
std::string buildings_geojson(const canvass::Package& pkg) {
  std::string out = R"({"type":"FeatureCollection","features":[)";
  for (size_t i = 0; i < pkg.buildings.size(); ++i) {
    if (i) out += ',';
    out += R"({"type":"Feature","properties":{"units":)" + std::to_string(pkg.buildings[i].units) + R"(},"geometry":)" +
           pkg.buildings[i].geometry + "}";
  }
  return out + "]}";
}

// The base map, and its tiles for offline use: the turf's box at the package's zooms with a
// one-tile margin, handed to the service worker (which keeps them under the package's cap).
void show_base_map(const canvass::Package& pkg) {
  if (pkg.map.tiles.empty()) return;
  map::set_tiles(g_map, pkg.map.tiles, pkg.map.attribution);
  double min_lon = 180, min_lat = 90, max_lon = -180, max_lat = -90;
  for (const auto& d : pkg.doors) {
    min_lon = std::min(min_lon, d.lon), max_lon = std::max(max_lon, d.lon);
    min_lat = std::min(min_lat, d.lat), max_lat = std::max(max_lat, d.lat);
  }
  if (min_lon > max_lon) return;
  std::string urls = "[";
  for (int z = pkg.map.min_zoom; z <= pkg.map.max_zoom && z <= tiles::kMaxZoom; ++z) {
    for (const auto& t : tiles::tiles_covering(min_lon, min_lat, max_lon, max_lat, z, 1)) {
      std::string u = pkg.map.tiles;
      for (auto [key, value] : {std::pair<const char*, std::string>{"{z}", std::to_string(t.z)},
                                {"{x}", std::to_string(t.x)}, {"{y}", std::to_string(t.y)}})
        if (auto at = u.find(key); at != std::string::npos) u.replace(at, 3, value);
      if (urls.size() > 1) urls += ',';
      urls += json::dump(json::Value(u));
    }
  }
  urls += ']';
  page::cache_tiles(pkg.turf_id, urls, pkg.map.cache_max_bytes > 0 ? pkg.map.cache_max_bytes : 20ll << 20);
}

void show_package() {
  const auto& pkg = g_session->package();
  std::vector<map::LatLon> pts;
  std::vector<uint8_t> st;
  std::vector<std::string> labels;
  for (size_t i = 0; i < pkg.doors.size(); ++i) {
    const auto& d = pkg.doors[i];
    pts.push_back({d.lat, d.lon});
    st.push_back(g_session->door_status(static_cast<int>(i)));
    labels.push_back(std::to_string(d.order) + ". " + d.address + (d.unit.empty() ? "" : " #" + d.unit));
  }
  map::set_turf(g_map, pkg.turf_polygon);
  map::set_buildings(g_map, pkg.buildings.empty() ? "" : buildings_geojson(pkg));
  map::set_doors(g_map, pts, st, labels);
  std::vector<std::string> sides;
  for (const auto& d : pkg.doors) {
    const walk::Door w = walk::door_from_address(geo::fix_of(d.lat, d.lon), d.building_id, d.address, d.unit);
    const size_t digits = w.number.find_first_not_of("0123456789");
    const std::string num = w.number.substr(0, digits);
    sides.push_back(num.empty() || w.street.empty() ? "" : w.street + "|" + std::to_string((num.back() - '0') % 2));
  }
  map::set_door_sides(g_map, sides);
  show_route();
  map::fit(g_map);
  show_base_map(pkg);  // after fit: no tiles are asked for the page's default view
  EM_ASM({ if (window.doorstepStats) window.doorstepStats.doors = $0; }, static_cast<double>(pkg.doors.size()));
  g_state.phase = Phase::ready;
  changed();
}

void fetch_package() {
  page::http("GET", "/api/v1/canvass/package", "", g_session->token(), [](const page::HttpReply& r) {
    if (!g_session) return;
    g_state.sync.online = r.status != 0;
    if (r.status == 200) {
      if (auto st = g_session->set_package(r.body); st) {
        schedule_checkpoint(0);
        show_package();
        schedule_push(0);
        return;
      } else {
        g_state.sync.last_error = st.error().message;
      }
    } else if (r.status == 401 && !g_session->has_package()) {
      g_state.phase = Phase::ended;  // expired or revoked before this phone ever loaded the turf
    }
    if (g_session->has_package()) show_package();  // offline or server trouble: what we have
    changed();
  });
}

void on_storage_ready(bool ok, bool writer) {
  if (!ok) {
    g_state.phase = Phase::storage_error;
    changed();
    return;
  }
  if (!writer) {
    g_state.phase = Phase::other_tab;
    changed();
    return;
  }
  auto db = store::Db::open(kDbPath);
  if (!db) {
    // Never overwrite a database we cannot read: say so (the outbox still holds the records).
    g_state.phase = Phase::storage_error;
    g_state.sync.last_error = db.error().message;
    changed();
    return;
  }
  auto s = canvass::Session::open(std::move(*db), now_ms());
  if (!s) {
    g_state.phase = Phase::storage_error;
    g_state.sync.last_error = s.error().message;
    changed();
    return;
  }
  g_session = std::move(*s);
  g_state.session = g_session.get();
  std::string token = page::take_link_token();
  if (!token.empty() && g_session->set_token(token, now_ms())) {
    // Only once the token is on disk may it leave the address bar: a reload before that would
    // otherwise lose the link.
    storage::checkpoint([](bool ok) {
      if (ok) page::clear_link_from_url();
    });
  }
  // Records a lost checkpoint did not keep come back from the durable outbox.
  storage::outbox_list(g_session->client_id(), [](const std::string& json) {
    if (!g_session) return;
    if (auto n = g_session->replay_outbox(json, now_ms()); n && *n > 0) {
      for (const auto& m : g_session->outbox()) put_in_outbox(m);  // re-recorded: new numbers
      schedule_checkpoint(0);
    }
    refresh_sync_view();
    if (g_session->token().empty()) {
      g_state.phase = Phase::no_link;
      changed();
      return;
    }
    if (g_session->has_package()) show_package();
    else g_state.phase = Phase::loading;
    fetch_package();
    changed();
  });
}

}  // namespace

State& state() { return g_state; }

void note_item(const char* key) {
  static std::map<std::string, std::array<int, 4>> known;
  ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  std::array<int, 4> r = {static_cast<int>(a.x), static_cast<int>(a.y), static_cast<int>(b.x - a.x), static_cast<int>(b.y - a.y)};
  auto& slot = known[key];
  if (slot == r) return;
  slot = r;
  EM_ASM({
    var c = document.getElementById('ui').getBoundingClientRect();
    window.doorstepUi = window.doorstepUi || {};
    window.doorstepUi[UTF8ToString($0)] = Array.of(c.left + $1, c.top + $2, $3, $4);
  }, key, r[0], r[1], r[2], r[3]);
}
int64_t now_ms() { return page::now_ms(); }

void select_door(int index, bool from_map) {
  if (!g_session || !g_session->has_package()) return;
  if (index < 0 || index >= static_cast<int>(g_session->package().doors.size())) return;
  if (index != g_state.selected) g_state.draft = Draft{};
  g_state.selected = index;
  g_state.tab = Tab::door;
  g_state.tab_switch = 2;
  g_state.scroll_to_selected = !from_map;
  map::select_door(g_map, index, !from_map);
  EM_ASM({ if (window.doorstepStats) window.doorstepStats.selected = $0; }, index);
  // A fresh position for this door, read once now so the record tap never waits for GPS; quietly:
  // the permission is asked at the first record (or the map's "where am I"), not on a selection.
  if (now_ms() - g_position_at > 60000) {
    page::locate([](const page::Position& p) {
      if (p.ok) {
        g_position = p;
        g_position_at = now_ms();
      }
    }, false);
  }
  show_route();
  changed();
}

static void record_now(const std::string& result) {
  if (!g_session || g_state.selected < 0) return;
  canvass::AttemptInput in;
  in.door = g_state.selected;
  in.result = result;
  in.person_id = g_state.draft.person_id;
  in.notes = g_state.draft.notes;
  in.canvasser = g_state.canvasser;
  if (result == "talked") in.answers = g_state.draft.answers;
  if (g_position && now_ms() - g_position_at < 120000) {
    in.lat = g_position->lat;
    in.lon = g_position->lon;
    in.accuracy_m = g_position->accuracy_m;
  }
  auto m = g_session->record(in, now_ms());
  if (!m) {
    g_state.sync.last_error = m.error().message;
    changed();
    return;
  }
  put_in_outbox(*m);
  EM_ASM({ if (window.doorstepStats) window.doorstepStats.recorded = (window.doorstepStats.recorded || 0) + 1; });
  map::set_door_status(g_map, g_state.selected, g_session->door_status(g_state.selected));
  show_route();  // "come back later" moves the door; any record moves the next one
  // The first record without a position asks for it (after the page's one-line reason); the
  // record above never waits for the answer, and a refusal changes nothing.
  static bool asked = false;
  if (!asked && !in.lat) {
    asked = true;
    page::locate([](const page::Position& p) {
      if (p.ok) {
        g_position = p;
        g_position_at = now_ms();
      }
    });
  }
  g_state.draft = Draft{};
  g_state.flash = i18n::tr("recorded");
  g_state.flash_until = now_ms() + 2500;
  refresh_sync_view();
  changed();
}

void record(const std::string& result) { record_now(result); }
void save_draft() {
  canvass::SignupInput signup = g_state.draft.signup;  // record_now clears the draft
  int door = g_state.selected;
  std::string person = g_state.draft.person_id;
  record_now("talked");
  if (!g_session || signup.empty()) return;
  signup.door = door;
  signup.person_id = person;
  auto m = g_session->record_signup(signup, now_ms());
  if (!m) {
    g_state.sync.last_error = m.error().message;
  } else {
    put_in_outbox(*m);
    EM_ASM({ if (window.doorstepStats) window.doorstepStats.signups = (window.doorstepStats.signups || 0) + 1; });
  }
  refresh_sync_view();
  changed();
}

void add_resident() {
  if (!g_session || g_state.selected < 0) return;
  int door = g_state.selected;
  page::edit_text(i18n::tr("name"), "", false, [door](bool ok, const std::string& text) {
    if (!ok || !g_session || text.empty()) return;
    std::string name = text.substr(0, 200);
    size_t sp = name.find_last_of(' ');
    std::string first = sp == std::string::npos ? name : name.substr(0, sp);
    std::string last = sp == std::string::npos ? "" : name.substr(sp + 1);
    auto m = g_session->add_person(door, first, last, "", now_ms());
    if (!m) {
      g_state.sync.last_error = m.error().message;
    } else {
      put_in_outbox(*m);
      if (g_state.selected == door) g_state.draft.person_id = m->payload.find("person")->as_string();
    }
    refresh_sync_view();
    changed();
  });
}

void edit_signup(const std::string& field) {
  auto& su = g_state.draft.signup;
  std::string* target = field == "name" ? &su.name : field == "phone" ? &su.phone : &su.email;
  page::edit_text(i18n::tr(field.c_str()), *target, false, [target](bool ok, const std::string& text) {
    if (ok) *target = text.substr(0, 200);
    changed();
  });
}

void next_door() {
  if (!g_session || !g_session->has_package()) return;
  int i = g_session->next_door(g_state.selected);
  if (i < 0) i = g_session->next_door(-1);  // wrap: anything left from the start
  if (i >= 0) select_door(i, false);
}

void set_language(const std::string& code) {
  i18n::set_language(code);
  page::set_lang(code);
  page::set_location_reason(i18n::tr("location_reason"));
  std::string sample = i18n::all_text(code);
  if (g_session && g_session->has_package()) {
    auto& script = g_session->package().script;
    if (auto it = script.find(code); it != script.end())
      for (auto& s : it->second) sample += s.title + s.text;
    for (auto& q : g_session->package().survey) {
      if (auto l = q.labels.find(code); l != q.labels.end()) sample += l->second;
      for (auto& c : q.choices)
        if (auto l2 = c.labels.find(code); l2 != c.labels.end()) sample += l2->second;
    }
    for (auto& p : g_session->package().people) sample += p.first_name + p.last_name;
  }
  if (i18n::language_needs_cjk(code) && !g_state.cjk_font) {
    page::load_cjk_font([code](bool ok) {
      g_state.cjk_font = ok;
      if (ok) set_language(code);
    });
  }
  platform::set_fonts("/fonts/DejaVuSans.ttf", g_state.cjk_font ? "/fonts/wqy-microhei.ttc" : "", sample, kFontPx);
  changed();
}

void edit_notes() {
  page::edit_text(i18n::tr("notes"), g_state.draft.notes, true, [](bool ok, const std::string& text) {
    if (ok) g_state.draft.notes = text.substr(0, 2000);
    changed();
  });
}

void edit_answer(const std::string& qid) {
  std::string title = qid, cur;
  if (g_session)
    for (auto& q : g_session->package().survey)
      if (q.id == qid) {
        auto l = q.labels.find(i18n::language());
        if (l == q.labels.end()) l = q.labels.find("en");
        if (l != q.labels.end()) title = l->second;
      }
  if (auto a = g_state.draft.answers.find(qid); a != g_state.draft.answers.end() && a->second.is_string()) cur = a->second.as_string();
  page::edit_text(title, cur, true, [qid](bool ok, const std::string& text) {
    if (ok) {
      if (text.empty()) g_state.draft.answers.erase(qid);
      else g_state.draft.answers[qid] = json::Value(text.substr(0, 2000));
    }
    changed();
  });
}

void edit_canvasser() {
  page::edit_text(i18n::tr("your_name"), g_state.canvasser, false, [](bool ok, const std::string& text) {
    if (ok) g_state.canvasser = text.substr(0, 100);
    changed();
  });
}

void toggle_map() {
  g_state.show_map = !g_state.show_map;
  page::show_map(g_state.show_map);
  if (g_state.show_map) map::invalidate(g_map);
  changed();
}

// Entry point called by web/boot.js once the module is instantiated.
void start() {
  if (!platform::init("#ui", [] { ui::draw(); })) {
    EM_ASM({ document.getElementById('fallback').hidden = false; });
    return;
  }
  ui::apply_style(kFontPx);
  g_map = map::create("map");
  map::on_door_tap([](int i) { select_door(i, true); });
  // A building opens at its first unit in walk order that is still to knock (else its first).
  map::on_building_tap([](int b) {
    if (!g_session || !g_session->has_package()) return;
    const auto& pkg = g_session->package();
    if (b < 0 || b >= static_cast<int>(pkg.buildings.size())) return;
    const std::string& id = pkg.buildings[static_cast<size_t>(b)].id;
    int first = -1;
    for (int i : g_session->visit_order()) {
      if (pkg.doors[static_cast<size_t>(i)].building_id != id) continue;
      if (first < 0) first = i;
      if (g_session->door_status(i) == 0) {
        first = i;
        break;
      }
    }
    if (first >= 0) select_door(first, true);
  });
  map::add_locate_button(g_map, i18n::tr("where_am_i"));
  page::on_network_change([](bool on) {
    g_state.sync.online = on;
    if (on) schedule_push(0);
    changed();
  });
  platform::on_hidden([] {
    // Mobile browsers kill hidden tabs without warning: persist now.
    if (g_session) checkpoint_then_trim();
    // A new build (service worker) may take over only when nothing is waiting to be sent.
    if (g_session && g_session->pending() == 0) EM_ASM({ if (window.doorstepOfferUpdate) window.doorstepOfferUpdate(); });
  });
  std::string lang = EM_ASM_INT({ return (navigator.language || 'en').slice(0, 2) === 'es' ? 1 : 0; }) ? "es" : "en";
  set_language(lang);
  g_pull_timer = emscripten_set_timeout(pull_timer_tick, kPullEveryMs, nullptr);
  storage::start(on_storage_ready);
  changed();
}

EMSCRIPTEN_BINDINGS(doorstep_app) { emscripten::function("doorstepStart", &start); }

}  // namespace doorstep::app
