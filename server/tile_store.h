// The tile archives a server serves: every *.pmtiles and *.mbtiles file in DIR/tiles/, opened
// once at start, asked in name order for a tile by z/x/y (the first archive holding it answers).
// Thread-safe (one lock; archives are not). Leaves out watching the folder: a new archive needs a
// restart, and a broken one is skipped with its error kept for the log.
#pragma once
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "shared/base/json.h"
#include "shared/base/result.h"
#include "shared/tiles/archive.h"

namespace doorstep::server {

struct ServedTile {
  std::string data;
  std::string content_type;      // application/vnd.mapbox-vector-tile, image/png, ...
  std::string content_encoding;  // "" or gzip/br/zstd, as the archive stores it
};

class TileStore {
 public:
  // Opens what it can; problems() says what it could not.
  static std::unique_ptr<TileStore> open(const std::string& dir);
  bool empty() const { return archives_.empty(); }
  const std::vector<std::string>& problems() const { return problems_; }
  std::vector<std::string> names() const;
  // nullopt: no archive has the tile, or the extension ("mvt", "png", ...) is not the archive's.
  Result<std::optional<ServedTile>> get(tiles::TileId t, std::string_view ext);
  // The zooms the archives of this extension cover together; nullopt when none has it.
  std::optional<std::pair<int, int>> zoom_range(std::string_view ext) const;
  // TileJSON 3.0 of the first archive (URL template /tiles/{z}/{x}/{y}.EXT); nullopt when none.
  std::optional<json::Value> tilejson() const;
  // For a package: URL template and attribution of the first archive ("" when none).
  std::string url_template() const;
  std::string attribution() const;

 private:
  struct Entry {
    std::string name;
    std::unique_ptr<tiles::Archive> archive;
  };
  std::mutex mu_;
  std::vector<Entry> archives_;
  std::vector<std::string> problems_;
};

std::string_view tile_content_type(tiles::TileType t);

}  // namespace doorstep::server
