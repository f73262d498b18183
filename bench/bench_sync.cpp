// Sync endpoint benchmark: 500 simulated canvassers over loopback HTTP, each pushing 60 attempts in
// batches of 10 (a closed loop), against the ceiling of the endpoint's own SQL for the same pushes
// run through SQLite's C API in one thread (same statements, schema, settings and pushes per
// commit), all in one run. Prints tables; asserts nothing. A run repeats the endpoint under the
// attack mix of issue 11 (200 slow-header sockets, 2,000 idle connections, endless chunked bodies,
// junk sign-ins) with health latency and peak memory. Then bursts: as many phones as canvassers,
// each on its own kept-alive connection and link, send one push (1 attempt, then 3) at one
// instant, 5 times, with p50/p99/max latency against p99 < 100 ms. Last, 5,000 phones each pushing
// every 2-3 minutes (an open loop, the time scale compressed by a stated factor), with p50/p99
// push latency and peak open connections.
// Usage: bench_sync [canvassers=500] [workers=64] [phones=5000] [compression=4]. Leaves out TLS.
// BENCH_SYNC_QUICK=1: the ceiling and the group-commit row only; BENCH_SYNC_BURST=1: the bursts only.
#include <httplib.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <functional>
#include <random>
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
#include "server/storage.h"
#include "shared/base/geo.h"
#include "shared/sync/sync_protocol.h"
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
    // Ids from (client, seq): unique here, and no std::random_device call per id (slow on this VM).
    std::array<uint8_t, 16> rnd{};
    uint64_t h = std::hash<std::string>{}(cid);
    for (int k = 0; k < 6; ++k) rnd[6 + k] = static_cast<uint8_t>(h >> (8 * k));
    for (int k = 0; k < 4; ++k) rnd[12 + k] = static_cast<uint8_t>(seq >> (8 * k));
    m.set("id", uuid_v7(at + seq, rnd));
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
  double cpu_s = 0;  // user + system CPU of this process while timing (server and clients)
  long long mutations = 0, commits = 0, writes = 0, failures = 0;  // writes: write units the commits carried
  std::string counts;  // rows in the tables a push writes, after the run
  double health_p50_ms = -1, health_p99_ms = -1, peak_mb = -1;  // attack run only
};

// User + system CPU seconds of this process so far: a measure the shared machine's load skews
// less than wall time.
double cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

std::string loadavg() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

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

// One link per ten phones (crews share a turf and a link), created before timing starts.
std::vector<std::string> crew_tokens(server::App& app, const Seeded& seeded, int phones) {
  std::vector<std::string> tokens;
  for (int i = 0; i < (phones + 9) / 10; ++i) {
    auto l = server::create_link(app.storage(), seeded.campaign, seeded.turf, "crew", "", app.now(), 7 * 86400000LL);
    if (!l) {
      std::fprintf(stderr, "bench_sync: link: %s\n", l.error().message.c_str());
      std::exit(1);
    }
    tokens.push_back(l->token);
  }
  return tokens;
}

// The App every row serves (or writes directly, the ceiling), on a data folder of its own; a
// writer group holds at most `max_group` writes (0: AppConfig's default). Exits on failure.
std::unique_ptr<server::App> open_bench_app(const std::string& dir, size_t max_group = 0) {
  server::AppConfig ac;
  ac.data_dir = dir;
  if (max_group) ac.storage.max_group = max_group;
  auto app = server::App::open(ac);
  if (!app) {
    std::fprintf(stderr, "%s\n", app.error().message.c_str());
    std::exit(1);
  }
  return std::move(*app);
}

// The endpoint on an ephemeral loopback port with `workers` threads, no request log.
server::HttpConfig bench_http(int workers) {
  server::HttpConfig hc;
  hc.port = 0;
  hc.worker_threads = static_cast<size_t>(workers);
  hc.log_requests = false;
  return hc;
}

double pct(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

// Row counts of the tables a push writes, to show the ceiling wrote what the endpoint wrote.
std::string table_counts(sqlite3* h) {
  std::string out;
  for (const char* t : {"attempt", "sync_record", "sync_change", "sync_applied", "sync_seen", "sync_client",
                        "srv_link_client", "srv_link_activity"}) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(h, (std::string("SELECT count(*) FROM ") + t).c_str(), -1, &st, nullptr);
    long long n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    out += std::string(out.empty() ? "" : ", ") + t + " " + std::to_string(n);
  }
  return out;
}

Row run_endpoint(const char* name, int canvassers, int workers, size_t max_group, bool attack = false) {
  std::string dir = tmpdir();
  auto app = open_bench_app(dir, max_group);
  Seeded seeded = seed(*app);
  std::vector<std::string> tokens = crew_tokens(*app, seeded, canvassers);
  server::HttpServer http(bench_http(workers));
  app->register_routes(http.routes());
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
  auto before = app->storage().stats();
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
  double cpu0 = cpu_seconds();
  go = true;
  for (auto& t : ts) t.join();
  double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  double cpu = cpu_seconds() - cpu0;
  double health_p50 = -1, health_p99 = -1, peak_mb = -1;
  if (attack) {
    mix.finish();
    health_p50 = pct(mix.health_ms, 0.5);
    health_p99 = pct(mix.health_ms, 0.99);
    peak_mb = static_cast<double>(status_kb("VmHWM:") - rss_before) / 1024.0;
  }
  auto after = app->storage().stats();
  http.stop();
  srv.join();
  std::string counts;
  (void)app->storage().read([&](store::Db& db) {
    counts = table_counts(db.handle());
    return Status::Ok();
  });

  std::vector<double> all;
  for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
  Row row;
  row.name = name;
  row.mutations = static_cast<long long>(canvassers) * kBatchesPerCanvasser * kBatch;
  row.seconds = secs;
  row.per_s = static_cast<double>(row.mutations) / secs;
  row.p50_ms = pct(all, 0.50);
  row.p99_ms = pct(all, 0.99);
  row.cpu_s = cpu;
  row.commits = static_cast<long long>(after.commits - before.commits);
  row.writes = static_cast<long long>(after.writes - before.writes);
  row.counts = std::move(counts);
  row.failures = failures;
  row.health_p50_ms = health_p50;
  row.health_p99_ms = health_p99;
  row.peak_mb = peak_mb;
  app.reset();
  std::filesystem::remove_all(dir);
  return row;
}

