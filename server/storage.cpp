// SQLite implementation of the endpoint's storage (see storage.h): WAL, a reader pool and a single
// writer thread doing group commit. Leaves out schema of campaign data (shared/ owns it) and any
// caching: every call reads the database, so several processes could share it.
#include "server/storage.h"

#include "server/link_activity.h"
#include "server/membership.h"
#include "server/rejected_review.h"
#include "server/campaign_quota.h"
#include "server/server_log.h"

#include <sqlite3.h>

#include "shared/base/json.h"
#include "shared/store/store.h"
#include "shared/sync/sync_server.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace doorstep::server {

Error sqlite_error(sqlite3* db, const std::string& what) {
  int rc = db ? sqlite3_extended_errcode(db) : SQLITE_ERROR;
  Code c = Code::io;
  if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB) c = Code::corrupt;
  if ((rc & 0xff) == SQLITE_CONSTRAINT) c = Code::conflict;
  return Error{c, what + ": " + (db ? sqlite3_errmsg(db) : "no database")};
}

Status exec_sql(sqlite3* db, const char* sql) {
  char* msg = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
    Error e = sqlite_error(db, msg ? msg : "exec");
    sqlite3_free(msg);
    return e;
  }
  return Status::Ok();
}

namespace {

// Runs `sql` (a string literal: BEGIN, COMMIT, a savepoint) as a statement prepared once per
// connection: sqlite3_exec parsed it again on every read and every write of a group.
Status run_cached(store::Db& db, const char* sql) {
  auto st = db.cached_static(sql);
  if (!st) return st.error();
  return (*st)->run();
}

// A prepared statement bound positionally; finalised on scope exit.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) { rc_ = sqlite3_prepare_v2(db, sql, -1, &st_, nullptr); }
  ~Stmt() { sqlite3_finalize(st_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return rc_ == SQLITE_OK; }
  Stmt& bind(int i, const std::string& s) {
    sqlite3_bind_text(st_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& bind(int i, int64_t v) {
    sqlite3_bind_int64(st_, i, v);
    return *this;
  }
  int step() { return rc_ = sqlite3_step(st_); }
  std::string text(int c) const {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(st_, c));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(st_, c))) : std::string();
  }
  int64_t i64(int c) const { return sqlite3_column_int64(st_, c); }
  Error error(const char* what) const { return sqlite_error(db_, what); }
  // Runs a statement that returns no rows.
  Status run(const char* what) {
    if (!ok() || step() != SQLITE_DONE) return error(what);
    return Status::Ok();
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* st_ = nullptr;
  int rc_;
};

// The endpoint's own tables: component "server" in the shared migration table. Append only.
constexpr const char* kServerV1 = R"sql(
CREATE TABLE srv_accounts(
  id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, role TEXT NOT NULL, pwhash TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL, disabled INTEGER NOT NULL DEFAULT 0);
CREATE TABLE srv_sessions(
  hash TEXT PRIMARY KEY, account_id TEXT NOT NULL, csrf TEXT NOT NULL,
  created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
CREATE TABLE srv_signin_links(
  hash TEXT PRIMARY KEY, account_id TEXT NOT NULL, expires_at INTEGER NOT NULL);
CREATE TABLE srv_links(
  id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, campaign_id TEXT NOT NULL, turf_id TEXT NOT NULL,
  label TEXT NOT NULL DEFAULT '', created_by TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL, revoked_at INTEGER NOT NULL DEFAULT 0, last_used_at INTEGER NOT NULL DEFAULT 0);
CREATE INDEX srv_links_turf ON srv_links(turf_id);
CREATE TABLE srv_audit(
  seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, account_id TEXT NOT NULL,
  campaign_id TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL);
CREATE INDEX srv_audit_campaign ON srv_audit(campaign_id, seq);
CREATE TABLE srv_campaign(
  campaign_id TEXT PRIMARY KEY, retention_days INTEGER NOT NULL DEFAULT 0, purged_at INTEGER NOT NULL DEFAULT 0);
)sql";

// Campaign languages (api.md: a campaign has languages), a JSON array of BCP 47 codes.
// The campaign's walking pace, in a component of its own ("turfs") so that other branches may
// append to "server" without clashing version numbers.
constexpr const char* kTurfsV1 = R"sql(
CREATE TABLE srv_campaign_pace(
  campaign_id TEXT PRIMARY KEY, walk_m_per_s REAL NOT NULL DEFAULT 1.2, minutes_per_door REAL NOT NULL DEFAULT 2);
)sql";

