// The sync component's schema: creates or upgrades the sync tables (store::migrate, component
// "sync"): the server's ledgers and change log and, on a phone, the outbox. Leaves out the core
// tables (shared/store) and what is done with the rows (sync_server, sync_client, mirror).
#pragma once
#include <vector>

#include "shared/base/result.h"
#include "shared/store/store.h"

namespace doorstep::sync {

// Idempotent; call after opening with the core schema (see sync_schema.cpp for the tables).
Status migrate(store::Db& db);
const std::vector<store::Migration>& sync_migrations();

}  // namespace doorstep::sync
