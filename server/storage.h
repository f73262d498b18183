// The endpoint's storage behind one interface, which App holds. It covers two things: the rows
// the endpoint owns (accounts, sessions, sign-in links, canvasser links, audit), through typed
// calls; and units of work (write/read/exclusive) that hand the campaign and sync code of shared/
// a store::Db, which is a SQLite connection. So the interface is backend-neutral only for the
// endpoint's own rows: a PostgreSQL backend would implement those calls over libpq, but the units
// of work need shared/store's queries ported too (or store::Db over another engine). Today
// SqliteStorage is the only implementation. Leaves out caching: every call reads the database.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "shared/base/result.h"
#include "shared/canvass/turf_package.h"
#include "shared/route/walk_order.h"

struct sqlite3;

namespace doorstep::store {
class Db;
}

namespace doorstep::server {

struct Account {
  std::string id, email, role;  // role: "admin" or "organizer"
  std::string pwhash;           // libsodium crypto_pwhash_str; empty until a password is set
  int64_t created_at = 0;
  bool disabled = false;
};

struct OrganizerSession {
  std::string account_id, csrf;
  int64_t created_at = 0, expires_at = 0;
};

struct LinkRecord {
  std::string id, campaign_id, turf_id, label, created_by;
  int64_t created_at = 0, expires_at = 0;
  int64_t revoked_at = 0;  // 0: not revoked
  int64_t last_used_at = 0;
};

struct AuditEntry {
  int64_t seq = 0, at = 0;
  std::string account_id, campaign_id, action, detail;  // detail: never personal data
};

class Storage {
 public:
  virtual ~Storage() = default;

  // Units of work over shared/ (see the file comment). write: inside a write transaction, and
  // concurrent calls may share one durable commit (group commit); each runs in its own savepoint,
  // so a failing fn rolls back alone; returns fn's status only after the commit is durable.
  virtual Status write(const std::function<Status(store::Db&)>& fn) = 0;
  // write() without waiting for it: fn runs as write's would (in its own savepoint of a group), and
  // done gets fn's status once the group's commit is durable (or failed), on the writer's thread,
  // exactly once (at once with an error when the storage is closing). done must be quick and must
  // not call this storage. A caller that hands its write here holds no thread meanwhile, so a
  // group takes every write waiting, not only as many as there are threads to wait in write().
  virtual void write_async(std::function<Status(store::Db&)> fn, std::function<void(Status)> done) = 0;
  // fn alone on the writer with no transaction open, between groups (fn makes its own
  // transactions, e.g. a streaming import). Other writes queue behind it instead of failing.
  virtual Status exclusive(const std::function<Status(store::Db&)>& fn) = 0;
  // Whether write() calls are queued for the writer now: an exclusive job working in units (an
  // import) may end its unit early so that they wait less.
  virtual bool writes_waiting() const = 0;
  // fn inside a read transaction (a consistent snapshot).
  virtual Status read(const std::function<Status(store::Db&)>& fn) = 0;
  struct Stats {
    uint64_t commits = 0, writes = 0;  // durable commits, and write units they carried
    uint64_t checkpoints = 0;          // WAL checkpoints run by the checkpointer thread
    // Wall time the writer spent on groups (their writes and commits) and exclusive jobs, and of
    // that, in the groups' COMMITs (the WAL's write and fsync): what a burst of pushes waits for.
    uint64_t busy_us = 0, commit_us = 0;
  };
  virtual Stats stats() const = 0;

  virtual Result<std::vector<Account>> accounts() = 0;
  virtual Result<Account> account_by_email(const std::string& email) = 0;
  virtual Result<Account> account_by_id(const std::string& id) = 0;
  virtual Status put_account(const Account& a) = 0;  // insert or replace by id

  // Sessions and one-time sign-in links are keyed by a hash of their secret, never the secret.
  virtual Status put_session(const std::string& hash, const OrganizerSession& s) = 0;
  virtual Result<OrganizerSession> session(const std::string& hash, int64_t now_ms) = 0;  // expired: Code::expired
  virtual Status delete_session(const std::string& hash) = 0;
  virtual Status put_signin_link(const std::string& hash, const std::string& account_id, int64_t expires_at) = 0;
  // Consumes the link (one use); returns the account id.
  virtual Result<std::string> take_signin_link(const std::string& hash, int64_t now_ms) = 0;

  virtual Status put_link(const LinkRecord& l, const std::string& token_hash) = 0;
  virtual Result<LinkRecord> link_by_token_hash(const std::string& token_hash) = 0;
  virtual Result<LinkRecord> link_by_id(const std::string& id) = 0;
  virtual Result<std::vector<LinkRecord>> links_for_turf(const std::string& turf_id) = 0;
  virtual Status revoke_link(const std::string& id, int64_t now_ms) = 0;
  virtual Status touch_link(const std::string& id, int64_t now_ms) = 0;

