// Power-loss safety of the server's push path: a test SQLite VFS wraps the default one, keeps every
// written-but-not-synced byte in memory and throws it away on a simulated power cut (as an OS page
// cache does). With synchronous=FULL (what apply_push sets) no acknowledged mutation is ever lost;
// a control run on a disk whose fsync lies shows the VFS really drops data. Leaves out torn sectors.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <cstdio>
#include <cstring>
#include <unistd.h>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "shared/base/ids.h"
#include "shared/store/store.h"
#include "shared/sync/sync_server.h"

using namespace doorstep;
using namespace doorstep::sync;

namespace {

struct PowerState {
  sqlite3_vfs* real = nullptr;
  bool dead = false;         // power is off: writes, syncs and deletes do nothing
  bool lying_disk = false;   // control: fsync returns ok without writing anything back
  int64_t writes_left = -1;  // cut the power at this write (-1: never)
  int64_t writes = 0, syncs = 0;
};
PowerState g;

struct PlFile {
  sqlite3_file base;
  sqlite3_file* real;
  bool buffered;
  std::vector<char>* buf;  // the file as the process sees it, while it has unsynced writes
};

sqlite3_file* real_of(sqlite3_file* f) { return reinterpret_cast<PlFile*>(f)->real; }

void maybe_cut() {
  ++g.writes;
  if (g.writes_left > 0 && --g.writes_left == 0) g.dead = true;
}

int load(PlFile* p) {
  if (p->buffered) return SQLITE_OK;
  sqlite3_int64 size = 0;
  int rc = p->real->pMethods->xFileSize(p->real, &size);
  if (rc != SQLITE_OK) return rc;
  p->buf->assign(static_cast<size_t>(size), 0);
  if (size > 0) {
    rc = p->real->pMethods->xRead(p->real, p->buf->data(), static_cast<int>(size), 0);
    if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ) return rc;
  }
  p->buffered = true;
  return SQLITE_OK;
}

int flush(PlFile* p) {
  if (!p->buffered) return SQLITE_OK;
  int rc = p->real->pMethods->xTruncate(p->real, static_cast<sqlite3_int64>(p->buf->size()));
  // In chunks: the unix VFS writes at most 128 KiB per call (it expects page-sized writes).
  for (size_t off = 0; rc == SQLITE_OK && off < p->buf->size(); off += 65536) {
    size_t n = std::min<size_t>(65536, p->buf->size() - off);
    rc = p->real->pMethods->xWrite(p->real, p->buf->data() + off, static_cast<int>(n), static_cast<sqlite3_int64>(off));
  }
  if (rc == SQLITE_OK) p->buffered = false;
  return rc;
}

