// Sync endpoint benchmark: 500 simulated canvassers over loopback HTTP, each pushing 60 attempts in
// batches of 10, against the ceiling of the same rows inserted through SQLite's C API in one
// process (one transaction per 10-row batch, WAL, synchronous=FULL), all in one run. Prints a
// table; asserts nothing. Usage: bench_sync [canvassers=500] [workers=64]. Leaves out TLS.
#include <httplib.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "server/app.h"
#include "server/http_server.h"
#include "server/links.h"
#include "shared/store/campaign_store.h"
#include "shared/base/ids.h"
#include "shared/store/store.h"

using namespace doorstep;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kBatch = 10, kBatchesPerCanvasser = 6, kDoors = 60;

int64_t unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string tmpdir() {
  char t[] = "/tmp/doorstep-bench-XXXXXX";
  return mkdtemp(t);
}

struct Seeded {
  std::string campaign, turf;
  std::vector<std::string> doors;
};

Seeded seed(server::App& app) {
  Seeded out;
  Hlc hlc = app.next_hlc();
  auto s = app.storage().write([&](store::Db& db) -> Status {
    auto c = store::ensure_campaign(db, "Bench", hlc, app.now());
    if (!c) return c.error();
    out.campaign = c->id;
    for (int i = 0; i < kDoors; ++i) {
      std::string addr = std::to_string(1300 + 2 * i) + " Walgrove";
      Building b;
      b.campaign_id = c->id;
      b.address_key = b.address = addr;
      b.lat = 34.0093 - i * 1e-4;
      b.lon = -118.456;
      auto bu = store::upsert_building(db, b, hlc);
      if (!bu) return bu.error();
      Door d;
      d.campaign_id = c->id;
      d.building_id = bu->id;
      d.address_key = d.address = addr;
      d.lat = b.lat;
      d.lon = b.lon;
      auto du = store::upsert_door(db, d, hlc);
      if (!du) return du.error();
      out.doors.push_back(du->id);
    }
    Turf t;
    t.campaign_id = c->id;
    t.name = "Bench turf";
    auto tu = store::upsert_turf(db, t, hlc);
    if (!tu) return tu.error();
    out.turf = tu->id;
    return store::set_turf_doors(db, tu->id, out.doors, hlc);
  });
  if (!s) {
    std::fprintf(stderr, "seed: %s\n", s.error().message.c_str());
    std::exit(1);
  }
  return out;
}

std::string push_body(const std::string& cid, int64_t first_seq, const std::vector<std::string>& doors, int64_t at) {
  json::Value muts = json::Value::array();
  for (int i = 0; i < kBatch; ++i) {
    int64_t seq = first_seq + i;
    json::Value p = json::Value::object();
    p.set("door", doors[static_cast<size_t>(seq) % doors.size()]);
    p.set("result", seq % 4 ? "not_home" : "talked");
    p.set("lat", 34.0093);
    p.set("lon", -118.456);
    p.set("accuracy_m", 12);
    json::Value m = json::Value::object();
    m.set("seq", seq);
    m.set("id", new_uuid_v7(at + seq));
    m.set("kind", "attempt.add");
    m.set("payload", p);
    m.set("hlc", Hlc{at + seq, 0, cid.substr(0, 8)}.to_string());
    m.set("at", at + seq);
    muts.push(std::move(m));
  }
  json::Value body = json::Value::object();
  body.set("v", 1);
  body.set("client_id", cid);
  body.set("mutations", muts);
  return json::dump(body);
}

struct Row {
  std::string name;
  double seconds = 0, per_s = 0, p50_ms = 0, p99_ms = 0;
  long long mutations = 0, commits = 0, failures = 0;
};

