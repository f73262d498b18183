// The script and survey editor's routes over real loopback HTTP: each save is a new version that
// the package carries, English and Spanish with a branch and an export mapping round-trip, a
// question keeps its kind or takes a new id, a stale editor gets 409, bad documents are refused
// with nothing written, and attempt.add's survey_version is kept on the attempt.
#include "tests/server/fixture.h"

using namespace doorstep;

namespace {

struct World : fixture::SeededServer {
  httplib::Result save(const std::string& body) {
    auto cli = s.client();
    return cli.Post("/api/v1/campaigns/" + seeded.campaign + "/survey", org.headers(), body, "application/json");
  }
  json::Value doc() {
    auto cli = s.client();
    auto r = cli.Get("/api/v1/campaigns/" + seeded.campaign + "/survey", org.headers(false));
    REQUIRE(r);
    REQUIRE_MESSAGE(r->status == 200, r->body);
    return fixture::parse(r->body);
  }
};

const char* kDoc = R"({"base_version":0,
  "script":{"en":[{"id":"","title":"Hello","text":"Hi {resident}, I'm {canvasser} with {campaign}."},
                  {"id":"","title":"Host","text":"Thank you!","branch":{"question":"q_host","answer":"yes"}}],
            "es":[{"id":"","title":"Hola","text":"Hola {resident}, soy {canvasser}."}]},
  "survey":[{"id":"q_host","kind":"yes_no","labels":{"en":"Would you host?","es":"¿Organizaría?"},"choices":[],
             "export":{"column":"Host","van_question_id":"812","van_responses":{"yes":"3301","no":"3302"}}},
            {"id":"q_issue","kind":"single_choice","labels":{"en":"Top issue"},
             "choices":[{"id":"cost","labels":{"en":"Cost","es":"Costo"}},{"id":"access","labels":{"en":"Access"}}]}]})";

}  // namespace

TEST_CASE("a save is a new survey version, carried by the package, English and Spanish with a branch") {
  World w;
  auto before = w.doc();
  CHECK(before.find("survey_version")->as_int() == 0);
  CHECK(before.find("survey")->size() == 1);  // the fixture's 1-5 question
  CHECK(before.find("script")->find("en")->size() == 1);

  auto r = w.save(kDoc);
  REQUIRE(r);
  REQUIRE_MESSAGE(r->status == 200, r->body);
  auto saved = fixture::parse(r->body);
  CHECK(saved.find("survey_version")->as_int() == 1);
  const auto& en = saved.find("script")->find("en")->as_array();
  REQUIRE(en.size() == 2);
  CHECK(en[0].find("id")->as_string().size() == 36);  // a section without an id got one
  CHECK(en[1].find("branch")->find("question")->as_string() == "q_host");

  auto again = w.doc();
  CHECK(again.find("survey_version")->as_int() == 1);
  const auto& qs = again.find("survey")->as_array();
  REQUIRE(qs.size() == 2);  // the fixture's question was left out: removed
  CHECK(qs[0].find("labels")->find("es")->as_string() == "¿Organizaría?");
  CHECK(qs[0].find("export")->find("van_question_id")->as_string() == "812");
  CHECK(qs[0].find("export")->find("van_responses")->find("yes")->as_string() == "3301");

  // The phone's package: version 1, both languages, the branch, no export mapping.
  auto link = server::create_link(w.s.app->storage(), w.seeded.campaign, w.seeded.turf_a, "Sam", "t", w.s.now_ms, 86400000);
  REQUIRE(link.ok());
  auto cli = w.s.client();
  auto p = cli.Get("/api/v1/canvass/package", fixture::bearer(link->token));
  REQUIRE(p);
  REQUIRE(p->status == 200);
  auto pkg = fixture::parse(p->body);
  CHECK(pkg.find("survey_version")->as_int() == 1);
  CHECK(pkg.find("survey")->size() == 2);
  CHECK(pkg.find("script")->find("es")->as_array()[0].find("title")->as_string() == "Hola");
  CHECK(pkg.find("script")->find("en")->as_array()[1].find("branch")->find("answer")->as_string() == "yes");
  CHECK(p->body.find("van_question_id") == std::string::npos);
  CHECK(p->body.find("\"export\"") == std::string::npos);

  // The phone answers under version 1: the attempt keeps it.
  json::Value m = json::Value::object();
  m.set("seq", 1);
  m.set("id", new_uuid_v7(w.s.now_ms));
  m.set("kind", "attempt.add");
  m.set("hlc", Hlc{w.s.now_ms, 0, "phone"}.to_string());
  m.set("at", w.s.now_ms.load());
  m.set("payload", json::Value(json::Object{{"door", w.seeded.doors_a[0]}, {"result", "talked"},
                                            {"answers", json::Value(json::Object{{"q_host", true}})},
                                            {"survey_version", 1}}));
  json::Value arr = json::Value::array();
  arr.push(m);
  auto push = cli.Post("/api/v1/canvass/push", fixture::bearer(link->token),
                       json::dump(json::Value(json::Object{{"v", 1}, {"client_id", "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e"},
                                                           {"mutations", arr}})),
                       "application/json");
  REQUIRE(push);
  REQUIRE_MESSAGE(push->status == 200, push->body);
  int64_t version = -1;
  REQUIRE(w.s.app->storage().read([&](store::Db& db) -> Status {
    auto q = db.prepare("SELECT survey_version FROM attempt");
    if (!q) return q.error();
    auto row = q->step();
    if (!row) return row.error();
    if (*row) version = q->int64(0);
    return Status::Ok();
  }).ok());
  CHECK(version == 1);

  // A second save from version 1 makes version 2; an editor still on version 1 gets 409.
  std::string v2 = kDoc;
  v2.replace(v2.find("\"base_version\":0"), 16, "\"base_version\":1");
  r = w.save(v2);
  REQUIRE(r);
  REQUIRE_MESSAGE(r->status == 200, r->body);
  CHECK(fixture::parse(r->body).find("survey_version")->as_int() == 2);
  r = w.save(v2);
  REQUIRE(r);
  CHECK(r->status == 409);
}

