// Turf shapes (see turf_shape.h). Orientation tests are exact on the fixed-point coordinates;
// only the crossing points of a split are rounded back to 1e-7 degree.
#include "shared/route/turf_shape.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace doorstep::turf_shape {

namespace {

using geo::Fix;
using geo::Ring;

int orient(Fix o, Fix a, Fix b) {
  __int128 c = static_cast<__int128>(a.lon - o.lon) * (b.lat - o.lat) - static_cast<__int128>(a.lat - o.lat) * (b.lon - o.lon);
  return c > 0 ? 1 : c < 0 ? -1 : 0;
}

double cross_d(Fix o, Fix a, Fix b) {
  return static_cast<double>(a.lon - o.lon) * static_cast<double>(b.lat - o.lat) -
         static_cast<double>(a.lat - o.lat) * static_cast<double>(b.lon - o.lon);
}

// p collinear with a-b: whether it lies within the segment's box.
bool within(Fix a, Fix b, Fix p) {
  return std::min(a.lon, b.lon) <= p.lon && p.lon <= std::max(a.lon, b.lon) && std::min(a.lat, b.lat) <= p.lat &&
         p.lat <= std::max(a.lat, b.lat);
}

bool on_segment(Fix a, Fix b, Fix p) { return orient(a, b, p) == 0 && within(a, b, p); }

// Segments share at least one point.
bool touch(Fix p1, Fix p2, Fix q1, Fix q2) {
  int o1 = orient(p1, p2, q1), o2 = orient(p1, p2, q2), o3 = orient(q1, q2, p1), o4 = orient(q1, q2, p2);
  if (o1 != o2 && o3 != o4 && o1 && o2 && o3 && o4) return true;
  return (o1 == 0 && within(p1, p2, q1)) || (o2 == 0 && within(p1, p2, q2)) || (o3 == 0 && within(q1, q2, p1)) ||
         (o4 == 0 && within(q1, q2, p2));
}

// Segments cross at one point inside both (no endpoint on the other, not collinear).
bool proper(Fix p1, Fix p2, Fix q1, Fix q2) {
  int o1 = orient(p1, p2, q1), o2 = orient(p1, p2, q2), o3 = orient(q1, q2, p1), o4 = orient(q1, q2, p2);
  return o1 && o2 && o3 && o4 && o1 != o2 && o3 != o4;
}

std::string where(Fix p) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "[%.6f, %.6f]", geo::from_fix(p.lon), geo::from_fix(p.lat));
  return buf;
}

// The first place where two edges of the ring meet other than at their shared corner.
bool ring_crosses_itself(const Ring& r, Fix& at) {
  const size_t n = r.size();
  struct E {
    int64_t x0, x1, y0, y1;
    size_t i;
  };
  std::vector<E> es(n);
  for (size_t i = 0; i < n; ++i) {
    Fix a = r[i], b = r[(i + 1) % n];
    es[i] = E{std::min(a.lon, b.lon), std::max(a.lon, b.lon), std::min(a.lat, b.lat), std::max(a.lat, b.lat), i};
  }
  std::sort(es.begin(), es.end(), [](const E& a, const E& b) { return a.x0 != b.x0 ? a.x0 < b.x0 : a.i < b.i; });
  for (size_t u = 0; u < n; ++u)
    for (size_t v = u + 1; v < n && es[v].x0 <= es[u].x1; ++v) {
      if (es[v].y0 > es[u].y1 || es[u].y0 > es[v].y1) continue;
      size_t i = std::min(es[u].i, es[v].i), j = std::max(es[u].i, es[v].i);
      Fix a = r[i], b = r[(i + 1) % n], c = r[j], d = r[(j + 1) % n];
      bool next = j == i + 1, wrap = i == 0 && j == n - 1;
      if (next || wrap) {
        // Neighbours share a corner; they only go wrong by doubling back along each other.
        Fix shared = next ? b : a, far_i = next ? a : b, far_j = next ? d : c;
        if (orient(shared, far_i, far_j) == 0 && (within(shared, far_i, far_j) || within(shared, far_j, far_i))) {
          at = shared;
          return true;
        }
        continue;
      }
      if (touch(a, b, c, d)) {
        at = a;
        return true;
      }
    }
  return false;
}

geo::MultiPolygon one_ring(Ring r) {
  Ring clean;
  for (const Fix& p : r)
    if (clean.empty() || !(clean.back() == p)) clean.push_back(p);
  while (clean.size() > 1 && clean.front() == clean.back()) clean.pop_back();
  geo::MultiPolygon mp;
  mp.polygons.push_back(geo::Polygon{{std::move(clean)}});
  mp.finish();
  return mp;
}

