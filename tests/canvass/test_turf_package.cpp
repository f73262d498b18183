// Tests for shared/canvass/turf_package: a package built from a real store survives encode and
// decode unchanged, the script/survey codec round-trips through the store's rows, and the demo
// campaign's description (assets/demo/campaign.json) decodes with it.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "shared/base/ids.h"
#include "shared/canvass/turf_package.h"
#include "shared/store/campaign_store.h"
#include "shared/store/footprint_store.h"
#include "shared/sync/sync_schema.h"

using namespace doorstep;

namespace {

Hlc stamp(int64_t ms) { return Hlc{ms, 0, "server"}; }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A campaign with one turf of two doors (one with a safety note), three people (one
// do-not-contact), a two-language script with a branch and a survey with labelled choices.
struct Store {
  store::Db db;
  std::string campaign, turf, door_a, door_b;
  Store() {
    auto d = store::Db::open(":memory:");
    REQUIRE(d.ok());
    db = std::move(*d);
    REQUIRE(sync::migrate(db).ok());
    auto c = store::ensure_campaign(db, "Venice", stamp(1000), 1000);
    REQUIRE(c.ok());
    campaign = c->id;
    Building b;
    b.campaign_id = campaign;
    b.address_key = "1319 WALGROVE AVE|90291";
    b.address = "1319 Walgrove Ave";
    auto bb = store::upsert_building(db, b, stamp(1000));
    REQUIRE(bb.ok());
    auto door = [&](const std::string& unit, double lat, const std::string& safety) {
      Door dr;
      dr.campaign_id = campaign;
      dr.building_id = bb->id;
      dr.address_key = b.address_key + "#" + unit;
      dr.address = "1319 Walgrove Ave #" + unit;
      dr.unit = unit;
      dr.lat = lat;
      dr.lon = -118.44;
      dr.safety = safety;
      auto r = store::upsert_door(db, dr, stamp(1000));
      REQUIRE(r.ok());
      return r->id;
    };
    door_a = door("1", 34.0001, "");
    door_b = door("2", 34.0002, "dog");
    auto person = [&](const std::string& key, const std::string& door_id, const std::string& first, bool dnc) {
      Person p;
      p.campaign_id = campaign;
      p.source_key = "ca:" + key;
      p.door_id = door_id;
      p.first_name = first;
      p.last_name = "Rivera";
      p.language = "es";
      p.party = "DEM";
      p.age = 41;
      p.phone = "310-555-0100";  // never in a package
      auto r = store::upsert_person(db, p, stamp(1000));
      REQUIRE(r.ok());
      if (dnc) REQUIRE(store::write_field(db, "person", r->id, "do_not_contact", int64_t{1}, stamp(1001)).ok());
    };
    person("1", door_a, "Ana", false);
    person("2", door_b, "Luis", false);
    person("3", door_b, "Hidden", true);
    Turf t;
    t.campaign_id = campaign;
    t.name = "Walgrove";
    t.polygon_geojson = R"({"type":"Polygon","coordinates":[[[-118.46,34.0],[-118.45,34.0],[-118.45,34.01],[-118.46,34.0]]]})";
    auto tu = store::upsert_turf(db, t, stamp(1000));
    REQUIRE(tu.ok());
    turf = tu->id;
    REQUIRE(store::set_turf_doors(db, turf, {door_b, door_a}, stamp(1000)).ok());
    REQUIRE(store::write_field(db, "door", door_a, "status", std::string("talked"), stamp(1002)).ok());

    SurveyQuestion q;
    q.id = new_uuid_v7(1000);
    q.campaign_id = campaign;
    q.position = 1;
    q.kind = QuestionKind::single_choice;
    q.van_name = "Worry";
    q.choices = {"cost", "debt"};
    q.labels = {{"en", "Biggest worry", {"Cost", "Debt"}}, {"es", "Mayor preocupación", {"Costo", "Deudas"}}};
    REQUIRE(store::upsert_question(db, q, stamp(1000)).ok());
    for (const char* lang : {"en", "es"}) {
      ScriptSection s;
      s.id = new_uuid_v7(1000);
      s.campaign_id = campaign;
      s.language = lang;
      s.position = 1;
      s.title = std::string("Hi ") + lang;
      s.body = "Hello";
      REQUIRE(store::upsert_script_section(db, s, stamp(1000)).ok());
      s.id = new_uuid_v7(1000);
      s.position = 2;
      s.title = "If worried";
      s.branch_question_id = q.id;
      s.branch_answer = "cost";
      REQUIRE(store::upsert_script_section(db, s, stamp(1000)).ok());
    }
  }
};

}  // namespace

TEST_CASE("a package built from the store round-trips through encode and decode") {
  Store w;
  auto p = canvass::build_package(w.db, {w.campaign, w.turf, "link-1", 1767225600000});
  REQUIRE(p.ok());
  CHECK(p->languages == std::vector<std::string>{"en", "es"});
  REQUIRE(p->doors.size() == 2);
  CHECK(p->doors[0].id == w.door_b);  // walk order
  CHECK(p->doors[0].order == 1);
  CHECK(p->doors[0].flags == std::vector<std::string>{"safety"});
  CHECK(p->doors[0].safety == "dog");
  CHECK(p->doors[1].package_status == "talked");
  REQUIRE(p->people.size() == 2);  // the do-not-contact resident is left out
  CHECK(p->people[0].first_name == "Luis");
  CHECK(p->people[0].age == 41);
  REQUIRE(p->survey.size() == 1);
  CHECK(p->survey[0].van_name.empty());  // the VAN column name stays with the organizer
  CHECK(p->survey[0].choices[1].labels.at("es") == "Deudas");
  CHECK(p->script.at("es")[1].branch_question == p->survey[0].id);

  json::Value wire = canvass::encode_package(*p);
  std::string text = json::dump(wire);
  CHECK(text.find("310-555-0100") == std::string::npos);
  CHECK(text.find("Hidden") == std::string::npos);
  auto back = canvass::parse_package(text);
  REQUIRE(back.ok());
  CHECK(*back == *p);
  CHECK(canvass::encode_package(*back) == wire);
}

TEST_CASE("a package's doors go to the footprint they stand in; without footprints they keep their address's building") {
  Store w;
  auto plain = canvass::build_package(w.db, {w.campaign, w.turf, "link-1", 1767225600000});
  REQUIRE(plain.ok());
  CHECK(plain->buildings.empty());
  const std::string by_address = plain->doors[0].building_id;
  CHECK(plain->doors[1].building_id == by_address);  // two units of one address, 11 m apart

  // One footprint around both units, one far away.
  geo::MultiPolygon home, far;
  home.polygons.push_back(geo::Polygon{{geo::rect_ring(geo::to_fix(-118.4402), geo::to_fix(34.0000),
                                                       geo::to_fix(-118.4398), geo::to_fix(34.0003))}});
  home.finish();
  far.polygons.push_back(geo::Polygon{{geo::rect_ring(geo::to_fix(-118.4302), geo::to_fix(34.0100),
                                                      geo::to_fix(-118.4298), geo::to_fix(34.0103))}});
  far.finish();
  auto id = store::add_footprint(w.db, w.campaign, home);
  REQUIRE(id.ok());
  REQUIRE(store::add_footprint(w.db, w.campaign, far).ok());
  auto p = canvass::build_package(w.db, {w.campaign, w.turf, "link-1", 1767225600000});
  REQUIRE(p.ok());
  REQUIRE(p->buildings.size() == 1);  // only the turf's
  CHECK(p->buildings[0].id == *id);
  CHECK(p->buildings[0].units == 2);
  CHECK(p->buildings[0].geometry.find("Polygon") != std::string::npos);
  CHECK(p->doors[0].building_id == *id);
  CHECK(p->doors[1].building_id == *id);
  auto back = canvass::parse_package(json::dump(canvass::encode_package(*p)));
  REQUIRE(back.ok());
  CHECK(*back == *p);
}

TEST_CASE("a package's buildings and map settings round-trip; a building without geometry is dropped") {
  Store w;
  auto p = canvass::build_package(w.db, {w.campaign, w.turf, "link-1", 1767225600000});
  REQUIRE(p.ok());
  auto geom = json::parse(R"({"type":"Polygon","coordinates":[[[-118.44,34.0],[-118.439,34.0],[-118.439,34.001],[-118.44,34.0]]]})");
  REQUIRE(geom.ok());
  p->buildings.push_back({"fp1", 2, json::dump(*geom)});
  p->map = {"/tiles/{z}/{x}/{y}.mvt", "LA County GIS", 15, 18, 20971520};
  const json::Value wire = canvass::encode_package(*p);
  auto back = canvass::decode_package(wire);
  REQUIRE(back.ok());
  CHECK(back->buildings == p->buildings);
  CHECK(back->map == p->map);
  CHECK(*back == *p);
  json::Value odd = wire;
  odd.set("buildings", json::Array{json::Value(json::Object{{"id", "fp2"}, {"units", 1}})});
  odd.set("map", nullptr);
  auto lenient = canvass::decode_package(odd);
  REQUIRE(lenient.ok());
  CHECK(lenient->buildings.empty());
  CHECK(lenient->map.tiles.empty());
}

TEST_CASE("the script and survey codec round-trips, also through the store's rows") {
  Store w;
  auto qs = store::list_questions(w.db, w.campaign);
  REQUIRE(qs.ok());
  REQUIRE(qs->size() == 1);
  canvass::Question q = canvass::question_from_store((*qs)[0]);
  CHECK(q.van_name == "Worry");
  auto survey = canvass::decode_survey(canvass::encode_survey({q}));
  REQUIRE(survey.size() == 1);
  CHECK(survey[0] == q);  // van_name travels when set (organizer side)
  auto row = canvass::question_to_store(q);
  REQUIRE(row.ok());
  CHECK(row->choices == (*qs)[0].choices);
  CHECK(row->van_name == "Worry");
  REQUIRE(row->labels.size() == 2);
  CHECK(row->labels[1].language == "es");
  CHECK(row->labels[1].choice_labels == std::vector<std::string>{"Costo", "Deudas"});

  auto secs = store::list_script(w.db, w.campaign, "en");
  REQUIRE(secs.ok());
  canvass::Script script;
  for (const auto& s : *secs) script["en"].push_back(canvass::section_from_store(s));
  CHECK(canvass::decode_script(canvass::encode_script(script)) == script);
  ScriptSection again = canvass::section_to_store(script["en"][1], "en");
  CHECK(again.body == (*secs)[1].body);
  CHECK(again.branch_question_id == (*secs)[1].branch_question_id);
  CHECK(again.branch_answer == "cost");

  canvass::Question bad = q;
  bad.kind = "ranking";
  CHECK(canvass::question_to_store(bad).error().code == Code::invalid_argument);
}

TEST_CASE("the demo campaign's script and survey decode with the package's codec") {
  auto spec = json::parse(read_file(std::string(DOORSTEP_SOURCE_DIR) + "/assets/demo/campaign.json"));
  REQUIRE(spec.ok());
  auto survey = canvass::decode_survey(*spec->find("survey"));
  REQUIRE(survey.size() == 4);
  for (const auto& q : survey) {
    CHECK_MESSAGE(canvass::question_to_store(q).ok(), q.id);
    CHECK_MESSAGE(q.labels.size() == 6, q.id);
  }
  auto scale = canvass::question_to_store(survey[0]);
  REQUIRE(scale.ok());
  CHECK(scale->labels[0].choice_labels == std::vector<std::string>{"1", "2", "3", "4", "5"});  // numbers label a scale
  canvass::Script script = canvass::decode_script(*spec->find("script"));
  CHECK(script.size() == 6);
  int branches = 0;
  for (const auto& entry : script) {  // no structured binding: clang 14 cannot capture one in CHECK
    const std::string& lang = entry.first;
    CHECK_MESSAGE(entry.second.size() == 6, lang);
    for (const auto& s : entry.second) {
      CHECK_MESSAGE(!s.text.empty(), lang << ": " << s.title);
      branches += !s.branch_question.empty();
    }
  }
  CHECK(branches == 6);
}

TEST_CASE("campaign.help round-trips; absent when empty; wrong types read as empty") {
  canvass::Package p;
  p.campaign_id = "c1";
  p.turf_id = "t1";
  CHECK(canvass::encode_package(p).find("campaign")->find("help") == nullptr);
  p.help.organizer_name = "Maria";
  p.help.organizer_phone = "+1 310 555 0142";
  p.help.meeting_place = "Oakwood Park";
  p.help.shift_end = "1:00 pm";
  p.help.faq["en"] = {{"What does it cost?", "Less than now."}};
  p.help.faq["es"] = {{"¿Cuánto cuesta?", "Menos que hoy."}};
  auto back = canvass::decode_package(canvass::encode_package(p));
  REQUIRE(back.ok());
  CHECK(back->help == p.help);
  auto odd = json::parse(R"({"organizer_phone": 5, "faq": {"en": [{"q": "Q"}, 3, {}], "es": "no"}})");
  REQUIRE(odd.ok());
  auto h = canvass::decode_help(*odd);
  CHECK(h.organizer_phone.empty());
  REQUIRE(h.faq["en"].size() == 1);
  CHECK(h.faq["en"][0].q == "Q");
  CHECK(h.faq.count("es") == 0);
}
