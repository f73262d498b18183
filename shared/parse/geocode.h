// Offline geocoding: an in-memory index of address points (OpenAddresses or the Venice layout)
// matched on the normalised address, with house-number interpolation along a street as a
// marked fallback, and a report of every row it could not place. Leaves out fuzzy spelling,
// city/ZIP disambiguation (one reference file is one area) and any network geocoder.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "shared/parse/address.h"
#include "shared/parse/csv.h"
#include "shared/base/json.h"
#include "shared/base/result.h"

namespace doorstep::geocode {

enum class Quality : uint8_t {
  exact,        // reference points for the address (door, else building) are one place
  approximate,  // interpolated between house numbers, or the whole number of a 1/2 or 123A
  ambiguous,    // points for the address lie farther apart than same_place_m: not guessed
  unmatched,
};
std::string_view quality_name(Quality q);

struct Match {
  Quality quality = Quality::unmatched;
  double lat = 0, lon = 0;
  uint32_t points = 0;     // reference points behind the answer (ambiguous: all candidates)
  double spread_m = 0;     // largest distance between those points
  std::string how;         // "door", "building", "building, street type from the query", "interpolated 1301..1325", ...
  bool placed() const { return quality == Quality::exact || quality == Quality::approximate; }
};

struct Options {
  double same_place_m = 30;           // points within 30 m are one place
  uint32_t max_interpolation_gap = 200;  // house numbers between the two neighbours used
  double max_interpolation_m = 1000;     // and metres between them
};

// A reference point as the matcher sees it.
struct RefPoint {
  double lat = 0, lon = 0;
  std::string type, unit;
  bool whole = true;  // no fraction or number suffix: usable as an interpolation anchor
  uint32_t number = 0;
};

// Where the matcher finds reference points: in memory (Index) or in SQLite by normalised key
// (shared/io/ref_points, bounded memory at any reference size). The references returned stay
// valid until the next call on the same source.
class PointSource {
 public:
  virtual ~PointSource() = default;
  // Points filed under a loose building key, or (alt) under the key with the type spelled out.
  virtual const std::vector<RefPoint>& find(const std::string& key, bool alt) const = 0;
  // Interpolation anchors along a loose street key, sorted by house number.
  virtual const std::vector<RefPoint>& street(const std::string& street_key) const = 0;
};

// The matching rules over any source: door, building, type spelled into the name, whole number of
// a 1/2 or 123A, then interpolation between same-parity neighbours.
Match locate(const PointSource& src, const address::Address& a, const Options& opts = {});
// The alternative key a typed address is also filed under ("" for an address without a type).
std::string alt_key(const address::Address& a);
// The interpolation anchor a building's points make (whole numbers only, within same_place_m),
// at their centroid; false when they make none.
bool anchor_of(const std::vector<RefPoint>& pts, double same_place_m, RefPoint& out);
// Reads reference rows (LAT/LON/NUMBER/STREET/UNIT columns as Index::load_csv says) from a reader
// driven by `run`, handing each usable point to on_point; unusable rows are counted in *skipped.
using Feed = std::function<Status(csv::Reader&, const std::function<void(const csv::Row&)>&)>;
Status read_reference(const Feed& run, const std::function<void(const address::Address&, double, double)>& on_point,
                      uint64_t* skipped);

class Index : public PointSource {
 public:
  explicit Index(Options opts = {});

  void add(const address::Address& a, double lat, double lon);
  // Reference CSV with a header naming LAT/LON (or latitude/longitude), NUMBER (or housenumber),
  // STREET and optionally UNIT, case-insensitive: OpenAddresses and venice_addresses.csv both fit.
  // Rows without a number, street or valid coordinates are skipped and counted (skipped()).
  Result<uint64_t> load_csv(const std::string& path);
  Result<uint64_t> load_csv_bytes(std::string_view data);  // same, from memory (browser)

  // Not safe from two threads at once: the street index for interpolation is built lazily.
  Match locate(const address::Address& a) const;

  uint64_t points() const { return points_; }
  uint64_t skipped() const { return skipped_; }
  size_t addresses() const { return by_key_.size(); }

  const std::vector<RefPoint>& find(const std::string& key, bool alt) const override;
  const std::vector<RefPoint>& street(const std::string& street_key) const override;

 private:
  Result<uint64_t> load(const Feed& run);
  void ensure_streets() const;

  Options opts_;
  std::unordered_map<std::string, std::vector<RefPoint>> by_key_;  // loose building key -> points
  std::unordered_map<std::string, std::vector<RefPoint>> by_alt_;  // name + spelled-out type -> points
  mutable std::unordered_map<std::string, std::vector<RefPoint>> streets_;  // loose street key -> anchors
  mutable bool streets_built_ = false;
  uint64_t points_ = 0, skipped_ = 0;
};

// Collects per-row outcomes into the import report: counts and every unplaced row.
struct Report {
  struct Problem {
    uint64_t row;
    std::string address;
    Quality quality;
    std::string detail;
  };
  uint64_t rows = 0, exact = 0, approximate = 0, ambiguous = 0, unmatched = 0;
  std::vector<Problem> problems;  // every ambiguous or unmatched row, in order

  void add(uint64_t row, const address::Address& a, const Match& m);
  double match_rate() const;  // (exact + approximate) / rows
  json::Value to_json() const;
};

}  // namespace doorstep::geocode
