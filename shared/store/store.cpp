// SQLite connection, statements, transactions and per-component migrations (see store.h).
// Opening checks the file header itself before SQLite touches the file, so a stray file is never
// turned into an empty database, and checks schema versions before any write (WAL included).
#include "shared/store/store.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace doorstep::store {

namespace {

Code map_code(int rc) {
  switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE: return Code::ok;
    case SQLITE_CONSTRAINT: return Code::conflict;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return Code::corrupt;
    case SQLITE_TOOBIG: return Code::too_large;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM: return Code::io;
    case SQLITE_MISUSE:
    case SQLITE_RANGE: return Code::invalid_argument;
    default: return Code::internal;
  }
}

Error make_sqlite_error(sqlite3* db, int rc, std::string_view what) {
  std::string msg(what);
  msg += ": ";
  msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return Error{map_code(rc), std::move(msg), true};
}

// What the first bytes of an existing file say. Empty files are fine: SQLite treats them as new.
enum class FileKind { missing, empty, sqlite, other };
FileKind probe(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return FileKind::missing;
  char head[16] = {};
  size_t n = std::fread(head, 1, sizeof head, f);
  std::fclose(f);
  if (n == 0) return FileKind::empty;
  if (n == 16 && std::memcmp(head, "SQLite format 3\0", 16) == 0) return FileKind::sqlite;
  return FileKind::other;
}

}  // namespace

// ---- Stmt ---------------------------------------------------------------------------------------
Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    if (s_) sqlite3_finalize(s_);
    db_ = o.db_;
    s_ = std::exchange(o.s_, nullptr);
  }
  return *this;
}
Stmt::~Stmt() {
  if (s_) sqlite3_finalize(s_);
}
Stmt& Stmt::bind(int i, int64_t v) {
  sqlite3_bind_int64(s_, i, v);
  return *this;
}
Stmt& Stmt::bind(int i, double v) {
  sqlite3_bind_double(s_, i, v);
  return *this;
}
Stmt& Stmt::bind(int i, std::string_view v) {
  sqlite3_bind_text(s_, i, v.data() ? v.data() : "", static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::bind(int i, std::nullptr_t) {
  sqlite3_bind_null(s_, i);
  return *this;
}
Stmt& Stmt::bind(int i, const std::optional<double>& v) {
  return v ? bind(i, *v) : bind(i, nullptr);
}
Stmt& Stmt::bind(int i, const std::optional<int64_t>& v) {
  return v ? bind(i, *v) : bind(i, nullptr);
}
Stmt& Stmt::bind_text_or_null(int i, std::string_view v) {
  return v.empty() ? bind(i, nullptr) : bind(i, v);
}

Result<bool> Stmt::step() {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error e = make_sqlite_error(db_, rc, "step");
  sqlite3_reset(s_);
  return e;
}
Status Stmt::run() {
  auto r = step();
  while (r.ok() && r.value()) r = step();
  Status st = r.ok() ? Status() : Status(r.error());
  sqlite3_reset(s_);
  return st;
}
void Stmt::reset() {
  sqlite3_reset(s_);
  sqlite3_clear_bindings(s_);
}
int Stmt::column_count() const { return sqlite3_column_count(s_); }
bool Stmt::is_null(int c) const { return sqlite3_column_type(s_, c) == SQLITE_NULL; }
int64_t Stmt::int64(int c) const { return sqlite3_column_int64(s_, c); }
double Stmt::real(int c) const { return sqlite3_column_double(s_, c); }
std::string_view Stmt::text_view(int c) const {
  auto p = reinterpret_cast<const char*>(sqlite3_column_text(s_, c));
  if (!p) return {};
  return std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(s_, c)));
}
std::string Stmt::text(int c) const { return std::string(text_view(c)); }
std::optional<double> Stmt::opt_real(int c) const {
  if (is_null(c)) return std::nullopt;
  return real(c);
}
std::optional<int64_t> Stmt::opt_int64(int c) const {
  if (is_null(c)) return std::nullopt;
  return int64(c);
}

