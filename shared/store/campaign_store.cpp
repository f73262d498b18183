// Typed access to the campaign tables (see campaign_store.h). Hot paths (upserts, attempts) use the
// connection's cached statements; HLC comparisons rely on Hlc::to_string() sorting like the order.
#include "shared/store/campaign_store.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>

#include "shared/base/json.h"

namespace doorstep::store {

namespace {

// The connection's cached statements as references (never null on success), so
// `TRY_ASSIGN(Stmt& q, stmt(db, "..."))` reads like a declaration.
Result<std::reference_wrapper<Stmt>> as_ref(Result<Stmt*> r) {
  if (!r) return r.error();
  return std::ref(*r.value());
}
Result<std::reference_wrapper<Stmt>> stmt(Db& db, const char* static_sql) { return as_ref(db.cached_static(static_sql)); }
// SQL built at run time: cached by its text, not by the literal's address.
Result<std::reference_wrapper<Stmt>> built_stmt(Db& db, std::string_view sql) { return as_ref(db.cached(sql)); }

std::string new_id(const Hlc& hlc) { return new_uuid_v7(hlc.wall_ms); }

// Tables and fields that carry a clock (write_field's allow-list; names come from here, never
// from the caller, so they are safe to splice into SQL).
struct FieldSpec {
  std::string_view table;
  std::vector<std::string_view> fields;
};
const std::vector<FieldSpec>& field_specs() {
  static const std::vector<FieldSpec> specs = {
      {"campaign", {"name", "time_zone", "deleted"}},
      {"door", {"status", "do_not_contact", "safety", "deleted"}},
      {"person", {"door_id", "first_name", "middle_name", "last_name", "suffix", "birth_date", "age",
                  "party", "language", "phone", "email", "do_not_contact", "safety", "deleted"}},
      {"turf", {"name", "polygon", "status", "deleted"}},
      {"link", {"expires_ms", "revoked"}},
      {"script_section", {"position", "title", "body", "deleted"}},
      {"survey_question", {"position", "van_name", "choices", "deleted"}},
      {"signup", {"name", "phone", "email", "pledge", "deleted"}},
  };
  return specs;
}
bool allowed_field(std::string_view table, std::string_view field, std::string* t, std::string* f) {
  for (const auto& s : field_specs())
    if (s.table == table)
      for (auto x : s.fields)
        if (x == field) {
          *t = std::string(s.table);
          *f = std::string(x);
          return true;
        }
  return false;
}

void bind_value(Stmt& s, int i, const FieldValue& v) {
  std::visit([&](const auto& x) { s.bind(i, x); }, v);
}

bool same_opt(const std::optional<double>& a, const std::optional<double>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || std::fabs(*a - *b) < 1e-9;
}

Door read_door(const Stmt& s) {
  // Column order of DS_DOOR_COLS.
  Door d;
  d.id = s.text(0);
  d.campaign_id = s.text(1);
  d.building_id = s.text(2);
  d.address_key = s.text(3);
  d.address = s.text(4);
  d.unit = s.text(5);
  d.lat = s.opt_real(6);
  d.lon = s.opt_real(7);
  d.geocode = geocode_quality_from_name(s.text_view(8)).value_or(GeocodeQuality::none);
  d.do_not_contact = s.int64(9) != 0;
  d.safety = s.text(10);
  d.deleted = s.int64(11) != 0;
  return d;
}
#define DS_DOOR_COLS \
  "id, campaign_id, building_id, address_key, address, unit, lat, lon, geocode, do_not_contact, safety, deleted"

Person read_person(const Stmt& s) {
  Person p;
  p.id = s.text(0);
  p.campaign_id = s.text(1);
  p.door_id = s.text(2);
  p.source_key = s.text(3);
  p.van_id = s.text(4);
  p.state_id = s.text(5);
  p.first_name = s.text(6);
  p.middle_name = s.text(7);
  p.last_name = s.text(8);
  p.suffix = s.text(9);
  p.birth_date = s.text(10);
  if (!s.is_null(11)) p.age = static_cast<int32_t>(s.int64(11));
  p.party = s.text(12);
  p.language = s.text(13);
  p.phone = s.text(14);
  p.email = s.text(15);
  p.do_not_contact = s.int64(16) != 0;
  p.safety = s.text(17);
  p.deleted = s.int64(18) != 0;
  return p;
}
#define DS_PERSON_COLS \
  "id, campaign_id, door_id, source_key, van_id, state_id, first_name, middle_name, last_name, suffix, " \
    "birth_date, age, party, language, phone, email, do_not_contact, safety, deleted"

Attempt read_attempt(const Stmt& s) {
  Attempt a;
  a.id = s.text(0);
  a.campaign_id = s.text(1);
  a.door_id = s.text(2);
  a.person_id = s.text(3);
  a.turf_id = s.text(4);
  a.result = attempt_result_from_name(s.text_view(5)).value_or(AttemptResult::not_home);
  a.answers_json = s.text(6);
  a.notes = s.text(7);
  a.canvasser = s.text(8);
  a.device = s.text(9);
  a.client_ms = s.int64(10);
  a.server_ms = s.int64(11);
  a.lat = s.opt_real(12);
  a.lon = s.opt_real(13);
  a.accuracy_m = s.opt_real(14);
  a.distance_m = s.opt_real(15);
  a.off_turf = s.int64(16) != 0;
  return a;
}
#define DS_ATTEMPT_COLS \
  "id, campaign_id, door_id, person_id, turf_id, result, answers, notes, canvasser, device, client_ms, " \
    "server_ms, lat, lon, accuracy_m, distance_m, off_turf"

bool same_attempt(const Attempt& a, const Attempt& b) {
  // server_ms is the receiver's stamp, not content: a retry arrives later by definition.
  return a.campaign_id == b.campaign_id && a.door_id == b.door_id && a.person_id == b.person_id &&
         a.turf_id == b.turf_id && a.result == b.result && a.answers_json == b.answers_json &&
         a.notes == b.notes && a.canvasser == b.canvasser && a.device == b.device &&
         a.client_ms == b.client_ms && same_opt(a.lat, b.lat) && same_opt(a.lon, b.lon) &&
         same_opt(a.accuracy_m, b.accuracy_m) && same_opt(a.distance_m, b.distance_m);
}

std::string json_strings(const std::vector<std::string>& v) {
  json::Array a;
  for (const auto& s : v) a.emplace_back(s);
  return json::dump(json::Value(std::move(a)));
}
std::vector<std::string> parse_strings(std::string_view text) {
  std::vector<std::string> out;
  auto v = json::parse(text);
  if (v && v->is_array())
    for (const auto& x : v->as_array())
      if (x.is_string()) out.push_back(x.as_string());
  return out;
}

}  // namespace

// ---- Campaigns ----------------------------------------------------------------------------------
Result<Campaign> ensure_campaign(Db& db, std::string_view name, const Hlc& hlc, int64_t now_ms,
                                 std::string_view time_zone) {
  TRY_ASSIGN(Stmt& q, stmt(db, "SELECT id, name, time_zone, created_ms FROM campaign WHERE name=?1"));
  q.bind(1, name);
  auto r = q.step();
  if (!r) return r.error();
  Campaign c;
  if (r.value()) {
    c.id = q.text(0);
    c.name = q.text(1);
    c.time_zone = q.text(2);
    c.created_ms = q.int64(3);
    q.reset();
    return c;
  }
  q.reset();
  c.id = new_id(hlc);
  c.name = std::string(name);
  c.time_zone = std::string(time_zone);
  c.created_ms = now_ms;
  TRY_ASSIGN(Stmt& ins, stmt(db, "INSERT INTO campaign(id, name, name_hlc, time_zone, time_zone_hlc, created_ms) "
                          "VALUES(?1, ?2, ?3, ?4, ?3, ?5)"));
  ins.bind_all(c.id, c.name, hlc.to_string(), c.time_zone, c.created_ms);
  TRY(ins.run());
  return c;
}

Result<Campaign> get_campaign(Db& db, std::string_view id) {
  TRY_ASSIGN(Stmt& q, stmt(db, "SELECT id, name, time_zone, created_ms FROM campaign WHERE id=?1"));
  q.bind(1, id);
  auto r = q.step();
  if (!r) return r.error();
  if (!r.value()) return make_error(Code::not_found, "no campaign " + std::string(id));
  Campaign c{q.text(0), q.text(1), q.text(2), q.int64(3)};
  q.reset();
  return c;
}

Result<std::vector<Campaign>> list_campaigns(Db& db) {
  TRY_ASSIGN(Stmt& q, stmt(db, "SELECT id, name, time_zone, created_ms FROM campaign WHERE deleted=0 ORDER BY created_ms, id"));
  std::vector<Campaign> out;
  for (;;) {
    auto r = q.step();
    if (!r) return r.error();
    if (!r.value()) break;
    out.push_back(Campaign{q.text(0), q.text(1), q.text(2), q.int64(3)});
  }
  return out;
}

// ---- Upserts ------------------------------------------------------------------------------------
Result<Upserted> upsert_building(Db& db, const Building& b, const Hlc& hlc) {
  Upserted u;
  u.id = b.id.empty() ? new_id(hlc) : b.id;
  {
    TRY_ASSIGN(Stmt& ins, stmt(db, "INSERT INTO building(id, campaign_id, address_key, address, city, state, zip, lat, lon) "
                            "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT DO NOTHING"));
    ins.bind_all(u.id, b.campaign_id, b.address_key, b.address, b.city, b.state, b.zip, b.lat, b.lon);
    TRY(ins.run());
    if (db.changes() > 0) {
      u.inserted = true;
      return u;
    }
  }
  TRY_ASSIGN(Stmt& q, stmt(db, "SELECT id, lat IS NULL FROM building WHERE address_key=?2 AND campaign_id=?1"));
  q.bind_all(b.campaign_id, b.address_key);
  auto r = q.step();
  if (!r) return r.error();
  if (!r.value()) return make_error(Code::conflict, "building id " + u.id + " exists with another address");
  u.id = q.text(0);
  bool no_coords = q.int64(1) != 0;
  q.reset();
  if (no_coords && b.lat && b.lon) {
    TRY_ASSIGN(Stmt& up, stmt(db, "UPDATE building SET lat=?2, lon=?3 WHERE id=?1"));
    up.bind_all(u.id, b.lat, b.lon);
    TRY(up.run());
    u.changed = true;
  }
  return u;
}

Result<Upserted> upsert_door(Db& db, const Door& d, const Hlc& hlc) {
  Upserted u;
  {
    u.id = d.id.empty() ? new_id(hlc) : d.id;
    u.inserted = true;
    TRY_ASSIGN(Stmt& ins, stmt(db, 
                      "INSERT INTO door(id, campaign_id, building_id, address_key, address, unit, lat, lon, geocode, "
                      "do_not_contact, safety) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT DO NOTHING"));
    ins.bind_all(u.id, d.campaign_id, d.building_id, d.address_key, d.address, d.unit, d.lat, d.lon,
                 to_name(d.geocode), d.do_not_contact, d.safety);
    TRY(ins.run());
    if (db.changes() > 0) return u;
  }
  u.inserted = false;
  TRY_ASSIGN(Stmt& q, stmt(db, "SELECT id, lat, lon, geocode, location_hlc, deleted FROM door "
                        "WHERE address_key=?2 AND campaign_id=?1"));
  q.bind_all(d.campaign_id, d.address_key);
  auto r = q.step();
  if (!r) return r.error();
  std::string h = hlc.to_string();
  if (!r.value()) return make_error(Code::conflict, "door id " + u.id + " exists with another address");
  {
    u.id = q.text(0);
    auto lat = q.opt_real(1), lon = q.opt_real(2);
    std::string geocode = q.text(3), loc_hlc = q.text(4);
    bool deleted = q.int64(5) != 0;
    q.reset();
    bool has_new = d.lat && d.lon;
    bool differs = !same_opt(lat, d.lat) || !same_opt(lon, d.lon) || geocode != to_name(d.geocode);
    if (has_new && differs && loc_hlc < h) {
      TRY_ASSIGN(Stmt& up, stmt(db, "UPDATE door SET lat=?2, lon=?3, geocode=?4, location_hlc=?5 WHERE id=?1"));
      up.bind_all(u.id, d.lat, d.lon, to_name(d.geocode), h);
      TRY(up.run());
      u.changed = true;
    }
    if (deleted) {
      auto w = write_field(db, "door", u.id, "deleted", int64_t{0}, hlc);
      if (!w) return w.error();
      u.changed = u.changed || w.value();
    }
    return u;
  }
}

Result<Upserted> upsert_person(Db& db, const Person& p, const Hlc& hlc) {
  Upserted u;
  {
    // Insert first: on a fresh import nearly every row is new, and one index probe beats two.
    u.id = p.id.empty() ? new_id(hlc) : p.id;
    u.inserted = true;
    auto colon = p.source_key.find(':');
    std::string source = colon == std::string::npos ? std::string() : p.source_key.substr(0, colon);
    TRY_ASSIGN(Stmt& ins, stmt(db, 
                      "INSERT INTO person(id, campaign_id, source, source_key, van_id, state_id, door_id, first_name, "
                      "middle_name, last_name, suffix, birth_date, age, party, language, phone, email, do_not_contact, "
                      "safety) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19) "
                      "ON CONFLICT DO NOTHING"));
    ins.bind_all(u.id, p.campaign_id, source, p.source_key, p.van_id, p.state_id);
    ins.bind_text_or_null(7, p.door_id);
    ins.bind(8, p.first_name).bind(9, p.middle_name).bind(10, p.last_name).bind(11, p.suffix).bind(12, p.birth_date);
    if (p.age) ins.bind(13, static_cast<int64_t>(*p.age)); else ins.bind(13, nullptr);
    ins.bind(14, p.party).bind(15, p.language).bind(16, p.phone).bind(17, p.email);
    ins.bind(18, p.do_not_contact).bind(19, p.safety);
    TRY(ins.run());
    if (db.changes() > 0) return u;
  }
  u.inserted = false;
  TRY_ASSIGN(Stmt& q, stmt(db, "SELECT " DS_PERSON_COLS " FROM person WHERE source_key=?2 AND campaign_id=?1"));
  q.bind_all(p.campaign_id, p.source_key);
  auto r = q.step();
  if (!r) return r.error();
  if (!r.value()) return make_error(Code::conflict, "person id " + u.id + " exists with another source key");
  Person old = read_person(q);
  q.reset();
  u.id = old.id;
  // Compare first: an unchanged row costs one read and no write.
  struct F {
    const char* name;
    bool differs;
    FieldValue v;
  };
  std::array<F, 11> fields = {{
      {"door_id", old.door_id != p.door_id && !p.door_id.empty(), p.door_id},
      {"first_name", old.first_name != p.first_name, p.first_name},
      {"middle_name", old.middle_name != p.middle_name, p.middle_name},
      {"last_name", old.last_name != p.last_name, p.last_name},
      {"suffix", old.suffix != p.suffix, p.suffix},
      {"birth_date", old.birth_date != p.birth_date, p.birth_date},
      {"age", old.age != p.age, p.age ? FieldValue(static_cast<int64_t>(*p.age)) : FieldValue(nullptr)},
      {"party", old.party != p.party, p.party},
      {"language", old.language != p.language, p.language},
      {"phone", old.phone != p.phone, p.phone},
      {"email", old.email != p.email, p.email},
  }};
  for (const auto& f : fields) {
    if (!f.differs) continue;
    auto w = write_field(db, "person", u.id, f.name, f.v, hlc);
    if (!w) return w.error();
    u.changed = u.changed || w.value();
  }
  if (old.van_id != p.van_id || old.state_id != p.state_id) {
    // Source ids only fill in; they never change the identity the row was matched on.
    TRY_ASSIGN(Stmt& up, stmt(db, "UPDATE person SET van_id=CASE WHEN ?2<>'' THEN ?2 ELSE van_id END, "
                           "state_id=CASE WHEN ?3<>'' THEN ?3 ELSE state_id END WHERE id=?1"));
    up.bind_all(u.id, p.van_id, p.state_id);
    TRY(up.run());
    u.changed = u.changed || db.changes() > 0;
  }
  if (p.do_not_contact && !old.do_not_contact) {
    // A source can add a do-not-contact flag but never lift one: that takes an organizer's edit.
    auto w = write_field(db, "person", u.id, "do_not_contact", int64_t{1}, hlc);
    if (!w) return w.error();
    u.changed = u.changed || w.value();
  }
  if (old.deleted) {
    auto w = write_field(db, "person", u.id, "deleted", int64_t{0}, hlc);
    if (!w) return w.error();
    u.changed = u.changed || w.value();
  }
  return u;
}

// ---- Per-field LWW ------------------------------------------------------------------------------
Result<bool> write_field(Db& db, std::string_view table, std::string_view id, std::string_view field,
                         const FieldValue& value, const Hlc& hlc) {
  std::string t, f;
  if (!allowed_field(table, field, &t, &f))
    return make_error(Code::invalid_argument, "no clocked field " + std::string(table) + "." + std::string(field));
  TRY_ASSIGN(Stmt& up, built_stmt(db, "UPDATE " + t + " SET " + f + "=?1, " + f + "_hlc=?2 WHERE id=?3 AND (" + f +
                         "_hlc IS NULL OR " + f + "_hlc < ?2)"));
  bind_value(up, 1, value);
  up.bind(2, hlc.to_string()).bind(3, id);
  TRY(up.run());
  if (db.changes() > 0) return true;
  TRY_ASSIGN(Stmt& ex, built_stmt(db, "SELECT 1 FROM " + t + " WHERE id=?1"));
  ex.bind(1, id);
  auto r = ex.step();
  if (!r) return r.error();
  bool exists = r.value();
  ex.reset();
  if (!exists) return make_error(Code::not_found, "no " + t + " " + std::string(id));
  return false;
}

Result<std::string> field_hlc(Db& db, std::string_view table, std::string_view id, std::string_view field) {
  std::string t, f;
  if (!allowed_field(table, field, &t, &f))
    return make_error(Code::invalid_argument, "no clocked field " + std::string(table) + "." + std::string(field));
  TRY_ASSIGN(Stmt& q, built_stmt(db, "SELECT " + f + "_hlc FROM " + t + " WHERE id=?1"));
  q.bind(1, id);
  auto r = q.step();
  if (!r) return r.error();
  if (!r.value()) return make_error(Code::not_found, "no " + t + " " + std::string(id));
  std::string out = q.text(0);
  q.reset();
  return out;
}

// ---- Reads ----------------------------------------------------------------------------------------
Result<Door> get_door(Db& db, std::string_view id) {
  TRY_ASSIGN(Stmt& q, stmt(db, "SELECT " DS_DOOR_COLS " FROM door WHERE id=?1"));
  q.bind(1, id);
  auto r = q.step();
  if (!r) return r.error();
  if (!r.value()) return make_error(Code::not_found, "no door " + std::string(id));
  Door d = read_door(q);
  q.reset();
  return d;
}

Result<Person> get_person(Db& db, std::string_view id) {
  TRY_ASSIGN(Stmt& q, stmt(db, "SELECT " DS_PERSON_COLS " FROM person WHERE id=?1"));
  q.bind(1, id);
  auto r = q.step();
  if (!r) return r.error();
  if (!r.value()) return make_error(Code::not_found, "no person " + std::string(id));
  Person p = read_person(q);
  q.reset();
  return p;
}

Result<std::optional<Person>> find_person_by_source(Db& db, std::string_view campaign_id, std::string_view source_key) {
  TRY_ASSIGN(Stmt& q, stmt(db, "SELECT " DS_PERSON_COLS " FROM person WHERE source_key=?2 AND campaign_id=?1"));
  q.bind_all(campaign_id, source_key);
  auto r = q.step();
  if (!r) return r.error();
  std::optional<Person> out;
  if (r.value()) out = read_person(q);
  q.reset();
  return out;
}

Result<std::vector<Person>> people_at_door(Db& db, std::string_view door_id, bool include_deleted) {
  TRY_ASSIGN(Stmt& q, stmt(db, "SELECT " DS_PERSON_COLS
                               " FROM person WHERE door_id=?1 AND (?2 OR deleted=0) ORDER BY last_name, first_name, id"));
  q.bind(1, door_id).bind(2, include_deleted);
  std::vector<Person> out;
  for (;;) {
    auto r = q.step();
    if (!r) return r.error();
    if (!r.value()) break;
    out.push_back(read_person(q));
  }
  return out;
}

Result<std::vector<Door>> list_doors(Db& db, std::string_view campaign_id) {
  TRY_ASSIGN(Stmt& q, stmt(db, "SELECT " DS_DOOR_COLS " FROM door WHERE campaign_id=?1 AND deleted=0 ORDER BY address_key"));
  q.bind(1, campaign_id);
  std::vector<Door> out;
  for (;;) {
    auto r = q.step();
    if (!r) return r.error();
    if (!r.value()) break;
    out.push_back(read_door(q));
  }
  return out;
}

Result<Counts> count_campaign(Db& db, std::string_view campaign_id) {
  TRY_ASSIGN(Stmt& q, stmt(db, 
                  "SELECT (SELECT count(*) FROM person WHERE campaign_id=?1 AND deleted=0),"
                  " (SELECT count(*) FROM door WHERE campaign_id=?1 AND deleted=0),"
                  " (SELECT count(*) FROM building WHERE campaign_id=?1 AND deleted=0),"
                  " (SELECT count(*) FROM door WHERE campaign_id=?1 AND deleted=0 AND lat IS NOT NULL),"
                  " (SELECT count(*) FROM attempt_effective WHERE campaign_id=?1)"));
  q.bind(1, campaign_id);
  auto r = q.step();
  if (!r) return r.error();
  Counts c{q.int64(0), q.int64(1), q.int64(2), q.int64(3), q.int64(4)};
  q.reset();
  return c;
}

// ---- Attempts -----------------------------------------------------------------------------------
Result<InsertOutcome> insert_attempt(Db& db, const Attempt& a) {
  if (!is_uuid(a.id)) return make_error(Code::invalid_argument, "attempt id must be a lowercase UUID");
  if (a.door_id.empty()) return make_error(Code::invalid_argument, "attempt without a door");
  TRY_ASSIGN(Stmt& ins, stmt(db, "INSERT INTO attempt(" DS_ATTEMPT_COLS
                                 ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) "
                          "ON CONFLICT(id) DO NOTHING"));
  ins.bind_all(a.id, a.campaign_id, a.door_id, a.person_id, a.turf_id, to_name(a.result), a.answers_json, a.notes,
               a.canvasser, a.device, a.client_ms, a.server_ms, a.lat, a.lon, a.accuracy_m, a.distance_m, a.off_turf);
  TRY(ins.run());
  if (db.changes() > 0) return InsertOutcome::inserted;
  TRY_ASSIGN(Stmt& q, stmt(db, "SELECT " DS_ATTEMPT_COLS " FROM attempt WHERE id=?1"));
  q.bind(1, a.id);
  auto r = q.step();
  if (!r) return r.error();
  if (!r.value()) return make_error(Code::internal, "attempt insert ignored but no row");
  Attempt old = read_attempt(q);
  q.reset();
  if (!same_attempt(old, a))
    return make_error(Code::conflict, "attempt " + a.id + " already stored with different content");
  return InsertOutcome::duplicate;
}