int pl_close(sqlite3_file* f) {
  auto* p = reinterpret_cast<PlFile*>(f);
  if (!g.dead) flush(p);  // a clean close: the OS writes the page cache back eventually
  delete p->buf;
  return p->real->pMethods->xClose(p->real);
}
int pl_read(sqlite3_file* f, void* out, int amt, sqlite3_int64 off) {
  auto* p = reinterpret_cast<PlFile*>(f);
  if (!p->buffered) return p->real->pMethods->xRead(p->real, out, amt, off);
  auto size = static_cast<sqlite3_int64>(p->buf->size());
  sqlite3_int64 n = off >= size ? 0 : std::min<sqlite3_int64>(amt, size - off);
  if (n > 0) std::memcpy(out, p->buf->data() + off, static_cast<size_t>(n));
  if (n < amt) {
    std::memset(static_cast<char*>(out) + n, 0, static_cast<size_t>(amt - n));
    return SQLITE_IOERR_SHORT_READ;
  }
  return SQLITE_OK;
}
int pl_write(sqlite3_file* f, const void* in, int amt, sqlite3_int64 off) {
  auto* p = reinterpret_cast<PlFile*>(f);
  maybe_cut();
  if (g.dead) return SQLITE_OK;
  if (int rc = load(p); rc != SQLITE_OK) return rc;
  if (p->buf->size() < static_cast<size_t>(off + amt)) p->buf->resize(static_cast<size_t>(off + amt), 0);
  std::memcpy(p->buf->data() + off, in, static_cast<size_t>(amt));
  return SQLITE_OK;
}
int pl_truncate(sqlite3_file* f, sqlite3_int64 size) {
  auto* p = reinterpret_cast<PlFile*>(f);
  if (g.dead) return SQLITE_OK;
  if (int rc = load(p); rc != SQLITE_OK) return rc;
  p->buf->resize(static_cast<size_t>(size));
  return SQLITE_OK;
}
int pl_sync(sqlite3_file* f, int flags) {
  auto* p = reinterpret_cast<PlFile*>(f);
  if (g.dead || g.lying_disk) return SQLITE_OK;
  ++g.syncs;
  if (int rc = flush(p); rc != SQLITE_OK) return rc;
  return p->real->pMethods->xSync(p->real, flags);
}
int pl_size(sqlite3_file* f, sqlite3_int64* size) {
  auto* p = reinterpret_cast<PlFile*>(f);
  if (p->buffered) {
    *size = static_cast<sqlite3_int64>(p->buf->size());
    return SQLITE_OK;
  }
  return p->real->pMethods->xFileSize(p->real, size);
}
int pl_lock(sqlite3_file* f, int l) { return real_of(f)->pMethods->xLock(real_of(f), l); }
int pl_unlock(sqlite3_file* f, int l) { return real_of(f)->pMethods->xUnlock(real_of(f), l); }
int pl_check(sqlite3_file* f, int* out) { return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out); }
int pl_fcntl(sqlite3_file* f, int op, void* arg) {
  // Size hints and chunking act on the real file behind the buffer's back: decline them.
  if (op == SQLITE_FCNTL_SIZE_HINT || op == SQLITE_FCNTL_CHUNK_SIZE) return SQLITE_NOTFOUND;
  return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}
int pl_sector(sqlite3_file* f) { return real_of(f)->pMethods->xSectorSize(real_of(f)); }
int pl_dev(sqlite3_file* f) { return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f)); }
int pl_shm_map(sqlite3_file* f, int pg, int sz, int ext, void volatile** pp) {
  return real_of(f)->pMethods->xShmMap(real_of(f), pg, sz, ext, pp);
}
int pl_shm_lock(sqlite3_file* f, int off, int n, int flags) { return real_of(f)->pMethods->xShmLock(real_of(f), off, n, flags); }
void pl_shm_barrier(sqlite3_file* f) { real_of(f)->pMethods->xShmBarrier(real_of(f)); }
int pl_shm_unmap(sqlite3_file* f, int del) { return real_of(f)->pMethods->xShmUnmap(real_of(f), del); }

const sqlite3_io_methods kMethods = {2,        pl_close, pl_read,  pl_write,   pl_truncate,   pl_sync,
                                     pl_size,  pl_lock,  pl_unlock, pl_check,  pl_fcntl,      pl_sector,
                                     pl_dev,   pl_shm_map, pl_shm_lock, pl_shm_barrier, pl_shm_unmap, nullptr, nullptr};