// The campaign's map settings, in a component of their own ("maps"): the cap of each turf's tile
// cache on the phones, in MB.
constexpr const char* kMapsV1 = R"sql(
CREATE TABLE srv_campaign_maps(campaign_id TEXT PRIMARY KEY, tile_cache_mb INTEGER NOT NULL DEFAULT 20);
)sql";

constexpr const char* kServerV2 = R"sql(
ALTER TABLE srv_campaign ADD COLUMN languages TEXT NOT NULL DEFAULT '["en","es"]';
)sql";

// The campaign's Help for canvassers (turf package campaign.help), as its JSON; '' when unset.
constexpr const char* kServerV5 = R"sql(
ALTER TABLE srv_campaign ADD COLUMN help TEXT NOT NULL DEFAULT '';
)sql";

// The writer's settings, set when it opens and again after every exclusive job (which may change
// them: an import sets its own page cache). Each write of a group runs in a savepoint; its statement
// journal stays in memory (on disk, every first change of a page in a savepoint cost a pwrite: a
// quarter of the writer's time under 500 pushing phones). The page cache (8 MiB, as an import sets
// it; 2 MiB spilled pages to the WAL mid-group) holds a group's changed pages until its commit.
// Checkpoints run on a thread of their own (SqliteStorage::Impl::checkpointer_loop), never inside a
// group's commit. synchronous=FULL: a commit returns only after the WAL is synced, so an
// acknowledged push survives power loss (an import's units lower it; see api_universe.cpp).
constexpr const char* kWriterSettings =
    "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-8192; PRAGMA wal_autocheckpoint=0; PRAGMA synchronous=FULL";

Result<store::Db> open_conn(const std::string& path, bool writer) {
  store::OpenOptions oo;
  oo.create = writer;
  oo.wal = writer;
  oo.busy_timeout_ms = 10000;
  oo.migrate_core = writer;
  auto db = store::Db::open(path, oo);
  if (!db) return db.error();
  // Deleted and overwritten content is zeroed in the file, so a purge leaves no readable copy in
  // free pages (the WAL is checkpointed and truncated after a purge: App::forget_freed_bytes).
  if (writer)
    if (auto s = db->exec("PRAGMA secure_delete=ON"); !s) return s.error();
  if (writer)
    if (auto s = db->exec(kWriterSettings); !s) return s.error();
  return db;
}

// WAL pages after which the checkpointer copies the WAL back into the database (SQLite's default).
constexpr int kCheckpointPages = 1000;

}  // namespace

struct SqliteStorage::Impl {
  std::string path;
  Options opts;
  store::Db writer_db;
  sqlite3* writer = nullptr;
  std::vector<std::unique_ptr<store::Db>> readers;
  std::vector<store::Db*> free_readers;
  std::mutex rmu;
  std::condition_variable rcv;

  struct Job {
    const std::function<Status(store::Db&)>* fn = nullptr;
    Status result = Status::Ok();
    bool done = false;
    bool exclusive = false;
    // write_async: the job owns its fn (fn points here) and is told through on_done, not done.
    std::function<Status(store::Db&)> owned_fn;
    std::function<void(Status)> on_done;
  };
  std::mutex wmu;
  std::condition_variable work_cv, done_cv;
  std::deque<Job*> queue;
  std::atomic<size_t> writes_queued{0};  // write() jobs in `queue`
  bool stopping = false;
  Stats stats;
  std::thread thread;

  // The checkpointer: its own connection, woken by the writer's WAL hook once the WAL holds
  // kCheckpointPages, runs PASSIVE checkpoints (which never block the writer or readers) so a
  // group's commit never waits for the database file's copy and fsync.
  store::Db ckpt_db;
  std::mutex cmu;
  std::condition_variable ckpt_cv;
  bool ckpt_due = false, ckpt_stopping = false;
  std::thread ckpt_thread;

  ~Impl() {
    {
      std::lock_guard<std::mutex> l(wmu);
      stopping = true;
    }
    work_cv.notify_all();
    if (thread.joinable()) thread.join();
    {
      std::lock_guard<std::mutex> l(cmu);
      ckpt_stopping = true;
    }
    ckpt_cv.notify_all();
    if (ckpt_thread.joinable()) ckpt_thread.join();
    if (writer) sqlite3_wal_hook(writer, nullptr, nullptr);
  }

  static int on_wal(void* self, sqlite3*, const char*, int pages) {
    if (pages >= kCheckpointPages) {
      auto* impl = static_cast<Impl*>(self);
      {
        std::lock_guard<std::mutex> l(impl->cmu);
        impl->ckpt_due = true;
      }
      impl->ckpt_cv.notify_one();
    }
    return SQLITE_OK;
  }

