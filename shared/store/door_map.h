// The campaign's doors for the organizer's map: every placed door with the attributes the map
// colours by (party and language of its first resident, support from the latest answer to the
// first 1-5 question, the latest attempt's result, whether it is in a live turf), as dictionary
// codes so 100,000 doors travel as a few small arrays. Leaves out names and addresses: the map
// needs none, and nothing personal should sit in the page longer than it must.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/json.h"
#include "shared/base/result.h"
#include "shared/store/store.h"

namespace doorstep::store {

struct DoorMap {
  struct Attribute {
    std::string name;                 // party, language, support, result, turf
    std::vector<std::string> values;  // code -> value ("" when the door has none)
    std::vector<uint16_t> codes;      // per door
  };
  std::vector<double> lat, lon;
  std::vector<uint16_t> people;  // per door: live residents who may be contacted (the live counts)
  std::vector<Attribute> attributes;
  uint64_t unplaced = 0;  // live doors without coordinates (not drawn)

  // {"count","unplaced","lat":[...],"lon":[...],"people":[...],"attributes":{name:{"values","codes"}}}
  json::Value to_json() const;
};

Result<DoorMap> door_map(Db& db, std::string_view campaign_id);

}  // namespace doorstep::store
