// SQLite access for browser and server: an RAII connection, prepared statements with typed
// bind/column helpers, a transaction guard, and migrations numbered per component (core, sync,
// server). Every failure is a Status/Result with a stable code. Leaves out the schema itself
// (shared/store/schema.cpp) and typed record access (shared/store/campaign_store.h).
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <unordered_map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shared/base/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace doorstep::store {

class Db;

// A prepared statement. Bind indexes start at 1 (SQLite's rule); column indexes start at 0.
class Stmt {
 public:
  Stmt() = default;
  Stmt(Stmt&& o) noexcept : db_(o.db_), s_(std::exchange(o.s_, nullptr)) {}
  Stmt& operator=(Stmt&& o) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  Stmt& bind(int i, int64_t v);
  Stmt& bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
  Stmt& bind(int i, bool v) { return bind(i, static_cast<int64_t>(v ? 1 : 0)); }
  Stmt& bind(int i, double v);
  Stmt& bind(int i, std::string_view v);  // copied by SQLite (SQLITE_TRANSIENT)
  Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, std::nullptr_t);
  Stmt& bind(int i, const std::optional<double>& v);
  Stmt& bind(int i, const std::optional<int64_t>& v);
  Stmt& bind_text_or_null(int i, std::string_view v);  // empty -> NULL

  // Binds values to 1..n in order.
  template <class... A>
  Stmt& bind_all(const A&... a) {
    int i = 0;
    (bind(++i, a), ...);
    return *this;
  }

  // true: a row is ready; false: done. Errors carry the SQLite message and a mapped code:
  // constraint -> conflict, corrupt/notadb -> corrupt, toobig -> too_large, busy/ioerr/full -> io.
  Result<bool> step();
  // Steps to completion and resets: for statements that return no rows.
  Status run();
  // Resets so it can be stepped again; also clears bindings.
  void reset();

  int column_count() const;
  bool is_null(int c) const;
  int64_t int64(int c) const;
  double real(int c) const;
  std::string text(int c) const;            // NULL -> ""
  std::string_view text_view(int c) const;  // valid until the next step/reset
  std::optional<double> opt_real(int c) const;
  std::optional<int64_t> opt_int64(int c) const;

  sqlite3_stmt* handle() const { return s_; }
  explicit operator bool() const { return s_ != nullptr; }

 private:
  friend class Db;
  Stmt(sqlite3* db, sqlite3_stmt* s) : db_(db), s_(s) {}
  sqlite3* db_ = nullptr;
  sqlite3_stmt* s_ = nullptr;
};

struct OpenOptions {
  bool create = true;        // create the file when missing
  bool read_only = false;
  bool wal = false;          // journal_mode=WAL (server); the browser keeps the default
  int busy_timeout_ms = 5000;
  bool migrate_core = true;  // apply the core schema (shared/store/schema.cpp) on open
  // The only connection to its file (the phone: one per turf file, one thread): locking_mode=
  // EXCLUSIVE and journal_mode=TRUNCATE, so no transaction stats the journal for a hot one or
  // creates and deletes it (in the browser each is a walk of Emscripten's JS file system).
  bool sole_connection = false;
};

// One SQLite connection. Movable, not copyable; closes on destruction.
class Db {
 public:
  Db() = default;
  Db(Db&& o) noexcept
      : db_(std::exchange(o.db_, nullptr)),
        path_(std::move(o.path_)),
        cache_(std::move(o.cache_)),
        static_cache_(std::move(o.static_cache_)) {}
  Db& operator=(Db&& o) noexcept;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db();

  // Opens `path` (or ":memory:"). A file that is not a SQLite database -> Code::corrupt and the
  // file is left as it was; a database whose schema is newer than this build -> Code::unsupported,
  // also untouched. With migrate_core, older databases are migrated in one transaction.
  static Result<Db> open(const std::string& path, const OpenOptions& opts = {});

  Status exec(std::string_view sql);  // one or more statements, no results
  Result<Stmt> prepare(std::string_view sql);

  // Cached prepared statement keyed by the SQL text (the hot paths of import and sync).
  // The returned pointer stays valid while the Db lives; it is reset before being returned, so
  // finish with one use (step to the end or reset) before asking for the same SQL again.
  Result<Stmt*> cached(std::string_view sql);
  // Same, keyed by the address of `static_sql`, which must be a string literal (or otherwise live
  // and unchanged as long as the Db): skips comparing the SQL text on the hottest paths.
  Result<Stmt*> cached_static(const char* static_sql);
  // Resets every cached statement. A cached SELECT read for one row stays open until its next
  // use, and SQLite refuses schema changes (DROP/CREATE INDEX) while any statement is open.
  void reset_cached();

  int64_t last_insert_rowid() const;
  int64_t changes() const;  // rows changed by the last statement
  bool in_transaction() const;

  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }

  // Turns the mapping of a SQLite return code into an Error with `what` as context.
  Error error(int rc, std::string_view what) const;

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
  std::map<std::string, Stmt, std::less<>> cache_;  // node-based: pointers stay valid
  std::unordered_map<const char*, Stmt*> static_cache_;  // into cache_
};

// BEGIN IMMEDIATE (default) or DEFERRED on construction; ROLLBACK on destruction unless
// commit() succeeded. Nested use is an error (SQLite has no nested BEGIN): use one per unit of work.
class Transaction {
 public:
  explicit Transaction(Db& db, bool immediate = true);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  const Status& status() const { return begin_; }  // check before using the transaction
  Status commit();
  void rollback();

 private:
  Db& db_;
  Status begin_;
  bool open_ = false;
};

// ---- Migrations per component -----------------------------------------------------------------
// Each component ("core", "sync", "server") keeps its own list, numbered 1, 2, 3, ... in order.
// schema_migrations(component, version) records the highest applied version per component.
struct Migration {
  int version;
  const char* sql;  // one or more statements
};

// Applies the missing migrations of `component` in one transaction. A stored version above the
// highest one known -> Code::unsupported, nothing written.
Status migrate(Db& db, std::string_view component, const std::vector<Migration>& migrations);
// The next missing migration of `component` alone, in its own transaction: true when one was
// applied (call again), false when the schema is current; the same checks as migrate. For a
// start-up that spreads its migrations over several tasks (the phone's first visit).
Result<bool> migrate_one(Db& db, std::string_view component, const std::vector<Migration>& migrations);

// Highest applied version of `component` (0 when none or the table does not exist yet).
Result<int> schema_version(Db& db, std::string_view component);

// The core schema (shared/store/schema.cpp).
const std::vector<Migration>& core_migrations();
// Secondary indexes a first bulk import may drop and rebuild in one sort (much cheaper than a
// million random inserts): DROP and CREATE IF NOT EXISTS statements. Db::open runs the CREATE
// list, so an import that died half-way never leaves them missing for long.
const char* core_deferrable_indexes_drop();
const char* core_deferrable_indexes_create();
inline constexpr std::string_view kCoreComponent = "core";

}  // namespace doorstep::store