  void checkpointer_loop() {
    for (;;) {
      {
        std::unique_lock<std::mutex> l(cmu);
        ckpt_cv.wait(l, [&] { return ckpt_stopping || ckpt_due; });
        if (ckpt_stopping) return;
        ckpt_due = false;
      }
      // Busy (another checkpoint, e.g. a purge's TRUNCATE): the next commit's hook asks again.
      if (sqlite3_wal_checkpoint_v2(ckpt_db.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr) == SQLITE_OK) {
        std::lock_guard<std::mutex> l(wmu);
        stats.checkpoints++;
      }
    }
  }

  // Tells a write_async caller its status and frees its job.
  static void finish_async(Job* j) {
    std::unique_ptr<Job> owned(j);
    auto done = std::move(j->on_done);
    try {
      done(std::move(j->result));
    } catch (const std::exception& e) {
      log_message(std::string("doorstep: a write's completion failed: ") + e.what());
    } catch (...) {
      log_message("doorstep: a write's completion failed");
    }
  }

  void writer_loop() {
    std::vector<Job*> group, async;
    for (;;) {
      {
        std::unique_lock<std::mutex> l(wmu);
        work_cv.wait(l, [&] { return stopping || !queue.empty(); });
        if (queue.empty()) return;  // stopping and drained
        if (queue.front()->exclusive) {
          group.push_back(queue.front());
          queue.pop_front();
        } else {
          while (!queue.empty() && !queue.front()->exclusive && group.size() < opts.max_group) {
            group.push_back(queue.front());
            queue.pop_front();
          }
          writes_queued -= group.size();
        }
      }
      const auto t0 = std::chrono::steady_clock::now();
      uint64_t commit_us = 0;
      if (group.front()->exclusive)
        run_exclusive(*group.front());
      else
        commit_us = run_group(group);
      const auto busy_us = static_cast<uint64_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count());
      // A waiter's job lives on its stack and may be gone once `done` is set: the asynchronous
      // ones are set apart first, and told after the lock is released.
      async.clear();
      bool waiters = false;
      for (auto* j : group) {
        if (j->on_done) async.push_back(j);
        else waiters = true;
      }
      {
        std::lock_guard<std::mutex> l(wmu);
        for (auto* j : group)
          if (!j->on_done) j->done = true;
        stats.commits++;
        stats.writes += group.size();
        stats.busy_us += busy_us;
        stats.commit_us += commit_us;
      }
      if (waiters) done_cv.notify_all();
      for (auto* j : async) finish_async(j);
      group.clear();
    }
  }

  void run_exclusive(Job& j) {
    try {
      j.result = (*j.fn)(writer_db);
    } catch (const std::exception& e) {
      j.result = Error{Code::internal, std::string("write failed: ") + e.what()};
    }
    if (writer_db.in_transaction()) exec_sql(writer, "ROLLBACK");  // never leak a transaction into a group
    // An exclusive job may have changed the writer's settings (PRAGMA wal_autocheckpoint would
    // replace the checkpointer's hook, an import sets its page cache): the groups get theirs back.
    exec_sql(writer, kWriterSettings);
    sqlite3_wal_hook(writer, &Impl::on_wal, this);
  }

  // Returns the microseconds its COMMIT took.
  uint64_t run_group(std::vector<Job*>& group) {
    if (auto s = run_cached(writer_db, "BEGIN IMMEDIATE"); !s) {
      for (auto* j : group) j->result = s;
      return 0;
    }
    for (auto* j : group) {
      (void)run_cached(writer_db, "SAVEPOINT w");
      try {
        j->result = (*j->fn)(writer_db);
      } catch (const std::exception& e) {
        j->result = Error{Code::internal, std::string("write failed: ") + e.what()};
      } catch (...) {
        j->result = Error{Code::internal, "write failed"};
      }
      if (!j->result) (void)run_cached(writer_db, "ROLLBACK TO w");
      (void)run_cached(writer_db, "RELEASE w");
    }
    const auto t0 = std::chrono::steady_clock::now();
    if (auto s = run_cached(writer_db, "COMMIT"); !s) {
      exec_sql(writer, "ROLLBACK");
      for (auto* j : group)
        if (j->result) j->result = s;
    }
    return static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count());
  }
};

