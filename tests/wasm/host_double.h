// A recorded-call test double of host::Host for the phone controller's native tests: every call
// is recorded in order ("http POST /api/v1/canvass/push", "checkpoint", ...), and nothing finishes
// by itself: the test completes HTTP requests, outbox writes and checkpoints one by one, and moves
// the clock to fire timers, so a crash can fall between any two steps. HTTP goes to the real
// sync server code (decode, apply_push, pull_changes) on a real SQLite file; the database file and
// the outbox are real files and maps that a crash keeps or loses as a browser's would.
#pragma once
#include <doctest/doctest.h>

#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "shared/store/store.h"
#include "shared/sync/sync_server.h"
#include "wasm/app.h"
#include "wasm/host.h"

namespace doorstep::testing {

constexpr int64_t kStart = 1767225600000;
inline const char* kTurf = "0192f0c4-7a11-7d00-8a00-000000000001";
inline const char* kDoor1 = "0192f0c4-7b00-7000-8000-000000000101";
inline const char* kDoor2 = "0192f0c4-7b00-7000-8000-000000000102";
inline const std::string kToken(32, 'a');
// A second link, of another turf (turfs side by side on one phone).
inline const char* kTurf2 = "0192f0c4-7a11-7d00-8a00-000000000002";
inline const char* kDoor3 = "0192f0c4-7b00-7000-8000-000000000203";
inline const char* kDoor4 = "0192f0c4-7b00-7000-8000-000000000204";
inline const std::string kToken2(32, 'b');

inline std::string package_json() {
  return std::string(R"({"api":1,"campaign":{"id":"c1","name":"Venice","languages":["en","es"]},)") +
         R"("turf":{"id":")" + kTurf + R"(","name":"Walgrove","polygon":{"type":"Polygon","coordinates":[[[-118.44,33.99],[-118.43,33.99],[-118.43,34.0],[-118.44,33.99]]]}},)" +
         R"("doors":[{"id":")" + kDoor2 + R"(","lat":33.9995,"lon":-118.439,"address":"2305 Walgrove Ave","order":2,"status":"not_visited"},)" +
         R"({"id":")" + kDoor1 + R"(","lat":33.9993,"lon":-118.4391,"address":"2301 Walgrove Ave","order":1,"status":"not_visited"}],)" +
         R"("people":[{"id":"p1","door_id":")" + kDoor1 + R"(","first_name":"Ana","last_name":"Zyxwvutsrqponm","language":"es"}],)" +
         R"("script":{"en":[{"id":"s1","title":"Hi","text":"Hello"}]},)" +
         R"("survey":[{"id":"q1","kind":"yes_no","labels":{"en":"Support Medicare for All?"}}],"cursor":""})";
}

// The second link's package: turf "Rose Court" with two doors of its own.
inline std::string package2_json() {
  return std::string(R"({"api":1,"campaign":{"id":"c1","name":"Venice","languages":["en","es"]},)") +
         R"("turf":{"id":")" + kTurf2 + R"(","name":"Rose Court","polygon":{"type":"Polygon","coordinates":[[[-118.45,33.98],[-118.44,33.98],[-118.44,33.99],[-118.45,33.98]]]}},)" +
         R"("doors":[{"id":")" + kDoor3 + R"(","lat":33.985,"lon":-118.445,"address":"10 Rose Ave","order":1,"status":"not_visited"},)" +
         R"({"id":")" + kDoor4 + R"(","lat":33.9852,"lon":-118.4452,"address":"12 Rose Ave","order":2,"status":"not_visited"}],)" +
         R"("people":[],"script":{"en":[{"id":"s1","title":"Hi","text":"Hello"}]},)" +
         R"("survey":[{"id":"q1","kind":"yes_no","labels":{"en":"Support Medicare for All?"}}],"cursor":""})";
}

class RecordingHost final : public host::Host {
 public:
  struct Request {
    std::string method, path, body, bearer;
    std::function<void(const host::HttpReply&)> done;
  };
  struct Put {
    std::string scope;
    int64_t seq;
    std::string json;
    std::function<void(bool)> saved;
  };

