// Tests for shared/sync/purge on real SQLite: a campaign's personal data is blanked in people,
// sign-ups and attempt notes (corrected ones too), attempts and counts stay, other campaigns are untouched, and the
// append-only triggers are back afterwards.
#include <doctest/doctest.h>

#include <string>

#include "shared/base/ids.h"
#include "shared/store/campaign_store.h"
#include "shared/store/store.h"
#include "shared/sync/purge.h"
#include "shared/sync/sync_server.h"

using namespace doorstep;

namespace {

struct Seeded {
  std::string campaign, person, attempt;
};

Seeded seed(store::Db& db, const std::string& name) {
  Hlc h{1000, 0, "server"};
  Seeded out;
  auto c = store::ensure_campaign(db, name, h, 1000);
  REQUIRE(c.ok());
  out.campaign = c->id;
  Building b;
  b.campaign_id = c->id;
  b.address_key = b.address = "1319 Walgrove Ave";
  auto bu = store::upsert_building(db, b, h);
  REQUIRE(bu.ok());
  Door d;
  d.campaign_id = c->id;
  d.building_id = bu->id;
  d.address_key = d.address = "1319 Walgrove Ave";
  auto du = store::upsert_door(db, d, h);
  REQUIRE(du.ok());
  Person p;
  p.campaign_id = c->id;
  p.door_id = du->id;
  p.source_key = "van:1";
  p.van_id = "1";
  p.first_name = "Ana";
  p.last_name = "Rivera";
  p.phone = "555-0100";
  p.email = "ana@example.org";
  p.birth_date = "1980-01-01";
  auto pu = store::upsert_person(db, p, h);
  REQUIRE(pu.ok());
  out.person = pu->id;
  Attempt a;
  a.id = new_uuid_v7(2000);
  a.campaign_id = c->id;
  a.door_id = du->id;
  a.result = AttemptResult::talked;
  a.notes = "Ana says call after 6";
  a.client_ms = 2000;
  REQUIRE(store::insert_attempt(db, a).ok());
  out.attempt = a.id;
  // A correction of its notes (attempt.amend, as the sync mirror stores it) holds the name too.
  REQUIRE(db.exec("INSERT INTO attempt_edit(id, attempt_id, campaign_id, kind, notes, hlc) VALUES('" + new_uuid_v7(2500) +
                  "', '" + a.id + "', '" + c->id + "', 'amend', 'Ana says call after 7', '0000000009c4-0000-phone')")
              .ok());
  Signup s;
  s.id = new_uuid_v7(2001);
  s.campaign_id = c->id;
  s.person_id = pu->id;
  s.name = "Ana Rivera";
  s.phone = "555-0100";
  s.email = "ana@example.org";
  s.created_ms = 2001;
  REQUIRE(store::upsert_signup(db, s, h).ok());
  return out;
}

}  // namespace

TEST_CASE("purge blanks one campaign's personal data and keeps its attempts") {
  auto opened = store::Db::open(":memory:");
  REQUIRE(opened.ok());
  store::Db db = std::move(*opened);
  REQUIRE(sync::migrate(db).ok());
  Seeded venice = seed(db, "Venice"), other = seed(db, "Other");

  auto n = sync::purge_personal_data(db, venice.campaign);
  REQUIRE(n.ok());
  CHECK(*n == 1);
  auto p = store::get_person(db, venice.person);
  REQUIRE(p.ok());
  CHECK(p->first_name.empty());
  CHECK(p->last_name.empty());
  CHECK(p->phone.empty());
  CHECK(p->email.empty());
  CHECK(p->birth_date.empty());
  CHECK(p->van_id.empty());
  auto signups = store::list_signups(db, venice.campaign);
  REQUIRE(signups.ok());
  REQUIRE(signups->size() == 1);
  CHECK(signups->at(0).name.empty());
  CHECK(signups->at(0).phone.empty());
  auto attempts = store::list_attempts(db, venice.campaign);
  REQUIRE(attempts.ok());
  REQUIRE(attempts->size() == 1);  // the attempt and its result stay
  CHECK(attempts->at(0).result == AttemptResult::talked);
  CHECK(attempts->at(0).notes.empty());

  // The other campaign keeps everything.
  CHECK(store::get_person(db, other.person)->first_name == "Ana");
  CHECK(store::list_attempts(db, other.campaign)->at(0).notes == "Ana says call after 7");  // as corrected

  // Purging again blanks nobody more, and attempts are append-only again.
  CHECK(sync::purge_personal_data(db, venice.campaign).value() == 0);
  CHECK(!db.exec("UPDATE attempt SET notes='x' WHERE id='" + other.attempt + "'").ok());
  CHECK(!db.exec("UPDATE attempt_edit SET notes='x'").ok());
  auto edits = db.prepare("SELECT count(*) FROM attempt_edit WHERE notes LIKE '%Ana%' AND campaign_id=?1");
  REQUIRE(edits.ok());
  edits->bind(1, venice.campaign);
  REQUIRE(*edits->step());
  CHECK(edits->int64(0) == 0);
}
