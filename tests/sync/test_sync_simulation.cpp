// Deterministic simulation of several sync clients and one server over a faulty network: messages
// dropped, duplicated, reordered and delayed; clients crashing and restarting from their stored
// outbox; the server interrupted inside its transaction; a phone's storage rolled back to an older
// snapshot; the link revoked mid-run. Property: every acknowledged mutation is on the server
// exactly once; after the faults stop every replica converges to the server's state, or, when
// the link was revoked, every phone has flushed its outbox and is told to wipe. Real SQLite.
// Seeds: DOORSTEP_SYNC_SEEDS=N, or DOORSTEP_LONG=1 for 20,000.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "shared/store/store.h"
#include "shared/sync/sync_client.h"
#include "shared/sync/sync_server.h"

using namespace doorstep;
using namespace doorstep::sync;

namespace {

struct Rng {
  uint64_t s;
  uint64_t next() {
    uint64_t x = (s += 0x9e3779b97f4a7c15ull);
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
  }
  uint64_t below(uint64_t n) { return n ? next() % n : 0; }
  bool chance(int percent) { return below(100) < static_cast<uint64_t>(percent); }
  std::array<uint8_t, 16> bytes() {
    std::array<uint8_t, 16> b{};
    for (size_t i = 0; i < 16; i += 8) {
      uint64_t x = next();
      for (size_t k = 0; k < 8; ++k) b[i + k] = static_cast<uint8_t>(x >> (8 * k));
    }
    return b;
  }
};

store::Db open_db(bool core = true) {
  store::OpenOptions o;
  o.migrate_core = core;  // phones here only need the sync tables
  auto db = store::Db::open(":memory:", o);
  REQUIRE(db.ok());
  REQUIRE(sync::migrate(*db).ok());
  return std::move(*db);
}

// What a client's app keeps from pulls: per-field LWW values and the set of records it has seen.
struct Replica {
  std::map<std::string, std::pair<json::Value, std::string>> fields;
  std::set<std::string> records;
  void apply(const Change& c) {
    if (c.field.empty()) {
      records.insert(c.id);
      return;
    }
    auto& slot = fields[c.entity + "/" + c.id + "/" + c.field];
    if (slot.second.empty() || c.hlc >= slot.second) slot = {c.value, c.hlc};
  }
};

struct SimClient {
  store::Db db;
  std::unique_ptr<SqliteOutbox> storage;
  std::unique_ptr<SyncClient> client;  // null while crashed
  std::string device;
  int64_t skew_ms = 0;
  Replica replica;                     // the app's own store: survives crashes
  bool pulling = false;
  uint64_t epoch = 0;  // bumped on every (re)start: an HTTP answer never reaches a later process
  std::optional<std::pair<ClientMeta, std::vector<Mutation>>> snapshot;
};

enum class MsgType { push_req, push_resp, pull_req, pull_resp };
struct Msg {
  MsgType type;
  size_t client;
  std::string body;
  PullRequest pull;  // the request a pull answer belongs to
  int64_t due_ms;
  uint64_t epoch = 0;  // the client process that sent the request: answers die with it
  bool error = false;  // a pull refused because the link ended
};

struct Stats {
  uint64_t acked = 0, dropped = 0, duplicated = 0, server_interrupts = 0, lost_replies = 0, client_crashes = 0,
           rollbacks = 0, conflicts_seen = 0, revokes = 0, rejected = 0, steps = 0;
};

const char* kTurf = "0192f0c4-7a11-7d00-8a00-000000000001";

std::string door_id(size_t i) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "0192f0c4-7b00-7000-8000-%012zx", i + 1);
  return buf;
}

class Sim {
 public:
  Sim(uint64_t seed, size_t nclients) : rng_{seed}, server_(open_db()), may_revoke_(seed % 4 == 0) {
    for (size_t i = 0; i < nclients; ++i) {
      auto c = std::make_unique<SimClient>();
      c->db = open_db(false);
      c->storage = std::make_unique<SqliteOutbox>(c->db);
      c->device = "dev" + std::to_string(i);
      c->skew_ms = i == 0 ? 3600 * 1000 : 0;  // one phone an hour ahead: its stamps get clamped
      clients_.push_back(std::move(c));
      start(i);
    }
  }