SqliteStorage::SqliteStorage(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteStorage::~SqliteStorage() = default;
const std::string& SqliteStorage::path() const { return impl_->path; }

SqliteStorage::Stats SqliteStorage::stats() const {
  std::lock_guard<std::mutex> l(impl_->wmu);
  return impl_->stats;
}

Result<std::unique_ptr<SqliteStorage>> SqliteStorage::open(const std::string& path, Options o) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->opts = o;
  auto w = open_conn(path, true);
  if (!w) return w.error();
  impl->writer_db = std::move(*w);
  impl->writer = impl->writer_db.handle();
  if (auto s = store::migrate(impl->writer_db, "server", {{1, kServerV1}, {2, kServerV2}, {3, kLinkActivitySql}, {4, kMembershipSql}, {5, kServerV5},
                                                      {6, kRejectedReviewSql}, {7, kCampaignQuotaSql}}); !s)
    return s.error();
  if (auto s = store::migrate(impl->writer_db, "turfs", {{1, kTurfsV1}}); !s) return s.error();
  if (auto s = store::migrate(impl->writer_db, "maps", {{1, kMapsV1}}); !s) return s.error();
  if (auto s = sync::migrate(impl->writer_db); !s) return s.error();
  if (o.migrate)
    if (auto s = o.migrate(impl->writer_db); !s) return s.error();
  for (size_t i = 0; i < std::max<size_t>(1, o.readers); ++i) {
    auto r = open_conn(path, false);
    if (!r) return r.error();
    impl->readers.push_back(std::make_unique<store::Db>(std::move(*r)));
    impl->free_readers.push_back(impl->readers.back().get());
  }
  {
    auto c = open_conn(path, false);
    if (!c) return c.error();
    impl->ckpt_db = std::move(*c);
    // The checkpoint syncs the database file before the WAL is reused, as the writer's would.
    if (auto s = impl->ckpt_db.exec("PRAGMA synchronous=FULL"); !s) return s.error();
  }
  sqlite3_wal_hook(impl->writer, &Impl::on_wal, impl.get());
  impl->ckpt_thread = std::thread([p = impl.get()] { p->checkpointer_loop(); });
  impl->thread = std::thread([p = impl.get()] { p->writer_loop(); });
  return std::unique_ptr<SqliteStorage>(new SqliteStorage(std::move(impl)));
}

Status SqliteStorage::write(const std::function<Status(store::Db&)>& fn) {
  Impl::Job job;
  job.fn = &fn;
  std::unique_lock<std::mutex> l(impl_->wmu);
  if (impl_->stopping) return Error{Code::io, "storage is closing"};
  impl_->queue.push_back(&job);
  impl_->writes_queued++;
  impl_->work_cv.notify_one();
  impl_->done_cv.wait(l, [&] { return job.done; });
  return job.result;
}

void SqliteStorage::write_async(std::function<Status(store::Db&)> fn, std::function<void(Status)> done) {
  auto job = std::make_unique<Impl::Job>();
  job->owned_fn = std::move(fn);
  job->fn = &job->owned_fn;
  job->on_done = done ? std::move(done) : [](Status) {};  // an empty one would pass for a waiter
  {
    std::lock_guard<std::mutex> l(impl_->wmu);
    if (!impl_->stopping) {
      impl_->queue.push_back(job.release());
      impl_->writes_queued++;
    }
  }
  if (!job) return impl_->work_cv.notify_one();
  job->result = Error{Code::io, "storage is closing"};
  Impl::finish_async(job.release());
}

Status SqliteStorage::exclusive(const std::function<Status(store::Db&)>& fn) {
  Impl::Job job;
  job.fn = &fn;
  job.exclusive = true;
  std::unique_lock<std::mutex> l(impl_->wmu);
  if (impl_->stopping) return Error{Code::io, "storage is closing"};
  impl_->queue.push_back(&job);
  impl_->work_cv.notify_one();
  impl_->done_cv.wait(l, [&] { return job.done; });
  return job.result;
}

bool SqliteStorage::writes_waiting() const { return impl_->writes_queued.load(std::memory_order_relaxed) > 0; }

Status SqliteStorage::read(const std::function<Status(store::Db&)>& fn) {
  store::Db* dbp;
  {
    std::unique_lock<std::mutex> l(impl_->rmu);
    impl_->rcv.wait(l, [&] { return !impl_->free_readers.empty(); });
    dbp = impl_->free_readers.back();
    impl_->free_readers.pop_back();
  }
  Status s = run_cached(*dbp, "BEGIN");
  if (s) {
    try {
      s = fn(*dbp);
    } catch (const std::exception& e) {
      s = Error{Code::internal, std::string("read failed: ") + e.what()};
    }
    (void)run_cached(*dbp, "COMMIT");
  }
  {
    std::lock_guard<std::mutex> l(impl_->rmu);
    impl_->free_readers.push_back(dbp);
  }
  impl_->rcv.notify_one();
  return s;
}

// ---- accounts ---------------------------------------------------------------------------------

