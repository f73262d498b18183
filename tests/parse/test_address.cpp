// Tests for shared/address: USPS suffixes, directionals and unit designators, half numbers and
// number suffixes, door/building keys, parity, and the suffix-less key the Venice points need.
#include <doctest/doctest.h>

#include "shared/parse/address.h"

using namespace doorstep;
using address::Address;

TEST_CASE("address parses a full line into USPS parts") {
  Address a = address::parse("1500 1/2 North Walgrove Avenue, Apt. #4b");
  CHECK(a.number == "1500");
  CHECK(a.number_value == 1500);
  CHECK(a.fraction == "1/2");
  CHECK(a.predir == "N");
  CHECK(a.name == "WALGROVE");
  CHECK(a.type == "AVE");
  CHECK(a.unit_type == "APT");
  CHECK(a.unit == "4B");
  CHECK(a.building_key() == "1500 1/2 N WALGROVE AVE");
  CHECK(a.door_key() == "1500 1/2 N WALGROVE AVE #4B");
  CHECK(a.loose_building_key() == "1500 1/2 N WALGROVE");
  CHECK(a.street_key() == "N WALGROVE AVE");
  CHECK(a.parity() == address::Parity::even);
}

TEST_CASE("address spellings of one door give one key") {
  const char* same[] = {"123 N Main St Apt 4",       "123 north main street unit 4", "123 N. MAIN ST. #4",
                        "00123 N Main Str # 04",     "123 N Main St Apartment 4",   "123 N Main St, 4",
                        "123 N Main St APT # 4"};
  for (const char* s : same) {
    CAPTURE(s);
    Address a = address::parse(s);
    CHECK(a.building_key() == "123 N MAIN ST");
    CHECK(a.door_key() == "123 N MAIN ST #4");
  }
  // Without a unit, the door is the building.
  CHECK(address::parse("123 N Main St").door_key() == "123 N MAIN ST");
  CHECK(address::parse("123 N Main St").parity() == address::Parity::odd);
}

TEST_CASE("address number suffixes, fractions and hyphenated numbers") {
  for (const char* s : {"12A Rose Ave", "12-A Rose Ave", "12 A Rose Ave", "12a rose avenue"}) {
    CAPTURE(s);
    Address a = address::parse(s);
    CHECK(a.number == "12");
    CHECK(a.number_suffix == "A");
    CHECK(a.building_key() == "12A ROSE AVE");
  }
  CHECK(address::parse("12\xC2\xBD Rose Ave").building_key() == "12 1/2 ROSE AVE");
  CHECK(address::parse("637 3/4 Vernon").fraction == "3/4");
  Address q = address::parse("12-34 31st Ave");
  CHECK(q.number == "12-34");
  CHECK(q.number_value == 12);
  CHECK(q.name == "31ST");
  CHECK(address::parse("99 E St").building_key() == "99 E ST");  // a letter street, not a directional
}

TEST_CASE("address keeps one-word names that look like suffixes or units") {
  CHECK(address::parse("10 Harbor").name == "HARBOR");
  CHECK(address::parse("10 Park Ave").building_key() == "10 PARK AVE");
  CHECK(address::parse("10 Ocean Front Walk").building_key() == "10 OCEAN FRONT WALK");
  CHECK(address::parse("10 Ocean Front").building_key() == "10 OCEAN FRONT");
  CHECK(address::parse("10 Main St Rear").unit == "REAR");
  CHECK(address::parse("10 Coeur D'Alene Ave").name == "COEUR D ALENE");
  CHECK(address::parse("10 Sixth St").name == "6TH");
  CHECK(address::parse("10 Main St NW").postdir == "NW");
  CHECK(address::parse("10 N Broadway").predir == "N");
  CHECK(address::parse("10 Key West Ave").unit.empty());  // KEY needs a unit value
  // Directional words are abbreviated wherever they stand, so keys agree however a name is split.
  CHECK(address::parse("10 Key West Ave").name == "KEY W");
}

