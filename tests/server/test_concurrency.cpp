// Concurrency and crash safety over real loopback HTTP: 50 clients pushing at once through the
// group commit; asynchronous writes (Storage::write_async) sharing one group beyond any thread count,
// and deferred push answers that leave no session behind, also on kept-alive connections; a canvasser pushing while an organizer imports a large voter file (answered within
// seconds, each mutation landing once); then a real `doorstep serve` child killed with SIGKILL in
// the middle of pushes and restarted, after which every acknowledged mutation is present exactly
// once and resending the unacknowledged ones completes every client's history without duplicates.
#include <fcntl.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <set>

#include "bench/ca_voter_gen.h"
#include "shared/sync/sync_server.h"
#include "tests/server/child.h"
#include "tests/server/fixture.h"

using namespace doorstep;

namespace {

std::string client_id(int i) {
  char buf[33];
  std::snprintf(buf, sizeof buf, "%032x", 0x5eed0000 + i);
  return buf;
}

// Pre-built batches: a retry must resend byte-identical content for the same seq numbers.
std::vector<std::string> batches_for(const std::string& cid, int batches, int per_batch,
                                     const std::vector<std::string>& doors, int64_t at) {
  std::vector<std::string> out;
  for (int b = 0; b < batches; ++b) out.push_back(fixture::push_body(cid, 1 + b * per_batch, per_batch, doors, at));
  return out;
}

std::vector<sync::RecordRow> records_in(const std::string& db_path) {
  auto db = store::Db::open(db_path, store::OpenOptions{false, true, false, 5000, false});
  REQUIRE(db.ok());
  auto recs = sync::read_records(*db);
  REQUIRE(recs.ok());
  return *recs;
}

// `n` crew links to the seeded campaign's first turf (phones share them, as crews do).
std::vector<std::string> crew_tokens(fixture::Server& s, const fixture::Seeded& seeded, int n) {
  std::vector<std::string> tokens;
  for (int i = 0; i < n; ++i) {
    auto l = server::create_link(s.app->storage(), seeded.campaign, seeded.turf_a, "crew", "", s.now_ms, 86400000);
    REQUIRE(l.ok());
    tokens.push_back(l->token);
  }
  return tokens;
}

// Pushes the bodies in turn on one client: each one's acked_through, stopping at the first push not
// answered 200 with code "ok" (fewer acknowledgements than bodies then).
std::vector<int64_t> push_each(httplib::Client& cli, const std::string& token, const std::vector<std::string>& bodies) {
  std::vector<int64_t> acks;
  for (const auto& b : bodies) {
    auto r = cli.Post("/api/v1/canvass/push", fixture::bearer(token), b, "application/json");
    auto v = r && r->status == 200 ? json::parse(r->body) : Result<json::Value>(Error{Code::io, "no answer"});
    if (!v || v->find("code")->as_string() != "ok") break;
    acks.push_back(v->find("acked_through")->as_int());
  }
  return acks;
}

}  // namespace

TEST_CASE("50 concurrent clients pushing: every mutation applied exactly once") {
  fixture::Server s;
  auto seeded = fixture::seed(*s.app);
  std::vector<std::string> tokens = crew_tokens(s, seeded, 5);
  constexpr int kClients = 50, kBatches = 6, kPer = 10;
  std::vector<int64_t> acked(kClients, 0);
  std::vector<std::thread> threads;
  std::atomic<int> errors{0};
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      auto cli = s.client();
      auto bodies = batches_for(client_id(c), kBatches, kPer, seeded.doors_a, s.now_ms);
      auto acks = push_each(cli, tokens[c % tokens.size()], bodies);
      if (acks.size() != bodies.size()) errors++;
      if (!acks.empty()) acked[c] = acks.back();
    });
  }
  for (auto& t : threads) t.join();
  CHECK(errors == 0);
  for (int c = 0; c < kClients; ++c) CHECK(acked[c] == kBatches * kPer);
  std::vector<sync::RecordRow> recs;
  s.app->storage().read([&](store::Db& db) {
    auto r = sync::read_records(db);
    if (r) recs = *r;
    return Status::Ok();
  });
  CHECK(recs.size() == static_cast<size_t>(kClients * kBatches * kPer));
  std::set<std::pair<std::string, int64_t>> seen;
  for (const auto& r : recs) seen.insert({r.client_id, r.seq});
  CHECK(seen.size() == recs.size());
  // Group commit did share commits between pushes (fewer commits than writes).
  auto st = s.app->storage().stats();
  MESSAGE("group commit: " << st.writes << " writes in " << st.commits << " commits");
  CHECK(st.commits <= st.writes);
}

