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
void set_tiles(int map, const std::string& url_template, const std::string& attribution);
// status[i] is the door's status number (wasm/js_map.cpp documents the colours).
void set_doors(int map, const std::vector<LatLon>& doors, const std::vector<uint8_t>& status,
               const std::vector<std::string>& labels);
void set_door_status(int map, int index, uint8_t status);
void select_door(int map, int index, bool pan);
void set_route(int map, const std::vector<LatLon>& line);
void set_turf(int map, const std::string& geojson);
void fit(int map);
void show_position(int map, double lat, double lon, double accuracy_m);
void invalidate(int map);
void clear(int map);  // removes every layer of the turf: doors, route, outline, position
void on_door_tap(std::function<void(int index)> fn);

}  // namespace doorstep::map