// A burst: `phones` phones, each on its own keep-alive connection (opened and accepted before
// timing) with its own link, released by one barrier to send one push each at the same instant,
// `rounds` times with a pause between (the next doors' attempts each time). A push is what a
// phone sends after recording a door (`attempts` = 1), or back online with a few doors (3): the
// phone's own payload (door, result, canvasser, survey version, position) at the current protocol
// version with recorded_through. Latency runs from the barrier's release to that phone's whole
// answer, so the clients' own sending is counted. The clients are two threads on raw sockets with
// epoll (no thread per phone: they share the 2 cores with the server).
struct BurstRow {
  int phones = 0, attempts = 0, rounds = 0;
  long long pushes = 0, commits = 0, failures = 0;
  double p50_ms = 0, p99_ms = 0, max_ms = 0, worst_round_p99_ms = 0;
  double writer_ms = 0, commit_ms = 0;  // the writer's wall time in groups, and in their COMMITs
  double cpu_s = 0;  // user + system CPU of this process during the bursts (server and clients)
  double client_cpu_s = 0;  // of that, the bench's own client threads (CLOCK_THREAD_CPUTIME_ID)
};

// CPU seconds of the calling thread so far.
double thread_cpu_seconds() {
  timespec t{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

std::string phone_push_body(const std::string& cid, int64_t first_seq, int n, const std::vector<std::string>& doors,
                            size_t phone, int64_t at) {
  sync::PushRequest r;
  r.client_id = cid;
  r.recorded_through = first_seq + n - 1;
  for (int i = 0; i < n; ++i) {
    int64_t seq = first_seq + i;
    json::Value p = json::Value::object();
    p.set("door", doors[(phone + static_cast<size_t>(seq)) % doors.size()]);
    p.set("result", seq % 3 ? "not_home" : "talked");
    p.set("canvasser", "Sam Rivera");
    p.set("survey_version", 0);
    p.set("lat", 34.0093 - 1e-5 * static_cast<double>(seq % 7));
    p.set("lon", -118.456);
    p.set("accuracy_m", 9.5);
    sync::Mutation m;
    m.seq = seq;
    std::array<uint8_t, 16> rnd{};  // ids from (client, seq), as push_body makes them
    uint64_t h = std::hash<std::string>{}(cid);
    for (int k = 0; k < 6; ++k) rnd[6 + k] = static_cast<uint8_t>(h >> (8 * k));
    for (int k = 0; k < 4; ++k) rnd[12 + k] = static_cast<uint8_t>(seq >> (8 * k));
    m.id = uuid_v7(at + seq, rnd);
    m.kind = sync::Kind::attempt_add;
    m.payload = std::move(p);
    m.hlc = Hlc{at + seq, 0, cid.substr(0, 8)}.to_string();
    m.at_ms = at + seq;
    r.mutations.push_back(std::move(m));
  }
  return json::dump(sync::encode(r));
}

// One phone's connection: the request bytes of each round and what came back of this round's answer.
struct BurstConn {
  int fd = -1;
  std::vector<std::string> requests;
  std::string in;
  bool done = false;
  double ms = 0;
};

// Whether `c.in` holds a whole answer; sets ok when it is a 200 with code ok.
bool burst_answer_complete(const BurstConn& c, bool& ok) {
  size_t end = c.in.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  std::string head = c.in.substr(0, end);
  for (auto& ch : head) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  size_t cl = head.find("\r\ncontent-length:");
  if (cl == std::string::npos) {
    ok = false;  // the server's answers to a push always carry Content-Length
    return true;
  }
  size_t len = std::strtoul(head.c_str() + cl + 17, nullptr, 10);
  if (c.in.size() < end + 4 + len) return false;
  ok = c.in.rfind("HTTP/1.1 200", 0) == 0 && c.in.find("\"code\":\"ok\"", end) != std::string::npos;
  return true;
}

BurstRow run_burst(int phones, int workers, int attempts, int rounds) {
  std::string dir = tmpdir();
  auto app = open_bench_app(dir);
  Seeded seeded = seed(*app);
  std::vector<std::string> tokens = crew_tokens(*app, seeded, 10 * phones);  // a link of its own per phone
  server::HttpServer http(bench_http(workers));
  app->register_routes(http.routes());
  int port = http.bind();
  std::thread srv([&] { http.run(); });

  int64_t at = unix_ms();
  std::vector<BurstConn> conns(static_cast<size_t>(phones));
  for (int p = 0; p < phones; ++p) {
    char cid[33];
    std::snprintf(cid, sizeof cid, "%032x", 0xb00000 + attempts * 0x10000 + p);
    BurstConn& c = conns[static_cast<size_t>(p)];
    for (int r = 0; r < rounds; ++r) {
      std::string body = phone_push_body(cid, 1 + r * attempts, attempts, seeded.doors, static_cast<size_t>(p), at);
      c.requests.push_back("POST /api/v1/canvass/push HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                           tokens[static_cast<size_t>(p)] + "\r\nContent-Type: application/json\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\n\r\n" + body);
    }
    c.fd = raw_connect(port);
    if (c.fd < 0) {
      std::fprintf(stderr, "bench_sync: burst: connect failed\n");
      std::exit(1);
    }
  }
  // Every connection accepted by the server before the first release.
  for (int i = 0; i < 1000 && http.connections() < static_cast<size_t>(phones); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));

  constexpr int kClientThreads = 2;
  std::atomic<int> go{0};  // the round number released; -1: stop
  std::atomic<int> finished{0};
  Clock::time_point release;
  std::vector<double> client_cpu(kClientThreads, 0.0);  // each client thread's CPU in the bursts
  std::vector<std::thread> ts;
  for (int t = 0; t < kClientThreads; ++t)
    ts.emplace_back([&, t] {
      int ep = ::epoll_create1(0);
      std::vector<BurstConn*> mine;
      for (size_t i = static_cast<size_t>(t); i < conns.size(); i += kClientThreads) {
        mine.push_back(&conns[i]);
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.ptr = &conns[i];
        ::epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &ev);
      }
      std::vector<epoll_event> evs(mine.size());
      char buf[16384];
      for (int round = 1;; ++round) {
        go.wait(round - 1);
        if (go.load() < 0) break;
        const double cpu_at = thread_cpu_seconds();
        for (BurstConn* c : mine) {
          c->in.clear();
          c->done = false;
          const std::string& rq = c->requests[static_cast<size_t>(round - 1)];
          if (c->fd < 0 || ::send(c->fd, rq.data(), rq.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(rq.size())) {
            c->done = true;
            c->ms = -1;  // a failure
          }
        }
        size_t left = 0;
        for (BurstConn* c : mine) left += !c->done;
        while (left > 0) {
          int n = ::epoll_wait(ep, evs.data(), static_cast<int>(evs.size()), 30000);
          if (n <= 0) break;  // 30 s without an answer: the rest are failures
          for (int i = 0; i < n; ++i) {
            auto* c = static_cast<BurstConn*>(evs[static_cast<size_t>(i)].data.ptr);
            ssize_t got = ::recv(c->fd, buf, sizeof buf, MSG_DONTWAIT);
            if (got > 0) c->in.append(buf, static_cast<size_t>(got));
            bool ok = false;
            if (c->done) {
              if (got == 0) ::epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, nullptr);
              continue;
            }
            if (got == 0 || (got < 0 && errno != EAGAIN)) {
              ::epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, nullptr);
              c->done = true, c->ms = -1, --left;
            } else if (burst_answer_complete(*c, ok)) {
              c->done = true, --left;
              c->ms = ok ? std::chrono::duration<double, std::milli>(Clock::now() - release).count() : -1;
            }
          }
        }
        for (BurstConn* c : mine)
          if (!c->done) c->done = true, c->ms = -1;
        client_cpu[static_cast<size_t>(t)] += thread_cpu_seconds() - cpu_at;
        finished++;
        finished.notify_all();
      }
      ::close(ep);
    });

  BurstRow row;
  row.phones = phones;
  row.attempts = attempts;
  row.rounds = rounds;
  std::vector<double> all;
  auto before = app->storage().stats();
  for (int r = 1; r <= rounds; ++r) {
    std::this_thread::sleep_for(std::chrono::seconds(1));  // the pause; kept-alive connections stay open (5 s)
    finished = 0;
    double cpu0 = cpu_seconds();
    release = Clock::now();
    go = r;
    go.notify_all();
    for (int f = finished.load(); f < kClientThreads; f = finished.load()) finished.wait(f);
    row.cpu_s += cpu_seconds() - cpu0;
    std::vector<double> lat;
    for (auto& c : conns) {
      if (c.ms < 0) row.failures++;
      else lat.push_back(c.ms);
    }
    row.pushes += phones;
    if (!lat.empty()) row.max_ms = std::max(row.max_ms, *std::max_element(lat.begin(), lat.end()));
    all.insert(all.end(), lat.begin(), lat.end());
    row.worst_round_p99_ms = std::max(row.worst_round_p99_ms, pct(lat, 0.99));
  }
  auto after = app->storage().stats();
  go = -1;
  go.notify_all();
  for (auto& t : ts) t.join();
  for (double c : client_cpu) row.client_cpu_s += c;
  for (auto& c : conns)
    if (c.fd >= 0) ::close(c.fd);
  row.commits = static_cast<long long>(after.commits - before.commits);
  row.writer_ms = static_cast<double>(after.busy_us - before.busy_us) / 1000.0;
  row.commit_ms = static_cast<double>(after.commit_us - before.commit_us) / 1000.0;
  row.p50_ms = pct(all, 0.5);
  row.p99_ms = pct(all, 0.99);
  http.stop();
  srv.join();
  app.reset();
  std::filesystem::remove_all(dir);
  return row;
}

