// PMTiles v3 writer and reader (see archive.h), following the spec at
// github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md: a 127-byte header, a root directory in
// the first 16 KiB, JSON metadata, leaf directories, then tile data clustered in tile-id order.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>

#include "shared/base/json.h"
#include "shared/tiles/archive.h"

namespace doorstep::tiles {

namespace {
constexpr size_t kHeaderSize = 127;
constexpr size_t kRootLimit = 16384;  // header + root directory must fit in the first 16 KiB
constexpr int kMaxLeafDepth = 3;      // the spec's bound; deeper is treated as corrupt

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}
void put_u64(char* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
void put_i32(char* p, int32_t s) {
  const uint32_t v = static_cast<uint32_t>(s);
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
uint64_t get_u64(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= uint64_t(static_cast<uint8_t>(p[i])) << (8 * i);
  return v;
}
int32_t get_i32(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= uint32_t(static_cast<uint8_t>(p[i])) << (8 * i);
  return static_cast<int32_t>(v);
}
int32_t e7(double deg) { return static_cast<int32_t>(deg * 1e7 + (deg < 0 ? -0.5 : 0.5)); }

Error corrupt(const std::string& path, const std::string& what) {
  return make_error(Code::corrupt, path + ": not a usable PMTiles archive: " + what);
}

// Builds root (and, when needed, leaf) directories: leaves grow until the root fits.
void build_directories(const std::vector<DirEntry>& entries, std::string& root, std::string& leaves) {
  root = encode_directory(entries);
  leaves.clear();
  if (root.size() + kHeaderSize <= kRootLimit) return;
  for (size_t per_leaf = 4096;; per_leaf *= 2) {
    std::vector<DirEntry> pointers;
    leaves.clear();
    for (size_t i = 0; i < entries.size(); i += per_leaf) {
      std::vector<DirEntry> chunk(entries.begin() + i, entries.begin() + std::min(entries.size(), i + per_leaf));
      const std::string leaf = encode_directory(chunk);
      pointers.push_back(DirEntry{chunk.front().tile_id, leaves.size(), static_cast<uint32_t>(leaf.size()), 0});
      leaves += leaf;
    }
    root = encode_directory(pointers);
    if (root.size() + kHeaderSize <= kRootLimit) return;
  }
}

class PmtilesArchive final : public Archive {
 public:
  const ArchiveInfo& info() const override { return info_; }

  Result<std::optional<std::string>> tile(TileId t) override {
    if (t.z < info_.min_zoom || t.z > info_.max_zoom || t.z > kMaxZoom || t.x >> t.z || t.y >> t.z)
      return std::optional<std::string>();
    const uint64_t id = pmtiles_id(t);
    std::vector<DirEntry> dir = root_;
    for (int depth = 0; depth <= kMaxLeafDepth; ++depth) {
      // The last entry whose id is <= the wanted one.
      auto it = std::upper_bound(dir.begin(), dir.end(), id,
                                 [](uint64_t v, const DirEntry& e) { return v < e.tile_id; });
      if (it == dir.begin()) return std::optional<std::string>();
      const DirEntry e = *(it - 1);
      if (e.run_length > 0) {
        if (id >= e.tile_id + e.run_length) return std::optional<std::string>();
        auto bytes = read(tile_data_offset_ + e.offset, e.length, "tile data");
        if (!bytes.ok()) return bytes.error();
        return std::optional<std::string>(std::move(*bytes));
      }
      auto leaf = read_directory(leaf_offset_ + e.offset, e.length);
      if (!leaf.ok()) return leaf.error();
      dir = std::move(*leaf);
    }
    return corrupt(path_, "leaf directories nested deeper than " + std::to_string(kMaxLeafDepth));
  }

  static Result<std::unique_ptr<Archive>> open(const std::string& path, Decompress decompress) {
    auto a = std::make_unique<PmtilesArchive>();
    a->path_ = path;
    a->decompress_ = std::move(decompress);
    a->in_.open(path, std::ios::binary);
    if (!a->in_) return make_error(Code::not_found, path + ": cannot open the tile archive");
    a->in_.seekg(0, std::ios::end);
    a->size_ = static_cast<uint64_t>(a->in_.tellg());
    if (a->size_ < kHeaderSize)
      return corrupt(path, "truncated: " + std::to_string(a->size_) + " bytes, shorter than the 127-byte header");
    auto head = a->read(0, kHeaderSize, "header");
    if (!head.ok()) return head.error();
    const char* h = head->data();
    if (std::memcmp(h, "PMTiles", 7) != 0) return corrupt(path, "no PMTiles magic at the start");
    if (h[7] != 3)
      return make_error(Code::unsupported, path + ": PMTiles spec version " + std::to_string(int(uint8_t(h[7]))) +
                                               " (this reader takes version 3)");
    const uint64_t root_off = get_u64(h + 8), root_len = get_u64(h + 16);
    const uint64_t meta_off = get_u64(h + 24), meta_len = get_u64(h + 32);
    a->leaf_offset_ = get_u64(h + 40);
    const uint64_t leaf_len = get_u64(h + 48);
    a->tile_data_offset_ = get_u64(h + 56);
    const uint64_t data_len = get_u64(h + 64);
    struct Section { const char* name; uint64_t off, len; };
    for (const Section& s : {Section{"root directory", root_off, root_len}, Section{"metadata", meta_off, meta_len},
                             Section{"leaf directories", a->leaf_offset_, leaf_len},
                             Section{"tile data", a->tile_data_offset_, data_len}}) {
      if (s.off > a->size_ || s.len > a->size_ - s.off)
        return corrupt(path, std::string("truncated: the ") + s.name + " ends at byte " + std::to_string(s.off + s.len) +
                                 " but the file has " + std::to_string(a->size_) + " bytes");
    }
    a->leaf_end_ = a->leaf_offset_ + leaf_len;
    a->data_end_ = a->tile_data_offset_ + data_len;
    ArchiveInfo& i = a->info_;
    i.tile_count = get_u64(h + 72);
    a->internal_ = static_cast<Compression>(static_cast<uint8_t>(h[97]));
    i.tile_compression = static_cast<Compression>(static_cast<uint8_t>(h[98]));
    i.type = static_cast<TileType>(static_cast<uint8_t>(h[99]));
    i.min_zoom = static_cast<uint8_t>(h[100]);
    i.max_zoom = static_cast<uint8_t>(h[101]);
    if (i.min_zoom > i.max_zoom || i.max_zoom > kMaxZoom)
      return corrupt(path, "zoom range " + std::to_string(i.min_zoom) + "-" + std::to_string(i.max_zoom));
    i.min_lon = get_i32(h + 102) / 1e7;
    i.min_lat = get_i32(h + 106) / 1e7;
    i.max_lon = get_i32(h + 110) / 1e7;
    i.max_lat = get_i32(h + 114) / 1e7;
    i.center_zoom = static_cast<uint8_t>(h[118]);
    i.center_lon = get_i32(h + 119) / 1e7;
    i.center_lat = get_i32(h + 123) / 1e7;
    auto root = a->read_directory(root_off, root_len);
    if (!root.ok()) return root.error();
    a->root_ = std::move(*root);
    auto meta = a->read(meta_off, meta_len, "metadata");
    if (!meta.ok()) return meta.error();
    auto plain = a->plain(std::move(*meta), "metadata");
    if (!plain.ok()) return plain.error();
    i.metadata_json = plain->empty() ? "{}" : std::move(*plain);
    if (auto m = json::parse(i.metadata_json); m.ok() && m->is_object()) {  // name and attribution live here
      if (const json::Value* n = m->find("name"); n && n->is_string()) i.name = n->as_string();
      if (const json::Value* at = m->find("attribution"); at && at->is_string()) i.attribution = at->as_string();
    }
    return std::unique_ptr<Archive>(std::move(a));
  }

 private:
  Result<std::string> read(uint64_t off, uint64_t len, const char* what) {
    if (off > size_ || len > size_ - off) return corrupt(path_, std::string(what) + " lies past the end of the file");
    std::string buf(len, '\0');
    in_.clear();
    in_.seekg(static_cast<std::streamoff>(off));
    in_.read(buf.data(), static_cast<std::streamsize>(len));
    if (!in_) return make_error(Code::io, path_ + ": cannot read the " + what);
    return buf;
  }
  Result<std::string> plain(std::string bytes, const char* what) {
    if (internal_ == Compression::none || internal_ == Compression::unknown) return bytes;
    if (!decompress_)
      return make_error(Code::unsupported, path_ + ": compressed " + what + " and no decompressor");
    auto r = decompress_(bytes, internal_);
    if (!r.ok()) return corrupt(path_, std::string(what) + ": " + r.error().message);
    return r;
  }
  Result<std::vector<DirEntry>> read_directory(uint64_t off, uint64_t len) {
    auto raw = read(off, len, "directory");
    if (!raw.ok()) return raw.error();
    auto bytes = plain(std::move(*raw), "directory");
    if (!bytes.ok()) return bytes.error();
    auto dir = decode_directory(*bytes);
    if (!dir.ok()) return corrupt(path_, dir.error().message);
    for (const DirEntry& e : *dir) {
      const uint64_t end = e.run_length ? data_end_ - tile_data_offset_ : leaf_end_ - leaf_offset_;
      if (e.offset > end || e.length > end - e.offset)
        return corrupt(path_, "directory entry for tile id " + std::to_string(e.tile_id) + " points past its section");
    }
    return dir;
  }

  std::string path_;
  std::ifstream in_;
  uint64_t size_ = 0;
  Decompress decompress_;
  Compression internal_ = Compression::none;
  uint64_t leaf_offset_ = 0, leaf_end_ = 0, tile_data_offset_ = 0, data_end_ = 0;
  std::vector<DirEntry> root_;
  ArchiveInfo info_;
};
}  // namespace

std::string encode_directory(const std::vector<DirEntry>& entries) {
  std::string out;
  put_varint(out, entries.size());
  uint64_t last = 0;
  for (const DirEntry& e : entries) {
    put_varint(out, e.tile_id - last);
    last = e.tile_id;
  }
  for (const DirEntry& e : entries) put_varint(out, e.run_length);
  for (const DirEntry& e : entries) put_varint(out, e.length);
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i > 0 && entries[i].offset == entries[i - 1].offset + entries[i - 1].length) put_varint(out, 0);
    else put_varint(out, entries[i].offset + 1);
  }
  return out;
}

