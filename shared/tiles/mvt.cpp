// MVT codec (see mvt.h): a hand-written protobuf writer/reader for the four messages of the
// vector tile spec, so the portable core needs no protobuf library.
#include "shared/tiles/mvt.h"

#include <algorithm>
#include <cstring>
#include <map>

namespace doorstep::mvt {

namespace {
// ---- protobuf primitives --------------------------------------------------------------------
void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}
void put_key(std::string& out, uint32_t field, uint32_t wire) { put_varint(out, (uint64_t(field) << 3) | wire); }
void put_bytes(std::string& out, uint32_t field, std::string_view b) {
  put_key(out, field, 2);
  put_varint(out, b.size());
  out.append(b);
}
uint32_t zigzag32(int32_t v) { return (static_cast<uint32_t>(v) << 1) ^ static_cast<uint32_t>(v >> 31); }
int32_t unzigzag32(uint32_t v) { return static_cast<int32_t>((v >> 1) ^ (~(v & 1) + 1)); }
uint32_t command(uint32_t id, uint32_t count) { return (id & 7) | (count << 3); }

struct Reader {
  std::string_view b;
  size_t pos = 0;
  bool failed = false;
  bool done() const { return pos >= b.size() || failed; }
  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= b.size()) break;
      const uint8_t c = static_cast<uint8_t>(b[pos++]);
      v |= uint64_t(c & 0x7f) << shift;
      if (!(c & 0x80)) return v;
    }
    failed = true;
    return 0;
  }
  std::string_view bytes() {
    const uint64_t n = varint();
    if (failed || n > b.size() - pos) {
      failed = true;
      return {};
    }
    std::string_view s = b.substr(pos, n);
    pos += n;
    return s;
  }
  uint64_t fixed(int width) {
    if (b.size() - pos < size_t(width)) {
      failed = true;
      return 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < width; ++i) v |= uint64_t(static_cast<uint8_t>(b[pos + i])) << (8 * i);
    pos += width;
    return v;
  }
  void skip(uint32_t wire) {
    switch (wire) {
      case 0: varint(); break;
      case 1: fixed(8); break;
      case 2: bytes(); break;
      case 5: fixed(4); break;
      default: failed = true;
    }
  }
};

std::vector<uint32_t> packed(std::string_view b, bool& failed) {
  std::vector<uint32_t> out;
  Reader r{b};
  while (!r.done()) out.push_back(static_cast<uint32_t>(r.varint()));
  failed = failed || r.failed;
  return out;
}

// ---- geometry -------------------------------------------------------------------------------
void encode_geometry(const Feature& f, std::vector<uint32_t>& g) {
  int32_t cx = 0, cy = 0;
  auto delta = [&](Point p) {
    g.push_back(zigzag32(p.x - cx));
    g.push_back(zigzag32(p.y - cy));
    cx = p.x;
    cy = p.y;
  };
  if (f.type == GeomType::point) {
    size_t n = 0;
    for (const Path& p : f.parts) n += p.size();
    if (n == 0) return;
    g.push_back(command(1, static_cast<uint32_t>(n)));
    for (const Path& p : f.parts)
      for (Point q : p) delta(q);
    return;
  }
  for (size_t i = 0; i < f.parts.size(); ++i) {
    Path path = f.parts[i];
    const bool polygon = f.type == GeomType::polygon;
    if (path.size() < (polygon ? 3u : 2u)) continue;
    if (polygon) {
      const double a = ring_area(path);
      if (a == 0) continue;  // collapsed by rounding: draws nothing, confuses readers
      const bool exterior = i >= f.is_hole.size() || !f.is_hole[i];
      if (exterior != (a > 0)) std::reverse(path.begin(), path.end());
    }
    g.push_back(command(1, 1));
    delta(path[0]);
    g.push_back(command(2, static_cast<uint32_t>(path.size() - 1)));
    for (size_t k = 1; k < path.size(); ++k) delta(path[k]);
    if (polygon) g.push_back(command(7, 1));
  }
}

