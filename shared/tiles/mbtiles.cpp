// MBTiles 1.3 writer and reader (see archive.h): SQLite tables `metadata` and `tiles`, rows in
// TMS order (tile_row counted from the south), as Mapbox and GDAL write them.
#include <cstdio>

#include <sqlite3.h>

#include "shared/store/store.h"
#include "shared/tiles/archive.h"

namespace doorstep::tiles {

namespace {
uint32_t tms_row(TileId t) { return (uint32_t(1) << t.z) - 1 - t.y; }

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.7f", v);
  return buf;
}

class MbtilesArchive final : public Archive {
 public:
  const ArchiveInfo& info() const override { return info_; }
  Result<std::optional<std::string>> tile(TileId t) override {
    if (t.z > kMaxZoom || t.x >> t.z || t.y >> t.z) return std::optional<std::string>();
    auto st = db_.cached_static("SELECT tile_data FROM tiles WHERE zoom_level=?1 AND tile_column=?2 AND tile_row=?3");
    if (!st.ok()) return st.error();
    store::Stmt& s = **st;
    s.bind_all(int64_t(t.z), int64_t(t.x), int64_t(tms_row(t)));
    auto row = s.step();
    if (!row.ok()) return row.error();
    if (!*row) {
      s.reset();
      return std::optional<std::string>();
    }
    const void* p = sqlite3_column_blob(s.handle(), 0);
    std::string data(static_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(s.handle(), 0)));
    s.reset();
    return std::optional<std::string>(std::move(data));
  }

  static Result<std::unique_ptr<Archive>> open(const std::string& path) {
    store::OpenOptions o;
    o.create = false;
    o.read_only = true;
    o.migrate_core = false;
    auto db = store::Db::open(path, o);
    if (!db.ok()) return make_error(db.error().code, path + ": not a usable MBTiles archive: " + db.error().message);
    auto a = std::make_unique<MbtilesArchive>();
    a->db_ = std::move(*db);
    auto meta = a->db_.prepare("SELECT name, value FROM metadata");
    if (!meta.ok())
      return make_error(Code::corrupt, path + ": not a usable MBTiles archive: no metadata table (" + meta.error().message + ")");
    ArchiveInfo& i = a->info_;
    i.tile_compression = Compression::none;
    bool have_minz = false, have_maxz = false;
    for (;;) {
      auto r = meta->step();
      if (!r.ok()) return make_error(Code::corrupt, path + ": " + r.error().message);
      if (!*r) break;
      const std::string k = meta->text(0), v = meta->text(1);
      if (k == "format") i.type = v == "pbf" ? TileType::mvt : v == "png" ? TileType::png : v == "jpg" ? TileType::jpeg
                                  : v == "webp" ? TileType::webp : TileType::unknown;
      else if (k == "minzoom") i.min_zoom = std::atoi(v.c_str()), have_minz = true;
      else if (k == "maxzoom") i.max_zoom = std::atoi(v.c_str()), have_maxz = true;
      else if (k == "name") i.name = v;
      else if (k == "attribution") i.attribution = v;
      else if (k == "json") i.metadata_json = v;
      else if (k == "bounds") std::sscanf(v.c_str(), "%lf,%lf,%lf,%lf", &i.min_lon, &i.min_lat, &i.max_lon, &i.max_lat);
      else if (k == "center") std::sscanf(v.c_str(), "%lf,%lf,%d", &i.center_lon, &i.center_lat, &i.center_zoom);
    }
    auto probe = a->db_.prepare("SELECT count(*), min(zoom_level), max(zoom_level) FROM tiles");
    if (!probe.ok())
      return make_error(Code::corrupt, path + ": not a usable MBTiles archive: no tiles table (" + probe.error().message + ")");
    auto r = probe->step();
    if (!r.ok()) return make_error(Code::corrupt, path + ": " + r.error().message);
    i.tile_count = static_cast<uint64_t>(probe->int64(0));
    if (!have_minz) i.min_zoom = static_cast<int>(probe->int64(1));
    if (!have_maxz) i.max_zoom = static_cast<int>(probe->int64(2));
    // MBTiles has no compression field; vector tiles are conventionally gzip. Look at one.
    auto first = a->db_.prepare("SELECT substr(tile_data, 1, 2) FROM tiles LIMIT 1");
    if (first.ok()) {
      auto fr = first->step();
      if (fr.ok() && *fr && sqlite3_column_bytes(first->handle(), 0) == 2) {
        const auto* b = static_cast<const unsigned char*>(sqlite3_column_blob(first->handle(), 0));
        if (b[0] == 0x1f && b[1] == 0x8b) i.tile_compression = Compression::gzip;
      }
    }
    return std::unique_ptr<Archive>(std::move(a));
  }