TEST_CASE("300 asynchronous writes queued at once share two commits; a failing one rolls back alone") {
  fixture::TempDir dir;
  server::SqliteStorage::Options o;
  o.migrate = [](store::Db& db) { return db.exec("CREATE TABLE t(x INTEGER NOT NULL)"); };
  auto st = server::SqliteStorage::open(dir.path + "/s.db", o);
  REQUIRE(st.ok());
  server::SqliteStorage& storage = **st;
  // The writer held by an exclusive job until every write is queued: no thread waits for them.
  std::mutex mu;
  std::condition_variable cv;
  bool started = false, release = false;
  int done = 0, failed = 0;
  std::thread holder([&] {
    (void)storage.exclusive([&](store::Db&) {
      std::unique_lock<std::mutex> l(mu);
      started = true;
      cv.notify_all();
      cv.wait(l, [&] { return release; });
      return Status::Ok();
    });
  });
  {
    std::unique_lock<std::mutex> l(mu);
    cv.wait(l, [&] { return started; });
  }
  const auto before = storage.stats();
  constexpr int kWrites = 300;
  for (int i = 0; i < kWrites; ++i)
    storage.write_async(
        [i](store::Db& db) -> Status {
          TRY(db.exec("INSERT INTO t(x) VALUES(" + std::to_string(i) + ")"));
          if (i == 7) return Error{Code::conflict, "this one fails after writing"};
          return Status::Ok();
        },
        [&](Status s) {
          std::lock_guard<std::mutex> l(mu);
          ++done;
          failed += !s.ok();
          cv.notify_all();
        });
  CHECK(storage.writes_waiting());
  {
    std::lock_guard<std::mutex> l(mu);
    release = true;
  }
  cv.notify_all();
  {
    std::unique_lock<std::mutex> l(mu);
    CHECK(cv.wait_for(l, std::chrono::seconds(30), [&] { return done == kWrites; }));
  }
  holder.join();
  const auto after = storage.stats();
  CHECK(failed == 1);
  CHECK(after.writes - before.writes == kWrites + 1);  // and the exclusive job
  CHECK(after.commits - before.commits == 3);          // the exclusive job, then groups of 256 and 44
  int64_t rows = -1, has7 = -1;
  REQUIRE(storage.read([&](store::Db& db) -> Status {
    auto q = db.prepare("SELECT count(*), sum(x=7) FROM t");
    if (!q) return q.error();
    auto r = q->step();
    if (!r) return r.error();
    rows = q->int64(0);
    has7 = q->int64(1);
    return Status::Ok();
  }).ok());
  CHECK(rows == kWrites - 1);
  CHECK(has7 == 0);
}

