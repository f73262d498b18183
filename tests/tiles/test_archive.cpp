// Tests for shared/tiles/archive: PMTiles v3 and MBTiles written and read back tile by z/x/y;
// the directory codec; deduplicated and run-length tiles; leaf directories; and truncated or
// corrupt archives refused on open with a message that says what is wrong.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "shared/tiles/archive.h"

using namespace doorstep;
using namespace doorstep::tiles;

namespace {
std::string temp_path(const std::string& name) {
  return std::string(DOORSTEP_SOURCE_DIR) + "/build/test-" + name;  // build/ is never committed
}
std::string slurp(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
void spit(const std::string& p, const std::string& b) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << b;
}
ArchiveInfo demo_info() {
  ArchiveInfo i;
  i.min_zoom = 0;
  i.max_zoom = 17;
  i.min_lon = -118.47;
  i.min_lat = 33.99;
  i.max_lon = -118.45;
  i.max_lat = 34.01;
  i.center_lon = -118.46;
  i.center_lat = 34.0;
  i.center_zoom = 15;
  i.metadata_json = R"({"vector_layers":[{"id":"buildings","fields":{}}]})";
  i.name = "test";
  return i;
}
std::vector<Tile> sample_tiles() {
  return {{{0, 0, 0}, "world"}, {{1, 1, 0}, "one-one-zero"}, {{1, 0, 1}, "same"},
          {{1, 1, 1}, "same"},  {{17, 22407, 52358}, "palms"}, {{2, 3, 3}, "same"}};
}
void check_sample(Archive& a) {
  CHECK(a.tile({0, 0, 0}).value() == std::optional<std::string>("world"));
  CHECK(a.tile({1, 1, 0}).value() == std::optional<std::string>("one-one-zero"));
  CHECK(a.tile({1, 0, 1}).value() == std::optional<std::string>("same"));
  CHECK(a.tile({1, 1, 1}).value() == std::optional<std::string>("same"));
  CHECK(a.tile({2, 3, 3}).value() == std::optional<std::string>("same"));
  CHECK(a.tile({17, 22407, 52358}).value() == std::optional<std::string>("palms"));
  CHECK_FALSE(a.tile({1, 0, 0}).value().has_value());
  CHECK_FALSE(a.tile({17, 22407, 52359}).value().has_value());
  CHECK_FALSE(a.tile({3, 9, 0}).value().has_value());   // x beyond the zoom level
  CHECK_FALSE(a.tile({20, 0, 0}).value().has_value());  // beyond max zoom
}
}  // namespace

TEST_CASE("pmtiles directory codec round-trips and refuses garbage") {
  std::vector<DirEntry> e{{0, 0, 5, 1}, {1, 5, 7, 3}, {9, 12, 4, 1}, {20, 100, 4, 0}};
  auto back = decode_directory(encode_directory(e));
  REQUIRE(back.ok());
  REQUIRE(back->size() == 4);
  for (size_t i = 0; i < e.size(); ++i) {
    CHECK((*back)[i].tile_id == e[i].tile_id);
    CHECK((*back)[i].offset == e[i].offset);
    CHECK((*back)[i].length == e[i].length);
    CHECK((*back)[i].run_length == e[i].run_length);
  }
  const std::string bytes = encode_directory(e);
  CHECK_FALSE(decode_directory(bytes.substr(0, bytes.size() - 2)).ok());
  CHECK_FALSE(decode_directory(std::string("\xff\xff\xff\x7f", 4)).ok());  // a count with no entries
}

TEST_CASE("pmtiles archive round trip: header, directory, tiles by z/x/y") {
  const std::string p = temp_path("round.pmtiles");
  REQUIRE(write_pmtiles(p, sample_tiles(), demo_info()).ok());
  const std::string bytes = slurp(p);
  CHECK(bytes.substr(0, 7) == "PMTiles");
  CHECK(bytes[7] == 3);
  // "same" is stored once; 1/0/1 and 1/1/1 are consecutive ids with one content: one run.
  CHECK(bytes.find("same") == bytes.rfind("same"));
  auto a = open_archive(p);
  REQUIRE_MESSAGE(a.ok(), a.error().message);
  const ArchiveInfo& i = (*a)->info();
  CHECK(i.type == TileType::mvt);
  CHECK(i.tile_compression == Compression::none);
  CHECK(i.min_zoom == 0);
  CHECK(i.max_zoom == 17);
  CHECK(i.min_lon == doctest::Approx(-118.47));
  CHECK(i.max_lat == doctest::Approx(34.01));
  CHECK(i.center_zoom == 15);
  CHECK(i.tile_count == 6);
  // The name goes into the JSON metadata, beside what was there.
  CHECK(i.metadata_json == R"({"vector_layers":[{"id":"buildings","fields":{}}],"name":"test"})");
  CHECK(i.name == "test");
  check_sample(**a);
  std::remove(p.c_str());
}

