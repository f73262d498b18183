// A look at a file's first bytes before it is uploaded: dialect, header, detected preset, the
// effective column mapping and a few rows read through it (names, normalised address, language),
// as JSON for the organizer console (compiled into its own wasm module). Leaves out importing and
// geocoding: the server does those with the same reader and presets.
#pragma once
#include <cstddef>
#include <string_view>

#include "shared/base/json.h"

namespace doorstep::sniff {

struct Options {
  size_t max_rows = 8;     // preview rows read through the mapping
  bool complete = false;   // the bytes are the whole file (else a cut last line is left out)
};

// {"delimiter","quoting","encoding","header":[...],"detected":"california"|"" ,"mapping":{preset,columns},
//  "has_people","rows":[{"row","cells":[...],"mapped":{field:value},"address"}],"issues":[...],
//  "fields":[...],"presets":[...],"error":""}. `mapping` (null: detect) is presets::from_json's
// shape. A problem with the file or the mapping is reported in "error", never thrown.
json::Value inspect(std::string_view head, const json::Value& mapping, const Options& opts = {});

}  // namespace doorstep::sniff
