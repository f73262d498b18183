// Undo and correction of attempts (sync kinds attempt.void / attempt.amend, issue 15 item 4) over
// real loopback HTTP: only the link that recorded an attempt may edit it (another link, even of the
// same turf, gets `forbidden`, kept and never applied, and its batch goes on); exports, progress,
// the package and other phones' pulls show attempts as they stand; the original row stays.
#include "shared/store/progress_report.h"
#include "shared/sync/sync_server.h"
#include "tests/server/fixture.h"

using namespace doorstep;

namespace {

const char* kClientA = "a11ce0a11ce0a11ce0a11ce0a11ce0a1";
const char* kClientB = "b0bb0bb0bb0bb0bb0bb0bb0bb0bb0bb0";

using fixture::mutation;

json::Value obj(std::initializer_list<std::pair<const char*, json::Value>> kv) {
  json::Value o = json::Value::object();
  for (const auto& [k, v] : kv) o.set(k, v);
  return o;
}

std::string body(const char* client, const std::vector<json::Value>& ms, int v = 3) {
  json::Value arr = json::Value::array();
  for (const auto& m : ms) arr.push(m);
  return json::dump(obj({{"v", v}, {"client_id", client}, {"mutations", arr}}));
}

std::string id_of(const json::Value& m) { return m.find("id")->as_string(); }

struct World {
  fixture::Server s;
  fixture::Seeded seeded;
  fixture::Organizer org;
  std::string sam, kim;  // two links of turf A
  World() {
    seeded = fixture::seed(*s.app);
    org = fixture::sign_in_admin(s);
    for (auto [who, token] : {std::pair{"Sam", &sam}, std::pair{"Kim", &kim}}) {
      auto link = server::create_link(s.app->storage(), seeded.campaign, seeded.turf_a, who, "test", s.now_ms,
                                      24ll * 3600 * 1000);
      REQUIRE(link.ok());
      *token = link->token;
    }
  }
  json::Value push(const std::string& token, const std::string& b, int want = 200) {
    auto r = s.client().Post("/api/v1/canvass/push", fixture::bearer(token), b, "application/json");
    REQUIRE(r);
    REQUIRE_MESSAGE(r->status == want, r->body);
    return fixture::parse(r->body);
  }
  std::string get(const std::string& path) {
    auto r = s.client().Get(path, org.headers(false));
    REQUIRE(r);
    REQUIRE_MESSAGE(r->status == 200, r->body);
    return r->body;
  }
  std::string attempts_csv() { return get("/api/v1/campaigns/" + seeded.campaign + "/export/attempts"); }
  int64_t progress_attempts() {
    int64_t n = -1;
    REQUIRE(s.app->storage().read([&](store::Db& db) -> Status {
      auto p = store::progress_report(db, seeded.campaign, 0, 100);
      if (!p) return p.error();
      n = p->attempts;
      return Status::Ok();
    }).ok());
    return n;
  }
};

std::set<int64_t> rejected_seqs(const json::Value& resp, const char* code) {
  std::set<int64_t> out;
  for (const auto& x : resp.find("rejected")->as_array()) {
    CHECK(x.find("code")->as_string() == code);
    out.insert(x.find("seq")->as_int());
  }
  return out;
}

}  // namespace