namespace {
Account account_row(Stmt& q) {
  Account a;
  a.id = q.text(0);
  a.email = q.text(1);
  a.role = q.text(2);
  a.pwhash = q.text(3);
  a.created_at = q.i64(4);
  a.disabled = q.i64(5) != 0;
  return a;
}
constexpr const char* kAccountCols = "SELECT id,email,role,pwhash,created_at,disabled FROM srv_accounts ";

LinkRecord link_row(Stmt& q) {
  LinkRecord l;
  l.id = q.text(0);
  l.campaign_id = q.text(1);
  l.turf_id = q.text(2);
  l.label = q.text(3);
  l.created_by = q.text(4);
  l.created_at = q.i64(5);
  l.expires_at = q.i64(6);
  l.revoked_at = q.i64(7);
  l.last_used_at = q.i64(8);
  return l;
}
constexpr const char* kLinkCols =
    "SELECT id,campaign_id,turf_id,label,created_by,created_at,expires_at,revoked_at,last_used_at FROM srv_links ";
}  // namespace

Result<std::vector<Account>> SqliteStorage::accounts() {
  std::vector<Account> out;
  auto s = read([&](store::Db& dbx) -> Status {
    sqlite3* db = dbx.handle();
    Stmt q(db, (std::string(kAccountCols) + "ORDER BY created_at, email").c_str());
    if (!q.ok()) return q.error("accounts");
    while (q.step() == SQLITE_ROW) out.push_back(account_row(q));
    return Status::Ok();
  });
  if (!s) return s.error();
  return out;
}

Result<Account> SqliteStorage::account_by_email(const std::string& email) {
  Account a;
  auto s = read([&](store::Db& dbx) -> Status {
    sqlite3* db = dbx.handle();
    Stmt q(db, (std::string(kAccountCols) + "WHERE email=?").c_str());
    q.bind(1, email);
    if (q.step() != SQLITE_ROW) return Error{Code::not_found, "no such account"};
    a = account_row(q);
    return Status::Ok();
  });
  if (!s) return s.error();
  return a;
}

Result<Account> SqliteStorage::account_by_id(const std::string& id) {
  Account a;
  auto s = read([&](store::Db& dbx) -> Status {
    sqlite3* db = dbx.handle();
    Stmt q(db, (std::string(kAccountCols) + "WHERE id=?").c_str());
    q.bind(1, id);
    if (q.step() != SQLITE_ROW) return Error{Code::not_found, "no such account"};
    a = account_row(q);
    return Status::Ok();
  });
  if (!s) return s.error();
  return a;
}

Status SqliteStorage::put_account(const Account& a) {
  return write([&](store::Db& dbx) {
    sqlite3* db = dbx.handle();
    Stmt q(db,
           "INSERT INTO srv_accounts(id,email,role,pwhash,created_at,disabled) VALUES(?,?,?,?,?,?) "
           "ON CONFLICT(id) DO UPDATE SET email=excluded.email, role=excluded.role, pwhash=excluded.pwhash, "
           "disabled=excluded.disabled");
    q.bind(1, a.id).bind(2, a.email).bind(3, a.role).bind(4, a.pwhash).bind(5, a.created_at).bind(6, int64_t(a.disabled));
    return q.run("put account");
  });
}

// ---- sessions and sign-in links ---------------------------------------------------------------

Status SqliteStorage::put_session(const std::string& hash, const OrganizerSession& se) {
  return write([&](store::Db& dbx) {
    sqlite3* db = dbx.handle();
    // Expired sessions are swept here rather than by a timer: writes are frequent enough.
    Stmt sweep(db, "DELETE FROM srv_sessions WHERE expires_at < ?");
    sweep.bind(1, se.created_at);
    if (auto s = sweep.run("sweep sessions"); !s) return s;
    Stmt q(db, "INSERT OR REPLACE INTO srv_sessions(hash,account_id,csrf,created_at,expires_at) VALUES(?,?,?,?,?)");
    q.bind(1, hash).bind(2, se.account_id).bind(3, se.csrf).bind(4, se.created_at).bind(5, se.expires_at);
    return q.run("put session");
  });
}

Result<OrganizerSession> SqliteStorage::session(const std::string& hash, int64_t now_ms) {
  OrganizerSession se;
  auto s = read([&](store::Db& dbx) -> Status {
    sqlite3* db = dbx.handle();
    Stmt q(db, "SELECT account_id,csrf,created_at,expires_at FROM srv_sessions WHERE hash=?");
    q.bind(1, hash);
    if (q.step() != SQLITE_ROW) return Error{Code::unauthorized, "not signed in"};
    se.account_id = q.text(0);
    se.csrf = q.text(1);
    se.created_at = q.i64(2);
    se.expires_at = q.i64(3);
    if (se.expires_at <= now_ms) return Error{Code::expired, "session expired; sign in again"};
    return Status::Ok();
  });
  if (!s) return s.error();
  return se;
}

