// Tests for shared/parse/sniff (the console's look at a file's first rows) and the JSON column
// mappings of shared/parse/presets (presets::from_json / to_json) that the console edits and the
// universe upload's `&mapping=` carries.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "shared/parse/presets.h"
#include "shared/parse/sniff.h"

using namespace doorstep;

namespace {
const char* kCa =
    "RegistrantID\tLastName\tFirstName\tAddressNumber\tStreetName\tStreetType\tZip\tLanguage\tLanguageSpoken\n"
    "1001\tGARCIA\tMARIA\t1319\tWalgrove\tAve\t90291\tSPANISH\tKorean\n"
    "1002\tKIM\tMIN\t100\tRose\tAve\t90291\tENGLISH\tKorean\n"
    "1003\tLEE\tANNA\t12";  // cut by the slice

json::Value parse(const std::string& s) { return json::parse(s).value(); }
}  // namespace

TEST_CASE("sniff: detects the California layout and previews rows through it, leaving out a cut last line") {
  auto out = sniff::inspect(kCa, json::Value());
  CHECK(out.find("error")->as_string() == "");
  CHECK(out.find("delimiter")->as_string() == "tab");
  CHECK(out.find("detected")->as_string() == "california");
  CHECK(out.find("header")->size() == 9);
  const auto& rows = out.find("rows")->as_array();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].find("address")->as_string() == "1319 WALGROVE AVE");
  CHECK(rows[0].find("language")->as_string() == "es");
  CHECK(rows[1].find("mapped")->find("first_name")->as_string() == "MIN");
  CHECK(out.find("mapping")->find("columns")->find("language")->as_string() == "Language");
}

TEST_CASE("sniff: a changed column mapping is applied to the preview; the whole file reads the last row") {
  auto spec = parse(R"({"columns":{"language":"LanguageSpoken"}})");
  sniff::Options o;
  o.complete = true;
  auto out = sniff::inspect(kCa, spec, o);
  CHECK(out.find("error")->as_string() == "");
  const auto& rows = out.find("rows")->as_array();
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].find("language")->as_string() == "ko");
  CHECK(out.find("mapping")->find("preset")->as_string() == "california");
  CHECK(out.find("mapping")->find("columns")->find("language")->as_string() == "LanguageSpoken");
}

TEST_CASE("sniff: problems are reported, never thrown") {
  CHECK(sniff::inspect("", json::Value()).find("error")->as_string() == "the file is empty");
  auto unknown = sniff::inspect("a,b,c\n1,2,3\n", json::Value());
  CHECK(unknown.find("error")->as_string().find("no preset matches") != std::string::npos);
  CHECK(unknown.find("header")->size() == 3);  // the header is still shown, to map by hand
  auto bad = sniff::inspect(kCa, parse(R"({"columns":{"language":"Nope"}})"));
  CHECK(bad.find("error")->as_string() == "mapping: no column 'Nope' in the header (field language)");
}

TEST_CASE("presets::from_json: start from a preset or nothing; unmap; errors name the field") {
  std::vector<std::string> h = {"Name", "Addr", "ZIP", "Lang"};
  auto g = presets::from_json(h, parse(R"({"preset":"generic","columns":{"first_name":"Name","address_line":"Addr","zip":"ZIP"}})"));
  REQUIRE(g.ok());
  CHECK(g->kind == presets::Kind::generic);
  CHECK(g->has_people);
  CHECK(g->column_of(presets::Field::zip) == 2);
  // Nothing detected and no preset named: the columns are the whole mapping.
  auto d = presets::from_json(h, parse(R"({"columns":{"address_line":"Addr"}})"));
  REQUIRE(d.ok());
  CHECK_FALSE(d->has_people);
  auto round = presets::from_json(h, presets::to_json(*g, h));
  REQUIRE(round.ok());
  CHECK(round->column == g->column);
  CHECK(presets::from_json(h, parse(R"({"preset":"generic","columns":{"first_name":"Name"}})")).error().message ==
        "mapping needs an address column: address_line, street or street_name");
  CHECK(presets::from_json(h, parse(R"({"columns":{"colour":"Name"}})")).error().message == "mapping: unknown field 'colour'");
  CHECK(presets::from_json(h, parse(R"({"preset":"van"})")).error().message.find("preset van needs") == 0);
  CHECK(presets::from_json(h, parse(R"({"extra":1})")).error().message == "mapping: unknown member 'extra'");
  std::vector<std::string> ca = {"RegistrantID", "AddressNumber", "StreetName", "Zip"};
  auto unmapped = presets::from_json(ca, parse(R"({"columns":{"zip":""}})"));
  REQUIRE(unmapped.ok());
  CHECK_FALSE(unmapped->has(presets::Field::zip));
}