TEST_CASE("another link's void or amend is rejected forbidden, kept, never applied, and its batch goes on") {
  World w;
  const auto& A = w.seeded;
  int64_t at = w.s.now_ms;
  json::Value x = mutation(1, "attempt.add",
                           obj({{"door", A.doors_a[0]}, {"result", "talked"}, {"notes", "SAMSNOTE"}, {"canvasser", "Sam"}}), at);
  REQUIRE(w.push(w.sam, body(kClientA, {x})).find("rejected")->size() == 0);
  std::string before = w.attempts_csv();
  REQUIRE(before.find(id_of(x)) != std::string::npos);

  // Kim's link (the same turf) tries to undo and correct Sam's record, and names an unknown id.
  std::vector<json::Value> ms = {
      mutation(1, "attempt.void", obj({{"attempt", id_of(x)}}), at + 100, "b0bb0bb0"),
      mutation(2, "attempt.amend", obj({{"attempt", id_of(x)}, {"result", "deceased"}, {"notes", "KIMSNOTE"}}), at + 100,
               "b0bb0bb0"),
      mutation(3, "attempt.void", obj({{"attempt", new_uuid_v7(at)}}), at + 100, "b0bb0bb0"),
      mutation(4, "attempt.add", obj({{"door", A.doors_a[1]}, {"result", "not_home"}}), at + 100, "b0bb0bb0"),
  };
  auto resp = w.push(w.kim, body(kClientB, ms));
  CHECK(resp.find("acked_through")->as_int() == 4);
  CHECK(rejected_seqs(resp, "forbidden") == std::set<int64_t>{1, 2, 3});

  std::string after = w.attempts_csv();
  CHECK(after.find(id_of(x)) != std::string::npos);  // still there, unchanged
  CHECK(after.find("SAMSNOTE") != std::string::npos);
  CHECK(after.find("KIMSNOTE") == std::string::npos);
  CHECK(after.find("deceased") == std::string::npos);
  CHECK(after.find(id_of(ms[3])) != std::string::npos);  // the honest record of the batch applied
  w.s.app->storage().read([&](store::Db& db) {
    // Kept for review, never applied: no edit row, no attempt field state.
    auto recs = sync::read_records(db);
    REQUIRE(recs.ok());
    int kept = 0;
    for (const auto& r : *recs)
      if (r.rejected && r.reject_code == "forbidden" && (r.kind == "attempt.void" || r.kind == "attempt.amend")) ++kept;
    CHECK(kept == 3);
    auto edits = db.prepare("SELECT count(*) FROM attempt_edit");
    REQUIRE(edits.ok());
    REQUIRE(*edits->step());
    CHECK(edits->int64(0) == 0);
    auto fields = db.prepare("SELECT count(*) FROM sync_field WHERE entity='attempt'");
    REQUIRE(fields.ok());
    REQUIRE(*fields->step());
    CHECK(fields->int64(0) == 0);
    return Status::Ok();
  });

  // A batch of nothing but foreign edits answers 403, like any batch wholly out of scope.
  w.push(w.kim, body(kClientB, {mutation(5, "attempt.void", obj({{"attempt", id_of(x)}}), at + 200, "b0bb0bb0")}), 403);
  CHECK(w.attempts_csv().find(id_of(x)) != std::string::npos);
}

TEST_CASE("a void drops the attempt from exports, progress, the package and other phones' door status; twice is once") {
  World w;
  const auto& A = w.seeded;
  int64_t at = w.s.now_ms;
  auto recorded = [&](int64_t seq, const std::string& door, const char* result) {
    return mutation(seq, "attempt.add", obj({{"door", door}, {"result", result}, {"canvasser", "Sam"}}), at);
  };
  json::Value keep = recorded(1, A.doors_a[1], "talked");
  json::Value mistap = recorded(2, A.doors_a[0], "refused");
  REQUIRE(w.push(w.sam, body(kClientA, {keep, mistap})).find("rejected")->size() == 0);
  CHECK(w.progress_attempts() == 2);
  auto kim_pull = [&](const std::string& cursor) {
    auto r = w.s.client().Get("/api/v1/canvass/pull?cursor=" + cursor, fixture::bearer(w.kim));
    REQUIRE(r);
    REQUIRE(r->status == 200);
    return fixture::parse(r->body);
  };
  std::string cursor = kim_pull("").find("cursor")->as_string();

  // The undo, and in the same push a record that is undone before it was ever sent.
  json::Value never = recorded(4, A.doors_a[2], "moved");
  auto resp = w.push(w.sam, body(kClientA, {mutation(3, "attempt.void", obj({{"attempt", id_of(mistap)}}), at + 5000), never,
                                            mutation(5, "attempt.void", obj({{"attempt", id_of(never)}}), at + 6000)}));
  CHECK(resp.find("rejected")->size() == 0);
  CHECK(resp.find("acked_through")->as_int() == 5);

  std::string csv = w.attempts_csv();
  CHECK(csv.find(id_of(keep)) != std::string::npos);
  CHECK(csv.find(id_of(mistap)) == std::string::npos);
  CHECK(csv.find(id_of(never)) == std::string::npos);
  CHECK(w.progress_attempts() == 1);
  // The VAN export has no row left for the refusal either (the door's residents have VAN IDs).
  REQUIRE(w.s.app->storage().write([&](store::Db& db) {
    return db.exec("UPDATE person SET van_id='VANA' || substr(id, -4) WHERE door_id IN ('" + A.doors_a[0] + "','" +
                   A.doors_a[1] + "')");
  }).ok());
  std::string van = w.get("/api/v1/campaigns/" + A.campaign + "/export/van");
  CHECK(van.find("Refused") == std::string::npos);
  CHECK(van.find("Canvassed") != std::string::npos);

  // Kim's phone: the door of the undone refusal is back to not visited, and says why.
  auto pulled = kim_pull(cursor);
  bool door_back = false, voided = false;
  for (const auto& c : pulled.find("changes")->as_array()) {
    if (c.find("entity")->as_string() == "door" && c.find("id")->as_string() == A.doors_a[0] && c.find("field") &&
        c.find("field")->as_string() == "status")
      door_back = c.find("value")->as_string() == "not_visited";
    if (c.find("entity")->as_string() == "attempt" && c.find("id")->as_string() == id_of(mistap))
      voided = c.find("field")->as_string() == "voided" && c.find("value")->as_bool();
  }
  CHECK(door_back);
  CHECK(voided);
  // Kim's package: the door's history no longer has it.
  auto pkg = w.s.client().Get("/api/v1/canvass/package", fixture::bearer(w.kim));
  REQUIRE(pkg);
  REQUIRE(pkg->status == 200);
  CHECK(pkg->body.find(id_of(mistap)) == std::string::npos);
  CHECK(pkg->body.find(id_of(keep)) != std::string::npos);  // history entries carry their ids

  // The same undo again (a new mutation): acknowledged, nothing changes, no new change is logged.
  std::string before_again = kim_pull(cursor).find("cursor")->as_string();
  resp = w.push(w.sam, body(kClientA, {mutation(6, "attempt.void", obj({{"attempt", id_of(mistap)}}), at + 9000)}));
  CHECK(resp.find("rejected")->size() == 0);
  CHECK(kim_pull(cursor).find("cursor")->as_string() == before_again);
  CHECK(w.progress_attempts() == 1);

  // The original rows stay as recorded.
  w.s.app->storage().read([&](store::Db& db) {
    auto q = db.prepare("SELECT count(*) FROM attempt WHERE campaign_id=?1");
    REQUIRE(q.ok());
    q->bind(1, A.campaign);
    REQUIRE(*q->step());
    CHECK(q->int64(0) == 3);
    return Status::Ok();
  });
}

