// Durable storage on the phone (web/storage.js): IDBFS at /persist for the SQLite file, and an
// IndexedDB outbox written with strict durability, one transaction per recorded mutation.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

namespace doorstep::storage {

// Mounts and loads /persist, opens the outbox, takes the single-writer lock.
void start(std::function<void(bool ok, bool writer)> ready);
// Durably stores a mutation; `saved` runs once the write is on disk (or failed).
void outbox_put(const std::string& scope, int64_t seq, const std::string& json, std::function<void(bool ok)> saved);
// All outbox entries for `scope` as a JSON array text ("" on failure).
void outbox_list(const std::string& scope, std::function<void(const std::string& json_array)> done);
void outbox_remove_through(const std::string& scope, int64_t seq);
void outbox_clear(const std::string& scope);
// The name of the last failed outbox write's error ("QuotaExceededError": storage full).
std::string last_error();
// Writes /persist back to IndexedDB; `done` gets whether it succeeded.
void checkpoint(std::function<void(bool ok)> done = {});

}  // namespace doorstep::storage
