// The organizer-route examples of docs/api.md checked against the real server over loopback:
// request examples must be accepted by their route, answer examples must have the shape (keys and
// value types) of what the route really answers. Wire formats are checked in tests/canvass/test_docs.cpp.
#include "server/links.h"
#include "tests/fixtures.h"
#include "tests/docs_examples.h"
#include "tests/server/fixture.h"

#include <fstream>
#include <sstream>

using namespace doorstep;

namespace {

// Keys and value types, recursively; arrays by their first element (empty arrays match any).
std::string shape(const json::Value& v) {
  switch (v.type()) {
    case json::Value::Type::null: return "null";
    case json::Value::Type::boolean: return "bool";
    case json::Value::Type::integer:
    case json::Value::Type::number: return "number";
    case json::Value::Type::string: return "string";
    case json::Value::Type::array: return v.size() ? "[" + shape(v.as_array()[0]) + "]" : "[]";
    case json::Value::Type::object: {
      std::string out = "{";
      const json::Value sorted = docs_examples::canonical(v);
      for (const auto& [k, x] : sorted.as_object()) out += k + ":" + shape(x) + ",";
      return out + "}";
    }
  }
  return "?";
}

std::vector<docs_examples::Example> route_examples(const std::string& kind) {
  std::vector<docs_examples::Example> out;
  for (auto& e : docs_examples::all())
    if (e.kind == kind) out.push_back(std::move(e));
  return out;
}

}  // namespace

TEST_CASE("docs/api.md: every route example names a route this test checks") {
  for (const auto& e : docs_examples::all()) {
    if (e.kind.rfind("request ", 0) != 0 && e.kind.rfind("answer ", 0) != 0) continue;
    CHECK_MESSAGE((e.kind == "request POST /api/v1/campaigns" || e.kind == "answer GET /api/v1/campaigns/{id}/progress" ||
                   e.kind == "answer POST /api/v1/campaigns/{id}/buildings" ||
                   e.kind == "answer POST /api/v1/campaigns/{id}/members" ||
                   e.kind == "answer GET /api/v1/campaigns/{id}/rejected" ||

                   e.kind == "request POST /api/v1/campaigns/{id}/turfs/auto" || e.kind == "answer GET /api/v1/turfs/{id}/route"),
                  e.where << ": no check for example \"" << e.kind << "\"; add one to tests/server/test_docs.cpp");
  }
}

TEST_CASE("docs/api.md: the progress answer has the shape the server sends") {
  fixture::Server s;
  auto org = fixture::sign_in_admin(s);
  auto w = fixture::seed(*s.app);
  auto link = server::create_link(s.app->storage(), w.campaign, w.turf_a, "Sam", "test", s.now_ms, 24ll * 3600 * 1000);
  REQUIRE(link.ok());
  auto cli = s.client();
  auto push = cli.Post("/api/v1/canvass/push", fixture::bearer(link->token),
                       fixture::push_body("c0ffeec0ffeec0ffeec0ffeec0ffee00", 1, 3, w.doors_a, s.now_ms), "application/json");
  REQUIRE(push);
  REQUIRE_MESSAGE(push->status == 200, push->body);
  auto p = cli.Get("/api/v1/campaigns/" + w.campaign + "/progress", org.headers(false));
  REQUIRE(p);
  REQUIRE_MESSAGE(p->status == 200, p->body);
  auto real = fixture::parse(p->body);
  REQUIRE(real.find("recent")->size() > 0);
  auto examples = route_examples("answer GET /api/v1/campaigns/{id}/progress");
  REQUIRE(examples.size() == 1);
  auto doc = json::parse(examples[0].text);
  REQUIRE(doc.ok());
  CHECK_MESSAGE(shape(*doc) == shape(real), examples[0].where << ": the example's shape differs from the server's answer: "
                                                              << p->body);
}

TEST_CASE("docs/api.md: the buildings answer has the shape the server sends") {
  fixture::Server s;
  auto org = fixture::sign_in_admin(s);
  auto w = fixture::seed(*s.app);
  // A second door of 1319 Walgrove's building 300 m away, so the answer lists a split address.
  REQUIRE(s.app->storage().write([&](store::Db& db) -> Status {
    auto first = store::get_door(db, w.doors_a[0]);
    if (!first) return first.error();
    Door d = *first;
    d.id.clear();
    d.address_key += " #B";
    d.unit = "B";
    d.lat = *d.lat + 0.0027;
    auto u = store::upsert_door(db, d, s.app->next_hlc());
    return u ? Status::Ok() : Status(u.error());
  }).ok());
  std::ifstream in(fixtures::path("la/venice_buildings_sample.geojson"));
  std::stringstream text;
  text << in.rdbuf();
  auto cli = s.client();
  auto r = cli.Post("/api/v1/campaigns/" + w.campaign + "/buildings", org.headers(), text.str(), "application/geo+json");
  REQUIRE(r);
  REQUIRE_MESSAGE(r->status == 200, r->body);
  auto examples = route_examples("answer POST /api/v1/campaigns/{id}/buildings");
  REQUIRE(examples.size() == 1);
  auto doc = json::parse(examples[0].text);
  REQUIRE(doc.ok());
  CHECK_MESSAGE(shape(*doc) == shape(fixture::parse(r->body)),
                examples[0].where << ": the example's shape differs from the server's answer: " << r->body);
}