TEST_CASE("an amend shows in the exports with its result, answers and notes; the original row stays") {
  World w;
  const auto& A = w.seeded;
  int64_t at = w.s.now_ms;
  json::Value a = mutation(1, "attempt.add",
                           obj({{"door", A.doors_a[0]}, {"result", "talked"}, {"notes", "FIRSTNOTE"},
                                {"answers", obj({{"q_support", 2}})}, {"canvasser", "Sam"}}),
                           at);
  REQUIRE(w.push(w.sam, body(kClientA, {a})).find("rejected")->size() == 0);
  // Two corrections: the later one's fields win, fields it leaves out stay as corrected before.
  auto resp = w.push(w.sam, body(kClientA, {mutation(2, "attempt.amend",
                                                     obj({{"attempt", id_of(a)}, {"result", "refused"}, {"notes", "MIDNOTE"}}),
                                                     at + 1000),
                                            mutation(3, "attempt.amend",
                                                     obj({{"attempt", id_of(a)}, {"answers", obj({{"q_support", 5}})},
                                                          {"notes", "FIXEDNOTE"}}),
                                                     at + 2000)}));
  CHECK(resp.find("rejected")->size() == 0);
  std::string csv = w.attempts_csv();
  CHECK(csv.find(id_of(a)) != std::string::npos);
  CHECK(csv.find("refused") != std::string::npos);
  CHECK(csv.find("FIXEDNOTE") != std::string::npos);
  CHECK(csv.find("FIRSTNOTE") == std::string::npos);
  CHECK(csv.find("MIDNOTE") == std::string::npos);
  w.s.app->storage().read([&](store::Db& db) {
    auto list = store::list_attempts(db, A.campaign);
    REQUIRE(list.ok());
    REQUIRE(list->size() == 1);
    CHECK(to_name((*list)[0].result) == std::string("refused"));
    CHECK((*list)[0].notes == "FIXEDNOTE");
    CHECK((*list)[0].answers_json == "{\"q_support\":5}");
    auto q = db.prepare("SELECT result, notes, answers FROM attempt WHERE id=?1");  // never rewritten
    REQUIRE(q.ok());
    q->bind(1, id_of(a));
    REQUIRE(*q->step());
    CHECK(q->text(0) == "talked");
    CHECK(q->text(1) == "FIRSTNOTE");
    CHECK(q->text(2) == "{\"q_support\":2}");
    return Status::Ok();
  });
  // Another phone of the turf sees the corrected result, never the notes or answers.
  auto r = w.s.client().Get("/api/v1/canvass/pull?cursor=", fixture::bearer(w.kim));
  REQUIRE(r);
  REQUIRE(r->status == 200);
  CHECK(r->body.find("FIXEDNOTE") == std::string::npos);
  CHECK(r->body.find("\"answers\"") == std::string::npos);
  bool status_refused = false;
  auto pulled = fixture::parse(r->body);
  for (const auto& c : pulled.find("changes")->as_array())
    if (c.find("entity")->as_string() == "door" && c.find("field") && c.find("field")->as_string() == "status")
      status_refused = c.find("value")->as_string() == "refused";
  CHECK(status_refused);
}

TEST_CASE("an older phone's request cannot carry the new kinds") {
  World w;
  std::string b = body(kClientA, {mutation(1, "attempt.void", obj({{"attempt", new_uuid_v7(w.s.now_ms)}}), w.s.now_ms)}, 2);
  auto v = w.push(w.sam, b, 400);
  CHECK(v.find("code")->as_string() == "invalid_argument");
}