// ---- Db -----------------------------------------------------------------------------------------
Db& Db::operator=(Db&& o) noexcept {
  if (this != &o) {
    static_cache_.clear();
    cache_.clear();
    if (db_) sqlite3_close_v2(db_);
    db_ = std::exchange(o.db_, nullptr);
    path_ = std::move(o.path_);
    cache_ = std::move(o.cache_);
    static_cache_ = std::move(o.static_cache_);
  }
  return *this;
}
Db::~Db() {
  cache_.clear();  // statements first: close_v2 would otherwise defer the close
  if (db_) sqlite3_close_v2(db_);
}

Error Db::error(int rc, std::string_view what) const { return make_sqlite_error(db_, rc, what); }

Result<Db> Db::open(const std::string& path, const OpenOptions& opts) {
  bool memory = path == ":memory:" || path.empty();
  if (!memory) {
    FileKind k = probe(path);
    if (k == FileKind::other)
      return make_error(Code::corrupt, path + " is not a SQLite database; left untouched");
    if (k == FileKind::missing && !opts.create)
      return make_error(Code::not_found, path + " does not exist");
  }
  int flags = opts.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (opts.create && !opts.read_only) flags |= SQLITE_OPEN_CREATE;
  flags |= SQLITE_OPEN_NOMUTEX;  // one connection per thread; callers never share a Db
  Db db;
  db.path_ = memory ? ":memory:" : path;
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(db.path_.c_str(), &raw, flags, nullptr);
  db.db_ = raw;
  if (rc != SQLITE_OK) return db.error(rc, "open " + db.path_);
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, opts.busy_timeout_ms);

  // Read something from the file before any write: SQLite only notices a damaged header here.
  {
    auto st = db.prepare("SELECT count(*) FROM sqlite_schema");
    if (!st) return st.error();
    auto r = st->step();
    if (!r) {
      Error e = r.error();
      if (e.code == Code::corrupt) e.message = db.path_ + " is corrupt or not a database; left untouched (" + e.message + ")";
      return e;
    }
  }
  if (auto s = db.exec("PRAGMA foreign_keys=ON"); !s) return s.error();
  if (opts.read_only) return db;

  // Version check before WAL: switching the journal mode rewrites the header of a newer file.
  if (opts.migrate_core) {
    auto v = schema_version(db, kCoreComponent);
    if (!v) return v.error();
    if (v.value() > static_cast<int>(core_migrations().size()))
      return make_error(Code::unsupported,
                        db.path_ + " was written by a newer Doorstep (core schema " +
                            std::to_string(v.value()) + ", this build knows " +
                            std::to_string(core_migrations().size()) + "); left untouched");
  }
  if (opts.sole_connection && !memory) {
    if (auto s = db.exec("PRAGMA locking_mode=EXCLUSIVE"); !s) return s.error();
    if (auto s = db.exec("PRAGMA journal_mode=TRUNCATE"); !s) return s.error();
  }
  if (opts.wal && !memory) {
    if (auto s = db.exec("PRAGMA journal_mode=WAL"); !s) return s.error();
    if (auto s = db.exec("PRAGMA synchronous=NORMAL"); !s) return s.error();
  }
  if (opts.migrate_core) {
    if (auto s = migrate(db, kCoreComponent, core_migrations()); !s) return s.error();
    if (auto s = db.exec(core_deferrable_indexes_create()); !s) return s.error();
  }
  return db;
}

Status Db::exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return Error{map_code(rc), "exec: " + msg, true};
  }
  return {};
}

Result<Stmt> Db::prepare(std::string_view sql) {
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), 0, &s, nullptr);
  if (rc != SQLITE_OK) return error(rc, "prepare \"" + std::string(sql.substr(0, 80)) + "\"");
  return Stmt(db_, s);
}

Result<Stmt*> Db::cached(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* s = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                &s, nullptr);
    if (rc != SQLITE_OK) return error(rc, "prepare \"" + std::string(sql.substr(0, 80)) + "\"");
    it = cache_.emplace(std::string(sql), Stmt(db_, s)).first;
  } else {
    it->second.reset();
  }
  return &it->second;
}

Result<Stmt*> Db::cached_static(const char* static_sql) {
  if (auto it = static_cache_.find(static_sql); it != static_cache_.end()) {
    it->second->reset();
    return it->second;
  }
  auto s = cached(static_sql);
  if (s) static_cache_.emplace(static_sql, s.value());
  return s;
}

void Db::reset_cached() {
  for (auto& kv : cache_) kv.second.reset();
}

