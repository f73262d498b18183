// Applying pushes and serving pulls on the server (see sync_server.h and docs/sync.md). The sync
// tables are the authority for merges; the core tables (door, person, attempt, signup) are mirrored
// into through shared/sync/mirror.h, so organizer views and exports see canvassers' work.
#include "shared/sync/sync_server.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "shared/base/ids.h"
#include "shared/base/model.h"
#include "shared/sync/mirror.h"

namespace doorstep::sync {

namespace {

// A string literal's statement is found by its address (cached_static), skipping the compare of
// the SQL text with the cached ones' (every statement here is a literal).
Result<store::Stmt*> q(store::Db& db, const char* literal) { return db.cached_static(literal); }

Status log_change(store::Db& db, std::string_view turf, const Change& c) {
  auto s = q(db, "INSERT INTO sync_change(turf_id, body) VALUES(?1, ?2)");
  if (!s) return s.error();
  (*s)->bind_all(turf, json::dump(c.to_json()));
  return (*s)->run();
}

// Merges one field write; logs it only when it won (mirror_merge_field also mirrors it then).
Status merge_field(store::Db& db, std::string_view turf, std::string_view entity, std::string_view id,
                   std::string_view field, const json::Value& value, std::string_view hlc,
                   std::string_view campaign_id = "") {
  auto won = mirror_merge_field(db, entity, id, field, value, hlc, campaign_id);
  if (!won) return won.error();
  if (!*won) return {};
  Change c;
  c.entity = std::string(entity);
  c.id = std::string(id);
  c.field = std::string(field);
  c.value = value;
  c.hlc = std::string(hlc);
  return log_change(db, turf, c);
}

std::string clamp_hlc(const std::string& text, int64_t now, int64_t max_ahead) {
  auto h = Hlc::parse(text);
  if (!h || h->wall_ms <= now + max_ahead) return text;
  h->wall_ms = now + max_ahead;
  return h->to_string();
}

std::string str_or(const json::Value& p, std::string_view key) {
  const json::Value* v = p.find(key);
  return v && v->is_string() ? v->as_string() : std::string();
}

Status insert_record(store::Db& db, const Mutation& m, const std::string& hlc, const std::string& client_id,
                     const PushContext& ctx, bool off_turf, std::string_view rejected, std::string_view door = {}) {
  auto s = q(db,
             "INSERT INTO sync_record(id, kind, turf_id, door_id, client_id, seq, hlc, at_ms, server_ms, payload,"
             " off_turf, rejected) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  if (!s) return s.error();
  std::string door_id = door.empty() ? str_or(m.payload, "door") : std::string(door);  // an edit: its attempt's door
  (*s)->bind_all(m.id, kind_name(m.kind), ctx.turf_id, door_id, client_id, m.seq, hlc, m.at_ms, ctx.server_now_ms,
                 json::dump(m.payload), off_turf, rejected);
  return (*s)->run();
}

Code ended_code(const PushContext& ctx) {
  return ctx.link == PushContext::Link::revoked ? Code::revoked : Code::expired;
}

// ---- Scope: every id a mutation names belongs to the link's turf and campaign -------------------

enum class Member { never, member, left };

// Doors' membership as looked up during one push: a push changes no turf_door row and no door's
// campaign, so each door is looked up once per push however many mutations name it.
using MemberMemo = std::map<std::string, Member, std::less<>>;

// Whether `door` (of the link's campaign) is in the turf now, was once, or never was.
Result<Member> membership(store::Db& db, const PushContext& ctx, std::string_view door, MemberMemo& memo) {
  if (auto it = memo.find(door); it != memo.end()) return it->second;
  auto s = q(db,
             "SELECT td.deleted FROM turf_door td JOIN door d ON d.id=td.door_id"
             " WHERE td.turf_id=?1 AND td.door_id=?2 AND d.campaign_id=?3");
  if (!s) return s.error();
  (*s)->bind_all(ctx.turf_id, door, ctx.campaign_id);
  auto r = (*s)->step();
  if (!r) return r.error();
  Member m = !*r ? Member::never : (*s)->int64(0) ? Member::left : Member::member;
  (*s)->reset();
  memo.emplace(std::string(door), m);
  return m;
}

// The door a person of the link's campaign lives at; nullopt when there is no such person.
Result<std::optional<std::string>> person_door(store::Db& db, const PushContext& ctx, std::string_view person) {
  auto s = q(db, "SELECT door_id FROM person WHERE id=?1 AND campaign_id=?2");
  if (!s) return s.error();
  (*s)->bind_all(person, ctx.campaign_id);
  auto r = (*s)->step();
  if (!r) return r.error();
  std::optional<std::string> out;
  if (*r) out = (*s)->text(0);
  (*s)->reset();
  return out;
}

Result<bool> exists(store::Db& db, const char* sql, std::string_view id) {
  auto s = q(db, sql);
  if (!s) return s.error();
  (*s)->bind(1, id);
  auto r = (*s)->step();
  if (!r) return r.error();
  bool found = *r;
  (*s)->reset();
  return found;
}

// Why `m` is out of the link's scope ("" when it is in scope). See docs/sync.md, "Scope".
Result<std::string> out_of_scope(store::Db& db, const Mutation& m, const PushContext& ctx, MemberMemo& memo) {
  const json::Value& p = m.payload;
  std::string door = str_or(p, "door"), person = str_or(p, "person");
  bool needs_member = m.kind == Kind::door_set || m.kind == Kind::person_add;
  if (!door.empty()) {
    auto in = membership(db, ctx, door, memo);
    if (!in) return in.error();
    if (*in == Member::never) return std::string("door is not in this link's turf");
    if (needs_member && *in != Member::member) return std::string("door is no longer in this link's turf");
  }
  if (m.kind == Kind::person_add) {
    auto taken = exists(db, "SELECT 1 FROM person WHERE id=?1", person);
    if (!taken) return taken.error();
    if (*taken) return std::string("person.add must name a new person id");
  } else if (!person.empty()) {
    auto at = person_door(db, ctx, person);
    if (!at) return at.error();
    if (!*at) return std::string("person is not in this link's campaign");
    auto in = membership(db, ctx, **at, memo);
    if (!in) return in.error();
    if (*in == Member::never) return std::string("person does not live in this link's turf");
  }
  if (const json::Value* set = p.find("set"); set && set->is_object() && m.kind == Kind::person_set) {
    if (const json::Value* d = set->find("door"); d && d->is_string()) {
      auto in = membership(db, ctx, d->as_string(), memo);
      if (!in) return in.error();
      if (*in != Member::member) return std::string("person.set moves a person to a door outside this link's turf");
    }
  }
  if (m.kind == Kind::attempt_add || m.kind == Kind::signup_add) {
    auto taken = exists(db, m.kind == Kind::attempt_add ? "SELECT 1 FROM attempt WHERE id=?1" : "SELECT 1 FROM signup WHERE id=?1",
                        m.id);
    if (!taken) return taken.error();
    if (*taken) return std::string("record id already in use");
  }
  return std::string();
}

// ---- Edits of attempts (attempt.void, attempt.amend) -------------------------------------------

struct EditTarget {
  std::string door;
  bool voided = false;  // voided before: a second void changes nothing
};

// Why the attempt an edit names is not this link's to edit ("" when it is): it must be an applied
// attempt.add (one earlier in the same push counts) of a client id of the pushing link, or without
// a link id, of the pushing turf. One message for "unknown" and "another link's", so a link learns
// nothing about other links' records.
Result<std::string> edit_target(store::Db& db, const Mutation& m, const PushContext& ctx, EditTarget& out) {
  std::string attempt = str_or(m.payload, "attempt");
  auto s = q(db,
             "SELECT r.door_id, r.turf_id, coalesce(c.link_id, '') FROM sync_record r"
             " LEFT JOIN sync_client c ON c.client_id=r.client_id"
             " WHERE r.id=?1 AND r.kind='attempt.add' AND r.rejected=''");
  if (!s) return s.error();
  (*s)->bind(1, attempt);
  auto r = (*s)->step();
  if (!r) return r.error();
  bool found = *r;
  std::string door = found ? (*s)->text(0) : "", turf = found ? (*s)->text(1) : "", link = found ? (*s)->text(2) : "";
  (*s)->reset();
  if (!found || (ctx.link_id.empty() ? turf != ctx.turf_id : link != ctx.link_id))
    return std::string("no attempt of this link has that id");
  out.door = door;
  auto v = exists(db, "SELECT 1 FROM sync_field WHERE entity='attempt' AND id=?1 AND field='voided'", attempt);
  if (!v) return v.error();
  out.voided = *v;
  return std::string();
}

// The door's status as the attempts that stand make it (the latest by record time, corrections
// applied), else the door's own status: what other phones show after an undo or a correction.
Result<std::string> standing_status(store::Db& db, std::string_view door) {
  auto s = q(db, "SELECT result FROM attempt_effective WHERE door_id=?1 ORDER BY client_ms DESC, seq DESC LIMIT 1");
  if (!s) return s.error();
  (*s)->bind(1, door);
  auto r = (*s)->step();
  if (!r) return r.error();
  std::string status = *r ? (*s)->text(0) : "";
  (*s)->reset();
  if (!status.empty()) return status;
  auto d = q(db, "SELECT status FROM door WHERE id=?1");
  if (!d) return d.error();
  (*d)->bind(1, door);
  auto dr = (*d)->step();
  if (!dr) return dr.error();
  status = *dr ? (*d)->text(0) : "";
  (*d)->reset();
  return status.empty() ? std::string("not_visited") : status;
}

// Applies one mutation seen for the first time. Returns a Rejected when it was kept but not applied.
Result<std::optional<Rejected>> apply_one(store::Db& db, const Mutation& m, const std::string& client_id,
                                          const PushContext& ctx, int64_t high_water, int version,
                                          MemberMemo& memo) {
  std::string hlc = clamp_hlc(m.hlc, ctx.server_now_ms, ctx.max_clock_ahead_ms);
  const json::Value& p = m.payload;
  auto reject = [&](Code code, std::string msg) -> Result<std::optional<Rejected>> {
    if (auto s = insert_record(db, m, hlc, client_id, ctx, false, code_name(code)); !s) return s.error();
    return std::optional<Rejected>(Rejected{m.seq, code, std::move(msg)});
  };
  // After the link ended only what the phone had numbered while it was valid is applied; the
  // record time is the phone's to set, so it decides nothing (a back-dated `at` gains nothing).
  if (ctx.link != PushContext::Link::active && m.seq > high_water)
    return reject(version >= 2 ? Code::after_end : ended_code(ctx), "recorded after the link ended");
  std::string door = str_or(p, "door");
  bool in_turf = door.empty() || !ctx.door_in_turf || ctx.door_in_turf(door);
  if (!ctx.campaign_id.empty()) {
    auto why = out_of_scope(db, m, ctx, memo);
    if (!why) return why.error();
    if (!why->empty()) return reject(Code::forbidden, std::move(*why));
    if (!door.empty() && !ctx.door_in_turf) {
      auto in = membership(db, ctx, door, memo);
      if (!in) return in.error();
      in_turf = *in == Member::member;
    }
  }
  switch (m.kind) {
    case Kind::attempt_add:
    case Kind::signup_add: {
      TRY(insert_record(db, m, hlc, client_id, ctx, !in_turf, ""));
      Change c;
      c.entity = m.kind == Kind::attempt_add ? "attempt" : "signup";
      c.id = m.id;
      c.record = p;
      c.record.set("at", m.at_ms);
      c.record.set("off_turf", !in_turf);
      c.hlc = hlc;
      TRY(log_change(db, ctx.turf_id, c));
      if (m.kind == Kind::attempt_add)
        TRY(mirror_attempt(db, m, MirrorContext{ctx.turf_id, client_id, ctx.server_now_ms, !in_turf}));
      else TRY(mirror_signup(db, m, hlc));
      return std::optional<Rejected>();
    }
    case Kind::door_set: {
      if (!in_turf) return reject(Code::forbidden, "door is not in this link's turf");
      for (const auto& [f, v] : p.find("set")->as_object()) TRY(merge_field(db, ctx.turf_id, "door", door, f, v, hlc, ctx.campaign_id));
      return std::optional<Rejected>();
    }
    case Kind::person_add: {
      std::string person = str_or(p, "person");
      if (!in_turf) return reject(Code::forbidden, "door is not in this link's turf");
      auto s = q(db,
                 "INSERT OR IGNORE INTO person(id, campaign_id, source, source_key, door_id, door_id_hlc)"
                 " SELECT ?1, campaign_id, '', 'canvass:' || ?1, id, ?3 FROM door WHERE id=?2");
      if (!s) return s.error();
      (*s)->bind_all(person, door, hlc);
      TRY((*s)->run());
      TRY(merge_field(db, ctx.turf_id, "person", person, "door", json::Value(door), hlc, ctx.campaign_id));
      for (const auto& [f, v] : p.find("set")->as_object()) TRY(merge_field(db, ctx.turf_id, "person", person, f, v, hlc, ctx.campaign_id));
      return std::optional<Rejected>();
    }
    case Kind::person_set: {
      std::string person = str_or(p, "person");
      for (const auto& [f, v] : p.find("set")->as_object()) TRY(merge_field(db, ctx.turf_id, "person", person, f, v, hlc, ctx.campaign_id));
      return std::optional<Rejected>();
    }
    case Kind::person_delete:
      TRY(merge_field(db, ctx.turf_id, "person", str_or(p, "person"), "deleted", json::Value(true), hlc, ctx.campaign_id));
      return std::optional<Rejected>();
    case Kind::attempt_void:
    case Kind::attempt_amend: {
      EditTarget t;
      auto why = edit_target(db, m, ctx, t);
      if (!why) return why.error();
      if (!why->empty()) return reject(Code::forbidden, std::move(*why));
      TRY(insert_record(db, m, hlc, client_id, ctx, false, "", t.door));
      if (m.kind == Kind::attempt_void && t.voided) return std::optional<Rejected>();  // idempotent
      TRY(mirror_attempt_edit(db, m, hlc, ctx.server_now_ms, ctx.campaign_id));
      // The edit's fields merge per field (LWW) on the attempt, so the latest correction wins
      // everywhere; a link's pull carries voided and result (docs/sync.md).
      std::string attempt = str_or(p, "attempt");
      if (m.kind == Kind::attempt_void) {
        TRY(merge_field(db, ctx.turf_id, "attempt", attempt, "voided", json::Value(true), hlc, ctx.campaign_id));
      } else {
        for (const char* f : {"result", "answers", "notes"})
          if (const json::Value* v = p.find(f)) TRY(merge_field(db, ctx.turf_id, "attempt", attempt, f, *v, hlc, ctx.campaign_id));
      }
      if (m.kind == Kind::attempt_void || p.find("result")) {
        // Every phone of the turf, old builds too, sees the door as the standing attempts make it.
        auto status = standing_status(db, t.door);
        if (!status) return status.error();
        Change c;
        c.entity = "door";
        c.id = t.door;
        c.field = "status";
        c.value = json::Value(*status);
        c.hlc = hlc;
        TRY(log_change(db, ctx.turf_id, c));
      }
      return std::optional<Rejected>();
    }
  }
  return make_error(Code::internal, "unhandled mutation kind");
}

Result<std::optional<std::string>> lookup_hash(store::Db& db, const char* sql, std::string_view a,
                                               std::optional<int64_t> b) {
  auto s = q(db, sql);
  if (!s) return s.error();
  (*s)->bind(1, a);
  if (b) (*s)->bind(2, *b);
  auto r = (*s)->step();
  if (!r) return r.error();
  if (!*r) return std::optional<std::string>();
  std::string h = (*s)->text(0);
  (*s)->reset();
  return std::optional<std::string>(std::move(h));
}

}  // namespace
bool link_may_see(std::string_view entity, std::string_view field);
std::string canvasser_first_name(std::string_view canvasser);
namespace {

// What a link's pull may carry (docs/sync.md): the fields a package shows, and attempts cut to
// {door, result, at, off_turf, canvasser's first word}. False: leave the change out.
bool link_view(Change& c) {
  if (!c.field.empty()) return link_may_see(c.entity, c.field);
  if (c.entity != "attempt" || !c.record.is_object()) return false;  // sign-ups stay with the organizer
  json::Value r = json::Value::object();
  for (const char* k : {"door", "result", "at", "off_turf"})
    if (const json::Value* v = c.record.find(k)) r.set(k, *v);
  std::string who = canvasser_first_name(str_or(c.record, "canvasser"));
  if (!who.empty()) r.set("canvasser", who);
  c.record = std::move(r);
  return true;
}

}  // namespace

namespace {
// One integer of a client's sync_client row, 0 when the client is unknown.
Result<int64_t> client_value(store::Db& db, const char* sql, std::string_view client_id) {
  auto s = q(db, sql);
  if (!s) return s.error();
  (*s)->bind(1, client_id);
  auto r = (*s)->step();
  if (!r) return r.error();
  int64_t v = *r ? (*s)->int64(0) : 0;
  (*s)->reset();
  return v;
}
}  // namespace

std::string canvasser_first_name(std::string_view canvasser) {
  size_t b = canvasser.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  size_t e = canvasser.find_first_of(" \t", b);
  return std::string(canvasser.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b));
}

bool link_may_see(std::string_view entity, std::string_view field) {
  static const std::set<std::pair<std::string_view, std::string_view>> kFields = {
      {"door", "status"},        {"door", "do_not_contact"},   {"door", "safety"},
      {"person", "first_name"},  {"person", "last_name"},      {"person", "language"},
      {"person", "do_not_contact"}, {"person", "safety"},      {"person", "door"},
      {"person", "deleted"},     {"attempt", "voided"},        {"attempt", "result"}};
  return kFields.count({entity, field}) > 0;
}

Result<int64_t> last_seq(store::Db& db, std::string_view client_id) {
  return client_value(db, "SELECT last_seq FROM sync_client WHERE client_id=?1", client_id);
}

Result<int64_t> high_water(store::Db& db, std::string_view client_id) {
  return client_value(db, "SELECT high_water FROM sync_client WHERE client_id=?1", client_id);
}

Status report_high_water(store::Db& db, std::string_view client_id, std::string_view turf_id,
                         int64_t recorded_through, int64_t now_ms) {
  if (!is_client_id(client_id)) return make_error(Code::invalid_argument, "client_id must be 32 lowercase hex characters");
  auto s = q(db,
             "INSERT INTO sync_client(client_id, turf_id, last_seq, first_ms, last_ms, high_water) VALUES(?1, ?2, 0, ?3, ?3, ?4) "
             "ON CONFLICT(client_id) DO UPDATE SET high_water=max(high_water, excluded.high_water)");
  if (!s) return s.error();
  (*s)->bind_all(client_id, turf_id, now_ms, recorded_through);
  return (*s)->run();
}

Result<PushResponse> apply_push(store::Db& db, const PushRequest& req, const PushContext& ctx) {
  if (!is_client_id(req.client_id)) return make_error(Code::invalid_argument, "client_id must be 32 lowercase hex characters");
  for (size_t i = 0; i < req.mutations.size(); ++i) {
    if (auto s = validate_mutation(req.mutations[i]); !s) return s.error();
    if (i && req.mutations[i].seq != req.mutations[i - 1].seq + 1)
      return make_error(Code::invalid_argument, "mutations must have consecutive seq");
  }
  bool ended = ctx.link != PushContext::Link::active;

  PushResponse resp;
  resp.v = req.v;
  resp.client_id = req.client_id;
  resp.server_ms = ctx.server_now_ms;
  resp.wipe_after_flush = ended;

  Unit unit(db);
  if (auto s = unit.begin(); !s) return s.error();
  if (!ctx.link_id.empty()) {
    // Which link this client id pushes with, known before any mutation applies, so an edit in
    // this very push can find an attempt pushed earlier in it. A client id keeps its first link.
    auto own = q(db,
                 "INSERT INTO sync_client(client_id, turf_id, last_seq, first_ms, last_ms, high_water, link_id)"
                 " VALUES(?1, ?2, 0, ?3, ?3, 0, ?4) ON CONFLICT(client_id) DO UPDATE SET link_id=excluded.link_id"
                 " WHERE sync_client.link_id=''");
    if (!own) return own.error();
    (*own)->bind_all(req.client_id, ctx.turf_id, ctx.server_now_ms, ctx.link_id);
    if (auto s = (*own)->run(); !s) return s.error();
  }
  int64_t seq = 0, mark = 0;  // the client's last applied seq and high-water mark, 0 when new
  {
    auto s = q(db, "SELECT last_seq, high_water FROM sync_client WHERE client_id=?1");
    if (!s) return s.error();
    (*s)->bind(1, req.client_id);
    auto r = (*s)->step();
    if (!r) return r.error();
    if (*r) {
      seq = (*s)->int64(0);
      mark = (*s)->int64(1);
    }
    (*s)->reset();
  }
  if (!ended) {
    // While the link is valid everything the phone numbered (reported or sent) is its to write.
    mark = std::max(mark, req.recorded_through);
    if (!req.mutations.empty()) mark = std::max(mark, req.mutations.back().seq);
  }
  MemberMemo memo;
  for (const Mutation& m : req.mutations) {
    std::string hash = m.content_hash();
    if (m.seq <= seq) {
      auto seen = lookup_hash(db, "SELECT hash FROM sync_seen WHERE client_id=?1 AND seq=?2", req.client_id, m.seq);
      if (!seen) return seen.error();
      if (*seen && **seen != hash) {
        resp.code = Code::conflict;
        break;
      }
      continue;  // a retry of something already applied
    }
    if (m.seq > seq + 1) {
      resp.code = Code::gap;
      break;
    }
    auto applied = lookup_hash(db, "SELECT hash FROM sync_applied WHERE mutation_id=?1", m.id, std::nullopt);
    if (!applied) return applied.error();
    if (*applied) {
      // Already applied under another client id (resent after a conflict): acknowledge only.
      if (**applied != hash)
        resp.rejected.push_back(Rejected{m.seq, Code::conflict, "mutation id already used with other content"});
    } else {
      auto r = apply_one(db, m, req.client_id, ctx, mark, req.v, memo);
      if (!r) return r.error();
      if (*r) resp.rejected.push_back(std::move(**r));
      auto ins = q(db, "INSERT INTO sync_applied(mutation_id, hash, client_id, seq, server_ms) VALUES(?1, ?2, ?3, ?4, ?5)");
      if (!ins) return ins.error();
      (*ins)->bind_all(m.id, hash, req.client_id, m.seq, ctx.server_now_ms);
      if (auto s = (*ins)->run(); !s) return s.error();
    }
    auto seen = q(db, "INSERT INTO sync_seen(client_id, seq, mutation_id, hash) VALUES(?1, ?2, ?3, ?4)");
    if (!seen) return seen.error();
    (*seen)->bind_all(req.client_id, m.seq, m.id, hash);
    if (auto s = (*seen)->run(); !s) return s.error();
    seq = m.seq;
  }
  auto up = q(db,
              "INSERT INTO sync_client(client_id, turf_id, last_seq, first_ms, last_ms, high_water) VALUES(?1, ?2, ?3, ?4, ?4, ?5) "
              "ON CONFLICT(client_id) DO UPDATE SET last_seq=excluded.last_seq, last_ms=excluded.last_ms,"
              " high_water=max(high_water, excluded.high_water)");
  if (!up) return up.error();
  (*up)->bind_all(req.client_id, ctx.turf_id, seq, ctx.server_now_ms, mark);
  if (auto s = (*up)->run(); !s) return s.error();
  if (auto s = unit.commit(); !s) return s.error();
  // Acknowledge only what this request carried: a server ahead of the client (whose storage was
  // rolled back) must not make it drop newer mutations it never sent.
  resp.acked_through = req.mutations.empty() ? seq : std::min(seq, req.mutations.back().seq);
  return resp;
}

bool all_out_of_scope(const PushRequest& req, const PushResponse& resp) {
  if (req.mutations.empty() || resp.rejected.size() != req.mutations.size()) return false;
  for (const auto& r : resp.rejected)
    if (r.code != Code::forbidden) return false;
  return true;
}

Result<PullResponse> pull_changes(store::Db& db, std::string_view turf_id, std::string_view cursor, int64_t limit,
                                  int version) {
  int64_t after = 0;
  if (!cursor.empty()) {
    if (cursor.size() > 18) return make_error(Code::invalid_argument, "bad cursor");
    for (char c : cursor) {
      if (c < '0' || c > '9') return make_error(Code::invalid_argument, "bad cursor");
      after = after * 10 + (c - '0');
    }
  }
  limit = std::max<int64_t>(1, std::min<int64_t>(limit, static_cast<int64_t>(Limits{}.max_changes)));
  auto s = turf_id.empty()
               ? q(db, "SELECT version, body FROM sync_change WHERE version > ?1 ORDER BY version LIMIT ?2")
               : q(db, "SELECT version, body FROM sync_change WHERE turf_id=?3 AND version > ?1 ORDER BY version LIMIT ?2");
  if (!s) return s.error();
  (*s)->bind(1, after).bind(2, limit + 1);
  if (!turf_id.empty()) (*s)->bind(3, turf_id);
  PullResponse out;
  out.v = version;
  int64_t last = after, scanned = 0;
  while (true) {
    auto r = (*s)->step();
    if (!r) return r.error();
    if (!*r) break;
    if (scanned++ == limit) {
      out.more = true;
      break;
    }
    last = (*s)->int64(0);
    auto body = json::parse((*s)->text_view(1));
    if (!body) return make_error(Code::corrupt, "sync_change " + std::to_string(last) + ": " + body.error().message);
    Change c;
    const json::Value& b = *body;
    c.entity = str_or(b, "entity");
    c.id = str_or(b, "id");
    c.hlc = str_or(b, "hlc");
    c.field = str_or(b, "field");
    if (const json::Value* v = b.find("value")) c.value = *v;
    if (const json::Value* rec = b.find("record")) c.record = *rec;
    if (!turf_id.empty() && !link_view(c)) continue;  // a link sees what its package shows, no more
    if (version < 3 && c.entity == "attempt" && !c.field.empty()) continue;  // v3: attempt edits
    out.changes.push_back(std::move(c));
  }
  (*s)->reset();
  out.cursor = std::to_string(last);
  return out;
}

Status write_field(store::Db& db, std::string_view turf_id, std::string_view entity, std::string_view id,
                   std::string_view field, const json::Value& value, std::string_view hlc) {
  if (!Hlc::parse(hlc)) return make_error(Code::invalid_argument, "bad hlc");
  if (entity.empty() || id.empty() || field.empty()) return make_error(Code::invalid_argument, "entity, id and field are required");
  Unit unit(db);
  TRY(unit.begin());
  TRY(merge_field(db, turf_id, entity, id, field, value, hlc));
  return unit.commit();
}

Result<std::vector<FieldState>> read_fields(store::Db& db) {
  auto s = db.prepare("SELECT entity, id, field, value, hlc FROM sync_field ORDER BY entity, id, field");
  if (!s) return s.error();
  std::vector<FieldState> out;
  while (true) {
    auto r = s->step();
    if (!r) return r.error();
    if (!*r) break;
    auto v = json::parse(s->text_view(3));
    if (!v) return make_error(Code::corrupt, "sync_field value: " + v.error().message);
    out.push_back(FieldState{s->text(0), s->text(1), s->text(2), std::move(*v), s->text(4)});
  }
  return out;
}

Result<std::vector<RecordRow>> read_records(store::Db& db) {
  auto s = db.prepare(
      "SELECT id, kind, turf_id, client_id, seq, at_ms, server_ms, hlc, payload, off_turf, rejected FROM sync_record "
      "ORDER BY id");
  if (!s) return s.error();
  std::vector<RecordRow> out;
  while (true) {
    auto r = s->step();
    if (!r) return r.error();
    if (!*r) break;
    RecordRow row;
    row.id = s->text(0);
    row.kind = s->text(1);
    row.turf = s->text(2);
    row.client_id = s->text(3);
    row.seq = s->int64(4);
    row.at_ms = s->int64(5);
    row.server_ms = s->int64(6);
    row.hlc = s->text(7);
    auto p = json::parse(s->text_view(8));
    if (!p) return make_error(Code::corrupt, "sync_record payload: " + p.error().message);
    row.payload = std::move(*p);
    row.off_turf = s->int64(9) != 0;
    row.reject_code = s->text(10);
    row.rejected = !row.reject_code.empty();
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace doorstep::sync
