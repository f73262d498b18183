// Building footprints of a campaign, stored as GeoJSON geometry with their bounding box (server
// side: the phone gets them inside its turf package). Its own schema component ("footprints"),
// applied on first use, so the core schema's numbering stays untouched. Leaves out matching doors
// to footprints (shared/route/footprints) and simplifying them (done before they are stored).
#pragma once
#include <string>
#include <vector>

#include "shared/base/geo.h"
#include "shared/base/result.h"
#include "shared/store/store.h"

namespace doorstep::store {

struct StoredFootprint {
  std::string id;            // "fp<row>": stable while the campaign's footprints are not replaced
  std::string geometry;      // GeoJSON Polygon or MultiPolygon text
  geo::MultiPolygon shape;   // parsed (filled by footprints_in)
};

Status ensure_footprint_schema(Db& db);  // writers call it; readers see no table as no footprints
// Removes every footprint of the campaign (an upload replaces the previous one); returns how many.
Result<int64_t> clear_footprints(Db& db, const std::string& campaign_id);
// Stores one footprint; returns its id.
Result<std::string> add_footprint(Db& db, const std::string& campaign_id, const geo::MultiPolygon& shape);
Result<int64_t> count_footprints(Db& db, const std::string& campaign_id);
// Footprints whose bounding box meets `box`.
Result<std::vector<StoredFootprint>> footprints_in(Db& db, const std::string& campaign_id, const geo::BBox& box);

}  // namespace doorstep::store

namespace doorstep::store {

// A placed door with its building's address key, for matching doors to footprints.
struct DoorPoint {
  std::string door_id;
  std::string address_key;  // the building's (number, street, ZIP; no unit)
  geo::Fix at;
};
// The campaign's live doors that have coordinates, in id order.
Result<std::vector<DoorPoint>> placed_doors(Db& db, const std::string& campaign_id);

}  // namespace doorstep::store