  void start(size_t i) {
    ClientOptions o;
    o.backoff_base_ms = 500;
    o.backoff_cap_ms = 20000;
    o.request_timeout_ms = 10000;
    o.max_batch = 1 + rng_.below(8);
    o.random = [this] { return rng_.bytes(); };
    auto c = SyncClient::open(*clients_[i]->storage, clients_[i]->device, o);
    REQUIRE(c.ok());
    clients_[i]->client = std::move(*c);
    clients_[i]->pulling = false;
    ++clients_[i]->epoch;
  }

  int64_t client_now(size_t i) const { return now_ + clients_[i]->skew_ms; }

  void record(size_t i) {
    SyncClient& c = *clients_[i]->client;
    json::Value p = json::Value::object();
    Kind k;
    uint64_t pick = rng_.below(10);
    std::string door = door_id(rng_.below(6));
    if (pick < 5) {
      k = Kind::attempt_add;
      p.set("door", door);
      p.set("result", rng_.chance(50) ? "talked" : "not_home");
    } else if (pick < 8) {
      k = Kind::door_set;
      json::Value set = json::Value::object();
      set.set("status", rng_.chance(50) ? "talked" : "come_back");
      p.set("door", door);
      p.set("set", set);
    } else {
      k = Kind::person_set;
      json::Value set = json::Value::object();
      set.set("phone", "555-01" + std::to_string(rng_.below(100)));
      p.set("person", door);  // person ids: reuse the door ids (any UUID does)
      p.set("set", set);
    }
    auto m = c.record(k, p, client_now(i), uuid_v7(client_now(i), rng_.bytes()));
    REQUIRE(m.ok());
    ++recorded_;
  }

  void send(Msg m) {
    if (m.type == MsgType::push_req || m.type == MsgType::pull_req) m.epoch = clients_[m.client]->epoch;
    m.due_ms = now_ + static_cast<int64_t>(rng_.below(4) == 0 ? rng_.below(20000) : rng_.below(500));
    net_.push_back(std::move(m));
  }

  void tick_client(size_t i) {
    SimClient& sc = *clients_[i];
    if (!sc.client) {
      start(i);
      return;
    }
    if (auto r = sc.client->next_push(client_now(i)))
      send(Msg{MsgType::push_req, i, json::dump(encode(*r)), {}, 0});
    if (!sc.pulling) {
      sc.pulling = true;
      PullRequest pr = sc.client->next_pull(1 + static_cast<int64_t>(rng_.below(20)));
      send(Msg{MsgType::pull_req, i, json::dump(encode(pr)), pr, 0});
    }
  }

  // Records, before and after, which mutations a client's outbox held, to learn what was acked.
  void note_acks(size_t i, const std::vector<Mutation>& before) {
    const auto& after = clients_[i]->client->outbox();
    std::set<std::string> still;
    for (const auto& m : after) still.insert(m.id);
    for (const auto& m : before) {
      if (still.count(m.id)) continue;
      acked_.insert(m.id);
      ++stats_.acked;
      // Acknowledged means durable and applied: check right now, not only at the end.
      auto s = server_.prepare("SELECT count(*) FROM sync_applied WHERE mutation_id=?1");
      REQUIRE(s.ok());
      s->bind(1, m.id);
      REQUIRE(s->step().value());
      CHECK(s->int64(0) == 1);
    }
  }

