// Tests for shared/export: US time-zone rules at the DST switches, formula neutralisation with
// numbers left alone, and the VAN, attempts, sign-up and turf exports over a real SQLite store.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "shared/store/campaign_store.h"
#include "shared/io/export.h"
#include "shared/base/ids.h"
#include "shared/base/json.h"

using namespace doorstep;
using namespace doorstep::exporter;

namespace {

// Unix ms of a UTC civil time, written independently of export.cpp's algorithm: days counted
// by brute force from 1970.
int64_t utc_ms(int y, int mo, int d, int h, int mi, int s = 0) {
  auto leap = [](int yy) { return (yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0; };
  const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int64_t days = 0;
  for (int yy = 1970; yy < y; ++yy) days += leap(yy) ? 366 : 365;
  for (int m = 1; m < mo; ++m) days += mdays[m - 1] + (m == 2 && leap(y) ? 1 : 0);
  days += d - 1;
  return ((days * 24 + h) * 60 + mi) * 60000LL + s * 1000LL;
}

std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  // Enough CSV for our own output: quoted fields with doubled quotes, CRLF rows.
  std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
  bool q = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (q) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') rows.back().back() += '"', ++i;
      else if (c == '"') q = false;
      else rows.back().back() += c;
    } else if (c == '"') q = true;
    else if (c == ',') rows.back().emplace_back();
    else if (c == '\r') {}
    else if (c == '\n') rows.emplace_back(1);
    else rows.back().back() += c;
  }
  if (rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();
  return rows;
}

}  // namespace

TEST_CASE("Los Angeles switches to PDT on 2026-03-08 10:00 UTC and back on 2026-11-01 09:00 UTC") {
  const char* la = "America/Los_Angeles";
  CHECK(utc_offset_minutes(la, utc_ms(2026, 3, 8, 9, 59, 59)).value() == -480);
  CHECK(utc_offset_minutes(la, utc_ms(2026, 3, 8, 10, 0)).value() == -420);
  CHECK(utc_offset_minutes(la, utc_ms(2026, 11, 1, 8, 59, 59)).value() == -420);
  CHECK(utc_offset_minutes(la, utc_ms(2026, 11, 1, 9, 0)).value() == -480);
  // New York 2024: 2024-03-10 07:00 UTC and 2024-11-03 06:00 UTC.
  CHECK(utc_offset_minutes("America/New_York", utc_ms(2024, 3, 10, 6, 59)).value() == -300);
  CHECK(utc_offset_minutes("America/New_York", utc_ms(2024, 3, 10, 7, 0)).value() == -240);
  CHECK(utc_offset_minutes("America/New_York", utc_ms(2024, 11, 3, 5, 59)).value() == -240);
  CHECK(utc_offset_minutes("America/New_York", utc_ms(2024, 11, 3, 6, 0)).value() == -300);
  // The 1987-2006 rule: first Sunday of April (2006-04-02) to last Sunday of October (2006-10-29).
  CHECK(utc_offset_minutes(la, utc_ms(2006, 4, 2, 9, 59)).value() == -480);
  CHECK(utc_offset_minutes(la, utc_ms(2006, 4, 2, 10, 0)).value() == -420);
  CHECK(utc_offset_minutes(la, utc_ms(2006, 10, 29, 9, 0)).value() == -480);
  CHECK(utc_offset_minutes(la, utc_ms(2006, 3, 20, 12, 0)).value() == -480);  // 2007+ rule would say DST
  // Zones without DST.
  CHECK(utc_offset_minutes("America/Phoenix", utc_ms(2026, 7, 1, 12, 0)).value() == -420);
  CHECK(utc_offset_minutes("Pacific/Honolulu", utc_ms(2026, 7, 1, 12, 0)).value() == -600);
  CHECK(utc_offset_minutes("Europe/Paris", 0).error().code == Code::unsupported);
  CHECK(supported_zone("America/Chicago"));
}

TEST_CASE("VAN dates are the local calendar day") {
  // 2026-07-04 06:30 UTC is still July 3rd in Los Angeles, already the 4th in New York.
  CHECK(van_date("America/Los_Angeles", utc_ms(2026, 7, 4, 6, 30)).value() == "07/03/2026");
  CHECK(van_date("America/New_York", utc_ms(2026, 7, 4, 6, 30)).value() == "07/04/2026");
  CHECK(van_date("UTC", utc_ms(2000, 2, 29, 23, 59)).value() == "02/29/2000");
  CHECK(local_timestamp("America/Los_Angeles", utc_ms(2026, 1, 15, 20, 5)).value() == "2026-01-15 12:05");
}