std::string encode_value(const AttrValue& v) {
  std::string out;
  if (auto s = std::get_if<std::string>(&v)) {
    put_bytes(out, 1, *s);
  } else if (auto d = std::get_if<double>(&v)) {
    put_key(out, 3, 1);
    uint64_t bits;
    std::memcpy(&bits, d, 8);
    for (int k = 0; k < 8; ++k) out.push_back(static_cast<char>((bits >> (8 * k)) & 0xff));
  } else if (auto i = std::get_if<int64_t>(&v)) {
    put_key(out, 6, 0);  // sint: zigzag keeps small negatives small
    put_varint(out, (static_cast<uint64_t>(*i) << 1) ^ static_cast<uint64_t>(*i >> 63));
  } else {
    put_key(out, 7, 0);
    put_varint(out, std::get<bool>(v) ? 1 : 0);
  }
  return out;
}
}  // namespace

double ring_area(const Path& ring) {
  double a = 0;
  for (size_t i = 0, n = ring.size(); i < n; ++i) {
    const Point p = ring[i], q = ring[(i + 1) % n];
    a += double(p.x) * q.y - double(q.x) * p.y;
  }
  return a / 2;
}

std::string encode(const std::vector<Layer>& layers) {
  std::string tile;
  for (const Layer& layer : layers) {
    std::vector<std::string> keys;
    std::vector<std::string> values;  // encoded Value messages, deduplicated by their bytes
    std::map<std::string, uint32_t, std::less<>> key_index, value_index;
    std::string feats;
    for (const Feature& f : layer.features) {
      std::vector<uint32_t> g;
      encode_geometry(f, g);
      if (g.empty()) continue;
      std::vector<uint32_t> tags;
      for (const auto& [k, v] : f.attrs) {
        auto [ki, kfresh] = key_index.emplace(k, static_cast<uint32_t>(keys.size()));
        if (kfresh) keys.push_back(k);
        std::string ev = encode_value(v);
        auto [vi, vfresh] = value_index.emplace(ev, static_cast<uint32_t>(values.size()));
        if (vfresh) values.push_back(std::move(ev));
        tags.push_back(ki->second);
        tags.push_back(vi->second);
      }
      std::string fm;
      if (f.id) {
        put_key(fm, 1, 0);
        put_varint(fm, f.id);
      }
      if (!tags.empty()) {
        std::string p;
        for (uint32_t t : tags) put_varint(p, t);
        put_bytes(fm, 2, p);
      }
      put_key(fm, 3, 0);
      put_varint(fm, static_cast<uint64_t>(f.type));
      std::string p;
      for (uint32_t c : g) put_varint(p, c);
      put_bytes(fm, 4, p);
      put_bytes(feats, 2, fm);
    }
    if (feats.empty()) continue;
    std::string lm;
    put_key(lm, 15, 0);
    put_varint(lm, 2);
    put_bytes(lm, 1, layer.name);
    lm += feats;
    for (const auto& k : keys) put_bytes(lm, 3, k);
    for (const auto& v : values) put_bytes(lm, 4, v);
    put_key(lm, 5, 0);
    put_varint(lm, layer.extent);
    put_bytes(tile, 3, lm);
  }
  return tile;
}

