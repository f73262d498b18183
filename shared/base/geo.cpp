// Plane geometry (see geo.h). Containment uses 128-bit integer cross products on fixed-point
// coordinates; measures use the local projection in doubles.
#include "shared/base/geo.h"

#include <algorithm>
#include <cmath>

namespace doorstep::geo {

namespace {
constexpr double kPi = 3.14159265358979323846;

__int128 cross(Fix o, Fix a, Fix b) {
  return static_cast<__int128>(a.lon - o.lon) * (b.lat - o.lat) -
         static_cast<__int128>(a.lat - o.lat) * (b.lon - o.lon);
}
}  // namespace

int64_t to_fix(double degrees) { return std::llround(degrees * 1e7); }
double from_fix(int64_t v) { return static_cast<double>(v) / 1e7; }

bool parse_fix(std::string_view s, int64_t& out) {
  size_t i = 0;
  bool neg = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
  int64_t whole = 0;
  size_t digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    if (whole > 100000) return false;  // not a coordinate
    whole = whole * 10 + (s[i++] - '0');
    ++digits;
  }
  int64_t frac = 0;
  int fd = 0;
  bool round_up = false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (fd < 7) frac = frac * 10 + (s[i] - '0');
      else if (fd == 7) round_up = s[i] >= '5';
      ++fd;
      ++digits;
      ++i;
    }
  }
  if (i != s.size() || digits == 0) return false;
  for (int k = std::min(fd, 7); k < 7; ++k) frac *= 10;
  int64_t v = whole * 10000000 + frac + (round_up ? 1 : 0);
  out = neg ? -v : v;
  return true;
}

double det_cos(double x) {
  // Reduce to [-pi, pi]; floor and the arithmetic are exact IEEE operations everywhere.
  double k = std::floor(x / (2 * kPi) + 0.5);
  x -= k * (2 * kPi);
  double x2 = x * x, term = 1, sum = 1;
  for (int i = 1; i <= 20; ++i) {
    term = -term * x2 / static_cast<double>((2 * i - 1) * (2 * i));
    sum += term;
  }
  return sum;
}

Projection::Projection(Fix origin) : origin_(origin) {
  my_ = kEarthRadiusM * kPi / 180.0 / 1e7;
  mx_ = my_ * det_cos(static_cast<double>(origin.lat) / 1e7 * kPi / 180.0);
}

XY Projection::to_xy(Fix p) const {
  return XY{static_cast<double>(p.lon - origin_.lon) * mx_, static_cast<double>(p.lat - origin_.lat) * my_};
}

Fix Projection::to_fix(XY p) const {
  return Fix{origin_.lon + std::llround(p.x / mx_), origin_.lat + std::llround(p.y / my_)};
}

Projection projection_for(const std::vector<Fix>& pts) {
  BBox b;
  for (auto& p : pts) b.add(p);
  if (b.empty()) return Projection(Fix{});
  return Projection(Fix{b.min_lon + (b.max_lon - b.min_lon) / 2, b.min_lat + (b.max_lat - b.min_lat) / 2});
}

double distance_m(XY a, XY b) {
  double dx = a.x - b.x, dy = a.y - b.y;
  return std::sqrt(dx * dx + dy * dy);
}

double approx_distance_m(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kDeg = kPi / 180.0;
  double x = (lon2 - lon1) * kDeg * std::cos((lat1 + lat2) * 0.5 * kDeg);
  double y = (lat2 - lat1) * kDeg;
  return std::sqrt(x * x + y * y) * kEarthRadiusM;
}

double haversine_m(double lat1, double lon1, double lat2, double lon2) {
  double p1 = lat1 * kPi / 180, p2 = lat2 * kPi / 180;
  double dp = p2 - p1, dl = (lon2 - lon1) * kPi / 180;
  double a = std::sin(dp / 2) * std::sin(dp / 2) + std::cos(p1) * std::cos(p2) * std::sin(dl / 2) * std::sin(dl / 2);
  return 2 * kEarthRadiusM * std::asin(std::min(1.0, std::sqrt(a)));
}

void BBox::add(Fix p) {
  min_lon = std::min(min_lon, p.lon);
  max_lon = std::max(max_lon, p.lon);
  min_lat = std::min(min_lat, p.lat);
  max_lat = std::max(max_lat, p.lat);
}

void MultiPolygon::finish() {
  bbox = BBox{};
  for (auto& poly : polygons)
    for (auto& ring : poly.rings)
      for (auto& p : ring) bbox.add(p);
}

