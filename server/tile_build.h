// Building a base-map archive from files (footprints GeoJSON, address-point CSV, outline GeoJSON)
// for `doorstep tiles build` and `doorstep demo`, and opening archives with gzip directories
// (zlib lives here, at the edge, not in shared/). Leaves the cutting to shared/tiles.
#pragma once
#include <string>
#include <vector>

#include "shared/base/json.h"
#include "shared/base/result.h"
#include "shared/tiles/archive.h"
#include "shared/tiles/tiler.h"

namespace doorstep::server {

struct BasemapFiles {
  std::vector<std::string> buildings;  // GeoJSON FeatureCollections of footprints
  std::string addresses;               // CSV with lat, lon, housenumber, street ("" = none)
  std::vector<std::string> outlines;   // GeoJSON with properties kind and name
};

struct BasemapReport {
  std::string path;
  size_t buildings = 0, addresses = 0, outlines = 0;
  size_t tiles = 0;
  uint64_t bytes = 0;
  double build_ms = 0;
  json::Value to_json() const;
};

// Writes PMTiles, or MBTiles when `out` ends in .mbtiles. opts.name and opts.attribution go into
// the archive's metadata.
Result<BasemapReport> build_basemap(const BasemapFiles& in, const std::string& out, const tiles::TilerOptions& opts);

// gzip/zlib decompression for archives whose directories or tiles are compressed.
Result<std::string> gunzip(std::string_view data, tiles::Compression c);

Result<std::string> read_file(const std::string& path);

}  // namespace doorstep::server