// 5,000 phones, each pushing every 2-3 minutes: an open loop. Each phone's pushes are due at times
// drawn uniformly 2-3 minutes apart (the first within its first period), with the time scale
// compressed by `compression` (4: every 30-45 s of bench time, four times the real arrival rate).
// A push opens a new connection (a phone's last one was closed by the server's 5 s keep-alive long
// ago); three in ten carry a second batch right after the first on the same, reused connection. The
// phone then leaves its connection open, as a browser does, until the server's keep-alive closes it.
// Latency runs from when the push was due (the first) or when the first answer came (the second)
// to its answer, so a client falling behind its timetable is counted, not hidden.
struct PhonesRow {
  int phones = 0;
  double compression = 0, seconds = 0, rate_per_s = 0, p50_ms = 0, p99_ms = 0, max_ms = 0, lag_p99_ms = 0;
  long long pushes = 0, reused = 0, failures = 0, commits = 0;
  size_t peak_connections = 0;
};

PhonesRow run_phones(int phones, int workers, double compression, double bench_seconds) {
  std::string dir = tmpdir();
  auto app = open_bench_app(dir);
  Seeded seeded = seed(*app);
  std::vector<std::string> tokens = crew_tokens(*app, seeded, phones);
  server::HttpServer http(bench_http(workers));
  app->register_routes(http.routes());
  int port = http.bind();
  std::thread srv([&] { http.run(); });

  // The timetable, in bench seconds from the start.
  const double lo = 120.0 / compression, hi = 180.0 / compression;
  struct Event {
    double at;
    int phone;
    bool second;  // carries a second batch on the same connection
  };
  std::mt19937_64 rng(20261202);
  std::uniform_real_distribution<double> u01(0, 1);
  std::vector<Event> events;
  std::vector<int> per_phone(static_cast<size_t>(phones), 0);
  for (int p = 0; p < phones; ++p)
    for (double t = u01(rng) * (lo + (hi - lo) * u01(rng)); t < bench_seconds; t += lo + (hi - lo) * u01(rng)) {
      bool two = u01(rng) < 0.3;
      events.push_back({t, p, two});
      per_phone[static_cast<size_t>(p)] += two ? 2 : 1;
    }
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.at < b.at; });
  int64_t at = unix_ms();
  std::vector<std::vector<std::string>> bodies(static_cast<size_t>(phones));
  for (int p = 0; p < phones; ++p) {
    char cid[33];
    std::snprintf(cid, sizeof cid, "%032x", 0xf00000 + p);
    for (int b = 0; b < per_phone[static_cast<size_t>(p)]; ++b)
      bodies[static_cast<size_t>(p)].push_back(push_body(cid, 1 + b * kBatch, seeded.doors, at));
  }
  std::vector<size_t> next_body(static_cast<size_t>(phones), 0);
  auto before = app->storage().stats();

  std::atomic<bool> sampling{true};
  std::atomic<size_t> peak{0};
  std::thread sampler([&] {
    while (sampling) {
      size_t n = http.connections();
      if (n > peak) peak = n;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  // Connections left open after a phone's pushes, closed (client side) once the server's
  // keep-alive has surely closed them.
  std::mutex park_mu;
  std::deque<std::pair<Clock::time_point, std::unique_ptr<httplib::Client>>> parked;
  std::atomic<size_t> next{0};
  std::atomic<long long> failures{0}, reused{0};
  std::mutex lat_mu;
  std::vector<double> lat, lag;
  auto t0 = Clock::now();
  auto due = [&](double s) { return t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s)); };
  std::vector<std::thread> ts;
  for (int w = 0; w < 256; ++w)
    ts.emplace_back([&] {
      for (;;) {
        size_t i = next++;
        if (i >= events.size()) return;
        const Event& e = events[i];
        auto when = due(e.at);
        std::this_thread::sleep_until(when);
        auto cli = std::make_unique<httplib::Client>("127.0.0.1", port);
        cli->set_keep_alive(true);
        cli->set_connection_timeout(30, 0);
        cli->set_read_timeout(60, 0);
        cli->set_write_timeout(60, 0);
        httplib::Headers h{{"Authorization", "Bearer " + tokens[static_cast<size_t>(e.phone) % tokens.size()]}};
        std::vector<double> mine;
        auto from = when;
        double late = std::chrono::duration<double, std::milli>(Clock::now() - when).count();
        for (int k = 0; k < (e.second ? 2 : 1); ++k) {
          const std::string& b = bodies[static_cast<size_t>(e.phone)][next_body[static_cast<size_t>(e.phone)]++];
          auto r = cli->Post("/api/v1/canvass/push", h, b, "application/json");
          auto end = Clock::now();
          if (!r || r->status != 200 || r->body.find("\"code\":\"ok\"") == std::string::npos) failures++;
          mine.push_back(std::chrono::duration<double, std::milli>(end - from).count());
          from = end;
          if (k) reused++;
        }
        {
          std::lock_guard<std::mutex> l(lat_mu);
          lat.insert(lat.end(), mine.begin(), mine.end());
          lag.push_back(late);
        }
        std::lock_guard<std::mutex> l(park_mu);
        auto now = Clock::now();
        while (!parked.empty() && parked.front().first < now) parked.pop_front();
        parked.emplace_back(now + std::chrono::seconds(6), std::move(cli));
      }
    });
  for (auto& t : ts) t.join();
  double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  sampling = false;
  sampler.join();
  parked.clear();
  auto after = app->storage().stats();
  http.stop();
  srv.join();
  PhonesRow row;
  row.phones = phones;
  row.compression = compression;
  row.seconds = secs;
  row.pushes = static_cast<long long>(lat.size());
  row.rate_per_s = static_cast<double>(lat.size()) / bench_seconds;
  row.p50_ms = pct(lat, 0.5);
  row.p99_ms = pct(lat, 0.99);
  row.max_ms = lat.empty() ? 0 : *std::max_element(lat.begin(), lat.end());
  row.lag_p99_ms = pct(lag, 0.99);
  row.reused = reused;
  row.failures = failures;
  row.commits = static_cast<long long>(after.commits - before.commits);
  row.peak_connections = peak;
  app.reset();
  std::filesystem::remove_all(dir);
  return row;
}