double pct(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

Row run_endpoint(const char* name, int canvassers, int workers, size_t max_group) {
  std::string dir = tmpdir();
  server::AppConfig ac;
  ac.data_dir = dir;
  ac.storage.max_group = max_group;
  auto app = server::App::open(ac);
  if (!app) {
    std::fprintf(stderr, "%s\n", app.error().message.c_str());
    std::exit(1);
  }
  Seeded seeded = seed(**app);
  // One link per ten canvassers (crews share a turf and a link), created before timing starts.
  std::vector<std::string> tokens;
  for (int i = 0; i < (canvassers + 9) / 10; ++i) {
    auto l = server::create_link((*app)->storage(), seeded.campaign, seeded.turf, "crew", "", (*app)->now(),
                                 7 * 86400000LL);
    tokens.push_back(l->token);
  }
  server::HttpConfig hc;
  hc.port = 0;
  hc.worker_threads = static_cast<size_t>(workers);
  hc.log_requests = false;
  server::HttpServer http(hc);
  (*app)->register_routes(http.routes());
  int port = http.bind();
  std::thread srv([&] { http.run(); });

  // Bodies are built before the clock starts: the client's JSON work is not the server's cost.
  int64_t at = unix_ms();
  std::vector<std::vector<std::string>> bodies(static_cast<size_t>(canvassers));
  for (int c = 0; c < canvassers; ++c) {
    char cid[33];
    std::snprintf(cid, sizeof cid, "%032x", 0xbe0000 + c);
    for (int b = 0; b < kBatchesPerCanvasser; ++b) bodies[static_cast<size_t>(c)].push_back(push_body(cid, 1 + b * kBatch, seeded.doors, at));
  }
  auto before = (*app)->storage().stats();
  std::vector<std::vector<double>> lat(static_cast<size_t>(canvassers));
  std::atomic<long long> failures{0};
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> ts;
  for (int c = 0; c < canvassers; ++c) {
    ts.emplace_back([&, c] {
      httplib::Client cli("127.0.0.1", port);
      cli.set_connection_timeout(30, 0);
      cli.set_read_timeout(60, 0);
      cli.set_write_timeout(60, 0);
      httplib::Headers h{{"Authorization", "Bearer " + tokens[static_cast<size_t>(c) % tokens.size()]}};
      ready++;
      while (!go) std::this_thread::yield();
      for (const auto& b : bodies[static_cast<size_t>(c)]) {
        auto t0 = Clock::now();
        auto r = cli.Post("/api/v1/canvass/push", h, b, "application/json");
        double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        if (!r || r->status != 200 || r->body.find("\"code\":\"ok\"") == std::string::npos) failures++;
        lat[static_cast<size_t>(c)].push_back(ms);
      }
    });
  }
  while (ready < canvassers) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto t0 = Clock::now();
  go = true;
  for (auto& t : ts) t.join();
  double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  auto after = (*app)->storage().stats();
  http.stop();
  srv.join();

  std::vector<double> all;
  for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
  Row row;
  row.name = name;
  row.mutations = static_cast<long long>(canvassers) * kBatchesPerCanvasser * kBatch;
  row.seconds = secs;
  row.per_s = static_cast<double>(row.mutations) / secs;
  row.p50_ms = pct(all, 0.50);
  row.p99_ms = pct(all, 0.99);
  row.commits = static_cast<long long>(after.commits - before.commits);
  row.failures = failures;
  app->reset();
  std::filesystem::remove_all(dir);
  return row;
}

// The ceiling: the same attempt rows straight into SQLite, one durable transaction per batch.
Row run_ceiling(int canvassers) {
  std::string dir = tmpdir();
  auto db = store::Db::open(dir + "/ceiling.db", store::OpenOptions{true, false, true, 5000, true});
  if (!db) {
    std::fprintf(stderr, "%s\n", db.error().message.c_str());
    std::exit(1);
  }
  db->exec("PRAGMA synchronous=FULL");
  sqlite3* h = db->handle();
  sqlite3_stmt* ins = nullptr;
  sqlite3_prepare_v2(h,
                     "INSERT INTO attempt(id,campaign_id,door_id,person_id,turf_id,result,answers,notes,canvasser,"
                     "device,client_ms,server_ms,lat,lon,accuracy_m) VALUES(?,?,?,'',?,?,'{}','','','',?,?,?,?,?)",
                     -1, &ins, nullptr);
  std::string campaign = new_uuid_v7(unix_ms()), turf = new_uuid_v7(unix_ms());
  std::vector<std::string> doors;
  for (int i = 0; i < kDoors; ++i) doors.push_back(new_uuid_v7(unix_ms()));
  int64_t at = unix_ms();
  // Ids made before timing, as the endpoint's clients make theirs before pushing.
  std::vector<std::string> ids;
  long long total = static_cast<long long>(canvassers) * kBatchesPerCanvasser * kBatch;
  for (long long i = 0; i < total; ++i) ids.push_back(new_uuid_v7(at + i));
  std::vector<double> lat;
  auto t0 = Clock::now();
  long long n = 0;
  for (int b = 0; b < canvassers * kBatchesPerCanvasser; ++b) {
    auto b0 = Clock::now();
    sqlite3_exec(h, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    for (int i = 0; i < kBatch; ++i, ++n) {
      sqlite3_bind_text(ins, 1, ids[static_cast<size_t>(n)].c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(ins, 2, campaign.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(ins, 3, doors[static_cast<size_t>(n) % doors.size()].c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(ins, 4, turf.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(ins, 5, n % 4 ? "not_home" : "talked", -1, SQLITE_STATIC);
      sqlite3_bind_int64(ins, 6, at + n);
      sqlite3_bind_int64(ins, 7, at + n);
      sqlite3_bind_double(ins, 8, 34.0093);
      sqlite3_bind_double(ins, 9, -118.456);
      sqlite3_bind_double(ins, 10, 12);
      if (sqlite3_step(ins) != SQLITE_DONE) std::fprintf(stderr, "insert: %s\n", sqlite3_errmsg(h));
      sqlite3_reset(ins);
    }
    sqlite3_exec(h, "COMMIT", nullptr, nullptr, nullptr);
    lat.push_back(std::chrono::duration<double, std::milli>(Clock::now() - b0).count());
  }
  double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  sqlite3_finalize(ins);
  Row row;
  row.name = "ceiling: SQLite C API, 1 txn/batch";
  row.mutations = total;
  row.seconds = secs;
  row.per_s = static_cast<double>(total) / secs;
  row.p50_ms = pct(lat, 0.5);
  row.p99_ms = pct(lat, 0.99);
  row.commits = canvassers * kBatchesPerCanvasser;
  *db = store::Db();
  std::filesystem::remove_all(dir);
  return row;
}

}  // namespace

int main(int argc, char** argv) {
  int canvassers = argc > 1 ? std::atoi(argv[1]) : 500;
  int workers = argc > 2 ? std::atoi(argv[2]) : 64;
  std::printf("bench_sync: %d canvassers x %d pushes x %d attempts over loopback; server workers %d; "
              "WAL + synchronous=FULL on %s\n",
              canvassers, kBatchesPerCanvasser, kBatch, workers, "/tmp");
  std::vector<Row> rows;
  rows.push_back(run_ceiling(canvassers));
  rows.push_back(run_endpoint("endpoint, group commit", canvassers, workers, 256));
  rows.push_back(run_endpoint("endpoint, one commit per push", canvassers, workers, 1));
  std::printf("\n%-36s %10s %9s %12s %9s %9s %8s %6s\n", "run", "mutations", "seconds", "mutations/s", "p50 ms",
              "p99 ms", "commits", "fail");
  for (const auto& r : rows)
    std::printf("%-36s %10lld %9.2f %12.0f %9.2f %9.2f %8lld %6lld\n", r.name.c_str(), r.mutations, r.seconds, r.per_s,
                r.p50_ms, r.p99_ms, r.commits, r.failures);
  std::printf("\nendpoint (group commit) / ceiling = %.2f   (target >= 0.5)\n", rows[1].per_s / rows[0].per_s);
  std::printf("latency: endpoint = one HTTP push round trip of 10 mutations; ceiling = one 10-row transaction\n");
  return 0;
}
