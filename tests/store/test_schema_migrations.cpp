// Tests for per-component migrations and the open-time checks of shared/store: an older database
// migrates, a newer one is refused untouched, a garbage file is reported corrupt and untouched.
#include <doctest/doctest.h>

#include "tests/fixtures.h"

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "shared/store/store.h"

using namespace doorstep;
using namespace doorstep::store;

namespace {

std::string temp_path(const char* name) {
  std::string p = fixtures::temp_path(std::string("doorstep_test_") + name) + ".db";
  std::remove(p.c_str());
  return p;
}

std::string slurp(const std::string& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

void cleanup(const std::string& p) {
  for (const char* suf : {"", "-wal", "-shm", "-journal"}) std::remove((p + suf).c_str());
}

bool table_exists(Db& db, const char* name) {
  auto s = db.prepare("SELECT 1 FROM sqlite_schema WHERE type='table' AND name=?1");
  REQUIRE(s.ok());
  s->bind(1, name);
  auto r = s->step();
  REQUIRE(r.ok());
  return r.value();
}

}  // namespace

TEST_CASE("a fresh database gets every core table and records the version") {
  auto db = Db::open(":memory:");
  REQUIRE(db.ok());
  for (const char* t : {"campaign", "building", "door", "person", "turf", "turf_door", "link",
                        "script_section", "survey_question", "survey_label", "attempt", "signup",
                        "consent", "schema_migrations"})
    CHECK_MESSAGE(table_exists(*db, t), t);
  auto v = schema_version(*db, kCoreComponent);
  REQUIRE(v.ok());
  CHECK(v.value() == static_cast<int>(core_migrations().size()));
}

TEST_CASE("no column anywhere is about immigration or citizenship") {
  auto db = Db::open(":memory:");
  REQUIRE(db.ok());
  auto s = db->prepare(
      "SELECT m.name, p.name FROM sqlite_schema m, pragma_table_info(m.name) p WHERE m.type='table'");
  REQUIRE(s.ok());
  int columns = 0;
  while (s->step().value()) {
    ++columns;
    std::string col = s->text(1);
    std::string where = s->text(0) + "." + col;
    for (const char* bad : {"immigra", "citizen", "visa", "alien", "undocumented", "legal_status"})
      CHECK_MESSAGE(col.find(bad) == std::string::npos, where);
  }
  CHECK(columns > 100);
}

TEST_CASE("components migrate independently and in order") {
  auto db = Db::open(":memory:");
  REQUIRE(db.ok());
  std::vector<Migration> sync_v1 = {{1, "CREATE TABLE sync_client(id TEXT PRIMARY KEY, last_seq INTEGER)"}};
  REQUIRE(migrate(*db, "sync", sync_v1).ok());
  CHECK(schema_version(*db, "sync").value() == 1);
  // Running again is a no-op.
  REQUIRE(migrate(*db, "sync", sync_v1).ok());
  std::vector<Migration> sync_v2 = sync_v1;
  sync_v2.push_back({2, "ALTER TABLE sync_client ADD COLUMN seen_ms INTEGER"});
  REQUIRE(migrate(*db, "sync", sync_v2).ok());
  CHECK(schema_version(*db, "sync").value() == 2);
  CHECK(schema_version(*db, kCoreComponent).value() == static_cast<int>(core_migrations().size()));
  CHECK(schema_version(*db, "server").value() == 0);

  // A failing migration leaves nothing half-applied.
  std::vector<Migration> bad = sync_v2;
  bad.push_back({3, "CREATE TABLE sync_x(a); CREATE TABLE broken("});
  auto s = migrate(*db, "sync", bad);
  CHECK_FALSE(s.ok());
  CHECK(schema_version(*db, "sync").value() == 2);
  CHECK_FALSE(table_exists(*db, "sync_x"));

  // Misnumbered lists are a programmer error, reported rather than applied.
  std::vector<Migration> gap = {{1, "SELECT 1"}, {3, "SELECT 1"}};
  CHECK(migrate(*db, "other", gap).error().code == Code::internal);
}

TEST_CASE("migrate_one applies one missing version a call, each in its own transaction, then says it is done") {
  auto db = Db::open(":memory:");
  REQUIRE(db.ok());
  std::vector<Migration> steps = {{1, "CREATE TABLE a(x)"}, {2, "CREATE TABLE b(y)"}, {3, "ALTER TABLE a ADD COLUMN z"}};
  for (int v = 1; v <= 3; ++v) {
    auto r = migrate_one(*db, "steps", steps);
    REQUIRE(r.ok());
    CHECK(*r);
    CHECK(schema_version(*db, "steps").value() == v);
  }
  auto done = migrate_one(*db, "steps", steps);
  REQUIRE(done.ok());
  CHECK_FALSE(*done);
  CHECK(table_exists(*db, "a"));
  CHECK(table_exists(*db, "b"));
  // A failing step leaves the versions before it applied and itself not at all.
  steps.push_back({4, "CREATE TABLE c(w); CREATE TABLE broken("});
  auto bad = migrate_one(*db, "steps", steps);
  CHECK_FALSE(bad.ok());
  CHECK(schema_version(*db, "steps").value() == 3);
  CHECK_FALSE(table_exists(*db, "c"));
  // A stored version above the list's: refused, as migrate refuses it.
  std::vector<Migration> older = {{1, "CREATE TABLE a(x)"}};
  CHECK(migrate_one(*db, "steps", older).error().code == Code::unsupported);
}

TEST_CASE("an older database file migrates on open and keeps its rows") {
  std::string p = temp_path("older");
  {
    // Build a version-0 world: the component table exists but core was never applied, plus a
    // sync component row, as a database made before the core schema existed would have.
    auto db = Db::open(p, OpenOptions{.migrate_core = false});
    REQUIRE(db.ok());
    REQUIRE(migrate(*db, "server", {{1, "CREATE TABLE server_note(x TEXT); INSERT INTO server_note VALUES('kept')"}}).ok());
    CHECK(schema_version(*db, kCoreComponent).value() == 0);
  }
  {
    auto db = Db::open(p);
    REQUIRE(db.ok());
    CHECK(schema_version(*db, kCoreComponent).value() == static_cast<int>(core_migrations().size()));
    CHECK(table_exists(*db, "attempt"));
    auto s = db->prepare("SELECT x FROM server_note");
    REQUIRE(s.ok());
    REQUIRE(s->step().value());
    CHECK(s->text(0) == "kept");
  }
  cleanup(p);
}

TEST_CASE("a database from a newer version is refused and left byte-for-byte untouched") {
  std::string p = temp_path("newer");
  {
    auto db = Db::open(p);
    REQUIRE(db.ok());
    REQUIRE(db->exec("INSERT INTO schema_migrations(component, version) VALUES('core', 999)").ok());
  }
  std::string before = slurp(p);
  REQUIRE(!before.empty());
  auto db = Db::open(p, OpenOptions{.wal = true});
  REQUIRE_FALSE(db.ok());
  CHECK(db.error().code == Code::unsupported);
  CHECK(db.error().message.find("newer") != std::string::npos);
  CHECK(slurp(p) == before);
  std::FILE* wal = std::fopen((p + "-wal").c_str(), "rb");
  CHECK(wal == nullptr);
  if (wal) std::fclose(wal);

  // A newer non-core component is refused by migrate() too, without writing.
  {
    auto raw = Db::open(p, OpenOptions{.migrate_core = false});
    REQUIRE(raw.ok());
    REQUIRE(raw->exec("INSERT INTO schema_migrations(component, version) VALUES('sync', 7)").ok());
    std::vector<Migration> one = {{1, "CREATE TABLE sync_client(id TEXT)"}};
    auto s = migrate(*raw, "sync", one);
    CHECK(s.error().code == Code::unsupported);
    CHECK_FALSE(table_exists(*raw, "sync_client"));
  }
  cleanup(p);
}

TEST_CASE("a garbage file is reported corrupt and never overwritten") {
  std::string p = temp_path("garbage");
  std::string junk = "name,street\n1,Main\nthis is a CSV someone saved as doorstep.db\n";
  {
    std::ofstream f(p, std::ios::binary);
    f << junk;
  }
  auto db = Db::open(p);
  REQUIRE_FALSE(db.ok());
  CHECK(db.error().code == Code::corrupt);
  CHECK(slurp(p) == junk);

  // A real SQLite header followed by damage: SQLite itself notices, still corrupt, untouched.
  std::string p2 = temp_path("damaged");
  {
    auto good = Db::open(p2);
    REQUIRE(good.ok());
  }
  std::string bytes = slurp(p2);
  REQUIRE(bytes.size() > 200);
  for (size_t i = 16; i < 100; ++i) bytes[i] = static_cast<char>(0xA5);
  {
    std::ofstream f(p2, std::ios::binary | std::ios::trunc);
    f << bytes;
  }
  auto db2 = Db::open(p2);
  REQUIRE_FALSE(db2.ok());
  CHECK(db2.error().code == Code::corrupt);
  CHECK(slurp(p2) == bytes);
  cleanup(p);
  cleanup(p2);
}

TEST_CASE("an empty file is a new database; a missing file without create is not_found") {
  std::string p = temp_path("empty");
  { std::ofstream f(p); }
  auto db = Db::open(p);
  REQUIRE(db.ok());
  CHECK(table_exists(*db, "person"));
  std::string missing = temp_path("missing");
  auto m = Db::open(missing, OpenOptions{.create = false});
  CHECK(m.error().code == Code::not_found);
  cleanup(p);
}
