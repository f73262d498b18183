// Sync endpoint benchmark: 500 simulated canvassers over loopback HTTP, each pushing 60 attempts in
// batches of 10, against the ceiling of the same rows inserted through SQLite's C API in one
// process (one transaction per 10-row batch, WAL, synchronous=FULL), all in one run. Prints a
// table; asserts nothing. A last run repeats the endpoint under the attack mix of issue 11 (200
// slow-header sockets, 2,000 idle connections, endless chunked bodies, junk sign-ins) with health
// latency and peak memory. Usage: bench_sync [canvassers=500] [workers=64]. Leaves out TLS.
#include <httplib.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
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
  double health_p50_ms = -1, health_p99_ms = -1, peak_mb = -1;  // attack run only
};

long status_kb(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key, 0) == 0) return std::stol(line.substr(std::char_traits<char>::length(key)));
  return -1;
}

int raw_connect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// The attack mix of issue 11 against `port` until `stop`: slow headers, idle connections, endless
// chunked pushes with a real token, junk sign-ins; health is probed every 50 ms meanwhile.
struct AttackMix {
  std::atomic<bool> stop{false};
  std::vector<std::thread> ts;
  std::vector<int> fds;
  std::vector<double> health_ms;
  std::mutex mu;
  void start(int port, const std::string& token) {
    for (int i = 0; i < 2000; ++i)
      if (int fd = raw_connect(port); fd >= 0) fds.push_back(fd);
    ts.emplace_back([this, port] {  // 200 sockets, one header line each per second, reconnecting
      std::vector<int> slow;
      while (!stop) {
        while (slow.size() < 200) {
          int fd = raw_connect(port);
          if (fd < 0) break;
          static const std::string start = "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n";
          ::send(fd, start.data(), start.size(), MSG_NOSIGNAL);
          slow.push_back(fd);
        }
        for (size_t i = 0; i < slow.size(); ++i)
          if (::send(slow[i], "X-Slow: 1\r\n", 11, MSG_NOSIGNAL) <= 0) {
            ::close(slow[i]);
            slow[i] = slow.back();
            slow.pop_back();
            --i;
          }
        for (int k = 0; k < 10 && !stop; ++k) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      for (int fd : slow) ::close(fd);
    });
    ts.emplace_back([this, port, token] {  // endless chunked pushes, one after another
      std::string head = "POST /api/v1/canvass/push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                         "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
      std::string chunk = "10000\r\n" + std::string(65536, ' ') + "\r\n";
      while (!stop) {
        int fd = raw_connect(port);
        if (fd < 0) continue;
        ::send(fd, head.data(), head.size(), MSG_NOSIGNAL);
        for (int i = 0; i < 256 && !stop; ++i)
          if (::send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL) <= 0) break;
        ::close(fd);
      }
    });
    for (int j = 0; j < 20; ++j)
      ts.emplace_back([this, port, j] {  // junk sign-ins: each costs the server an Argon2id hash
        httplib::Client c("127.0.0.1", port);
        c.set_read_timeout(60, 0);
        for (int i = 0; !stop; ++i)
          c.Post("/api/v1/auth/signin",
                 "{\"email\":\"junk" + std::to_string(j * 100000 + i) + "@example.org\",\"password\":\"not it at all\"}",
                 "application/json");
      });
    ts.emplace_back([this, port] {
      httplib::Client c("127.0.0.1", port);
      c.set_read_timeout(30, 0);
      while (!stop) {
        auto t0 = Clock::now();
        auto r = c.Get("/api/v1/health");
        double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        {
          std::lock_guard<std::mutex> l(mu);
          health_ms.push_back(r && r->status == 200 ? ms : 1e9);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    });
  }
  void finish() {
    stop = true;
    for (auto& t : ts) t.join();
    for (int fd : fds) ::close(fd);
  }
};

double pct(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

Row run_endpoint(const char* name, int canvassers, int workers, size_t max_group, bool attack = false) {
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
  AttackMix mix;
  long rss_before = status_kb("VmRSS:");
  if (attack) {
    std::ofstream("/proc/self/clear_refs") << "5";  // peak RSS from here
    mix.start(port, tokens[0]);
    std::this_thread::sleep_for(std::chrono::seconds(2));
  }
  auto t0 = Clock::now();
  go = true;
  for (auto& t : ts) t.join();
  double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  double health_p50 = -1, health_p99 = -1, peak_mb = -1;
  if (attack) {
    mix.finish();
    health_p50 = pct(mix.health_ms, 0.5);
    health_p99 = pct(mix.health_ms, 0.99);
    peak_mb = static_cast<double>(status_kb("VmHWM:") - rss_before) / 1024.0;
  }
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
  row.health_p50_ms = health_p50;
  row.health_p99_ms = health_p99;
  row.peak_mb = peak_mb;
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
  rlimit rl{};  // the attack run holds some 5,000 sockets (both ends) in this process
  if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &rl);
  }
  std::vector<Row> rows;
  rows.push_back(run_ceiling(canvassers));
  rows.push_back(run_endpoint("endpoint, group commit", canvassers, workers, 256));
  rows.push_back(run_endpoint("endpoint, one commit per push", canvassers, workers, 1));
  rows.push_back(run_endpoint("endpoint, group commit, attack mix", canvassers, workers, 256, true));
  std::printf("\n%-36s %10s %9s %12s %9s %9s %8s %6s\n", "run", "mutations", "seconds", "mutations/s", "p50 ms",
              "p99 ms", "commits", "fail");
  for (const auto& r : rows)
    std::printf("%-36s %10lld %9.2f %12.0f %9.2f %9.2f %8lld %6lld\n", r.name.c_str(), r.mutations, r.seconds, r.per_s,
                r.p50_ms, r.p99_ms, r.commits, r.failures);
  std::printf("\nendpoint (group commit) / ceiling = %.2f   (target >= 0.5)\n", rows[1].per_s / rows[0].per_s);
  const Row& a = rows.back();
  std::printf("attack mix (200 slow headers, 2,000 idle, endless chunked pushes, 20 junk sign-in loops): "
              "health p50 %.1f ms, p99 %.1f ms; push p50 %.1f ms, p99 %.1f ms; peak memory growth %.0f MB "
              "(this process: server and clients)\n",
              a.health_p50_ms, a.health_p99_ms, a.p50_ms, a.p99_ms, a.peak_mb);
  std::printf("latency: endpoint = one HTTP push round trip of 10 mutations; ceiling = one 10-row transaction\n");
  return 0;
}
