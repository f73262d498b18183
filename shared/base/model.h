// The campaign data model shared by browser, server and sync: enums with stable text names (the
// names are stored in SQLite and sent on the wire, so never rename one) and plain record structs.
// Leaves out storage (shared/store/store.h, shared/store/campaign_store.h) and, by design, any immigration field.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace doorstep {

// ---- Enums with stable names ------------------------------------------------------------------
enum class AttemptResult {
  not_home,
  talked,
  refused,
  moved,
  inaccessible,
  deceased,
  wrong_address,
  lit_drop,
  come_back,
};

enum class QuestionKind { yes_no, single_choice, multiple_choice, scale_1_5, free_text };

enum class ConsentPurpose { call_me, email_me, volunteer, join, text_me };  // append only: names are stored

// archived: a deleted turf that had records, kept with its door list and attempts; not live (its
// doors may go to new turfs) and handed to no one. Append only: names are stored.
enum class TurfStatus { draft, open, assigned, done, archived };

// How a door got its coordinates. `source`: the input file carried them; `exact`: an address
// point matched the normalised address; `approximate`: interpolated between house numbers;
// `ambiguous`: several points far apart (not placed); `none`: no match.
enum class GeocodeQuality { none, source, exact, approximate, ambiguous };

std::string_view to_name(AttemptResult v);
std::string_view to_name(QuestionKind v);
std::string_view to_name(ConsentPurpose v);
std::string_view to_name(TurfStatus v);
std::string_view to_name(GeocodeQuality v);

std::optional<AttemptResult> attempt_result_from_name(std::string_view s);
std::optional<QuestionKind> question_kind_from_name(std::string_view s);
std::optional<ConsentPurpose> consent_purpose_from_name(std::string_view s);
std::optional<TurfStatus> turf_status_from_name(std::string_view s);
std::optional<GeocodeQuality> geocode_quality_from_name(std::string_view s);

// All values in declaration order (for menus, tests and exports).
const std::vector<AttemptResult>& all_attempt_results();
const std::vector<QuestionKind>& all_question_kinds();
const std::vector<ConsentPurpose>& all_consent_purposes();

// ---- Records ------------------------------------------------------------------------------
// Ids are UUIDv7 text (shared/base/ids.h). Mutable fields have an `<field>_hlc` column in SQLite;
// the structs carry values only; campaign_store.h reads and writes the clocks.

struct Campaign {
  std::string id;
  std::string name;
  std::string time_zone = "America/Los_Angeles";  // IANA name; see export.h for the supported set
  int64_t created_ms = 0;
};

struct Building {
  std::string id;
  std::string campaign_id;
  std::string address_key;  // normalised street address without unit: the building's identity
  std::string address;      // display form
  std::string city, state, zip;
  std::optional<double> lat, lon;
};

struct Door {
  std::string id;
  std::string campaign_id;
  std::string building_id;
  std::string address_key;  // normalised street address with unit: the door's identity
  std::string address;      // display form, unit included
  std::string unit;
  std::optional<double> lat, lon;
  GeocodeQuality geocode = GeocodeQuality::none;
  bool do_not_contact = false;
  std::string safety;  // free-text warning for canvassers ("dog", "hostile"); empty = none
  bool deleted = false;
};

struct Person {
  std::string id;
  std::string campaign_id;
  std::string door_id;
  std::string source_key;  // "<preset>:<source id>", unique per campaign; re-imports match on it
  std::string van_id;      // VAN ID when known (needed by the VAN export)
  std::string state_id;    // state registrant id when known
  std::string first_name, middle_name, last_name, suffix;
  std::string birth_date;            // YYYY-MM-DD or empty
  std::optional<int32_t> age;
  std::string party;
  std::string language;              // preferred language as given by the source
  std::string phone, email;          // only where the source has them
  bool do_not_contact = false;
  std::string safety;
  bool deleted = false;
};

struct Turf {
  std::string id;
  std::string campaign_id;
  std::string name;
  std::string polygon_geojson;  // GeoJSON Polygon geometry text, may be empty
  TurfStatus status = TurfStatus::draft;
  bool deleted = false;
};

struct TurfDoor {
  std::string turf_id;
  std::string door_id;
  int64_t position = 0;  // walk order, ascending
};

struct Link {
  std::string id;
  std::string turf_id;
  std::string token_hash;  // the caller hashes the 128-bit token; the raw token is never stored
  int64_t created_ms = 0;
  int64_t expires_ms = 0;
  bool revoked = false;
};

struct ScriptSection {
  std::string id;
  std::string campaign_id;
  std::string language;  // BCP 47 tag, e.g. "en", "es", "ko", "hy"
  int64_t position = 0;
  std::string title, body;
  // Optional branch: shown only when question `branch_question_id` was answered `branch_answer`.
  std::string branch_question_id, branch_answer;
  bool deleted = false;
};

struct QuestionLabel {
  std::string language;
  std::string label;
  std::vector<std::string> choice_labels;  // parallel to SurveyQuestion::choices
};

struct SurveyQuestion {
  std::string id;
  std::string campaign_id;
  int64_t position = 0;
  QuestionKind kind = QuestionKind::yes_no;
  std::string van_name;               // column name in the VAN upload; empty = use the English label
  std::vector<std::string> choices;   // stable choice keys for single/multiple choice
  std::vector<QuestionLabel> labels;  // per language
  bool deleted = false;
};

struct Attempt {
  std::string id;
  std::string campaign_id;
  std::string door_id;
  std::string person_id;  // optional: empty when nobody in particular was met
  std::string turf_id;    // optional
  AttemptResult result = AttemptResult::not_home;
  std::string answers_json = "{}";  // {"<question id>": answer}; answer is bool, int, string or [string]
  std::string notes;
  std::string canvasser, device;
  int64_t client_ms = 0;  // phone's clock at record time
  int64_t server_ms = 0;  // when the server stored it (0 until then)
  std::optional<double> lat, lon, accuracy_m, distance_m;
  bool off_turf = false;  // the door left the turf while the canvasser was offline
};

struct Consent {
  ConsentPurpose purpose = ConsentPurpose::call_me;
  bool granted = false;
};

struct Signup {
  std::string id;
  std::string campaign_id;
  std::string person_id, door_id, attempt_id;  // any may be empty
  std::string name, phone, email;
  std::string pledge;  // free text of what was pledged, empty = none
  int64_t created_ms = 0;
  std::vector<Consent> consents;
  bool deleted = false;
};

}  // namespace doorstep
