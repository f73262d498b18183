// `doorstep backup` (SQLite online backup) while a real server writes, then `doorstep restore`
// into a fresh folder, compared table by table; restore refuses to overwrite without --force.
#include <sqlite3.h>

#include <map>

#include "tests/server/child.h"
#include "tests/server/fixture.h"

using namespace doorstep;

namespace {

int run(const std::string& cmd) { return WEXITSTATUS(std::system((cmd + " >/dev/null 2>&1").c_str())); }

// Every user table's rows, in a stable order, as text.
std::map<std::string, std::vector<std::string>> dump(const std::string& path) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  std::vector<std::string> tables;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
                     -1, &st, nullptr);
  while (sqlite3_step(st) == SQLITE_ROW) tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& t : tables) {
    std::string sql = "SELECT * FROM \"" + t + "\"";
    sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
    auto& rows = out[t];
    while (sqlite3_step(st) == SQLITE_ROW) {
      std::string row;
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        const unsigned char* v = sqlite3_column_text(st, i);
        row += v ? reinterpret_cast<const char*>(v) : "<null>";
        row += '\x1f';
      }
      rows.push_back(row);
    }
    sqlite3_finalize(st);
    std::sort(rows.begin(), rows.end());
  }
  sqlite3_close(db);
  return out;
}

}  // namespace

TEST_CASE("backup of a live server, restore into a new folder, same contents") {
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
    REQUIRE((*app)->first_start().ok());
    auto l = server::create_link((*app)->storage(), seeded.campaign, seeded.turf_a, "crew", "", (*app)->now(), 86400000);
    REQUIRE(l.ok());
    token = l->token;
  }
  fixture::Child child(data);
  httplib::Client cli("127.0.0.1", child.port);
  int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch()).count();
  const std::string cid = "bac0bac0bac0bac0bac0bac0bac0bac0";
  for (int b = 0; b < 5; ++b) {
    auto r = cli.Post("/api/v1/canvass/push", fixture::bearer(token), fixture::push_body(cid, 1 + b * 10, 10, seeded.doors_a, now),
                      "application/json");
    REQUIRE(r);
    REQUIRE(r->status == 200);
  }
  // Backup while the server keeps taking pushes on another thread.
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    httplib::Client c2("127.0.0.1", child.port);
    const std::string cid2 = "bac1bac1bac1bac1bac1bac1bac1bac1";
    for (int b = 0; b < 20 && !stop; ++b)
      c2.Post("/api/v1/canvass/push", fixture::bearer(token), fixture::push_body(cid2, 1 + b * 10, 10, seeded.doors_a, now),
              "application/json");
  });
  const std::string out = dir.path + "/backup.db";
  CHECK(run(std::string(DOORSTEP_BINARY) + " backup --data " + data + " " + out) == 0);
  stop = true;
  writer.join();
  CHECK(run(std::string(DOORSTEP_BINARY) + " backup --data " + data + " " + out) != 0);  // never overwrites

  auto backed = dump(out);
  CHECK(backed.count("attempt") == 1);
  CHECK(backed["srv_accounts"].size() == 1);
  CHECK(backed["srv_links"].size() == 1);
  CHECK(backed["person"].size() == 6);
  CHECK(backed["attempt"].size() >= 50);  // at least everything acknowledged before the backup began

  // Restore into a new folder and compare everything.
  const std::string data2 = dir.path + "/restored";
  CHECK(run(std::string(DOORSTEP_BINARY) + " restore --data " + data2 + " " + out) == 0);
  CHECK(dump(data2 + "/doorstep.db") == backed);
  // A second restore onto a live folder needs --force.
  CHECK(run(std::string(DOORSTEP_BINARY) + " restore --data " + data2 + " " + out) != 0);
  CHECK(run(std::string(DOORSTEP_BINARY) + " restore --data " + data2 + " " + out + " --force") == 0);
  CHECK(dump(data2 + "/doorstep.db") == backed);

  // The restored folder serves: the same token still reads its package.
  child.stop();
  fixture::Child again(data2);
  httplib::Client c3("127.0.0.1", again.port);
  auto pkg = c3.Get("/api/v1/canvass/package", fixture::bearer(token));
  REQUIRE(pkg);
  CHECK(pkg->status == 200);
  // A restored server keeps its accounts: no second first-start link.
  again.stop();
}

TEST_CASE("doorstep admin recovers access from the console") {
  fixture::TempDir dir;
  const std::string data = dir.path + "/data";
  const std::string bin = DOORSTEP_BINARY;
  auto capture = [](const std::string& cmd) {
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    char buf[512];
    while (p && std::fgets(buf, sizeof buf, p)) out += buf;
    int rc = p ? pclose(p) : -1;
    return std::make_pair(WEXITSTATUS(rc), out);
  };
  auto [rc1, link] = capture(bin + " admin --data " + data + " link 2>/dev/null");
  CHECK(rc1 == 0);
  CHECK(link.find("/#signin=") != std::string::npos);
  auto [rc2, pw] = capture("echo 'a long enough password' | " + bin + " admin --data " + data + " password --email admin");
  CHECK(rc2 == 0);
  auto [rc3, list] = capture(bin + " admin --data " + data + " list");
  CHECK(rc3 == 0);
  CHECK(list.find("admin") != std::string::npos);
  CHECK(list.find("no password") == std::string::npos);
  auto [rc4, shortpw] = capture("echo short | " + bin + " admin --data " + data + " password --email admin 2>&1");
  CHECK(rc4 != 0);

  // The password set on the console signs in over HTTP.
  fixture::Child child(data);
  httplib::Client cli("127.0.0.1", child.port);
  auto r = cli.Post("/api/v1/auth/signin", R"({"email":"admin","password":"a long enough password"})", "application/json");
  REQUIRE(r);
  CHECK(r->status == 200);
  // And the console's link is one-time and works too.
  auto p = link.find("#signin=");
  std::string tok = link.substr(p + 8, 32);
  auto l1 = cli.Post("/api/v1/auth/link", R"({"token":")" + tok + R"("})", "application/json");
  REQUIRE(l1);
  CHECK(l1->status == 200);
  auto l2 = cli.Post("/api/v1/auth/link", R"({"token":")" + tok + R"("})", "application/json");
  REQUIRE(l2);
  CHECK(l2->status == 401);
}