  void deliver(Msg m, bool faults) {
    SimClient& sc = *clients_[m.client];
    switch (m.type) {
      case MsgType::push_req: {
        auto req = parse_push_request(m.body);
        REQUIRE(req.ok());
        PushContext ctx;
        ctx.turf_id = kTurf;
        ctx.server_now_ms = now_;
        if (revoked_) {
          ctx.link = PushContext::Link::revoked;
          ctx.link_ended_ms = revoked_at_;
        }
        bool interrupt = faults && rng_.chance(8);
        if (interrupt) {
          // The server dies somewhere inside the push: SQLite stops after a random number of VM
          // steps, the transaction rolls back, and no answer goes out.
          interrupt_after_ = 1 + static_cast<int>(rng_.below(400));
          sqlite3_progress_handler(server_.handle(), 1, &Sim::progress, this);
        }
        auto r = apply_push(server_, *req, ctx);
        if (interrupt) sqlite3_progress_handler(server_.handle(), 0, nullptr, nullptr);
        REQUIRE_FALSE(server_.in_transaction());
        if (!r) {
          REQUIRE(interrupt);  // only the injected crash may fail a well-formed push
          ++stats_.server_interrupts;
          return;
        }
        if (r->code == Code::conflict) ++stats_.conflicts_seen;
        if (interrupt || (faults && rng_.chance(5))) {  // committed, then died before answering
          ++stats_.lost_replies;
          return;
        }
        send(Msg{MsgType::push_resp, m.client, json::dump(encode(*r)), {}, 0, m.epoch});
        return;
      }
      case MsgType::push_resp: {
        if (!sc.client || m.epoch != sc.epoch) return;
        auto v = json::parse(m.body);
        REQUIRE(v.ok());
        auto r = decode_push_response(*v);
        REQUIRE(r.ok());
        auto before = sc.client->outbox();
        REQUIRE(sc.client->on_push_response(*r, client_now(m.client)).ok());
        note_acks(m.client, before);
        return;
      }
      case MsgType::pull_req: {
        auto req = parse_pull_request(m.body);
        REQUIRE(req.ok());
        if (revoked_) {  // the endpoint serves no reads on an ended link
          send(Msg{MsgType::pull_resp, m.client, "", m.pull, 0, m.epoch, true});
          return;
        }
        if (!req->client_id.empty() && req->recorded_through > 0)  // as the endpoint does for a valid link
          REQUIRE(report_high_water(server_, req->client_id, kTurf, req->recorded_through, now_).ok());
        auto r = pull_changes(server_, kTurf, req->cursor, req->limit);
        REQUIRE(r.ok());
        send(Msg{MsgType::pull_resp, m.client, json::dump(encode(*r)), m.pull, 0, m.epoch});
        return;
      }
      case MsgType::pull_resp: {
        if (!sc.client || m.epoch != sc.epoch) return;
        if (m.error) {
          REQUIRE(sc.client->on_pull_error(make_error(Code::revoked, "link revoked")).ok());
          sc.pulling = false;
          return;
        }
        auto v = json::parse(m.body);
        REQUIRE(v.ok());
        auto r = decode_pull_response(*v);
        REQUIRE(r.ok());
        if (m.pull.cursor == sc.client->meta().cursor)
          for (const auto& c : r->changes) sc.replica.apply(c);
        REQUIRE(sc.client->on_pull_response(m.pull, *r, client_now(m.client)).ok());
        sc.pulling = false;
        return;
      }
    }
  }

  static int progress(void* self) {
    auto* s = static_cast<Sim*>(self);
    return --s->interrupt_after_ == 0 ? 1 : 0;  // once: the rollback itself must run
  }

