// Tiler (see tiler.h). Each feature is projected to world coordinates once; per zoom it visits
// only the tiles its bounding box touches.
#include "shared/tiles/tiler.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "shared/base/json.h"
#include "shared/tiles/clip.h"

namespace doorstep::tiles {

namespace {
struct Prepared {
  const SourceFeature* src = nullptr;
  std::vector<Line> world;  // parts in world units [0,1)
  double min_x = 1, min_y = 1, max_x = 0, max_y = 0;
};

mvt::Path to_path(const Line& l) {
  mvt::Path p;
  p.reserve(l.size());
  for (const P& q : l) {
    const mvt::Point pt{static_cast<int32_t>(std::lround(q.x)), static_cast<int32_t>(std::lround(q.y))};
    if (p.empty() || !(p.back() == pt)) p.push_back(pt);
  }
  if (p.size() > 1 && p.front() == p.back()) p.pop_back();
  return p;
}

// The feature's geometry in one tile, or an empty feature when nothing of it lies there.
mvt::Feature cut(const Prepared& f, int z, uint32_t tx, uint32_t ty, const TilerOptions& o) {
  const double scale = std::ldexp(1.0, z) * o.extent;
  const double ox = double(tx) * o.extent, oy = double(ty) * o.extent;
  const double b = o.buffer;
  const Box box{-b, -b, o.extent + b, o.extent + b};
  mvt::Feature out;
  out.type = f.src->type;
  out.id = f.src->id;
  bool exterior_kept = false;  // a hole goes with the exterior before it
  for (size_t i = 0; i < f.world.size(); ++i) {
    Line local;
    local.reserve(f.world[i].size());
    for (const P& p : f.world[i]) local.push_back(P{p.x * scale - ox, p.y * scale - oy});
    if (out.type == mvt::GeomType::point) {
      mvt::Path pts;
      for (const P& p : local)  // a point belongs to one tile only, so a label is placed once
        if (p.x >= 0 && p.x < o.extent && p.y >= 0 && p.y < o.extent)
          pts.push_back({static_cast<int32_t>(std::floor(p.x)), static_cast<int32_t>(std::floor(p.y))});
      if (!pts.empty()) out.parts.push_back(std::move(pts));
    } else if (out.type == mvt::GeomType::line) {
      for (Line& piece : clip_line(local, box)) {
        mvt::Path p = to_path(simplify(piece, o.tolerance, false));
        if (p.size() >= 2) out.parts.push_back(std::move(p));
      }
    } else {
      const bool hole = i < f.src->is_hole.size() && f.src->is_hole[i];
      if (hole && !exterior_kept) continue;  // its exterior fell outside this tile
      Line clipped = clip_ring(local, box);
      mvt::Path p = to_path(simplify(clipped, o.tolerance, true));
      const bool keep = p.size() >= 3 && mvt::ring_area(p) != 0;
      if (!hole) exterior_kept = keep;
      if (!keep) continue;
      out.parts.push_back(std::move(p));
      out.is_hole.push_back(hole);
    }
  }
  if (!out.parts.empty()) out.attrs = f.src->attrs;
  return out;
}

json::Value attr_type(const mvt::AttrValue& v) {
  if (std::holds_alternative<std::string>(v)) return "String";
  if (std::holds_alternative<bool>(v)) return "Boolean";
  return "Number";
}
}  // namespace

Result<TileSet> build_tiles(const std::vector<SourceLayer>& layers, const TilerOptions& o) {
  if (o.min_zoom < 0 || o.max_zoom > kMaxZoom || o.min_zoom > o.max_zoom)
    return make_error(Code::invalid_argument, "tiler: zoom range " + std::to_string(o.min_zoom) + "-" +
                                                  std::to_string(o.max_zoom) + " is not within 0-26");
  std::vector<std::vector<Prepared>> prepared(layers.size());
  double min_lon = 180, min_lat = 90, max_lon = -180, max_lat = -90;
  for (size_t li = 0; li < layers.size(); ++li) {
    for (const SourceFeature& sf : layers[li].features) {
      Prepared p;
      p.src = &sf;
      for (const auto& part : sf.parts) {
        Line w;
        for (const LonLat& ll : part) {
          if (!(std::fabs(ll.lat) <= kMaxLat) || !(std::fabs(ll.lon) <= 180))
            return make_error(Code::invalid_argument, "tiler: layer '" + layers[li].name + "' has a point outside the map (" +
                                                          std::to_string(ll.lon) + ", " + std::to_string(ll.lat) + ")");
          const WorldXY xy = world_of(ll.lon, ll.lat);
          w.push_back(P{xy.x, xy.y});
          p.min_x = std::min(p.min_x, xy.x), p.max_x = std::max(p.max_x, xy.x);
          p.min_y = std::min(p.min_y, xy.y), p.max_y = std::max(p.max_y, xy.y);
          min_lon = std::min(min_lon, ll.lon), max_lon = std::max(max_lon, ll.lon);
          min_lat = std::min(min_lat, ll.lat), max_lat = std::max(max_lat, ll.lat);
        }
        p.world.push_back(std::move(w));
      }
      if (p.world.empty() || p.world[0].empty())
        return make_error(Code::invalid_argument, "tiler: layer '" + layers[li].name + "' has a feature with no geometry");
      prepared[li].push_back(std::move(p));
    }
  }
  TileSet set;
  std::map<TileId, std::vector<mvt::Layer>> tiles;
  for (int z = o.min_zoom; z <= o.max_zoom; ++z) {
    const double n = std::ldexp(1.0, z);
    const double pad = double(o.buffer) / o.extent;  // in tiles
    for (size_t li = 0; li < layers.size(); ++li) {
      for (const Prepared& f : prepared[li]) {
        if (z < f.src->min_zoom || z > f.src->max_zoom) continue;
        const auto lo = [&](double v) { return static_cast<uint32_t>(std::clamp(std::floor(v * n - pad), 0.0, n - 1)); };
        const auto hi = [&](double v) { return static_cast<uint32_t>(std::clamp(std::floor(v * n + pad), 0.0, n - 1)); };
        for (uint32_t x = lo(f.min_x); x <= hi(f.max_x); ++x) {
          for (uint32_t y = lo(f.min_y); y <= hi(f.max_y); ++y) {
            mvt::Feature piece = cut(f, z, x, y, o);
            if (piece.parts.empty()) continue;
            auto& tl = tiles[TileId{z, x, y}];
            if (tl.size() != layers.size()) {
              tl.resize(layers.size());
              for (size_t k = 0; k < layers.size(); ++k) tl[k] = mvt::Layer{layers[k].name, o.extent, {}};
            }
            tl[li].features.push_back(std::move(piece));
          }
        }
      }
    }
  }
  for (auto& [id, tl] : tiles) {
    std::string bytes = mvt::encode(tl);
    if (!bytes.empty()) set.tiles.push_back(Tile{id, std::move(bytes)});
  }
  ArchiveInfo& info = set.info;
  info.type = TileType::mvt;
  info.tile_compression = Compression::none;
  info.min_zoom = o.min_zoom;
  info.max_zoom = o.max_zoom;
  if (min_lon <= max_lon) {
    info.min_lon = min_lon, info.min_lat = min_lat, info.max_lon = max_lon, info.max_lat = max_lat;
    info.center_lon = (min_lon + max_lon) / 2, info.center_lat = (min_lat + max_lat) / 2;
  }
  info.center_zoom = std::clamp(16, o.min_zoom, o.max_zoom);
  json::Value vl = json::Value::array();
  for (const SourceLayer& l : layers) {
    json::Value fields = json::Value::object();
    int lmin = 99, lmax = -1;
    for (const SourceFeature& f : l.features) {
      for (const auto& [k, v] : f.attrs)
        if (!fields.find(k)) fields.set(k, attr_type(v));
      lmin = std::min(lmin, std::max(f.min_zoom, o.min_zoom));
      lmax = std::max(lmax, std::min(f.max_zoom, o.max_zoom));
    }
    if (lmax < 0) continue;
    json::Value e = json::Value::object();
    e.set("id", l.name);
    e.set("fields", fields);
    e.set("minzoom", lmin);
    e.set("maxzoom", lmax);
    vl.push(e);
  }
  json::Value meta = json::Value::object();
  if (!o.name.empty()) meta.set("name", o.name);
  if (!o.attribution.empty()) meta.set("attribution", o.attribution);
  meta.set("vector_layers", vl);
  info.name = o.name;
  info.attribution = o.attribution;
  info.metadata_json = json::dump(meta);
  return set;
}

}  // namespace doorstep::tiles
