// Tests for shared/presets: detection from real layouts (tests/data/formats/voter_file_layouts.md), column mapping,
// generic user mappings, and the date/phone/flag normalisers used by the importer.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "shared/parse/presets.h"

using namespace doorstep;
using namespace doorstep::presets;

namespace {
std::vector<std::string> split(const std::string& s, char d) {
  std::vector<std::string> out(1);
  for (char c : s) {
    if (c == d) out.emplace_back();
    else out.back() += c;
  }
  return out;
}
// Column lists copied from tests/data/formats/voter_file_layouts.md.
const char* kCalifornia =
    "CountyCode\tRegistrantID\tExtractDate\tLastName\tFirstName\tMiddleName\tSuffix\tAddressNumber\t"
    "HouseFractionNumber\tAddressNumberSuffix\tStreetDirPrefix\tStreetName\tStreetType\tStreetDirSuffix\t"
    "UnitType\tUnitNumber\tCity\tState\tZip\tPhone1Area\tPhone1Exchange\tPhone1NumberPart\tPhone2Area\t"
    "Phone2Exchange\tPhone2NumberPart\tPhone3Area\tPhone3Exchange\tPhone3NumberPart\tPhone4Area\t"
    "Phone4Exchange\tPhone4NumberPart\tEmail\tMailingAddressLine1\tMailingAddressLine2\tMailingAddressLine3\t"
    "MailingCity\tMailingState\tMailingZip5\tMailingCountry\tLanguage\tDOB\tGender\tPartyCode\tStatus\t"
    "RegistrationDate\tPrecinct\tPrecinctNumber\tRegistrationMethodCode\tPlaceOfBirth\tNamePrefix\t"
    "NonStandardAddress\tVoterStatusReasonCodeDesc\tAssistanceRequestFlag\tVbmVoterType\tEmsVoterId\t"
    "PrecinctId\tUSCongressionalDistrict\tStateSenate\tStateAssembly\tMunicipality\tCountySupervisoral";
const char* kVan =
    "Voter File VANID,LastName,FirstName,MiddleName,Suffix,Sex,Age,Party,Address,City,State,Zip5,Zip4,"
    "mAddress,mCity,mState,mZip5,PrecinctName,Latitude,Longitude,CensusTractName,HomePhone,Pref Phone ,"
    "Cell Phone,StateFileID";
const char* kNationBuilder =
    "nationbuilder_id,prefix,first_name,middle_name,last_name,suffix,email1,email2,phone_number,"
    "work_phone_number,mobile_number,primary_address1,primary_address2,primary_city,primary_state,primary_zip,"
    "registered_address1,registered_address2,registered_city,registered_state,registered_zip,do_not_call,"
    "do_not_contact,support_level,van_id,state_file_id";
const char* kOpenAddresses = "LON,LAT,NUMBER,STREET,UNIT,CITY,DISTRICT,REGION,POSTCODE,ID,HASH";
const char* kVenice = "source_file,osm_type,osm_id,lat,lon,housenumber,street,unit,city,postcode,building";
}  // namespace

