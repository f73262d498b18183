// Automatic turfs for a campaign stored in SQLite: reads the campaign's placed, contactable doors,
// cuts them into turfs of about `target_doors`, orders each turf's doors for walking, and stores
// turfs with their walk lists. Shared by `doorstep demo` and the organizer's auto-cut route.
// The geometry and ordering live in shared/ (pure functions); this file only moves rows.
#pragma once
#include <string>
#include <vector>

#include "shared/base/result.h"
#include "shared/store/store.h"

namespace doorstep::server {

class App;

struct BuiltTurf {
  std::string id, name;
  size_t doors = 0;
};

Result<std::vector<BuiltTurf>> build_turfs(store::Db& db, App& app, const std::string& campaign_id, int target_doors);

}  // namespace doorstep::server
