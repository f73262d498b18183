// libFuzzer target for shared/address: arbitrary text as a one-line address and, split on '|',
// as separate columns. Checks that the normal form is a fixed point (parsing a door key gives
// the same key), that keys of UTF-8 input stay UTF-8, and that keys never carry stray spaces.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "shared/parse/address.h"
#include "shared/base/utf8.h"

using namespace doorstep;

namespace {
void check_key(const std::string& k, bool utf8_in) {
  if (!k.empty() && (k.front() == ' ' || k.back() == ' ')) __builtin_trap();
  if (k.find("  ") != std::string::npos) __builtin_trap();
  if (utf8_in && !utf8::valid(k)) __builtin_trap();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  if (size > 4096) return 0;
  bool utf8 = utf8::valid(s);
  address::Address a = address::parse(s);
  std::string door = a.door_key();
  check_key(door, utf8);
  check_key(a.building_key(), utf8);
  check_key(a.loose_building_key(), utf8);
  if (a.parity() != address::Parity::none && a.number.empty()) __builtin_trap();
  // The normal form is a fixed point (for keys that start with a house number: without one a
  // numbered street name such as "8TH" would read as a number).
  if (!a.number.empty() && !a.name.empty()) {
    address::Address b = address::parse(door);
    if (b.door_key() != door) __builtin_trap();
  }

  std::vector<std::string_view> parts;
  size_t i = 0;
  while (parts.size() < 9) {
    size_t j = s.find('|', i);
    if (j == std::string_view::npos) {
      parts.push_back(s.substr(i));
      break;
    }
    parts.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  parts.resize(9);
  address::Parts p{parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], parts[6], parts[7], parts[8]};
  address::Address c = address::from_parts(p);
  check_key(c.door_key(), utf8);
  return 0;
}
