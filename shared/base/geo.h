// Plane geometry for walk lists and turfs: fixed-point lon/lat (1e-7 degree), a local planar
// projection in metres, polygons with holes and an exact point-in-polygon test with one fixed rule for
// points on an edge, GeoJSON polygon reading, area/perimeter/compactness and display-polygon helpers.
// Leaves out geodesy beyond a city's extent (one equirectangular projection per data set) and
// polygon boolean operations.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/json.h"
#include "shared/base/result.h"

namespace doorstep::geo {

// ---- Coordinates -----------------------------------------------------------------------------
// Fixed point: degrees * 1e7 (OSM's precision, ~1 cm). Containment is decided on these integers
// with exact arithmetic, so the answer never depends on the platform's floating point.
struct Fix {
  int64_t lon = 0;  // degrees * 1e7
  int64_t lat = 0;
  bool operator==(const Fix& o) const { return lon == o.lon && lat == o.lat; }
};
int64_t to_fix(double degrees);                  // nearest 1e-7 degree
double from_fix(int64_t v);                      // back to degrees
inline Fix fix_of(double lat, double lon) { return Fix{to_fix(lon), to_fix(lat)}; }
// Parses a decimal degree text ("-118.4560125") straight into fixed point, rounding half away
// from zero past the 7th decimal. False on anything that is not a plain decimal number.
bool parse_fix(std::string_view text, int64_t& out);

struct XY {
  double x = 0;  // metres east of the projection's origin
  double y = 0;  // metres north
};

// Cosine from + - * / only (range reduction and a Taylor series), so it returns the same bits under
// glibc and the wasm libc; std::cos may differ in the last bit between the two.
double det_cos(double radians);

// Equirectangular projection around an origin: exact enough (< 0.1%) within a city, and the
// same doubles on every machine (integer differences, then one multiplication).
class Projection {
 public:
  Projection() = default;
  explicit Projection(Fix origin);
  XY to_xy(Fix p) const;
  Fix to_fix(XY p) const;
  Fix origin() const { return origin_; }
  double metres_per_unit_lon() const { return mx_; }
  double metres_per_unit_lat() const { return my_; }

 private:
  Fix origin_;
  double mx_ = 0;  // metres per 1e-7 degree of longitude at the origin's latitude
  double my_ = 0;  // metres per 1e-7 degree of latitude
};

// Projection centred on the middle of the points' bounding box (deterministic for a given set).
Projection projection_for(const std::vector<Fix>& pts);

double distance_m(XY a, XY b);

// ---- Distances between WGS84 points (degrees in, metres out) -----------------------------------
// The one earth radius: the mean radius, which the projection above also uses.
constexpr double kEarthRadiusM = 6371008.8;
// Equirectangular approximation around the pair's mean latitude: fast, fine at street scale.
double approx_distance_m(double lat1, double lon1, double lat2, double lon2);
// Great-circle distance by the haversine formula: right at any range (a phone far off its turf).
double haversine_m(double lat1, double lon1, double lat2, double lon2);

// ---- Polygons --------------------------------------------------------------------------------
using Ring = std::vector<Fix>;  // implicitly closed: the first point is not repeated at the end

struct BBox {
  int64_t min_lon = INT64_MAX, min_lat = INT64_MAX, max_lon = INT64_MIN, max_lat = INT64_MIN;
  void add(Fix p);
  bool empty() const { return min_lon > max_lon; }
  bool contains(Fix p) const {
    return p.lon >= min_lon && p.lon <= max_lon && p.lat >= min_lat && p.lat <= max_lat;
  }
};

struct Polygon {
  std::vector<Ring> rings;  // rings[0] is the outer boundary, the rest are holes
};

struct MultiPolygon {
  std::vector<Polygon> polygons;
  BBox bbox;  // filled by finish()
  void finish();
};

// Point in polygon. Edge rule: a point on a boundary belongs to the region that lies directly
// east of it (greater longitude); on an east-west edge, to the region directly north of it. So
// polygons that tile the plane give every point to exactly one of them. Rings are combined
// even-odd, which for valid GeoJSON (holes inside their outer ring) is the same as "inside the
// outer ring and outside every hole".
bool contains(const MultiPolygon& mp, Fix p);
bool ring_contains(const Ring& ring, Fix p);  // the same rule for one ring
// Crossing count of the eastward ray from p with the ring (the building block of the rule above).
int ring_crossings(const Ring& ring, Fix p);

// GeoJSON: a Polygon or MultiPolygon geometry, or a Feature holding one. Rings may or may not
// repeat their first point; repeated consecutive points are dropped; a ring with fewer than three
// distinct points is an error.
Result<MultiPolygon> multipolygon_from_geojson(const json::Value& v);

struct Feature {
  MultiPolygon shape;
  json::Value properties;
};
// A FeatureCollection (or a single Feature or geometry) of polygons. Features without a polygon
// geometry are skipped and counted in `skipped` when given.
Result<std::vector<Feature>> features_from_geojson(std::string_view text, size_t* skipped = nullptr);

json::Value to_geojson(const MultiPolygon& mp);  // geometry object (Polygon when one piece)
json::Value ring_to_coordinates(const Ring& ring);  // [[lon,lat],...] closed

// ---- Measures (metres, on the given projection) ------------------------------------------------
double ring_signed_area_m2(const Ring& ring, const Projection& proj);  // > 0 counter-clockwise
double area_m2(const MultiPolygon& mp, const Projection& proj);       // outer minus holes
double perimeter_m(const MultiPolygon& mp, const Projection& proj);   // all rings
// Isoperimetric quotient 4*pi*area/perimeter^2: 1 for a disc, pi/4 for a square, -> 0 for slivers.
double compactness(double area, double perimeter);
// Metres from p to the nearest edge of any ring (0 on an edge); whether p is inside is contains()'s
// question, not this one's.
double distance_to_edges_m(const MultiPolygon& mp, Fix p, const Projection& proj);

// ---- Display polygons ------------------------------------------------------------------------
// Convex hull, counter-clockwise, no collinear points; exact integer arithmetic. Fewer than three
// distinct points give a degenerate hull (the distinct points).
Ring convex_hull(std::vector<Fix> pts);
// Axis-aligned rectangle as a counter-clockwise ring.
Ring rect_ring(int64_t min_lon, int64_t min_lat, int64_t max_lon, int64_t max_lat);

}  // namespace doorstep::geo
