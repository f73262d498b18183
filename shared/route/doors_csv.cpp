// Doors CSV loader (see doors_csv.h).
#include "shared/route/doors_csv.h"

#include <cstdlib>

#include "shared/parse/address.h"
#include "shared/parse/csv.h"

namespace doorstep::doors_csv {

namespace {

std::string lower(std::string_view s) {
  std::string o(s);
  for (auto& c : o)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return o;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool truthy(std::string_view v) {
  std::string l = lower(trim(v));
  return l == "1" || l == "true" || l == "yes" || l == "y" || l == "t";
}

int find_col(const std::vector<std::string>& header, std::initializer_list<const char*> names) {
  for (const char* n : names)
    for (size_t i = 0; i < header.size(); ++i)
      if (lower(trim(header[i])) == n) return static_cast<int>(i);
  return -1;
}

}  // namespace

bool parse_day(std::string_view s, int64_t& days) {
  s = trim(s);
  if (s.size() == 10 && s[4] == '-' && s[7] == '-') {
    int y = 0, m = 0, d = 0;
    for (int i : {0, 1, 2, 3}) {
      if (s[i] < '0' || s[i] > '9') return false;
      y = y * 10 + (s[i] - '0');
    }
    for (int i : {5, 6}) {
      if (s[i] < '0' || s[i] > '9') return false;
      m = m * 10 + (s[i] - '0');
    }
    for (int i : {8, 9}) {
      if (s[i] < '0' || s[i] > '9') return false;
      d = d * 10 + (s[i] - '0');
    }
    if (m < 1 || m > 12 || d < 1 || d > 31) return false;
    // Days from civil (Howard Hinnant's algorithm).
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    days = era * 146097 + doe - 719468;
    return true;
  }
  if (s.empty()) return false;
  char* end = nullptr;
  std::string tmp(s);
  long long v = std::strtoll(tmp.c_str(), &end, 10);
  if (!end || *end) return false;
  days = v;
  return true;
}

Result<Table> load(const std::string& path) {
  Table t;
  int c_lat = -1, c_lon = -1, c_bid = -1, c_bld = -1, c_num = -1, c_street = -1, c_unit = -1, c_floor = -1,
      c_people = -1, c_dnc = -1, c_active = -1, c_last = -1, c_src = -1;
  bool header_seen = false;
  Status err;
  auto r = csv::read_file(path, csv::Options{}, [&](const csv::Reader& rd, const csv::Row& row) {
    if (!err.ok()) return;
    if (!header_seen) {
      header_seen = true;
      const auto& h = rd.header();
      c_lat = find_col(h, {"lat", "latitude"});
      c_lon = find_col(h, {"lon", "lng", "long", "longitude"});
      c_bid = find_col(h, {"building_id"});
      c_bld = find_col(h, {"building"});
      c_num = find_col(h, {"housenumber", "house_number", "number"});
      c_street = find_col(h, {"street"});
      c_unit = find_col(h, {"unit"});
      c_floor = find_col(h, {"floor"});
      c_people = find_col(h, {"people"});
      c_dnc = find_col(h, {"do_not_contact", "dnc"});
      c_active = find_col(h, {"in_active_turf", "active"});
      c_last = find_col(h, {"last_attempt"});
      c_src = find_col(h, {"source_file"});
      if (c_lat < 0 || c_lon < 0) {
        err = make_error(Code::invalid_argument, path + ": needs lat and lon columns");
        return;
      }
    }
    auto bad = [&](int col, const std::string& what) {
      err = make_error(Code::invalid_argument, path + ": row " + std::to_string(row.number) + ", column " +
                                                   std::to_string(col + 1) + ": " + what);
    };
    std::string_view lat = trim(row[c_lat]), lon = trim(row[c_lon]);
    if (lat.empty() || lon.empty()) {
      t.skipped.push_back(row.number);
      return;
    }
    Row d;
    d.row = row.number;
    if (!geo::parse_fix(lat, d.at.lat) || d.at.lat < -900000000 || d.at.lat > 900000000)
      return bad(c_lat, "latitude '" + std::string(lat) + "' is not a number in [-90, 90]");
    if (!geo::parse_fix(lon, d.at.lon) || d.at.lon < -1800000000 || d.at.lon > 1800000000)
      return bad(c_lon, "longitude '" + std::string(lon) + "' is not a number in [-180, 180]");
    std::string_view num = c_num >= 0 ? trim(row[c_num]) : std::string_view();
    std::string_view street = c_street >= 0 ? trim(row[c_street]) : std::string_view();
    std::string_view unit = c_unit >= 0 ? trim(row[c_unit]) : std::string_view();
    d.number = std::string(num);
    d.unit = std::string(unit);
    if (!street.empty()) {
      auto a = address::parse_street(num, street, unit);
      d.street = a.street_key();
      if (!num.empty()) d.building = a.building_key();
    }
    if (c_bid >= 0 && !trim(row[c_bid]).empty()) d.building = "id:" + std::string(trim(row[c_bid]));
    if (d.building.empty() && c_bld >= 0) {
      std::string v = lower(trim(row[c_bld]));
      if (!v.empty() && v != "yes" && v != "no" && v != "true" && v != "false") d.building = "b:" + std::string(trim(row[c_bld]));
    }
    if (c_floor >= 0 && !trim(row[c_floor]).empty()) {
      std::string f(trim(row[c_floor]));
      char* end = nullptr;
      long v = std::strtol(f.c_str(), &end, 10);
      if (!end || *end) return bad(c_floor, "floor '" + f + "' is not a whole number");
      d.floor = static_cast<int>(v);
    }
    if (c_people >= 0 && !trim(row[c_people]).empty()) {
      std::string f(trim(row[c_people]));
      char* end = nullptr;
      long v = std::strtol(f.c_str(), &end, 10);
      if (!end || *end || v < 0) return bad(c_people, "people '" + f + "' is not a count");
      d.people = static_cast<int>(v);
    }
    if (c_dnc >= 0) d.do_not_contact = truthy(row[c_dnc]);
    if (c_active >= 0) d.in_active_turf = truthy(row[c_active]);
    if (c_last >= 0 && !trim(row[c_last]).empty() && !parse_day(row[c_last], d.last_attempt_day))
      return bad(c_last, "last_attempt '" + std::string(trim(row[c_last])) + "' is not YYYY-MM-DD");
    if (c_src >= 0) d.source = std::string(trim(row[c_src]));
    t.rows.push_back(std::move(d));
  });
  if (!r) return r.error();
  if (!err.ok()) return err.error();
  if (!header_seen) return make_error(Code::invalid_argument, path + ": no header row (needs lat and lon columns)");
  return t;
}

std::vector<walk_order::Door> walk_doors(const Table& t) {
  std::vector<walk_order::Door> out;
  out.reserve(t.rows.size());
  for (auto& r : t.rows) {
    walk_order::Door d;
    d.at = r.at;
    d.building = r.building;
    d.street = r.street;
    d.number = r.number;
    d.unit = r.unit;
    d.floor = r.floor;
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<turf_cut::Door> turf_doors(const Table& t) {
  std::vector<turf_cut::Door> out;
  out.reserve(t.rows.size());
  for (auto& r : t.rows) {
    turf_cut::Door d;
    d.at = r.at;
    d.building = r.building;
    d.people = r.people;
    d.do_not_contact = r.do_not_contact;
    d.in_active_turf = r.in_active_turf;
    d.last_attempt_day = r.last_attempt_day;
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace doorstep::doors_csv
