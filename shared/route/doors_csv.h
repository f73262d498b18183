// Doors from a CSV file for walk orders and turf cuts (`doorstep route --doors`, `doorstep cut`,
// tests, bench): lat and lon columns, and optionally a building id, house number and street
// (normalised with shared/address), unit, floor, people and leave-out flags. Leaves out voter
// data: the importer (shared/io/importer.h) owns people and stored doors.
#pragma once
#include <climits>
#include <cstdint>
#include <string>
#include <vector>

#include "shared/base/geo.h"
#include "shared/base/result.h"
#include "shared/route/turf_cut.h"
#include "shared/route/walk_order.h"

namespace doorstep::doors_csv {

struct Row {
  uint64_t row = 0;           // CSV data row, 1 = first after the header
  geo::Fix at;
  std::string building;       // building key (see load())
  std::string street;         // normalised street (address::street_key), for sides
  std::string number;         // house number as written
  std::string unit;
  int floor = INT_MIN;
  int people = 1;
  bool do_not_contact = false;
  bool in_active_turf = false;
  int64_t last_attempt_day = INT64_MIN;
  std::string source;         // value of a source_file column when present (tests: block group)
};

struct Table {
  std::vector<Row> rows;
  std::vector<uint64_t> skipped;  // rows without coordinates (empty lat or lon)
};

// Column names are matched case-insensitively: lat|latitude, lon|lng|long|longitude,
// building_id, housenumber|house_number|number, street, unit, floor, people,
// do_not_contact|dnc, in_active_turf|active, last_attempt (YYYY-MM-DD or days since 1970),
// source_file. Building key: building_id when present; else the normalised "NUMBER STREET"
// (address without unit, as the importer keys a building); else a `building` column unless it holds an OSM
// tag (yes/no/true/false); else the door alone. Malformed coordinates are an error naming the
// row and column.
Result<Table> load(const std::string& path);

std::vector<walk_order::Door> walk_doors(const Table& t);
std::vector<turf_cut::Door> turf_doors(const Table& t);

// "2024-05-01" -> days since 1970-01-01; false when malformed.
bool parse_day(std::string_view s, int64_t& days);

}  // namespace doorstep::doors_csv