TEST_CASE("pushes answered from the writer's completion leave no connection behind once closed") {
  fixture::Server s;
  auto seeded = fixture::seed(*s.app);
  std::vector<std::string> tokens = crew_tokens(s, seeded, 1);
  auto bodies = batches_for(client_id(77), 20, 2, seeded.doors_a, s.now_ms);
  for (const auto& b : bodies) {
    auto cli = s.client();  // a connection a push, closed after its answer (Connection: close)
    auto r = cli.Post("/api/v1/canvass/push", fixture::bearer(tokens[0]), b, "application/json");
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  // Each session is gone once its connection closed: the count the connection cap uses is back to 0.
  for (int i = 0; i < 500 && s.http->connections() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(s.http->connections() == 0);
}

// A deferred push is answered from the writer's thread; on a kept-alive connection the session then
// reads the next request while the worker that ran the handler may still be returning from it
// (test_http.cpp's deferred-answer test makes that happen every time; this is the real route under
// load, as browsers use it).
TEST_CASE("phones pushing back to back on kept-alive connections: every push answered, the server still up") {
  fixture::Server s;
  auto seeded = fixture::seed(*s.app);
  std::vector<std::string> tokens = crew_tokens(s, seeded, 8);
  constexpr int kPhones = 24, kPushes = 60;
  std::atomic<int> errors{0};
  std::vector<int64_t> acked(kPhones, 0);
  std::vector<std::thread> threads;
  for (int c = 0; c < kPhones; ++c) {
    threads.emplace_back([&, c] {
      auto cli = s.client();
      cli.set_keep_alive(true);  // one connection for all of this phone's pushes, as a browser keeps it
      cli.set_read_timeout(60, 0);
      auto bodies = batches_for(client_id(5000 + c), kPushes, 1, seeded.doors_a, s.now_ms);
      auto acks = push_each(cli, tokens[c % tokens.size()], bodies);
      if (acks.size() != bodies.size()) errors++;
      if (!acks.empty()) acked[c] = acks.back();
    });
  }
  for (auto& t : threads) t.join();
  CHECK(errors == 0);
  for (int c = 0; c < kPhones; ++c) CHECK(acked[c] == kPushes);
  auto cli = s.client();
  auto h = cli.Get("/api/v1/health");
  REQUIRE(h);
  CHECK(h->status == 200);
}

TEST_CASE("300 phones pushing at once share group commits: each push acknowledged once, each mutation lands once") {
  fixture::Server s;
  auto seeded = fixture::seed(*s.app);
  std::vector<std::string> tokens = crew_tokens(s, seeded, 30);
  constexpr int kPhones = 300, kBatches = 4, kPer = 10;
  auto before = s.app->storage().stats();
  std::vector<std::vector<int64_t>> acks(kPhones);
  std::atomic<int> errors{0}, ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int c = 0; c < kPhones; ++c) {
    threads.emplace_back([&, c] {
      auto cli = s.client();
      cli.set_read_timeout(120, 0);
      auto bodies = batches_for(client_id(1000 + c), kBatches, kPer, seeded.doors_a, s.now_ms);
      ready++;
      while (!go) std::this_thread::yield();
      acks[c] = push_each(cli, tokens[c % tokens.size()], bodies);
      if (acks[c].size() != bodies.size()) errors++;
    });
  }
  while (ready < kPhones) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  go = true;
  for (auto& t : threads) t.join();
  CHECK(errors == 0);
  for (int c = 0; c < kPhones; ++c) {  // one answer per push, each acknowledging exactly its own batch
    REQUIRE(acks[c].size() == kBatches);
    for (int b = 0; b < kBatches; ++b) CHECK(acks[c][b] == (b + 1) * kPer);
  }
  std::vector<sync::RecordRow> recs;
  s.app->storage().read([&](store::Db& db) {
    auto r = sync::read_records(db);
    if (r) recs = *r;
    return Status::Ok();
  });
  std::map<std::pair<std::string, int64_t>, int> landed;
  for (const auto& r : recs) landed[{r.client_id, r.seq}]++;
  size_t ours = 0;
  for (int c = 0; c < kPhones; ++c)
    for (int q = 1; q <= kBatches * kPer; ++q) {
      auto it = landed.find({client_id(1000 + c), q});
      CHECK_MESSAGE((it != landed.end() && it->second == 1), "phone " << c << " seq " << q);
      ours += it != landed.end() ? 1 : 0;
    }
  CHECK(ours == static_cast<size_t>(kPhones * kBatches * kPer));
  CHECK(recs.size() == ours);  // nothing else landed, nothing twice
  int attempts = -1;
  s.app->storage().read([&](store::Db& db) {
    auto q = db.prepare("SELECT count(*) FROM attempt");
    if (q && q->step().ok()) attempts = static_cast<int>(q->int64(0));
    return Status::Ok();
  });
  CHECK(attempts == kPhones * kBatches * kPer);  // mirrored once each
  // Pushes shared commits, and the WAL was checkpointed on the checkpointer's thread meanwhile
  // (the writer runs none itself); a checkpoint may still be finishing, so wait a moment for it.
  auto st = s.app->storage().stats();
  for (int k = 0; k < 100 && st.checkpoints == before.checkpoints; ++k) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    st = s.app->storage().stats();
  }
  MESSAGE("300 phones: " << st.writes - before.writes << " writes in " << st.commits - before.commits << " commits, "
                         << st.checkpoints - before.checkpoints << " checkpoints");
  CHECK(st.commits - before.commits < st.writes - before.writes);
  CHECK(st.checkpoints > before.checkpoints);
}

