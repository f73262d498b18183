// The purge leaves no readable copy of a campaign's personal data in the database file or its
// write-ahead log: names, phones, birth dates, sign-ups, notes, safety notes and a rejected
// mutation's payload are pushed and imported over loopback, the campaign is purged through its
// route, and the raw bytes of doorstep.db and doorstep.db-wal are searched for each of them. Also
// the files' modes (the folder 0700, the database 0600).
#include "server/links.h"
#include "tests/server/fixture.h"

#include <filesystem>
#include <fstream>
#include <iterator>

using namespace doorstep;

namespace {

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

using fixture::mutation;

}  // namespace

TEST_CASE("purge: no personal byte left in the database or its WAL") {
  fixture::SeededServer ss;
  auto& w = ss.seeded;
  auto link = server::create_link(ss.s.app->storage(), w.campaign, w.turf_a, "Sam", "test", ss.s.now_ms, 24ll * 3600 * 1000);
  REQUIRE(link.ok());
  auto cli = ss.s.client();
  const int64_t at = ss.s.now_ms;
  json::Value muts = json::Value::array();
  {
    json::Value p = json::Value::object();
    p.set("person", w.people_a[0]);
    p.set("set", json::Value(json::Object{{"first_name", "Quintessa"}, {"safety", "Quintessa: large dog"}}));
    muts.push(mutation(1, "person.set", p, at));
  }
  {
    json::Value p = json::Value::object();
    p.set("door", w.doors_a[0]);
    p.set("person", w.people_a[0]);
    p.set("result", "talked");
    p.set("notes", "Zarbokian said call after six");
    muts.push(mutation(2, "attempt.add", p, at));
  }
  {
    json::Value p = json::Value::object();
    p.set("door", w.doors_a[0]);
    p.set("name", "Zarbokian Vell");
    p.set("phone", "310-867-5309");
    p.set("email", "zarbokian@example.org");
    p.set("consents", json::Value(json::Object{{"call_me", true}, {"email_me", true}, {"volunteer", false}, {"join", true}}));
    muts.push(mutation(3, "signup.add", p, at));
  }
  {
    json::Value p = json::Value::object();
    p.set("door", w.doors_a[1]);
    p.set("set", json::Value(json::Object{{"safety", "Gravelmoor gate code 4471"}, {"notes", "Gravelmoor"}}));
    muts.push(mutation(4, "door.set", p, at));
  }
  {
    // Out of this link's turf: rejected (forbidden), kept for review with its payload.
    json::Value p = json::Value::object();
    p.set("person", w.people_b[0]);
    p.set("set", json::Value(json::Object{{"last_name", "Xylophantine"}}));
    muts.push(mutation(5, "person.set", p, at));
  }
  json::Value body = json::Value::object();
  body.set("v", 1);
  body.set("client_id", "9a8b7c6d5e4f30211203f4e5d6c7b8a9");
  body.set("mutations", muts);
  auto r = cli.Post("/api/v1/canvass/push", fixture::bearer(link->token), json::dump(body), "application/json");
  REQUIRE(r);
  REQUIRE_MESSAGE(r->status == 200, r->body);
  auto ans = fixture::parse(r->body);
  CHECK(ans.find("acked_through")->as_int() == 5);
  REQUIRE(ans.find("rejected")->as_array().size() == 1);

  const std::string db = ss.s.dir.path + "/data/doorstep.db";
  const std::vector<std::string> personal = {"Quintessa", "Zarbokian", "310-867-5309", "Gravelmoor", "Xylophantine",
                                             "Last1", "555-0101", "1980-01-02"};
  {
    std::string before = file_bytes(db) + file_bytes(db + "-wal");
    for (const auto& p : personal) CHECK_MESSAGE(before.find(p) != std::string::npos, p << " was stored before the purge");
  }
  auto purge = cli.Post("/api/v1/campaigns/" + w.campaign + "/purge", ss.org.headers(), R"({"confirm":"Venice test"})",
                        "application/json");
  REQUIRE(purge);
  REQUIRE_MESSAGE(purge->status == 200, purge->body);
  auto pa = fixture::parse(purge->body);
  CHECK(pa.find("people_purged")->as_int() == 6);
  CHECK(pa.find("wal_emptied")->as_bool());
  CHECK(pa.find("backups")->is_string());
  std::string after = file_bytes(db) + file_bytes(db + "-wal");
  CHECK(file_bytes(db + "-wal").size() < 65536);  // truncated at the checkpoint (later writes may add a little)
  for (const auto& p : personal) CHECK_MESSAGE(after.find(p) == std::string::npos, p << " is still in the file after the purge");
  // What is not personal stays: the attempts and their results.
  auto prog = cli.Get("/api/v1/campaigns/" + w.campaign + "/progress", ss.org.headers(false));
  REQUIRE(prog);
  CHECK(prog->status == 200);
  CHECK(prog->body.find("\"attempts\"") != std::string::npos);
}

TEST_CASE("the data folder and the database are the server account's alone (0700 / 0600)") {
  namespace fs = std::filesystem;
  fixture::TempDir dir;
  fs::create_directories(dir.path + "/data");
  fs::permissions(dir.path + "/data", fs::perms::all);  // a folder made world-readable by hand
  {
    server::AppConfig ac;
    ac.data_dir = dir.path + "/data";
    auto app = server::App::open(ac);
    REQUIRE(app.ok());
    REQUIRE((*app)->storage().write([](store::Db& db) { return db.exec("CREATE TABLE IF NOT EXISTS t(x)"); }).ok());
  }
  auto mode = [](const std::string& p) { return fs::status(p).permissions(); };
  CHECK((mode(dir.path + "/data") & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
  CHECK((mode(dir.path + "/data") & fs::perms::owner_all) == fs::perms::owner_all);
  CHECK((mode(dir.path + "/data/doorstep.db") & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
}
