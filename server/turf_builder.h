// Automatic turfs for a campaign stored in SQLite: reads the campaign's placed, contactable doors
// (all of those in no live turf, or those inside a chosen area, or for a second pass those that
// chosen turfs left not home / come back), cuts them into turfs of about `target_doors` or
// `target_minutes` in the campaign's pace, orders each turf's doors for walking, and stores turfs
// with their walk lists. Shared by `doorstep demo` and the organizer's auto-cut route.
// The geometry and ordering live in shared/ (pure functions); this file only moves rows.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "shared/base/geo.h"
#include "shared/base/model.h"
#include "shared/base/result.h"
#include "shared/store/store.h"

namespace doorstep::server {

class App;

struct CutRequest {
  int target_doors = 0;        // > 0: by doors
  double target_minutes = 0;   // > 0 (target_doors 0): by walking minutes in the campaign's pace
  double tolerance = 0.15;
  std::optional<geo::MultiPolygon> area;  // only doors inside it
  // Second pass: the doors of these turfs whose latest result is one of `results`; they leave
  // those turfs (their records stay) for the new ones.
  std::vector<std::string> from_turfs;
  std::vector<AttemptResult> results{AttemptResult::not_home, AttemptResult::come_back};
};

struct BuiltTurf {
  std::string id, name;
  size_t doors = 0;
  int64_t people = 0;
  double route_m = 0, minutes = 0;
  bool off_target = false;  // not near the target: `reason` says why
  std::string reason;       // "building" (one building over the target, kept whole), "remainder"
                            // (what was left of an area), "walk" (the walk order's minutes)
};

struct BuiltCut {
  std::vector<BuiltTurf> turfs;
  double target = 0;
  bool by_minutes = false;
  size_t candidates = 0;  // doors offered to the cut
  size_t excluded = 0;    // of those, left out (do not contact, already in a live turf)
  size_t moved = 0;       // second pass: doors taken out of the chosen turfs
};

Result<BuiltCut> build_turfs(store::Db& db, App& app, const std::string& campaign_id, const CutRequest& req);
// By doors over every door in no live turf (the demo and today's route).
Result<std::vector<BuiltTurf>> build_turfs(store::Db& db, App& app, const std::string& campaign_id, int target_doors);

}  // namespace doorstep::server
