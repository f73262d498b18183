// Mapbox Vector Tile 2.1 (protobuf) encoder and decoder for the project's tiler and its tests:
// layers of point, line and polygon features in integer tile coordinates with string, integer,
// double and boolean attributes. Leaves out float values, feature ids beyond uint64 and any
// validation of ring winding beyond what the encoder itself guarantees (exterior clockwise).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "shared/base/result.h"

namespace doorstep::mvt {

enum class GeomType : uint8_t { unknown = 0, point = 1, line = 2, polygon = 3 };

struct Point {
  int32_t x = 0, y = 0;  // tile coordinates, y down; may lie in the buffer outside [0, extent)
  bool operator==(const Point& o) const { return x == o.x && y == o.y; }
};
using Path = std::vector<Point>;  // a ring is implicitly closed (first point not repeated)

using AttrValue = std::variant<std::string, int64_t, double, bool>;

struct Feature {
  GeomType type = GeomType::unknown;
  // point: one path holding every point; line: one path per line; polygon: rings, each exterior
  // followed by its holes, with is_hole[i] saying which (empty: all exterior). The encoder orients
  // exterior rings clockwise (positive area in tile coordinates, as the spec asks) and holes the
  // other way; the decoder sets is_hole from the stored orientation.
  std::vector<Path> parts;
  std::vector<bool> is_hole;
  std::vector<std::pair<std::string, AttrValue>> attrs;
  uint64_t id = 0;  // 0: none
};

struct Layer {
  std::string name;
  uint32_t extent = 4096;
  std::vector<Feature> features;
};

// Encodes layers into one tile. Empty layers and features without geometry are left out.
std::string encode(const std::vector<Layer>& layers);

// Decodes a tile; a malformed buffer is refused with Code::corrupt and where it broke.
// Polygon rings come back in file order with their orientation as stored.
Result<std::vector<Layer>> decode(std::string_view bytes);

// Signed area (surveyor's formula) in tile units: > 0 clockwise on screen (y down).
double ring_area(const Path& ring);

}  // namespace doorstep::mvt