// A point a few units inside the shape next to the middle of each edge (for overlap tests).
std::vector<Fix> inner_samples(const geo::MultiPolygon& mp) {
  std::vector<Fix> out;
  for (const auto& poly : mp.polygons)
    for (const Ring& r : poly.rings)
      for (size_t i = 0; i < r.size(); ++i) {
        Fix a = r[i], b = r[(i + 1) % r.size()];
        double dx = static_cast<double>(b.lon - a.lon), dy = static_cast<double>(b.lat - a.lat);
        double len = std::hypot(dx, dy);
        if (len < 8) continue;
        Fix m{a.lon + (b.lon - a.lon) / 2, a.lat + (b.lat - a.lat) / 2};
        int64_t nx = std::llround(-dy / len * 3), ny = std::llround(dx / len * 3);
        for (int s : {1, -1}) {
          Fix q{m.lon + s * nx, m.lat + s * ny};
          if (geo::contains(mp, q)) {
            out.push_back(q);
            break;
          }
        }
      }
  return out;
}

}  // namespace

Status check(const geo::MultiPolygon& mp, const Limits& lim) {
  size_t vertices = 0;
  std::vector<Fix> pts;
  for (const auto& poly : mp.polygons)
    for (const Ring& r : poly.rings) {
      vertices += r.size();
      if (vertices > lim.max_vertices)
        return make_error(Code::invalid_argument, "the outline has more than " + std::to_string(lim.max_vertices) + " corners");
      pts.insert(pts.end(), r.begin(), r.end());
    }
  if (mp.polygons.empty() || pts.empty()) return make_error(Code::invalid_argument, "the outline is empty");
  geo::Projection proj = geo::projection_for(pts);
  double span_x = static_cast<double>(mp.bbox.max_lon - mp.bbox.min_lon) * proj.metres_per_unit_lon();
  double span_y = static_cast<double>(mp.bbox.max_lat - mp.bbox.min_lat) * proj.metres_per_unit_lat();
  if (std::max(span_x, span_y) > lim.max_span_m) {
    char msg[160];
    std::snprintf(msg, sizeof msg, "the outline is %.1f km across; at most %.1f km", std::max(span_x, span_y) / 1000,
                  lim.max_span_m / 1000);
    return make_error(Code::invalid_argument, msg);
  }
  for (const auto& poly : mp.polygons)
    for (const Ring& r : poly.rings) {
      Fix at;
      if (ring_crosses_itself(r, at))
        return make_error(Code::invalid_argument, "the outline crosses itself near " + where(at) + "; draw it again without crossing");
    }
  if (geo::area_m2(mp, proj) < 1.0) return make_error(Code::invalid_argument, "the outline encloses no area");
  return Status::Ok();
}

Result<std::vector<Fix>> line_from_geojson(const json::Value& v, size_t max_points) {
  if (!v.is_object()) return make_error(Code::invalid_argument, "line: a GeoJSON LineString");
  const json::Value* type = v.find("type");
  if (type && type->is_string() && type->as_string() == "Feature") {
    const json::Value* g = v.find("geometry");
    if (!g) return make_error(Code::invalid_argument, "line: Feature without geometry");
    return line_from_geojson(*g, max_points);
  }
  if (!type || !type->is_string() || type->as_string() != "LineString")
    return make_error(Code::invalid_argument, "line: a GeoJSON LineString");
  const json::Value* coords = v.find("coordinates");
  if (!coords || !coords->is_array()) return make_error(Code::invalid_argument, "line: LineString without coordinates");
  if (coords->size() > max_points)
    return make_error(Code::invalid_argument, "line: at most " + std::to_string(max_points) + " points");
  std::vector<Fix> out;
  for (const auto& pos : coords->as_array()) {
    if (!pos.is_array() || pos.size() < 2 || !pos.as_array()[0].is_number() || !pos.as_array()[1].is_number())
      return make_error(Code::invalid_argument, "line: a position must be [lon, lat]");
    double lon = pos.as_array()[0].as_double(), lat = pos.as_array()[1].as_double();
    if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) return make_error(Code::invalid_argument, "line: position out of range");
    Fix f{geo::to_fix(lon), geo::to_fix(lat)};
    if (out.empty() || !(out.back() == f)) out.push_back(f);
  }
  if (out.size() < 2) return make_error(Code::invalid_argument, "line: needs two distinct points");
  return out;
}