TEST_CASE("docs/api.md: the campaign request example is accepted by POST /api/v1/campaigns") {
  fixture::Server s;
  auto org = fixture::sign_in_admin(s);
  auto cli = s.client();
  auto examples = route_examples("request POST /api/v1/campaigns");
  REQUIRE(examples.size() == 1);
  auto r = cli.Post("/api/v1/campaigns", org.headers(), examples[0].text, "application/json");
  REQUIRE(r);
  CHECK_MESSAGE(r->status == 200, examples[0].where << ": " << r->body);
}

TEST_CASE("docs/api.md: the members answer has the shape the server sends") {
  fixture::Server s;
  auto org = fixture::sign_in_admin(s);
  auto cli = s.client();
  auto made = cli.Post("/api/v1/campaigns", org.headers(), R"({"name":"Docs members"})", "application/json");
  REQUIRE(made);
  REQUIRE(made->status == 200);
  std::string id = fixture::parse(made->body).find("campaign")->find("id")->as_string();
  auto r = cli.Post("/api/v1/campaigns/" + id + "/members", org.headers(), R"({"email":"lee@example.org","role":"organizer"})",
                    "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  auto ex = route_examples("answer POST /api/v1/campaigns/{id}/members");
  REQUIRE(ex.size() == 1);
  auto doc = json::parse(ex[0].text);
  REQUIRE_MESSAGE(doc.ok(), ex[0].where);
  CHECK_MESSAGE(shape(*doc) == shape(fixture::parse(r->body)), ex[0].where);
}

TEST_CASE("docs/api.md: the auto-cut request is accepted and the route answer has the server's shape") {
  fixture::Server s;
  auto org = fixture::sign_in_admin(s);
  auto cli = s.client();
  auto c = cli.Post("/api/v1/campaigns", org.headers(), R"({"name":"Venice docs"})", "application/json");
  REQUIRE(c);
  std::string campaign = fixture::parse(c->body).find("campaign")->find("id")->as_string();
  std::ifstream in(fixtures::path("la/venice_addresses.csv"));
  std::string row, csv;
  for (int i = 0; i <= 400 && std::getline(in, row); ++i) csv += row + "\n";
  auto up = cli.Post("/api/v1/campaigns/" + campaign + "/universe", org.headers(), csv, "text/csv");
  REQUIRE(up);
  REQUIRE(up->status == 200);
  auto req = route_examples("request POST /api/v1/campaigns/{id}/turfs/auto");
  REQUIRE(req.size() == 1);
  auto cut = cli.Post("/api/v1/campaigns/" + campaign + "/turfs/auto", org.headers(), req[0].text, "application/json");
  REQUIRE(cut);
  REQUIRE_MESSAGE(cut->status == 200, req[0].where << ": " << cut->body);
  auto cv = fixture::parse(cut->body);
  REQUIRE(cv.find("turfs")->size() > 0);
  std::string turf = cv.find("turfs")->as_array()[0].find("id")->as_string();
  auto r = cli.Get("/api/v1/turfs/" + turf + "/route", org.headers(false));
  REQUIRE(r);
  REQUIRE(r->status == 200);
  auto ans = route_examples("answer GET /api/v1/turfs/{id}/route");
  REQUIRE(ans.size() == 1);
  auto doc = json::parse(ans[0].text);
  REQUIRE_MESSAGE(doc.ok(), ans[0].where);
  CHECK_MESSAGE(shape(*doc) == shape(fixture::parse(r->body)), ans[0].where << ": the example's shape differs: " << r->body);
}

TEST_CASE("docs/api.md: the rejected-records answer has the shape the server sends") {
  fixture::Server s;
  auto org = fixture::sign_in_admin(s);
  auto w = fixture::seed(*s.app);
  auto link = server::create_link(s.app->storage(), w.campaign, w.turf_a, "Sam", "test", s.now_ms, 24ll * 3600 * 1000);
  REQUIRE(link.ok());
  REQUIRE(s.app->storage().revoke_link(link->record.id, s.now_ms).ok());
  json::Value p = json::Value::object();
  p.set("door", w.doors_a[1]);
  p.set("result", "not_home");
  p.set("canvasser", "Sam");
  json::Value muts = json::Value::array();
  muts.push(fixture::mutation(1, "attempt.add", p, s.now_ms));
  json::Value body = json::Value::object();
  body.set("v", 2);
  body.set("client_id", "d0c5d0c5d0c5d0c5d0c5d0c5d0c5d0c5");
  body.set("mutations", muts);
  auto cli = s.client();
  auto push = cli.Post("/api/v1/canvass/push", fixture::bearer(link->token), json::dump(body), "application/json");
  REQUIRE(push);
  REQUIRE_MESSAGE(push->status == 200, push->body);
  auto r = cli.Get("/api/v1/campaigns/" + w.campaign + "/rejected", org.headers(false));
  REQUIRE(r);
  REQUIRE_MESSAGE(r->status == 200, r->body);
  auto real = fixture::parse(r->body);
  REQUIRE(real.find("rejected")->size() == 1);
  auto ex = route_examples("answer GET /api/v1/campaigns/{id}/rejected");
  REQUIRE(ex.size() == 1);
  auto doc = json::parse(ex[0].text);
  REQUIRE_MESSAGE(doc.ok(), ex[0].where);
  CHECK_MESSAGE(shape(*doc) == shape(real), ex[0].where << ": the example's shape differs: " << r->body);
}