TEST_CASE("a canvasser pushing while a 60,000-row voter file imports is answered within seconds, each mutation once") {
  fixture::Server s;
  auto seeded = fixture::seed(*s.app);
  auto org = fixture::sign_in_admin(s);
  std::string token = crew_tokens(s, seeded, 1)[0];
  std::string file = bench::ca_header();
  bench::ca_rows(0, 60000, file);
  std::atomic<bool> imported{false};
  int import_status = 0;
  std::thread importer([&] {
    auto cli = s.client();
    cli.set_read_timeout(300, 0);
    cli.set_write_timeout(60, 0);
    auto r = cli.Post("/api/v1/campaigns/" + seeded.campaign + "/universe?file_name=big.tsv", org.headers(), file,
                      "text/tab-separated-values");
    import_status = r ? r->status : -1;
    imported = true;
  });
  // Wait until the rows are being written (after the upload and its check), then push.
  auto cli = s.client();
  cli.set_read_timeout(30, 0);
  for (int i = 0; i < 6000 && !imported; ++i) {
    auto cur = cli.Get("/api/v1/campaigns/" + seeded.campaign + "/imports/current", org.headers(false));
    const json::Value* phase = nullptr;
    json::Value v = cur && cur->status == 200 ? fixture::parse(cur->body) : json::Value::object();
    if ((phase = v.find("phase")) && phase->as_string() == "importing") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const std::string cid = client_id(7000);
  constexpr int kPer = 10;
  int pushes = 0, during = 0;
  double worst_ms = 0;
  while (!imported || pushes == 0) {
    auto body = fixture::push_body(cid, 1 + pushes * kPer, kPer, seeded.doors_a, s.now_ms);
    auto t0 = std::chrono::steady_clock::now();
    auto r = cli.Post("/api/v1/canvass/push", fixture::bearer(token), body, "application/json");
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    REQUIRE(r);
    REQUIRE_MESSAGE(r->status == 200, r->body);
    ++pushes;
    if (!imported) ++during;
    CHECK(fixture::parse(r->body).find("acked_through")->as_int() == pushes * kPer);
    CHECK(ms < 5000);
    worst_ms = std::max(worst_ms, ms);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  importer.join();
  MESSAGE(pushes << " pushes, " << during << " answered while the import ran; slowest " << worst_ms << " ms");
  CHECK(import_status == 200);
  CHECK(during > 0);  // the pushes really met the import
  std::map<int64_t, int> landed;
  s.app->storage().read([&](store::Db& db) {
    auto recs = sync::read_records(db);
    if (recs)
      for (const auto& r : *recs)
        if (r.client_id == cid) landed[r.seq]++;
    return Status::Ok();
  });
  CHECK(landed.size() == static_cast<size_t>(pushes * kPer));
  for (const auto& [seq, n] : landed) CHECK_MESSAGE(n == 1, "seq " << seq);
  int64_t people = -1;
  s.app->storage().read([&](store::Db& db) {
    auto c = store::count_campaign(db, seeded.campaign);
    if (c) people = c->people;
    return Status::Ok();
  });
  CHECK(people >= 60000);
}

TEST_CASE("doorstep serve killed with SIGKILL mid-push and restarted: acknowledged means present once") {
  fixture::TempDir dir;
  const std::string data = dir.path + "/data";
  std::string token;
  fixture::Seeded seeded;
  {
    server::AppConfig ac;
    ac.data_dir = data;
    auto app = server::App::open(ac);
    REQUIRE(app.ok());
    seeded = fixture::seed(**app);
    auto l = server::create_link((*app)->storage(), seeded.campaign, seeded.turf_a, "crew", "", (*app)->now(),
                                 86400000);
    REQUIRE(l.ok());
    token = l->token;
  }
  constexpr int kClients = 8, kBatches = 40, kPer = 10;
  std::vector<std::vector<std::string>> bodies;
  int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch()).count();
  for (int c = 0; c < kClients; ++c) bodies.push_back(batches_for(client_id(100 + c), kBatches, kPer, seeded.doors_a, now));
  std::vector<std::atomic<int64_t>> acked(kClients);  // read by the main thread while clients run

  auto run_clients = [&](int port, std::atomic<bool>& stop) {
    std::vector<std::thread> ts;
    for (int c = 0; c < kClients; ++c) {
      ts.emplace_back([&, c, port] {  // port by value: the threads outlive this call
        httplib::Client cli("127.0.0.1", port);
        cli.set_read_timeout(10, 0);
        while (!stop && acked[c] < kBatches * kPer) {
          size_t b = static_cast<size_t>(acked[c] / kPer);
          auto r = cli.Post("/api/v1/canvass/push", fixture::bearer(token), bodies[c][b], "application/json");
          if (!r) return;  // the server is gone: whatever was not answered is not acknowledged
          if (r->status != 200) return;
          auto v = json::parse(r->body);
          if (!v) return;
          acked[c] = std::max(acked[c].load(), v->find("acked_through")->as_int());
        }
      });
    }
    return ts;
  };

  int64_t acked_before_kill = 0;
  {
    fixture::Child child(data);
    std::atomic<bool> stop{false};
    auto ts = run_clients(child.port, stop);
    // Let pushes flow, then kill the server in the middle of them.
    for (int i = 0; i < 200; ++i) {
      int64_t total = 0;
      for (const auto& a : acked) total += a;
      if (total >= kClients * kPer * 5) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    child.kill_hard();
    stop = true;
    for (auto& t : ts) t.join();
    for (const auto& a : acked) acked_before_kill += a;
  }
  MESSAGE("acknowledged before SIGKILL: " << acked_before_kill << " of " << kClients * kBatches * kPer);
  CHECK(acked_before_kill > 0);
  CHECK(acked_before_kill < kClients * kBatches * kPer);  // the kill really landed mid-run

  // Every acknowledged mutation survived the kill, exactly once.
  {
    auto recs = records_in(data + "/doorstep.db");
    std::map<std::string, std::set<int64_t>> by_client;
    for (const auto& r : recs) CHECK(by_client[r.client_id].insert(r.seq).second);  // no duplicates
    for (int c = 0; c < kClients; ++c)
      for (int64_t seq = 1; seq <= acked[c].load(); ++seq) {
        CAPTURE(c);
        CAPTURE(seq);
        CHECK(by_client[client_id(100 + c)].count(seq) == 1);
      }
  }

  // Restart; clients resend from what was acknowledged (some of it may already be there).
  {
    fixture::Child child(data);
    std::atomic<bool> stop{false};
    auto ts = run_clients(child.port, stop);
    for (auto& t : ts) t.join();
    child.stop();
  }
  for (int c = 0; c < kClients; ++c) CHECK(acked[c].load() == kBatches * kPer);
  auto recs = records_in(data + "/doorstep.db");
  CHECK(recs.size() == static_cast<size_t>(kClients * kBatches * kPer));
  std::set<std::pair<std::string, int64_t>> uniq;
  for (const auto& r : recs) uniq.insert({r.client_id, r.seq});
  CHECK(uniq.size() == recs.size());
}