Status SqliteStorage::delete_session(const std::string& hash) {
  return write([&](store::Db& dbx) {
    sqlite3* db = dbx.handle();
    Stmt q(db, "DELETE FROM srv_sessions WHERE hash=?");
    q.bind(1, hash);
    return q.run("delete session");
  });
}

Status SqliteStorage::put_signin_link(const std::string& hash, const std::string& account_id, int64_t expires_at) {
  return write([&](store::Db& dbx) {
    sqlite3* db = dbx.handle();
    Stmt q(db, "INSERT OR REPLACE INTO srv_signin_links(hash,account_id,expires_at) VALUES(?,?,?)");
    q.bind(1, hash).bind(2, account_id).bind(3, expires_at);
    return q.run("put sign-in link");
  });
}

Result<std::string> SqliteStorage::take_signin_link(const std::string& hash, int64_t now_ms) {
  std::string account;
  auto s = write([&](store::Db& dbx) -> Status {
    sqlite3* db = dbx.handle();
    Stmt q(db, "DELETE FROM srv_signin_links WHERE hash=? RETURNING account_id, expires_at");
    q.bind(1, hash);
    if (q.step() != SQLITE_ROW) return Error{Code::unauthorized, "sign-in link unknown or already used"};
    account = q.text(0);
    int64_t exp = q.i64(1);
    while (q.step() == SQLITE_ROW) {
    }
    // The deletion stands even when expired: a used or stale link is gone either way.
    if (exp <= now_ms) account.clear();
    return Status::Ok();
  });
  if (!s) return s.error();
  if (account.empty()) return Error{Code::expired, "sign-in link expired; ask for a new one"};
  return account;
}

// ---- canvasser links --------------------------------------------------------------------------

Status SqliteStorage::put_link(const LinkRecord& l, const std::string& token_hash) {
  return write([&](store::Db& dbx) {
    sqlite3* db = dbx.handle();
    Stmt q(db,
           "INSERT INTO srv_links(id,token_hash,campaign_id,turf_id,label,created_by,created_at,expires_at,revoked_at,"
           "last_used_at) VALUES(?,?,?,?,?,?,?,?,?,?)");
    q.bind(1, l.id).bind(2, token_hash).bind(3, l.campaign_id).bind(4, l.turf_id).bind(5, l.label);
    q.bind(6, l.created_by).bind(7, l.created_at).bind(8, l.expires_at).bind(9, l.revoked_at).bind(10, l.last_used_at);
    return q.run("put link");
  });
}

Result<LinkRecord> SqliteStorage::link_by_token_hash(const std::string& token_hash) {
  LinkRecord l;
  auto s = read([&](store::Db& dbx) -> Status {
    // Every push and pull asks (twice: on its headers, then in its handler): prepared once per
    // reader connection, and reset here so the read transaction ends with nothing open.
    static const std::string sql = std::string(kLinkCols) + "WHERE token_hash=?1";
    auto q = dbx.cached_static(sql.c_str());
    if (!q) return q.error();
    (*q)->bind(1, token_hash);
    auto r = (*q)->step();
    if (!r) return r.error();
    if (!*r) return Error{Code::unauthorized, "unknown link"};
    store::Stmt& st = **q;
    l = LinkRecord{st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.int64(5), st.int64(6), st.int64(7),
                   st.int64(8)};
    st.reset();
    return Status::Ok();
  });
  if (!s) return s.error();
  return l;
}

Result<LinkRecord> SqliteStorage::link_by_id(const std::string& id) {
  LinkRecord l;
  auto s = read([&](store::Db& dbx) -> Status {
    sqlite3* db = dbx.handle();
    Stmt q(db, (std::string(kLinkCols) + "WHERE id=?").c_str());
    q.bind(1, id);
    if (q.step() != SQLITE_ROW) return Error{Code::not_found, "no such link"};
    l = link_row(q);
    return Status::Ok();
  });
  if (!s) return s.error();
  return l;
}

Result<std::vector<LinkRecord>> SqliteStorage::links_for_turf(const std::string& turf_id) {
  std::vector<LinkRecord> out;
  auto s = read([&](store::Db& dbx) -> Status {
    sqlite3* db = dbx.handle();
    Stmt q(db, (std::string(kLinkCols) + "WHERE turf_id=? ORDER BY created_at").c_str());
    q.bind(1, turf_id);
    while (q.step() == SQLITE_ROW) out.push_back(link_row(q));
    return Status::Ok();
  });
  if (!s) return s.error();
  return out;
}

