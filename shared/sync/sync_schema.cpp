// The sync component's tables (store::migrate, component "sync"): per-client progress, the
// (client, seq) -> content hash ledger, per-field LWW state, append-only records and the change log
// that pulls read by cursor; on a client, the outbox. Leaves out the core tables (sync mirrors into them).
#include "shared/sync/sync_schema.h"

#include "shared/store/store.h"

namespace doorstep::sync {

namespace {

// Version 1. Never edit a migration that has shipped: append version 2, 3, ...
constexpr const char* kSyncV1 = R"SQL(
-- One row per client id: the last seq applied, updated in the same transaction as the mutations.
CREATE TABLE sync_client(
  client_id TEXT PRIMARY KEY,
  turf_id TEXT NOT NULL,
  last_seq INTEGER NOT NULL,
  first_ms INTEGER NOT NULL,
  last_ms INTEGER NOT NULL
) WITHOUT ROWID;

-- Every (client, seq) ever accepted with its content hash: a retry matches, a reuse conflicts.
CREATE TABLE sync_seen(
  client_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  mutation_id TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY(client_id, seq)
) WITHOUT ROWID;

-- Mutations applied, by their own id: a client that took a new id after a conflict resends
-- mutations the server may already hold, and they must not apply twice.
CREATE TABLE sync_applied(
  mutation_id TEXT PRIMARY KEY,
  hash TEXT NOT NULL,
  client_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  server_ms INTEGER NOT NULL
) WITHOUT ROWID;

-- Per-field last-writer-wins state. hlc is Hlc::to_string(), whose text order is the clock order.
CREATE TABLE sync_field(
  entity TEXT NOT NULL,
  id TEXT NOT NULL,
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  hlc TEXT NOT NULL,
  PRIMARY KEY(entity, id, field)
) WITHOUT ROWID;

-- Append-only records (attempts, sign-ups) and rejected mutations of any kind, kept for review.
CREATE TABLE sync_record(
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  turf_id TEXT NOT NULL,
  door_id TEXT NOT NULL DEFAULT '',
  client_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  hlc TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  server_ms INTEGER NOT NULL,
  payload TEXT NOT NULL,
  off_turf INTEGER NOT NULL DEFAULT 0,
  rejected TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX sync_record_door ON sync_record(door_id);
CREATE TRIGGER sync_record_append_only BEFORE UPDATE ON sync_record
BEGIN SELECT RAISE(ABORT, 'sync records are append-only'); END;

-- The change log. version is allocated inside the writing transaction; SQLite has one writer,
-- so versions commit in order and a cursor never skips a change (docs/sync.md: PostgreSQL).
CREATE TABLE sync_change(
  version INTEGER PRIMARY KEY AUTOINCREMENT,
  turf_id TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX sync_change_turf ON sync_change(turf_id, version);

-- Client side (sync_client.h SqliteOutbox): the unacknowledged mutations and the client's state.
CREATE TABLE sync_outbox(
  seq INTEGER PRIMARY KEY,
  body TEXT NOT NULL
);
CREATE TABLE sync_client_state(
  id INTEGER PRIMARY KEY CHECK(id = 1),
  client_id TEXT NOT NULL,
  acked_through INTEGER NOT NULL,
  cursor TEXT NOT NULL,
  hlc TEXT NOT NULL,
  wipe_pending INTEGER NOT NULL,
  link_dead INTEGER NOT NULL
);
)SQL";

// Version 2: the link's high-water mark per client id (docs/sync.md, "Link ended"): the highest
// seq the phone reported or pushed while its link was valid.
constexpr const char* kSyncV2 = R"SQL(
ALTER TABLE sync_client ADD COLUMN high_water INTEGER NOT NULL DEFAULT 0;
)SQL";

// Version 3: the link each client id pushes with (one phone, one link), so an attempt.void or
// attempt.amend is applied only to an attempt the same link recorded. '' until that client id
// pushes with a server that knows the link (PushContext::link_id).
constexpr const char* kSyncV3 = R"SQL(
ALTER TABLE sync_client ADD COLUMN link_id TEXT NOT NULL DEFAULT '';
)SQL";

}  // namespace

const std::vector<store::Migration>& sync_migrations() {
  static const std::vector<store::Migration> m = {
      {1, kSyncV1},
      {2, kSyncV2},
      {3, kSyncV3},
  };
  return m;
}

Status migrate(store::Db& db) { return store::migrate(db, "sync", sync_migrations()); }

}  // namespace doorstep::sync
