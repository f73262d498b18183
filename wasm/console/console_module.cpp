// The organizer console's wasm module (no ImGui, no GL): the same C++ CSV reader and presets the
// server imports with, so the console shows a picked file's layout and column mapping before it
// uploads; and the live index of turf_cut.h, so a turf being drawn shows its doors, people and
// walking minutes while a corner is dragged. Leaves out importing and geocoding (the server's),
// the walk order itself (the server's, once the turf is saved), and any DOM work (organizer/*.js).
#include <emscripten/bind.h>

#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include "shared/base/geo.h"
#include "shared/base/json.h"
#include "shared/parse/sniff.h"
#include "shared/route/turf_cut.h"

namespace {

// bytes: the file's first bytes (a Uint8Array from JS, copied as is); mapping: presets::from_json
// JSON or "" to detect; complete: bytes are the whole file. Answers sniff::inspect's JSON text.
std::string inspect(const std::string& bytes, const std::string& mapping, bool complete) {
  using namespace doorstep;
  json::Value spec;
  if (!mapping.empty()) {
    auto parsed = json::parse(mapping);
    if (!parsed) {
      json::Value out = json::Value::object();
      out.set("error", "mapping: " + parsed.error().message);
      return json::dump(out);
    }
    spec = *parsed;
  }
  sniff::Options o;
  o.complete = complete;
  return json::dump(sniff::inspect(bytes, spec, o));
}

doorstep::turf_cut::LiveIndex g_live;

// The campaign's doors for live counts: lat and lon as the bytes of Float64Arrays, people as the
// bytes of an Int32Array (one per door), and the campaign's pace. Answers the number of doors.
int live_load(const std::string& lat, const std::string& lon, const std::string& people, double walk_m_per_s,
              double minutes_per_door) {
  using namespace doorstep;
  const size_t n = lat.size() / sizeof(double);
  if (lon.size() != n * sizeof(double) || people.size() != n * sizeof(int32_t)) return -1;
  std::vector<turf_cut::Door> doors(n);
  for (size_t i = 0; i < n; ++i) {
    double la, lo;
    int32_t p;
    std::memcpy(&la, lat.data() + i * sizeof(double), sizeof la);
    std::memcpy(&lo, lon.data() + i * sizeof(double), sizeof lo);
    std::memcpy(&p, people.data() + i * sizeof(int32_t), sizeof p);
    doors[i].at = geo::fix_of(la, lo);
    doors[i].people = p;
  }
  turf_cut::Options o;
  o.pace.walk_m_per_s = walk_m_per_s > 0 ? walk_m_per_s : 1.2;
  o.pace.minutes_per_door = minutes_per_door >= 0 ? minutes_per_door : 2.0;
  g_live = turf_cut::LiveIndex(doors, o);
  return static_cast<int>(n);
}

// Counts inside a GeoJSON polygon: {"doors","people","minutes","ms"} or {"error"}.
std::string live_count(const std::string& geojson) {
  using namespace doorstep;
  auto t0 = std::chrono::steady_clock::now();
  json::Value out = json::Value::object();
  auto v = json::parse(geojson);
  auto mp = v ? geo::multipolygon_from_geojson(*v) : Result<geo::MultiPolygon>(v.error());
  if (!mp) {
    out.set("error", mp.error().message);
    return json::dump(out);
  }
  auto c = g_live.query(*mp);
  out.set("doors", c.doors);
  out.set("people", c.people);
  out.set("minutes", c.minutes);
  out.set("ms", std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  return json::dump(out);
}

}  // namespace

EMSCRIPTEN_BINDINGS(doorstep_console) {
  emscripten::function("inspect", &inspect);
  emscripten::function("liveLoad", &live_load);
  emscripten::function("liveCount", &live_count);
}
