// The canvasser app's controller (see app.h): start-up (storage → databases → token → package),
// recording with the durable outbox, checkpoint-then-trim, push/pull scheduling, wipe, turfs kept
// side by side (one database file per turf; the ones not on screen only send their records), and
// keeping the map, panel and status element in step. Plain C++ over host::Host: the browser's side is
// wasm/js_host.cpp, the native tests' side a recorded-call double. Sync runs only when there is
// something to do: after a record, when the network returns, and on a slow timer while the page
// is visible (no polling in the background: battery).
#include "wasm/app.h"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <memory>
#include <optional>
#include <set>

#include "imgui.h"
#include "shared/base/geo.h"
#include "shared/base/json.h"
#include "shared/canvass/walk_list.h"
#include "shared/route/walk_order.h"
#include "shared/store/store.h"
#include "shared/tiles/tile_math.h"
#include "wasm/i18n.h"
#include "wasm/ui.h"

namespace doorstep::app {

namespace {

constexpr int64_t kPullEveryMs = 60000;
// The server's default grace after a link's end (server AppConfig::link_grace_ms): records made
// before the end are still taken meanwhile; after it an offline phone forgets the turf.
constexpr int64_t kLinkGraceMs = 72ll * 3600 * 1000;

// A turf kept on this phone that is not on screen: its unsent records still go out, each under
// its own link's token, and its link's end wipes it alone. Never drawn, never pulled.
struct Stored {
  int slot = 0;
  std::unique_ptr<canvass::Session> session;
  bool pushing = false;
  int push_timer = 0;
};

struct Controller {
  host::Host* host = nullptr;
  State state;
  std::unique_ptr<canvass::Session> session;  // the turf on screen, in database slot `slot`
  int slot = 0;
  std::vector<Stored> others;  // every other turf kept here (and, at start-up, all of them)
  int opening = 0;             // start-up: database slots still opening
  std::string waiting_link;    // a second link's token until the canvasser chose (Phase::choose_link)
  std::optional<host::Position> position;
  int64_t position_at = 0;
  bool push_in_flight = false, pull_in_flight = false;
  bool asked_position = false;  // the first record without a position asks for one, once
  int push_timer = 0, pull_timer = 0, checkpoint_timer = 0, map_timer = 0, load_timer = 0, save_timer = 0, undo_timer = 0;
  int undone = 0, amended = 0;
  bool fetch_in_flight = false;
  // A newer package (a pull named another version), fetched in the background and held here until
  // no door is mid-entry; refresh_in_flight while its download runs.
  std::string fresh_package;
  bool refresh_in_flight = false;
  // The last "leaving: unsafe": its record's id, the door's safety note and skip before it (an
  // undo of that record gives both back).
  struct {
    std::string attempt, door_id, safety;
    bool was_skipped = false;
  } unsafe_undo;
  std::set<std::string> save_failed;  // mutations whose outbox write failed: retried with backoff
  int save_failures = 0;
  // defer_map_work(): the map's part of a record (door colour, selection, route, quiet position
  // read) waits for flush_map_work(), so the main thread answers the durable write first.
  bool map_deferred = false;
  std::string typed_letters;  // letters typed that the atlas lacked (want_letters), each once
  // The last atlas's letters beyond ASCII (setting "atlas_letters"): until a package is shown, the
  // atlas holds them too, so a stored turf's package does not rebuild the start's first atlas.
  // A set of letters, nothing more; wipe() clears it with the turf.
  std::string atlas_letters;
  bool route_due = false;
  std::vector<std::function<void()>> map_work;
  int64_t last_pull = 0;
  std::string last_status;
  int recorded = 0, signups = 0;
  bool name_asked = false;       // the first-open name dialog was offered in this run
  bool language_chosen = false;  // the canvasser picked the app's language (remembered)
  bool font_loading = false;     // the CJK font is on its way
  // Bumped by stop(): a callback from before a restart finds another generation and does nothing.
  uint64_t generation = 0;
};

Controller g;
State g_idle_state;  // what state() returns before start()

host::Host& H() { return *g.host; }

// Wraps a host callback so that it runs only if the controller it was made for is still running.
template <class F>
auto guarded(F fn) {
  return [gen = g.generation, fn = std::move(fn)](auto&&... args) {
    if (g.host && g.generation == gen) fn(std::forward<decltype(args)>(args)...);
  };
}

// ---- Turfs side by side: one SQLite file per turf. Slot 0 is the file every phone had before
// (so a phone upgraded with one stored turf keeps it as it is); slot k > 0 is "<name>-turf<k+1>.db"
// beside it, made only when a second link is kept.
// Each turf file has one connection, in this thread, and only the session's and the outbox's
// tables (canvass::turf_file_options). Files made before keep their empty core tables, unread.
const store::OpenOptions kTurfFile = canvass::turf_file_options();

std::string slot_path(int slot) {
  std::string base = H().db_path();
  if (slot == 0) return base;
  if (base.size() > 3 && base.compare(base.size() - 3, 3, ".db") == 0) base.resize(base.size() - 3);
  return base + "-turf" + std::to_string(slot + 1) + ".db";
}

bool file_exists(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  std::fclose(f);
  return true;
}

Stored* stored_at(int slot) {
  for (auto& o : g.others)
    if (o.slot == slot) return &o;
  return nullptr;
}

// The session of `slot`, on screen or not (null when none is open there).
canvass::Session* session_at(int slot) {
  if (g.session && g.slot == slot) return g.session.get();
  Stored* o = stored_at(slot);
  return o ? o->session.get() : nullptr;
}

// A slot holds a turf while it has a link or records still to send.
bool in_use(const canvass::Session& s) { return !s.token().empty() || s.pending() > 0; }

void publish_pending_all() {
  int64_t n = g.session ? static_cast<int64_t>(g.session->pending()) : 0;
  for (const auto& o : g.others) n += static_cast<int64_t>(o.session->pending());
  H().publish_stat("pending_all", static_cast<double>(n));
}

void schedule_push(int64_t in_ms);
void schedule_checkpoint(int64_t delay_ms);
void pull();
void refresh_package();
void apply_language(const std::string& code);

// The app's languages a campaign serves (its script or survey is in them), in the menu's order.
std::vector<std::string> offered_languages(const canvass::Package& pkg) {
  std::vector<std::string> out;
  for (const auto& l : i18n::languages())
    if (!canvass::walk_list::match_language(l.code, pkg.languages).empty()) out.push_back(l.code);
  return out;
}

void changed() {
  H().request_frames();
  std::string line = ui::status_line();
  if (g.last_status != line) {
    g.last_status = line;
    H().set_status(line);
  }
}

void refresh_sync_view() {
  g.state.sync.pending = g.session ? static_cast<int64_t>(g.session->pending()) : 0;
  g.state.sync.unsaved = g.session ? g.session->unsaved() : 0;
  H().publish_stat("pending", static_cast<double>(g.state.sync.pending));
  H().publish_stat("unsaved", static_cast<double>(g.state.sync.unsaved));
  publish_pending_all();
}

// Every checkpoint makes the durable copy of the database current; outbox entries the server has
// acknowledged are removed only after such a checkpoint, so a phone killed at any moment still
// has every record either in the checkpoint or in the outbox.
// One checkpoint writes every turf's file; each turf's outbox (scope: its client id) is trimmed.
void checkpoint_then_trim() {
  if (g.state.sandbox != Sandbox::off) return;
  std::vector<std::pair<std::string, int64_t>> trim;
  auto note = [&trim](const canvass::Session* s) {
    if (s && s->acked_through() > 0 && !s->client_id().empty()) trim.emplace_back(s->client_id(), s->acked_through());
  };
  note(g.session.get());
  for (const auto& o : g.others) note(o.session.get());
  H().checkpoint(guarded([trim](bool ok) {
    if (ok)
      for (const auto& [scope, acked] : trim) H().outbox_remove_through(scope, acked);
  }));
}

void schedule_checkpoint(int64_t delay_ms) {
  if (g.state.sandbox != Sandbox::off) return;
  if (g.checkpoint_timer) H().clear_timeout(g.checkpoint_timer);
  g.checkpoint_timer = H().set_timeout(delay_ms, guarded([] {
    g.checkpoint_timer = 0;
    checkpoint_then_trim();
  }));
}

std::string outbox_entry(const canvass::Session& s, const sync::Mutation& m) {
  json::Value e = json::Value::object();
  e.set("client_id", s.client_id());
  e.set("token", s.token());
  e.set("mutation", m.to_json());
  return json::dump(e);
}

void retry_failed_saves();

// Keeps the record's second copy durable: "saved" is said only once IndexedDB's strict write
// completed. A failed write (storage full: QuotaExceededError) never says it; the record stays in
// SQLite and in the session's outbox, and the write is retried with a growing delay.
void put_in_outbox(const sync::Mutation& m) {
  std::string id = m.id;
  if (g.state.sandbox != Sandbox::off) {  // held in memory only: "saved" means in this session
    g.session->mark_saved(id, true);
    refresh_sync_view();
    return;
  }
  int slot = g.slot;
  H().outbox_put(g.session->client_id(), m.seq, outbox_entry(*g.session, m), guarded([id, slot](bool ok) {
    if (!g.session || g.slot != slot) {  // not on screen now: only its flag
      if (auto* s = session_at(slot)) s->mark_saved(id, ok);
      return;
    }
    g.session->mark_saved(id, ok);
    if (ok) {
      g.save_failed.erase(id);
      if (g.save_failed.empty()) {
        g.save_failures = 0;
        if (g.state.sync.trouble == Trouble::storage_full) g.state.sync.trouble = Trouble::none;
      }
      g.state.flash = std::string("✓ ") + i18n::tr("saved_phone");
      g.state.flash_until = now_ms() + 2500;
      schedule_checkpoint(1500);
      schedule_push(0);
    } else {
      g.save_failed.insert(id);
      std::string why = H().outbox_error();
      g.state.sync.last_error = why.empty() ? "outbox write failed" : why;
      if (why == "QuotaExceededError") g.state.sync.trouble = Trouble::storage_full;
      else if (g.state.sync.trouble == Trouble::none) g.state.sync.trouble = Trouble::storage_full;
      g.state.flash.clear();
      if (!g.save_timer) {
        int64_t delay = std::min<int64_t>(60000, 2000ll << std::min(g.save_failures, 5));
        ++g.save_failures;
        g.save_timer = H().set_timeout(delay, guarded([] {
          g.save_timer = 0;
          retry_failed_saves();
        }));
      }
    }
    refresh_sync_view();
    changed();
  }));
}

void retry_failed_saves() {
  if (!g.session || g.save_failed.empty()) return;
  for (const auto& m : g.session->outbox())
    if (g.save_failed.count(m.id)) put_in_outbox(m);
}

// The durable copy of a stored turf's record (its outbox replayed at start-up, or renumbered).
// A push answered "conflict": the session moved its outbox to a new client id. Its durable copy
// follows (`put` writes one entry), and the old scope goes only once a checkpoint holds the new
// numbering. Shared by the turf on screen and the stored ones.
void move_outbox(const canvass::Session& s, const std::string& old_scope,
                 const std::function<void(const sync::Mutation&)>& put) {
  for (const auto& m : s.outbox()) put(m);
  H().checkpoint(guarded([old_scope](bool ok) {
    if (ok) H().outbox_clear(old_scope);
  }));
}

void put_stored(int slot, const sync::Mutation& m) {
  canvass::Session* s = session_at(slot);
  if (!s) return;
  std::string id = m.id;
  H().outbox_put(s->client_id(), m.seq, outbox_entry(*s, m), guarded([slot, id](bool ok) {
    if (auto* s2 = session_at(slot)) s2->mark_saved(id, ok);
    if (g.session && g.slot == slot) refresh_sync_view();
    changed();
  }));
}

void push_stored(int slot);

void schedule_stored_push(int slot, int64_t in_ms) {
  Stored* o = stored_at(slot);
  if (!o || g.state.sandbox != Sandbox::off) return;
  if (o->push_timer) H().clear_timeout(o->push_timer);
  o->push_timer = H().set_timeout(in_ms, guarded([slot] {
    if (Stored* s = stored_at(slot)) {
      s->push_timer = 0;
      push_stored(slot);
    }
  }));
}

// A stored turf's link ended (the server said so, or it expired offline): it goes as wipe() would
// take the turf on screen (its package, people, history, token and cached map; unsent records
// stay until sent), without touching the map, which shows another turf.
void end_stored(int slot) {
  Stored* o = stored_at(slot);
  if (!o) return;
  canvass::Session& s = *o->session;
  if (s.has_package()) H().drop_tile_cache(s.package().turf_id);
  if (auto st = s.wipe(); !st) {
    if (s.has_package())
      if (auto f = s.forget_package(); !f) g.state.sync.last_error = f.error().message;
    if (s.pending() > 0) schedule_stored_push(slot, 0);
  }
  schedule_checkpoint(0);
}

// A stored turf's records go to the server under its own link's token (never another's).
void push_stored(int slot) {
  Stored* o = stored_at(slot);
  if (!o || o->pushing || o->session->token().empty() || g.state.sandbox != Sandbox::off) return;
  canvass::Session& s = *o->session;
  std::string body = s.push_body(now_ms());
  if (body.empty()) {
    if (s.pending() > 0) schedule_stored_push(slot, std::max<int64_t>(1000, s.next_push_ms() - now_ms()));
    return;
  }
  o->pushing = true;
  std::string token = s.token();
  H().http("POST", "/api/v1/canvass/push", body, token, guarded([slot, token](const host::HttpReply& r) {
    Stored* o2 = stored_at(slot);
    if (!o2) return;  // on screen now: its own pushes resend (the server applies a mutation once)
    o2->pushing = false;
    canvass::Session& s2 = *o2->session;
    if (s2.token() != token) return;
    std::string old_scope = s2.client_id();
    auto out = s2.on_push_reply(r.status, r.body, now_ms());
    if (out.renumbered) move_outbox(s2, old_scope, [slot](const sync::Mutation& m) { put_stored(slot, m); });
    if (out.acked) schedule_checkpoint(500);
    if (out.wipe || (s2.link_ended() && s2.has_package())) end_stored(slot);
    else if (s2.pending() > 0) schedule_stored_push(slot, std::max<int64_t>(0, s2.next_push_ms() - now_ms()));
    publish_pending_all();
    changed();
  }));
}

// Every stored turf with something to send, now (`retry`: without waiting out its backoff).
void push_stored_all(bool retry) {
  std::vector<int> slots;
  for (const auto& o : g.others) slots.push_back(o.slot);
  for (int k : slots) {
    Stored* o = stored_at(k);
    if (!o || o->session->pending() == 0) continue;
    if (retry) o->session->retry_now();
    push_stored(k);
  }
}

// What the sync bar says after the server's answer (or its absence).
void note_reply(int status) {
  auto& sv = g.state.sync;
  sv.online = status != 0;
  Trouble t = status == 0                                        ? Trouble::offline
              : status == 401 || status == 403 || status == 410 ? Trouble::link_ended
              : status >= 200 && status < 300                  ? Trouble::none
                                                               : Trouble::server;
  if (t == Trouble::none) sv.last_sync_ms = now_ms();
  // Storage full outranks the network: it is the one the canvasser must act on.
  if (sv.trouble != Trouble::storage_full || g.save_failed.empty()) sv.trouble = t;
}

void push() {
  if (g.state.sandbox != Sandbox::off) return;
  if (!g.session || g.push_in_flight || g.session->token().empty()) return;
  std::string body = g.session->push_body(now_ms());
  if (body.empty()) {
    g.state.sync.sending = false;
    if (g.session->pending() > 0) schedule_push(std::max<int64_t>(1000, g.session->next_push_ms() - now_ms()));
    return;
  }
  g.push_in_flight = true;
  g.state.sync.sending = true;
  changed();
  H().http("POST", "/api/v1/canvass/push", body, g.session->token(), guarded([token = g.session->token()](const host::HttpReply& r) {
    g.push_in_flight = false;
    g.state.sync.sending = false;
    if (!g.session || g.session->token() != token) return;  // that turf was finished meanwhile
    std::string old_scope = g.session->client_id();
    auto out = g.session->on_push_reply(r.status, r.body, now_ms());
    note_reply(r.status);
    g.state.sync.last_error = out.message;
    if (out.renumbered) move_outbox(*g.session, old_scope, [](const sync::Mutation& m) { put_in_outbox(m); });
    if (out.acked) schedule_checkpoint(500);
    if (out.wipe) {
      wipe();
    } else if (g.session->pending() > 0) {
      schedule_push(std::max<int64_t>(0, g.session->next_push_ms() - now_ms()));
    } else if (out.acked && now_ms() - g.last_pull > 5000) {
      pull();
    }
    refresh_sync_view();
    changed();
  }));
}

void schedule_push(int64_t in_ms) {
  if (g.state.sandbox != Sandbox::off) return;
  if (g.push_timer) H().clear_timeout(g.push_timer);
  g.push_timer = H().set_timeout(in_ms, guarded([] {
    g.push_timer = 0;
    push();
  }));
}

void update_map_statuses() {
  if (!g.session || !g.session->has_package()) return;
  const auto& doors = g.session->package().doors;
  for (size_t i = 0; i < doors.size(); ++i)
    H().map_set_door_status(static_cast<int>(i), g.session->door_status(static_cast<int>(i)));
}

void pull() {
  if (g.state.sandbox != Sandbox::off) return;
  if (!g.session || g.pull_in_flight || g.session->token().empty() || !g.session->has_package()) return;
  g.pull_in_flight = true;
  g.last_pull = now_ms();
  H().http("POST", "/api/v1/canvass/pull", g.session->pull_body(), g.session->token(), guarded([token = g.session->token()](const host::HttpReply& r) {
    g.pull_in_flight = false;
    if (!g.session || g.session->token() != token) return;
    note_reply(r.status);
    auto more = g.session->on_pull_reply(r.status, r.body, now_ms());
    if (g.session->wipe_requested() && g.session->pending() == 0) {  // 401 revoked/expired
      wipe();
      return;
    }
    if (more) {
      update_map_statuses();
      schedule_checkpoint(2000);
      if (*more) pull();
    }
    if (g.session->package_outdated()) refresh_package();
    changed();
  }));
}

// Start-up, once the turf on screen is drawn: one pull per stored turf not on screen, so that a
// link that ended with nothing left to send goes now (as end_stored() takes it), not only when it
// is next opened. One with records waiting learns it from its push; one without a package (its
// first download never came) is left to its next opening. The dialog's turf is never taken.
void check_stored_links() {
  if (g.state.sandbox != Sandbox::off) return;
  std::vector<int> slots;
  for (const auto& o : g.others)
    if (g.state.phase != Phase::choose_link || o.slot != g.state.other_turf.slot) slots.push_back(o.slot);
  for (int k : slots) {
    Stored* o = stored_at(k);
    if (!o || o->session->token().empty() || !o->session->has_package()) continue;
    std::string token = o->session->token();
    H().http("POST", "/api/v1/canvass/pull", o->session->pull_body(), token, guarded([k, token](const host::HttpReply& r) {
      Stored* o2 = stored_at(k);
      if (!o2 || o2->session->token() != token) return;  // on screen or finished meanwhile
      canvass::Session& s = *o2->session;
      auto more = s.on_pull_reply(r.status, r.body, now_ms());
      if (s.wipe_requested() && s.pending() == 0) {  // 401 with "wipe": true
        end_stored(k);
        publish_pending_all();
      } else if (more) {
        schedule_checkpoint(2000);
      }
      changed();
    }));
  }
}

// Offline past the link's end plus the server's grace: the turf leaves the phone as the server
// would have said (unsent records stay until sent). True when it did.
bool end_if_expired() {
  if (g.state.sandbox != Sandbox::off || !g.session || !g.session->ended_offline(now_ms(), kLinkGraceMs)) return false;
  wipe();
  return true;
}

void pull_timer_tick() {
  g.pull_timer = H().set_timeout(kPullEveryMs, guarded([] { pull_timer_tick(); }));
  std::vector<int> slots;
  for (const auto& o : g.others) slots.push_back(o.slot);
  for (int k : slots)
    if (Stored* o = stored_at(k); o && o->session->ended_offline(now_ms(), kLinkGraceMs)) end_stored(k);
  if (H().page_visible() && g.state.sync.online) push_stored_all(false);
  if (end_if_expired()) return;
  if (H().page_visible() && g.state.sync.online) {
    pull();
    if (g.session && g.session->pending() > 0) push();
  }
}

// The walk line in the session's visit order (which "come back later" changes), with the next
// door to knock ringed.
void map_later(std::function<void()> fn) {
  if (g.map_deferred) g.map_work.push_back(std::move(fn));
  else fn();
}

void show_route() {
  if (g.map_deferred) {
    g.route_due = true;  // drawn once, at the flush, for the state then
    return;
  }
  if (!g.session || !g.session->has_package()) return;
  const auto& doors = g.session->package().doors;
  std::vector<host::LatLon> line;
  for (int i : g.session->visit_order()) line.push_back({doors[static_cast<size_t>(i)].lat, doors[static_cast<size_t>(i)].lon});
  int next = g.session->next_door(g.state.selected);
  if (next < 0) next = g.session->next_door(-1);
  H().map_set_route(line, next);
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
// one-tile margin, handed to the service worker (which keeps them under the package's cap). A
// sandbox session draws tiles but caches nothing.
void show_base_map(const canvass::Package& pkg) {
  if (pkg.map.tiles.empty()) return;
  H().map_set_tiles(pkg.map.tiles, pkg.map.attribution);
  if (g.state.sandbox != Sandbox::off) return;
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
  H().cache_tiles(pkg.turf_id, urls, pkg.map.cache_max_bytes > 0 ? pkg.map.cache_max_bytes : 20ll << 20);
}

// The map, one task a step so that no step holds a cheap phone's main thread for long (each was
// 75-220 ms at 4x CPU): 0 the doors and the turf (map_show), 1 footprints, 2 street sides and the
// walk line, 3 the base map (after map_show's fit: no tiles are asked for the page's default view).
void show_package_details(int step) {
  g.map_timer = 0;
  if (!g.session || !g.session->has_package()) return;  // wiped in between
  const auto& pkg = g.session->package();
  if (step == 0) {
    // The doors as they are now (records made since the walk list appeared included), and the
    // door selected in the meantime.
    std::vector<host::LatLon> pts;
    std::vector<uint8_t> st;
    std::vector<std::string> labels;
    for (size_t i = 0; i < pkg.doors.size(); ++i) {
      const auto& d = pkg.doors[i];
      pts.push_back({d.lat, d.lon});
      st.push_back(g.session->door_status(static_cast<int>(i)));
      labels.push_back(std::to_string(d.order) + ". " + d.address + (d.unit.empty() ? "" : " #" + d.unit));
    }
    H().map_show(pkg.turf_polygon, pts, st, labels);
    if (g.state.selected >= 0) H().map_select_door(g.state.selected, false);
    H().publish_stat("doors", static_cast<double>(pkg.doors.size()));  // on the map
  } else if (step == 1) {
    H().map_set_buildings(pkg.buildings.empty() ? "" : buildings_geojson(pkg));
  } else if (step == 2) {
    std::vector<std::string> sides;  // street side per door: the side being walked is drawn solid
    for (const auto& d : pkg.doors) {
      const walk::Door w = walk::door_from_address(geo::fix_of(d.lat, d.lon), d.building_id, d.address, d.unit);
      const size_t digits = w.number.find_first_not_of("0123456789");
      const std::string num = w.number.substr(0, digits);
      sides.push_back(num.empty() || w.street.empty() ? "" : w.street + "|" + std::to_string((num.back() - '0') % 2));
    }
    H().map_set_door_sides(sides);
    show_route();
  } else {
    show_base_map(pkg);
    return;
  }
  g.map_timer = H().set_timeout(0, guarded([step] { show_package_details(step + 1); }));
}

// The walk list now; the map once the list has been drawn, a step per task (the doors, their
// footprints, street sides and the walk line, the base map), so that the first screen waits for
// none of it and no single step holds a phone's main thread for long (issue 15).
void show_package() {
  const auto& pkg = g.session->package();
  if (g.map_timer) H().clear_timeout(g.map_timer);
  g.map_timer = H().after_frame(guarded([] { show_package_details(0); }));
  H().publish_stat("list_doors", static_cast<double>(pkg.doors.size()));  // in the walk list
  // Skipped doors are the session's (kept in the turf's file), here for the walk list.
  g.state.skipped.assign(pkg.doors.size(), false);
  for (size_t i = 0; i < pkg.doors.size(); ++i) g.state.skipped[i] = g.session->skipped(static_cast<int>(i));
  // Until the canvasser picks one, the app follows the phone's languages among the campaign's.
  if (!g.language_chosen) {
    std::string l = canvass::walk_list::pick_language(H().phone_languages(), offered_languages(pkg), i18n::language());
    apply_language(l);
  } else {
    apply_language(i18n::language());  // the package's own text joins the font atlas
  }
  g.state.phase = Phase::ready;
  if (g.state.canvasser.empty() && !g.name_asked) ask_name();
  changed();
}

// The package download. At the first open (nothing stored yet) a failure is retried with a
// growing delay (2 s, 4 s, ... a minute at most) and at once when the network returns; the start
// screen says why it waits (offline, server trouble) instead of "Loading" for ever.
void fetch_package() {
  if (!g.session || g.fetch_in_flight) return;
  if (g.load_timer) H().clear_timeout(g.load_timer);
  g.load_timer = 0;
  g.fetch_in_flight = true;
  H().http("GET", "/api/v1/canvass/package", "", g.session->token(), guarded([token = g.session->token()](const host::HttpReply& r) {
    g.fetch_in_flight = false;
    if (!g.session || g.session->token() != token) return;  // another link's package: never stored here
    note_reply(r.status);
    if (r.status == 200) {
      if (auto st = g.session->set_package(r.body); st) {
        g.state.load_failures = 0;
        schedule_checkpoint(0);
        // Parsing and storing the package was this task's work; drawing it is the next one's.
        H().set_timeout(0, guarded([] {
          if (!g.session || !g.session->has_package()) return;
          show_package();
          schedule_push(0);
        }));
        return;
      } else {
        g.state.sync.last_error = st.error().message;
        g.state.sync.trouble = Trouble::server;
      }
    } else if (r.status == 401 || r.status == 403 || r.status == 410) {
      // Ended link: remembered, so the turf goes as soon as the outbox is empty (server contract:
      // 401 with "wipe": true); with nothing waiting it goes now.
      (void)g.session->on_link_reply(r.status, r.body);
      if (g.session->pending() == 0) {
        wipe();  // nothing personal stays on the phone
        return;
      }
    }
    // Offline or server trouble: what we have (already drawn if it came from the phone's storage).
    if (g.session->has_package() && g.state.phase != Phase::ready) show_package();
    if (!g.session->has_package() && g.state.phase == Phase::loading && g.state.sync.trouble != Trouble::link_ended) {
      int n = ++g.state.load_failures;
      int64_t delay = std::min<int64_t>(60000, 2000ll << std::min(n - 1, 5));
      g.load_timer = H().set_timeout(delay, guarded([] {
        g.load_timer = 0;
        fetch_package();
      }));
    }
    changed();
  }));
}

// A door is mid-entry while its draft holds anything (a result, answers, notes, a sign-up) or a
// correction is open: a new package waits until then (its survey could differ under the entry).
bool mid_entry() {
  const Draft& d = g.state.draft;
  return !d.result.empty() || !d.answers.empty() || !d.notes.empty() || !d.signup.empty() || !g.state.amending.empty();
}

// Applies a package fetched by refresh_package() when no door is mid-entry (else it waits for
// the next door): the outbox and every local record stay (Session::set_package), and what the
// canvasser had selected follows its door by id when the door is still in the turf (skips are
// kept by door id in the session: show_package() reads them again).
void apply_fresh_package() {
  if (g.fresh_package.empty() || !g.session || !g.session->has_package() || mid_entry()) return;
  const auto& old = g.session->package().doors;
  auto id_of = [&old](int i) { return i >= 0 && static_cast<size_t>(i) < old.size() ? old[i].id : std::string(); };
  std::string selected = id_of(g.state.selected), recorded = id_of(g.state.recorded_door);
  std::string body = std::move(g.fresh_package);
  g.fresh_package.clear();
  if (auto st = g.session->set_package(body); !st) {
    g.state.sync.last_error = st.error().message;  // the package in use stays
    changed();
    return;
  }
  const auto& doors = g.session->package().doors;
  auto index_of = [&doors](const std::string& id) {
    for (size_t i = 0; i < doors.size(); ++i)
      if (!id.empty() && doors[i].id == id) return static_cast<int>(i);
    return -1;
  };
  g.state.selected = index_of(selected);
  g.state.recorded_door = index_of(recorded);
  if (g.state.selected < 0 && g.state.tab == Tab::door) g.state.tab = Tab::doors;  // its door left the turf
  schedule_checkpoint(0);
  show_package();
  if (g.state.selected >= 0) H().map_select_door(g.state.selected, false);
  H().publish_stat("package_refreshed", 1);
  changed();
}

// The organizer changed the package (survey, doors, Help): download it in the background; the
// turf in use stays until apply_fresh_package() swaps it between doors. A failure leaves the flag
// set, so the next pull tries again.
void refresh_package() {
  if (!g.session || g.refresh_in_flight || g.fetch_in_flight || !g.fresh_package.empty()) return;
  g.refresh_in_flight = true;
  H().http("GET", "/api/v1/canvass/package", "", g.session->token(), guarded([token = g.session->token()](const host::HttpReply& r) {
    g.refresh_in_flight = false;
    if (!g.session || g.session->token() != token) return;
    note_reply(r.status);
    if (r.status == 200) {
      g.fresh_package = r.body;
      apply_fresh_package();
    } else {
      (void)g.session->on_link_reply(r.status, r.body);  // an ended link: wiped once the outbox is empty
    }
    changed();
  }));
}

void open_session(int slot, store::Db db);

// On mobile data the first download waits for the canvasser, who sees its size first (a HEAD
// of the package: the server answers it as the GET, without the body). No size (offline, an old
// server): the download goes ahead as on Wi-Fi.
void ask_before_download() {
  H().http("HEAD", "/api/v1/canvass/package", "", g.session->token(), guarded([token = g.session->token()](const host::HttpReply& r) {
    if (!g.session || g.session->token() != token) return;
    if (r.status == 200 && r.content_length > 0) {
      g.state.package_bytes = r.content_length;
      g.state.confirm_download = true;
      changed();
      return;
    }
    fetch_package();
  }));
}

void open_db(int slot);
void slot_opened();
void migrate_slot(int slot, std::shared_ptr<store::Db> db);

void on_storage_ready(bool ok, bool writer) {
  if (!ok || !writer) {
    g.state.phase = ok ? Phase::other_tab : Phase::storage_error;
    changed();
    return;
  }
  // Every turf kept here opens (slot 0 always: a first visit creates it), one task each; then
  // the link in the URL, or the turf used last, decides which one is on screen (decide()).
  std::vector<int> slots;
  for (int k = 0; k < kMaxTurfs; ++k)
    if (k == 0 || file_exists(slot_path(k))) slots.push_back(k);
  g.opening = static_cast<int>(slots.size());
  open_db(0);
  for (size_t i = 1; i < slots.size(); ++i) H().set_timeout(0, guarded([k = slots[i]] { open_db(k); }));
}

// Opens one turf's file. Never overwrites a database it cannot read: slot 0 says so (the outbox
// still holds the records); another slot is left as it is and skipped.
void open_db(int slot) {
  auto db = store::Db::open(slot_path(slot), kTurfFile);
  if (!db) {
    g.state.sync.last_error = db.error().message;
    if (slot == 0) {
      g.state.phase = Phase::storage_error;
      changed();
      return;
    }
    slot_opened();
    return;
  }
  // Deleted rows are zeroed, not left in free pages: after a wipe no name stays in the file.
  if (auto st = db->exec("PRAGMA secure_delete=ON"); !st) g.state.sync.last_error = st.error().message;
  // Opening the file was this task's work; each migration a first visit applies is a task of its
  // own (each was 60-120 ms at 4x CPU, 480 ms together), and the session's reads the last one's.
  auto held = std::make_shared<store::Db>(std::move(*db));
  H().set_timeout(0, guarded([held, slot] { migrate_slot(slot, held); }));
}

// A turf file that cannot be migrated or read: slot 0 says so (the outbox still holds the
// records); another slot is left as it is and skipped.
void slot_failed(int slot, const std::string& message) {
  g.state.sync.last_error = message;
  if (slot == 0) {
    g.state.phase = Phase::storage_error;
    changed();
    return;
  }
  slot_opened();
}

void migrate_slot(int slot, std::shared_ptr<store::Db> db) {
  auto step = canvass::migrate_client_step(*db);
  if (!step) return slot_failed(slot, step.error().message);
  if (*step) {
    H().set_timeout(0, guarded([db, slot] { migrate_slot(slot, db); }));
    return;
  }
  H().set_timeout(0, guarded([db, slot] { open_session(slot, std::move(*db)); }));
}

void open_session(int slot, store::Db db) {
  auto s = canvass::Session::open(std::move(db), now_ms());
  if (!s) return slot_failed(slot, s.error().message);
  Stored o;
  o.slot = slot;
  o.session = std::move(*s);
  std::string scope = o.session->client_id();
  g.others.push_back(std::move(o));
  // Records a lost checkpoint did not keep come back from the durable outbox.
  H().outbox_list(scope, guarded([slot](const std::string& json) {
    canvass::Session* s2 = session_at(slot);
    if (!s2) return;
    if (auto n = s2->replay_outbox(json, now_ms()); n && *n > 0) {
      for (const auto& m : s2->outbox()) put_stored(slot, m);  // re-recorded: new numbers
      schedule_checkpoint(0);
    }
    slot_opened();
  }));
}

// The turf in `slot` goes on screen; every other one keeps sending its records.
void activate(int slot) {
  auto it = std::find_if(g.others.begin(), g.others.end(), [slot](const Stored& o) { return o.slot == slot; });
  if (it == g.others.end()) return;
  if (it->push_timer) H().clear_timeout(it->push_timer);
  g.session = std::move(it->session);
  g.others.erase(it);
  g.slot = slot;
  g.state.session = g.session.get();
  // The bare page resumes the turf used last (kept in its own file, written by the next checkpoint).
  if (!g.session->token().empty()) (void)g.session->mark_used(now_ms());
  refresh_sync_view();
  push_stored_all(false);
  if (g.session->token().empty()) {
    g.state.phase = g.state.phase == Phase::ended ? Phase::ended : Phase::no_link;
    changed();
    return;
  }
  if (end_if_expired()) return;
  if (!g.session->has_package() && g.session->link_ended()) {
    // The turf went with its link; what was recorded still goes out.
    g.state.phase = Phase::ended;
    schedule_push(0);
  } else if (g.session->has_package()) {
    show_package();
    fetch_package();
  } else {
    g.state.phase = Phase::loading;
    if (H().on_mobile_data()) ask_before_download();
    else fetch_package();
  }
  changed();
}

// The slot a new link goes to: a file holding no turf, else a new file while fewer than
// kMaxTurfs are kept; -1 at the limit.
int free_slot() {
  int slot = -1;
  for (const auto& o : g.others)
    if (!in_use(*o.session) && (slot < 0 || o.slot < slot)) slot = o.slot;
  for (int k = 0; k < kMaxTurfs && slot < 0; ++k)
    if (!session_at(k) && !file_exists(slot_path(k))) slot = k;
  return slot;
}

// A new link's turf goes into a free slot and on screen (its token is stored before it leaves
// the address bar). False at the limit: nothing changes.
bool load_link(const std::string& token) {
  int slot = free_slot();
  if (slot < 0) return false;
  if (!stored_at(slot)) {
    auto db = store::Db::open(slot_path(slot), kTurfFile);
    if (db)
      if (auto st = db->exec("PRAGMA secure_delete=ON"); !st) g.state.sync.last_error = st.error().message;
    auto s = db ? canvass::Session::open(std::move(*db), now_ms()) : Result<std::unique_ptr<canvass::Session>>(db.error());
    if (!s) {
      g.state.phase = Phase::storage_error;
      g.state.sync.last_error = s.error().message;
      changed();
      return true;
    }
    Stored o;
    o.slot = slot;
    o.session = std::move(*s);
    g.others.push_back(std::move(o));
  }
  if (auto st = stored_at(slot)->session->set_token(token, now_ms()); !st) {
    g.state.phase = Phase::storage_error;
    g.state.sync.last_error = st.error().message;
    changed();
    return true;
  }
  // Only once the token is on disk may it leave the address bar: a reload before that would
  // otherwise lose the link.
  H().checkpoint(guarded([](bool stored) {
    if (stored) H().clear_link_from_url();
  }));
  activate(slot);
  return true;
}

// The stored turf used last (`unfinished`: only one that still has its doors and link), -1 if none.
int last_used_slot(bool unfinished) {
  int best = -1;
  int64_t at = -1;
  for (const auto& o : g.others) {
    const auto& s = *o.session;
    if (s.token().empty()) continue;
    if (unfinished && (!s.has_package() || s.link_ended())) continue;
    if (s.last_used_ms() > at || (s.last_used_ms() == at && o.slot < best)) {
      best = o.slot;
      at = s.last_used_ms();
    }
  }
  return best;
}

// Every slot is open: which turf goes on screen. The URL's link when it is a stored one's; a new
// link loads at once unless another turf is unfinished here (then the canvasser chooses); the
// bare page resumes the turf used last.
void decide() {
  std::string token = H().take_link_token();
  for (const auto& o : g.others)
    if (!token.empty() && o.session->token() == token) {
      int k = o.slot;
      H().clear_link_from_url();  // stored already
      activate(k);
      return;
    }
  if (token.empty()) {
    int last = last_used_slot(false);
    if (last < 0)
      for (const auto& o : g.others)
        if (last < 0 || o.slot < last) last = o.slot;
    activate(last);
    return;
  }
  int other = last_used_slot(true);
  if (other < 0 && load_link(token)) return;
  // A second link: nothing is shown until the canvasser picks; the stored turfs keep sending.
  g.waiting_link = token;
  g.state.other_turf = StoredTurf{};
  g.state.other_turf.slot = other >= 0 ? other : last_used_slot(false);
  g.state.turf_limit = other < 0;  // only records-only turfs fill the phone: none can be finished now
  g.state.phase = Phase::choose_link;
  push_stored_all(false);
  refresh_sync_view();
  changed();
}

void slot_opened() {
  if (--g.opening == 0 && g.state.phase != Phase::storage_error) {
    decide();
    if (!g.others.empty()) H().set_timeout(1000, guarded([] { check_stored_links(); }));
  }
}

// A correction of one of this phone's records (the door's history): the result picked now, and
// for "talked" the survey and notes of the draft (which started from the record's own).
void amend_now(const std::string& result) {
  auto& st = g.state;
  canvass::AmendInput in;
  in.attempt_id = st.amending;
  in.result = result;
  in.notes = st.draft.notes;
  if (result == "talked") in.answers = st.draft.answers;
  auto m = g.session->amend_attempt(in, now_ms());
  st.amending.clear();
  st.draft = Draft{};
  if (!m) {
    st.sync.last_error = m.error().message;
    changed();
    return;
  }
  put_in_outbox(*m);
  H().publish_stat("amended", ++g.amended);
  H().map_set_door_status(st.selected, g.session->door_status(st.selected));
  show_route();
  st.recorded_door = st.selected;
  st.flash = i18n::tr("saving");
  st.flash_until = now_ms() + 2500;
  refresh_sync_view();
  changed();
}

void record_now(const std::string& result) {
  if (!g.session || g.state.selected < 0) return;
  if (!g.state.amending.empty()) {
    amend_now(result);
    return;
  }
  canvass::AttemptInput in;
  in.door = g.state.selected;
  in.result = result;
  in.person_id = g.state.draft.person_id;
  in.notes = g.state.draft.notes;
  in.canvasser = g.state.canvasser;
  if (result == "talked") in.answers = g.state.draft.answers;
  if (g.position && now_ms() - g.position_at < 120000) {
    in.lat = g.position->lat;
    in.lon = g.position->lon;
    in.accuracy_m = g.position->accuracy_m;
  }
  auto m = g.session->record(in, now_ms());
  if (!m) {
    g.state.sync.last_error = m.error().message;
    changed();
    return;
  }
  put_in_outbox(*m);
  H().publish_stat("recorded", ++g.recorded);
  // A result lifts a skip (the session forgot it too).
  if (static_cast<size_t>(in.door) < g.state.skipped.size()) g.state.skipped[in.door] = false;
  // Undo for 10 s; one timer takes the button away (one frame, not a countdown: battery).
  g.state.undo_attempt = m->id;
  g.state.undo_until = now_ms() + 10000;
  if (g.undo_timer) H().clear_timeout(g.undo_timer);
  g.undo_timer = H().set_timeout(10000, guarded([] {
    g.undo_timer = 0;
    g.state.undo_attempt.clear();
    changed();
  }));
  map_later([door = g.state.selected] {
    if (g.session && g.session->has_package()) H().map_set_door_status(door, g.session->door_status(door));
  });
  show_route();  // "come back later" moves the door; any record moves the next one
  // The first record without a position asks for it (after the page's one-line reason); the
  // record above never waits for the answer, and a refusal changes nothing.
  if (!g.asked_position && !in.lat) {
    g.asked_position = true;
    H().locate(guarded([](const host::Position& p) {
      if (p.ok) {
        g.position = p;
        g.position_at = now_ms();
      }
    }));
  }
  g.state.draft = Draft{};
  g.state.recorded_door = g.state.selected;
  // "Saving": the durable write is under way; "Saved on phone" replaces it once it completed.
  g.state.flash = i18n::tr("saving");
  g.state.flash_until = now_ms() + 2500;
  refresh_sync_view();
  changed();
}

}  // namespace

State& state() { return g.host ? g.state : g_idle_state; }

void defer_map_work() { g.map_deferred = true; }
void flush_map_work() {
  if (!g.map_deferred) return;
  g.map_deferred = false;
  auto work = std::move(g.map_work);
  g.map_work.clear();
  for (auto& fn : work) fn();
  if (g.route_due) {
    g.route_due = false;
    show_route();
  }
}

void note_item(const char* key) {
  ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  if (g.host) H().publish_item(key, a.x, a.y, b.x - a.x, b.y - a.y);
}
int64_t now_ms() { return g.host ? H().now_ms() : 0; }

void select_door(int index, bool from_map) {
  if (!g.session || !g.session->has_package()) return;
  if (index < 0 || index >= static_cast<int>(g.session->package().doors.size())) return;
  if (index != g.state.selected && !g.fresh_package.empty()) {
    // Between doors: a waiting package comes in now (the entry at the door being left is dropped,
    // as any door change drops it), and the door asked for is found again by id.
    std::string id = g.session->package().doors[index].id;
    g.state.draft = Draft{};
    g.state.amending.clear();
    apply_fresh_package();
    index = -1;
    const auto& doors = g.session->package().doors;
    for (size_t i = 0; i < doors.size(); ++i)
      if (doors[i].id == id) index = static_cast<int>(i);
    if (index < 0) return;  // that door left the turf
    g.state.selected = -1;  // selected afresh below (draft, language)
  }
  if (index != g.state.selected) {
    g.state.draft = Draft{};
    g.state.amending.clear();  // a correction belongs to its door
    g.state.door_lang = canvass::walk_list::door_language(g.session->package(), index);
  }
  g.state.selected = index;
  g.state.tab = Tab::door;
  g.state.scroll_to_selected = !from_map;
  map_later([index, from_map] { H().map_select_door(index, !from_map); });
  H().publish_stat("selected", index);
  // A fresh position for this door, read once now so the record tap never waits for GPS; quietly:
  // the permission is asked at the first record (or the map's "where am I"), not on a selection.
  if (now_ms() - g.position_at > 60000) {
    map_later([] {
      H().locate_quietly(guarded([](const host::Position& p) {
        if (p.ok) {
          g.position = p;
          g.position_at = now_ms();
        }
      }));
    });
  }
  show_route();
  changed();
}

namespace {
// Recording advances to the next door (the status line keeps saying which door was recorded).
void advance_from(int door) {
  if (!g.session || g.state.selected != door) return;
  int i = -1;
  // The next door to knock, skipped ones last.
  for (int from : {door, -1}) {
    int k = from;
    for (size_t n = 0; n <= g.state.skipped.size(); ++n) {
      k = g.session->next_door(k);
      if (k < 0) break;
      if (k != door && (static_cast<size_t>(k) >= g.state.skipped.size() || !g.state.skipped[k])) {
        i = k;
        break;
      }
    }
    if (i >= 0) break;
  }
  if (i < 0)
    for (int k : g.session->visit_order())
      if (k != door && g.session->door_status(k) == 0) {
        i = k;
        break;
      }
  if (i >= 0) select_door(i, false);
}
}  // namespace

void record(const std::string& result) {
  int door = g.state.selected;
  bool correcting = !g.state.amending.empty();  // a correction stays at its door
  record_now(result);
  if (!correcting) advance_from(door);
}
void save_draft() {
  if (!g.state.amending.empty()) {  // a correction: the attempt only (a sign-up is its own record)
    if (g.session) amend_now("talked");
    return;
  }
  canvass::SignupInput signup = g.state.draft.signup;  // record_now clears the draft
  int door = g.state.selected;
  std::string person = g.state.draft.person_id;
  record_now("talked");
  if (!g.session) return;
  if (signup.empty()) {
    advance_from(door);
    return;
  }
  signup.door = door;
  signup.person_id = person;
  auto m = g.session->record_signup(signup, now_ms());
  if (!m) {
    g.state.sync.last_error = m.error().message;
  } else {
    put_in_outbox(*m);
    H().publish_stat("signups", ++g.signups);
  }
  refresh_sync_view();
  advance_from(door);
  changed();
}

void add_resident() {
  if (!g.session || g.state.selected < 0) return;
  int door = g.state.selected;
  std::string text = g.state.draft.new_resident;
  size_t b = text.find_first_not_of(' '), e = text.find_last_not_of(' ');
  text = b == std::string::npos ? "" : text.substr(b, e - b + 1);
  if (text.empty()) return;
  g.state.draft.new_resident.clear();
  {
    std::string name = text.substr(0, 200);
    size_t sp = name.find_last_of(' ');
    std::string first = sp == std::string::npos ? name : name.substr(0, sp);
    std::string last = sp == std::string::npos ? "" : name.substr(sp + 1);
    auto m = g.session->add_person(door, first, last, "", now_ms());
    if (!m) {
      g.state.sync.last_error = m.error().message;
    } else {
      put_in_outbox(*m);
      if (g.state.selected == door) g.state.draft.person_id = m->payload.find("person")->as_string();
    }
    refresh_sync_view();
    changed();
  }
}

void set_signup(const std::string& field, const std::string& text) {
  auto& s = g.state.draft.signup;
  std::string* target = field == "name" ? &s.name : field == "phone" ? &s.phone : &s.email;
  *target = cut_utf8(text, 200);
  changed();
}

void next_door() {
  if (!g.session || !g.session->has_package()) return;
  if (g.state.selected < 0) {
    int i = g.session->next_door(-1);
    while (i >= 0 && static_cast<size_t>(i) < g.state.skipped.size() && g.state.skipped[i]) i = g.session->next_door(i);
    if (i < 0) i = g.session->next_door(-1);
    if (i >= 0) select_door(i, false);
    return;
  }
  advance_from(g.state.selected);
}

void skip_door() {
  int door = g.state.selected;
  if (!g.session || door < 0 || static_cast<size_t>(door) >= g.state.skipped.size()) return;
  if (auto st = g.session->set_skipped(door, true); !st) g.state.sync.last_error = st.error().message;
  g.state.skipped[door] = true;
  schedule_checkpoint(2000);
  advance_from(door);
  changed();
}

void leave_unsafe() {
  int door = g.state.selected;
  if (!g.session || door < 0) return;
  const std::string door_id = g.session->package().doors[door].id;
  const std::string safety_before = g.session->package().doors[door].safety;
  const bool skipped_before = g.session->skipped(door);
  // In English for the organizer, whatever the app's language.
  auto m = g.session->mark_unsafe(door, "Canvasser left: felt unsafe", now_ms());
  if (!m) {
    g.state.sync.last_error = m.error().message;
    changed();
    return;
  }
  put_in_outbox(*m);
  g.state.draft.notes = "Left: felt unsafe";
  const std::string undo_before = g.state.undo_attempt;
  record_now("inaccessible");
  if (!g.session) return;
  if (g.state.undo_attempt != undo_before) g.unsafe_undo = {g.state.undo_attempt, door_id, safety_before, skipped_before};
  if (auto st = g.session->set_skipped(door, true); !st) g.state.sync.last_error = st.error().message;
  if (static_cast<size_t>(door) < g.state.skipped.size()) g.state.skipped[door] = true;
  advance_from(door);
  changed();
}

void set_door_language(const std::string& code) {
  g.state.door_lang = code;
  changed();
}

void pick_resident(const std::string& person_id) {
  g.state.draft.person_id = person_id;
  if (!g.session || g.state.selected < 0) return;
  const auto& pkg = g.session->package();
  int pi = -1;
  for (size_t i = 0; i < pkg.people.size(); ++i)
    if (pkg.people[i].id == person_id) pi = static_cast<int>(i);
  if (pi >= 0)
    if (auto l = canvass::walk_list::door_language(pkg, g.state.selected, pi); !l.empty()) set_door_language(l);
  changed();
}

void set_search(const std::string& text) {
  g.state.search = cut_utf8(text, 100);
  changed();
}

void clear_search() {
  g.state.search.clear();
  changed();
}

void open_help(bool open) {
  g.state.help_open = open;
  changed();
}

void open_practice(bool on) {
  if (g.host) H().open_practice(on);
}

void download_package() {
  if (!g.session || !g.state.confirm_download) return;
  g.state.confirm_download = false;
  fetch_package();
  changed();
}

void need_door_font() {
  if (g.host && !g.state.cjk_font && !g.font_loading && i18n::language_needs_cjk(g.state.door_lang))
    apply_language(i18n::language());
}

void call_organizer() {
  if (g.session && g.session->has_package() && !g.session->package().help.organizer_phone.empty())
    H().call_phone(g.session->package().help.organizer_phone);
}

std::string with_name(const std::string& text) {
  const std::string& name = state().canvasser;
  if (name.empty()) return text;
  std::string out = text;
  for (size_t at = out.find("___"); at != std::string::npos; at = out.find("___", at + name.size()))
    out.replace(at, 3, name);
  return out;
}

void set_language(const std::string& code) {
  if (!g.host) return;
  g.language_chosen = true;
  H().save_setting("language", code);  // chosen once, remembered on this device
  apply_language(code);
}

namespace {
// Each letter of `text` beyond ASCII once, in code order (one UTF-8 sequence each).
std::string letters_beyond_ascii(const std::string& text) {
  std::set<std::string> seen;
  for (size_t i = 0; i < text.size();) {
    size_t n = 1;
    while (i + n < text.size() && (static_cast<unsigned char>(text[i + n]) & 0xC0) == 0x80) ++n;
    if (static_cast<unsigned char>(text[i]) >= 0x80) seen.insert(text.substr(i, n));
    i += n;
  }
  std::string out;
  for (const auto& l : seen) out += l;
  return out;
}

void apply_language(const std::string& code) {
  i18n::set_language(code);
  // English words until the Korean/Chinese font is here (else every glyph draws as "?").
  i18n::set_glyphs_pending(i18n::language_needs_cjk(i18n::language()) && !g.state.cjk_font);
  H().set_lang(i18n::language());
  H().set_location_reason(i18n::tr("location_reason"));
  std::string sample = i18n::all_text(i18n::language()) + g.state.canvasser + g.state.search + g.typed_letters;
  bool cjk = i18n::language_needs_cjk(i18n::language());
  for (const auto& l : i18n::languages()) sample += l.native;
  if (g.session && g.session->has_package()) {
    // Every language of the package: a door's script opens in its resident's language.
    const auto& pkg = g.session->package();
    for (auto& [lang, secs] : pkg.script)
      for (auto& s : secs) sample += s.title + s.text;
    for (auto& q : pkg.survey) {
      for (auto& [lang, l] : q.labels) sample += l;
      for (auto& c : q.choices)
        for (auto& [lang, l2] : c.labels) sample += l2;
    }
    for (auto& p : pkg.people) sample += p.first_name + p.last_name + p.safety;
    sample += pkg.campaign_name + pkg.turf_name;
    for (auto& d : pkg.doors) {
      sample += d.address + d.unit + d.safety;
      for (auto& a : d.history) sample += a.canvasser;
    }
    const auto& h = pkg.help;
    sample += h.organizer_name + h.organizer_phone + h.meeting_place + h.shift_end;
    for (auto& [lang, entries] : h.faq)
      for (auto& e : entries) sample += e.q + e.a;
    cjk = cjk || i18n::language_needs_cjk(g.state.door_lang);
  }
  if (cjk && !g.state.cjk_font && !g.font_loading) {
    // Fetched once, when a language or a door's resident needs it (tests wait for it to settle).
    g.font_loading = true;
    H().publish_stat("font_loading", 1);
    H().load_cjk_font(guarded([](bool ok) {
      g.font_loading = false;
      g.state.cjk_font = ok;
      H().publish_stat("font_loading", 0);
      if (ok) apply_language(i18n::language());
    }));
  }
  if (!(g.session && g.session->has_package())) {
    sample += g.atlas_letters;  // until the stored turf's package is shown
  } else if (g.state.sandbox == Sandbox::off) {  // practice and preview leave the turf's letters be
    std::string letters = letters_beyond_ascii(sample);
    if (letters != g.atlas_letters) {
      g.atlas_letters = std::move(letters);
      H().save_setting("atlas_letters", g.atlas_letters);
    }
  }
  H().set_fonts(sample, g.state.cjk_font, text_px());
  changed();
}
}  // namespace

void set_notes(const std::string& text) {
  g.state.draft.notes = cut_utf8(text, 2000);
  changed();
}

void set_answer(const std::string& qid, const std::string& text) {
  if (text.empty()) g.state.draft.answers.erase(qid);
  else g.state.draft.answers[qid] = json::Value(cut_utf8(text, 2000));
  changed();
}

void want_letters(const std::string& text) {
  if (!g.host) return;
  std::string all = letters_beyond_ascii(g.typed_letters + text);  // each letter once
  if (all == g.typed_letters) return;
  g.typed_letters = std::move(all);
  apply_language(i18n::language());
}

void set_canvasser(const std::string& name) {
  if (!g.host) return;
  // One line, trimmed, at most 100 bytes (cut on a character boundary).
  std::string n = name.substr(0, name.find_first_of("\r\n"));
  size_t b = n.find_first_not_of(" \t"), e = n.find_last_not_of(" \t");
  n = b == std::string::npos ? "" : n.substr(b, e - b + 1);
  n = cut_utf8(n, 100);
  if (n == g.state.canvasser) return;
  g.state.canvasser = n;
  H().save_setting("canvasser", n);
  apply_language(i18n::language());  // its letters join the font atlas
}

void ask_name() {
  if (!g.host || g.state.asking_name) return;
  g.name_asked = true;
  g.state.asking_name = true;
  g.state.name_draft = g.state.canvasser;
  changed();
}

void answer_name(bool ok) {
  if (!g.state.asking_name) return;
  g.state.asking_name = false;
  if (ok && g.state.name_draft.find_first_not_of(" \t\r\n") != std::string::npos) set_canvasser(g.state.name_draft);
  g.state.name_draft.clear();
  changed();
}

std::string cut_utf8(const std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut);
}

float text_px() {
  int i = std::clamp(state().text_size, 0, static_cast<int>(std::size(kTextSizes)) - 1);
  return kTextSizes[i];
}

void set_text_size(int step) {
  if (!g.host) return;
  g.state.text_size = std::clamp(step, 0, static_cast<int>(std::size(kTextSizes)) - 1);
  g.state.style_dirty = true;
  H().save_setting("text_size", std::to_string(g.state.text_size));
  apply_language(i18n::language());  // the font atlas at the new size
}

void set_high_contrast(bool on) {
  if (!g.host) return;
  g.state.high_contrast = on;
  g.state.style_dirty = true;
  H().save_setting("high_contrast", on ? "1" : "0");
  changed();
}

void toggle_map() {
  g.state.show_map = !g.state.show_map;
  H().map_set_visible(g.state.show_map);
  changed();
}

bool wipe() {
  if (!g.host) return false;
  // The map forgets the turf whatever happens below: outline, route and doors are personal too.
  H().map_clear();
  // The turf's cached base map goes with it: only its own while other turfs stay on the phone.
  bool alone = std::none_of(g.others.begin(), g.others.end(), [](const Stored& o) { return in_use(*o.session); });
  if (alone) H().drop_tile_caches();
  else if (g.session && g.session->has_package()) H().drop_tile_cache(g.session->package().turf_id);
  g.state.selected = -1;
  g.state.draft = Draft{};
  g.fresh_package.clear();  // a refreshed package waiting to apply goes with the turf
  g.atlas_letters.clear();  // the letters of its names and addresses too
  H().save_setting("atlas_letters", "");
  g.state.phase = Phase::ended;
  H().publish_stat("doors", 0);
  H().publish_stat("ended", 1);
  bool done = false;
  if (g.session) {
    // Session::wipe keeps the outbox while something is still unsent (the records must reach
    // the server); the package, people, history and token go.
    auto st = g.session->wipe();
    done = st.ok();
    if (!st && g.session->pending() > 0) {
      // Records still wait: the turf goes now (doors, people, history), the token and the outbox
      // stay until the server has them.
      if (auto f = g.session->forget_package(); !f) g.state.sync.last_error = f.error().message;
      g.state.undo_attempt.clear();
      schedule_push(0);
    } else if (!st) {
      g.state.sync.last_error = st.error().message;
    }
  }
  schedule_checkpoint(0);
  refresh_sync_view();
  changed();
  return done;
}

void on_network_change(bool online) {
  if (!g.host) return;
  g.state.sync.online = online;
  if (!online) g.state.sync.trouble = g.state.sync.trouble == Trouble::storage_full ? Trouble::storage_full : Trouble::offline;
  if (online) push_stored_all(true);
  if (online && g.session) {
    g.session->retry_now();
    schedule_push(0);
    if (g.state.phase == Phase::loading && !g.session->has_package() && !g.state.confirm_download) fetch_package();
  }
  changed();
}

bool can_undo() {
  return g.host && g.session && !g.state.undo_attempt.empty() && now_ms() < g.state.undo_until;
}

void undo_last() {
  if (!can_undo()) return;
  std::string id = g.state.undo_attempt;
  g.state.undo_attempt.clear();
  int door = -1;
  for (const auto* a : g.session->my_attempts())
    if (a->id == id) door = a->door;
  auto m = g.session->void_attempt(id, now_ms());
  if (!m) {
    g.state.sync.last_error = m.error().message;
    changed();
    return;
  }
  put_in_outbox(*m);
  H().publish_stat("undone", ++g.undone);
  // The undo of "leaving: unsafe": the phone's mark goes (the server's too: a door.set of the
  // note it had before, null for none) and the door's skip is as it was.
  if (door >= 0 && id == g.unsafe_undo.attempt && g.session->package().doors[door].id == g.unsafe_undo.door_id) {
    if (auto u = g.session->unmark_unsafe(door, g.unsafe_undo.safety, now_ms()); u) put_in_outbox(*u);
    else g.state.sync.last_error = u.error().message;
    if (auto st = g.session->set_skipped(door, g.unsafe_undo.was_skipped); !st) g.state.sync.last_error = st.error().message;
    if (static_cast<size_t>(door) < g.state.skipped.size()) g.state.skipped[door] = g.unsafe_undo.was_skipped;
    schedule_push(0);
  }
  g.unsafe_undo = {};
  if (door >= 0) {
    H().map_set_door_status(door, g.session->door_status(door));
    select_door(door, false);  // back to the door, to record it again
    g.state.recorded_door = door;
  }
  show_route();
  g.state.flash = i18n::tr("undone");
  g.state.flash_until = now_ms() + 2500;
  refresh_sync_view();
  changed();
}

void start_amend(const std::string& attempt_id) {
  if (!g.host || !g.session) return;
  for (const auto* a : g.session->my_attempts())
    if (a->id == attempt_id && !a->voided) {
      if (a->door != g.state.selected && a->door >= 0) select_door(a->door, false);
      g.state.amending = attempt_id;
      g.state.draft = Draft{};
      g.state.draft.person_id = a->person_id;
      g.state.draft.notes = a->notes;
      g.state.draft.answers = a->answers;
      changed();
      return;
    }
}

void cancel_amend() {
  g.state.amending.clear();
  g.state.draft = Draft{};
  changed();
}

void send_now() {
  if (!g.host || !g.session || g.state.sandbox != Sandbox::off) return;
  g.session->retry_now();
  retry_failed_saves();
  schedule_push(0);
  push_stored_all(true);
  if (g.session->pending() == 0) pull();
  changed();
}

void retry_load() {
  if (!g.host || !g.session || g.state.phase != Phase::loading) return;
  fetch_package();
  changed();
}

void open_summary(bool open) {
  g.state.summary_open = open;
  g.state.finish_refused = false;
  changed();
}

void on_hidden() {
  if (!g.host || g.state.sandbox != Sandbox::off) return;
  // Mobile browsers kill hidden tabs without warning: persist now.
  if (g.session) checkpoint_then_trim();
  // A new build (service worker) may take over only when nothing is waiting to be sent.
  bool all_sent = std::none_of(g.others.begin(), g.others.end(), [](const Stored& o) { return o.session->pending() > 0; });
  if (g.session && g.session->pending() == 0 && all_sent) H().offer_update();
}

std::vector<StoredTurf> stored_turfs() {
  std::vector<StoredTurf> out;
  if (!g.host) return out;
  auto add = [&out](int slot, const canvass::Session& s, bool active) {
    if (!in_use(s)) return;
    StoredTurf t;
    t.slot = slot;
    t.active = active;
    t.unsent = static_cast<int64_t>(s.pending());
    t.ended = s.link_ended();
    if (s.has_package()) {
      t.name = s.package().turf_name;
      t.doors_left = static_cast<int>(s.package().doors.size()) - s.doors_done();
    }
    out.push_back(std::move(t));
  };
  if (g.session) add(g.slot, *g.session, true);
  for (const auto& o : g.others) add(o.slot, *o.session, false);
  std::sort(out.begin(), out.end(), [](const StoredTurf& a, const StoredTurf& b) { return a.slot < b.slot; });
  return out;
}

void switch_turf(int slot) {
  if (!g.host || g.state.sandbox != Sandbox::off || (g.session && g.slot == slot)) return;
  Stored* o = stored_at(slot);
  if (!o || o->session->token().empty()) return;
  if (auto st = o->session->mark_used(now_ms()); !st) {
    g.state.sync.last_error = st.error().message;
    changed();
    return;
  }
  // The checkpoint holds this turf's records and which turf was used last; then the bare page
  // resumes that one (nothing of this turf stays in memory or on the map).
  H().publish_stat("switching", 1);
  H().checkpoint(guarded([](bool ok) {
    if (ok) {
      H().reload_bare_page();
      return;
    }
    g.state.sync.last_error = "could not save the phone's storage; try again";
    H().publish_stat("switching", 0);
    changed();
  }));
}

void finish_other_first() {
  if (!g.host || g.state.phase != Phase::choose_link || !stored_at(g.state.other_turf.slot)) return;
  g.state.link_waiting = true;
  g.state.turf_limit = false;
  activate(g.state.other_turf.slot);
  g.state.summary_open = true;  // its end of shift: "finish" refuses while anything is unsent
  g.state.finish_refused = false;
  changed();
}

void keep_both() {
  if (!g.host || g.state.phase != Phase::choose_link || g.waiting_link.empty()) return;
  std::string token = g.waiting_link;
  if (!load_link(token)) {
    g.state.turf_limit = true;  // the dialog says why; "finish first" still works
    changed();
    return;
  }
  g.waiting_link.clear();
  g.state.turf_limit = false;
  changed();
}

void open_waiting_link() {
  if (!g.host || !g.session || g.waiting_link.empty() || !g.session->token().empty() || g.session->pending() > 0) return;
  std::string token = std::move(g.waiting_link);
  g.waiting_link.clear();
  g.state.link_waiting = false;
  g.state.finished = false;
  // The finished turf's file takes the new link (Session::set_token starts it afresh).
  if (auto st = g.session->set_token(token, now_ms()); !st) {
    g.state.sync.last_error = st.error().message;
    changed();
    return;
  }
  (void)g.session->mark_used(now_ms());
  H().checkpoint(guarded([](bool stored) {
    if (stored) H().clear_link_from_url();
  }));
  H().publish_stat("ended", 0);
  g.state.phase = Phase::loading;
  g.state.load_failures = 0;
  if (H().on_mobile_data()) ask_before_download();
  else fetch_package();
  changed();
}

void on_door_tap(int index) {
  if (g.host) select_door(index, true);
}

void load_settings() {
  std::string size = H().load_setting("text_size");
  if (size == "1" || size == "2") g.state.text_size = size[0] - '0';
  g.state.high_contrast = H().load_setting("high_contrast") == "1";
  g.state.style_dirty = true;
  g.state.canvasser = H().load_setting("canvasser");
  g.atlas_letters = H().load_setting("atlas_letters");
}

// The app's language: the one the canvasser chose (remembered), else the phone's first that the
// app has (the campaign's are matched once its package is here), else `fallback`.
void start_language(const std::string& fallback) {
  std::string chosen = H().load_setting("language");
  g.language_chosen = !chosen.empty();
  std::vector<std::string> codes;
  for (const auto& l : i18n::languages()) codes.push_back(l.code);
  apply_language(g.language_chosen ? chosen : canvass::walk_list::pick_language(H().phone_languages(), codes, fallback));
}

// The map's own controls: a building opens at its first unit in walk order still to knock (else
// its first), and the "where am I" button.
void wire_map() {
  H().map_on_building_tap(guarded([](int b) {
    if (!g.session || !g.session->has_package()) return;
    const auto& pkg = g.session->package();
    if (b < 0 || b >= static_cast<int>(pkg.buildings.size())) return;
    const std::string& id = pkg.buildings[static_cast<size_t>(b)].id;
    int first = -1;
    for (int i : g.session->visit_order()) {
      if (pkg.doors[static_cast<size_t>(i)].building_id != id) continue;
      if (first < 0) first = i;
      if (g.session->door_status(i) == 0) {
        first = i;
        break;
      }
    }
    if (first >= 0) select_door(first, true);
  }));
  H().map_add_locate_button(i18n::tr("where_am_i"));
}

void start(host::Host& h, const std::string& language) {
  stop();
  g.host = &h;
  load_settings();
  start_language(language);
  wire_map();
  g.pull_timer = H().set_timeout(kPullEveryMs, guarded([] { pull_timer_tick(); }));
  H().storage_start(guarded([](bool ok, bool writer) { on_storage_ready(ok, writer); }));
  changed();
}

void start_sandbox(host::Host& h, const std::string& language, Sandbox kind, const std::string& package_json) {
  stop();
  g.host = &h;
  g.state.sandbox = kind == Sandbox::off ? Sandbox::practice : kind;
  load_settings();
  start_language(language);
  wire_map();
  auto db = store::Db::open(":memory:", kTurfFile);  // the same tables as a turf file
  auto s = db ? canvass::Session::open(std::move(*db), now_ms()) : Result<std::unique_ptr<canvass::Session>>(db.error());
  Status st = s ? (*s)->set_package(package_json) : Status(s.error());
  if (!st) {
    g.state.phase = Phase::storage_error;
    g.state.sync.last_error = st.error().message;
    changed();
    return;
  }
  g.session = std::move(*s);
  g.state.session = g.session.get();
  show_package();
}

void stop() {
  if (g.host) {
    for (int t : {g.push_timer, g.pull_timer, g.checkpoint_timer, g.map_timer, g.load_timer, g.save_timer, g.undo_timer})
      if (t) H().clear_timeout(t);
    for (const auto& o : g.others)
      if (o.push_timer) H().clear_timeout(o.push_timer);
  }
  uint64_t gen = g.generation + 1;
  g = Controller();
  g.generation = gen;
}

}  // namespace doorstep::app
