// Tests for shared/canvass/walk_list: floors from unit numbers, street and building headers over
// the visit order, units by floor, search by address or name, the language a door opens in, and
// the phone's default language among the campaign's (Chinese as Traditional and Simplified).
#include <doctest/doctest.h>

#include "shared/canvass/walk_list.h"

using namespace doorstep;
using namespace doorstep::canvass;
using walk_list::Row;

namespace {

PackageDoor door(std::string address, std::string unit, std::string building) {
  PackageDoor d;
  d.id = address + "/" + unit;
  d.address = unit.empty() ? address : address + " Apt " + unit;
  d.unit = std::move(unit);
  d.building_id = std::move(building);
  return d;
}

std::string show(const Package& p, const std::vector<Row>& rows) {
  std::string s;
  for (const auto& r : rows) {
    switch (r.kind) {
      case Row::Kind::street: s += "S:" + r.label; break;
      case Row::Kind::building: s += "B:" + r.label; break;
      case Row::Kind::floor: s += "F" + std::to_string(r.floor); break;
      case Row::Kind::units: s += "U"; break;
      case Row::Kind::door: s += p.doors[r.door].unit.empty() ? p.doors[r.door].address : p.doors[r.door].unit; break;
    }
    s += "|";
  }
  return s;
}

}  // namespace

TEST_CASE("floor = the leading digits of a 3-4 digit unit number") {
  CHECK(walk_list::floor_of("304") == 3);
  CHECK(walk_list::floor_of("1205") == 12);
  CHECK(walk_list::floor_of("#304") == 3);
  CHECK(walk_list::floor_of("Apt 1205") == 12);
  CHECK(walk_list::floor_of("100") == 1);
  for (const char* none : {"", "2", "12", "B", "12A", "3-B", "10305", "PH1", "Rear 304"})
    CHECK_MESSAGE(walk_list::floor_of(none) == -1, none);
}

TEST_CASE("street and building headers; units by floor, the rest under Units in walk order") {
  Package p;
  p.doors = {door("10 Main St", "", "b1"),        door("12 Main St", "", "b2"),
             door("200 Ocean Ave", "304", "b3"),  door("200 Ocean Ave", "1205", "b3"),
             door("200 Ocean Ave", "302", "b3"),  door("200 Ocean Ave", "B", "b3"),
             door("200 Ocean Ave", "2", "b3"),    door("210 Ocean Ave", "", "b4"),
             door("14 Main St", "", "b5")};
  std::vector<int> order = {0, 1, 2, 3, 4, 5, 6, 7, 8};
  CHECK(show(p, walk_list::rows(p, order)) ==
        "S:Main St|10 Main St|12 Main St|"
        "S:Ocean Ave|B:200 Ocean Ave|F3|304|302|F12|1205|U|B|2|210 Ocean Ave|"
        "S:Main St|14 Main St|");
  // Only doors shown (a search) keep their headers; a building of one shown door has none.
  std::vector<bool> shown(p.doors.size(), false);
  shown[3] = shown[8] = true;
  CHECK(show(p, walk_list::rows(p, order, shown)) == "S:Ocean Ave|1205|S:Main St|14 Main St|");
  // A building whose units have no floor: its doors under its header in walk order.
  Package q;
  q.doors = {door("5 Rose Ave", "B", "x"), door("5 Rose Ave", "A", "x")};
  CHECK(show(q, walk_list::rows(q, {0, 1})) == "S:Rose Ave|B:5 Rose Ave|B|A|");
}

TEST_CASE("building address and street from the display address") {
  CHECK(walk_list::building_address(door("2305 Walgrove Ave", "2", "")) == "2305 Walgrove Ave");
  PackageDoor hash;
  hash.address = "2305 Walgrove Ave #12";
  hash.unit = "12";
  CHECK(walk_list::building_address(hash) == "2305 Walgrove Ave");
  CHECK(walk_list::street_of(door("1319 1/2 Walgrove Ave", "", "")) == "Walgrove Ave");
  CHECK(walk_list::street_of(door("Oakwood Park", "", "")) == "Oakwood Park");
}