int ring_crossings(const Ring& ring, Fix p) {
  // Half-open in latitude ([low, high) of each edge) and strict in longitude (the edge must pass
  // strictly east of p): together they classify p as if nudged east, then a little north.
  int c = 0;
  size_t n = ring.size();
  for (size_t i = 0, j = n - 1; i < n; j = i++) {
    Fix a = ring[j], b = ring[i];
    if (a.lat > b.lat) std::swap(a, b);  // canonical order: shared edges give identical answers
    if (p.lat < a.lat || p.lat >= b.lat) continue;
    if (cross(a, b, p) > 0) ++c;  // p strictly west of the upward edge a->b
  }
  return c;
}

bool ring_contains(const Ring& ring, Fix p) { return ring.size() >= 3 && (ring_crossings(ring, p) & 1); }

bool contains(const MultiPolygon& mp, Fix p) {
  if (!mp.bbox.contains(p)) return false;
  int c = 0;
  for (auto& poly : mp.polygons)
    for (auto& ring : poly.rings) c += ring_crossings(ring, p);
  return c & 1;
}

namespace {

Result<Ring> read_ring(const json::Value& v) {
  if (!v.is_array()) return make_error(Code::invalid_argument, "a polygon ring must be an array of positions");
  Ring r;
  for (auto& pos : v.as_array()) {
    if (!pos.is_array() || pos.size() < 2 || !pos.as_array()[0].is_number() || !pos.as_array()[1].is_number())
      return make_error(Code::invalid_argument, "a position must be [lon, lat]");
    double lon = pos.as_array()[0].as_double(), lat = pos.as_array()[1].as_double();
    if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90))
      return make_error(Code::invalid_argument, "position out of range: [" + std::to_string(lon) + ", " + std::to_string(lat) + "]");
    Fix f{to_fix(lon), to_fix(lat)};
    if (r.empty() || !(r.back() == f)) r.push_back(f);
  }
  while (r.size() > 1 && r.front() == r.back()) r.pop_back();
  if (r.size() < 3) return make_error(Code::invalid_argument, "a polygon ring needs at least three distinct points");
  return r;
}

Result<Polygon> read_polygon(const json::Value& v) {
  if (!v.is_array() || v.size() == 0) return make_error(Code::invalid_argument, "polygon coordinates must be a non-empty array of rings");
  Polygon p;
  for (auto& rv : v.as_array()) {
    auto r = read_ring(rv);
    if (!r) return r.error();
    p.rings.push_back(std::move(*r));
  }
  return p;
}

}  // namespace

Result<MultiPolygon> multipolygon_from_geojson(const json::Value& v) {
  if (!v.is_object()) return make_error(Code::invalid_argument, "GeoJSON must be an object");
  const json::Value* type = v.find("type");
  if (!type || !type->is_string()) return make_error(Code::invalid_argument, "GeoJSON object without a type");
  if (type->as_string() == "Feature") {
    const json::Value* g = v.find("geometry");
    if (!g) return make_error(Code::invalid_argument, "Feature without geometry");
    return multipolygon_from_geojson(*g);
  }
  const json::Value* coords = v.find("coordinates");
  MultiPolygon mp;
  if (type->as_string() == "Polygon") {
    if (!coords) return make_error(Code::invalid_argument, "Polygon without coordinates");
    auto p = read_polygon(*coords);
    if (!p) return p.error();
    mp.polygons.push_back(std::move(*p));
  } else if (type->as_string() == "MultiPolygon") {
    if (!coords || !coords->is_array()) return make_error(Code::invalid_argument, "MultiPolygon without coordinates");
    for (auto& pv : coords->as_array()) {
      auto p = read_polygon(pv);
      if (!p) return p.error();
      mp.polygons.push_back(std::move(*p));
    }
    if (mp.polygons.empty()) return make_error(Code::invalid_argument, "empty MultiPolygon");
  } else {
    return make_error(Code::unsupported, "geometry type " + type->as_string() + " is not a polygon");
  }
  mp.finish();
  return mp;
}

Result<std::vector<Feature>> features_from_geojson(std::string_view text, size_t* skipped) {
  json::ParseLimits lim;
  lim.max_bytes = 512u << 20;
  lim.max_string_bytes = 16u << 20;
  auto doc = json::parse(text, lim);
  if (!doc) return doc.error();
  std::vector<Feature> out;
  size_t skip = 0;
  auto take = [&](const json::Value& f) -> Status {
    const json::Value* props = f.find("properties");
    auto mp = multipolygon_from_geojson(f);
    if (!mp) {
      if (mp.error().code == Code::unsupported) {
        ++skip;
        return {};
      }
      return mp.error();
    }
    out.push_back(Feature{std::move(*mp), props ? *props : json::Value()});
    return {};
  };
  const json::Value* type = doc->find("type");
  if (type && type->is_string() && type->as_string() == "FeatureCollection") {
    const json::Value* feats = doc->find("features");
    if (!feats || !feats->is_array()) return make_error(Code::invalid_argument, "FeatureCollection without features");
    for (size_t i = 0; i < feats->size(); ++i) {
      auto st = take(feats->as_array()[i]);
      if (!st) return make_error(st.error().code, "feature " + std::to_string(i + 1) + ": " + st.error().message);
    }
  } else {
    auto st = take(*doc);
    if (!st) return st.error();
  }
  if (skipped) *skipped = skip;
  return out;
}