Result<std::vector<Attempt>> attempts_for_door(Db& db, std::string_view door_id) {
  TRY_ASSIGN(Stmt& q, stmt(db, "SELECT " DS_ATTEMPT_COLS " FROM attempt_effective WHERE door_id=?1 ORDER BY client_ms, id"));
  q.bind(1, door_id);
  std::vector<Attempt> out;
  for (;;) {
    auto r = q.step();
    if (!r) return r.error();
    if (!r.value()) break;
    out.push_back(read_attempt(q));
  }
  return out;
}

Result<std::vector<Attempt>> list_attempts(Db& db, std::string_view campaign_id) {
  TRY_ASSIGN(Stmt& q, stmt(db, "SELECT " DS_ATTEMPT_COLS " FROM attempt_effective WHERE campaign_id=?1 ORDER BY client_ms, id"));
  q.bind(1, campaign_id);
  std::vector<Attempt> out;
  for (;;) {
    auto r = q.step();
    if (!r) return r.error();
    if (!r.value()) break;
    out.push_back(read_attempt(q));
  }
  return out;
}

// ---- Turfs ----------------------------------------------------------------------------------------
Result<Upserted> upsert_turf(Db& db, const Turf& t, const Hlc& hlc) {
  Upserted u;
  u.id = t.id.empty() ? new_id(hlc) : t.id;
  TRY_ASSIGN(Stmt& ins, stmt(db, "INSERT INTO turf(id, campaign_id, name, name_hlc, polygon, polygon_hlc, status, status_hlc) "
                          "VALUES(?1, ?2, ?3, ?4, ?5, ?4, ?6, ?4) ON CONFLICT(id) DO NOTHING"));
  ins.bind_all(u.id, t.campaign_id, t.name, hlc.to_string(), t.polygon_geojson, to_name(t.status));
  TRY(ins.run());
  if (db.changes() > 0) {
    u.inserted = true;
    return u;
  }
  for (auto [f, v] : {std::pair<const char*, FieldValue>{"name", t.name}, {"polygon", t.polygon_geojson},
                      {"status", std::string(to_name(t.status))}, {"deleted", int64_t{t.deleted}}}) {
    auto w = write_field(db, "turf", u.id, f, v, hlc);
    if (!w) return w.error();
    u.changed = u.changed || w.value();
  }
  return u;
}