TEST_CASE("pmtiles archive with leaf directories finds every tile") {
  const std::string p = temp_path("leaves.pmtiles");
  std::vector<Tile> tiles;
  for (uint32_t x = 0; x < 128; ++x)
    for (uint32_t y = 0; y < 64; ++y) tiles.push_back({{7, x, y}, std::to_string(x) + "/" + std::to_string(y)});
  ArchiveInfo info = demo_info();
  info.min_zoom = info.max_zoom = 7;
  REQUIRE(write_pmtiles(p, tiles, info).ok());
  const std::string bytes = slurp(p);
  uint64_t leaf_len = 0;
  for (int k = 0; k < 8; ++k) leaf_len |= uint64_t(uint8_t(bytes[48 + k])) << (8 * k);
  CHECK(leaf_len > 0);  // 8192 distinct tiles do not fit a 16 KiB root
  auto a = open_pmtiles(p);
  REQUIRE(a.ok());
  for (uint32_t x = 0; x < 128; x += 9)
    for (uint32_t y = 0; y < 64; y += 7)
      CHECK((*a)->tile({7, x, y}).value() == std::optional<std::string>(std::to_string(x) + "/" + std::to_string(y)));
  CHECK_FALSE((*a)->tile({7, 0, 64}).value().has_value());
  std::remove(p.c_str());
}

TEST_CASE("pmtiles writer refuses a tile given twice or outside its zoom") {
  const std::string p = temp_path("dup.pmtiles");
  CHECK(write_pmtiles(p, {{{1, 0, 0}, "a"}, {{1, 0, 0}, "b"}}, demo_info()).error().message.find("given twice") !=
        std::string::npos);
  CHECK(write_pmtiles(p, {{{1, 2, 0}, "a"}}, demo_info()).error().code == Code::invalid_argument);
}

TEST_CASE("pmtiles reader refuses truncated and corrupt archives with a clear error") {
  const std::string p = temp_path("good.pmtiles"), q = temp_path("bad.pmtiles");
  REQUIRE(write_pmtiles(p, sample_tiles(), demo_info()).ok());
  const std::string good = slurp(p);

  spit(q, good.substr(0, 100));
  auto r = open_archive(q);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Code::corrupt);
  CHECK(r.error().message.find("shorter than the 127-byte header") != std::string::npos);

  spit(q, good.substr(0, good.size() - 4));
  r = open_archive(q);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Code::corrupt);
  CHECK(r.error().message.find("truncated: the tile data ends at byte") != std::string::npos);

  std::string bad = good;
  bad[0] = 'X';
  spit(q, bad);
  r = open_archive(q);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("neither a PMTiles nor an MBTiles") != std::string::npos);

  bad = good;
  bad[7] = 2;
  spit(q, bad);
  r = open_pmtiles(q);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Code::unsupported);

  bad = good;
  bad[127] = '\xff';  // the root directory's entry count becomes a runaway varint
  bad[128] = '\xff';
  spit(q, bad);
  r = open_pmtiles(q);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Code::corrupt);
  CHECK(r.error().message.find("directory") != std::string::npos);

  bad = good;
  bad[97] = 2;  // claims gzip directories; no decompressor given
  spit(q, bad);
  r = open_pmtiles(q);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Code::unsupported);

  CHECK(open_archive(temp_path("missing.pmtiles")).error().code == Code::not_found);
  std::remove(p.c_str());
  std::remove(q.c_str());
}

TEST_CASE("mbtiles archive round trip in TMS rows, and non-archives refused") {
  const std::string p = temp_path("round.mbtiles");
  std::remove(p.c_str());
  REQUIRE(write_mbtiles(p, sample_tiles(), demo_info()).ok());
  auto a = open_archive(p);
  REQUIRE_MESSAGE(a.ok(), a.error().message);
  const ArchiveInfo& i = (*a)->info();
  CHECK(i.type == TileType::mvt);
  CHECK(i.min_zoom == 0);
  CHECK(i.max_zoom == 17);
  CHECK(i.tile_count == 6);
  CHECK(i.name == "test");
  CHECK(i.center_zoom == 15);
  CHECK(i.min_lat == doctest::Approx(33.99));
  CHECK(i.metadata_json == demo_info().metadata_json);
  check_sample(**a);

  const std::string q = temp_path("plain.sqlite");
  std::remove(q.c_str());
  {
    std::string head = slurp(p).substr(0, 4096);  // a SQLite header with nothing behind it
    spit(q, head);
  }
  auto b = open_archive(q);
  REQUIRE_FALSE(b.ok());
  CHECK(b.error().message.find("not a usable MBTiles archive") != std::string::npos);
  std::remove(p.c_str());
  std::remove(q.c_str());
}