Status SqliteStorage::revoke_link(const std::string& id, int64_t now_ms) {
  return write([&](store::Db& dbx) -> Status {
    sqlite3* db = dbx.handle();
    Stmt q(db, "UPDATE srv_links SET revoked_at=? WHERE id=? AND revoked_at=0");
    q.bind(1, now_ms).bind(2, id);
    if (auto s = q.run("revoke link"); !s) return s;
    return Status::Ok();
  });
}

Status SqliteStorage::touch_link(const std::string& id, int64_t now_ms) {
  return write([&](store::Db& dbx) {
    sqlite3* db = dbx.handle();
    Stmt q(db, "UPDATE srv_links SET last_used_at=? WHERE id=?");
    q.bind(1, now_ms).bind(2, id);
    return q.run("touch link");
  });
}

// ---- audit ------------------------------------------------------------------------------------

Status SqliteStorage::audit(const AuditEntry& e) {
  return write([&](store::Db& dbx) {
    sqlite3* db = dbx.handle();
    Stmt q(db, "INSERT INTO srv_audit(at,account_id,campaign_id,action,detail) VALUES(?,?,?,?,?)");
    q.bind(1, e.at).bind(2, e.account_id).bind(3, e.campaign_id).bind(4, e.action).bind(5, e.detail);
    return q.run("audit");
  });
}

Result<std::vector<AuditEntry>> SqliteStorage::audit_after(const std::string& campaign_id, int64_t after_seq,
                                                           int limit) {
  std::vector<AuditEntry> out;
  auto s = read([&](store::Db& dbx) -> Status {
    sqlite3* db = dbx.handle();
    Stmt q(db,
           "SELECT seq,at,account_id,campaign_id,action,detail FROM srv_audit WHERE (campaign_id=? OR ?='') AND seq>? "
           "ORDER BY seq LIMIT ?");
    q.bind(1, campaign_id).bind(2, campaign_id).bind(3, after_seq).bind(4, int64_t(limit));
    while (q.step() == SQLITE_ROW)
      out.push_back(AuditEntry{q.i64(0), q.i64(1), q.text(2), q.text(3), q.text(4), q.text(5)});
    return Status::Ok();
  });
  if (!s) return s.error();
  return out;
}

// ---- campaign settings ------------------------------------------------------------------------

Result<int64_t> retention_days(store::Db& db, const std::string& campaign_id) {
  auto q = db.prepare("SELECT retention_days FROM srv_campaign WHERE campaign_id=?1");
  if (!q) return q.error();
  q->bind(1, campaign_id);
  auto r = q->step();
  if (!r) return r.error();
  return *r ? q->int64(0) : int64_t{0};
}

Status set_retention_days(store::Db& db, const std::string& campaign_id, int64_t days) {
  auto q = db.prepare(
      "INSERT INTO srv_campaign(campaign_id, retention_days) VALUES(?1, ?2) "
      "ON CONFLICT(campaign_id) DO UPDATE SET retention_days=excluded.retention_days");
  if (!q) return q.error();
  q->bind(1, campaign_id).bind(2, days);
  return q->run();
}

Result<canvass::PackageHelp> campaign_help(store::Db& db, const std::string& campaign_id) {
  auto q = db.prepare("SELECT help FROM srv_campaign WHERE campaign_id=?1");
  if (!q) return q.error();
  q->bind(1, campaign_id);
  auto r = q->step();
  if (!r) return r.error();
  if (!*r || q->text(0).empty()) return canvass::PackageHelp{};
  auto v = json::parse(q->text(0));
  if (!v) return Error{Code::corrupt, "stored campaign help unreadable"};
  return canvass::decode_help(*v);
}

Status set_campaign_help(store::Db& db, const std::string& campaign_id, const canvass::PackageHelp& help) {
  auto q = db.prepare(
      "INSERT INTO srv_campaign(campaign_id, help) VALUES(?1, ?2) "
      "ON CONFLICT(campaign_id) DO UPDATE SET help=excluded.help");
  if (!q) return q.error();
  q->bind(1, campaign_id).bind(2, help.empty() ? std::string() : json::dump(canvass::encode_help(help)));
  return q->run();
}