Result<std::vector<Turf>> list_turfs(Db& db, std::string_view campaign_id) {
  TRY_ASSIGN(Stmt& q, stmt(db, "SELECT id, campaign_id, name, polygon, status FROM turf WHERE campaign_id=?1 AND deleted=0 "
                        "ORDER BY name, id"));
  q.bind(1, campaign_id);
  std::vector<Turf> out;
  for (;;) {
    auto r = q.step();
    if (!r) return r.error();
    if (!r.value()) break;
    Turf t;
    t.id = q.text(0);
    t.campaign_id = q.text(1);
    t.name = q.text(2);
    t.polygon_geojson = q.text(3);
    t.status = turf_status_from_name(q.text_view(4)).value_or(TurfStatus::draft);
    out.push_back(std::move(t));
  }
  return out;
}

Status set_turf_doors(Db& db, std::string_view turf_id, const std::vector<std::string>& door_ids, const Hlc& hlc) {
  std::string h = hlc.to_string();
  TRY_ASSIGN(Stmt& up, stmt(db, 
                   "INSERT INTO turf_door(turf_id, door_id, position, position_hlc, deleted, deleted_hlc) "
                   "VALUES(?1, ?2, ?3, ?4, 0, ?4) ON CONFLICT(turf_id, door_id) DO UPDATE SET "
                   "position=CASE WHEN position_hlc IS NULL OR position_hlc < ?4 THEN ?3 ELSE position END, "
                   "position_hlc=CASE WHEN position_hlc IS NULL OR position_hlc < ?4 THEN ?4 ELSE position_hlc END, "
                   "deleted=CASE WHEN deleted_hlc IS NULL OR deleted_hlc < ?4 THEN 0 ELSE deleted END, "
                   "deleted_hlc=CASE WHEN deleted_hlc IS NULL OR deleted_hlc < ?4 THEN ?4 ELSE deleted_hlc END"));
  int64_t pos = 0;
  for (const auto& d : door_ids) {
    up.bind_all(turf_id, d, pos++, h);
    TRY(up.run());
  }
  // Tombstone the doors that were not listed: the stamp just written marks the listed ones.
  TRY_ASSIGN(Stmt& del, stmt(db, "UPDATE turf_door SET deleted=1, deleted_hlc=?2 WHERE turf_id=?1 AND deleted=0 "
                          "AND (deleted_hlc IS NULL OR deleted_hlc < ?2)"));
  del.bind_all(turf_id, h);
  return del.run();
}

