// Base-map building from files (see tile_build.h).
#include "server/tile_build.h"

#include <zlib.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

#include "shared/parse/csv.h"
#include "shared/tiles/basemap.h"

namespace doorstep::server {

namespace {
Result<std::vector<tiles::AddressPoint>> read_addresses(const std::string& path) {
  auto text = read_file(path);
  if (!text.ok()) return text.error();
  csv::Reader r;
  std::vector<tiles::AddressPoint> out;
  int lat = -1, lon = -1, num = -1, street = -1;
  Status st = r.feed(*text, [&](const csv::Row& row) {
    if (lat < 0) {
      const auto& h = r.header();
      for (size_t i = 0; i < h.size(); ++i) {
        if (h[i] == "lat" || h[i] == "latitude") lat = int(i);
        if (h[i] == "lon" || h[i] == "lng" || h[i] == "longitude") lon = int(i);
        if (h[i] == "housenumber" || h[i] == "house_number" || h[i] == "number") num = int(i);
        if (h[i] == "street") street = int(i);
      }
      if (lat < 0 || lon < 0) return;
    }
    tiles::AddressPoint a;
    int64_t fl = 0, fo = 0;
    if (!geo::parse_fix(row[size_t(lat)], fl) || !geo::parse_fix(row[size_t(lon)], fo)) return;  // unplaced rows draw nothing
    a.lat = geo::from_fix(fl);
    a.lon = geo::from_fix(fo);
    if (num >= 0) a.housenumber = std::string(row[size_t(num)]);
    if (street >= 0) a.street = std::string(row[size_t(street)]);
    out.push_back(std::move(a));
  });
  if (st.ok()) st = r.finish([](const csv::Row&) {});
  if (!st.ok()) return make_error(st.error().code, path + ": " + st.error().message);
  if (lat < 0 || lon < 0) return make_error(Code::invalid_argument, path + ": no lat and lon columns");
  return out;
}

Result<std::vector<geo::Feature>> read_features(const std::string& path) {
  auto text = read_file(path);
  if (!text.ok()) return text.error();
  auto fs = geo::features_from_geojson(*text);
  if (!fs.ok()) return make_error(fs.error().code, path + ": " + fs.error().message);
  return fs;
}

std::string prop(const json::Value& props, const char* key) {
  const json::Value* v = props.is_object() ? props.find(key) : nullptr;
  return v && v->is_string() ? v->as_string() : std::string();
}
}  // namespace

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Code::not_found, path + ": cannot open");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

json::Value BasemapReport::to_json() const {
  json::Value v = json::Value::object();
  v.set("path", path);
  v.set("buildings", static_cast<uint64_t>(buildings));
  v.set("addresses", static_cast<uint64_t>(addresses));
  v.set("outlines", static_cast<uint64_t>(outlines));
  v.set("tiles", static_cast<uint64_t>(tiles));
  v.set("bytes", bytes);
  v.set("build_ms", build_ms);
  return v;
}

Result<BasemapReport> build_basemap(const BasemapFiles& files, const std::string& out, const tiles::TilerOptions& opts) {
  const auto t0 = std::chrono::steady_clock::now();
  tiles::BasemapInput in;
  for (const std::string& p : files.buildings) {
    auto fs = read_features(p);
    if (!fs.ok()) return fs.error();
    for (auto& f : *fs) in.buildings.push_back(std::move(f.shape));
  }
  if (!files.addresses.empty()) {
    auto a = read_addresses(files.addresses);
    if (!a.ok()) return a.error();
    in.addresses = std::move(*a);
  }
  for (const std::string& p : files.outlines) {
    auto fs = read_features(p);
    if (!fs.ok()) return fs.error();
    for (auto& f : *fs) {
      std::string kind = prop(f.properties, "kind");
      in.outlines.push_back({kind.empty() ? "boundary" : kind, prop(f.properties, "name"), std::move(f.shape)});
    }
  }
  BasemapReport rep;
  rep.path = out;
  rep.buildings = in.buildings.size();
  rep.addresses = in.addresses.size();
  rep.outlines = in.outlines.size();
  auto set = tiles::build_tiles(tiles::basemap_layers(in), opts);
  if (!set.ok()) return set.error();
  rep.tiles = set->tiles.size();
  const bool mb = out.size() > 8 && out.compare(out.size() - 8, 8, ".mbtiles") == 0;
  Status st = mb ? tiles::write_mbtiles(out, std::move(set->tiles), set->info)
                 : tiles::write_pmtiles(out, std::move(set->tiles), set->info);
  if (!st.ok()) return st.error();
  struct stat sb {};
  if (::stat(out.c_str(), &sb) == 0) rep.bytes = static_cast<uint64_t>(sb.st_size);
  rep.build_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return rep;
}

Result<std::string> gunzip(std::string_view data, tiles::Compression c) {
  if (c != tiles::Compression::gzip)
    return make_error(Code::unsupported, "compression " + std::to_string(int(c)) + " is not supported (gzip only)");
  z_stream z{};
  if (inflateInit2(&z, 15 + 32) != Z_OK) return make_error(Code::internal, "zlib init failed");  // +32: gzip or zlib
  std::string out;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  char buf[65536];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
    if (out.size() > (64u << 20)) rc = Z_MEM_ERROR;  // a directory never gets this big: a bomb
    if (rc == Z_BUF_ERROR && z.avail_in == 0) break;
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END) return make_error(Code::corrupt, "gzip data is damaged or too large");
  return out;
}

}  // namespace doorstep::server