  // One random step with faults.
  void step() {
    ++stats_.steps;
    uint64_t a = rng_.below(100);
    size_t i = rng_.below(clients_.size());
    SimClient& sc = *clients_[i];
    if (a < 22) {
      if (sc.client) record(i);
    } else if (a < 45) {
      tick_client(i);
    } else if (a < 80) {
      if (net_.empty()) return;
      size_t k = rng_.below(net_.size());  // any message: reordering
      if (net_[k].due_ms > now_) return;    // still delayed
      Msg m = net_[k];
      if (rng_.chance(10)) {
        net_.erase(net_.begin() + static_cast<std::ptrdiff_t>(k));
        ++stats_.dropped;
        if (m.type == MsgType::pull_req || m.type == MsgType::pull_resp) clients_[m.client]->pulling = false;
        return;
      }
      if (rng_.chance(10)) ++stats_.duplicated;  // leave a copy in flight
      else net_.erase(net_.begin() + static_cast<std::ptrdiff_t>(k));
      deliver(std::move(m), true);
    } else if (a < 84) {
      if (sc.client) {
        sc.client.reset();  // crash: memory gone, storage stays
        ++stats_.client_crashes;
      }
    } else if (a == 86) {
      // The organizer revokes the link (in some runs): records numbered before (up to each phone's
      // high-water mark) stay welcome, later ones are kept but rejected, and every phone is told to wipe.
      if (!revoked_ && may_revoke_) {
        revoked_ = true;
        revoked_at_ = now_;
        ++stats_.revokes;
      }
    } else if (a < 86) {
      // The phone's storage goes back to an older snapshot (an old IDBFS image, a restored
      // profile): it forgets acknowledgements and reuses seq numbers the server already holds.
      if (sc.snapshot && sc.client) {
        REQUIRE(sc.storage->replace(sc.snapshot->first, sc.snapshot->second).ok());
        sc.client.reset();
        sc.snapshot.reset();
        ++stats_.rollbacks;
      } else {
        auto meta = sc.storage->load_meta();
        auto out = sc.storage->load_outbox();
        REQUIRE(meta.ok());
        REQUIRE(out.ok());
        sc.snapshot = std::make_pair(*meta, *out);
      }
    } else {
      now_ += static_cast<int64_t>(rng_.below(3000));
    }
  }

  // No more faults or new records: run until every outbox is empty and every pull caught up.
  bool quiesce() {
    for (int round = 0; round < 400; ++round) {
      now_ += 60000;  // past any backoff or timeout
      for (size_t i = 0; i < clients_.size(); ++i) {
        if (!clients_[i]->client) start(i);
        clients_[i]->pulling = false;
        tick_client(i);
      }
      while (!net_.empty()) {
        Msg m = net_.front();
        net_.erase(net_.begin());
        deliver(std::move(m), false);
      }
      bool done = true;
      for (auto& c : clients_) {
        if (c->client->pending() != 0) done = false;
        if (revoked_) {
          if (!c->client->should_wipe()) done = false;
          continue;
        }
        auto tail = pull_changes(server_, kTurf, c->client->meta().cursor, 1);
        REQUIRE(tail.ok());
        if (!tail->changes.empty() || tail->more) done = false;  // a page may hold only changes a link does not see
      }
      if (done) return true;
    }
    return false;
  }

  void check() {
    // Exactly once: each acknowledged mutation was applied once, and its record (attempts) exists
    // once in both the sync table and the mirrored core table.
    for (const auto& id : acked_) {
      auto s = server_.prepare("SELECT count(*) FROM sync_applied WHERE mutation_id=?1");
      REQUIRE(s.ok());
      s->bind(1, id);
      REQUIRE(s->step().value());
      CHECK(s->int64(0) == 1);
    }
    auto recs = read_records(server_);
    REQUIRE(recs.ok());
    auto att = server_.prepare("SELECT count(*), count(DISTINCT id) FROM attempt");
    REQUIRE(att.ok());
    REQUIRE(att->step().value());
    CHECK(att->int64(0) == att->int64(1));
    size_t applied_attempts = 0;
    for (const auto& r : *recs) applied_attempts += !r.rejected && r.kind == "attempt.add";
    CHECK(static_cast<size_t>(att->int64(0)) == applied_attempts);
    // After the quiet phase every outbox is empty, so everything recorded and not lost to a
    // storage rollback is acknowledged; the server has nothing that was never recorded.
    auto applied = server_.prepare("SELECT count(*) FROM sync_applied");
    REQUIRE(applied.ok());
    REQUIRE(applied->step().value());
    CHECK(static_cast<uint64_t>(applied->int64(0)) <= recorded_);
    if (stats_.rollbacks == 0) CHECK(static_cast<uint64_t>(applied->int64(0)) == recorded_);

    // Convergence: every replica equals the server's merged state.
    auto fields = read_fields(server_);
    REQUIRE(fields.ok());
    std::map<std::string, std::pair<json::Value, std::string>> want;
    for (const auto& f : *fields)  // a link's pull carries only what a package shows (the phones stay out)
      if (link_may_see(f.entity, f.field)) want[f.entity + "/" + f.id + "/" + f.field] = {f.value, f.hlc};
    std::set<std::string> want_recs;
    for (const auto& r : *recs) {
      if (!r.rejected) want_recs.insert(r.id);
      else ++stats_.rejected;
      // Only a revoke rejects here, and only records numbered above the phone's high-water mark
      // (what it reported or pushed while the link was valid), whatever their record time.
      if (r.rejected) CHECK(revoked_);
      if (r.rejected) CHECK(r.seq > high_water(server_, r.client_id).value());
      if (!r.rejected && revoked_ && r.at_ms > revoked_at_) CHECK(r.seq <= high_water(server_, r.client_id).value());
    }
    if (revoked_)
      for (auto& c : clients_) CHECK(c->client->should_wipe());  // outbox empty and told to wipe
    if (revoked_) return;  // phones of a revoked link stop pulling and wipe instead
    for (auto& c : clients_) {
      CHECK(c->replica.fields == want);
      CHECK(c->replica.records == want_recs);
    }
  }