int pl_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  auto* p = reinterpret_cast<PlFile*>(f);
  p->base.pMethods = nullptr;
  p->real = reinterpret_cast<sqlite3_file*>(p + 1);
  p->buffered = false;
  p->buf = nullptr;
  int rc = g.real->xOpen(g.real, name, p->real, flags, out_flags);
  if (rc != SQLITE_OK || !p->real->pMethods) return rc;
  p->buf = new std::vector<char>();
  p->base.pMethods = &kMethods;
  return SQLITE_OK;
}
int pl_delete(sqlite3_vfs*, const char* name, int sync_dir) {
  if (g.dead) return SQLITE_OK;
  return g.real->xDelete(g.real, name, sync_dir);
}
int pl_access(sqlite3_vfs*, const char* name, int flags, int* out) { return g.real->xAccess(g.real, name, flags, out); }
int pl_full(sqlite3_vfs*, const char* name, int n, char* out) { return g.real->xFullPathname(g.real, name, n, out); }
int pl_random(sqlite3_vfs*, int n, char* out) { return g.real->xRandomness(g.real, n, out); }
int pl_sleep(sqlite3_vfs*, int us) { return g.real->xSleep(g.real, us); }
int pl_time(sqlite3_vfs*, double* t) { return g.real->xCurrentTime(g.real, t); }
int pl_time64(sqlite3_vfs*, sqlite3_int64* t) { return g.real->xCurrentTimeInt64(g.real, t); }
int pl_lasterr(sqlite3_vfs*, int n, char* out) { return g.real->xGetLastError(g.real, n, out); }

sqlite3_vfs g_vfs;

// Makes the power-loss VFS the default for the scope (store::Db::open uses the default VFS).
struct VfsScope {
  VfsScope() {
    g = PowerState{};
    g.real = sqlite3_vfs_find(nullptr);
    std::memset(&g_vfs, 0, sizeof g_vfs);
    g_vfs.iVersion = 2;
    g_vfs.szOsFile = static_cast<int>(sizeof(PlFile)) + g.real->szOsFile;
    g_vfs.mxPathname = g.real->mxPathname;
    g_vfs.zName = "powerloss";
    g_vfs.xOpen = pl_open;
    g_vfs.xDelete = pl_delete;
    g_vfs.xAccess = pl_access;
    g_vfs.xFullPathname = pl_full;
    g_vfs.xRandomness = pl_random;
    g_vfs.xSleep = pl_sleep;
    g_vfs.xCurrentTime = pl_time;
    g_vfs.xGetLastError = pl_lasterr;
    g_vfs.xCurrentTimeInt64 = pl_time64;
    REQUIRE(sqlite3_vfs_register(&g_vfs, 1) == SQLITE_OK);
  }
  ~VfsScope() {
    sqlite3_vfs_unregister(&g_vfs);
    sqlite3_vfs_register(g.real, 1);
  }
};

std::string door(int i) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "0192f0c4-7b00-7000-8000-%012x", i + 1);
  return buf;
}
std::string uuid_n(int64_t n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "0192f0d0-0000-7000-8000-%012llx", static_cast<unsigned long long>(n));
  return buf;
}

PushRequest batch(const std::string& client, int64_t first_seq, int n) {
  PushRequest r;
  r.client_id = client;
  for (int i = 0; i < n; ++i) {
    Mutation m;
    m.seq = first_seq + i;
    m.id = uuid_n(first_seq + i);
    m.kind = Kind::attempt_add;
    m.payload = json::Value::object();
    m.payload.set("door", door(static_cast<int>(m.seq % 7)));
    m.payload.set("result", "talked");
    m.payload.set("notes", std::string(200, 'x'));  // a few pages per batch
    m.hlc = Hlc{1767225600000 + m.seq, 0, "phone"}.to_string();
    m.at_ms = 1767225600000 + m.seq;
    r.mutations.push_back(std::move(m));
  }
  return r;
}

struct RunResult {
  int64_t acked = 0;    // highest seq acknowledged before the cut
  int64_t present = 0;  // distinct acked mutations found after restart
  bool duplicates = false;
};