Result<std::vector<DirEntry>> decode_directory(std::string_view b) {
  size_t pos = 0;
  bool failed = false;
  auto varint = [&]() -> uint64_t {
    uint64_t v = 0;
    for (int shift = 0; shift < 64 && pos < b.size(); shift += 7) {
      const uint8_t c = static_cast<uint8_t>(b[pos++]);
      v |= uint64_t(c & 0x7f) << shift;
      if (!(c & 0x80)) return v;
    }
    failed = true;
    return 0;
  };
  const uint64_t n = varint();
  // Each entry takes at least four bytes, so a larger count is a lie that would cost memory.
  if (failed || n > b.size() / 4 + 1) return make_error(Code::corrupt, "directory entry count out of range");
  std::vector<DirEntry> entries(n);
  uint64_t last = 0;
  for (auto& e : entries) {
    const uint64_t d = varint();
    if (d > UINT64_MAX - last) failed = true;
    last += d;
    e.tile_id = last;
  }
  for (auto& e : entries) e.run_length = static_cast<uint32_t>(varint());
  for (auto& e : entries) e.length = static_cast<uint32_t>(varint());
  for (size_t i = 0; i < entries.size(); ++i) {
    const uint64_t v = varint();
    if (v == 0 && i > 0) entries[i].offset = entries[i - 1].offset + entries[i - 1].length;
    else if (v == 0) failed = true;
    else entries[i].offset = v - 1;
  }
  if (failed) return make_error(Code::corrupt, "truncated or malformed directory");
  for (size_t i = 1; i < entries.size(); ++i)
    if (entries[i].tile_id <= entries[i - 1].tile_id)
      return make_error(Code::corrupt, "directory tile ids not ascending");
  return entries;
}

