// A campaign's reference address points in SQLite, filed by normalised key, so that geocoding
// needs bounded memory at any reference size: loading a points file (OpenAddresses, the LA
// address-point layout or a JSON column mapping) into a new set in bounded transactions, the
// street anchors for interpolation, the swap that makes a complete set current (a load that fails
// leaves the old set in place), lookups for the geocoder, and placing the campaign's doors that
// are still unplaced. Leaves out HTTP and the in-memory index of `doorstep import --geocode-with`.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/ids.h"
#include "shared/base/json.h"
#include "shared/base/result.h"
#include "shared/parse/geocode.h"
#include "shared/parse/presets.h"
#include "shared/store/store.h"

namespace doorstep::ref_points {

// Tables ref_set, ref_point, ref_anchor (component "geocode"); call once per database.
Status migrate(store::Db& db);

struct Problem {
  uint64_t row = 0;
  std::string code, message;  // bad_coordinates, no_address
};

struct LoadReport {
  std::string preset;
  uint64_t rows = 0, points = 0, skipped = 0, bytes = 0, anchors = 0;
  uint64_t errors_total = 0;
  std::vector<Problem> errors;  // the first 1,000
  json::Value to_json() const;
};

// Feed a points file in chunks. Rows go into a new set inside a transaction that stays open until
// commit(), so a caller sharing the connection can let others write between batches.
class Loader {
 public:
  Loader(store::Db& db, std::string campaign_id, std::string mapping_json = {}, std::string file_name = {},
         int64_t now_ms = 0);
  ~Loader();  // an unfinished load is abandoned: its rows are left for cleanup()
  Loader(const Loader&) = delete;
  Loader& operator=(const Loader&) = delete;

  Status push(std::string_view bytes);
  uint64_t rows_pending() const;  // rows written since the last commit
  uint64_t rows() const;          // data rows read so far (progress)
  Status commit();
  // Builds the anchors and makes the set current in one transaction; the old set is left for cleanup().
  Result<LoadReport> finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The column mapping a load would use for this header: `mapping_json` (presets::from_json), else the
// OpenAddresses or LA address-point layout; lat and lon must be mapped.
Result<presets::Mapping> mapping_for(const std::vector<std::string>& header, const std::string& mapping_json);

// Deletes up to `limit` rows of sets that are not current (replaced, or abandoned loads); 0 when none are left.
Result<uint64_t> cleanup(store::Db& db, uint64_t limit = 10000);

using geocode::RefPoint;

// The campaign's current points as a geocode::PointSource, read through cached statements.
class Points : public geocode::PointSource {
 public:
  Points(store::Db& db, std::string_view campaign_id);
  bool empty() const { return set_ == 0; }
  uint64_t points() const { return points_; }
  const Status& error() const { return error_; }  // the first SQLite error of a lookup
  const std::vector<RefPoint>& find(const std::string& key, bool alt) const override;
  const std::vector<RefPoint>& street(const std::string& street_key) const override;

 private:
  store::Db& db_;
  int64_t set_ = 0;
  uint64_t points_ = 0;
  mutable std::vector<RefPoint> buf_;
  mutable Status error_;
};
struct PlaceReport {
  uint64_t doors = 0, placed = 0, exact = 0, approximate = 0, ambiguous = 0, unmatched = 0;
  bool done = false;  // no unplaced door after `after` is left
  void add(const PlaceReport& o);
  json::Value to_json() const;
};
// Geocodes up to `batch` of the campaign's live doors that have no coordinates and whose id sorts
// after `after` (advanced for the next call), against its current points; placed doors get their
// location (LWW with `hlc`). One call is one bounded unit of work in the caller's transaction.
Result<PlaceReport> place_unplaced(store::Db& db, std::string_view campaign_id, const Hlc& hlc, std::string& after,
                                   size_t batch = 2000);

}  // namespace doorstep::ref_points
