// Leaflet through embind (see js_map.h). Door coordinates go over as one Float64Array, copied on
// the JS side at once (slice), since wasm memory growth would detach a view kept for later.
#include "wasm/js_map.h"

#include <emscripten/bind.h>
#include <emscripten/val.h>

using emscripten::val;

namespace doorstep::map {

namespace {
val facade() { return val::global("DoorstepMap"); }
std::function<void(int)> g_tap, g_building_tap;

val latlon_array(const std::vector<LatLon>& pts) {
  std::vector<double> flat;
  flat.reserve(pts.size() * 2);
  for (auto& p : pts) {
    flat.push_back(p.lat);
    flat.push_back(p.lon);
  }
  return val(emscripten::typed_memory_view(flat.size(), flat.data())).call<val>("slice");
}

void door_tapped(int index) {
  if (g_tap) g_tap(index);
}
void building_tapped(int index) {
  if (g_building_tap) g_building_tap(index);
}
}  // namespace

int create(const std::string& element_id) { return facade().call<int>("create", element_id); }

void set_tiles(int m, const std::string& url, const std::string& attribution) {
  facade().call<void>("setTiles", m, url, attribution);
}

void set_doors(int m, const std::vector<LatLon>& doors, const std::vector<uint8_t>& status,
               const std::vector<std::string>& labels) {
  val st = val(emscripten::typed_memory_view(status.size(), status.data())).call<val>("slice");
  val lb = val::array();
  for (auto& l : labels) lb.call<void>("push", l);
  facade().call<void>("setDoors", m, latlon_array(doors), st, lb);
}

void set_door_status(int m, int index, uint8_t status) { facade().call<void>("setDoorStatus", m, index, status); }
void select_door(int m, int index, bool pan) { facade().call<void>("selectDoor", m, index, pan); }
void set_door_sides(int m, const std::vector<std::string>& sides) {
  val a = val::array();
  for (auto& s : sides) a.call<void>("push", s);
  facade().call<void>("setDoorSides", m, a);
}
void set_buildings(int m, const std::string& geojson) { facade().call<void>("setBuildings", m, geojson); }
void set_route(int m, const std::vector<LatLon>& line, int next_door) {
  facade().call<void>("setRoute", m, latlon_array(line), next_door);
}
void add_locate_button(int m, const std::string& label) { facade().call<void>("addLocateButton", m, label); }
void set_turf(int m, const std::string& geojson) { facade().call<void>("setTurf", m, geojson); }
void fit(int m) { facade().call<void>("fit", m); }
void show_position(int m, double lat, double lon, double acc) { facade().call<void>("showPosition", m, lat, lon, acc); }
void invalidate(int m) { facade().call<void>("invalidate", m); }
void clear(int m) { facade().call<void>("clear", m); }
void on_door_tap(std::function<void(int)> fn) { g_tap = std::move(fn); }
void on_building_tap(std::function<void(int)> fn) { g_building_tap = std::move(fn); }

EMSCRIPTEN_BINDINGS(doorstep_map) {
  emscripten::function("doorstepDoorTapped", &door_tapped);
  emscripten::function("doorstepBuildingTapped", &building_tapped);
}

}  // namespace doorstep::map
