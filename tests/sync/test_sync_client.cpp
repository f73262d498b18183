// Tests for shared/sync_client: the SQLite outbox survives a restart, numbering and batching, the
// backoff schedule, ok/gap/conflict handling against the real server code, pull cursor and wipe.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <unistd.h>

#include "shared/store/store.h"
#include "shared/sync/mirror.h"
#include "shared/sync/sync_client.h"
#include "shared/sync/sync_server.h"

using namespace doorstep;
using namespace doorstep::sync;

namespace {

constexpr int64_t kNow = 1767225600000;
const char* kDoor = "0192f0c4-7b00-7000-8000-000000000101";

store::Db sync_db() {
  store::OpenOptions o;
  o.migrate_core = false;
  auto db = store::Db::open(":memory:", o);
  REQUIRE(db.ok());
  REQUIRE(sync::migrate(*db).ok());
  return std::move(*db);
}

store::Db server_db() {
  auto db = store::Db::open(":memory:");
  REQUIRE(db.ok());
  REQUIRE(sync::migrate(*db).ok());
  return std::move(*db);
}

json::Value knock(const char* result = "not_home") {
  json::Value p = json::Value::object();
  p.set("door", kDoor);
  p.set("result", result);
  return p;
}

ClientOptions opts(uint8_t seed = 1) {
  ClientOptions o;
  o.max_batch = 2;
  o.random = [seed]() mutable {
    std::array<uint8_t, 16> b{};
    b.fill(seed++);
    return b;
  };
  return o;
}

PushContext ctx(int64_t now) {
  PushContext c;
  c.turf_id = "t";
  c.server_now_ms = now;
  return c;
}

// Sends the client's pushes to the real server code until the outbox is empty.
void flush(SyncClient& c, store::Db& server, int64_t& now) {
  for (int i = 0; i < 100 && c.pending(); ++i) {
    auto r = c.next_push(now);
    if (!r) {
      now = std::max(now + 1, c.next_attempt_ms());
      continue;
    }
    auto resp = apply_push(server, *r, ctx(now));
    REQUIRE(resp.ok());
    REQUIRE(c.on_push_response(*resp, now).ok());
  }
  CHECK(c.pending() == 0);
}

}  // namespace