Status write_pmtiles(const std::string& path, std::vector<Tile> tiles, const ArchiveInfo& info) {
  std::vector<std::pair<uint64_t, const Tile*>> order;
  order.reserve(tiles.size());
  for (const Tile& t : tiles) {
    if (t.id.z > kMaxZoom || t.id.x >> t.id.z || t.id.y >> t.id.z)
      return make_error(Code::invalid_argument, "tile " + std::to_string(t.id.z) + "/" + std::to_string(t.id.x) + "/" +
                                                    std::to_string(t.id.y) + " lies outside its zoom level");
    order.emplace_back(pmtiles_id(t.id), &t);
  }
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<DirEntry> entries;
  std::string data;
  std::map<std::string_view, uint64_t> stored;  // contents -> offset, so duplicates share bytes
  for (size_t i = 0; i < order.size(); ++i) {
    const auto& [id, t] = order[i];
    if (i > 0 && order[i - 1].first == id)
      return make_error(Code::invalid_argument, "tile " + std::to_string(t->id.z) + "/" + std::to_string(t->id.x) +
                                                    "/" + std::to_string(t->id.y) + " given twice");
    auto [it, fresh] = stored.emplace(t->data, data.size());
    if (fresh) data += t->data;
    DirEntry* prev = entries.empty() ? nullptr : &entries.back();
    if (prev && prev->offset == it->second && prev->tile_id + prev->run_length == id && !fresh) {
      ++prev->run_length;
      continue;
    }
    entries.push_back(DirEntry{id, it->second, static_cast<uint32_t>(t->data.size()), 1});
  }
  std::string root, leaves;
  build_directories(entries, root, leaves);
  // Name and attribution live in the JSON metadata (the header has no room for them).
  std::string meta = info.metadata_json.empty() ? "{}" : info.metadata_json;
  if (!info.name.empty() || !info.attribution.empty()) {
    auto m = json::parse(meta);
    if (!m.ok() || !m->is_object()) return make_error(Code::invalid_argument, "metadata_json is not a JSON object");
    if (!info.name.empty() && !m->find("name")) m->set("name", info.name);
    if (!info.attribution.empty() && !m->find("attribution")) m->set("attribution", info.attribution);
    meta = json::dump(*m);
  }

  std::string head(kHeaderSize, '\0');
  char* h = head.data();
  std::memcpy(h, "PMTiles", 7);
  h[7] = 3;
  const uint64_t root_off = kHeaderSize, meta_off = root_off + root.size(), leaf_off = meta_off + meta.size(),
                 data_off = leaf_off + leaves.size();
  put_u64(h + 8, root_off);
  put_u64(h + 16, root.size());
  put_u64(h + 24, meta_off);
  put_u64(h + 32, meta.size());
  put_u64(h + 40, leaf_off);
  put_u64(h + 48, leaves.size());
  put_u64(h + 56, data_off);
  put_u64(h + 64, data.size());
  put_u64(h + 72, order.size());
  put_u64(h + 80, entries.size());
  put_u64(h + 88, stored.size());
  h[96] = 1;  // clustered: tile data is in tile-id order
  h[97] = static_cast<char>(Compression::none);
  h[98] = static_cast<char>(info.tile_compression);
  h[99] = static_cast<char>(info.type);
  h[100] = static_cast<char>(info.min_zoom);
  h[101] = static_cast<char>(info.max_zoom);
  put_i32(h + 102, e7(info.min_lon));
  put_i32(h + 106, e7(info.min_lat));
  put_i32(h + 110, e7(info.max_lon));
  put_i32(h + 114, e7(info.max_lat));
  h[118] = static_cast<char>(info.center_zoom);
  put_i32(h + 119, e7(info.center_lon));
  put_i32(h + 123, e7(info.center_lat));

  // Written beside the target and renamed, so a reader never sees half an archive.
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return make_error(Code::io, tmp + ": cannot create");
    out << head << root << meta << leaves << data;
    out.flush();
    if (!out) return make_error(Code::io, tmp + ": write failed");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return make_error(Code::io, path + ": cannot replace");
  return Status::Ok();
}

Result<std::unique_ptr<Archive>> open_pmtiles(const std::string& path, Decompress decompress) {
  return PmtilesArchive::open(path, std::move(decompress));
}

}  // namespace doorstep::tiles
