// Mirroring synced writes into the core tables (see mirror.h). The sync tables stay the authority
// for merges; a core row that does not exist (yet) is simply not written.
#include "shared/sync/mirror.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "shared/base/geo.h"
#include "shared/base/ids.h"

namespace doorstep::sync {

namespace {

// A string literal's statement is found by its address (cached_static), skipping the compare of
// the SQL text with the cached ones'; built SQL is found by its text.
Result<store::Stmt*> q(store::Db& db, const char* literal) { return db.cached_static(literal); }
Result<store::Stmt*> q(store::Db& db, std::string_view sql) { return db.cached(sql); }

// Columns of the core tables that mirror a synced field. Fixed list: the names go into SQL text.
struct CoreColumn {
  const char* entity;
  const char* field;
  const char* table;
  const char* column;
  bool boolean;
};
constexpr CoreColumn kCoreColumns[] = {
    {"door", "status", "door", "status", false},
    {"door", "do_not_contact", "door", "do_not_contact", true},
    {"door", "safety", "door", "safety", false},
    {"person", "first_name", "person", "first_name", false},
    {"person", "last_name", "person", "last_name", false},
    {"person", "phone", "person", "phone", false},
    {"person", "email", "person", "email", false},
    {"person", "language", "person", "language", false},
    {"person", "do_not_contact", "person", "do_not_contact", true},
    {"person", "safety", "person", "safety", false},
    {"person", "door", "person", "door_id", false},
    {"person", "deleted", "person", "deleted", true},
};

Status mirror_field(store::Db& db, std::string_view entity, std::string_view id, std::string_view field,
                    const json::Value& value, std::string_view hlc, std::string_view campaign_id) {
  for (const auto& c : kCoreColumns) {
    if (entity != c.entity || field != c.field) continue;
    std::string col = c.column;
    std::string sql = "UPDATE " + std::string(c.table) + " SET " + col + "=?1, " + col + "_hlc=?2 WHERE id=?3 AND (" +
                      col + "_hlc IS NULL OR " + col + "_hlc <= ?2) AND (?4 = '' OR campaign_id = ?4)";
    // Foreign key, and a person never moves to another campaign's door.
    if (col == "door_id") sql += " AND EXISTS(SELECT 1 FROM door WHERE id=?1 AND door.campaign_id=person.campaign_id)";
    auto s = q(db, sql);
    if (!s) return s.error();
    if (c.boolean) (*s)->bind(1, static_cast<int64_t>(value.is_bool() && value.as_bool()));
    else (*s)->bind(1, value.is_string() ? std::string_view(value.as_string()) : std::string_view());
    (*s)->bind(2, hlc).bind(3, id).bind(4, campaign_id);
    return (*s)->run();
  }
  return {};
}

struct DoorInfo {
  std::string campaign_id;
  std::optional<double> lat, lon;
};

Result<std::optional<DoorInfo>> door_info(store::Db& db, std::string_view door) {
  auto s = q(db, "SELECT campaign_id, lat, lon FROM door WHERE id=?1");
  if (!s) return s.error();
  (*s)->bind(1, door);
  auto r = (*s)->step();
  if (!r) return r.error();
  if (!*r) return std::optional<DoorInfo>();
  DoorInfo d{(*s)->text(0), (*s)->opt_real(1), (*s)->opt_real(2)};
  (*s)->reset();
  return std::optional<DoorInfo>(std::move(d));
}

std::string str_or(const json::Value& p, std::string_view key) {
  const json::Value* v = p.find(key);
  return v && v->is_string() ? v->as_string() : std::string();
}
std::optional<double> num_or(const json::Value& p, std::string_view key) {
  const json::Value* v = p.find(key);
  if (!v || !v->is_number()) return std::nullopt;
  return v->as_double();
}

}  // namespace

Status Unit::begin() {
  if (own_) TRY(db_.exec("PRAGMA synchronous=FULL"));  // an ok answer must survive power loss
  // Prepared once per connection (every push opens one): exec parsed the SQL each time.
  auto st = db_.cached_static(own_ ? "BEGIN IMMEDIATE" : "SAVEPOINT sync_unit");
  if (!st) return st.error();
  Status s = (*st)->run();
  open_ = s.ok();
  return s;
}

Status Unit::commit() {
  auto st = db_.cached_static(own_ ? "COMMIT" : "RELEASE sync_unit");
  if (!st) return st.error();
  Status s = (*st)->run();
  if (s) open_ = false;
  return s;
}

Unit::~Unit() {
  if (own_) {
    // Any transaction still open is ours, even one a failed BEGIN or COMMIT left behind.
    if (db_.in_transaction()) db_.exec("ROLLBACK");
  } else if (open_) {
    db_.exec("ROLLBACK TO sync_unit");
    db_.exec("RELEASE sync_unit");
  }
}

Result<bool> mirror_merge_field(store::Db& db, std::string_view entity, std::string_view id, std::string_view field,
                                const json::Value& value, std::string_view hlc, std::string_view campaign_id) {
  auto s = q(db,
             "INSERT INTO sync_field(entity, id, field, value, hlc) VALUES(?1, ?2, ?3, ?4, ?5) "
             "ON CONFLICT(entity, id, field) DO UPDATE SET value=excluded.value, hlc=excluded.hlc "
             "WHERE excluded.hlc >= sync_field.hlc");
  if (!s) return s.error();
  (*s)->bind_all(entity, id, field, json::dump(value), hlc);
  TRY((*s)->run());
  if (db.changes() == 0) return false;
  TRY(mirror_field(db, entity, id, field, value, hlc, campaign_id));
  return true;
}

Status mirror_attempt(store::Db& db, const Mutation& m, const MirrorContext& ctx) {
  const json::Value& p = m.payload;
  std::string door = str_or(p, "door");
  auto info = door_info(db, door);
  if (!info) return info.error();
  std::optional<double> lat = num_or(p, "lat"), lon = num_or(p, "lon"), distance;
  if (*info && lat && lon && (*info)->lat && (*info)->lon) distance = geo::haversine_m(*lat, *lon, *(*info)->lat, *(*info)->lon);
  const json::Value* answers = p.find("answers");
  auto s = q(db,
             "INSERT OR IGNORE INTO attempt(id, campaign_id, door_id, person_id, turf_id, result, answers, notes,"
             " canvasser, device, client_ms, server_ms, lat, lon, accuracy_m, distance_m, off_turf, survey_version)"
             " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)");
  if (!s) return s.error();
  (*s)->bind_all(m.id, *info ? (*info)->campaign_id : std::string(), door, str_or(p, "person"), ctx.turf_id,
                 str_or(p, "result"), answers ? json::dump(*answers) : std::string("{}"), str_or(p, "notes"),
                 str_or(p, "canvasser"), ctx.client_id, m.at_ms, ctx.server_ms);
  (*s)->bind(13, lat).bind(14, lon).bind(15, num_or(p, "accuracy_m")).bind(16, distance).bind(17, ctx.off_turf);
  const json::Value* version = p.find("survey_version");  // absent from older phones: 0, unknown
  (*s)->bind(18, version && version->is_integer() ? version->as_int() : int64_t{0});
  return (*s)->run();
}

Status mirror_signup(store::Db& db, const Mutation& m, std::string_view hlc) {
  const json::Value& p = m.payload;
  auto info = door_info(db, str_or(p, "door"));
  if (!info) return info.error();
  if (!*info) return {};  // signup.campaign_id is a foreign key: kept in sync_record only
  auto s = q(db,
             "INSERT OR IGNORE INTO signup(id, campaign_id, person_id, door_id, name, name_hlc, phone, phone_hlc,"
             " email, email_hlc, created_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6, ?8, ?6, ?9)");
  if (!s) return s.error();
  (*s)->bind_all(m.id, (*info)->campaign_id, str_or(p, "person"), str_or(p, "door"), str_or(p, "name"), hlc,
                 str_or(p, "phone"), str_or(p, "email"), m.at_ms);
  TRY((*s)->run());
  if (const json::Value* c = p.find("consents")) {
    for (const auto& [purpose, granted] : c->as_object()) {
      auto cs = q(db, "INSERT OR IGNORE INTO consent(signup_id, purpose, granted, granted_hlc) VALUES(?1, ?2, ?3, ?4)");
      if (!cs) return cs.error();
      (*cs)->bind_all(m.id, purpose, granted.as_bool(), hlc);
      TRY((*cs)->run());
    }
  }
  return {};
}

Status mirror_attempt_edit(store::Db& db, const Mutation& m, std::string_view hlc, int64_t server_ms,
                           std::string_view campaign_id) {
  const json::Value& p = m.payload;
  bool is_void = m.kind == Kind::attempt_void;
  auto s = q(db,
             "INSERT OR IGNORE INTO attempt_edit(id, attempt_id, campaign_id, kind, result, answers, notes, hlc, client_ms,"
             " server_ms) SELECT ?1, a.id, a.campaign_id, ?3, ?4, ?5, ?6, ?7, ?8, ?9 FROM attempt a"
             " WHERE a.id=?2 AND (?10 = '' OR a.campaign_id = ?10)");
  if (!s) return s.error();
  (*s)->bind_all(m.id, str_or(p, "attempt"), is_void ? "void" : "amend");
  const json::Value* result = p.find("result");
  const json::Value* answers = p.find("answers");
  const json::Value* notes = p.find("notes");
  if (result && result->is_string()) (*s)->bind(4, std::string_view(result->as_string()));
  else (*s)->bind(4, nullptr);
  if (answers) (*s)->bind(5, json::dump(*answers));
  else (*s)->bind(5, nullptr);
  if (notes && notes->is_string()) (*s)->bind(6, std::string_view(notes->as_string()));
  else (*s)->bind(6, nullptr);
  (*s)->bind(7, hlc).bind(8, m.at_ms).bind(9, server_ms).bind(10, campaign_id);
  return (*s)->run();
}

Status apply_pulled(store::Db& db, std::string_view turf_id, const std::vector<Change>& changes) {
  Unit unit(db);
  TRY(unit.begin());
  MirrorContext ctx;
  ctx.turf_id = std::string(turf_id);
  for (const Change& c : changes) {
    if (!c.field.empty()) {
      if (!Hlc::parse(c.hlc)) return make_error(Code::invalid_argument, "pulled change with a bad hlc");
      TRY(mirror_merge_field(db, c.entity, c.id, c.field, c.value, c.hlc, ""));
      continue;
    }
    if (!c.record.is_object()) return make_error(Code::invalid_argument, "pulled record is not an object");
    Mutation m;
    m.id = c.id;
    m.payload = c.record;
    const json::Value* at = c.record.find("at");
    m.at_ms = at && at->is_integer() ? at->as_int() : 0;
    const json::Value* off = c.record.find("off_turf");
    ctx.off_turf = off && off->is_bool() && off->as_bool();
    if (c.entity == "attempt") TRY(mirror_attempt(db, m, ctx));
    else if (c.entity == "signup") TRY(mirror_signup(db, m, c.hlc));
  }
  return unit.commit();
}

}  // namespace doorstep::sync