TEST_CASE("the outbox survives a restart from a real file and numbering continues") {
  auto dir = std::filesystem::temp_directory_path() / ("doorstep-outbox-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / "phone.db").string();
  std::string client_id;
  {
    store::OpenOptions o;
    o.migrate_core = false;
    auto db = store::Db::open(path, o);
    REQUIRE(db.ok());
    REQUIRE(sync::migrate(*db).ok());
    SqliteOutbox box(*db);
    auto c = SyncClient::open(box, "phone-a", opts());
    REQUIRE(c.ok());
    client_id = (*c)->meta().client_id;
    CHECK(is_client_id(client_id));
    REQUIRE((*c)->record(Kind::attempt_add, knock(), kNow).ok());
    REQUIRE((*c)->record(Kind::attempt_add, knock("talked"), kNow).ok());
  }  // the process dies here
  store::OpenOptions o;
  o.migrate_core = false;
  auto db = store::Db::open(path, o);
  REQUIRE(db.ok());
  SqliteOutbox box(*db);
  auto c = SyncClient::open(box, "phone-a", opts());
  REQUIRE(c.ok());
  CHECK((*c)->meta().client_id == client_id);
  REQUIRE((*c)->pending() == 2);
  CHECK((*c)->outbox()[1].payload.find("result")->as_string() == "talked");
  auto m = (*c)->record(Kind::attempt_add, knock(), kNow);
  REQUIRE(m.ok());
  CHECK(m->seq == 3);
  // Stamps never go backwards across the restart, even in the same millisecond.
  CHECK(Hlc::parse((*c)->outbox()[1].hlc).value() < Hlc::parse(m->hlc).value());
  std::filesystem::remove_all(dir);
}

TEST_CASE("invalid actions are refused before they reach the outbox") {
  auto db = sync_db();
  SqliteOutbox box(db);
  auto c = SyncClient::open(box, "phone-a", opts());
  REQUIRE(c.ok());
  json::Value bad = knock("maybe");
  CHECK((*c)->record(Kind::attempt_add, bad, kNow).error().code == Code::invalid_argument);
  CHECK((*c)->pending() == 0);
  CHECK(box.load_outbox()->empty());
}

TEST_CASE("batches, one push in flight, resend after timeout, backoff as data") {
  auto db = sync_db();
  SqliteOutbox box(db);
  auto c = SyncClient::open(box, "phone-a", opts());
  REQUIRE(c.ok());
  SyncClient& cl = **c;
  CHECK_FALSE(cl.next_push(kNow));  // nothing to send
  for (int i = 0; i < 3; ++i) REQUIRE(cl.record(Kind::attempt_add, knock(), kNow).ok());
  auto p = cl.next_push(kNow);
  REQUIRE(p);
  CHECK(p->mutations.size() == 2);
  CHECK(p->mutations[0].seq == 1);
  CHECK_FALSE(cl.next_push(kNow + 1000));  // in flight
  // No answer within the timeout: it counts as a failure and backs off before the resend.
  CHECK_FALSE(cl.next_push(kNow + 30000));
  int64_t at = cl.next_attempt_ms();
  CHECK(at > kNow + 30000);
  auto again = cl.next_push(at);
  REQUIRE(again);
  CHECK(again->mutations[0].seq == 1);

  auto sched = cl.backoff_schedule(12);
  for (size_t i = 0; i < sched.size(); ++i) {
    int64_t full = std::min<int64_t>(1000ll << i, 5 * 60 * 1000);
    CHECK(sched[i] <= full);
    CHECK(sched[i] >= full - full / 4);  // jitter takes at most a quarter off
  }
  CHECK(sched.back() > 4 * 60 * 1000);  // capped near five minutes
  CHECK(sched == cl.backoff_schedule(12));  // data, not randomness at call time
}

TEST_CASE("against the real server: ok drops, stale answers are ignored, conflict renumbers under a new id") {
  auto server = server_db();
  auto db = sync_db();
  SqliteOutbox box(db);
  auto c = SyncClient::open(box, "phone-a", opts());
  REQUIRE(c.ok());
  SyncClient& cl = **c;
  int64_t now = kNow;
  for (int i = 0; i < 5; ++i) REQUIRE(cl.record(Kind::attempt_add, knock(), now).ok());
  flush(cl, server, now);
  CHECK(cl.meta().acked_through == 5);
  CHECK(box.load_outbox()->empty());

  // A stale answer for another client id changes nothing.
  PushResponse stale;
  stale.client_id = std::string(32, 'f');
  stale.acked_through = 99;
  REQUIRE(cl.on_push_response(stale, now).ok());
  CHECK(cl.meta().acked_through == 5);

  // The phone's storage loses its acknowledgements (restored from an old copy) but keeps its id:
  // its next mutation reuses seq 1, the server answers conflict, and the client starts over.
  std::string old_id = cl.meta().client_id;
  ClientMeta reset = cl.meta();
  reset.acked_through = 0;
  REQUIRE(box.replace(reset, {}).ok());
  auto c2 = SyncClient::open(box, "phone-a", opts(7));
  REQUIRE(c2.ok());
  SyncClient& cl2 = **c2;
  REQUIRE(cl2.record(Kind::attempt_add, knock("talked"), now).ok());
  auto p = cl2.next_push(now);
  REQUIRE(p);
  auto resp = apply_push(server, *p, ctx(now));
  REQUIRE(resp.ok());
  CHECK(resp->code == Code::conflict);
  REQUIRE(cl2.on_push_response(*resp, now).ok());
  CHECK(cl2.meta().client_id != old_id);
  CHECK(cl2.outbox()[0].seq == 1);
  flush(cl2, server, now);
  auto recs = read_records(server);
  CHECK(recs->size() == 6);
}

TEST_CASE("a server behind the client (restored from a backup) gets everything resent under a new id") {
  auto db = sync_db();
  SqliteOutbox box(db);
  auto c = SyncClient::open(box, "phone-a", opts());
  REQUIRE(c.ok());
  SyncClient& cl = **c;
  int64_t now = kNow;
  {
    auto server = server_db();
    for (int i = 0; i < 3; ++i) REQUIRE(cl.record(Kind::attempt_add, knock(), now).ok());
    flush(cl, server, now);
  }
  auto restored = server_db();  // the backup predates those three
  REQUIRE(cl.record(Kind::attempt_add, knock(), now).ok());
  std::string id = cl.meta().client_id;
  auto p = cl.next_push(now);
  auto resp = apply_push(restored, *p, ctx(now));
  REQUIRE(resp.ok());
  CHECK(resp->code == Code::gap);
  REQUIRE(cl.on_push_response(*resp, now).ok());
  CHECK(cl.meta().client_id != id);  // not stuck waiting for seqs it no longer holds
  flush(cl, restored, now);
  CHECK(read_records(restored)->size() == 1);
}

TEST_CASE("wipe directive: after the outbox drains, or at once when the link is dead") {
  auto server = server_db();
  auto db = sync_db();
  SqliteOutbox box(db);
  auto c = SyncClient::open(box, "phone-a", opts());
  REQUIRE(c.ok());
  SyncClient& cl = **c;
  int64_t now = kNow;
  for (int i = 0; i < 3; ++i) REQUIRE(cl.record(Kind::attempt_add, knock(), now).ok());
  PushContext revoked = ctx(now + 1000);
  revoked.link = PushContext::Link::revoked;
  revoked.link_ended_ms = now + 500;
  auto p = cl.next_push(now + 1000);
  auto resp = apply_push(server, *p, revoked);
  REQUIRE(resp.ok());
  CHECK(resp->wipe_after_flush);
  REQUIRE(cl.on_push_response(*resp, now + 1000).ok());
  CHECK(cl.pending() == 1);
  CHECK_FALSE(cl.should_wipe());  // one record still to deliver
  p = cl.next_push(now + 1000);
  resp = apply_push(server, *p, revoked);
  REQUIRE(cl.on_push_response(*resp, now + 1000).ok());
  CHECK(cl.should_wipe());
  CHECK(box.load_meta()->wipe_pending);
  REQUIRE(box.wipe().ok());
  CHECK(box.load_meta()->client_id.empty());

  auto db2 = sync_db();
  SqliteOutbox box2(db2);
  auto c2 = SyncClient::open(box2, "phone-b", opts());
  REQUIRE((*c2)->record(Kind::attempt_add, knock(), now).ok());
  REQUIRE((*c2)->on_push_error(make_error(Code::expired, "link expired"), now).ok());
  CHECK((*c2)->should_wipe());
  CHECK_FALSE((*c2)->next_push(now + 3600 * 1000));
  // Other errors keep everything and retry later (e.g. a server rolled back to an older version).
  auto db3 = sync_db();
  SqliteOutbox box3(db3);
  auto c3 = SyncClient::open(box3, "phone-c", opts());
  REQUIRE((*c3)->record(Kind::attempt_add, knock(), now).ok());
  (void)(*c3)->next_push(now);
  REQUIRE((*c3)->on_push_error(make_error(Code::unsupported, "version"), now).ok());
  CHECK_FALSE((*c3)->should_wipe());
  CHECK((*c3)->next_attempt_ms() > now);
  CHECK((*c3)->next_push((*c3)->next_attempt_ms()));
  // A pull refused because the link ended: wipe once the outbox has been delivered.
  REQUIRE((*c3)->on_pull_error(make_error(Code::io, "network")).ok());
  CHECK_FALSE(box3.load_meta()->wipe_pending);
  REQUIRE((*c3)->on_pull_error(make_error(Code::revoked, "link revoked")).ok());
  CHECK(box3.load_meta()->wipe_pending);
  CHECK_FALSE((*c3)->should_wipe());  // one mutation still to push
}

TEST_CASE("pull cursor advances only for the pull it answers, and remote stamps move the clock") {
  auto server = server_db();
  auto db = sync_db();
  SqliteOutbox box(db);
  auto c = SyncClient::open(box, "phone-a", opts());
  REQUIRE(c.ok());
  SyncClient& cl = **c;
  // Another phone, far ahead in time (but within the clamp), recorded something in the turf.
  PushRequest other;
  other.client_id = std::string(32, 'b');
  Mutation m;
  m.seq = 1;
  m.id = "0192f0d0-0000-7000-8000-000000000009";
  m.kind = Kind::attempt_add;
  m.payload = knock("talked");
  m.hlc = Hlc{kNow + 60000, 0, "phone-b"}.to_string();
  m.at_ms = kNow + 60000;
  other.mutations = {m};
  REQUIRE(apply_push(server, other, ctx(kNow))->code == Code::ok);

  PullRequest sent = cl.next_pull(10);
  CHECK(sent.cursor.empty());
  auto r = pull_changes(server, "t", sent.cursor, sent.limit);
  REQUIRE(r.ok());
  REQUIRE(r->changes.size() == 1);
  REQUIRE(cl.on_pull_response(sent, *r, kNow).ok());
  CHECK(cl.meta().cursor == r->cursor);
  CHECK(box.load_meta()->cursor == r->cursor);
  // An answer to an older cursor (a duplicate delivered late) does not move it back.
  PullResponse old = *r;
  old.cursor = "0";
  REQUIRE(cl.on_pull_response(sent, old, kNow).ok());
  CHECK(cl.meta().cursor == r->cursor);
  // The next local write sorts after the remote one even though this phone's clock is behind.
  auto mine = cl.record(Kind::attempt_add, knock(), kNow);
  REQUIRE(mine.ok());
  CHECK(Hlc::parse(m.hlc).value() < Hlc::parse(mine->hlc).value());
}

TEST_CASE("pulled changes reach a phone's core tables: the other canvasser's door status and knocks") {
  auto with_door = [] {
    auto db = store::Db::open(":memory:");
    REQUIRE(db.ok());
    REQUIRE(sync::migrate(*db).ok());
    REQUIRE(db->exec("INSERT INTO campaign(id, name) VALUES('c1', 'Venice');"
                     "INSERT INTO building(id, campaign_id, address_key) VALUES('b1', 'c1', 'k');"
                     "INSERT INTO door(id, campaign_id, building_id, address_key) VALUES('" +
                     std::string(kDoor) + "', 'c1', 'b1', 'k1');")
                .ok());
    return std::move(*db);
  };
  auto server = with_door();
  auto phone_a = with_door();
  auto phone_b = with_door();
  SqliteOutbox box_a(phone_a), box_b(phone_b);
  auto a = SyncClient::open(box_a, "phone-a", opts(1));
  auto b = SyncClient::open(box_b, "phone-b", opts(2));
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  int64_t now = kNow;
  REQUIRE((*a)->record(Kind::attempt_add, knock("talked"), now).ok());
  json::Value set = json::Value::object();
  set.set("status", "talked");
  json::Value p = json::Value::object();
  p.set("door", kDoor);
  p.set("set", set);
  REQUIRE((*a)->record(Kind::door_set, p, now).ok());
  flush(**a, server, now);

  PullRequest sent = (*b)->next_pull();
  auto r = pull_changes(server, "t", sent.cursor, sent.limit);
  REQUIRE(r.ok());
  REQUIRE(r->changes.size() == 2);
  REQUIRE(apply_pulled(phone_b, "t", r->changes).ok());
  REQUIRE(apply_pulled(phone_b, "t", r->changes).ok());  // a re-pull after a crash is harmless
  REQUIRE((*b)->on_pull_response(sent, *r, now).ok());
  auto s = phone_b.prepare("SELECT status, status_hlc FROM door WHERE id=?1");
  REQUIRE(s.ok());
  s->bind(1, kDoor);
  REQUIRE(s->step().value());
  CHECK(s->text(0) == "talked");
  CHECK(s->text(1) == (*a)->meta().hlc);
  auto n = phone_b.prepare("SELECT count(*), min(result), min(turf_id) FROM attempt");
  REQUIRE(n.ok());
  REQUIRE(n->step().value());
  CHECK(n->int64(0) == 1);
  CHECK(n->text(1) == "talked");
  CHECK(n->text(2) == "t");
}
