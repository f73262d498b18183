// Typed reads and writes of the campaign model over shared/store/store.h, used by the importer, the
// server, the browser module and the sync engine: upserts by natural key, per-field last-writer-
// wins given an HLC, idempotent append-only attempts, walk lists. Leaves out transactions (the
// caller groups calls into one store::Transaction) and the sync change log (component "sync").
#pragma once
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "shared/base/ids.h"
#include "shared/base/model.h"
#include "shared/base/result.h"
#include "shared/store/store.h"

namespace doorstep::store {

// ---- Campaigns ----------------------------------------------------------------------------------
// Finds the campaign by name or creates it (new UUIDv7 id). time_zone applies only on creation.
Result<Campaign> ensure_campaign(Db& db, std::string_view name, const Hlc& hlc, int64_t now_ms,
                                 std::string_view time_zone = "America/Los_Angeles");
Result<Campaign> get_campaign(Db& db, std::string_view id);
Result<std::vector<Campaign>> list_campaigns(Db& db);

// ---- Upserts by natural key -------------------------------------------------------------------
// A new row's field clocks stay NULL: NULL means "the value the row was created with", older than
// any later write (a NULL-stamped field loses to every stamped write). Later changes carry `hlc`.
// This keeps an imported person at ~200 bytes instead of ~600 (15 clocks of ~30 bytes each).
struct Upserted {
  std::string id;
  bool inserted = false;
  bool changed = false;  // an existing row took at least one new value
};

// Building by (campaign_id, address_key). Keeps the first coordinates unless the row had none.
Result<Upserted> upsert_building(Db& db, const Building& b, const Hlc& hlc);
// Door by (campaign_id, address_key). b.building_id must be set. Location is written LWW
// (location_hlc) and only when `d` has coordinates. d.id is used only when inserting (empty: new id).
Result<Upserted> upsert_door(Db& db, const Door& d, const Hlc& hlc);
// Person by (campaign_id, source_key). Source fields (names, birth date, age, party, language,
// phone, email, door) are written LWW per field; a newer edit made on a phone is kept. A person
// tombstoned earlier than `hlc` is revived. A source may set do_not_contact, never clear it.
// p.id is used only when inserting (empty: new id).
Result<Upserted> upsert_person(Db& db, const Person& p, const Hlc& hlc);

// ---- Per-field last-writer-wins ----------------------------------------------------------------
using FieldValue = std::variant<std::nullptr_t, int64_t, double, std::string>;

// Sets table.field of row `id` when `hlc` is newer than the field's stored clock. Returns true
// when written, false when the stored value is newer (or equal: same stamp = same write).
// Only fields that carry a clock are accepted (invalid_argument otherwise); deleting is
// write_field(db, table, id, "deleted", int64_t{1}, hlc). Missing row -> not_found.
// Tables: campaign, door, person, turf, link, script_section, survey_question, signup.
Result<bool> write_field(Db& db, std::string_view table, std::string_view id, std::string_view field,
                         const FieldValue& value, const Hlc& hlc);
// The stored clock of one field ("" when never written with a clock).
Result<std::string> field_hlc(Db& db, std::string_view table, std::string_view id, std::string_view field);

// ---- Reads ---------------------------------------------------------------------------------
Result<Door> get_door(Db& db, std::string_view id);
Result<Person> get_person(Db& db, std::string_view id);
Result<std::optional<Person>> find_person_by_source(Db& db, std::string_view campaign_id,
                                                    std::string_view source_key);
Result<std::vector<Person>> people_at_door(Db& db, std::string_view door_id, bool include_deleted = false);
Result<std::vector<Door>> list_doors(Db& db, std::string_view campaign_id);

struct Counts {
  int64_t people = 0, doors = 0, buildings = 0, geocoded_doors = 0, attempts = 0;
};
Result<Counts> count_campaign(Db& db, std::string_view campaign_id);  // live (non-deleted) rows

// ---- Attempts (append-only) -------------------------------------------------------------------
enum class InsertOutcome { inserted, duplicate };
// Inserts by id. The same id with the same content again -> duplicate (a harmless retry); the
// same id with different content -> Code::conflict. Validates id (UUID) and door_id presence.
Result<InsertOutcome> insert_attempt(Db& db, const Attempt& a);
// Both read attempts as they stand: voided ones left out, corrections (attempt.amend) applied.
Result<std::vector<Attempt>> attempts_for_door(Db& db, std::string_view door_id);
Result<std::vector<Attempt>> list_attempts(Db& db, std::string_view campaign_id);  // by client_ms, id

// ---- Turfs and walk lists -----------------------------------------------------------------------
Result<Upserted> upsert_turf(Db& db, const Turf& t, const Hlc& hlc);  // by id (empty: new)
Result<std::vector<Turf>> list_turfs(Db& db, std::string_view campaign_id);
// Makes `door_ids` the turf's doors, walk order = vector order. Doors no longer listed get a
// tombstone (their attempts stay on the door); re-listed doors are revived.
Status set_turf_doors(Db& db, std::string_view turf_id, const std::vector<std::string>& door_ids, const Hlc& hlc);

struct WalkStop {
  int64_t position = 0;
  Door door;
  std::vector<Person> people;  // live people who may be contacted
};
// The canvasser's list in walk order. Do-not-contact doors are left out, and so are
// do-not-contact or deleted people (a door whose only residents are do-not-contact still
// appears, with no names, since other residents may live there).
Result<std::vector<WalkStop>> turf_walk_list(Db& db, std::string_view turf_id);

// The campaign of a live (not deleted) turf; not_found otherwise.
Result<std::string> turf_campaign_id(Db& db, std::string_view turf_id);
// The turf's live doors (turf_door rows not deleted).
Result<int64_t> count_turf_doors(Db& db, std::string_view turf_id);
// Whether a door belongs to a turf: never, now, or once (it left; its records are still accepted).
enum class TurfMembership { never, member, left };
Result<TurfMembership> turf_membership(Db& db, std::string_view turf_id, std::string_view door_id);
// Ids of the campaign's doors in a live turf (not deleted, not archived): what a new cut leaves alone.
Result<std::set<std::string>> doors_in_live_turfs(Db& db, std::string_view campaign_id);

// ---- Links ---------------------------------------------------------------------------------
Status insert_link(Db& db, const Link& l);
Result<std::optional<Link>> find_link_by_token_hash(Db& db, std::string_view token_hash);

// ---- Script and survey -------------------------------------------------------------------------
Status upsert_script_section(Db& db, const ScriptSection& s, const Hlc& hlc);
Result<std::vector<ScriptSection>> list_script(Db& db, std::string_view campaign_id, std::string_view language);
Status upsert_question(Db& db, const SurveyQuestion& q, const Hlc& hlc);
Result<std::vector<SurveyQuestion>> list_questions(Db& db, std::string_view campaign_id);  // with labels

// ---- Sign-ups with consent per purpose ----------------------------------------------------------
// Inserts by id (idempotent); consents are written LWW per (sign-up, purpose).
Status upsert_signup(Db& db, const Signup& s, const Hlc& hlc);
Result<std::vector<Signup>> list_signups(Db& db, std::string_view campaign_id);

}  // namespace doorstep::store