// The ceiling: the SQL the endpoint runs for the same pushes, statement for statement on the real
// schema (an App's database, seeded as the endpoint's is), with as many pushes per durable commit
// as the group-commit row's mean group, each in its savepoints, with the writer's settings
// (synchronous=FULL, secure_delete, temp_store=MEMORY, 8 MiB cache), through SQLite's C API from
// one thread. What it leaves out is the layer: HTTP, JSON (parsing, payload and change encoding,
// content hashes: all made before timing), threads and queueing, statement lookup. Also left out:
// the reads on the reader connections (token, quota), which run beside the writer, and WAL
// checkpoints (the endpoint's run on their own thread; here none runs while timing).
Row run_ceiling(int canvassers, double mean_group) {
  std::string dir = tmpdir();
  auto app = open_bench_app(dir);
  Seeded seeded = seed(*app);
  std::vector<std::string> link_ids;
  for (int i = 0; i < (canvassers + 9) / 10; ++i) {
    auto l = server::create_link(app->storage(), seeded.campaign, seeded.turf, "crew", "", app->now(), 7 * 86400000LL);
    if (!l) std::exit(1);
    link_ids.push_back(l->record.id);
  }
  std::string path = dynamic_cast<server::SqliteStorage&>(app->storage()).path();
  // The pushes, as the endpoint's clients send them, decoded and encoded as the endpoint would.
  struct Mut {
    std::string id, door, hlc, payload, change, hash;
    int64_t seq = 0, at = 0;
    std::optional<double> lat, lon, accuracy;
    std::string result;
  };
  struct Push {
    std::string client, link;
    std::vector<Mut> muts;
  };
  int64_t at = unix_ms();
  std::vector<Push> pushes;  // batch b of every canvasser, then batch b + 1
  for (int b = 0; b < kBatchesPerCanvasser; ++b)
    for (int c = 0; c < canvassers; ++c) {
      char cid[33];
      std::snprintf(cid, sizeof cid, "%032x", 0xbe0000 + c);
      auto req = sync::parse_push_request(push_body(cid, 1 + b * kBatch, seeded.doors, at));
      if (!req) std::exit(1);
      Push p{cid, link_ids[static_cast<size_t>(c) % link_ids.size()], {}};
      for (const auto& m : req->mutations) {
        Mut x;
        x.id = m.id;
        x.door = m.payload.find("door")->as_string();
        x.hlc = m.hlc;
        x.payload = json::dump(m.payload);
        sync::Change ch;
        ch.entity = "attempt";
        ch.id = m.id;
        ch.record = m.payload;
        ch.record.set("at", m.at_ms);
        ch.record.set("off_turf", false);
        ch.hlc = m.hlc;
        x.change = json::dump(ch.to_json());
        x.hash = m.content_hash();
        x.seq = m.seq;
        x.at = m.at_ms;
        x.lat = m.payload.find("lat")->as_double();
        x.lon = m.payload.find("lon")->as_double();
        x.accuracy = m.payload.find("accuracy_m")->as_double();
        x.result = m.payload.find("result")->as_string();
        p.muts.push_back(std::move(x));
      }
      pushes.push_back(std::move(p));
    }
  app.reset();

  sqlite3* h = nullptr;
  sqlite3_open_v2(path.c_str(), &h, SQLITE_OPEN_READWRITE, nullptr);
  sqlite3_exec(h,
               "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON; PRAGMA temp_store=MEMORY;"
               " PRAGMA cache_size=-8192; PRAGMA wal_autocheckpoint=0; PRAGMA foreign_keys=ON",
               nullptr, nullptr, nullptr);
  auto prep = [&](const char* sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v3(h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK) {
      std::fprintf(stderr, "ceiling: prepare %s: %s\n", sql, sqlite3_errmsg(h));
      std::exit(1);
    }
    return st;
  };
  // The endpoint's statements (shared/sync/sync_server.cpp, shared/sync/mirror.cpp,
  // server/link_activity.cpp), in the order one attempt.add push runs them.
  sqlite3_stmt* own = prep(
      "INSERT INTO sync_client(client_id, turf_id, last_seq, first_ms, last_ms, high_water, link_id)"
      " VALUES(?1, ?2, 0, ?3, ?3, 0, ?4) ON CONFLICT(client_id) DO UPDATE SET link_id=excluded.link_id"
      " WHERE sync_client.link_id=''");
  sqlite3_stmt* client = prep("SELECT last_seq, high_water FROM sync_client WHERE client_id=?1");
  sqlite3_stmt* applied = prep("SELECT hash FROM sync_applied WHERE mutation_id=?1");
  sqlite3_stmt* member = prep(
      "SELECT td.deleted FROM turf_door td JOIN door d ON d.id=td.door_id"
      " WHERE td.turf_id=?1 AND td.door_id=?2 AND d.campaign_id=?3");
  sqlite3_stmt* taken = prep("SELECT 1 FROM attempt WHERE id=?1");
  sqlite3_stmt* record = prep(
      "INSERT INTO sync_record(id, kind, turf_id, door_id, client_id, seq, hlc, at_ms, server_ms, payload,"
      " off_turf, rejected) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  sqlite3_stmt* change = prep("INSERT INTO sync_change(turf_id, body) VALUES(?1, ?2)");
  sqlite3_stmt* door = prep("SELECT campaign_id, lat, lon FROM door WHERE id=?1");
  sqlite3_stmt* attempt = prep(
      "INSERT OR IGNORE INTO attempt(id, campaign_id, door_id, person_id, turf_id, result, answers, notes,"
      " canvasser, device, client_ms, server_ms, lat, lon, accuracy_m, distance_m, off_turf, survey_version)"
      " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)");
  sqlite3_stmt* applied_ins =
      prep("INSERT INTO sync_applied(mutation_id, hash, client_id, seq, server_ms) VALUES(?1, ?2, ?3, ?4, ?5)");
  sqlite3_stmt* seen = prep("INSERT INTO sync_seen(client_id, seq, mutation_id, hash) VALUES(?1, ?2, ?3, ?4)");
  sqlite3_stmt* up = prep(
      "INSERT INTO sync_client(client_id, turf_id, last_seq, first_ms, last_ms, high_water) VALUES(?1, ?2, ?3, ?4, ?4, ?5) "
      "ON CONFLICT(client_id) DO UPDATE SET last_seq=excluded.last_seq, last_ms=excluded.last_ms,"
      " high_water=max(high_water, excluded.high_water)");
  sqlite3_stmt* link_client = prep(
      "INSERT INTO srv_link_client(client_id, link_id, first_at, last_at) VALUES(?1, ?2, ?3, ?3) "
      "ON CONFLICT(client_id) DO UPDATE SET last_at=?3");
  sqlite3_stmt* link_use = prep(
      "INSERT INTO srv_link_activity(link_id, opened_at, downloaded_at) VALUES(?1, ?2, ?3) "
      "ON CONFLICT(link_id) DO UPDATE SET downloaded_at=CASE WHEN ?3 > 0 THEN ?3 ELSE downloaded_at END");
  auto text = [](sqlite3_stmt* st, int i, const std::string& v) { sqlite3_bind_text(st, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC); };
  auto real = [](sqlite3_stmt* st, int i, std::optional<double> v) {
    if (v) sqlite3_bind_double(st, i, *v);
    else sqlite3_bind_null(st, i);
  };
  auto done = [&](sqlite3_stmt* st) {
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) std::fprintf(stderr, "ceiling: %s\n", sqlite3_errmsg(h));
    sqlite3_reset(st);
  };
  // Transactions and savepoints as prepared statements too (the endpoint prepares them once).
  sqlite3_stmt* begin = prep("BEGIN IMMEDIATE");
  sqlite3_stmt* commit = prep("COMMIT");
  sqlite3_stmt* sp_w = prep("SAVEPOINT w");
  sqlite3_stmt* sp_unit = prep("SAVEPOINT sync_unit");
  sqlite3_stmt* rel_unit = prep("RELEASE sync_unit");
  sqlite3_stmt* rel_w = prep("RELEASE w");
  const std::string& turf = seeded.turf;
  const std::string& campaign = seeded.campaign;
  const size_t group = std::max<size_t>(1, static_cast<size_t>(mean_group + 0.5));
  std::vector<double> lat;
  long long commits = 0;
  auto t0 = Clock::now();
  double cpu0 = cpu_seconds();
  for (size_t g = 0; g < pushes.size(); g += group) {
    auto g0 = Clock::now();
    done(begin);
    for (size_t k = g; k < std::min(pushes.size(), g + group); ++k) {
      const Push& p = pushes[k];
      int64_t now = unix_ms();
      done(sp_w);
      done(sp_unit);
      text(own, 1, p.client), text(own, 2, turf), sqlite3_bind_int64(own, 3, now), text(own, 4, p.link);
      done(own);
      text(client, 1, p.client);
      int64_t seq = 0, mark = 0;
      if (sqlite3_step(client) == SQLITE_ROW) seq = sqlite3_column_int64(client, 0), mark = sqlite3_column_int64(client, 1);
      sqlite3_reset(client);
      mark = std::max(mark, p.muts.back().seq);
      std::map<std::string, int64_t> memo;  // membership once per door per push, as the endpoint does
      for (const Mut& m : p.muts) {
        text(applied, 1, m.id);
        if (sqlite3_step(applied) == SQLITE_ROW) std::fprintf(stderr, "ceiling: applied twice\n");
        sqlite3_reset(applied);
        if (!memo.count(m.door)) {
          text(member, 1, turf), text(member, 2, m.door), text(member, 3, campaign);
          memo[m.door] = sqlite3_step(member) == SQLITE_ROW ? sqlite3_column_int64(member, 0) : -1;
          sqlite3_reset(member);
        }
        text(taken, 1, m.id);
        if (sqlite3_step(taken) == SQLITE_ROW) std::fprintf(stderr, "ceiling: attempt id taken\n");
        sqlite3_reset(taken);
        text(record, 1, m.id), sqlite3_bind_text(record, 2, "attempt.add", -1, SQLITE_STATIC), text(record, 3, turf),
            text(record, 4, m.door), text(record, 5, p.client), sqlite3_bind_int64(record, 6, m.seq), text(record, 7, m.hlc),
            sqlite3_bind_int64(record, 8, m.at), sqlite3_bind_int64(record, 9, now), text(record, 10, m.payload),
            sqlite3_bind_int(record, 11, 0), sqlite3_bind_text(record, 12, "", 0, SQLITE_STATIC);
        done(record);
        text(change, 1, turf), text(change, 2, m.change);
        done(change);
        text(door, 1, m.door);
        std::string door_campaign;
        std::optional<double> dlat, dlon, distance;
        if (sqlite3_step(door) == SQLITE_ROW) {
          door_campaign = reinterpret_cast<const char*>(sqlite3_column_text(door, 0));
          if (sqlite3_column_type(door, 1) != SQLITE_NULL) dlat = sqlite3_column_double(door, 1);
          if (sqlite3_column_type(door, 2) != SQLITE_NULL) dlon = sqlite3_column_double(door, 2);
        }
        sqlite3_reset(door);
        if (dlat && dlon && m.lat && m.lon) distance = geo::haversine_m(*m.lat, *m.lon, *dlat, *dlon);
        static const std::string empty, answers = "{}";
        text(attempt, 1, m.id), text(attempt, 2, door_campaign), text(attempt, 3, m.door), text(attempt, 4, empty),
            text(attempt, 5, turf), text(attempt, 6, m.result), text(attempt, 7, answers), text(attempt, 8, empty),
            text(attempt, 9, empty), text(attempt, 10, p.client), sqlite3_bind_int64(attempt, 11, m.at),
            sqlite3_bind_int64(attempt, 12, now), real(attempt, 13, m.lat), real(attempt, 14, m.lon),
            real(attempt, 15, m.accuracy), real(attempt, 16, distance), sqlite3_bind_int(attempt, 17, 0),
            sqlite3_bind_int64(attempt, 18, 0);
        done(attempt);
        text(applied_ins, 1, m.id), text(applied_ins, 2, m.hash), text(applied_ins, 3, p.client),
            sqlite3_bind_int64(applied_ins, 4, m.seq), sqlite3_bind_int64(applied_ins, 5, now);
        done(applied_ins);
        text(seen, 1, p.client), sqlite3_bind_int64(seen, 2, m.seq), text(seen, 3, m.id), text(seen, 4, m.hash);
        done(seen);
        seq = m.seq;
      }
      text(up, 1, p.client), text(up, 2, turf), sqlite3_bind_int64(up, 3, seq), sqlite3_bind_int64(up, 4, now),
          sqlite3_bind_int64(up, 5, mark);
      done(up);
      done(rel_unit);
      text(link_client, 1, p.client), text(link_client, 2, p.link), sqlite3_bind_int64(link_client, 3, now);
      done(link_client);
      text(link_use, 1, p.link), sqlite3_bind_int64(link_use, 2, now), sqlite3_bind_int64(link_use, 3, 0);
      done(link_use);
      done(rel_w);
    }
    done(commit);
    ++commits;
    lat.push_back(std::chrono::duration<double, std::milli>(Clock::now() - g0).count());
  }
  double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  double cpu = cpu_seconds() - cpu0;
  for (sqlite3_stmt* st : {own, client, applied, member, taken, record, change, door, attempt, applied_ins, seen, up,
                           link_client, link_use, begin, commit, sp_w, sp_unit, rel_unit, rel_w})
    sqlite3_finalize(st);
  std::string counts = table_counts(h);
  sqlite3_close(h);
  Row row;
  row.name = "ceiling: endpoint's SQL, C API";
  row.mutations = static_cast<long long>(canvassers) * kBatchesPerCanvasser * kBatch;
  row.seconds = secs;
  row.per_s = static_cast<double>(row.mutations) / secs;
  row.p50_ms = pct(lat, 0.5);
  row.p99_ms = pct(lat, 0.99);
  row.commits = commits;
  row.cpu_s = cpu;
  row.writes = static_cast<long long>(pushes.size());
  row.counts = std::move(counts);
  std::filesystem::remove_all(dir);
  return row;
}