  explicit RecordingHost(std::string dir) : dir_(std::move(dir)) {
    // The canvasser has given a first name (as tests/e2e's newPhone): the first-open name dialog
    // would otherwise hold the screen. Its own tests (test_shift_ui.cpp) erase it.
    settings["canvasser"] = "Tess";
    std::filesystem::create_directories(dir_);
    auto db = store::Db::open(dir_ + "/server.db");
    REQUIRE(db.ok());
    server_ = std::move(*db);
    REQUIRE(sync::migrate(server_).ok());
    REQUIRE(server_.exec(std::string("INSERT INTO campaign(id, name) VALUES('c1', 'Venice');"
                                     "INSERT INTO building(id, campaign_id, address_key) VALUES('b1', 'c1', 'k');"
                                     "INSERT INTO door(id, campaign_id, building_id, address_key) VALUES('") +
                         kDoor1 + "', 'c1', 'b1', 'k1');INSERT INTO door(id, campaign_id, building_id, address_key) VALUES('" +
                         kDoor2 + "', 'c1', 'b1', 'k2');INSERT INTO door(id, campaign_id, building_id, address_key) VALUES('" +
                         kDoor3 + "', 'c1', 'b1', 'k3');INSERT INTO door(id, campaign_id, building_id, address_key) VALUES('" +
                         kDoor4 + "', 'c1', 'b1', 'k4');")
                .ok());
  }

  // ---- What the controller asked for, in order.
  std::vector<std::string> calls;
  bool called(const std::string& prefix) const {
    for (auto& c : calls)
      if (c.rfind(prefix, 0) == 0) return true;
    return false;
  }
  size_t count(const std::string& prefix) const {
    size_t n = 0;
    for (auto& c : calls) n += c.rfind(prefix, 0) == 0;
    return n;
  }

  // ---- The world the test controls.
  std::string package;  // what GET /package answers ("": package_json())
  std::string package_version;  // what pulls of version 4 name ("": none, as older servers)
  int64_t now = kStart;
  std::string url_token;  // what the address bar holds
  bool online = true;
  bool revoked = false;
  int64_t revoked_at = 0;
  bool revoked2 = false;  // the second link (kToken2) ended
  // Every mutation id the server was sent, by the token it came with (retries included).
  std::map<std::string, std::vector<std::string>> pushed_by_token;
  std::map<std::pair<std::string, int64_t>, std::string> outbox;  // durable entries
  std::deque<Request> requests;
  std::deque<Put> puts;
  std::deque<std::function<void(bool)>> checkpoints;
  std::map<std::string, double> stats;
  bool lock_elsewhere = false;  // another tab holds the writer lock at start
  std::function<void(bool, bool)> lock_waiter;
  std::string put_error;        // what a failed outbox write reports (QuotaExceededError)
  int fail_status = 0;          // non-zero: every request is answered with it (server trouble)
  std::string status;
  int map_layers = 0;  // doors + route + outline shown on the map
  std::string map_labels;

