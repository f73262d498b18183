// Streaming import of a voter file or address-point file into the campaign store:
// reader -> preset -> address normalisation -> offline geocoding -> upserts in batched
// transactions, ending with a report in which every row is accounted for. Leaves out file
// dialogs and progress UI (callers feed bytes) and network geocoding (there is none, by design).
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/json.h"
#include "shared/base/result.h"
#include "shared/parse/presets.h"
#include "shared/store/store.h"

namespace doorstep::geocode {
class PointSource;
}

namespace doorstep::importer {

struct Options {
  std::string campaign = "Default campaign";  // created when missing
  std::string preset;        // "" = detect from the header; a preset name, or "generic:field=Column,..."
  std::string mapping;       // a column mapping as JSON (presets::from_json); when set, it decides over preset
  std::string geocode_with;  // reference address points (OpenAddresses or LA address-point layout)
  bool replace = false;      // full replace: people of this source missing from the file are removed
  std::string file_name;     // for the report and the import_run row
  int64_t now_ms = 0;        // 0: the system clock
  std::string node = "import";  // HLC node of the writes
  const geocode::PointSource* points = nullptr;  // reference points to geocode with (e.g. a campaign's,
                                                 // shared/io/ref_points); decides over geocode_with
  size_t batch_rows = 200000;   // rows per transaction (fewer commits: index pages are rewritten once per commit)
  // A server import shares the database while it runs: keep the indexes (others read between
  // batches) and a modest page cache. The command line's import is alone and takes both.
  bool defer_indexes = true;    // on an empty database, build the lookup indexes once at the end
  int cache_kib = 131072;       // SQLite page cache during the import
  bool big_wal = true;          // checkpoint the WAL rarely during the import (faster alone; a shared
                                // server would pay the whole checkpoint in one commit at the end)
  size_t max_errors_kept = 100000;  // beyond this only errors_total grows
};

struct RowError {
  uint64_t row = 0;     // 1 = first data row after the header; 0 = the file as a whole
  uint32_t column = 0;  // 1-based; 0 = the row as a whole
  std::string code;     // stable: ragged_row, stray_quote, bare_quote, unterminated_quote, encoding, no_address,
                        // missing_id, duplicate_id, bad_coordinates, geocode_unmatched,
                        // geocode_ambiguous, bad_value
  std::string message;
};

struct Report {
  std::string campaign_id;
  std::string preset;
  uint64_t rows = 0;        // data rows read
  uint64_t imported = 0;    // rows stored (rows = imported + skipped)
  uint64_t skipped = 0;
  uint64_t people = 0;      // distinct people in this file that were stored
  uint64_t doors = 0;       // distinct doors the file touched
  uint64_t buildings = 0;
  uint64_t geocoded = 0;    // of those doors, how many have coordinates
  uint64_t from_source = 0, exact = 0, approximate = 0, ambiguous = 0, unmatched = 0;  // per door
  uint64_t added = 0, changed = 0, unchanged = 0, removed = 0;  // people (doors for address files)
  uint64_t same_door = 0;   // address files: rows naming a door an earlier row already named
  uint64_t errors_total = 0;
  uint64_t bytes = 0;
  double seconds = 0;
  std::vector<RowError> errors;

  double match_rate() const;  // doors placed by the geocoder / doors that needed it
  json::Value to_json() const;
};

// Feed the file in chunks of any size (the browser hands over File slices).
class Importer {
 public:
  Importer(store::Db& db, Options opts);
  ~Importer();
  Importer(const Importer&) = delete;
  Importer& operator=(const Importer&) = delete;

  // Fails only when nothing more can be imported (a row over the reader's limits, a storage error,
  // no preset for the header); per-row problems go into the report instead.
  Status push(std::string_view bytes);
  // Rows written in the open transaction, and committing it early: a caller that shares the
  // connection commits between batches and lets other writers in (the next push reopens).
  size_t rows_pending() const;
  Status commit();
  uint64_t rows() const;  // data rows read so far (progress)
  Result<Report> finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

Result<Report> import_file(store::Db& db, const std::string& path, const Options& opts);

// The column mapping an import with `opts` would use for this header (mapping, preset or detection).
Result<presets::Mapping> mapping_for(const std::vector<std::string>& header, const Options& opts);

// Reads a whole file through the CSV reader without storing anything, so that a file which would
// stop an import half-way is refused before the first row is written: bytes that are not text (a
// NUL byte), a header whose quote never closes, a row over the reader's limits, or a header that
// `header_ok` refuses (no layout, a mapping naming a missing column). Returns the data rows.
Result<uint64_t> precheck(const std::string& path, const std::function<Status(const std::vector<std::string>&)>& header_ok);

}  // namespace doorstep::importer