 private:
  store::Db db_;
  ArchiveInfo info_;
};
}  // namespace

Status write_mbtiles(const std::string& path, std::vector<Tile> tiles, const ArchiveInfo& info) {
  const std::string tmp = path + ".tmp";
  std::remove(tmp.c_str());
  store::OpenOptions o;
  o.migrate_core = false;
  Status done;
  {
    auto db = store::Db::open(tmp, o);
    if (!db.ok()) return db.error();
    Status s = db->exec(
        "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
        "CREATE TABLE metadata (name TEXT, value TEXT);"
        "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);"
        "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);");
    if (!s.ok()) return s;
    store::Transaction tx(*db);
    if (!tx.status().ok()) return tx.status();
    auto m = db->prepare("INSERT INTO metadata VALUES (?1, ?2)");
    if (!m.ok()) return m.error();
    const std::string format = info.type == TileType::mvt ? "pbf" : std::string(tile_extension(info.type));
    const std::pair<const char*, std::string> rows[] = {
        {"name", info.name},
        {"format", format},
        {"minzoom", std::to_string(info.min_zoom)},
        {"maxzoom", std::to_string(info.max_zoom)},
        {"bounds", fmt(info.min_lon) + "," + fmt(info.min_lat) + "," + fmt(info.max_lon) + "," + fmt(info.max_lat)},
        {"center", fmt(info.center_lon) + "," + fmt(info.center_lat) + "," + std::to_string(info.center_zoom)},
        {"attribution", info.attribution},
        {"json", info.metadata_json},
        {"type", "baselayer"},
    };
    for (const auto& [k, v] : rows) {
      Status r = m->bind_all(k, v).run();
      if (!r.ok()) return r;
    }
    auto t = db->prepare("INSERT INTO tiles VALUES (?1, ?2, ?3, ?4)");
    if (!t.ok()) return t.error();
    for (const Tile& tile : tiles) {
      if (tile.id.z > kMaxZoom || tile.id.x >> tile.id.z || tile.id.y >> tile.id.z)
        return make_error(Code::invalid_argument, "tile outside its zoom level");
      t->bind_all(int64_t(tile.id.z), int64_t(tile.id.x), int64_t(tms_row(tile.id)));
      sqlite3_bind_blob(t->handle(), 4, tile.data.data(), static_cast<int>(tile.data.size()), SQLITE_TRANSIENT);
      Status r = t->run();
      if (!r.ok())
        return make_error(r.error().code == Code::conflict ? Code::invalid_argument : r.error().code,
                          "tile " + std::to_string(tile.id.z) + "/" + std::to_string(tile.id.x) + "/" +
                              std::to_string(tile.id.y) + ": " + r.error().message);
    }
    done = tx.commit();
  }
  if (!done.ok()) return done;
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return make_error(Code::io, path + ": cannot replace");
  return Status::Ok();
}

Result<std::unique_ptr<Archive>> open_mbtiles(const std::string& path) { return MbtilesArchive::open(path); }

std::string_view content_encoding(Compression c) {
  switch (c) {
    case Compression::gzip: return "gzip";
    case Compression::brotli: return "br";
    case Compression::zstd: return "zstd";
    default: return "";
  }
}

std::string_view tile_extension(TileType t) {
  switch (t) {
    case TileType::mvt: return "mvt";
    case TileType::png: return "png";
    case TileType::jpeg: return "jpg";
    case TileType::webp: return "webp";
    case TileType::avif: return "avif";
    default: return "";
  }
}

Result<std::unique_ptr<Archive>> open_archive(const std::string& path, Decompress decompress) {
  char magic[16] = {};
  if (FILE* f = std::fopen(path.c_str(), "rb")) {
    const size_t n = std::fread(magic, 1, sizeof magic, f);
    std::fclose(f);
    if (n >= 7 && std::string_view(magic, 7) == "PMTiles") return open_pmtiles(path, std::move(decompress));
    if (n == 16 && std::string_view(magic, 15) == "SQLite format 3") return open_mbtiles(path);
    return make_error(Code::corrupt, path + ": neither a PMTiles nor an MBTiles archive");
  }
  return make_error(Code::not_found, path + ": cannot open the tile archive");
}

}  // namespace doorstep::tiles