json::Value ring_to_coordinates(const Ring& ring) {
  json::Array a;
  for (size_t i = 0; i <= ring.size() && !ring.empty(); ++i) {
    const Fix& p = ring[i % ring.size()];
    a.push_back(json::Array{json::Value(from_fix(p.lon)), json::Value(from_fix(p.lat))});
  }
  return a;
}

json::Value to_geojson(const MultiPolygon& mp) {
  auto poly_coords = [](const Polygon& p) {
    json::Array rings;
    for (auto& r : p.rings) rings.push_back(ring_to_coordinates(r));
    return json::Value(std::move(rings));
  };
  json::Value g = json::Value::object();
  if (mp.polygons.size() == 1) {
    g.set("type", "Polygon");
    g.set("coordinates", poly_coords(mp.polygons[0]));
  } else {
    g.set("type", "MultiPolygon");
    json::Array ps;
    for (auto& p : mp.polygons) ps.push_back(poly_coords(p));
    g.set("coordinates", std::move(ps));
  }
  return g;
}

double ring_signed_area_m2(const Ring& ring, const Projection& proj) {
  double a = 0;
  size_t n = ring.size();
  for (size_t i = 0, j = n - 1; i < n; j = i++) {
    XY p = proj.to_xy(ring[j]), q = proj.to_xy(ring[i]);
    a += p.x * q.y - q.x * p.y;
  }
  return a / 2;
}

double area_m2(const MultiPolygon& mp, const Projection& proj) {
  double a = 0;
  for (auto& poly : mp.polygons)
    for (size_t r = 0; r < poly.rings.size(); ++r) {
      double ra = std::fabs(ring_signed_area_m2(poly.rings[r], proj));
      a += r == 0 ? ra : -ra;
    }
  return a;
}

double perimeter_m(const MultiPolygon& mp, const Projection& proj) {
  double len = 0;
  for (auto& poly : mp.polygons)
    for (auto& ring : poly.rings) {
      size_t n = ring.size();
      for (size_t i = 0, j = n - 1; i < n; j = i++) len += distance_m(proj.to_xy(ring[j]), proj.to_xy(ring[i]));
    }
  return len;
}

double compactness(double area, double perimeter) {
  if (perimeter <= 0) return 0;
  return 4 * kPi * area / (perimeter * perimeter);
}

double distance_to_edges_m(const MultiPolygon& mp, Fix p, const Projection& proj) {
  const XY q = proj.to_xy(p);
  double best = INFINITY;
  for (const Polygon& poly : mp.polygons)
    for (const Ring& r : poly.rings)
      for (size_t i = 0; i < r.size(); ++i) {
        const XY a = proj.to_xy(r[i]), b = proj.to_xy(r[(i + 1) % r.size()]);
        const double dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
        const double t = len2 > 0 ? std::clamp(((q.x - a.x) * dx + (q.y - a.y) * dy) / len2, 0.0, 1.0) : 0.0;
        best = std::min(best, distance_m(q, XY{a.x + t * dx, a.y + t * dy}));
      }
  return best;
}

Ring convex_hull(std::vector<Fix> pts) {
  std::sort(pts.begin(), pts.end(), [](const Fix& a, const Fix& b) { return a.lon != b.lon ? a.lon < b.lon : a.lat < b.lat; });
  pts.erase(std::unique(pts.begin(), pts.end()), pts.end());
  if (pts.size() < 3) return pts;
  Ring h(2 * pts.size());
  size_t k = 0;
  for (size_t i = 0; i < pts.size(); ++i) {  // lower hull
    while (k >= 2 && cross(h[k - 2], h[k - 1], pts[i]) <= 0) --k;
    h[k++] = pts[i];
  }
  for (size_t i = pts.size() - 1, t = k + 1; i-- > 0;) {  // upper hull
    while (k >= t && cross(h[k - 2], h[k - 1], pts[i]) <= 0) --k;
    h[k++] = pts[i];
  }
  h.resize(k - 1);
  return h;
}

Ring rect_ring(int64_t min_lon, int64_t min_lat, int64_t max_lon, int64_t max_lat) {
  return Ring{{min_lon, min_lat}, {max_lon, min_lat}, {max_lon, max_lat}, {min_lon, max_lat}};
}

}  // namespace doorstep::geo
