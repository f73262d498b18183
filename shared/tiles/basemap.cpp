// Base map layers (see basemap.h).
#include "shared/tiles/basemap.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace doorstep::tiles {

namespace {
std::vector<LonLat> ring_lonlat(const geo::Ring& r, bool close) {
  std::vector<LonLat> out;
  for (const geo::Fix& f : r) out.push_back({geo::from_fix(f.lon), geo::from_fix(f.lat)});
  if (close && !r.empty()) out.push_back(out.front());
  return out;
}

SourceFeature polygon_feature(const geo::MultiPolygon& mp) {
  SourceFeature f;
  f.type = mvt::GeomType::polygon;
  for (const geo::Polygon& p : mp.polygons)
    for (size_t i = 0; i < p.rings.size(); ++i) {
      f.parts.push_back(ring_lonlat(p.rings[i], false));
      f.is_hole.push_back(i > 0);
    }
  return f;
}

// A point inside the outline for its name: the centroid when inside, else the middle of the
// widest horizontal chord through the centroid's latitude.
LonLat label_point(const geo::MultiPolygon& mp) {
  const geo::Polygon* biggest = nullptr;
  double best = -1;
  const geo::Projection proj = geo::projection_for({geo::Fix{mp.bbox.min_lon, mp.bbox.min_lat}, geo::Fix{mp.bbox.max_lon, mp.bbox.max_lat}});
  for (const geo::Polygon& p : mp.polygons) {
    const double a = std::fabs(geo::ring_signed_area_m2(p.rings[0], proj));
    if (a > best) best = a, biggest = &p;
  }
  double cx = 0, cy = 0, a2 = 0;
  const geo::Ring& r = biggest->rings[0];
  for (size_t i = 0; i < r.size(); ++i) {
    const double x0 = double(r[i].lon), y0 = double(r[i].lat);
    const double x1 = double(r[(i + 1) % r.size()].lon), y1 = double(r[(i + 1) % r.size()].lat);
    const double c = x0 * y1 - x1 * y0;
    a2 += c, cx += (x0 + x1) * c, cy += (y0 + y1) * c;
  }
  geo::Fix c{static_cast<int64_t>(cx / (3 * a2)), static_cast<int64_t>(cy / (3 * a2))};
  if (a2 == 0 || !geo::contains(mp, c)) {
    std::vector<int64_t> xs;  // crossings of the horizontal line through c
    for (size_t i = 0; i < r.size(); ++i) {
      const geo::Fix p = r[i], q = r[(i + 1) % r.size()];
      if ((p.lat > c.lat) != (q.lat > c.lat))
        xs.push_back(p.lon + static_cast<int64_t>(double(q.lon - p.lon) * double(c.lat - p.lat) / double(q.lat - p.lat)));
    }
    std::sort(xs.begin(), xs.end());
    int64_t wide = -1;
    for (size_t i = 0; i + 1 < xs.size(); i += 2)
      if (xs[i + 1] - xs[i] > wide) wide = xs[i + 1] - xs[i], c.lon = (xs[i] + xs[i + 1]) / 2;
    if (wide < 0) c = r[0];
  }
  return {geo::from_fix(c.lon), geo::from_fix(c.lat)};
}
}  // namespace

std::vector<std::vector<LonLat>> street_label_lines(const std::vector<LonLat>& points, double max_gap_m,
                                                    double min_length_m) {
  std::vector<std::vector<LonLat>> out;
  if (points.size() < 3) return out;
  std::vector<geo::Fix> fx;
  for (const LonLat& p : points) fx.push_back(geo::fix_of(p.lat, p.lon));
  const geo::Projection proj = geo::projection_for(fx);
  std::vector<geo::XY> xy;
  double mx = 0, my = 0;
  for (const geo::Fix& f : fx) {
    xy.push_back(proj.to_xy(f));
    mx += xy.back().x, my += xy.back().y;
  }
  mx /= xy.size(), my /= xy.size();
  double sxx = 0, syy = 0, sxy = 0;
  for (const geo::XY& p : xy) {
    sxx += (p.x - mx) * (p.x - mx), syy += (p.y - my) * (p.y - my), sxy += (p.x - mx) * (p.y - my);
  }
  const double angle = 0.5 * std::atan2(2 * sxy, sxx - syy);  // principal axis
  const double ux = std::cos(angle), uy = std::sin(angle);
  std::vector<std::pair<double, double>> along;  // (position along the axis, offset across)
  for (const geo::XY& p : xy) along.push_back({(p.x - mx) * ux + (p.y - my) * uy, -(p.x - mx) * uy + (p.y - my) * ux});
  std::sort(along.begin(), along.end());
  auto emit = [&](size_t a, size_t b) {  // run [a, b)
    if (b - a < 3) return;
    const double len = along[b - 1].first - along[a].first;
    if (len < min_length_m) return;
    double off = 0;
    for (size_t i = a; i < b; ++i) off += along[i].second;
    off /= double(b - a);  // the middle between the rows: where the street runs
    std::vector<LonLat> line;
    for (double t : {along[a].first, along[b - 1].first}) {
      const geo::XY q{mx + t * ux - off * uy, my + t * uy + off * ux};
      const geo::Fix f = proj.to_fix(q);
      line.push_back({geo::from_fix(f.lon), geo::from_fix(f.lat)});
    }
    if (line[0].lon > line[1].lon) std::swap(line[0], line[1]);  // labels read left to right
    out.push_back(std::move(line));
  };
  size_t start = 0;
  for (size_t i = 1; i <= along.size(); ++i)
    if (i == along.size() || along[i].first - along[i - 1].first > max_gap_m) {
      emit(start, i);
      start = i;
    }
  return out;
}

