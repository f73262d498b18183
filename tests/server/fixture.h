// Shared set-up for the server tests: a temporary data folder, a real App on a real HttpServer
// bound to a free loopback port (its own thread), a small real campaign (six Venice address points,
// two turfs, script, survey) written through shared/campaign_store, and an organizer session.
// Leaves out child processes (test_concurrency.cpp starts `doorstep serve` itself).
#pragma once
#include <doctest/doctest.h>
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "server/app.h"
#include "server/http_server.h"
#include "server/links.h"
#include "shared/store/campaign_store.h"
#include "shared/store/store.h"

namespace fixture {

using namespace doorstep;

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/doorstep-test-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

// Six real address points (Los Angeles County GIS, via osmlab/labuildings; see
// tests/data/la/venice_addresses.csv): three on Walgrove for turf A, three others for turf B.
struct Point {
  double lat, lon;
  const char* number;
  const char* street;
};
inline const Point kPoints[6] = {
    {34.0093326, -118.4560125, "1319", "Walgrove"}, {34.0091783, -118.4560073, "1325", "Walgrove"},
    {34.0092363, -118.4557474, "1327", "Walgrove"}, {34.0067565, -118.4538837, "1507", "Walgrove"},
    {34.0072353, -118.4548819, "1381", "Lake"},     {34.0080158, -118.4547936, "1396", "Rose"},
};

struct Seeded {
  std::string campaign, turf_a, turf_b;
  std::vector<std::string> doors_a, doors_b, people_a, people_b;
};

inline Seeded seed(server::App& app) {
  Seeded out;
  Hlc hlc = app.next_hlc();
  auto s = app.storage().write([&](store::Db& db) -> Status {
    auto c = store::ensure_campaign(db, "Venice test", hlc, app.now());
    if (!c) return c.error();
    out.campaign = c->id;
    for (int i = 0; i < 6; ++i) {
      const Point& p = kPoints[i];
      std::string addr = std::string(p.number) + " " + p.street;
      Building b;
      b.campaign_id = c->id;
      b.address_key = addr;
      b.address = addr;
      b.lat = p.lat;
      b.lon = p.lon;
      auto bu = store::upsert_building(db, b, hlc);
      if (!bu) return bu.error();
      Door d;
      d.campaign_id = c->id;
      d.building_id = bu->id;
      d.address_key = addr;
      d.address = addr;
      d.lat = p.lat;
      d.lon = p.lon;
      d.geocode = GeocodeQuality::source;
      auto du = store::upsert_door(db, d, hlc);
      if (!du) return du.error();
      Person pe;
      pe.campaign_id = c->id;
      pe.door_id = du->id;
      pe.source_key = "test:" + std::to_string(i);
      pe.first_name = "First" + std::to_string(i);
      pe.last_name = "Last" + std::to_string(i);
      pe.phone = "555-010" + std::to_string(i);  // must never reach a canvasser
      pe.birth_date = "1980-01-0" + std::to_string(i + 1);
      pe.language = i % 2 ? "es" : "en";
      auto pu = store::upsert_person(db, pe, hlc);
      if (!pu) return pu.error();
      (i < 3 ? out.doors_a : out.doors_b).push_back(du->id);
      (i < 3 ? out.people_a : out.people_b).push_back(pu->id);
    }
    for (int k = 0; k < 2; ++k) {
      Turf t;
      t.campaign_id = c->id;
      t.name = k ? "Turf B" : "Turf A";
      t.status = TurfStatus::open;
      auto tu = store::upsert_turf(db, t, hlc);
      if (!tu) return tu.error();
      (k ? out.turf_b : out.turf_a) = tu->id;
      if (auto r = store::set_turf_doors(db, tu->id, k ? out.doors_b : out.doors_a, hlc); !r) return r;
    }
    ScriptSection sec;
    sec.id = new_uuid_v7(app.now());
    sec.campaign_id = c->id;
    sec.language = "en";
    sec.title = "Hello";
    sec.body = "Hi, I'm a volunteer.";
    if (auto r = store::upsert_script_section(db, sec, hlc); !r) return r;
    SurveyQuestion q;
    q.id = new_uuid_v7(app.now());
    q.campaign_id = c->id;
    q.kind = QuestionKind::scale_1_5;
    q.labels.push_back(QuestionLabel{"en", "Support?", {}});
    q.labels.push_back(QuestionLabel{"es", "¿Apoyo?", {}});
    if (auto r = store::upsert_question(db, q, hlc); !r) return r;
    return Status::Ok();
  });
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  return out;
}

// A real server on 127.0.0.1 with a free port; time is the fixture's to move.
struct Server {
  TempDir dir;
  std::atomic<int64_t> now_ms{1767225600000};  // 2026-01-01T00:00:00Z
  std::unique_ptr<server::App> app;
  std::unique_ptr<server::HttpServer> http;
  std::thread thread;
  int port = -1;

  // `tweak` runs last on the AppConfig (after the data folder and clock set here), e.g. to serve
  // a data folder of the test's own or to keep the system clock.
  explicit Server(server::HttpConfig hc = {}, server::AppConfig ac = {},
                  const std::function<void(server::AppConfig&)>& tweak = {}) {
    ac.data_dir = dir.path + "/data";
    ac.clock = [this] { return now_ms.load(); };
    if (tweak) tweak(ac);
    auto a = server::App::open(ac);
    REQUIRE_MESSAGE(a.ok(), (a.ok() ? "" : a.error().message));
    app = std::move(*a);
    hc.host = "127.0.0.1";
    hc.port = 0;
    http = std::make_unique<server::HttpServer>(hc);
    app->register_routes(http->routes());
    port = http->bind();
    REQUIRE(port > 0);
    app->set_default_public_url(std::string(http->tls() ? "https" : "http") + "://127.0.0.1:" + std::to_string(port));  // as doorstep serve does
    thread = std::thread([this] { http->run(); });
  }
  ~Server() { stop(); }
  // Stops serving and closes the App (its connections); once only.
  void stop() {
    if (thread.joinable()) {
      http->stop();
      thread.join();
    }
    app.reset();
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port);
    c.set_connection_timeout(5, 0);
    c.set_read_timeout(20, 0);
    c.set_write_timeout(20, 0);
    return c;
  }
};

