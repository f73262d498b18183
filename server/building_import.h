// Importing a campaign's building footprints (POST /api/v1/campaigns/{id}/buildings and
// `doorstep demo`): a GeoJSON FeatureCollection held in memory, or newline-delimited GeoJSON (one
// Feature per line) streamed from a file, simplified for the phone and stored in place of the
// previous set; then every placed door of the campaign is matched and the report lists the address
// keys whose points were split between buildings. Leaves the HTTP side to the route file.
#pragma once
#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "shared/base/json.h"
#include "shared/base/result.h"
#include "shared/route/footprints.h"
#include "shared/store/store.h"

namespace doorstep::server {

struct BuildingImportReport {
  int64_t footprints = 0;  // stored
  int64_t skipped = 0;     // features without a polygon geometry
  int64_t replaced = 0;    // footprints the upload replaced
  int64_t doors = 0, inside = 0, near = 0, clustered = 0;
  std::vector<footprints::Split> splits;
  json::Value to_json() const;
};

constexpr size_t kMaxNdjsonLine = 4u << 20;  // one Feature per line: a footprint is never this big

// Reads features from `text` (a FeatureCollection, a Feature or a geometry).
Result<BuildingImportReport> import_buildings_geojson(store::Db& db, const std::string& campaign_id, std::string_view text);
// Reads one Feature per line from `in`; blank lines are skipped; a bad line is an error naming it.
Result<BuildingImportReport> import_buildings_ndjson(store::Db& db, const std::string& campaign_id, std::istream& in);

// Matches the campaign's placed doors to its stored footprints (the report's second half).
Status match_campaign_doors(store::Db& db, const std::string& campaign_id, BuildingImportReport& rep);

}  // namespace doorstep::server
