// Tile archives in DIR/tiles/ (see tile_store.h).
#include "server/tile_store.h"

#include <algorithm>
#include <filesystem>

#include "server/tile_build.h"

namespace doorstep::server {

std::string_view tile_content_type(tiles::TileType t) {
  switch (t) {
    case tiles::TileType::mvt: return "application/vnd.mapbox-vector-tile";
    case tiles::TileType::png: return "image/png";
    case tiles::TileType::jpeg: return "image/jpeg";
    case tiles::TileType::webp: return "image/webp";
    case tiles::TileType::avif: return "image/avif";
    default: return "application/octet-stream";
  }
}

std::unique_ptr<TileStore> TileStore::open(const std::string& dir) {
  auto s = std::make_unique<TileStore>();
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    const std::string ext = e.path().extension().string();
    if (e.is_regular_file() && (ext == ".pmtiles" || ext == ".mbtiles")) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    auto a = tiles::open_archive(f.string(), gunzip);
    if (!a.ok()) {
      s->problems_.push_back(a.error().message);
      continue;
    }
    s->archives_.push_back({f.filename().string(), std::move(*a)});
  }
  return s;
}

std::vector<std::string> TileStore::names() const {
  std::vector<std::string> out;
  for (const auto& e : archives_) out.push_back(e.name);
  return out;
}

std::optional<std::pair<int, int>> TileStore::zoom_range(std::string_view ext) const {
  std::optional<std::pair<int, int>> r;
  for (const auto& e : archives_) {
    const tiles::ArchiveInfo& i = e.archive->info();  // fixed at open: no lock needed
    if (tiles::tile_extension(i.type) != ext) continue;
    if (!r) r = std::pair<int, int>{i.min_zoom, i.max_zoom};
    else r = std::pair<int, int>{std::min(r->first, i.min_zoom), std::max(r->second, i.max_zoom)};
  }
  return r;
}

std::string TileStore::url_template() const {
  if (archives_.empty()) return "";
  return "/tiles/{z}/{x}/{y}." + std::string(tiles::tile_extension(archives_[0].archive->info().type));
}

std::string TileStore::attribution() const { return archives_.empty() ? "" : archives_[0].archive->info().attribution; }

std::optional<json::Value> TileStore::tilejson() const {
  if (archives_.empty()) return std::nullopt;
  const tiles::ArchiveInfo& i = archives_[0].archive->info();
  json::Value v = json::Value::object();
  v.set("tilejson", "3.0.0");
  v.set("name", i.name);
  v.set("attribution", i.attribution);
  v.set("tiles", json::Array{json::Value(url_template())});
  v.set("minzoom", i.min_zoom);
  v.set("maxzoom", i.max_zoom);
  v.set("bounds", json::Array{i.min_lon, i.min_lat, i.max_lon, i.max_lat});
  v.set("center", json::Array{i.center_lon, i.center_lat, i.center_zoom});
  if (auto meta = json::parse(i.metadata_json); meta.ok() && meta->is_object())
    if (const json::Value* vl = meta->find("vector_layers")) v.set("vector_layers", *vl);
  return v;
}

Result<std::optional<ServedTile>> TileStore::get(tiles::TileId t, std::string_view ext) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& e : archives_) {
    const tiles::ArchiveInfo& info = e.archive->info();
    if (tiles::tile_extension(info.type) != ext) continue;
    auto r = e.archive->tile(t);
    if (!r.ok()) return r.error();
    if (!r->has_value()) continue;
    ServedTile st;
    st.data = std::move(**r);
    st.content_type = std::string(tile_content_type(info.type));
    st.content_encoding = std::string(tiles::content_encoding(info.tile_compression));
    return std::optional<ServedTile>(std::move(st));
  }
  return std::optional<ServedTile>();
}

}  // namespace doorstep::server