Result<std::array<geo::MultiPolygon, 2>> split(const geo::MultiPolygon& mp, const std::vector<Fix>& line) {
  if (mp.polygons.size() != 1 || mp.polygons[0].rings.size() != 1)
    return make_error(Code::invalid_argument, "only a turf of one piece without holes can be split; edit its outline instead");
  if (line.size() < 2) return make_error(Code::invalid_argument, "line: needs two distinct points");
  const Ring& r = mp.polygons[0].rings[0];
  const size_t n = r.size();
  auto outside = [&](Fix p) {
    for (size_t i = 0; i < n; ++i)
      if (on_segment(r[i], r[(i + 1) % n], p)) return false;
    return !geo::ring_contains(r, p);
  };
  if (!outside(line.front()) || !outside(line.back()))
    return make_error(Code::invalid_argument, "the split line must start and end outside the turf");
  struct Hit {
    size_t seg, edge;
    double t, u;  // along the line's segment, along the edge
    Fix at;
  };
  std::vector<Hit> hits;
  for (size_t s = 0; s + 1 < line.size(); ++s)
    for (size_t e = 0; e < n; ++e) {
      Fix p1 = line[s], p2 = line[s + 1], q1 = r[e], q2 = r[(e + 1) % n];
      if (!touch(p1, p2, q1, q2)) continue;
      if (!proper(p1, p2, q1, q2))
        return make_error(Code::invalid_argument, "the split line touches a corner or runs along an edge near " + where(q1) +
                                                      "; draw it a little to the side");
      double a = cross_d(q1, q2, p1), b = cross_d(q1, q2, p2);
      double t = a / (a - b);
      double c = cross_d(p1, p2, q1), d = cross_d(p1, p2, q2);
      double u = c / (c - d);
      Fix at{std::llround(static_cast<double>(p1.lon) + t * static_cast<double>(p2.lon - p1.lon)),
             std::llround(static_cast<double>(p1.lat) + t * static_cast<double>(p2.lat - p1.lat))};
      hits.push_back(Hit{s, e, t, u, at});
    }
  if (hits.empty()) return make_error(Code::invalid_argument, "the split line misses the turf");
  if (hits.size() != 2)
    return make_error(Code::invalid_argument, "the split line crosses the turf's edge " + std::to_string(hits.size()) +
                                                  " times; it must go in once and out once");
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return a.seg != b.seg ? a.seg < b.seg : a.t < b.t; });
  const Hit &h1 = hits[0], &h2 = hits[1];
  std::vector<Fix> cut{h1.at};  // I1, the line's corners inside, I2
  for (size_t s = h1.seg + 1; s <= h2.seg; ++s) cut.push_back(line[s]);
  cut.push_back(h2.at);
  std::vector<Fix> rev(cut.rbegin(), cut.rend());
  Ring a, b;
  auto walk = [&](Ring& out, size_t from, size_t to) {  // ring corners from index `from` to `to`, forward
    for (size_t k = from;; k = (k + 1) % n) {
      out.push_back(r[k]);
      if (k == to) break;
    }
  };
  if (h1.edge != h2.edge) {
    a = cut;
    walk(a, (h2.edge + 1) % n, h1.edge);
    b = rev;
    walk(b, (h1.edge + 1) % n, h2.edge);
  } else {
    // In and out through one edge: a pocket bounded by the line and that edge, and the rest.
    a = cut;
    if (h1.u < h2.u) {
      b = cut;
      walk(b, (h1.edge + 1) % n, h1.edge);
    } else {
      b = rev;
      walk(b, (h1.edge + 1) % n, h1.edge);
    }
  }
  std::array<geo::MultiPolygon, 2> out{one_ring(std::move(a)), one_ring(std::move(b))};
  for (const auto& piece : out)
    if (piece.polygons[0].rings[0].size() < 3) return make_error(Code::invalid_argument, "the split leaves a piece with no area");
  return out;
}

bool overlap(const geo::MultiPolygon& a, const geo::MultiPolygon& b) {
  if (a.bbox.empty() || b.bbox.empty() || a.bbox.max_lon < b.bbox.min_lon || b.bbox.max_lon < a.bbox.min_lon ||
      a.bbox.max_lat < b.bbox.min_lat || b.bbox.max_lat < a.bbox.min_lat)
    return false;
  for (const auto& pa : a.polygons)
    for (const Ring& ra : pa.rings)
      for (size_t i = 0; i < ra.size(); ++i)
        for (const auto& pb : b.polygons)
          for (const Ring& rb : pb.rings)
            for (size_t j = 0; j < rb.size(); ++j)
              if (proper(ra[i], ra[(i + 1) % ra.size()], rb[j], rb[(j + 1) % rb.size()])) return true;
  for (const Fix& p : inner_samples(a))
    if (geo::contains(b, p)) return true;
  for (const Fix& p : inner_samples(b))
    if (geo::contains(a, p)) return true;
  return false;
}

geo::MultiPolygon join(const std::vector<geo::MultiPolygon>& parts) {
  bool apart = true;
  for (size_t i = 0; i < parts.size() && apart; ++i)
    for (size_t j = i + 1; j < parts.size() && apart; ++j) apart = !overlap(parts[i], parts[j]);
  geo::MultiPolygon out;
  if (apart) {
    for (const auto& p : parts) out.polygons.insert(out.polygons.end(), p.polygons.begin(), p.polygons.end());
  } else {
    std::vector<Fix> pts;
    for (const auto& p : parts)
      for (const auto& poly : p.polygons)
        if (!poly.rings.empty()) pts.insert(pts.end(), poly.rings[0].begin(), poly.rings[0].end());
    out.polygons.push_back(geo::Polygon{{geo::convex_hull(std::move(pts))}});
  }
  out.finish();
  return out;
}

double distance_m(const geo::MultiPolygon& mp, Fix p, const geo::Projection& proj) {
  if (geo::contains(mp, p)) return 0;
  return geo::distance_to_edges_m(mp, p, proj);
}

}  // namespace doorstep::turf_shape