TEST_CASE("the survey editor refuses bad documents and writes nothing") {
  World w;
  REQUIRE(w.save(kDoc)->status == 200);
  auto base = [](const std::string& survey, const std::string& script = R"({"en":[]})") {
    return R"({"base_version":1,"script":)" + script + R"(,"survey":)" + survey + "}";
  };
  struct Case {
    const char* what;
    std::string body;
    int status;
  } cases[] = {
      {"kind changed under the same id", base(R"([{"id":"q_host","kind":"free_text","labels":{}}])"), 400},
      {"an id with spaces", base(R"([{"id":"q host","kind":"yes_no","labels":{}}])"), 400},
      {"a question without an id", base(R"([{"kind":"yes_no","labels":{}}])"), 400},
      {"an id used twice", base(R"([{"id":"a","kind":"yes_no"},{"id":"a","kind":"yes_no"}])"), 400},
      {"an unknown kind", base(R"([{"id":"a","kind":"maybe"}])"), 400},
      {"one choice only", base(R"([{"id":"a","kind":"single_choice","choices":[{"id":"x"}]}])"), 400},
      {"a choice used twice", base(R"([{"id":"a","kind":"single_choice","choices":[{"id":"x"},{"id":"x"}]}])"), 400},
      {"a branch to no question", base("[]", R"({"en":[{"id":"","title":"t","text":"x","branch":{"question":"q_nope","answer":"yes"}}]})"), 400},
      {"a branch to no answer", base(R"([{"id":"q_host","kind":"yes_no"}])", R"({"en":[{"id":"","title":"t","text":"x","branch":{"question":"q_host","answer":"7"}}]})"), 400},
      {"a language that is no tag", base("[]", R"({"e n":[]})"), 400},
      {"a title too long", base("[]", R"({"en":[{"id":"","title":")" + std::string(201, 't') + R"(","text":""}]})"), 400},
      {"a label too long", base(R"([{"id":"a","kind":"yes_no","labels":{"en":")" + std::string(1001, 'x') + R"("}}])"), 400},
      {"survey not an array", R"({"base_version":1,"script":{},"survey":{}})", 400},
      {"no script", R"({"base_version":1,"survey":[]})", 400},
      {"no base version", R"({"script":{},"survey":[]})", 400},
      {"an unknown field", R"({"base_version":1,"script":{},"survey":[],"draft":true})", 400},
      {"a stale base version", R"({"base_version":0,"script":{},"survey":[]})", 409},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    auto r = w.save(c.body);
    REQUIRE(r);
    CHECK(r->status == c.status);
    CHECK(fixture::parse(r->body).find("message")->as_string().size() > 0);
  }
  auto d = w.doc();
  CHECK(d.find("survey_version")->as_int() == 1);
  CHECK(d.find("survey")->size() == 2);

  // Another campaign's question id is never taken over.
  auto cli = w.s.client();
  auto other = cli.Post("/api/v1/campaigns", w.org.headers(), R"({"name":"Other"})", "application/json");
  REQUIRE(other);
  REQUIRE_MESSAGE(other->status == 200, other->body);
  std::string oid = fixture::parse(other->body).find("campaign")->find("id")->as_string();
  auto r = cli.Post("/api/v1/campaigns/" + oid + "/survey", w.org.headers(),
                    R"({"base_version":0,"script":{},"survey":[{"id":"q_host","kind":"yes_no"}]})", "application/json");
  REQUIRE(r);
  CHECK(r->status == 400);
  r = cli.Post("/api/v1/campaigns/0192f0c4-7a11-7d00-8a00-000000000001/survey", w.org.headers(),
               R"({"base_version":0,"script":{},"survey":[]})", "application/json");
  REQUIRE(r);
  CHECK(r->status == 404);
  r = cli.Post("/api/v1/campaigns/" + w.seeded.campaign + "/survey", R"({"base_version":1,"script":{},"survey":[]})",
               "application/json");
  REQUIRE(r);
  CHECK(r->status == 401);
}
