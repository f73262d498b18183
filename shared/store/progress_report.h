// A campaign's live progress for the organizer console: totals, GPS distance bands, per-turf
// counts and the attempts recorded after a cursor. Leaves out the wire shape (the progress route
// encodes it) and anything personal (no names, no notes).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/result.h"
#include "shared/store/store.h"

namespace doorstep::store {

struct TurfProgress {
  std::string id, name;
  int64_t doors = 0, attempts = 0, knocked = 0, contacts = 0, last_attempt_at = 0;
};

struct RecentAttempt {
  int64_t rowid = 0;
  std::string turf_id, door_id, result;
  int64_t recorded_at = 0;  // the phone's clock
  std::optional<double> distance_m;
};

struct ProgressReport {
  int64_t attempts = 0, doors_knocked = 0, contacts = 0;
  // Distance from the door when recorded: < 100 m, 100-300 m, > 300 m, no fix.
  int64_t green = 0, orange = 0, red = 0, unknown = 0;
  std::vector<TurfProgress> turfs;  // live turfs by name
  std::vector<RecentAttempt> recent;  // after the cursor, oldest first, at most `recent_limit`
  int64_t cursor = 0;  // pass back to get only what came after this report
};

// Attempts are ordered by rowid, which only grows under SQLite's single writer, so a cursor never
// skips a later commit.
Result<ProgressReport> progress_report(Db& db, std::string_view campaign_id, int64_t cursor, int recent_limit = 500);

}  // namespace doorstep::store