// An organizer's session: its cookie and CSRF token as request headers.
struct Organizer {
  std::string cookie, csrf;
  httplib::Headers headers(bool with_csrf = true) const {
    httplib::Headers h{{"Cookie", "ds_session=" + cookie}};
    if (with_csrf) h.emplace("X-CSRF-Token", csrf);
    return h;
  }
};

// The organizer a one-time sign-in link (32 hex characters) signs in, on the server at `port`.
inline Organizer sign_in_with_link(int port, const std::string& token) {
  httplib::Client cli("127.0.0.1", port);
  cli.set_read_timeout(20, 0);
  auto r = cli.Post("/api/v1/auth/link", R"({"token":")" + token + R"("})", "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  Organizer o;
  std::string sc = r->get_header_value("Set-Cookie");
  auto p = sc.find("ds_session=");
  REQUIRE(p != std::string::npos);
  o.cookie = sc.substr(p + 11, sc.find(';', p) - p - 11);
  auto body = json::parse(r->body);
  REQUIRE(body.ok());
  o.csrf = body->find("csrf_token")->as_string();
  return o;
}

// An organizer signed in as the first admin through the one-time link, for an App served on
// `port` (by a test's own HttpServer or the fixture's).
inline Organizer sign_in_admin(server::App& app, int port) {
  auto token = app.first_start();
  REQUIRE(token.ok());
  REQUIRE(token->has_value());
  return sign_in_with_link(port, **token);
}

inline Organizer sign_in_admin(Server& s) { return sign_in_admin(*s.app, s.port); }

// The admin of a child `doorstep serve` (child.h) signed in through the one-time link its first
// start printed on `out`.
inline Organizer sign_in_printed(FILE* out, int port) {
  char line[512];
  std::string token;
  while (token.empty() && std::fgets(line, sizeof line, out)) {
    std::string l(line);
    auto p = l.find("#signin=");
    if (p != std::string::npos) token = l.substr(p + 8, l.find_first_of(" \n", p) - p - 8);
  }
  REQUIRE(!token.empty());
  return sign_in_with_link(port, token);
}

// A running server with the seeded campaign and a signed-in organizer: the start of most
// organizer-route tests.
struct SeededServer {
  Server s;
  Seeded seeded;
  Organizer org;
  SeededServer() {
    seeded = seed(*s.app);
    org = sign_in_admin(s);
  }
};

inline json::Value parse(const std::string& body) {
  auto v = json::parse(body);
  REQUIRE_MESSAGE(v.ok(), body);
  return *v;
}

// A JSON object from name/value pairs.
inline json::Value obj(std::initializer_list<std::pair<const char*, json::Value>> kv) {
  json::Value o = json::Value::object();
  for (const auto& [k, v] : kv) o.set(k, v);
  return o;
}

// A push body of protocol version `v` carrying `mutations` for `client_id`.
inline std::string push_of(int v, const std::string& client_id, const std::vector<json::Value>& mutations) {
  json::Value arr = json::Value::array();
  for (const auto& m : mutations) arr.push(m);
  return json::dump(obj({{"v", v}, {"client_id", client_id}, {"mutations", arr}}));
}

inline httplib::Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

// One push mutation numbered `seq`, made at `at` + seq by a phone whose HLC node is `node`.
inline json::Value mutation(int64_t seq, const std::string& kind, json::Value payload, int64_t at,
                            const std::string& node = "5c0be5c0") {
  json::Value m = json::Value::object();
  m.set("seq", seq);
  m.set("id", new_uuid_v7(at + seq));
  m.set("kind", kind);
  m.set("payload", std::move(payload));
  m.set("hlc", Hlc{at + seq, 0, node}.to_string());
  m.set("at", at + seq);
  return m;
}

// A push body of `n` attempt.add mutations for `doors` (round robin), numbered from `first_seq`.
inline std::string push_body(const std::string& client_id, int64_t first_seq, int n,
                             const std::vector<std::string>& doors, int64_t at_ms) {
  json::Value muts = json::Value::array();
  for (int i = 0; i < n; ++i) {
    int64_t seq = first_seq + i;
    json::Value p = json::Value::object();
    p.set("door", doors[static_cast<size_t>(seq) % doors.size()]);
    p.set("result", seq % 3 ? "not_home" : "talked");
    p.set("lat", kPoints[0].lat);
    p.set("lon", kPoints[0].lon);
    json::Value m = json::Value::object();
    m.set("seq", seq);
    m.set("id", new_uuid_v7(at_ms + seq));
    m.set("kind", "attempt.add");
    m.set("payload", p);
    Hlc h{at_ms + seq, 0, client_id.substr(0, 8)};
    m.set("hlc", h.to_string());
    m.set("at", at_ms + seq);
    muts.push(std::move(m));
  }
  json::Value body = json::Value::object();
  body.set("v", 1);
  body.set("client_id", client_id);
  body.set("mutations", muts);
  return json::dump(body);
}

}  // namespace fixture