  virtual Status audit(const AuditEntry& e) = 0;
  virtual Result<std::vector<AuditEntry>> audit_after(const std::string& campaign_id, int64_t after_seq,
                                                      int limit) = 0;
};

// SQLite backend: one database file in WAL mode, a pool of reader connections and one writer
// thread that groups concurrent writes into one durable (synchronous=FULL) commit.
class SqliteStorage : public Storage {
 public:
  struct Options {
    size_t readers = 4;
    size_t max_group = 256;  // writes sharing one commit at most
    // Runs once on the writer connection after the core, server and sync migrations (tests and
    // later components). A failure aborts open().
    std::function<Status(store::Db&)> migrate;
  };
  static Result<std::unique_ptr<SqliteStorage>> open(const std::string& path, Options o);
  static Result<std::unique_ptr<SqliteStorage>> open(const std::string& path) { return open(path, Options{}); }
  ~SqliteStorage() override;

  Status write(const std::function<Status(store::Db&)>& fn) override;
  void write_async(std::function<Status(store::Db&)> fn, std::function<void(Status)> done) override;
  Status exclusive(const std::function<Status(store::Db&)>& fn) override;
  bool writes_waiting() const override;
  Status read(const std::function<Status(store::Db&)>& fn) override;  // on one of the reader connections
  Stats stats() const override;
  const std::string& path() const;

  Result<std::vector<Account>> accounts() override;
  Result<Account> account_by_email(const std::string& email) override;
  Result<Account> account_by_id(const std::string& id) override;
  Status put_account(const Account& a) override;
  Status put_session(const std::string& hash, const OrganizerSession& s) override;
  Result<OrganizerSession> session(const std::string& hash, int64_t now_ms) override;
  Status delete_session(const std::string& hash) override;
  Status put_signin_link(const std::string& hash, const std::string& account_id, int64_t expires_at) override;
  Result<std::string> take_signin_link(const std::string& hash, int64_t now_ms) override;
  Status put_link(const LinkRecord& l, const std::string& token_hash) override;
  Result<LinkRecord> link_by_token_hash(const std::string& token_hash) override;
  Result<LinkRecord> link_by_id(const std::string& id) override;
  Result<std::vector<LinkRecord>> links_for_turf(const std::string& turf_id) override;
  Status revoke_link(const std::string& id, int64_t now_ms) override;
  Status touch_link(const std::string& id, int64_t now_ms) override;
  Status audit(const AuditEntry& e) override;
  Result<std::vector<AuditEntry>> audit_after(const std::string& campaign_id, int64_t after_seq, int limit) override;

  struct Impl;

 private:
  explicit SqliteStorage(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// ---- Campaign settings the endpoint owns (table srv_campaign), inside write()/read() units ----
// Days after a campaign's last attempt (or its creation) when its personal data is purged; 0: never.
Result<int64_t> retention_days(store::Db& db, const std::string& campaign_id);
Status set_retention_days(store::Db& db, const std::string& campaign_id, int64_t days);
// The languages the campaign's script and survey are written in (BCP 47), ["en","es"] unless set.
Result<std::vector<std::string>> campaign_languages(store::Db& db, const std::string& campaign_id);
Status set_campaign_languages(store::Db& db, const std::string& campaign_id, const std::vector<std::string>& langs);
// What the canvassers' Help screen shows (the turf package's campaign.help); empty unless set.
Result<canvass::PackageHelp> campaign_help(store::Db& db, const std::string& campaign_id);
Status set_campaign_help(store::Db& db, const std::string& campaign_id, const canvass::PackageHelp& help);
// The campaign's walking pace (walk_order::Pace: 1.2 m/s and 2 minutes a door unless set), which
// every minutes figure of its turfs uses (table srv_campaign_pace).
Result<walk_order::Pace> campaign_pace(store::Db& db, const std::string& campaign_id);
Status set_campaign_pace(store::Db& db, const std::string& campaign_id, const walk_order::Pace& pace);
// The cap of each turf's base-map tile cache on the campaign's phones, in MB (table
// srv_campaign_maps; kDefaultTileCacheMb unless set).
constexpr int64_t kDefaultTileCacheMb = 20;
Result<int64_t> campaign_tile_cache_mb(store::Db& db, const std::string& campaign_id);
Status set_campaign_tile_cache_mb(store::Db& db, const std::string& campaign_id, int64_t mb);
// Records that the campaign's personal data was purged at now_ms.
Status mark_purged(store::Db& db, const std::string& campaign_id, int64_t now_ms);
// Ends every session of the account but the one whose hash is keep_hash ("": all of them).
Status delete_account_sessions(store::Db& db, const std::string& account_id, const std::string& keep_hash);
// Campaigns with a retention whose time has passed at now_ms and that were not purged yet.
Result<std::vector<std::string>> campaigns_due_for_purge(store::Db& db, int64_t now_ms);

// Small helpers for code running inside write()/read() callbacks.
Error sqlite_error(sqlite3* db, const std::string& what);
Status exec_sql(sqlite3* db, const char* sql);

}  // namespace doorstep::server
