// The organizer's live dashboard over the core tables: per canvasser rows (one per link and
// phone-given name), the roster of links (opened, downloaded, last record, finished), the support
// 1-5 distribution, quality flags with the records behind them, doors marked unsafe, and each
// door's last result for the results map. Leaves out where links and phones come from (the caller
// passes them: they live in the server's tables) and any position over time (no tracking).
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/result.h"
#include "shared/store/store.h"

namespace doorstep::store {

// A canvasser link as the server knows it.
struct CrewLink {
  std::string id, label, turf_id;
  int64_t opened_at = 0, downloaded_at = 0;  // first use of the token; last package download
};

struct CanvasserRow {
  std::string link_id, label, name, turf_id;  // name: attempt.add's `canvasser` ("" when none given)
  int64_t doors_knocked = 0, attempts = 0, contacts = 0, signups = 0, last_attempt_at = 0;
};

struct RosterRow {
  std::string link_id, label, turf_id;
  int64_t opened_at = 0, downloaded_at = 0, last_record_at = 0;
  int64_t doors = 0, doors_knocked = 0;  // of the turf, by anyone
  bool finished = false;                 // every door of the turf knocked
};

struct FlagRecord {
  std::string attempt_id, door_id, address, result;
  int64_t recorded_at = 0;
  std::optional<double> distance_m;
};

struct QualityFlag {
  std::string kind;  // "far" (> 300 m from the door), "fast" (< 30 s between doors), "contact_rate" (>= 90% over >= 15 doors)
  std::string link_id, label, name, message;
  std::vector<FlagRecord> records;
};

struct UnsafeDoor {
  std::string door_id, turf_id, address, safety;
};

struct Dashboard {
  std::vector<CanvasserRow> canvassers;  // by label, then name
  std::vector<RosterRow> roster;         // in the order of `links`
  std::array<int64_t, 5> support{};      // doors whose latest 1-5 answer is 1..5
  int64_t signups = 0;
  std::vector<QualityFlag> flags;
  std::vector<UnsafeDoor> unsafe;
};

// `client_link` maps a phone's sync client id (attempt.device) to the link it pushed with;
// attempts from clients not in it count under link "" (entered on paper, or older records).
Result<Dashboard> dashboard(Db& db, std::string_view campaign_id, const std::vector<CrewLink>& links,
                            const std::map<std::string, std::string>& client_link);

struct DoorResult {
  std::string door_id, result;
  double lat = 0, lon = 0;
  int64_t at = 0;
};
// Every knocked, located door's latest result (by record order), for the results map.
Result<std::vector<DoorResult>> door_results(Db& db, std::string_view campaign_id);

}  // namespace doorstep::store
