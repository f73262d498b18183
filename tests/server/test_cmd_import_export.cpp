// The `doorstep import` and `doorstep export` commands as a user runs them: the real binary on real
// files. Import prints one JSON report and exits 0; nothing importable exits non-zero; a newer or
// garbage database is refused untouched; exports land in files with the documented headers.
#include <doctest/doctest.h>

#include "tests/fixtures.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "shared/base/json.h"
#include "shared/store/store.h"

using namespace doorstep;

namespace {

struct Out {
  int rc;
  std::string text;
};

Out run(const std::string& args) {
  std::string cmd = std::string(DOORSTEP_BINARY) + " " + args + " 2>/dev/null";
  Out o{0, {}};
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) o.text.append(buf, n);
  int st = pclose(p);
  o.rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return o;
}

std::string fresh_dir(const char* name) {
  auto d = std::filesystem::path(fixtures::temp_path(std::string("doorstep_cli_") + name));
  std::filesystem::remove_all(d);
  return d.string();
}

std::string slurp(const std::string& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

}  // namespace

TEST_CASE("doorstep import --json prints one report object and exports follow") {
  std::string dir = fresh_dir("import");
  std::string venice = fixtures::path("la/venice_addresses.csv");
  auto o = run("import " + venice + " --data " + dir + " --campaign Venice --json");
  CHECK(o.rc == 0);
  auto v = json::parse(o.text);
  REQUIRE_MESSAGE(v.ok(), o.text);
  for (const char* k : {"rows", "people", "doors", "buildings", "geocoded", "errors"}) CHECK_MESSAGE(v->find(k), k);
  CHECK(v->find("rows")->as_int() == 13296);
  CHECK(v->find("doors")->as_int() > 12000);
  CHECK(v->find("errors")->is_array());
  CHECK(std::filesystem::exists(dir + "/doorstep.db"));

  // A small CA-format file geocoded against the same points, into the same campaign.
  std::string ca = dir + "/ca.tsv";
  {
    std::ofstream f(ca);
    f << "RegistrantID\tLastName\tFirstName\tAddressNumber\tStreetName\tStreetType\tZip\n"
         "900\tDiaz\tAna\t1319\tWalgrove\tAve\t90291\n"
         "901\tDiaz\tBen\t1319\tWalgrove\tAve\t90291\n";
  }
  auto c = run("import " + ca + " --data " + dir + " --campaign Venice --geocode-with " + venice + " --json");
  CHECK(c.rc == 0);
  auto cv = json::parse(c.text);
  REQUIRE(cv.ok());
  CHECK(cv->find("people")->as_int() == 2);
  CHECK(cv->find("geocoded")->as_int() == 1);

  // Exports write files with the documented first lines.
  auto e = run("export --data " + dir + " --campaign Venice --format van --out " + dir + "/van.csv");
  CHECK(e.rc == 0);
  CHECK(slurp(dir + "/van.csv").rfind("VAN ID,Date Contacted,Phone,Canvass Result", 0) == 0);
  auto t = run("export --data " + dir + " --campaign Venice --format turfs");
  CHECK(t.rc == 0);
  CHECK(json::parse(t.text).ok());
  CHECK(run("export --data " + dir + " --campaign Venice --format nonsense").rc == 2);
  std::filesystem::remove_all(dir);
}

TEST_CASE("nothing importable exits non-zero; bad databases are refused untouched") {
  std::string dir = fresh_dir("bad");
  std::filesystem::create_directories(dir);
  std::string junk = dir + "/junk.csv";
  {
    std::ofstream f(junk);
    f << "Name,Where\nAna,Home\n";
  }
  auto o = run("import " + junk + " --data " + dir + " --json");
  CHECK(o.rc != 0);
  auto v = json::parse(o.text);
  REQUIRE(v.ok());
  REQUIRE(v->find("code"));
  CHECK(v->find("code")->as_string() == "not_found");

  // A database from a newer Doorstep.
  {
    auto db = store::Db::open(dir + "/doorstep.db");
    REQUIRE(db.ok());
    REQUIRE(db->exec("INSERT INTO schema_migrations(component, version) VALUES('core', 99)").ok());
  }
  std::string before = slurp(dir + "/doorstep.db");
  std::string venice = fixtures::path("la/venice_addresses.csv");
  CHECK(run("import " + venice + " --data " + dir + " --json").rc != 0);
  CHECK(slurp(dir + "/doorstep.db") == before);

  // Not a database at all.
  {
    std::ofstream f(dir + "/doorstep.db", std::ios::trunc);
    f << "this is not sqlite";
  }
  CHECK(run("import " + venice + " --data " + dir).rc != 0);
  CHECK(slurp(dir + "/doorstep.db") == "this is not sqlite");
  std::filesystem::remove_all(dir);
}
