// Rejected records kept for review (issue 10 items 1 and 2) over real loopback HTTP with real
// SQLite: a forbidden record and one recorded after its link was revoked are listed for the
// campaign's organizers (a viewer is refused), the after_end one is accepted (applied now, once,
// under a new id), the forbidden one cannot be accepted and is discarded, and every decision is
// audited. Leaves out the console screen (tests/e2e).
#include "shared/sync/sync_server.h"
#include "tests/server/fixture.h"

using namespace doorstep;

namespace {

const char* kClient = "7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e";

using fixture::obj;

std::string body(const std::vector<json::Value>& ms) { return fixture::push_of(2, kClient, ms); }

int64_t applied_attempts(fixture::Server& s, const std::string& door) {
  int64_t n = -1;
  REQUIRE(s.app->storage().read([&](store::Db& db) -> Status {
    auto q = db.prepare("SELECT count(*) FROM attempt WHERE door_id=?1");
    if (!q) return q.error();
    q->bind(1, door);
    auto r = q->step();
    if (!r) return r.error();
    n = q->int64(0);
    return Status::Ok();
  }).ok());
  return n;
}

}  // namespace

TEST_CASE("rejected records: listed for organizers, after_end accepted once, forbidden only discarded, audited") {
  fixture::SeededServer w;
  auto& s = w.s;
  const auto& A = w.seeded;
  auto cli = s.client();
  auto link = server::create_link(s.app->storage(), A.campaign, A.turf_a, "Sam's <b>link</b>", "test", s.now_ms, 24ll * 3600 * 1000);
  REQUIRE(link.ok());
  int64_t at = s.now_ms;
  // 1 applied; 2 names another turf's resident (forbidden).
  auto first = cli.Post("/api/v1/canvass/push", fixture::bearer(link->token),
                        body({fixture::mutation(1, "attempt.add", obj({{"door", A.doors_a[0]}, {"result", "talked"}}), at),
                              fixture::mutation(2, "person.set", obj({{"person", A.people_b[0]}, {"set", obj({{"first_name", "Hacked"}})}}), at)}),
                        "application/json");
  REQUIRE(first);
  REQUIRE_MESSAGE(first->status == 200, first->body);
  REQUIRE(s.app->storage().revoke_link(link->record.id, s.now_ms += 1000).ok());
  // 3 recorded after the revocation: after_end.
  int64_t before = applied_attempts(s, A.doors_a[1]);
  const json::Value late_m = fixture::mutation(
      3, "attempt.add", obj({{"door", A.doors_a[1]}, {"result", "not_home"}, {"canvasser", "<img src=x onerror=alert(1)>"}}), at + 5000);
  auto late = cli.Post("/api/v1/canvass/push", fixture::bearer(link->token), body({late_m}), "application/json");
  REQUIRE(late);
  REQUIRE_MESSAGE(late->status == 200, late->body);
  CHECK(fixture::parse(late->body).find("rejected")->as_array()[0].find("code")->as_string() == "after_end");
  CHECK(applied_attempts(s, A.doors_a[1]) == before);

  std::string base = "/api/v1/campaigns/" + A.campaign + "/rejected";
  auto list = cli.Get(base, w.org.headers(false));
  REQUIRE(list);
  REQUIRE_MESSAGE(list->status == 200, list->body);
  auto v = fixture::parse(list->body);
  const auto& recs = v.find("rejected")->as_array();
  REQUIRE(recs.size() == 2);
  std::string forbidden_id, late_id;
  for (const auto& r : recs) {
    CHECK(r.find("status")->as_string() == "pending");
    CHECK(r.find("turf")->find("name")->as_string() == "Turf A");
    CHECK(r.find("link")->find("label")->as_string() == "Sam's <b>link</b>");
    if (r.find("code")->as_string() == "forbidden") {
      forbidden_id = r.find("id")->as_string();
      CHECK(r.find("kind")->as_string() == "person.set");
      CHECK_FALSE(r.find("can_accept")->as_bool());
    } else {
      late_id = r.find("id")->as_string();
      CHECK(r.find("code")->as_string() == "after_end");
      CHECK(r.find("can_accept")->as_bool());
      CHECK(r.find("canvasser")->as_string() == "<img src=x onerror=alert(1)>");
      CHECK(r.find("door")->find("address")->as_string() == "1325 Walgrove");
      CHECK(r.find("at")->as_int() == at + 5003);
    }
  }
  REQUIRE(!forbidden_id.empty());
  REQUIRE(!late_id.empty());

  // Without a session, or with a viewer's: refused.
  auto anon = cli.Get(base);
  REQUIRE(anon);
  CHECK(anon->status == 401);
  auto invite = cli.Post("/api/v1/campaigns/" + A.campaign + "/members", w.org.headers(),
                         R"({"email":"viewer@example.org","role":"viewer"})", "application/json");
  REQUIRE(invite);
  REQUIRE_MESSAGE(invite->status == 200, invite->body);
  std::string url = fixture::parse(invite->body).find("signin_url")->as_string();
  fixture::Organizer viewer = fixture::sign_in_with_link(s.port, url.substr(url.find("#signin=") + 8));
  auto vl = cli.Get(base, viewer.headers(false));
  REQUIRE(vl);
  CHECK(vl->status == 403);
  auto va = cli.Post(base + "/" + late_id + "/accept", viewer.headers(), "{}", "application/json");
  REQUIRE(va);
  CHECK(va->status == 403);
  // A write without the CSRF header is refused too.
  auto nocsrf = cli.Post(base + "/" + late_id + "/accept", w.org.headers(false), "{}", "application/json");
  REQUIRE(nocsrf);
  CHECK(nocsrf->status == 403);
  CHECK(applied_attempts(s, A.doors_a[1]) == before);

  // forbidden: never applied, only discarded.
  auto fa = cli.Post(base + "/" + forbidden_id + "/accept", w.org.headers(), "{}", "application/json");
  REQUIRE(fa);
  CHECK(fa->status == 409);
  CHECK(fixture::parse(fa->body).find("code")->as_string() == "conflict");
  // after_end: applied now, once.
  auto ok = cli.Post(base + "/" + late_id + "/accept", w.org.headers(), "", "application/json");
  REQUIRE(ok);
  REQUIRE_MESSAGE(ok->status == 200, ok->body);
  const json::Value answer = fixture::parse(ok->body);
  const json::Value* rec = answer.find("record");
  CHECK(rec->find("status")->as_string() == "accepted");
  CHECK(rec->find("decided_by")->as_string() == "admin");
  std::string applied = rec->find("applied_id")->as_string();
  CHECK(applied.size() == 36);
  CHECK(applied_attempts(s, A.doors_a[1]) == before + 1);
  auto again = cli.Post(base + "/" + late_id + "/accept", w.org.headers(), "{}", "application/json");
  REQUIRE(again);
  CHECK(again->status == 409);
  CHECK(applied_attempts(s, A.doors_a[1]) == before + 1);
  auto records = s.app->storage().read([&](store::Db& db) -> Status {
    auto all = sync::read_records(db);
    if (!all) return all.error();
    int found = 0;
    for (const auto& r : *all)
      if (r.id == applied) {
        ++found;
        CHECK_FALSE(r.rejected);
        CHECK(r.at_ms == at + 5003);
        CHECK(r.turf == A.turf_a);
      }
    CHECK(found == 1);
    return Status::Ok();
  });
  CHECK(records.ok());
  // The original phone's resend is still only acknowledged: its numbering is untouched.
  auto resend = cli.Post("/api/v1/canvass/push", fixture::bearer(link->token), body({late_m}), "application/json");
  REQUIRE(resend);
  CHECK(resend->status == 200);
  CHECK(fixture::parse(resend->body).find("acked_through")->as_int() == 3);
  CHECK(applied_attempts(s, A.doors_a[1]) == before + 1);

  auto fd = cli.Post(base + "/" + forbidden_id + "/discard", w.org.headers(), "{}", "application/json");
  REQUIRE(fd);
  REQUIRE_MESSAGE(fd->status == 200, fd->body);
  CHECK(fixture::parse(fd->body).find("record")->find("status")->as_string() == "discarded");
  auto fd2 = cli.Post(base + "/" + forbidden_id + "/discard", w.org.headers(), "{}", "application/json");
  REQUIRE(fd2);
  CHECK(fd2->status == 409);
  auto unknown = cli.Post(base + "/" + new_uuid_v7(at) + "/discard", w.org.headers(), "{}", "application/json");
  REQUIRE(unknown);
  CHECK(unknown->status == 404);
  auto junk = cli.Post(base + "/" + late_id + "/discard", w.org.headers(), R"({"why":"x"})", "application/json");
  REQUIRE(junk);
  CHECK(junk->status == 400);

  auto pending = fixture::parse(cli.Get(base, w.org.headers(false))->body);
  CHECK(pending.find("rejected")->size() == 0);
  auto all = fixture::parse(cli.Get(base + "?status=all", w.org.headers(false))->body);
  CHECK(all.find("rejected")->size() == 2);
  auto bad = cli.Get(base + "?status=nope", w.org.headers(false));
  REQUIRE(bad);
  CHECK(bad->status == 400);

  auto audit = s.app->storage().audit_after(A.campaign, 0, 1000);
  REQUIRE(audit.ok());
  int accepts = 0, discards = 0;
  for (const auto& e : *audit) {
    accepts += e.action == "rejected.accept" && e.detail.rfind(late_id, 0) == 0;
    discards += e.action == "rejected.discard" && e.detail == forbidden_id;
  }
  CHECK(accepts == 1);
  CHECK(discards == 1);
}