  // Runs every timer due by now + ms, in time order.
  void advance(int64_t ms) {
    int64_t until = now + ms;
    for (;;) {
      auto best = timers_.end();
      for (auto it = timers_.begin(); it != timers_.end(); ++it)
        if (it->second.first <= until && (best == timers_.end() || it->second.first < best->second.first)) best = it;
      if (best == timers_.end()) break;
      now = std::max(now, best->second.first);
      auto fn = std::move(best->second.second);
      timers_.erase(best);
      fn();
    }
    now = until;
  }
  // Answers the oldest HTTP request through the real server code (or as a network failure).
  void answer_http() {
    REQUIRE_FALSE(requests.empty());
    Request r = std::move(requests.front());
    requests.pop_front();
    r.done(serve(r));
  }
  void answer_all_http() {
    for (int i = 0; i < 50 && !requests.empty(); ++i) answer_http();
  }
  void finish_puts(bool ok = true) {
    while (!puts.empty()) {
      Put p = std::move(puts.front());
      puts.pop_front();
      if (ok) outbox[{p.scope, p.seq}] = p.json;
      p.saved(ok);
    }
  }
  // The database file becomes durable as it is now (IDBFS's syncfs).
  void finish_checkpoints(bool ok = true) {
    while (!checkpoints.empty()) {
      auto fn = std::move(checkpoints.front());
      checkpoints.pop_front();
      if (ok)
        for (const auto& f : phone_files()) copy_db(dir_ + "/" + f, durable_of(f));
      fn(ok);
    }
  }
  // Runs puts, checkpoints, requests and timers until nothing is left to do (offline requests fail).
  void settle() {
    for (int i = 0; i < 40; ++i) {
      bool any = !puts.empty() || !checkpoints.empty() || !requests.empty();
      finish_puts();
      finish_checkpoints();
      answer_all_http();
      advance(2000);
      if (!any && puts.empty() && checkpoints.empty() && requests.empty()) break;
    }
  }
  // The tab is killed: memory (the controller, the live database file, pending writes and
  // callbacks) is lost; the durable database copy and the outbox entries that completed remain.
  void crash() {
    app::stop();
    requests.clear();
    puts.clear();
    checkpoints.clear();
    timers_.clear();
    for (const auto& f : phone_files()) {
      std::filesystem::remove(dir_ + "/" + f);
      std::filesystem::remove(dir_ + "/" + f + "-wal");
      std::filesystem::remove(dir_ + "/" + f + "-shm");
      if (std::filesystem::exists(durable_of(f))) copy_db(durable_of(f), dir_ + "/" + f);
    }
  }
  // The phone's database files (one per turf kept: phone.db, phone-turf2.db, ...).
  std::vector<std::string> phone_files() const {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir_)) {
      std::string n = e.path().filename().string();
      if (n.rfind("phone", 0) == 0 && n.size() > 3 && n.compare(n.size() - 3, 3, ".db") == 0) out.push_back(n);
    }
    return out;
  }
  // Keeps a copy of the stored database, and later puts it back (storage rolled back: a restored
  // browser profile, a second copy of the same profile).
  void keep_durable_copy(const std::string& name) const { copy_db(durable_db(), dir_ + "/" + name); }
  void roll_back_durable(const std::string& name) const { copy_db(dir_ + "/" + name, durable_db()); }
  void start() {
    calls.push_back("start");
    app::start(*this, "en");
  }

  int64_t server_records() {
    auto r = sync::read_records(server_);
    REQUIRE(r.ok());
    return static_cast<int64_t>(r->size());
  }
  int64_t server_push_count() const { return push_count_; }
  // What the server stored: record id -> the turf of the link that pushed it (sync_record.turf_id).
  std::map<std::string, std::string> server_record_turfs() {
    std::map<std::string, std::string> out;
    auto q = server_.prepare("SELECT id, turf_id FROM sync_record");
    REQUIRE(q.ok());
    while (true) {
      auto r = q->step();
      REQUIRE(r.ok());
      if (!*r) break;
      out[q->text(0)] = q->text(1);
    }
    return out;
  }
  // A field's value on the server as JSON text (sync_field: last writer wins), "" when unset.
  std::string server_field(const std::string& entity, const std::string& id, const std::string& field) {
    auto q = server_.prepare("SELECT value FROM sync_field WHERE entity=?1 AND id=?2 AND field=?3");
    REQUIRE(q.ok());
    q->bind_all(entity, id, field);
    auto r = q->step();
    REQUIRE(r.ok());
    return *r ? q->text(0) : std::string();
  }
  // The stored (durable) database file's bytes, as IndexedDB would hold them.
  std::string durable_bytes() const {
    std::string all;
    for (const std::string& f : {durable_db(), durable_db() + "-wal"}) {
      std::ifstream in(f, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      all += ss.str();
    }
    return all;
  }

  // ---- host::Host
  int64_t now_ms() override { return now; }
  int set_timeout(int64_t delay_ms, std::function<void()> fn) override {
    int id = next_timer_++;
    timers_[id] = {now + delay_ms, std::move(fn)};
    return id;
  }
  void clear_timeout(int id) override { timers_.erase(id); }
  void http(const std::string& method, const std::string& path, const std::string& body, const std::string& bearer,
            std::function<void(const host::HttpReply&)> done) override {
    calls.push_back("http " + method + " " + path);
    requests.push_back({method, path, body, bearer, std::move(done)});
  }
  void storage_start(std::function<void(bool, bool)> ready) override {
    calls.push_back("storage_start");
    if (!lock_elsewhere) {
      ready(true, true);
      return;
    }
    ready(true, false);  // another tab holds the writer lock: this one waits for it
    lock_waiter = std::move(ready);
  }
  // The other tab closes: the waiting one gets the lock (and loads storage).
  void release_lock() {
    lock_elsewhere = false;
    REQUIRE(lock_waiter);
    auto fn = std::move(lock_waiter);
    lock_waiter = nullptr;
    fn(true, true);
  }
  std::string db_path() override { return dir_ + "/phone.db"; }
  void checkpoint(std::function<void(bool)> done) override {
    calls.push_back("checkpoint");
    checkpoints.push_back(std::move(done));
  }
  void outbox_put(const std::string& scope, int64_t seq, const std::string& json, std::function<void(bool)> saved) override {
    calls.push_back("outbox_put " + std::to_string(seq));
    puts.push_back({scope, seq, json, std::move(saved)});
  }
  void outbox_list(const std::string& scope, std::function<void(const std::string&)> done) override {
    calls.push_back("outbox_list");
    std::string a = "[";
    for (auto& [k, v] : outbox)
      if (k.first == scope) a += (a.size() > 1 ? "," : "") + v;
    done(a + "]");
  }
  void outbox_remove_through(const std::string& scope, int64_t seq) override {
    calls.push_back("outbox_remove_through " + std::to_string(seq));
    for (auto it = outbox.begin(); it != outbox.end();)
      it = it->first.first == scope && it->first.second <= seq ? outbox.erase(it) : std::next(it);
  }
  std::string outbox_error() override { return put_error; }
  void outbox_clear(const std::string& scope) override {
    calls.push_back("outbox_clear");
    for (auto it = outbox.begin(); it != outbox.end();) it = it->first.first == scope ? outbox.erase(it) : std::next(it);
  }
  void map_show(const std::string& turf, const std::vector<host::LatLon>& doors, const std::vector<uint8_t>&,
                const std::vector<std::string>& labels) override {
    calls.push_back("map_show " + std::to_string(doors.size()));
    map_layers = static_cast<int>(doors.size()) + 1 + (turf.empty() ? 0 : 1);
    map_labels.clear();
    for (auto& l : labels) map_labels += l + "\n";
  }
  void map_set_door_status(int index, uint8_t st) override {
    calls.push_back("map_set_door_status " + std::to_string(index) + " " + std::to_string(st));
  }
  void map_select_door(int index, bool) override { calls.push_back("map_select_door " + std::to_string(index)); }
  void map_clear() override {
    calls.push_back("map_clear");
    map_layers = 0;
    map_labels.clear();
  }
  void map_set_visible(bool v) override { calls.push_back(std::string("map_set_visible ") + (v ? "1" : "0")); }
  std::string take_link_token() override {
    std::string t = url_token;
    return t;
  }
  void clear_link_from_url() override {
    calls.push_back("clear_link_from_url");
    url_token.clear();
  }
  void set_status(const std::string& text) override { status = text; }
  void set_lang(const std::string&) override {}
  void locate(std::function<void(const host::Position&)> done) override {
    calls.push_back("locate");
    done(host::Position{true, 33.9993, -118.4391, 8});
  }
  bool cjk_font_ok = false;  // whether the Korean/Chinese font "loads" (at once)
  void load_cjk_font(std::function<void(bool)> done) override { done(cjk_font_ok); }
  void set_fonts(const std::string& sample, bool, float size_px) override {
    font_px = size_px;
    font_sample = sample;
    ++font_requests;
  }
  float font_px = 0;  // the size the controller asked for (the panels test rasterises it)
  std::string font_sample;  // the letters it asked for last
  int font_requests = 0;
  std::map<std::string, std::string> settings;  // localStorage: survives a crash
  std::string load_setting(const std::string& key) override {
    auto it = settings.find(key);
    return it == settings.end() ? "" : it->second;
  }
  void save_setting(const std::string& key, const std::string& value) override { settings[key] = value; }
  std::vector<std::string> languages;  // navigator.languages
  std::vector<std::string> phone_languages() override { return languages; }
  bool mobile_data = false;
  bool on_mobile_data() override { return mobile_data; }
  void open_practice(bool on) override { calls.push_back(std::string("open_practice ") + (on ? "1" : "0")); }
  void reload_bare_page() override { calls.push_back("reload_bare_page"); }
  void drop_tile_caches() override { calls.push_back("drop_tile_caches"); }
  void drop_tile_cache(const std::string& turf) override { calls.push_back("drop_tile_cache " + turf); }
  void call_phone(const std::string& number) override { calls.push_back("call_phone " + number); }
  void request_frames() override { ++frames_requested; }
  int frames_requested = 0;
  bool page_visible() override { return true; }
  void offer_update() override { calls.push_back("offer_update"); }
  void publish_stat(const char* key, double value) override { stats[key] = value; }
  void publish_item(const char*, float, float, float, float) override {}

 private:
  std::string durable_db() const { return dir_ + "/durable.db"; }
  std::string durable_of(const std::string& file) const { return file == "phone.db" ? durable_db() : dir_ + "/durable-" + file; }
  static void copy_db(const std::string& from, const std::string& to) {
    for (const char* suffix : {"", "-wal"}) {
      std::filesystem::remove(to + suffix);
      if (std::filesystem::exists(from + suffix))
        std::filesystem::copy_file(from + suffix, to + suffix, std::filesystem::copy_options::overwrite_existing);
    }
  }

  host::HttpReply serve(const Request& r) {
    if (!online) return {0, ""};
    if (fail_status) return {fail_status, R"({"code":"internal","message":"server trouble"})"};
    const bool second = r.bearer == kToken2;
    const std::string pkg = second ? package2_json() : package.empty() ? package_json() : package;
    const bool ended = second ? revoked2 : revoked;
    if (r.method == "HEAD" && r.path == "/api/v1/canvass/package" && (r.bearer == kToken || second))
      return {200, "", static_cast<int64_t>(pkg.size())};
    if (r.bearer != kToken && !second) return {401, R"({"code":"unauthorized","message":"no such link"})"};
    if (ended && r.path != "/api/v1/canvass/push") return {401, R"({"code":"revoked","message":"link revoked"})"};
    if (r.method == "GET" && r.path == "/api/v1/canvass/package") return {200, pkg};
    if (r.path == "/api/v1/canvass/push") {
      ++push_count_;
      auto req = sync::parse_push_request(r.body);
      REQUIRE(req.ok());
      for (const auto& m : req->mutations) pushed_by_token[r.bearer].push_back(m.id);
      sync::PushContext ctx;
      ctx.turf_id = second ? kTurf2 : kTurf;
      ctx.server_now_ms = now;
      if (ended) {
        ctx.link = sync::PushContext::Link::revoked;
        ctx.link_ended_ms = revoked_at;
      }
      auto resp = sync::apply_push(server_, *req, ctx);
      if (!resp) return {409, R"({"code":"conflict","message":")" + resp.error().message + "\"}"};
      return {200, json::dump(sync::encode(*resp))};
    }
    if (r.path == "/api/v1/canvass/pull") {
      auto req = sync::parse_pull_request(r.body);
      REQUIRE(req.ok());
      auto resp = sync::pull_changes(server_, second ? kTurf2 : kTurf, req->cursor, req->limit, req->v);
      REQUIRE(resp.ok());
      if (req->v >= 4) resp->package_version = package_version;
      return {200, json::dump(sync::encode(*resp))};
    }
    return {404, R"({"code":"not_found","message":"no route"})"};
  }

  std::string dir_;
  store::Db server_;
  std::map<int, std::pair<int64_t, std::function<void()>>> timers_;
  int next_timer_ = 1;
  int64_t push_count_ = 0;
};

}  // namespace doorstep::testing