TEST_CASE("text cells that start a formula are neutralised; numbers stay numbers") {
  CHECK(text_cell("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"");
  CHECK(text_cell("+1 310") == "'+1 310");
  CHECK(text_cell("-2") == "'-2");
  CHECK(text_cell("@SUM(A1)") == "'@SUM(A1)");
  CHECK(text_cell("\tx") == "'\tx");
  CHECK(text_cell("\rx") == "\"'\rx\"");
  CHECK(text_cell("Diaz, Ana") == "\"Diaz, Ana\"");
  CHECK(text_cell("plain") == "plain");
  CHECK(number_cell(-118.4560125) == "-118.4560125");
  CHECK(number_cell(34.5) == "34.5");
  CHECK(number_cell(int64_t{-3}) == "-3");
}

TEST_CASE("exports over a real store: VAN rows per person spoken to, attempts, sign-ups, turfs") {
  auto opened = store::Db::open(":memory:");
  REQUIRE(opened.ok());
  store::Db& db = opened.value();
  Hlc h{utc_ms(2026, 10, 1, 0, 0), 0, "server"};
  auto c = store::ensure_campaign(db, "Venice", h, h.wall_ms);
  REQUIRE(c.ok());
  Building b;
  b.campaign_id = c->id;
  b.address_key = "1319 WALGROVE AVE|90291";
  auto bid = store::upsert_building(db, b, h)->id;
  auto door = [&](const std::string& unit, bool dnc) {
    Door d;
    d.campaign_id = c->id;
    d.building_id = bid;
    d.unit = unit;
    d.address_key = "1319 WALGROVE AVE #" + unit + "|90291";
    d.address = "1319 WALGROVE AVE #" + unit;
    d.lat = 34.0093326;
    d.lon = -118.4560125;
    d.do_not_contact = dnc;
    return store::upsert_door(db, d, h)->id;
  };
  std::string d1 = door("1", false), d2 = door("2", true);
  auto person = [&](const std::string& van, const std::string& door_id, const std::string& first, bool dnc) {
    Person p;
    p.campaign_id = c->id;
    p.source_key = "van:" + van;
    p.van_id = van;
    p.door_id = door_id;
    p.first_name = first;
    p.last_name = "=cmd|' /C calc'!A0";  // hostile name from a shared spreadsheet
    p.phone = "3105550100";
    p.do_not_contact = dnc;
    return store::upsert_person(db, p, h)->id;
  };
  std::string ana = person("1001", d1, "Ana", false);
  person("1002", d1, "Ben", false);
  person("1003", d1, "Cy", true);  // do not contact
  person("1004", d2, "Di", false);

  SurveyQuestion q;
  q.id = new_uuid_v7(h.wall_ms);
  q.campaign_id = c->id;
  q.kind = QuestionKind::scale_1_5;
  q.van_name = "Support";
  REQUIRE(store::upsert_question(db, q, h).ok());
  SurveyQuestion q2;
  q2.id = new_uuid_v7(h.wall_ms + 1);
  q2.campaign_id = c->id;
  q2.position = 1;
  q2.kind = QuestionKind::single_choice;
  q2.choices = {"yes", "no"};
  q2.labels = {{"en", "Volunteer?", {"Yes please", "No thanks"}}};
  REQUIRE(store::upsert_question(db, q2, h).ok());

  Attempt talk;
  talk.id = new_uuid_v7(h.wall_ms);
  talk.campaign_id = c->id;
  talk.door_id = d1;
  talk.person_id = ana;
  talk.result = AttemptResult::talked;
  talk.answers_json = "{\"" + q.id + "\":2,\"" + q2.id + "\":\"yes\"}";
  talk.notes = "-ve about parking, @mention";
  talk.client_ms = utc_ms(2026, 11, 1, 6, 30);  // Oct 31st 23:30 PDT
  talk.lat = 34.00934;
  talk.lon = -118.45601;
  REQUIRE(store::insert_attempt(db, talk).ok());
  Attempt nh = talk;
  nh.id = new_uuid_v7(h.wall_ms + 5);
  nh.person_id.clear();
  nh.result = AttemptResult::not_home;
  nh.answers_json = "{}";
  nh.notes.clear();
  nh.client_ms = utc_ms(2026, 11, 2, 20, 0);
  REQUIRE(store::insert_attempt(db, nh).ok());

  SUBCASE("VAN") {
    ExportStats st;
    auto csv = van_csv(db, c->id, &st);
    REQUIRE(csv.ok());
    auto rows = parse_csv(csv.value());
    REQUIRE(rows.size() == 4);  // header, Ana talked, Ana and Ben not home (Cy is do-not-contact)
    CHECK(rows[0] == std::vector<std::string>{"VAN ID", "Date Contacted", "Phone", "Canvass Result", "Support", "Volunteer?"});
    CHECK(rows[1] == std::vector<std::string>{"1001", "10/31/2026", "3105550100", "Canvassed", "2", "Yes please"});
    CHECK(rows[2][3] == "Not Home");
    CHECK(rows[2][1] == "11/02/2026");
    CHECK(rows[3][3] == "Not Home");
    CHECK(st.rows == 3);
    CHECK(csv->find("1003") == std::string::npos);
  }
  SUBCASE("attempts") {
    auto csv = attempts_csv(db, c->id);
    REQUIRE(csv.ok());
    auto rows = parse_csv(csv.value());
    REQUIRE(rows.size() == 3);
    const auto& hdr = rows[0];
    auto col = [&](const char* name) {
      for (size_t i = 0; i < hdr.size(); ++i)
        if (hdr[i] == name) return i;
      FAIL("no column " << name);
      return size_t{0};
    };
    CHECK(rows[1][col("lon")] == "-118.45601");  // a number, not neutralised
    CHECK(rows[1][col("notes")] == "'-ve about parking, @mention");
    CHECK(rows[1][col("person_name")] == "Ana =cmd|' /C calc'!A0");  // not at the start: safe as is
    CHECK(rows[1][col("local_time")] == "2026-10-31 23:30");
    CHECK(rows[1][col("result")] == "talked");
    CHECK(rows[2][col("result")] == "not_home");
    CHECK(rows[2][col("person_id")] == "");
  }
  SUBCASE("sign-ups with consent per purpose") {
    Signup s;
    s.id = new_uuid_v7(h.wall_ms);
    s.campaign_id = c->id;
    s.door_id = d1;
    s.name = "+Ana";
    s.email = "ana@example.org";
    s.created_ms = utc_ms(2026, 11, 1, 18, 0);
    s.consents = {{ConsentPurpose::email_me, true}, {ConsentPurpose::volunteer, false}};
    REQUIRE(store::upsert_signup(db, s, h).ok());
    auto csv = signups_csv(db, c->id);
    REQUIRE(csv.ok());
    auto rows = parse_csv(csv.value());
    REQUIRE(rows.size() == 2);
    CHECK(rows[0] == std::vector<std::string>{"signup_id", "created", "name", "phone", "email", "pledge", "address",
                                              "person_id", "call_me", "email_me", "volunteer", "join", "text_me"});
    CHECK(rows[1][2] == "'+Ana");
    CHECK(rows[1][6] == "1319 WALGROVE AVE #1");
    CHECK(rows[1][8] == "");
    CHECK(rows[1][9] == "yes");
    CHECK(rows[1][10] == "no");
    CHECK(rows[1][12] == "");  // text_me never asked
  }
  SUBCASE("turfs as GeoJSON never list do-not-contact doors or people") {
    Turf t;
    t.campaign_id = c->id;
    t.name = "Walgrove";
    t.polygon_geojson = R"({"type":"Polygon","coordinates":[[[-118.46,34.0],[-118.45,34.0],[-118.45,34.01],[-118.46,34.0]]]})";
    auto tid = store::upsert_turf(db, t, h)->id;
    REQUIRE(store::set_turf_doors(db, tid, {d2, d1}, h).ok());
    auto gj = turfs_geojson(db, c->id);
    REQUIRE(gj.ok());
    auto v = json::parse(gj.value());
    REQUIRE(v.ok());
    const auto& feats = v->find("features")->as_array();
    REQUIRE(feats.size() == 2);  // the turf and door 1 (door 2 is do-not-contact)
    CHECK(feats[0].find("geometry")->find("type")->as_string() == "Polygon");
    CHECK(feats[0].find("properties")->find("doors")->as_int() == 1);
    const auto& door_props = *feats[1].find("properties");
    CHECK(door_props.find("door_id")->as_string() == d1);
    CHECK(feats[1].find("geometry")->find("coordinates")->as_array()[0].as_double() == doctest::Approx(-118.4560125));
    const auto& names = door_props.find("people")->as_array();
    CHECK(names.size() == 2);  // Ana and Ben; Cy is do-not-contact
    CHECK(gj->find("Cy ") == std::string::npos);
    CHECK(gj->find("Di ") == std::string::npos);
  }
}

TEST_CASE("\"tonight 21:00\" in the campaign's zone: today's, or tomorrow's once passed, across DST") {
  const char* la = "America/Los_Angeles";
  // 2026-07-01 10:00 PDT -> 21:00 PDT the same day = 2026-07-02 04:00 UTC.
  CHECK(next_local_time(la, utc_ms(2026, 7, 1, 17, 0), 21, 0).value() == utc_ms(2026, 7, 2, 4, 0));
  // 22:30 PDT is past 21:00: tomorrow's.
  CHECK(next_local_time(la, utc_ms(2026, 7, 2, 5, 30), 21, 0).value() == utc_ms(2026, 7, 3, 4, 0));
  // Exactly 21:00 is now, not tomorrow.
  CHECK(next_local_time(la, utc_ms(2026, 7, 2, 4, 0), 21, 0).value() == utc_ms(2026, 7, 2, 4, 0));
  // The morning of the autumn change (2026-11-01, 09:00 UTC): 08:00 PDT now, tonight is PST.
  CHECK(next_local_time(la, utc_ms(2026, 11, 1, 8, 0), 21, 0).value() == utc_ms(2026, 11, 2, 5, 0));
  CHECK(next_local_time("UTC", utc_ms(2026, 7, 1, 17, 0), 9, 15).value() == utc_ms(2026, 7, 2, 9, 15));
  CHECK(next_local_time(la, 0, 24, 0).error().code == Code::invalid_argument);
  CHECK(next_local_time("Mars/Olympus", 0, 21, 0).error().code == Code::unsupported);
}
