// Offline geocoder: points are keyed by the building key without street type (the Venice file
// has none) and the type is checked at query time, so "Grand Ave" never lands on "Grand Blvd"
// while "Walgrove Ave" finds the suffix-less "Walgrove". Interpolation only between same-parity
// neighbours on one street, never extrapolated.
#include "shared/parse/geocode.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "shared/base/geo.h"

namespace doorstep::geocode {

namespace {


std::string lower(std::string_view s) {
  std::string o(s);
  for (char& c : o) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return o;
}

bool parse_double(std::string_view s, double& out) {
  if (s.empty() || s.size() > 40) return false;
  std::string t(s);
  char* end = nullptr;
  out = std::strtod(t.c_str(), &end);
  return end == t.c_str() + t.size() && std::isfinite(out);
}

struct Spread {
  double lat = 0, lon = 0, max_m = 0;
};

// Centroid and the largest pairwise distance, computed pairwise only when the cheap bounds from
// the first point cannot decide against `limit` (so a 300-unit building costs one pass).
template <class P>
Spread spread(const std::vector<const P*>& pts, double limit) {
  Spread s;
  for (const P* p : pts) {
    s.lat += p->lat;
    s.lon += p->lon;
  }
  s.lat /= static_cast<double>(pts.size());
  s.lon /= static_cast<double>(pts.size());
  double far = 0;
  for (const P* p : pts) far = std::max(far, geo::approx_distance_m(pts[0]->lat, pts[0]->lon, p->lat, p->lon));
  if (far * 2 > limit && far <= limit) {
    for (size_t i = 0; i < pts.size(); ++i)
      for (size_t j = i + 1; j < pts.size(); ++j)
        far = std::max(far, geo::approx_distance_m(pts[i]->lat, pts[i]->lon, pts[j]->lat, pts[j]->lon));
  }
  s.max_m = far;
  return s;
}

const std::vector<RefPoint> kNone;

bool match_key(const PointSource& src, const std::string& key, const address::Address& a, bool alt,
               std::string_view type, const Options& opts, Match& m);
bool interpolate(const PointSource& src, const address::Address& a, const Options& opts, Match& m);

}  // namespace

// The key under which a typed address is also filed with its type spelled into the name:
// "2400 GRAND VW" -> "2400 GRAND VIEW", so a reference "Grand View" (no type) still matches.
std::string alt_key(const address::Address& a) {
  if (a.type.empty()) return {};
  address::Address b = a;
  std::string_view word = address::street_type_word(a.type);
  b.name += " " + std::string(word.empty() ? std::string_view(a.type) : word);
  b.type.clear();
  return b.loose_building_key();
}

std::string_view quality_name(Quality q) {
  switch (q) {
    case Quality::exact: return "exact";
    case Quality::approximate: return "approximate";
    case Quality::ambiguous: return "ambiguous";
    case Quality::unmatched: return "unmatched";
  }
  return "unknown";
}

Index::Index(Options opts) : opts_(opts) {}

void Index::add(const address::Address& a, double lat, double lon) {
  if (a.number.empty() || a.name.empty()) {
    ++skipped_;
    return;
  }
  RefPoint p{lat, lon, a.type, a.unit, a.fraction.empty() && a.number_suffix.empty(), a.number_value};
  by_key_[a.loose_building_key()].push_back(p);
  std::string alt = alt_key(a);
  if (!alt.empty()) {
    RefPoint q = p;
    q.type.clear();
    by_alt_[alt].push_back(q);
  }
  ++points_;
  streets_built_ = false;
  streets_.clear();
}

Status read_reference(const Feed& run, const std::function<void(const address::Address&, double, double)>& on_point,
                      uint64_t* skipped) {
  csv::Reader reader;
  struct {
    int lat = -1, lon = -1, number = -1, street = -1, unit = -1;
  } c;
  bool mapped = false, bad_header = false;
  auto on_row = [&](const csv::Row& row) {
    if (!mapped) {
      mapped = true;
      const auto& h = reader.header();
      for (size_t i = 0; i < h.size(); ++i) {
        std::string n = lower(h[i]);
        int ix = static_cast<int>(i);
        if (n == "lat" || n == "latitude") c.lat = ix;
        else if (n == "lon" || n == "lng" || n == "longitude") c.lon = ix;
        else if (n == "number" || n == "housenumber" || n == "addr:housenumber") c.number = ix;
        else if (n == "street" || n == "addr:street") c.street = ix;
        else if (n == "unit" || n == "addr:unit") c.unit = ix;
      }
      bad_header = c.lat < 0 || c.lon < 0 || c.number < 0 || c.street < 0;
    }
    if (bad_header) return;
    double lat, lon;
    if (!parse_double(row[static_cast<size_t>(c.lat)], lat) || !parse_double(row[static_cast<size_t>(c.lon)], lon) ||
        std::fabs(lat) > 90 || std::fabs(lon) > 180) {
      ++*skipped;
      return;
    }
    on_point(address::parse_street(row[static_cast<size_t>(c.number)], row[static_cast<size_t>(c.street)],
                                   c.unit >= 0 ? row[static_cast<size_t>(c.unit)] : std::string_view()),
             lat, lon);
  };
  Status st = run(reader, on_row);
  if (!st.ok()) return st;
  if (bad_header || !mapped)
    return make_error(Code::invalid_argument,
                      "geocode: reference needs LAT, LON, NUMBER and STREET columns (OpenAddresses or "
                      "lat,lon,housenumber,street)");
  return Status::Ok();
}

Result<uint64_t> Index::load(const Feed& run) {
  uint64_t added = 0;
  Status st = read_reference(run, [&](const address::Address& a, double lat, double lon) {
    uint64_t before = points_;
    add(a, lat, lon);
    added += points_ - before;
  }, &skipped_);
  if (!st.ok()) return st.error();
  return added;
}

Result<uint64_t> Index::load_csv(const std::string& path) {
  return load([&](csv::Reader& r, const std::function<void(const csv::Row&)>& on_row) -> Status {
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return make_error(Code::io, "geocode: cannot open " + path);
    std::vector<char> buf(1u << 20);
    Status st;
    size_t n;
    while (st.ok() && (n = std::fread(buf.data(), 1, buf.size(), f)) > 0) st = r.feed({buf.data(), n}, on_row);
    std::fclose(f);
    if (!st.ok()) return st;
    return r.finish(on_row);
  });
}

Result<uint64_t> Index::load_csv_bytes(std::string_view data) {
  return load([&](csv::Reader& r, const std::function<void(const csv::Row&)>& on_row) -> Status {
    Status st = r.feed(data, on_row);
    if (!st.ok()) return st;
    return r.finish(on_row);
  });
}

const std::vector<RefPoint>& Index::find(const std::string& key, bool alt) const {
  const auto& map = alt ? by_alt_ : by_key_;
  auto it = map.find(key);
  return it == map.end() ? kNone : it->second;
}

const std::vector<RefPoint>& Index::street(const std::string& street_key) const {
  ensure_streets();
  auto it = streets_.find(street_key);
  return it == streets_.end() ? kNone : it->second;
}

Match Index::locate(const address::Address& a) const { return geocode::locate(*this, a, opts_); }

bool anchor_of(const std::vector<RefPoint>& pts, double same_place_m, RefPoint& out) {
  std::vector<const RefPoint*> whole;
  for (const RefPoint& p : pts)
    if (p.whole) whole.push_back(&p);
  if (whole.empty()) return false;
  Spread s = spread(whole, same_place_m);
  if (s.max_m > same_place_m) return false;
  out = RefPoint{s.lat, s.lon, whole.front()->type, std::string(), true, whole.front()->number};
  return true;
}

void Index::ensure_streets() const {
  if (streets_built_) return;
  streets_.clear();
  // One anchor per whole-number building whose points are one place.
  for (const auto& [key, pts] : by_key_) {
    RefPoint anchor;
    if (!anchor_of(pts, opts_.same_place_m, anchor)) continue;
    // The street key is the building key minus the leading house number.
    size_t sp = key.find(' ');
    if (sp == std::string::npos) continue;
    streets_[key.substr(sp + 1)].push_back(anchor);
  }
  for (auto& [k, v] : streets_)
    std::sort(v.begin(), v.end(), [](const RefPoint& x, const RefPoint& y) { return x.number < y.number; });
  streets_built_ = true;
}

namespace {

bool match_key(const PointSource& src, const std::string& key, const address::Address& a, bool alt,
               std::string_view type, const Options& opts, Match& m) {
  const std::vector<RefPoint>& pts = src.find(key, alt);
  std::vector<const RefPoint*> cand;
  for (const RefPoint& p : pts) {
    if (!p.type.empty() && !type.empty() && p.type != type) continue;
    cand.push_back(&p);
  }
  if (cand.empty()) return false;
  const char* how = "building";
  if (!a.unit.empty()) {
    std::vector<const RefPoint*> door;
    for (const RefPoint* p : cand)
      if (p->unit == a.unit) door.push_back(p);
    if (!door.empty()) {
      cand.swap(door);
      how = "door";
    }
  }
  Spread s = spread(cand, opts.same_place_m);
  m.points = static_cast<uint32_t>(cand.size());
  m.spread_m = s.max_m;
  if (s.max_m > opts.same_place_m) {
    m.quality = Quality::ambiguous;
    m.how = std::to_string(cand.size()) + " reference points, " + std::to_string(static_cast<int>(s.max_m)) +
            " m or more apart";
    return true;
  }
  m.quality = Quality::exact;
  m.lat = s.lat;
  m.lon = s.lon;
  m.how = how;
  if (alt || type.empty() != a.type.empty()) m.how += ", street type read as part of the name";
  else if (!a.type.empty() && cand.front()->type.empty()) m.how += ", reference has no street type";
  return true;
}

bool interpolate(const PointSource& src, const address::Address& a, const Options& opts, Match& m) {
  if (a.number.empty() || a.parity() == address::Parity::none) return false;
  const std::vector<RefPoint>& anchors = src.street(a.loose_street_key());
  const RefPoint* lo = nullptr;
  const RefPoint* hi = nullptr;
  uint32_t n = a.number_value;
  for (const RefPoint& p : anchors) {
    if (p.number % 2 != n % 2) continue;
    if (!p.type.empty() && !a.type.empty() && p.type != a.type) continue;
    if (p.number < n) lo = &p;
    if (p.number > n) {
      hi = &p;
      break;
    }
  }
  if (!lo || !hi) return false;
  if (hi->number - lo->number > opts.max_interpolation_gap) return false;
  if (geo::approx_distance_m(lo->lat, lo->lon, hi->lat, hi->lon) > opts.max_interpolation_m) return false;
  double t = static_cast<double>(n - lo->number) / static_cast<double>(hi->number - lo->number);
  m.quality = Quality::approximate;
  m.lat = lo->lat + t * (hi->lat - lo->lat);
  m.lon = lo->lon + t * (hi->lon - lo->lon);
  m.points = 2;
  m.spread_m = 0;
  m.how = "interpolated between " + std::to_string(lo->number) + " and " + std::to_string(hi->number);
  return true;
}

}  // namespace

Match locate(const PointSource& src, const address::Address& a, const Options& opts) {
  Match m;
  if (a.number.empty() || a.name.empty()) {
    m.how = "no house number or street";
    return m;
  }
  // Suffix words are also street-name words ("Wave Crest", "Grand View"): try the key with the
  // type dropped, then with the type spelled into the name, on both the query and reference side.
  std::string loose = a.loose_building_key();
  if (match_key(src, loose, a, false, a.type, opts, m)) return m;
  if (match_key(src, loose, a, true, a.type, opts, m)) return m;
  std::string alt = alt_key(a);
  if (!alt.empty() && (match_key(src, alt, a, false, {}, opts, m) || match_key(src, alt, a, true, {}, opts, m))) return m;
  if (!a.fraction.empty() || !a.number_suffix.empty()) {
    address::Address whole = a;
    whole.fraction.clear();
    whole.number_suffix.clear();
    Match w = locate(src, whole, opts);
    if (w.quality == Quality::exact || w.quality == Quality::approximate) {
      w.quality = Quality::approximate;
      w.how = "placed at " + whole.building_key() + " (" + w.how + ")";
      return w;
    }
  }
  if (interpolate(src, a, opts, m)) return m;
  m = Match{};
  m.how = "no reference point for this address or its street neighbours";
  return m;
}

void Report::add(uint64_t row, const address::Address& a, const Match& m) {
  ++rows;
  switch (m.quality) {
    case Quality::exact: ++exact; return;
    case Quality::approximate: ++approximate; return;
    case Quality::ambiguous: ++ambiguous; break;
    case Quality::unmatched: ++unmatched; break;
  }
  problems.push_back(Problem{row, a.door_key(), m.quality, m.how});
}

double Report::match_rate() const {
  return rows ? static_cast<double>(exact + approximate) / static_cast<double>(rows) : 0.0;
}

json::Value Report::to_json() const {
  json::Array list;
  for (const Problem& p : problems) {
    list.push_back(json::Value(json::Object{{"row", json::Value(p.row)},
                                            {"address", json::Value(p.address)},
                                            {"quality", json::Value(quality_name(p.quality))},
                                            {"detail", json::Value(p.detail)}}));
  }
  return json::Value(json::Object{{"rows", json::Value(rows)},
                                  {"exact", json::Value(exact)},
                                  {"approximate", json::Value(approximate)},
                                  {"ambiguous", json::Value(ambiguous)},
                                  {"unmatched", json::Value(unmatched)},
                                  {"match_rate", json::Value(match_rate())},
                                  {"problems", json::Value(std::move(list))}});
}

}  // namespace doorstep::geocode