Result<std::vector<WalkStop>> turf_walk_list(Db& db, std::string_view turf_id) {
  std::string cols;
  for (std::string_view c : {"id", "campaign_id", "building_id", "address_key", "address", "unit", "lat", "lon",
                             "geocode", "do_not_contact", "safety", "deleted"})
    cols += (cols.empty() ? "d." : ", d.") + std::string(c);
  TRY_ASSIGN(Stmt& q, built_stmt(db, "SELECT " + cols + ", td.position FROM turf_door td JOIN door d ON d.id=td.door_id "
                        "WHERE td.turf_id=?1 AND td.deleted=0 AND d.deleted=0 AND d.do_not_contact=0 "
                        "ORDER BY td.position, d.id"));
  q.bind(1, turf_id);
  std::vector<WalkStop> out;
  for (;;) {
    auto r = q.step();
    if (!r) return r.error();
    if (!r.value()) break;
    WalkStop w;
    w.door = read_door(q);
    w.position = q.int64(12);
    out.push_back(std::move(w));
  }
  for (auto& w : out) {
    auto people = people_at_door(db, w.door.id);
    if (!people) return people.error();
    for (auto& p : people.value())
      if (!p.do_not_contact) w.people.push_back(std::move(p));
  }
  return out;
}

// ---- Links -------------------------------------------------------------------------------------
Status insert_link(Db& db, const Link& l) {
  TRY_ASSIGN(Stmt& ins, stmt(db, "INSERT INTO link(id, turf_id, token_hash, created_ms, expires_ms, revoked) "
                          "VALUES(?1, ?2, ?3, ?4, ?5, ?6)"));
  ins.bind_all(l.id, l.turf_id, l.token_hash, l.created_ms, l.expires_ms, l.revoked);
  return ins.run();
}