Result<std::vector<Layer>> decode(std::string_view bytes) {
  std::vector<Layer> layers;
  auto bad = [](std::string what) { return make_error(Code::corrupt, "vector tile: " + what); };
  Reader tr{bytes};
  while (!tr.done()) {
    const uint64_t key = tr.varint();
    if (key >> 3 != 3 || (key & 7) != 2) {
      tr.skip(key & 7);
      continue;
    }
    Reader lr{tr.bytes()};
    if (tr.failed) break;
    Layer layer;
    std::vector<std::string> keys;
    std::vector<AttrValue> values;
    std::vector<std::pair<std::vector<uint32_t>, Feature>> raw;  // tags, feature
    while (!lr.done()) {
      const uint64_t k = lr.varint();
      const uint32_t field = static_cast<uint32_t>(k >> 3), wire = k & 7;
      if (field == 1 && wire == 2) {
        layer.name = std::string(lr.bytes());
      } else if (field == 3 && wire == 2) {
        keys.emplace_back(lr.bytes());
      } else if (field == 5 && wire == 0) {
        layer.extent = static_cast<uint32_t>(lr.varint());
      } else if (field == 4 && wire == 2) {
        Reader vr{lr.bytes()};
        AttrValue v = std::string();
        while (!vr.done()) {
          const uint64_t vk = vr.varint();
          switch (vk) {
            case (1 << 3) | 2: v = std::string(vr.bytes()); break;
            case (2 << 3) | 5: {
              const uint32_t bits = static_cast<uint32_t>(vr.fixed(4));
              float fl;
              std::memcpy(&fl, &bits, 4);
              v = double(fl);
              break;
            }
            case (3 << 3) | 1: {
              const uint64_t bits = vr.fixed(8);
              double d;
              std::memcpy(&d, &bits, 8);
              v = d;
              break;
            }
            case (4 << 3) | 0: v = static_cast<int64_t>(vr.varint()); break;
            case (5 << 3) | 0: v = static_cast<int64_t>(vr.varint()); break;
            case (6 << 3) | 0: {
              const uint64_t z = vr.varint();
              v = static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1));
              break;
            }
            case (7 << 3) | 0: v = vr.varint() != 0; break;
            default: vr.skip(vk & 7);
          }
        }
        if (vr.failed) return bad("bad value in layer '" + layer.name + "'");
        values.push_back(std::move(v));
      } else if (field == 2 && wire == 2) {
        Reader fr{lr.bytes()};
        Feature f;
        std::vector<uint32_t> tags, geom;
        bool failed = false;
        while (!fr.done()) {
          const uint64_t fk = fr.varint();
          if (fk == ((1 << 3) | 0)) f.id = fr.varint();
          else if (fk == ((2 << 3) | 2)) tags = packed(fr.bytes(), failed);
          else if (fk == ((3 << 3) | 0)) f.type = static_cast<GeomType>(fr.varint() & 3);
          else if (fk == ((4 << 3) | 2)) geom = packed(fr.bytes(), failed);
          else fr.skip(fk & 7);
        }
        if (fr.failed || failed) return bad("bad feature in layer '" + layer.name + "'");
        // Geometry commands back to paths.
        int32_t cx = 0, cy = 0;
        for (size_t i = 0; i < geom.size();) {
          const uint32_t id = geom[i] & 7, count = geom[i] >> 3;
          ++i;
          if (id == 7) continue;  // ClosePath: rings are implicitly closed
          if ((id != 1 && id != 2) || geom.size() - i < size_t(count) * 2)
            return bad("bad geometry command in layer '" + layer.name + "'");
          if (id == 1 && (f.type != GeomType::point || f.parts.empty())) f.parts.emplace_back();
          if (f.parts.empty()) return bad("LineTo before MoveTo in layer '" + layer.name + "'");
          for (uint32_t c = 0; c < count; ++c, i += 2) {
            cx += unzigzag32(geom[i]);
            cy += unzigzag32(geom[i + 1]);
            f.parts.back().push_back(Point{cx, cy});
          }
        }
        if (f.type == GeomType::polygon)
          for (const Path& ring : f.parts) f.is_hole.push_back(ring_area(ring) < 0);
        raw.emplace_back(std::move(tags), std::move(f));
      } else {
        lr.skip(wire);
      }
    }
    if (lr.failed) return bad("truncated layer '" + layer.name + "'");
    for (auto& [tags, f] : raw) {
      if (tags.size() % 2) return bad("odd tag count in layer '" + layer.name + "'");
      for (size_t i = 0; i < tags.size(); i += 2) {
        if (tags[i] >= keys.size() || tags[i + 1] >= values.size())
          return bad("tag index out of range in layer '" + layer.name + "'");
        f.attrs.emplace_back(keys[tags[i]], values[tags[i + 1]]);
      }
      layer.features.push_back(std::move(f));
    }
    layers.push_back(std::move(layer));
  }
  if (tr.failed) return bad("truncated tile");
  return layers;
}

}  // namespace doorstep::mvt
