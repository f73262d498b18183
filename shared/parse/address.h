// US street address normalisation for grouping voters into doors and buildings and for joining
// them to address points: USPS directionals, street suffixes (Publication 28, C1) and unit
// designators, half numbers and number suffixes. Leaves out city/state/ZIP parsing, PO boxes,
// rural routes and spelling correction.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace doorstep::address {

enum class Parity : uint8_t { none, odd, even };

struct Address {
  std::string number;         // house number digits as written without leading zeros, "1500"; "12-34" kept
  uint32_t number_value = 0;  // leading digits as a number (for order, parity, interpolation)
  std::string fraction;       // "1/2", "1/4", "3/4"
  std::string number_suffix;  // "A" in 123A / 123-A / 123 A
  std::string predir;         // N S E W NE NW SE SW
  std::string name;           // street name proper, upper case: "ABBOT KINNEY", "6TH"
  std::string type;           // USPS suffix abbreviation: "AVE", "BLVD"; empty when absent
  std::string postdir;
  std::string unit_type;      // USPS designator: "APT", "UNIT", "STE", "#", ...
  std::string unit;           // "4B"

  bool empty() const { return number.empty() && name.empty(); }
  Parity parity() const;

  // "1500 1/2 N WALGROVE AVE" (no unit): every door of one building shares it.
  std::string building_key() const;
  // building key plus " #4B" when there is a unit: one dwelling. APT 4B, UNIT 4B and #4B agree.
  std::string door_key() const;
  // "N WALGROVE AVE" and the same without the type, for interpolation along a street.
  std::string street_key() const;
  std::string loose_street_key() const;
  // building key without the street type: the key that tolerates a missing suffix, as in the
  // Venice address points ("1319 WALGROVE" matches "1319 Walgrove Avenue").
  std::string loose_building_key() const;
  // Human form: "1500 1/2 N Walgrove Ave Apt 4B" is not attempted; this is the key style, upper case.
  std::string line() const;
};

// The parts as separate columns (California voter file, VAN): each part is normalised.
struct Parts {
  std::string_view number, fraction, number_suffix, predir, name, type, postdir, unit_type, unit;
};
Address from_parts(const Parts& p);

// One line such as "1500 1/2 North Walgrove Avenue, Apt. #4" (no city/state/ZIP).
Address parse(std::string_view line);

// Street part only ("N MAIN ST"), with the house number given separately (OpenAddresses layout).
Address parse_street(std::string_view number, std::string_view street, std::string_view unit = {});

// USPS lookups on one upper- or mixed-case word; empty when the word is not one.
std::string_view street_type(std::string_view word);      // "Avenue" -> "AVE"
std::string_view street_type_word(std::string_view abbr);  // "AVE" -> "AVENUE"
std::string_view directional(std::string_view word);      // "North" -> "N"
std::string_view unit_designator(std::string_view word);  // "Apartment" -> "APT", "#" -> "#"

}  // namespace doorstep::address
