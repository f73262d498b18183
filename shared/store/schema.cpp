// The core schema as numbered migrations (component "core"): campaign, building, door, person,
// turf, link, script, survey, attempt, sign-up. Mutable fields carry `<field>_hlc` (text form of
// shared/base/ids.h Hlc; NULL = the value the row was created with, older than every stamp); deletes are tombstones (deleted + deleted_hlc);
// attempts are append-only. Sync and server tables live in their own components. By design there
// is no column for immigration status, citizenship or anything like it.
#include "shared/store/store.h"

namespace doorstep::store {

namespace {

// Version 1. Never edit a migration that has shipped: append version 2, 3, ...
constexpr const char* kCoreV1 = R"SQL(
CREATE TABLE campaign(
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL, name_hlc TEXT,
  time_zone TEXT NOT NULL DEFAULT 'America/Los_Angeles', time_zone_hlc TEXT,
  created_ms INTEGER NOT NULL DEFAULT 0,
  deleted INTEGER NOT NULL DEFAULT 0, deleted_hlc TEXT
);
CREATE UNIQUE INDEX campaign_name ON campaign(name);

-- Every door sharing one normalised street address without unit.
CREATE TABLE building(
  id TEXT PRIMARY KEY,
  campaign_id TEXT NOT NULL REFERENCES campaign(id),
  address_key TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  city TEXT NOT NULL DEFAULT '', state TEXT NOT NULL DEFAULT '', zip TEXT NOT NULL DEFAULT '',
  lat REAL, lon REAL,
  deleted INTEGER NOT NULL DEFAULT 0, deleted_hlc TEXT,
  UNIQUE(address_key, campaign_id)  -- the discriminating key first: index compares end early
);

-- One dwelling: building address plus unit.
CREATE TABLE door(
  id TEXT PRIMARY KEY,
  campaign_id TEXT NOT NULL REFERENCES campaign(id),
  building_id TEXT NOT NULL REFERENCES building(id),
  address_key TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  unit TEXT NOT NULL DEFAULT '',
  lat REAL, lon REAL, geocode TEXT NOT NULL DEFAULT 'none', location_hlc TEXT,
  status TEXT NOT NULL DEFAULT '', status_hlc TEXT,
  do_not_contact INTEGER NOT NULL DEFAULT 0, do_not_contact_hlc TEXT,
  safety TEXT NOT NULL DEFAULT '', safety_hlc TEXT,
  deleted INTEGER NOT NULL DEFAULT 0, deleted_hlc TEXT,
  UNIQUE(address_key, campaign_id)
);
CREATE INDEX door_building ON door(building_id);

CREATE TABLE person(
  id TEXT PRIMARY KEY,
  campaign_id TEXT NOT NULL REFERENCES campaign(id),
  source TEXT NOT NULL DEFAULT '',          -- preset that brought the person in ('' = added by hand)
  source_key TEXT NOT NULL,                 -- '<source>:<source id>'
  van_id TEXT NOT NULL DEFAULT '', state_id TEXT NOT NULL DEFAULT '',
  door_id TEXT REFERENCES door(id), door_id_hlc TEXT,
  first_name TEXT NOT NULL DEFAULT '', first_name_hlc TEXT,
  middle_name TEXT NOT NULL DEFAULT '', middle_name_hlc TEXT,
  last_name TEXT NOT NULL DEFAULT '', last_name_hlc TEXT,
  suffix TEXT NOT NULL DEFAULT '', suffix_hlc TEXT,
  birth_date TEXT NOT NULL DEFAULT '', birth_date_hlc TEXT,
  age INTEGER, age_hlc TEXT,
  party TEXT NOT NULL DEFAULT '', party_hlc TEXT,
  language TEXT NOT NULL DEFAULT '', language_hlc TEXT,
  phone TEXT NOT NULL DEFAULT '', phone_hlc TEXT,
  email TEXT NOT NULL DEFAULT '', email_hlc TEXT,
  do_not_contact INTEGER NOT NULL DEFAULT 0, do_not_contact_hlc TEXT,
  safety TEXT NOT NULL DEFAULT '', safety_hlc TEXT,
  deleted INTEGER NOT NULL DEFAULT 0, deleted_hlc TEXT,
  UNIQUE(source_key, campaign_id)
);
CREATE INDEX person_door ON person(door_id);
CREATE INDEX person_van ON person(van_id) WHERE van_id <> '';

CREATE TABLE turf(
  id TEXT PRIMARY KEY,
  campaign_id TEXT NOT NULL REFERENCES campaign(id),
  name TEXT NOT NULL DEFAULT '', name_hlc TEXT,
  polygon TEXT NOT NULL DEFAULT '', polygon_hlc TEXT,   -- GeoJSON Polygon geometry
  status TEXT NOT NULL DEFAULT 'draft', status_hlc TEXT,
  deleted INTEGER NOT NULL DEFAULT 0, deleted_hlc TEXT
);
CREATE INDEX turf_campaign ON turf(campaign_id);

-- Doors of a turf in walk order (position ascending). Leaving a turf is a tombstone.
CREATE TABLE turf_door(
  turf_id TEXT NOT NULL REFERENCES turf(id),
  door_id TEXT NOT NULL REFERENCES door(id),
  position INTEGER NOT NULL, position_hlc TEXT,
  deleted INTEGER NOT NULL DEFAULT 0, deleted_hlc TEXT,
  PRIMARY KEY(turf_id, door_id)
) WITHOUT ROWID;
CREATE INDEX turf_door_order ON turf_door(turf_id, position);
CREATE INDEX turf_door_door ON turf_door(door_id);

-- Canvasser links: only a hash of the 128-bit token is stored.
CREATE TABLE link(
  id TEXT PRIMARY KEY,
  turf_id TEXT NOT NULL REFERENCES turf(id),
  token_hash TEXT NOT NULL UNIQUE,
  created_ms INTEGER NOT NULL DEFAULT 0,
  expires_ms INTEGER NOT NULL, expires_ms_hlc TEXT,
  revoked INTEGER NOT NULL DEFAULT 0, revoked_hlc TEXT
);
CREATE INDEX link_turf ON link(turf_id);

CREATE TABLE script_section(
  id TEXT PRIMARY KEY,
  campaign_id TEXT NOT NULL REFERENCES campaign(id),
  language TEXT NOT NULL,
  position INTEGER NOT NULL DEFAULT 0, position_hlc TEXT,
  title TEXT NOT NULL DEFAULT '', title_hlc TEXT,
  body TEXT NOT NULL DEFAULT '', body_hlc TEXT,
  branch_question_id TEXT NOT NULL DEFAULT '', branch_answer TEXT NOT NULL DEFAULT '', branch_hlc TEXT,
  deleted INTEGER NOT NULL DEFAULT 0, deleted_hlc TEXT
);
CREATE INDEX script_campaign ON script_section(campaign_id, language, position);

CREATE TABLE survey_question(
  id TEXT PRIMARY KEY,
  campaign_id TEXT NOT NULL REFERENCES campaign(id),
  position INTEGER NOT NULL DEFAULT 0, position_hlc TEXT,
  kind TEXT NOT NULL,                                  -- model.h QuestionKind name
  van_name TEXT NOT NULL DEFAULT '', van_name_hlc TEXT,
  choices TEXT NOT NULL DEFAULT '[]', choices_hlc TEXT, -- JSON array of stable choice keys
  deleted INTEGER NOT NULL DEFAULT 0, deleted_hlc TEXT
);
CREATE INDEX survey_campaign ON survey_question(campaign_id, position);

CREATE TABLE survey_label(
  question_id TEXT NOT NULL REFERENCES survey_question(id),
  language TEXT NOT NULL,
  label TEXT NOT NULL DEFAULT '', label_hlc TEXT,
  choice_labels TEXT NOT NULL DEFAULT '[]', choice_labels_hlc TEXT,
  PRIMARY KEY(question_id, language)
) WITHOUT ROWID;

-- Append-only: a knock is a fact; it is never updated. No foreign keys on purpose: an attempt is
-- never rejected because its door or person arrives later or left the turf.
CREATE TABLE attempt(
  id TEXT PRIMARY KEY,
  campaign_id TEXT NOT NULL,
  door_id TEXT NOT NULL,
  person_id TEXT NOT NULL DEFAULT '',
  turf_id TEXT NOT NULL DEFAULT '',
  result TEXT NOT NULL,                 -- model.h AttemptResult name
  answers TEXT NOT NULL DEFAULT '{}',   -- JSON object question id -> answer
  notes TEXT NOT NULL DEFAULT '',
  canvasser TEXT NOT NULL DEFAULT '', device TEXT NOT NULL DEFAULT '',
  client_ms INTEGER NOT NULL DEFAULT 0, server_ms INTEGER NOT NULL DEFAULT 0,
  lat REAL, lon REAL, accuracy_m REAL, distance_m REAL,
  off_turf INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX attempt_door ON attempt(door_id);
CREATE INDEX attempt_person ON attempt(person_id) WHERE person_id <> '';
CREATE INDEX attempt_campaign_time ON attempt(campaign_id, client_ms);
CREATE TRIGGER attempt_append_only BEFORE UPDATE ON attempt
BEGIN SELECT RAISE(ABORT, 'attempt rows are append-only'); END;

CREATE TABLE signup(
  id TEXT PRIMARY KEY,
  campaign_id TEXT NOT NULL REFERENCES campaign(id),
  person_id TEXT NOT NULL DEFAULT '', door_id TEXT NOT NULL DEFAULT '', attempt_id TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL DEFAULT '', name_hlc TEXT,
  phone TEXT NOT NULL DEFAULT '', phone_hlc TEXT,
  email TEXT NOT NULL DEFAULT '', email_hlc TEXT,
  pledge TEXT NOT NULL DEFAULT '', pledge_hlc TEXT,
  created_ms INTEGER NOT NULL DEFAULT 0,
  deleted INTEGER NOT NULL DEFAULT 0, deleted_hlc TEXT
);
CREATE INDEX signup_campaign ON signup(campaign_id);

-- One row per (sign-up, purpose): consent is given or withdrawn per purpose.
CREATE TABLE consent(
  signup_id TEXT NOT NULL REFERENCES signup(id),
  purpose TEXT NOT NULL,                -- model.h ConsentPurpose name
  granted INTEGER NOT NULL DEFAULT 0, granted_hlc TEXT,
  PRIMARY KEY(signup_id, purpose)
) WITHOUT ROWID;

-- What each import did (audit and the organizer's history).
CREATE TABLE import_run(
  id TEXT PRIMARY KEY,
  campaign_id TEXT NOT NULL REFERENCES campaign(id),
  source TEXT NOT NULL,
  file_name TEXT NOT NULL DEFAULT '',
  started_ms INTEGER NOT NULL, finished_ms INTEGER NOT NULL DEFAULT 0,
  report TEXT NOT NULL DEFAULT '{}'
);
)SQL";

// Version 2 (organizer part 3): every saved survey (the turf package's script/survey JSON, so a
// version can be shown again), which version an attempt answered (0: before versions existed),
// and the organizer's follow-up of each sign-up.
constexpr const char* kCoreV2 = R"SQL(
CREATE TABLE survey_version(
  campaign_id TEXT NOT NULL REFERENCES campaign(id),
  version INTEGER NOT NULL,
  saved_ms INTEGER NOT NULL,
  saved_by TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL,
  PRIMARY KEY(campaign_id, version)
) WITHOUT ROWID;
ALTER TABLE attempt ADD COLUMN survey_version INTEGER NOT NULL DEFAULT 0;
CREATE TABLE followup(
  signup_id TEXT PRIMARY KEY REFERENCES signup(id),
  status TEXT NOT NULL DEFAULT 'new',
  assigned_to TEXT NOT NULL DEFAULT '',
  updated_ms INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
)SQL";

// Version 3 (issue 15): undo and correction of attempts (sync kinds attempt.void, attempt.amend).
// The attempt row stays as it was recorded; each edit is a row of its own, and attempt_effective
// is what every reader of attempts uses: voided attempts left out, each amended field taken from
// the latest edit that sets it (by hlc, then arrival), `seq` the attempt's arrival order.
constexpr const char* kCoreV3 = R"SQL(
CREATE TABLE attempt_edit(
  id TEXT PRIMARY KEY,                  -- the edit's own mutation id
  attempt_id TEXT NOT NULL,
  campaign_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK(kind IN ('void', 'amend')),
  result TEXT, answers TEXT, notes TEXT,  -- NULL: this edit leaves the field as it was
  hlc TEXT NOT NULL,
  client_ms INTEGER NOT NULL DEFAULT 0, server_ms INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX attempt_edit_attempt ON attempt_edit(attempt_id, hlc);
CREATE TRIGGER attempt_edit_append_only BEFORE UPDATE ON attempt_edit
BEGIN SELECT RAISE(ABORT, 'attempt edits are append-only'); END;
CREATE VIEW attempt_effective AS
SELECT a.rowid AS seq, a.id, a.campaign_id, a.door_id, a.person_id, a.turf_id,
  coalesce((SELECT e.result FROM attempt_edit e WHERE e.attempt_id=a.id AND e.result IS NOT NULL
            ORDER BY e.hlc DESC, e.rowid DESC LIMIT 1), a.result) AS result,
  coalesce((SELECT e.answers FROM attempt_edit e WHERE e.attempt_id=a.id AND e.answers IS NOT NULL
            ORDER BY e.hlc DESC, e.rowid DESC LIMIT 1), a.answers) AS answers,
  coalesce((SELECT e.notes FROM attempt_edit e WHERE e.attempt_id=a.id AND e.notes IS NOT NULL
            ORDER BY e.hlc DESC, e.rowid DESC LIMIT 1), a.notes) AS notes,
  a.canvasser, a.device, a.client_ms, a.server_ms, a.lat, a.lon, a.accuracy_m, a.distance_m, a.off_turf,
  a.survey_version
FROM attempt a
WHERE NOT EXISTS(SELECT 1 FROM attempt_edit v WHERE v.attempt_id=a.id AND v.kind='void');
)SQL";

}  // namespace

const char* core_deferrable_indexes_drop() {
  return "DROP INDEX IF EXISTS person_door; DROP INDEX IF EXISTS door_building;";
}
// Must match the definitions in kCoreV1 (and any later migration that changes them).
const char* core_deferrable_indexes_create() {
  return "CREATE INDEX IF NOT EXISTS person_door ON person(door_id);"
         "CREATE INDEX IF NOT EXISTS door_building ON door(building_id);";
}

const std::vector<Migration>& core_migrations() {
  static const std::vector<Migration> m = {
      {1, kCoreV1},
      {2, kCoreV2},
      {3, kCoreV3},
  };
  return m;
}

}  // namespace doorstep::store
