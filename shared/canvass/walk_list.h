// The walk list as the canvasser reads it: the visit order cut into street and building headers,
// a building's units grouped by floor, a search over addresses and residents' names, and the
// language a door's script opens in. Pure policy over the turf package (no drawing, no storage):
// the phone's panels draw these rows (wasm/ui_walk.cpp) and tests pin the rules down.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "shared/canvass/turf_package.h"

namespace doorstep::canvass::walk_list {

// The floor of a unit: the leading digits of a 3-4 digit unit number ("304" -> 3, "1205" -> 12,
// "#304" and "Apt 1205" too); -1 for anything else ("2", "B", "12A", "10305").
int floor_of(std::string_view unit);

// The address without its unit ("2305 Walgrove Ave Apt 2" with unit "2" -> "2305 Walgrove Ave").
std::string building_address(const PackageDoor& d);
// The street part of the address ("2305 Walgrove Ave" -> "Walgrove Ave"); the address itself when
// it has no house number.
std::string street_of(const PackageDoor& d);

struct Row {
  enum class Kind { street, building, floor, units, door };
  Kind kind = Kind::door;
  int door = -1;       // Kind::door: index into Package::doors
  int floor = -1;      // Kind::floor
  std::string label;   // street, building address; empty for floor/units/door (the panel words them)
  bool operator==(const Row&) const = default;
};

// The rows of the list for `order` (door indexes in visiting order): a street header whenever the
// street changes, a building header over each run of two or more doors of one building, and in
// such a run its doors by floor (floors ascending, each under a floor header, walk order within a
// floor), then the other units under "Units" in walk order. Only `shown` doors are listed (empty:
// all); a header is kept only over doors that are listed.
std::vector<Row> rows(const Package& p, const std::vector<int>& order, const std::vector<bool>& shown = {});

// True when every word of `query` (case-insensitive, ASCII folding only) is found in the door's
// address, unit or one of its residents' names. An empty query matches every door.
bool matches(const Package& p, int door, std::string_view query);

// ---- Languages (BCP 47 tags)
// The tag of `available` that serves a reader of `wanted`: the same tag, then the same language
// and script ("zh-TW" and "zh-HK" read Traditional: "zh-Hant"; "zh-CN", "zh-SG": "zh-Hans"), then
// the same language ("es-MX" -> "es", "zh-Hant" -> "zh"), then one of that language with any
// other subtags; "" when none. Case-insensitive.
std::string match_language(std::string_view wanted, const std::vector<std::string>& available);
// The first of the phone's languages (navigator.languages, in preference order) that `offered`
// serves, as the offered tag; `fallback` when none does.
std::string pick_language(const std::vector<std::string>& phone, const std::vector<std::string>& offered,
                          std::string_view fallback);
// The campaign language a door's script and survey open in: the language of `person` (a
// Package::people index) when the campaign has it, else of the first resident listed whose
// language it has; "" when none (the caller uses the app's language).
std::string door_language(const Package& p, int door, int person = -1);

}  // namespace doorstep::canvass::walk_list
