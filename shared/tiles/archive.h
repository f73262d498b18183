// Tile archives: PMTiles v3 (one file, header + varint directories + tile data, as made by
// Protomaps and planetiler) and MBTiles (SQLite), written from tiles in memory and read tile by
// z/x/y. A truncated or corrupt archive is refused on open with Code::corrupt and a message
// naming what is wrong. Leaves out writing compressed directories (the writer stores them plain;
// the reader takes a decompressor for gzip ones) and editing an archive in place.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/result.h"
#include "shared/tiles/tile_math.h"

namespace doorstep::tiles {

// Numbers as in the PMTiles v3 header.
enum class Compression : uint8_t { unknown = 0, none = 1, gzip = 2, brotli = 3, zstd = 4 };
enum class TileType : uint8_t { unknown = 0, mvt = 1, png = 2, jpeg = 3, webp = 4, avif = 5 };

// The Content-Encoding a tile of this compression is served with ("" for none/unknown).
std::string_view content_encoding(Compression c);
std::string_view tile_extension(TileType t);  // "mvt", "png", ...; "" when unknown

struct ArchiveInfo {
  TileType type = TileType::mvt;
  Compression tile_compression = Compression::none;
  int min_zoom = 0, max_zoom = 0;
  double min_lon = -180, min_lat = -85, max_lon = 180, max_lat = 85;
  double center_lon = 0, center_lat = 0;
  int center_zoom = 0;
  std::string metadata_json = "{}";  // PMTiles JSON metadata / MBTiles "json" row (vector_layers)
  std::string name;
  std::string attribution;
  uint64_t tile_count = 0;  // addressed tiles (filled by the readers)
};

struct Tile {
  TileId id;
  std::string data;  // already compressed as info.tile_compression says
};

// Writes every tile (any order; duplicates of the same z/x/y are an error). Identical contents
// are stored once and consecutive identical tiles become one run, as the PMTiles spec allows;
// leaf directories appear when the root would not fit the first 16 KiB.
Status write_pmtiles(const std::string& path, std::vector<Tile> tiles, const ArchiveInfo& info);
Status write_mbtiles(const std::string& path, std::vector<Tile> tiles, const ArchiveInfo& info);

// Turns compressed bytes back into plain ones (the server passes zlib's gzip). Without one, an
// archive with compressed directories is refused with Code::unsupported.
using Decompress = std::function<Result<std::string>(std::string_view data, Compression c)>;

// An open archive. Not safe for concurrent calls on one object: the caller serialises them.
class Archive {
 public:
  virtual ~Archive() = default;
  virtual const ArchiveInfo& info() const = 0;
  // The tile's stored bytes, or nullopt when the archive has no tile there.
  virtual Result<std::optional<std::string>> tile(TileId t) = 0;
};

Result<std::unique_ptr<Archive>> open_pmtiles(const std::string& path, Decompress decompress = {});
Result<std::unique_ptr<Archive>> open_mbtiles(const std::string& path);
// By the file's first bytes: "PMTiles" or "SQLite format 3".
Result<std::unique_ptr<Archive>> open_archive(const std::string& path, Decompress decompress = {});

// ---- PMTiles directory codec (exposed for the tests) ----------------------------------------
struct DirEntry {
  uint64_t tile_id = 0;
  uint64_t offset = 0;
  uint32_t length = 0;
  uint32_t run_length = 0;  // 0: a leaf directory, not a tile
};
std::string encode_directory(const std::vector<DirEntry>& entries);
Result<std::vector<DirEntry>> decode_directory(std::string_view bytes);

}  // namespace doorstep::tiles