// The burst rows: one push per phone, all at one instant, a door's push and a few doors' push.
void print_bursts(int phones, int workers) {
  constexpr int kRounds = 5;
  std::vector<BurstRow> rows;
  for (int attempts : {1, 3}) rows.push_back(run_burst(phones, workers, attempts, kRounds));
  std::printf("\nburst: %d phones, each on its own kept-alive connection and link, released by one barrier to send one\n"
              "  push at the same instant; %d bursts a second apart; latency from the release to that phone's answer\n",
              phones, kRounds);
  std::printf("%-28s %8s %9s %9s %9s %15s %8s %6s %11s %14s %13s   %s\n", "push", "pushes", "p50 ms", "p99 ms", "max ms",
              "worst burst p99", "commits", "fail", "cpu us/push", "server us/push", "writer ms/b", "target p99 < 100 ms");
  for (const auto& b : rows) {
    std::string name = std::to_string(b.attempts) + (b.attempts == 1 ? " attempt (a door)" : " attempts (back online)");
    const double per = 1e6 / static_cast<double>(std::max(1LL, b.pushes));
    char writer[32];
    std::snprintf(writer, sizeof writer, "%.1f (%.1f)", b.writer_ms / b.rounds, b.commit_ms / b.rounds);
    std::printf("%-28s %8lld %9.2f %9.2f %9.2f %15.2f %8lld %6lld %11.0f %14.0f %13s   %s\n", name.c_str(), b.pushes, b.p50_ms,
                b.p99_ms, b.max_ms, b.worst_round_p99_ms, b.commits, b.failures, per * b.cpu_s,
                per * (b.cpu_s - b.client_cpu_s), writer, b.p99_ms < 100 && b.failures == 0 ? "met" : "MISSED");
  }
  std::printf("  cpu us/push: the whole process (server and the bench's client threads); server us/push: the same\n"
              "  less the client threads' own CPU; writer ms/b: the writer's wall time a burst (in its COMMITs: the\n"
              "  WAL's write and fsync). On %u cores a burst cannot end before\n"
              "  phones x cpu us/push / cores, whatever the server does.\n", std::thread::hardware_concurrency());
  std::printf("  (/proc/loadavg: %s)\n", loadavg().c_str());
}

}  // namespace