Result<std::optional<Link>> find_link_by_token_hash(Db& db, std::string_view token_hash) {
  TRY_ASSIGN(Stmt& q, stmt(db, "SELECT id, turf_id, token_hash, created_ms, expires_ms, revoked FROM link WHERE token_hash=?1"));
  q.bind(1, token_hash);
  auto r = q.step();
  if (!r) return r.error();
  std::optional<Link> out;
  if (r.value()) out = Link{q.text(0), q.text(1), q.text(2), q.int64(3), q.int64(4), q.int64(5) != 0};
  q.reset();
  return out;
}

// ---- Script and survey ----------------------------------------------------------------------
Status upsert_script_section(Db& db, const ScriptSection& s, const Hlc& hlc) {
  std::string h = hlc.to_string();
  TRY_ASSIGN(Stmt& ins, stmt(db, 
                    "INSERT INTO script_section(id, campaign_id, language, position, position_hlc, title, title_hlc, "
                    "body, body_hlc, branch_question_id, branch_answer, branch_hlc) "
                    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?5, ?7, ?5, ?8, ?9, ?5) ON CONFLICT(id) DO NOTHING"));
  ins.bind_all(s.id, s.campaign_id, s.language, s.position, h, s.title, s.body, s.branch_question_id, s.branch_answer);
  TRY(ins.run());
  if (db.changes() > 0) return {};
  for (auto [f, v] : {std::pair<const char*, FieldValue>{"position", s.position}, {"title", s.title},
                      {"body", s.body}, {"deleted", int64_t{s.deleted}}}) {
    auto w = write_field(db, "script_section", s.id, f, v, hlc);
    if (!w) return w.error();
  }
  TRY_ASSIGN(Stmt& br, stmt(db, "UPDATE script_section SET branch_question_id=?2, branch_answer=?3, branch_hlc=?4 "
                         "WHERE id=?1 AND (branch_hlc IS NULL OR branch_hlc < ?4)"));
  br.bind_all(s.id, s.branch_question_id, s.branch_answer, h);
  return br.run();
}

Result<std::vector<ScriptSection>> list_script(Db& db, std::string_view campaign_id, std::string_view language) {
  TRY_ASSIGN(Stmt& q, stmt(db, "SELECT id, campaign_id, language, position, title, body, branch_question_id, branch_answer "
                        "FROM script_section WHERE campaign_id=?1 AND language=?2 AND deleted=0 ORDER BY position, id"));
  q.bind_all(campaign_id, language);
  std::vector<ScriptSection> out;
  for (;;) {
    auto r = q.step();
    if (!r) return r.error();
    if (!r.value()) break;
    ScriptSection s;
    s.id = q.text(0);
    s.campaign_id = q.text(1);
    s.language = q.text(2);
    s.position = q.int64(3);
    s.title = q.text(4);
    s.body = q.text(5);
    s.branch_question_id = q.text(6);
    s.branch_answer = q.text(7);
    out.push_back(std::move(s));
  }
  return out;
}

Status upsert_question(Db& db, const SurveyQuestion& sq, const Hlc& hlc) {
  std::string h = hlc.to_string();
  TRY_ASSIGN(Stmt& ins, stmt(db, "INSERT INTO survey_question(id, campaign_id, position, position_hlc, kind, van_name, "
                          "van_name_hlc, choices, choices_hlc) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?4, ?7, ?4) "
                          "ON CONFLICT(id) DO NOTHING"));
  ins.bind_all(sq.id, sq.campaign_id, sq.position, h, to_name(sq.kind), sq.van_name, json_strings(sq.choices));
  TRY(ins.run());
  if (db.changes() == 0) {
    for (auto [f, v] : {std::pair<const char*, FieldValue>{"position", sq.position}, {"van_name", sq.van_name},
                        {"choices", json_strings(sq.choices)}, {"deleted", int64_t{sq.deleted}}}) {
      auto w = write_field(db, "survey_question", sq.id, f, v, hlc);
      if (!w) return w.error();
    }
  }
  TRY_ASSIGN(Stmt& lab, stmt(db, 
                    "INSERT INTO survey_label(question_id, language, label, label_hlc, choice_labels, choice_labels_hlc) "
                    "VALUES(?1, ?2, ?3, ?4, ?5, ?4) ON CONFLICT(question_id, language) DO UPDATE SET "
                    "label=CASE WHEN label_hlc IS NULL OR label_hlc < ?4 THEN ?3 ELSE label END, "
                    "label_hlc=CASE WHEN label_hlc IS NULL OR label_hlc < ?4 THEN ?4 ELSE label_hlc END, "
                    "choice_labels=CASE WHEN choice_labels_hlc IS NULL OR choice_labels_hlc < ?4 THEN ?5 ELSE choice_labels END, "
                    "choice_labels_hlc=CASE WHEN choice_labels_hlc IS NULL OR choice_labels_hlc < ?4 THEN ?4 ELSE choice_labels_hlc END"));
  for (const auto& l : sq.labels) {
    lab.bind_all(sq.id, l.language, l.label, h, json_strings(l.choice_labels));
    TRY(lab.run());
  }
  return {};
}

Result<std::vector<SurveyQuestion>> list_questions(Db& db, std::string_view campaign_id) {
  std::vector<SurveyQuestion> out;
  {
    TRY_ASSIGN(Stmt& q, stmt(db, "SELECT id, campaign_id, position, kind, van_name, choices FROM survey_question "
                          "WHERE campaign_id=?1 AND deleted=0 ORDER BY position, id"));
    q.bind(1, campaign_id);
    for (;;) {
      auto r = q.step();
      if (!r) return r.error();
      if (!r.value()) break;
      SurveyQuestion s;
      s.id = q.text(0);
      s.campaign_id = q.text(1);
      s.position = q.int64(2);
      s.kind = question_kind_from_name(q.text_view(3)).value_or(QuestionKind::free_text);
      s.van_name = q.text(4);
      s.choices = parse_strings(q.text_view(5));
      out.push_back(std::move(s));
    }
  }
  TRY_ASSIGN(Stmt& l, stmt(db, "SELECT language, label, choice_labels FROM survey_label WHERE question_id=?1 ORDER BY language"));
  for (auto& s : out) {
    l.reset();
    l.bind(1, s.id);
    for (;;) {
      auto r = l.step();
      if (!r) return r.error();
      if (!r.value()) break;
      s.labels.push_back(QuestionLabel{l.text(0), l.text(1), parse_strings(l.text_view(2))});
    }
  }
  return out;
}

// ---- Sign-ups ---------------------------------------------------------------------------------
Status upsert_signup(Db& db, const Signup& s, const Hlc& hlc) {
  if (!is_uuid(s.id)) return make_error(Code::invalid_argument, "sign-up id must be a lowercase UUID");
  std::string h = hlc.to_string();
  TRY_ASSIGN(Stmt& ins, stmt(db, "INSERT INTO signup(id, campaign_id, person_id, door_id, attempt_id, name, name_hlc, phone, "
                          "phone_hlc, email, email_hlc, pledge, pledge_hlc, created_ms) "
                          "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?7, ?9, ?7, ?10, ?7, ?11) ON CONFLICT(id) DO NOTHING"));
  ins.bind_all(s.id, s.campaign_id, s.person_id, s.door_id, s.attempt_id, s.name, h, s.phone, s.email, s.pledge,
               s.created_ms);
  TRY(ins.run());
  if (db.changes() == 0) {
    for (auto [f, v] : {std::pair<const char*, FieldValue>{"name", s.name}, {"phone", s.phone}, {"email", s.email},
                        {"pledge", s.pledge}, {"deleted", int64_t{s.deleted}}}) {
      auto w = write_field(db, "signup", s.id, f, v, hlc);
      if (!w) return w.error();
    }
  }
  TRY_ASSIGN(Stmt& c, stmt(db, "INSERT INTO consent(signup_id, purpose, granted, granted_hlc) VALUES(?1, ?2, ?3, ?4) "
                        "ON CONFLICT(signup_id, purpose) DO UPDATE SET "
                        "granted=CASE WHEN granted_hlc IS NULL OR granted_hlc < ?4 THEN ?3 ELSE granted END, "
                        "granted_hlc=CASE WHEN granted_hlc IS NULL OR granted_hlc < ?4 THEN ?4 ELSE granted_hlc END"));
  for (const auto& k : s.consents) {
    c.bind_all(s.id, to_name(k.purpose), k.granted, h);
    TRY(c.run());
  }
  return {};
}

Result<std::vector<Signup>> list_signups(Db& db, std::string_view campaign_id) {
  std::vector<Signup> out;
  {
    TRY_ASSIGN(Stmt& q, stmt(db, "SELECT id, campaign_id, person_id, door_id, attempt_id, name, phone, email, pledge, created_ms "
                          "FROM signup WHERE campaign_id=?1 AND deleted=0 ORDER BY created_ms, id"));
    q.bind(1, campaign_id);
    for (;;) {
      auto r = q.step();
      if (!r) return r.error();
      if (!r.value()) break;
      Signup s;
      s.id = q.text(0);
      s.campaign_id = q.text(1);
      s.person_id = q.text(2);
      s.door_id = q.text(3);
      s.attempt_id = q.text(4);
      s.name = q.text(5);
      s.phone = q.text(6);
      s.email = q.text(7);
      s.pledge = q.text(8);
      s.created_ms = q.int64(9);
      out.push_back(std::move(s));
    }
  }
  TRY_ASSIGN(Stmt& c, stmt(db, "SELECT purpose, granted FROM consent WHERE signup_id=?1"));
  for (auto& s : out) {
    c.reset();
    c.bind(1, s.id);
    for (;;) {
      auto r = c.step();
      if (!r) return r.error();
      if (!r.value()) break;
      if (auto p = consent_purpose_from_name(c.text_view(0))) s.consents.push_back(Consent{*p, c.int64(1) != 0});
    }
    std::sort(s.consents.begin(), s.consents.end(),
              [](const Consent& a, const Consent& b) { return a.purpose < b.purpose; });
  }
  return out;
}

Result<std::string> turf_campaign_id(Db& db, std::string_view turf_id) {
  auto q = db.prepare("SELECT campaign_id FROM turf WHERE id=?1 AND deleted=0");
  if (!q) return q.error();
  q->bind(1, turf_id);
  auto r = q->step();
  if (!r) return r.error();
  if (!*r) return Error{Code::not_found, "no such turf"};
  return q->text(0);
}

Result<int64_t> count_turf_doors(Db& db, std::string_view turf_id) {
  TRY_ASSIGN(Stmt& q, stmt(db, "SELECT count(*) FROM turf_door WHERE turf_id=?1 AND deleted=0"));
  q.bind(1, turf_id);
  auto r = q.step();
  if (!r) return r.error();
  int64_t n = q.int64(0);
  q.reset();
  return n;
}

Result<TurfMembership> turf_membership(Db& db, std::string_view turf_id, std::string_view door_id) {
  TRY_ASSIGN(Stmt& q, stmt(db, "SELECT deleted FROM turf_door WHERE turf_id=?1 AND door_id=?2"));
  q.bind(1, turf_id).bind(2, door_id);
  auto r = q.step();
  if (!r) return r.error();
  TurfMembership out = !*r ? TurfMembership::never : q.int64(0) ? TurfMembership::left : TurfMembership::member;
  q.reset();
  return out;
}

Result<std::set<std::string>> doors_in_live_turfs(Db& db, std::string_view campaign_id) {
  auto q = db.prepare(
      "SELECT td.door_id FROM turf_door td JOIN turf t ON t.id = td.turf_id "
      "WHERE t.campaign_id = ? AND t.deleted = 0 AND t.status <> 'archived' AND td.deleted = 0");
  if (!q) return q.error();
  q->bind(1, campaign_id);
  std::set<std::string> out;
  for (;;) {
    auto r = q->step();
    if (!r) return r.error();
    if (!*r) break;
    out.insert(q->text(0));
  }
  return out;
}

}  // namespace doorstep::store