// Pushes batches until the power goes at write number `cut_at`, restarts, and counts what is left.
RunResult run(const std::filesystem::path& dir, int64_t cut_at, bool full) {
  // A fresh file name per run: SQLite's unix VFS keeps per-file lock and shared-memory state
  // keyed by inode, and the emscripten build must not meet a recycled one.
  static int run_no = 0;
  std::filesystem::create_directories(dir);
  std::string path = (dir / ("server" + std::to_string(++run_no) + ".db")).string();
  const std::string client = "00112233445566778899aabbccddeeff";
  RunResult out;
  {
    store::OpenOptions o;
    o.wal = true;
    auto db = store::Db::open(path, o);
    REQUIRE(db.ok());
    REQUIRE(sync::migrate(*db).ok());
    // Start from a durable schema: the open runs with synchronous=NORMAL, which is fine for
    // schema creation (nothing is acknowledged) but not what this test is about.
    auto ck = db->exec("PRAGMA wal_checkpoint(TRUNCATE)");
    if (!ck) FAIL_CHECK(ck.error().message);
    REQUIRE(ck.ok());
    g.writes_left = cut_at;
    PushContext ctx;
    ctx.turf_id = "t";
    for (int64_t seq = 1; !g.dead && seq < 2000; seq += 5) {
      ctx.server_now_ms = 1767225600000 + seq;
      g.lying_disk = !full;
      auto r = apply_push(*db, batch(client, seq, 5), ctx);  // owns its transaction: synchronous=FULL
      g.lying_disk = false;
      if (g.dead) break;  // the answer never left the machine
      if (!r) FAIL_CHECK(r.error().message << " (extended code " << sqlite3_extended_errcode(db->handle()) << ")");
      REQUIRE(r.ok());
      REQUIRE(r->code == Code::ok);
      out.acked = r->acked_through;
    }
    REQUIRE(g.dead);
  }  // the connection closes with the power off: nothing more reaches the disk
  g.dead = false;
  g.writes_left = -1;
  std::filesystem::remove(path + "-shm");  // shared memory does not survive a power cut
  auto db = store::Db::open(path, store::OpenOptions{});
  if (!db) FAIL_CHECK(db.error().message);
  REQUIRE(db.ok());
  auto s = db->prepare("SELECT count(*), count(DISTINCT mutation_id) FROM sync_applied WHERE seq <= ?1");
  REQUIRE(s.ok());
  s->bind(1, out.acked);
  REQUIRE(s->step().value());
  out.present = s->int64(1);
  out.duplicates = s->int64(0) != s->int64(1);
  auto a = db->prepare("SELECT count(*) FROM attempt");
  REQUIRE(a.ok());
  REQUIRE(a->step().value());
  auto ls = last_seq(*db, client);
  REQUIRE(ls.ok());
  if (full) CHECK(*ls >= out.acked);
  CHECK(a->int64(0) == *ls);  // the mirrored core rows went with their transaction
  return out;
}

}  // namespace

TEST_CASE("power loss: with synchronous=FULL no acknowledged push is lost") {
  VfsScope vfs;
  auto dir = std::filesystem::temp_directory_path() / ("doorstep-powerloss-" + std::to_string(::getpid()));
  int runs = 0;
  int64_t total_acked = 0;
  // Cut the power at many different writes: inside transactions, between them, mid-checkpoint.
  for (int64_t cut = 3; cut < 400; cut += 11) {
    CAPTURE(cut);
    auto r = run(dir, cut, true);
    CHECK(r.present == r.acked);
    CHECK_FALSE(r.duplicates);
    total_acked += r.acked;
    ++runs;
  }
  MESSAGE("synchronous=FULL: " << runs << " power cuts, " << total_acked << " acknowledged mutations, 0 lost");
  CHECK(total_acked > 0);

  // Control: the same pushes on a disk whose fsync does nothing lose acknowledged mutations, so
  // the VFS bites and the durability above really comes from the syncs.
  int64_t lost = 0, acked_off = 0;
  for (int64_t cut = 60; cut < 400; cut += 80) {
    auto r = run(dir, cut, false);
    acked_off += r.acked;
    lost += r.acked - r.present;
  }
  MESSAGE("lying-fsync control: " << acked_off << " acknowledged, " << lost << " lost");
  CHECK(lost > 0);
  std::filesystem::remove_all(dir);
}