TEST_CASE("each documented layout is detected as its preset") {
  auto ca = detect(split(kCalifornia, '\t'));
  REQUIRE(ca.ok());
  CHECK(ca->kind == Kind::california);
  CHECK(ca->column_of(Field::source_id) == 1);
  CHECK(ca->column_of(Field::street_name) == 11);
  CHECK(ca->column_of(Field::phone_number) == 21);
  CHECK(ca->column_of(Field::birth_date) == 40);
  CHECK_FALSE(ca->has(Field::lat));

  auto van = detect(split(kVan, ','));
  REQUIRE(van.ok());
  CHECK(van->kind == Kind::van);
  CHECK(van->column_of(Field::van_id) == 0);
  CHECK(van->column_of(Field::lat) == 18);
  CHECK(van->column_of(Field::phone) == 23);  // Cell Phone preferred over "Pref Phone " and HomePhone
  CHECK(van->column_of(Field::state_id) == 24);

  // Some VAN exports name the id column plain "VANID".
  auto van2 = detect({"VANID", "LastName", "FirstName", "Address", "Zip5"});
  REQUIRE(van2.ok());
  CHECK(van2->kind == Kind::van);
  CHECK(van2->column_of(Field::van_id) == 0);
  CHECK(van2->column_of(Field::address_line) == 3);

  auto nb = detect(split(kNationBuilder, ','));
  REQUIRE(nb.ok());
  CHECK(nb->kind == Kind::nationbuilder);
  CHECK(nb->column_of(Field::address_line) == 16);  // registered address first
  CHECK(nb->column_of(Field::do_not_contact) == 22);
  CHECK(nb->has_people);

  auto oa = detect(split(kOpenAddresses, ','));
  REQUIRE(oa.ok());
  CHECK(oa->kind == Kind::openaddresses);
  CHECK_FALSE(oa->has_people);
  CHECK(oa->column_of(Field::source_id) == 10);

  auto ve = detect(split(kVenice, ','));
  REQUIRE(ve.ok());
  CHECK(ve->kind == Kind::address_points);
  CHECK(ve->column_of(Field::house_number) == 5);
}

TEST_CASE("detection is case- and space-insensitive and order-free; unknown headers are not guessed") {
  auto m = detect({"  street ", "HOUSENUMBER", "Lon", "LAT"});
  REQUIRE(m.ok());
  // OpenAddresses needs NUMBER; lowercase address-point columns match here.
  CHECK(m->kind == Kind::address_points);
  CHECK(m->column_of(Field::street) == 0);
  auto none = detect({"Name", "Where"});
  CHECK(none.error().code == Code::not_found);
}

TEST_CASE("by_name enforces the preset's columns and parses generic mappings") {
  auto header = split("Id,First,Last,Addr,Zip", ',');
  CHECK(by_name("california", header).error().code == Code::invalid_argument);
  CHECK(by_name("nonsense", header).error().code == Code::invalid_argument);
  auto g = by_name("generic:source_id=Id,first_name=First,last_name=Last,address_line=Addr,zip=zip", header);
  REQUIRE(g.ok());
  CHECK(g->kind == Kind::generic);
  CHECK(g->column_of(Field::address_line) == 3);
  CHECK(g->column_of(Field::zip) == 4);
  CHECK(g->has_people);
  CHECK(by_name("generic", header, "first_name=First").error().code == Code::invalid_argument);  // no address
  CHECK(by_name("generic", header, "shoe_size=First,address_line=Addr").error().code == Code::invalid_argument);
  CHECK(by_name("generic", header, "address_line=Nope").error().code == Code::invalid_argument);
}

TEST_CASE("dates, phones and flags normalise") {
  CHECK(normalise_date("19840312") == "1984-03-12");
  CHECK(normalise_date("1984-03-12") == "1984-03-12");
  CHECK(normalise_date("3/12/1984") == "1984-03-12");
  CHECK(normalise_date("13/12/1984") == "");
  CHECK(normalise_date("yesterday") == "");
  CHECK(normalise_phone("(310) 555-0100") == "3105550100");
  CHECK(normalise_phone("+1 310 555 0100") == "3105550100");
  CHECK(normalise_phone("555-0100") == "");
  CHECK(truthy("TRUE"));
  CHECK(truthy(" y "));
  CHECK_FALSE(truthy("false"));
  CHECK_FALSE(truthy(""));
}

TEST_CASE("languages become BCP 47 primary tags, unknown ones are kept") {
  CHECK(presets::normalise_language("SPANISH") == "es");
  CHECK(presets::normalise_language(" Korean ") == "ko");
  CHECK(presets::normalise_language("CHINESE") == "zh");
  CHECK(presets::normalise_language("ARMENIAN") == "hy");
  CHECK(presets::normalise_language("Tagalog") == "tl");
  CHECK(presets::normalise_language("es-MX") == "es");
  CHECK(presets::normalise_language("en") == "en");
  CHECK(presets::normalise_language("") == "");
  CHECK(presets::normalise_language("Quechua") == "quechua");
}
