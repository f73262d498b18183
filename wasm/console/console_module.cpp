// The organizer console's wasm module (no ImGui, no GL): the same C++ CSV reader and presets the
// server imports with, so the console shows a picked file's layout and column mapping before it
// uploads. Leaves out importing and geocoding (the server's), and any DOM work (organizer/*.js).
#include <emscripten/bind.h>

#include <string>

#include "shared/base/json.h"
#include "shared/parse/sniff.h"

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

}  // namespace

EMSCRIPTEN_BINDINGS(doorstep_console) { emscripten::function("inspect", &inspect); }
