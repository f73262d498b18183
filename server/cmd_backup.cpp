// `doorstep backup --data DIR OUT` copies the live database with SQLite's online backup API (safe
// while the server runs and writes); `doorstep restore --data DIR IN` puts a backup in place while
// the server is stopped. Leaves out scheduling and off-site copies (cron and rsync do those).
#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "server/commands.h"
#include "server/options.h"

namespace doorstep::cli {

namespace {

// Copies src to dst page by page; a writer in another process may commit in between (the backup
// then restarts from the changed pages, which is SQLite's documented behaviour).
bool online_copy(const std::string& src, const std::string& dst, bool dst_is_new, std::string& err) {
  sqlite3 *from = nullptr, *to = nullptr;
  bool ok = false;
  if (sqlite3_open_v2(src.c_str(), &from, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    err = "cannot open " + src + ": " + sqlite3_errmsg(from);
  } else if (sqlite3_open_v2(dst.c_str(), &to, SQLITE_OPEN_READWRITE | (dst_is_new ? SQLITE_OPEN_CREATE : 0),
                             nullptr) != SQLITE_OK) {
    err = "cannot open " + dst + ": " + sqlite3_errmsg(to);
  } else {
    sqlite3_busy_timeout(from, 10000);
    sqlite3_busy_timeout(to, 10000);
    sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
    if (!b) {
      err = std::string("backup: ") + sqlite3_errmsg(to);
    } else {
      int rc;
      do {
        rc = sqlite3_backup_step(b, 256);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
      } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
      sqlite3_backup_finish(b);
      if (rc != SQLITE_DONE) err = std::string("backup: ") + sqlite3_errstr(rc);
      ok = rc == SQLITE_DONE;
    }
    if (ok) {
      // A backup is worth only what survives: check it before saying so.
      sqlite3_stmt* st = nullptr;
      sqlite3_prepare_v2(to, "PRAGMA integrity_check", -1, &st, nullptr);
      ok = st && sqlite3_step(st) == SQLITE_ROW &&
           std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))) == "ok";
      sqlite3_finalize(st);
      if (!ok) err = "the copy failed its integrity check";
    }
  }
  sqlite3_close(from);
  sqlite3_close(to);
  return ok;
}

}  // namespace

int cmd_backup(int argc, char** argv) {
  Options o(argc, argv, {"data"}, {"help"});
  if (!o.ok() || o.flag("help") || !o.get("data") || o.positional().size() != 1) {
    std::fprintf(stderr, "%s%susage: doorstep backup --data DIR OUT.db   (safe while the server runs)\n",
                 o.error().c_str(), o.ok() ? "" : "\n");
    return o.flag("help") ? 0 : 2;
  }
  std::string src = (std::filesystem::path(*o.get("data")) / "doorstep.db").string();
  std::string out = o.positional()[0];
  if (!std::filesystem::exists(src)) {
    std::fprintf(stderr, "doorstep backup: %s does not exist\n", src.c_str());
    return 1;
  }
  if (std::filesystem::exists(out)) {
    std::fprintf(stderr, "doorstep backup: %s exists; choose a new file\n", out.c_str());
    return 1;
  }
  std::string err;
  if (!online_copy(src, out, true, err)) {
    std::filesystem::remove(out);
    std::fprintf(stderr, "doorstep backup: %s\n", err.c_str());
    return 1;
  }
  std::printf("doorstep: backup written to %s\n", out.c_str());
  return 0;
}

int cmd_restore(int argc, char** argv) {
  Options o(argc, argv, {"data"}, {"help", "force"});
  if (!o.ok() || o.flag("help") || !o.get("data") || o.positional().size() != 1) {
    std::fprintf(stderr,
                 "%s%susage: doorstep restore --data DIR IN.db [--force]\n"
                 "  stop the server first; --force replaces an existing DIR/doorstep.db\n",
                 o.error().c_str(), o.ok() ? "" : "\n");
    return o.flag("help") ? 0 : 2;
  }
  namespace fs = std::filesystem;
  fs::path dir = *o.get("data");
  fs::path dst = dir / "doorstep.db";
  std::string in = o.positional()[0];
  if (!fs::exists(in)) {
    std::fprintf(stderr, "doorstep restore: %s does not exist\n", in.c_str());
    return 1;
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (fs::exists(dst) && !o.flag("force")) {
    std::fprintf(stderr, "doorstep restore: %s exists; pass --force to replace it (server stopped)\n",
                 dst.string().c_str());
    return 1;
  }
  // Restore into a new file beside the target, then rename: a crash leaves the old or new database,
  // never half of one. Stale WAL files of the old database must not be replayed onto the new one.
  fs::path tmp = dir / "doorstep.db.restoring";
  fs::remove(tmp, ec);
  std::string err;
  if (!online_copy(in, tmp.string(), true, err)) {
    fs::remove(tmp, ec);
    std::fprintf(stderr, "doorstep restore: %s\n", err.c_str());
    return 1;
  }
  fs::remove(dir / "doorstep.db-wal", ec);
  fs::remove(dir / "doorstep.db-shm", ec);
  fs::rename(tmp, dst, ec);
  if (ec) {
    std::fprintf(stderr, "doorstep restore: %s\n", ec.message().c_str());
    return 1;
  }
  std::printf("doorstep: restored %s into %s\n", in.c_str(), dst.string().c_str());
  return 0;
}

}  // namespace doorstep::cli
