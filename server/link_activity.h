// What each canvasser link did, for the organizer's roster and per-canvasser rows: when it was
// first opened and last downloaded its package, and which phones (sync client ids) pushed with it.
// Also the campaign-wide link list and changing a link's expiry. Runs inside the storage's units
// of work (tables srv_link_activity, srv_link_client, srv_links). Leaves out tokens: never stored.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "server/storage.h"
#include "shared/base/result.h"
#include "shared/store/dashboard.h"
#include "shared/store/store.h"

namespace doorstep::server {

// Server migration 3: the two activity tables.
extern const char* const kLinkActivitySql;

// A token was used: opened_at is set the first time; a package download also sets downloaded_at.
Status note_link_use(store::Db& db, const std::string& link_id, int64_t now_ms, bool downloaded);
// A phone pushed with this link (kept per client id: one phone, one link).
Status note_link_client(store::Db& db, const std::string& client_id, const std::string& link_id, int64_t now_ms);

// The campaign's links, newest first.
Result<std::vector<LinkRecord>> campaign_links(store::Db& db, const std::string& campaign_id);
// The campaign's unrevoked links with their activity, oldest first (the roster's order).
Result<std::vector<store::CrewLink>> crew_links(store::Db& db, const std::string& campaign_id);
// Sync client id -> link id for the campaign's links.
Result<std::map<std::string, std::string>> client_links(store::Db& db, const std::string& campaign_id);
// A new expiry; a revoked link stays revoked (not_found for an unknown link).
Status set_link_expiry(store::Db& db, const std::string& link_id, int64_t expires_at);

}  // namespace doorstep::server