TEST_CASE("address from separate columns matches the one-line form") {
  address::Parts p;
  p.number = "1500";
  p.fraction = "1/2";
  p.predir = "NORTH";
  p.name = "Walgrove";
  p.type = "AVENUE";
  p.unit_type = "APT";
  p.unit = "04";
  Address a = address::from_parts(p);
  CHECK(a.door_key() == address::parse("1500 1/2 N Walgrove Ave Apt 4").door_key());
  address::Parts q;
  q.number = "1319";
  q.name = "Walgrove";
  Address venice = address::from_parts(q);
  CHECK(venice.type.empty());
  CHECK(venice.loose_building_key() == address::parse("1319 Walgrove Avenue").loose_building_key());
  CHECK(venice.building_key() != address::parse("1319 Walgrove Avenue").building_key());
  address::Parts typed_name;  // StreetType left empty, the type written into StreetName
  typed_name.number = "1319";
  typed_name.name = "WALGROVE AVENUE";
  CHECK(address::from_parts(typed_name).building_key() == "1319 WALGROVE AVE");
  typed_name.name = "HARBOR";
  CHECK(address::from_parts(typed_name).building_key() == "1319 HARBOR");
  address::Parts u;
  u.number = "7";
  u.name = "Rose";
  u.unit = "B";
  CHECK(address::from_parts(u).door_key() == "7 ROSE #B");
}

TEST_CASE("address USPS lookups") {
  CHECK(address::street_type("Boulevard") == "BLVD");
  CHECK(address::street_type("blvd") == "BLVD");
  CHECK(address::street_type("AV") == "AVE");
  CHECK(address::street_type("Walgrove").empty());
  CHECK(address::street_type_word("AVE") == "AVENUE");
  CHECK(address::directional("southwest") == "SW");
  CHECK(address::unit_designator("Suite") == "STE");
  CHECK(address::unit_designator("#") == "#");
  CHECK(address::parse("").empty());
  CHECK(address::parse_street("12", "N Main St", "Apt 3").door_key() == "12 N MAIN ST #3");
  CHECK(address::parse_street("12", "N Main St", "3").door_key() == "12 N MAIN ST #3");
}

TEST_CASE("address normal form is a fixed point (regressions found by fuzz_address)") {
  const char* inputs[] = {"12 31st Avenue, Apt. '|APT|4 Apt 4", "12 # Main St",   "11 C Apt 4",
                          "3 # 1/2 #",                          "12 K 1/2 Main",  "1 N St NW Apt North",
                          "2 Out Walk Rear # .",                "131--sW Main",   "13-1O T Main",
                          "1 Main Apt Fifth # 2",               "1 O # 6nin Apw", "1 B\xC2.\xBD Main"};
  for (const char* s : inputs) {
    CAPTURE(s);
    std::string key = address::parse(s).door_key();
    CHECK(address::parse(key).door_key() == key);
  }
  CHECK(address::parse("11 C Apt 4").door_key() == "11 C #4");
  CHECK(address::parse("2 Out Walk Rear # .").unit == "REAR");
  CHECK(address::parse("12 Main Ave Apt Apt 4").door_key() == "12 MAIN AVE #4");
}

TEST_CASE("regression (fuzz_address): stray bytes in a number suffix cannot turn into a fraction on re-reading") {
  std::string s = "1\xc2-\xbd" "1 T1\xc2\xbd" "1 W\xc2\xc2k";
  auto a = address::parse(s);
  std::string key = a.door_key();
  CHECK(address::parse(key).door_key() == key);
}

TEST_CASE("regression (fuzz_address): a digit after stray bytes does not merge into the house number") {
  std::string s("1\xc2-\xbd" "1 T\x10\0\0\0|3 - #1\xc2\xbd" "1 W", 20);
  auto a = address::parse(s);
  std::string key = a.door_key();
  CHECK(address::parse(key).door_key() == key);
  CHECK(address::parse("12B Main St").number_suffix == "B");
}
