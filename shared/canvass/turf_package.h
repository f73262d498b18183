// The turf package: everything a canvasser link downloads to work offline (GET
// /api/v1/canvass/package, docs/api.md), in one home: the Package type, building it from the
// store, encoding it for the wire, decoding it on the phone, and the script/survey JSON codec that
// the demo seed (and the survey editor to come) share with it. Leaves out who may read it (the
// server checks the link) and what the phone does with it (canvass_session).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/json.h"
#include "shared/base/model.h"
#include "shared/base/result.h"
#include "shared/store/store.h"

namespace doorstep::canvass {

// ---- Script and survey (one JSON shape for the package, the demo seed and the editor) ----------
struct Choice {
  std::string id;
  std::map<std::string, std::string> labels;  // language -> label
  bool operator==(const Choice&) const = default;
};
struct Question {
  std::string id, kind;  // kind: yes_no, single_choice, multiple_choice, scale_1_5, free_text
  std::map<std::string, std::string> labels;
  std::vector<Choice> choices;
  std::string van_name;  // organizer-side only (VAN column); never in a package
  // Organizer-side export mapping beside van_name (the column): VAN's survey question id and its
  // response id per choice. On the wire as "export": {"column", "van_question_id", "van_responses"}.
  std::string van_question_id;
  std::map<std::string, std::string> van_responses;
  bool operator==(const Question&) const = default;
};
struct Section {
  std::string id, title, text;
  std::string branch_question, branch_answer;  // shown only after this answer (empty: always)
  bool operator==(const Section&) const = default;
};
using Script = std::map<std::string, std::vector<Section>>;  // language -> sections in order

// {"en": [{"id", "title", "text", "branch": {"question", "answer"}}], ...}
json::Value encode_script(const Script& script);
Script decode_script(const json::Value& v);  // lenient: non-arrays skipped, missing strings ""
// [{"id", "kind", "labels": {lang: text}, "choices": [{"id", "labels"}], "van_name"?, "export"?}]
json::Value encode_survey(const std::vector<Question>& survey);
std::vector<Question> decode_survey(const json::Value& v);  // questions without an id are skipped

// Between the codec's shapes and the campaign store's rows.
Question question_from_store(const SurveyQuestion& q);
Section section_from_store(const ScriptSection& s);
// A choice without a label in a language the question has is labelled with its id (a scale's
// numbers are its labels). Unknown kind -> invalid_argument. Ids, positions and campaign are the
// caller's to set.
Result<SurveyQuestion> question_to_store(const Question& q);
ScriptSection section_to_store(const Section& s, std::string_view language);

// ---- The package -------------------------------------------------------------------------------
struct PackagePerson {
  std::string id, door_id, first_name, last_name, language, party, safety;
  int age = -1;  // -1: unknown
  std::vector<std::string> flags;
  bool operator==(const PackagePerson&) const = default;
};
// One earlier attempt at a door, as every canvasser of the turf may see it.
struct PackageAttempt {
  std::string result, canvasser;  // canvasser: first name only
  int64_t at = 0;
  std::string id;  // the attempt's id (absent from older packages), so a later undo or correction finds it
  bool operator==(const PackageAttempt&) const = default;
};
struct PackageDoor {
  std::string id, address, unit;
  std::string building_id;  // one of Package::buildings when the door stands in or beside a footprint
  double lat = 0, lon = 0;
  bool located = true;  // false: lat/lon are null on the wire (the phone refuses such a package)
  int order = 0;
  std::string package_status, safety;
  std::vector<std::string> flags;
  std::vector<int> people;  // indexes into Package::people
  std::vector<PackageAttempt> history;  // oldest first
  bool operator==(const PackageDoor&) const = default;
};
// A building of the turf as its footprint says (shared/route/footprints): the doors whose
// building_id is `id` stand in it or beside it.
struct PackageBuilding {
  std::string id;
  int units = 0;          // doors of this package in it
  std::string geometry;   // GeoJSON Polygon or MultiPolygon text, simplified for the phone
  bool operator==(const PackageBuilding&) const = default;
};
// Where the phone finds its base map; empty tiles: none (the map shows footprints and doors only).
struct PackageMap {
  std::string tiles;        // URL template, "/tiles/{z}/{x}/{y}.mvt" (vector) or ".png"/online XYZ
  std::string attribution;  // HTML as Leaflet shows it
  int min_zoom = 15, max_zoom = 18;  // the zooms the phone caches for offline use
  int64_t cache_max_bytes = 0;       // cap of the turf's tile cache on the phone
  bool operator==(const PackageMap&) const = default;
};

// What the canvasser's Help screen shows, as the organizer set it for the campaign: who to call,
// where to meet, when the shift ends (display text as written, in the campaign's time zone) and a
// script FAQ per language. Empty fields are not shown.
struct FaqEntry {
  std::string q, a;
  bool operator==(const FaqEntry&) const = default;
};
struct PackageHelp {
  std::string organizer_name, organizer_phone, meeting_place, shift_end;
  std::map<std::string, std::vector<FaqEntry>> faq;  // language -> questions in order
  bool empty() const {
    return organizer_name.empty() && organizer_phone.empty() && meeting_place.empty() && shift_end.empty() && faq.empty();
  }
  bool operator==(const PackageHelp&) const = default;
};
json::Value encode_help(const PackageHelp& h);
PackageHelp decode_help(const json::Value& v);  // lenient: wrong types read as empty

struct Package {
  std::string campaign_id, campaign_name, time_zone, turf_id, turf_name, turf_polygon, link_id, cursor;
  std::vector<std::string> languages;
  PackageHelp help;  // campaign.help; empty when the organizer set none
  int64_t expires_at = 0;
  std::vector<PackageDoor> doors;  // in walk order
  std::vector<PackagePerson> people;
  std::vector<PackageBuilding> buildings;
  PackageMap map;  // filled by the server, which knows its tile archives
  Script script;
  std::vector<Question> survey;
  // The campaign's survey version (each save in the editor makes a new one; 0: never saved). The
  // phone sends it back in attempt.add and re-fetches the package, between doors, when it changes.
  int64_t survey_version = 0;
  // The whole package's version (server/package_version.h: opaque, compared only; "" from servers
  // before it). Pull answers name the current one; another one means "fetch the package again".
  std::string package_version;
  bool operator==(const Package&) const = default;
};

// What the server knows about the link that asks.
struct PackageSource {
  std::string campaign_id, turf_id, link_id;
  int64_t expires_at = 0;
};
// The turf's package: everything a canvasser needs offline and nothing more (no phones, emails,
// birth dates or source ids; do-not-contact people and doors are left out by turf_walk_list).
// A deleted or unknown turf -> not_found.
Result<Package> build_package(store::Db& db, const PackageSource& src);

// The first word of what a canvasser typed as their name: all another canvasser may see of it.
std::string first_name_of(std::string_view canvasser);

json::Value encode_package(const Package& p);
// Unknown fields are ignored (forward compatible); missing required ones are an error naming the
// field. Doors come out sorted by "order"; people at doors not in the package are dropped.
Result<Package> decode_package(const json::Value& v);
Result<Package> parse_package(std::string_view json_text);  // parse (64 MiB cap) + decode

}  // namespace doorstep::canvass