int main(int argc, char** argv) {
  int canvassers = argc > 1 ? std::atoi(argv[1]) : 500;
  int workers = argc > 2 ? std::atoi(argv[2]) : 64;
  int phones = argc > 3 ? std::atoi(argv[3]) : 5000;
  double compression = argc > 4 ? std::atof(argv[4]) : 4;
  const double phone_seconds = 60;
  std::printf("bench_sync: %d canvassers x %d pushes x %d attempts over loopback; server workers %d; "
              "WAL + synchronous=FULL on %s\n",
              canvassers, kBatchesPerCanvasser, kBatch, workers, "/tmp");
  rlimit rl{};  // the attack run holds some 5,000 sockets (both ends) in this process
  if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &rl);
  }
  std::vector<Row> rows;
  if (std::getenv("BENCH_SYNC_PHONES_ONLY")) canvassers = 0;  // by hand: the open-loop run alone
  // By hand: BENCH_SYNC_QUICK=1 runs the ceiling and the group-commit row alone; BENCH_SYNC_BURST=1
  // the burst rows alone.
  const bool quick = std::getenv("BENCH_SYNC_QUICK") != nullptr;
  const bool burst_only = !quick && std::getenv("BENCH_SYNC_BURST") != nullptr;
  if (canvassers > 0 && !burst_only) {
  rows.push_back(run_endpoint("endpoint, group commit", canvassers, workers, 256));
  // The ceiling takes the group-commit row's mean pushes per commit.
  const double mean_group = static_cast<double>(rows[0].writes) / static_cast<double>(std::max(1LL, rows[0].commits));
  rows.insert(rows.begin(), run_ceiling(canvassers, mean_group));
  if (!quick) {
    rows.push_back(run_endpoint("endpoint, one commit per push", canvassers, workers, 1));
    rows.push_back(run_endpoint("endpoint, group commit, attack mix", canvassers, workers, 256, true));
  }
  std::printf("\n%-36s %10s %9s %12s %9s %9s %8s %6s %10s\n", "run", "mutations", "seconds", "mutations/s", "p50 ms",
              "p99 ms", "commits", "fail", "cpu us/mut");
  for (const auto& r : rows)
    std::printf("%-36s %10lld %9.2f %12.0f %9.2f %9.2f %8lld %6lld %10.1f\n", r.name.c_str(), r.mutations, r.seconds, r.per_s,
                r.p50_ms, r.p99_ms, r.commits, r.failures, 1e6 * r.cpu_s / static_cast<double>(r.mutations));
  std::printf("\nendpoint (group commit) / ceiling = %.2f   (target >= 0.5)\n", rows[1].per_s / rows[0].per_s);
  std::printf("ceiling: the SQL statements the endpoint runs for these pushes, in its order, on the real schema and the\n"
              "  writer's settings, %.1f pushes per durable commit (the group-commit row's mean), one thread, SQLite's C\n"
              "  API; left out: HTTP, JSON, threads, statement lookup, the token and quota reads (reader connections)\n"
              "  and WAL checkpoints (none while timing). So the ratio is the layer's overhead over its own SQL.\n",
              static_cast<double>(rows[0].writes) / static_cast<double>(std::max(1LL, rows[0].commits)));
  std::printf("cpu us/mut: user + system CPU of the whole process (server, and clients for the endpoint rows) per\n"
              "  mutation while timing; the machine's load skews it less than mutations/s (/proc/loadavg: %s)\n",
              loadavg().c_str());
  std::printf("rows written: ceiling %s\n              endpoint %s (%s)\n", rows[0].counts.c_str(), rows[1].counts.c_str(),
              rows[0].counts == rows[1].counts ? "the same" : "DIFFERENT");
  if (!quick) {
  const Row& a = rows.back();
  std::printf("attack mix (200 slow headers, 2,000 idle, endless chunked pushes, 20 junk sign-in loops): "
              "health p50 %.1f ms, p99 %.1f ms; push p50 %.1f ms, p99 %.1f ms; peak memory growth %.0f MB "
              "(this process: server and clients)\n",
              a.health_p50_ms, a.health_p99_ms, a.p50_ms, a.p99_ms, a.peak_mb);
  std::printf("latency: endpoint = one HTTP push round trip of 10 mutations; ceiling = one 10-row transaction\n");
  std::printf("closed loop: each canvasser pushes again as soon as it is answered, so the mean latency is bound to be\n"
              "  canvassers / pushes per second (Little's law): %d / %.0f = %.0f ms for the group-commit row; a p50 near\n"
              "  it means no waiting beyond the writer's own pace; p99 < 100 ms needs %d pushes/s\n",
              canvassers, rows[1].per_s / kBatch, 1000.0 * canvassers / (rows[1].per_s / kBatch), canvassers * 10);
  }
  }
  if (quick) return 0;
  if (canvassers > 0) print_bursts(canvassers, workers);
  if (burst_only) return 0;

  PhonesRow ph = run_phones(phones, workers, compression, phone_seconds);
  const double real_rate = phones / 150.0 * 1.3;  // a visit per phone per 150 s on average, 1.3 pushes a visit
  std::printf("\n%d phones, each pushing every 2-3 min (10 attempts a push): time compressed %gx, so every %.0f-%.0f s of bench\n"
              "time; real arrival rate %.1f pushes/s, bench rate %.1f pushes/s over %.0f s\n",
              ph.phones, ph.compression, 120 / ph.compression, 180 / ph.compression, real_rate, ph.rate_per_s, phone_seconds);
  std::printf("%-10s %14s %8s %8s %9s %9s %9s %12s %8s %6s %13s\n", "phones", "rate pushes/s", "pushes", "reused",
              "p50 ms", "p99 ms", "max ms", "client lag99", "commits", "fail", "peak conns");
  std::printf("%-10d %14.1f %8lld %8lld %9.2f %9.2f %9.2f %12.2f %8lld %6lld %13zu\n", ph.phones, ph.rate_per_s, ph.pushes,
              ph.reused, ph.p50_ms, ph.p99_ms, ph.max_ms, ph.lag_p99_ms, ph.commits, ph.failures, ph.peak_connections);
  std::printf("connections: new per phone visit; 'reused' = a second batch on the same connection; each stays open\n"
              "  until the server's 5 s keep-alive closes it (peak conns = the server's own count, sampled every 2 ms)\n");
  return 0;
}
