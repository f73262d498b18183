// The map, drawn by Leaflet in the page (web/map.js) and driven from here. C++ keeps the integer
// map id only; coordinates cross once per call as typed arrays.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace doorstep::map {

struct LatLon {
  double lat = 0, lon = 0;
};

int create(const std::string& element_id);
// A raster XYZ template, or vector tiles when it ends in .mvt/.pbf (drawn by protomaps-leaflet).
void set_tiles(int map, const std::string& url_template, const std::string& attribution);
// The turf's buildings: a GeoJSON FeatureCollection, properties.units per feature ("" clears).
void set_buildings(int map, const std::string& geojson);
// status[i] is the door's status number (wasm/js_map.cpp documents the colours).
void set_doors(int map, const std::vector<LatLon>& doors, const std::vector<uint8_t>& status,
               const std::vector<std::string>& labels);
void set_door_status(int map, int index, uint8_t status);
void select_door(int map, int index, bool pan);
// Per door, a key of its street side (street and house-number parity; "" when unknown): the side
// of the route's next door is drawn solid, the other side hollow.
void set_door_sides(int map, const std::vector<std::string>& sides);
// The walk order's line; next_door (an index into the doors, -1 for none) gets a ring.
void set_route(int map, const std::vector<LatLon>& line, int next_door = -1);
void set_turf(int map, const std::string& geojson);
void fit(int map);
void show_position(int map, double lat, double lon, double accuracy_m);
// The map's "where am I" button; positions stay in the page (web/page.js watchPosition).
void add_locate_button(int map, const std::string& label);
void invalidate(int map);
void clear(int map);  // removes every layer of the turf: doors, route, outline, position
void on_door_tap(std::function<void(int index)> fn);
void on_building_tap(std::function<void(int index)> fn);  // index into the buildings given

}  // namespace doorstep::map
