// Exports of campaign results: VAN bulk-upload CSV (documented result mapping, MM/DD/YYYY dates in
// the campaign's time zone), a generic one-row-per-attempt CSV, sign-ups with consents, and turfs
// as GeoJSON. Text cells are neutralised against spreadsheet formulas; numbers stay numbers.
// Leaves out a time-zone database: a small table of US zones with the US DST rules (1987-2006 and
// 2007+), which is what the toolchains here can carry.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/model.h"
#include "shared/base/result.h"
#include "shared/store/store.h"

namespace doorstep::exporter {

// ---- Time zones ----------------------------------------------------------------------------------
// Supported: America/Los_Angeles, America/Denver, America/Phoenix (no DST), America/Chicago,
// America/New_York, America/Detroit, America/Boise, America/Indiana/Indianapolis, America/Anchorage,
// Pacific/Honolulu (no DST), America/Puerto_Rico (no DST), UTC.
bool supported_zone(std::string_view zone);
const std::vector<std::string_view>& supported_zones();
// Offset of local time from UTC in minutes (e.g. -420 for PDT). Unknown zone -> unsupported.
Result<int32_t> utc_offset_minutes(std::string_view zone, int64_t unix_ms);

struct LocalTime {
  int32_t year, month, day, hour, minute, second;
};
Result<LocalTime> to_local(std::string_view zone, int64_t unix_ms);
// "MM/DD/YYYY" (VAN) and "YYYY-MM-DD HH:MM" (generic exports) in `zone`.
Result<std::string> van_date(std::string_view zone, int64_t unix_ms);
Result<std::string> local_timestamp(std::string_view zone, int64_t unix_ms);
// The first moment at or after `now_ms` whose local time in `zone` is hour:minute ("tonight 21:00":
// today's 21:00, or tomorrow's once it has passed). A local time skipped by a DST change lands on
// the same wall-clock reading in the new offset.
Result<int64_t> next_local_time(std::string_view zone, int64_t now_ms, int hour, int minute);

// ---- Cells -------------------------------------------------------------------------------------
// A text cell a spreadsheet would run as a formula (first character = + - @ tab CR) gets a leading
// apostrophe; then CSV quoting where needed.
std::string text_cell(std::string_view s);
// One CSV row of cells already made by text_cell/number_cell, ended by CRLF.
void append_row(std::string& out, const std::vector<std::string>& cells);
// A numeric cell, written as is (never neutralised: "-118.45" must stay a number).
std::string number_cell(double v, int decimals = 7);
std::string number_cell(int64_t v);

// ---- VAN ------------------------------------------------------------------------------------------
// Our result -> VAN's "Canvass Result". talked -> "Canvassed"; not_home, come_back, lit_drop ->
// "Not Home" (nobody was spoken to); refused -> "Refused"; moved, wrong_address -> "Moved";
// inaccessible -> "Inaccessible"; deceased -> "Deceased".
std::string_view van_result(AttemptResult r);

struct ExportStats {
  uint64_t rows = 0;     // data rows written
  uint64_t skipped = 0;  // e.g. VAN rows without a VAN ID (VAN rejects blanks)
};

// VAN bulk upload: VAN ID, Date Contacted, Phone, Canvass Result, then one column per survey
// question (van_name or the English label). One row per person spoken to: an attempt naming a
// person gives that person's row; a door-level attempt (not home, inaccessible, ...) gives a row
// for each live person at the door. Do-not-contact people are left out.
Result<std::string> van_csv(store::Db& db, std::string_view campaign_id, ExportStats* stats = nullptr);
// One row per attempt with door, person, result, canvasser, local time, position and answers.
Result<std::string> attempts_csv(store::Db& db, std::string_view campaign_id, ExportStats* stats = nullptr);
// One row per sign-up with a yes/no/blank column per consent purpose.
Result<std::string> signups_csv(store::Db& db, std::string_view campaign_id, ExportStats* stats = nullptr);
// FeatureCollection: each turf's polygon (properties id, name, status, doors) and its doors as
// points in walk order (properties turf_id, position, address, people). Do-not-contact doors and
// people never appear.
Result<std::string> turfs_geojson(store::Db& db, std::string_view campaign_id, ExportStats* stats = nullptr);

}  // namespace doorstep::exporter