Result<std::vector<std::string>> campaign_languages(store::Db& db, const std::string& campaign_id) {
  auto q = db.prepare("SELECT languages FROM srv_campaign WHERE campaign_id=?1");
  if (!q) return q.error();
  q->bind(1, campaign_id);
  auto r = q->step();
  if (!r) return r.error();
  std::vector<std::string> out;
  if (*r) {
    auto v = json::parse(q->text(0));
    if (!v || !v->is_array()) return Error{Code::corrupt, "stored campaign languages unreadable"};
    for (const auto& l : v->as_array())
      if (l.is_string()) out.push_back(l.as_string());
  }
  if (out.empty()) out = {"en", "es"};
  return out;
}

Status set_campaign_languages(store::Db& db, const std::string& campaign_id, const std::vector<std::string>& langs) {
  json::Value arr = json::Value::array();
  for (const auto& l : langs) arr.push(l);
  auto q = db.prepare(
      "INSERT INTO srv_campaign(campaign_id, languages) VALUES(?1, ?2) "
      "ON CONFLICT(campaign_id) DO UPDATE SET languages=excluded.languages");
  if (!q) return q.error();
  q->bind(1, campaign_id).bind(2, json::dump(arr));
  return q->run();
}

Result<walk_order::Pace> campaign_pace(store::Db& db, const std::string& campaign_id) {
  auto q = db.prepare("SELECT walk_m_per_s, minutes_per_door FROM srv_campaign_pace WHERE campaign_id=?1");
  if (!q) return q.error();
  q->bind(1, campaign_id);
  auto r = q->step();
  if (!r) return r.error();
  walk_order::Pace p;
  if (*r) p.walk_m_per_s = q->real(0), p.minutes_per_door = q->real(1);
  return p;
}

Status set_campaign_pace(store::Db& db, const std::string& campaign_id, const walk_order::Pace& pace) {
  auto q = db.prepare(
      "INSERT INTO srv_campaign_pace(campaign_id, walk_m_per_s, minutes_per_door) VALUES(?1, ?2, ?3) "
      "ON CONFLICT(campaign_id) DO UPDATE SET walk_m_per_s=excluded.walk_m_per_s, minutes_per_door=excluded.minutes_per_door");
  if (!q) return q.error();
  q->bind(1, campaign_id).bind(2, pace.walk_m_per_s).bind(3, pace.minutes_per_door);
  return q->run();
}

Result<int64_t> campaign_tile_cache_mb(store::Db& db, const std::string& campaign_id) {
  auto q = db.prepare("SELECT tile_cache_mb FROM srv_campaign_maps WHERE campaign_id=?1");
  if (!q) return q.error();
  q->bind(1, campaign_id);
  auto r = q->step();
  if (!r) return r.error();
  return *r ? q->int64(0) : kDefaultTileCacheMb;
}

Status set_campaign_tile_cache_mb(store::Db& db, const std::string& campaign_id, int64_t mb) {
  auto q = db.prepare(
      "INSERT INTO srv_campaign_maps(campaign_id, tile_cache_mb) VALUES(?1, ?2) "
      "ON CONFLICT(campaign_id) DO UPDATE SET tile_cache_mb=excluded.tile_cache_mb");
  if (!q) return q.error();
  q->bind(1, campaign_id).bind(2, mb);
  return q->run();
}

Status delete_account_sessions(store::Db& db, const std::string& account_id, const std::string& keep_hash) {
  auto q = db.prepare("DELETE FROM srv_sessions WHERE account_id=?1 AND hash<>?2");
  if (!q) return q.error();
  q->bind(1, account_id).bind(2, keep_hash);
  return q->run();
}

Status mark_purged(store::Db& db, const std::string& campaign_id, int64_t now_ms) {
  auto q = db.prepare(
      "INSERT INTO srv_campaign(campaign_id, purged_at) VALUES(?1, ?2) "
      "ON CONFLICT(campaign_id) DO UPDATE SET purged_at=excluded.purged_at");
  if (!q) return q.error();
  q->bind(1, campaign_id).bind(2, now_ms);
  return q->run();
}

Result<std::vector<std::string>> campaigns_due_for_purge(store::Db& db, int64_t now_ms) {
  auto q = db.prepare(
      "SELECT s.campaign_id FROM srv_campaign s JOIN campaign c ON c.id=s.campaign_id "
      "WHERE s.retention_days>0 AND s.purged_at=0 AND "
      "max(c.created_ms, coalesce((SELECT max(server_ms) FROM attempt a WHERE a.campaign_id=c.id),0)) "
      "+ s.retention_days*86400000 < ?1");
  if (!q) return q.error();
  q->bind(1, now_ms);
  std::vector<std::string> ids;
  for (;;) {
    auto r = q->step();
    if (!r) return r.error();
    if (!*r) break;
    ids.push_back(q->text(0));
  }
  return ids;
}

}  // namespace doorstep::server