std::vector<SourceLayer> basemap_layers(const BasemapInput& in) {
  SourceLayer earth{"earth", {}}, buildings{"buildings", {}}, roads{"roads", {}}, boundaries{"boundaries", {}},
      places{"places", {}};
  geo::BBox all;  // the land drawn: where the buildings and doors are, not the whole outlines
  for (const auto& b : in.buildings) {
    SourceFeature f = polygon_feature(b);
    f.attrs = {{"kind", std::string("building")}};
    f.min_zoom = 14;
    buildings.features.push_back(std::move(f));
    all.add({b.bbox.min_lon, b.bbox.min_lat});
    all.add({b.bbox.max_lon, b.bbox.max_lat});
  }
  std::map<std::string, std::vector<LonLat>> by_street;
  for (const AddressPoint& a : in.addresses) {
    all.add(geo::fix_of(a.lat, a.lon));
    if (!a.street.empty()) by_street[a.street].push_back({a.lon, a.lat});
    if (a.housenumber.empty()) continue;
    SourceFeature f;
    f.type = mvt::GeomType::point;
    f.parts = {{{a.lon, a.lat}}};
    f.attrs = {{"kind", std::string("address")}, {"addr_housenumber", a.housenumber}};
    if (!a.street.empty()) f.attrs.push_back({"addr_street", a.street});
    f.min_zoom = 17;
    buildings.features.push_back(std::move(f));
  }
  for (const auto& [street, pts] : by_street) {
    for (auto& line : street_label_lines(pts)) {
      SourceFeature f;
      f.type = mvt::GeomType::line;
      f.parts = {std::move(line)};
      f.attrs = {{"kind", std::string("minor_road")}, {"name", street}, {"doorstep_label_only", true}};
      f.min_zoom = 15;
      roads.features.push_back(std::move(f));
    }
  }
  for (const Outline& o : in.outlines) {
    const bool small = o.kind == "block_group";
    for (const geo::Polygon& p : o.shape.polygons) {
      SourceFeature f;
      f.type = mvt::GeomType::line;
      for (const geo::Ring& r : p.rings) f.parts.push_back(ring_lonlat(r, true));
      f.attrs = {{"kind", o.kind}, {"name", o.name}};
      f.min_zoom = small ? 14 : 12;
      boundaries.features.push_back(std::move(f));
    }
    SourceFeature label;
    label.type = mvt::GeomType::point;
    label.parts = {{label_point(o.shape)}};
    label.attrs = {{"kind", o.kind}, {"name", o.name}};
    label.min_zoom = small ? 15 : 12;
    places.features.push_back(std::move(label));
  }
  if (all.empty())
    for (const Outline& o : in.outlines) {
      all.add({o.shape.bbox.min_lon, o.shape.bbox.min_lat});
      all.add({o.shape.bbox.max_lon, o.shape.bbox.max_lat});
    }
  if (!all.empty()) {
    constexpr int64_t kMargin = 50000;  // 0.005 degree, about 500 m of land around the data
    all.min_lon -= kMargin, all.min_lat -= kMargin, all.max_lon += kMargin, all.max_lat += kMargin;
    SourceFeature land = polygon_feature(geo::MultiPolygon{{geo::Polygon{{geo::rect_ring(all.min_lon, all.min_lat, all.max_lon, all.max_lat)}}}, all});
    land.attrs = {{"kind", std::string("earth")}};
    earth.features.push_back(std::move(land));
  }
  return {earth, boundaries, buildings, roads, places};
}

}  // namespace doorstep::tiles