  Stats stats_;
  uint64_t recorded_ = 0;

 private:
  Rng rng_;
  store::Db server_;
  std::vector<std::unique_ptr<SimClient>> clients_;
  std::vector<Msg> net_;
  std::set<std::string> acked_;
  int64_t now_ = 1767225600000;
  int interrupt_after_ = 0;
  bool may_revoke_ = false;
  bool revoked_ = false;
  int64_t revoked_at_ = 0;
};

uint64_t seed_count() {
  if (const char* s = std::getenv("DOORSTEP_SYNC_SEEDS")) return std::strtoull(s, nullptr, 10);
  if (const char* l = std::getenv("DOORSTEP_LONG"); l && *l == '1') return 20000;
  return 1000;  // about 2 s on one core
}

}  // namespace

TEST_CASE("sync simulation: acknowledged mutations land exactly once and replicas converge") {
  uint64_t seeds = seed_count();
  Stats total;
  uint64_t recorded = 0;
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    CAPTURE(seed);
    Sim sim(seed, 2 + seed % 3);
    int steps = 60 + static_cast<int>(seed % 5) * 30;
    for (int i = 0; i < steps; ++i) sim.step();
    REQUIRE(sim.quiesce());
    sim.check();
    total.acked += sim.stats_.acked;
    total.dropped += sim.stats_.dropped;
    total.duplicated += sim.stats_.duplicated;
    total.server_interrupts += sim.stats_.server_interrupts;
    total.lost_replies += sim.stats_.lost_replies;
    total.client_crashes += sim.stats_.client_crashes;
    total.rollbacks += sim.stats_.rollbacks;
    total.conflicts_seen += sim.stats_.conflicts_seen;
    total.revokes += sim.stats_.revokes;
    total.rejected += sim.stats_.rejected;
    total.steps += sim.stats_.steps;
    recorded += sim.recorded_;
  }
  MESSAGE("seeds " << seeds << ", steps " << total.steps << ", recorded " << recorded << ", acked " << total.acked
                   << ", dropped " << total.dropped << ", duplicated " << total.duplicated << ", server interrupts "
                   << total.server_interrupts << ", lost replies " << total.lost_replies << ", client crashes "
                   << total.client_crashes << ", storage rollbacks " << total.rollbacks << ", conflicts "
                   << total.conflicts_seen << ", revoked links " << total.revokes << ", records rejected after revoke "
                   << total.rejected);
  // The faults must actually have happened, or the property says nothing.
  CHECK(total.dropped > 0);
  CHECK(total.duplicated > 0);
  CHECK(total.server_interrupts > 0);
  CHECK(total.client_crashes > 0);
  if (seeds >= 100) {
    CHECK(total.rollbacks > 0);
    CHECK(total.conflicts_seen > 0);
    CHECK(total.revokes > 0);
    CHECK(total.rejected > 0);
  }
}