TEST_CASE("search by address, unit or resident name: every word, any case") {
  Package p;
  p.doors = {door("2301 Walgrove Ave", "", ""), door("88 Ocean Ave", "304", "")};
  PackagePerson ana;
  ana.id = "p1";
  ana.first_name = "Ana";
  ana.last_name = "Ramírez";
  p.people = {ana};
  p.doors[1].people = {0};
  CHECK(walk_list::matches(p, 0, ""));
  CHECK(walk_list::matches(p, 0, "walgrove"));
  CHECK(walk_list::matches(p, 0, "2301 WALGROVE"));
  CHECK_FALSE(walk_list::matches(p, 0, "ana"));
  CHECK(walk_list::matches(p, 1, "ana ocean"));
  CHECK(walk_list::matches(p, 1, "Ramírez"));
  CHECK(walk_list::matches(p, 1, "304"));
  CHECK_FALSE(walk_list::matches(p, 1, "ana walgrove"));
  CHECK_FALSE(walk_list::matches(p, 7, ""));
}

TEST_CASE("languages: the campaign's tag that serves a reader, Chinese by its written form") {
  const std::vector<std::string> camp = {"en", "es", "ko", "zh-Hans", "zh-Hant"};
  CHECK(walk_list::match_language("es-MX", camp) == "es");
  CHECK(walk_list::match_language("zh-TW", camp) == "zh-Hant");
  CHECK(walk_list::match_language("zh-HK", camp) == "zh-Hant");
  CHECK(walk_list::match_language("zh-CN", camp) == "zh-Hans");
  CHECK(walk_list::match_language("zh-hant", camp) == "zh-Hant");
  CHECK(walk_list::match_language("hy", camp) == "");
  CHECK(walk_list::match_language("zh-Hant", {"en", "zh"}) == "zh");
  CHECK(walk_list::match_language("zh", {"en", "zh-Hant"}) == "zh-Hant");
  CHECK(walk_list::match_language("zh-Hant", {"en", "zh-Hans"}) == "");
  CHECK(walk_list::pick_language({"fr-FR", "es-US", "en"}, {"en", "es"}, "en") == "es");
  CHECK(walk_list::pick_language({"fr-FR"}, {"en", "es"}, "en") == "en");
  CHECK(walk_list::pick_language({"zh-TW", "en"}, camp, "en") == "zh-Hant");
  // Filipino phones and Cantonese readers.
  CHECK(walk_list::match_language("fil-PH", {"en", "tl"}) == "tl");
  CHECK(walk_list::match_language("fil", {"en", "tl"}) == "tl");
  CHECK(walk_list::match_language("tl", {"en", "fil"}) == "fil");
  CHECK(walk_list::match_language("yue-HK", camp) == "zh-Hant");
  CHECK(walk_list::match_language("yue", camp) == "zh-Hant");
  CHECK(walk_list::match_language("yue-Hans", camp) == "zh-Hans");
  CHECK(walk_list::pick_language({"fil-PH", "en-PH"}, {"en", "es", "tl"}, "en") == "tl");
}

TEST_CASE("a door opens in the picked resident's language, else the first listed the campaign has") {
  Package p;
  p.languages = {"en", "es", "ko"};
  p.doors = {door("1 A St", "", ""), door("2 A St", "", "")};
  for (auto [id, lang] : {std::pair{"p0", "hy"}, {"p1", "es"}, {"p2", "ko"}}) {
    PackagePerson x;
    x.id = id;
    x.language = lang;
    p.people.push_back(x);
  }
  p.doors[0].people = {0, 1, 2};
  CHECK(walk_list::door_language(p, 0) == "es");      // Armenian is not the campaign's: the next
  CHECK(walk_list::door_language(p, 0, 2) == "ko");   // the resident picked at the door
  CHECK(walk_list::door_language(p, 0, 0) == "es");   // picked, but no script in Armenian
  CHECK(walk_list::door_language(p, 1) == "");        // nobody listed
}