int64_t Db::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int64_t Db::changes() const { return sqlite3_changes64(db_); }
bool Db::in_transaction() const { return db_ && !sqlite3_get_autocommit(db_); }

// ---- Transaction ------------------------------------------------------------------------------
Transaction::Transaction(Db& db, bool immediate) : db_(db) {
  begin_ = db_.exec(immediate ? "BEGIN IMMEDIATE" : "BEGIN");
  open_ = begin_.ok();
}
Transaction::~Transaction() { rollback(); }
Status Transaction::commit() {
  if (!open_) return begin_.ok() ? Status(make_error(Code::internal, "transaction already closed")) : begin_;
  Status s = db_.exec("COMMIT");
  if (s) open_ = false;
  return s;
}
void Transaction::rollback() {
  if (open_) {
    if (db_.in_transaction()) db_.exec("ROLLBACK");
    open_ = false;
  }
}

// ---- Migrations -------------------------------------------------------------------------------
Result<int> schema_version(Db& db, std::string_view component) {
  auto t = db.prepare("SELECT 1 FROM sqlite_schema WHERE type='table' AND name='schema_migrations'");
  if (!t) return t.error();
  auto has = t->step();
  if (!has) return has.error();
  if (!has.value()) return 0;
  auto q = db.prepare("SELECT max(version) FROM schema_migrations WHERE component=?1");
  if (!q) return q.error();
  q->bind(1, component);
  auto r = q->step();
  if (!r) return r.error();
  return r.value() && !q->is_null(0) ? static_cast<int>(q->int64(0)) : 0;
}

namespace {

// The missing migrations of `component`, at most `limit` of them, in one transaction: how many
// were applied (0: the schema is current).
Result<int> apply_migrations(Db& db, std::string_view component, const std::vector<Migration>& migrations, int limit) {
  for (size_t i = 0; i < migrations.size(); ++i)
    if (migrations[i].version != static_cast<int>(i) + 1)
      return make_error(Code::internal, "migrations of " + std::string(component) + " must be numbered 1..n");
  auto current = schema_version(db, component);
  if (!current) return current.error();
  int known = static_cast<int>(migrations.size());
  if (current.value() > known)
    return make_error(Code::unsupported, db.path() + ": component '" + std::string(component) +
                                             "' is at schema " + std::to_string(current.value()) +
                                             ", newer than this build (" + std::to_string(known) +
                                             "); left untouched");
  if (current.value() == known) return 0;
  Transaction tx(db);
  if (!tx.status()) return tx.status().error();
  // Re-read inside the write lock: another connection may have migrated meanwhile.
  if (auto s = db.exec("CREATE TABLE IF NOT EXISTS schema_migrations("
                       "component TEXT NOT NULL, version INTEGER NOT NULL, applied_ms INTEGER,"
                       " PRIMARY KEY(component, version))");
      !s)
    return s.error();
  auto again = schema_version(db, component);
  if (!again) return again.error();
  if (again.value() > known)
    return make_error(Code::unsupported, db.path() + ": component '" + std::string(component) + "' is newer than this build");
  const int last = std::min(known, again.value() + limit);
  for (int v = again.value() + 1; v <= last; ++v) {
    if (auto s = db.exec(migrations[v - 1].sql); !s)
      return make_error(s.error().code, std::string(component) + " migration " + std::to_string(v) +
                                            ": " + s.error().message);
    auto ins = db.prepare(
        "INSERT INTO schema_migrations(component, version, applied_ms) "
        "VALUES(?1, ?2, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))");
    if (!ins) return ins.error();
    ins->bind(1, component).bind(2, v);
    if (auto s = ins->run(); !s) return s.error();
  }
  if (auto s = tx.commit(); !s) return s.error();
  return last - again.value();
}

}  // namespace

Status migrate(Db& db, std::string_view component, const std::vector<Migration>& migrations) {
  auto n = apply_migrations(db, component, migrations, static_cast<int>(migrations.size()));
  if (!n) return n.error();
  return {};
}

Result<bool> migrate_one(Db& db, std::string_view component, const std::vector<Migration>& migrations) {
  auto n = apply_migrations(db, component, migrations, 1);
  if (!n) return n.error();
  return *n > 0;
}

}  // namespace doorstep::store
