// The canvasser's side of one link (see canvass_session.h).
#include "shared/canvass/canvass_session.h"

#include "shared/base/geo.h"
#include "shared/base/model.h"
#include "shared/sync/sync_schema.h"  // sync::migrate: the outbox tables live in the sync schema
#include "shared/route/walk_order.h"

#include <algorithm>
#include <cstdlib>
#include <set>

namespace doorstep::canvass {

namespace {

const std::vector<store::Migration>& client_migrations() {
  static const std::vector<store::Migration> m = {
      {1, R"sql(
        CREATE TABLE client_state(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        -- Every mutation recorded on this phone, acknowledged or not: the local history.
        CREATE TABLE client_mutation(
          client_id TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL UNIQUE,
          token TEXT NOT NULL, door_id TEXT, body TEXT NOT NULL, at_ms INTEGER NOT NULL,
          saved INTEGER NOT NULL DEFAULT 0, acked INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY(client_id, seq));
        -- Door statuses written by other canvassers of the turf (pulled), last writer wins.
        CREATE TABLE client_remote_status(door_id TEXT PRIMARY KEY, status TEXT NOT NULL, hlc TEXT NOT NULL);
      )sql"},
  };
  return m;
}

std::string str(const json::Value& o, std::string_view key) {
  const json::Value* v = o.find(key);
  return v && v->is_string() ? v->as_string() : std::string();
}

}  // namespace

uint8_t status_index(std::string_view name) {
  for (size_t i = 0; i < std::size(kStatusNames); ++i)
    if (kStatusNames[i] == name) return static_cast<uint8_t>(i);
  return 0;
}

Status migrate_client(store::Db& db) {
  if (auto st = sync::migrate(db); !st) return st;  // the outbox tables of sync::SqliteOutbox
  return store::migrate(db, "client", client_migrations());
}

store::OpenOptions turf_file_options() {
  store::OpenOptions o;
  o.sole_connection = true;
  o.migrate_core = false;
  return o;
}

Result<bool> migrate_client_step(store::Db& db) {
  auto sync_step = store::migrate_one(db, "sync", sync::sync_migrations());
  if (!sync_step || *sync_step) return sync_step;
  return store::migrate_one(db, "client", client_migrations());
}

Result<std::unique_ptr<Session>> Session::open(store::Db db, int64_t now_ms) {
  std::unique_ptr<Session> s(new Session());
  s->db_ = std::move(db);
  if (auto st = migrate_client(s->db_); !st) return st.error();
  if (auto st = s->load(); !st) return st.error();
  (void)now_ms;
  return s;
}

Status Session::open_sync() {
  if (device_.empty()) {
    device_ = new_token_hex().substr(0, 8);  // HLC node of this phone, stable per browser profile
    if (auto st = save_state("device", device_); !st) return st;
  }
  outbox_store_ = std::make_unique<sync::SqliteOutbox>(db_);
  auto c = sync::SyncClient::open(*outbox_store_, device_);
  if (!c) return c.error();
  sync_ = std::move(*c);
  return {};
}

const std::string& Session::client_id() const { return sync_->meta().client_id; }
const std::vector<sync::Mutation>& Session::outbox() const { return sync_->outbox(); }
size_t Session::pending() const { return sync_->pending(); }
int64_t Session::next_push_ms() const { return sync_->next_attempt_ms(); }
bool Session::wipe_requested() const { return sync_->should_wipe(); }
bool Session::link_ended() const { return sync_->meta().wipe_pending || sync_->meta().link_dead; }

Status Session::save_state(std::string_view key, std::string_view value) {
  auto st = db_.cached("INSERT INTO client_state(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value");
  if (!st) return st.error();
  return (*st)->bind_all(key, value).run();
}

Status Session::load() {
  auto q = db_.prepare("SELECT key, value FROM client_state");
  if (!q) return q.error();
  std::string package_text;
  int64_t package_floor = 0;  // this phone's records from this row on are not in the stored package
  skipped_.clear();
  while (true) {
    auto r = q->step();
    if (!r) return r.error();
    if (!*r) break;
    std::string k = q->text(0), val = q->text(1);
    if (k == "token") token_ = val;
    else if (k == "package") package_text = val;
    else if (k == "device") device_ = val;
    else if (k == "last_used") last_used_ms_ = std::atoll(val.c_str());
    else if (k == "package_floor") package_floor = std::atoll(val.c_str());
    else if (k == "skipped")
      if (auto ids = json::parse(val); ids && ids->is_array())
        for (const auto& v : ids->as_array())
          if (v.is_string()) skipped_.insert(v.as_string());
  }
  if (!sync_)
    if (auto st = open_sync(); !st) return st;
  // A record in the outbox but not in the history (a stop between the two writes) joins it.
  for (const auto& m : sync_->outbox())
    if (auto st = remember(m, true); !st) return st;

  pkg_ = Package{};
  has_package_ = false;
  door_index_.clear();
  attempts_.clear();
  remote_.clear();
  if (!package_text.empty()) {
    auto p = parse_package(package_text);
    if (!p) return p.error();
    pkg_ = std::move(*p);
    has_package_ = true;
  }
  attempts_.resize(pkg_.doors.size());
  remote_.resize(pkg_.doors.size());
  for (size_t i = 0; i < pkg_.doors.size(); ++i) door_index_[pkg_.doors[i].id] = static_cast<int>(i);
  order_.clear();
  for (size_t i = 0; i < pkg_.doors.size(); ++i) order_.push_back(static_cast<int>(i));
  if (auto oq = db_.prepare("SELECT value FROM client_state WHERE key='order'"); oq) {
    auto r = oq->step();
    if (r && *r) {
      // Kept as door ids, so a refreshed package with other doors still restores what it can.
      auto ids = json::parse(oq->text(0));
      if (ids && ids->is_array() && ids->size() == pkg_.doors.size()) {
        std::vector<int> o;
        for (auto& v : ids->as_array())
          if (auto it = door_index_.find(v.is_string() ? v.as_string() : ""); it != door_index_.end()) o.push_back(it->second);
        std::vector<int> sorted = o;
        std::sort(sorted.begin(), sorted.end());
        if (sorted == order_) order_ = std::move(o);
      }
    }
  }

  std::set<std::string> unacked;
  for (const auto& m : sync_->outbox()) unacked.insert(m.id);
  // Edits (attempt.void / attempt.amend) apply after every attempt is in, in the order recorded.
  std::vector<std::pair<int64_t, json::Value>> edits;
  // This phone's own safety marks (door.set) that the stored package cannot hold yet, in order.
  std::vector<std::tuple<int64_t, int, std::string>> marks;  // row, door, note
  auto m = db_.prepare("SELECT id, door_id, body, at_ms, saved, rowid FROM client_mutation ORDER BY at_ms, id");
  if (!m) return m.error();
  while (true) {
    auto r = m->step();
    if (!r) return r.error();
    if (!*r) break;
    auto it = door_index_.find(m->text(1));
    if (it == door_index_.end()) continue;
    auto body = json::parse(m->text(2));
    if (!body) continue;
    LocalAttempt a;
    a.id = m->text(0);
    a.at_ms = m->int64(3);
    a.saved = m->int64(4) != 0;
    a.acked = unacked.count(a.id) == 0;
    const json::Value* kind = body->find("kind");
    std::string kind_text = kind && kind->is_string() ? kind->as_string() : "";
    if (kind_text == sync::kind_name(sync::Kind::person_add)) {  // a resident added at the door
      if (const json::Value* payload = body->find("payload")) add_local_person(*payload);
      continue;
    }
    if (kind_text == sync::kind_name(sync::Kind::attempt_void) || kind_text == sync::kind_name(sync::Kind::attempt_amend)) {
      edits.emplace_back(m->int64(5), std::move(*body));
      continue;
    }
    if (kind_text == sync::kind_name(sync::Kind::door_set)) {
      const json::Value* payload = body->find("payload");
      const json::Value* set = payload ? payload->find("set") : nullptr;
      const json::Value* safety = set ? set->find("safety") : nullptr;
      if (safety && m->int64(5) >= package_floor)
        marks.emplace_back(m->int64(5), it->second, safety->is_string() ? safety->as_string() : std::string());
      continue;
    }
    if (!kind_text.empty() && kind_text != sync::kind_name(sync::Kind::attempt_add)) continue;  // sign-ups are not visits
    if (const json::Value* payload = body->find("payload")) {
      a.result = str(*payload, "result");
      a.person_id = str(*payload, "person");
      a.notes = str(*payload, "notes");
      if (const json::Value* ans = payload->find("answers"); ans && ans->is_object())
        for (const auto& [k, v] : ans->as_object()) a.answers[k] = v;
    }
    a.door = it->second;
    attempts_[it->second].push_back(std::move(a));
  }
  std::sort(marks.begin(), marks.end());
  for (const auto& [row, door, note] : marks) show_safety(door, note);
  std::sort(edits.begin(), edits.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  for (const auto& [row, body] : edits) {
    const json::Value* payload = body.find("payload");
    auto kind = sync::kind_from_name(str(body, "kind"));
    if (payload && kind) apply_edit(*kind, *payload);
  }
  auto rs = db_.prepare("SELECT door_id, status, hlc FROM client_remote_status");
  if (!rs) return rs.error();
  while (true) {
    auto r = rs->step();
    if (!r) return r.error();
    if (!*r) break;
    auto it = door_index_.find(rs->text(0));
    if (it != door_index_.end()) remote_[it->second] = {rs->text(1), rs->text(2)};
  }
  return {};
}

Status Session::remember(const sync::Mutation& m, bool saved) {
  auto ins = db_.cached(
      "INSERT OR IGNORE INTO client_mutation(client_id, seq, id, token, door_id, body, at_ms, saved) VALUES(?,?,?,?,?,?,?,?)");
  if (!ins) return ins.error();
  // An edit names no door: it is kept under its attempt's, so it loads with the doors it belongs to.
  std::string door = str(m.payload, "door");
  if (door.empty() && m.payload.find("attempt")) {
    auto d = db_.cached("SELECT door_id FROM client_mutation WHERE id=?");
    if (!d) return d.error();
    (*d)->bind(1, str(m.payload, "attempt"));
    auto r = (*d)->step();
    if (!r) return r.error();
    if (*r) door = (*d)->text(0);
    (*d)->reset();
  }
  return (*ins)->bind_all(client_id(), m.seq, m.id, token_, door, json::dump(m.to_json()), m.at_ms, saved ? 1 : 0).run();
}

Status Session::mark_used(int64_t now_ms) {
  if (auto st = save_state("last_used", std::to_string(now_ms)); !st) return st;
  last_used_ms_ = now_ms;
  return {};
}

Status Session::set_token(const std::string& token, int64_t now_ms) {
  (void)now_ms;
  if (token == token_) return {};
  if (!token_.empty() && pending() > 0) return save_state("next_token", token);  // switch after flush
  // A new link: a fresh client id (the server numbers mutations per client and link).
  store::Transaction tx(db_);
  if (!tx.status()) return tx.status();
  if (auto st = save_state("token", token); !st) return st;
  for (const char* sql : {"DELETE FROM client_state WHERE key IN ('package','package_floor','next_token','order','skipped')", "DELETE FROM client_remote_status"})
    if (auto st = db_.exec(sql); !st) return st;
  if (auto st = tx.commit(); !st) return st;
  if (auto st = outbox_store_->wipe(); !st) return st;
  sync_.reset();
  token_ = token;
  return load();
}

Status Session::set_package(std::string_view text) {
  auto p = parse_package(text);
  if (!p) return p.error();
  // The server built this package with every record acknowledged so far and none after: this
  // phone's safety marks from the oldest unacknowledged record on are shown over it at load.
  int64_t floor = 0;
  if (auto q = db_.prepare("SELECT COALESCE(MAX(rowid), 0) + 1 FROM client_mutation"); q)
    if (auto r = q->step(); r && *r) floor = q->int64(0);
  if (sync_) {
    std::set<std::string> unacked;
    for (const auto& m : sync_->outbox()) unacked.insert(m.id);
    if (!unacked.empty())
      if (auto q = db_.prepare("SELECT id, rowid FROM client_mutation ORDER BY rowid"); q)
        while (true) {
          auto r = q->step();
          if (!r || !*r) break;
          if (unacked.count(q->text(0))) {
            floor = q->int64(1);
            break;
          }
        }
  }
  store::Transaction tx(db_);
  if (!tx.status()) return tx.status();
  if (auto st = save_state("package", text); !st) return st;
  if (auto st = save_state("package_floor", std::to_string(floor)); !st) return st;
  if (auto st = tx.commit(); !st) return st;
  package_outdated_ = false;
  return load();
}

uint8_t Session::door_status(int door) const {
  if (door < 0 || static_cast<size_t>(door) >= pkg_.doors.size()) return 0;
  // The newest of: this phone's latest attempt, another canvasser's pulled status, the package's.
  // Voided attempts count for nothing; an amended one counts with its corrected result.
  const auto& mine = attempts_[door];
  const auto& remote = remote_[door];
  auto last = std::find_if(mine.rbegin(), mine.rend(), [](const LocalAttempt& a) { return !a.voided; });
  if (last != mine.rend()) {
    auto rh = Hlc::parse(remote.second);
    if (!rh || rh->wall_ms <= last->at_ms) return status_index(last->result);
  }
  if (!remote.first.empty()) return status_index(remote.first);
  return status_index(pkg_.doors[door].package_status);
}

std::vector<const LocalAttempt*> Session::attempts_at(int door) const {
  std::vector<const LocalAttempt*> out;
  if (door >= 0 && static_cast<size_t>(door) < attempts_.size())
    for (auto& a : attempts_[door])
      if (!a.voided) out.push_back(&a);
  return out;
}

std::vector<const LocalAttempt*> Session::my_attempts() const {
  std::vector<const LocalAttempt*> out;
  for (const auto& door : attempts_)
    for (const auto& a : door) out.push_back(&a);
  std::sort(out.begin(), out.end(), [](const LocalAttempt* x, const LocalAttempt* y) {
    return x->at_ms != y->at_ms ? x->at_ms > y->at_ms : x->id > y->id;
  });
  return out;
}

LocalAttempt* Session::find_mine(const std::string& attempt_id) {
  for (auto& door : attempts_)
    for (auto& a : door)
      if (a.id == attempt_id) return &a;
  return nullptr;
}

void Session::apply_edit(sync::Kind kind, const json::Value& p) {
  LocalAttempt* a = find_mine(str(p, "attempt"));
  if (!a) return;
  if (kind == sync::Kind::attempt_void) {
    a->voided = true;
    return;
  }
  if (kind != sync::Kind::attempt_amend) return;
  a->amended = true;
  if (const json::Value* r = p.find("result"); r && r->is_string()) a->result = r->as_string();
  if (const json::Value* n = p.find("notes"); n && n->is_string()) a->notes = n->as_string();
  if (const json::Value* ans = p.find("answers"); ans && ans->is_object()) {
    a->answers.clear();
    for (const auto& [k, v] : ans->as_object()) a->answers[k] = v;
  }
}

void Session::after_edit(int door, bool was_come_back) {
  bool is_come_back = door_status(door) == status_index("come_back");
  if (is_come_back && !was_come_back) {
    come_back_later(door);
  } else if (was_come_back && !is_come_back) {
    // The door goes back to its place in the package's walk order (indices are that order).
    auto it = std::find(order_.begin(), order_.end(), door);
    if (it == order_.end()) return;
    order_.erase(it);
    order_.insert(std::find_if(order_.begin(), order_.end(), [door](int d) { return d > door; }), door);
    json::Value ids = json::Value::array();
    for (int i : order_) ids.push(pkg_.doors[i].id);
    (void)save_state("order", json::dump(ids));
  }
}

Result<sync::Mutation> Session::void_attempt(const std::string& attempt_id, int64_t now_ms) {
  LocalAttempt* a = find_mine(attempt_id);
  if (!a) return make_error(Code::not_found, "not a record of this phone");
  if (a->voided) return make_error(Code::conflict, "this record is already undone");
  int door = a->door;
  bool was_come_back = door_status(door) == status_index("come_back");
  json::Value p = json::Value::object();
  p.set("attempt", attempt_id);
  auto m = sync_->record(sync::Kind::attempt_void, std::move(p), now_ms);
  if (!m) return m.error();
  if (auto st = remember(*m, false); !st) return st.error();
  apply_edit(m->kind, m->payload);
  after_edit(door, was_come_back);
  return m;
}

Result<sync::Mutation> Session::amend_attempt(const AmendInput& in, int64_t now_ms) {
  LocalAttempt* a = find_mine(in.attempt_id);
  if (!a) return make_error(Code::not_found, "not a record of this phone");
  if (a->voided) return make_error(Code::conflict, "this record was undone; record the door again instead");
  if (!in.result && !in.answers && !in.notes) return make_error(Code::invalid_argument, "a correction needs a result, answers or notes");
  if (in.result && !attempt_result_from_name(*in.result)) return make_error(Code::invalid_argument, "unknown attempt result");
  int door = a->door;
  bool was_come_back = door_status(door) == status_index("come_back");
  json::Value p = json::Value::object();
  p.set("attempt", in.attempt_id);
  if (in.result) p.set("result", *in.result);
  if (in.answers) {
    json::Value ans = json::Value::object();
    for (const auto& [k, v] : *in.answers) ans.set(k, v);
    p.set("answers", std::move(ans));
  }
  if (in.notes) p.set("notes", *in.notes);
  auto m = sync_->record(sync::Kind::attempt_amend, std::move(p), now_ms);  // validates the bounds
  if (!m) return m.error();
  if (auto st = remember(*m, false); !st) return st.error();
  apply_edit(m->kind, m->payload);
  after_edit(door, was_come_back);
  return m;
}

int Session::doors_done() const {
  int n = 0;
  for (size_t i = 0; i < pkg_.doors.size(); ++i) n += door_status(static_cast<int>(i)) != 0;
  return n;
}

Result<sync::Mutation> Session::record(const AttemptInput& in, int64_t now_ms) {
  if (!has_package_) return make_error(Code::invalid_argument, "no turf loaded");
  if (in.door < 0 || static_cast<size_t>(in.door) >= pkg_.doors.size())
    return make_error(Code::invalid_argument, "no such door");
  json::Value p = json::Value::object();
  p.set("door", pkg_.doors[in.door].id);
  if (!in.person_id.empty()) p.set("person", in.person_id);
  p.set("result", in.result);
  if (!in.answers.empty()) {
    json::Value a = json::Value::object();
    for (auto& [k, v] : in.answers) a.set(k, v);
    p.set("answers", a);
  }
  if (!in.notes.empty()) p.set("notes", in.notes);
  if (!in.canvasser.empty()) p.set("canvasser", in.canvasser);
  // The survey the answers were given under (0 before the organizer's first save), so the export
  // can tell answers of an older version from a newer one's.
  p.set("survey_version", pkg_.survey_version);
  if (in.lat && in.lon) {
    p.set("lat", *in.lat);
    p.set("lon", *in.lon);
    if (in.accuracy_m) p.set("accuracy_m", *in.accuracy_m);
  }
  auto m = sync_->record(sync::Kind::attempt_add, std::move(p), now_ms);
  if (!m) return m.error();
  if (auto st = remember(*m, false); !st) return st.error();
  LocalAttempt a;
  a.id = m->id;
  a.person_id = in.person_id;
  a.result = in.result;
  a.notes = in.notes;
  a.at_ms = now_ms;
  a.door = in.door;
  a.answers = in.answers;
  attempts_[in.door].push_back(std::move(a));
  if (in.result == "come_back") come_back_later(in.door);
  if (skipped_.erase(pkg_.doors[in.door].id))
    if (auto st = save_skipped(); !st) return st.error();
  return m;
}

Result<sync::Mutation> Session::add_person(int door, const std::string& first, const std::string& last,
                                           const std::string& language, int64_t now_ms) {
  if (!has_package_) return make_error(Code::invalid_argument, "no turf loaded");
  if (door < 0 || static_cast<size_t>(door) >= pkg_.doors.size()) return make_error(Code::invalid_argument, "no such door");
  if (first.empty() && last.empty()) return make_error(Code::invalid_argument, "a new resident needs a name");
  json::Value set = json::Value::object();
  if (!first.empty()) set.set("first_name", first);
  if (!last.empty()) set.set("last_name", last);
  if (!language.empty()) set.set("language", language);
  json::Value p = json::Value::object();
  p.set("person", new_uuid_v7(now_ms));
  p.set("door", pkg_.doors[door].id);
  p.set("set", set);
  auto m = sync_->record(sync::Kind::person_add, std::move(p), now_ms);
  if (!m) return m.error();
  if (auto st = remember(*m, false); !st) return st.error();
  add_local_person(m->payload);
  return m;
}

void Session::add_local_person(const json::Value& payload) {
  auto it = door_index_.find(str(payload, "door"));
  if (it == door_index_.end()) return;
  PackagePerson per;
  per.id = str(payload, "person");
  per.door_id = it->first;
  if (const json::Value* set = payload.find("set")) {
    per.first_name = str(*set, "first_name");
    per.last_name = str(*set, "last_name");
    per.language = str(*set, "language");
  }
  pkg_.doors[it->second].people.push_back(static_cast<int>(pkg_.people.size()));
  pkg_.people.push_back(std::move(per));
}

Result<sync::Mutation> Session::record_signup(const SignupInput& in, int64_t now_ms) {
  if (!has_package_) return make_error(Code::invalid_argument, "no turf loaded");
  if (in.door < 0 || static_cast<size_t>(in.door) >= pkg_.doors.size())
    return make_error(Code::invalid_argument, "no such door");
  if (in.empty()) return make_error(Code::invalid_argument, "an empty sign-up");
  json::Value p = json::Value::object();
  p.set("door", pkg_.doors[in.door].id);
  if (!in.person_id.empty()) p.set("person", in.person_id);
  if (!in.name.empty()) p.set("name", in.name);
  if (!in.phone.empty()) p.set("phone", in.phone);
  if (!in.email.empty()) p.set("email", in.email);
  if (!in.notes.empty()) p.set("notes", in.notes);
  json::Value c = json::Value::object();
  c.set("call_me", in.call);  // purposes by their model names (shared/model.h ConsentPurpose)
  c.set("email_me", in.email_me);
  c.set("volunteer", in.volunteer);
  c.set("join", in.join);
  c.set("text_me", in.text_me);
  p.set("consents", c);
  auto m = sync_->record(sync::Kind::signup_add, std::move(p), now_ms);
  if (!m) return m.error();
  if (auto st = remember(*m, false); !st) return st.error();
  return m;
}

Result<sync::Mutation> Session::mark_unsafe(int door, const std::string& note, int64_t now_ms) {
  if (note.empty()) return make_error(Code::invalid_argument, "a safety note of 1 to 500 bytes");
  return set_safety(door, note, now_ms);
}

Result<sync::Mutation> Session::unmark_unsafe(int door, const std::string& previous, int64_t now_ms) {
  return set_safety(door, previous, now_ms);
}

Result<sync::Mutation> Session::set_safety(int door, const std::string& note, int64_t now_ms) {
  if (!has_package_) return make_error(Code::invalid_argument, "no turf loaded");
  if (door < 0 || static_cast<size_t>(door) >= pkg_.doors.size()) return make_error(Code::invalid_argument, "no such door");
  if (note.size() > 500) return make_error(Code::invalid_argument, "a safety note of 1 to 500 bytes");
  json::Value set = json::Value::object();
  set.set("safety", note.empty() ? json::Value() : json::Value(note));  // null clears the note
  json::Value p = json::Value::object();
  p.set("door", pkg_.doors[door].id);
  p.set("set", set);
  auto m = sync_->record(sync::Kind::door_set, std::move(p), now_ms);
  if (!m) return m.error();
  if (auto st = remember(*m, false); !st) return st.error();
  show_safety(door, note);
  return m;
}

void Session::show_safety(int door, const std::string& note) {
  auto& d = pkg_.doors[door];
  d.safety = note;
  auto flag = std::find(d.flags.begin(), d.flags.end(), "safety");
  if (note.empty() && flag != d.flags.end()) d.flags.erase(flag);
  else if (!note.empty() && flag == d.flags.end()) d.flags.push_back("safety");
}

bool Session::skipped(int door) const {
  return door >= 0 && static_cast<size_t>(door) < pkg_.doors.size() && skipped_.count(pkg_.doors[door].id) > 0;
}

Status Session::set_skipped(int door, bool on) {
  if (door < 0 || static_cast<size_t>(door) >= pkg_.doors.size()) return make_error(Code::invalid_argument, "no such door");
  const std::string& id = pkg_.doors[door].id;
  if (on == (skipped_.count(id) > 0)) return {};
  if (on) skipped_.insert(id);
  else skipped_.erase(id);
  return save_skipped();
}

Status Session::save_skipped() {
  json::Value ids = json::Value::array();
  for (const auto& id : skipped_) ids.push(id);
  return save_state("skipped", json::dump(ids));
}

void Session::come_back_later(int door) {
  std::vector<walk::Door> wd;
  for (const auto& d : pkg_.doors)
    wd.push_back(walk::door_from_address(geo::fix_of(d.lat, d.lon), d.building_id, d.address, d.unit));
  size_t current = 0;
  for (size_t i = 0; i < order_.size(); ++i)
    if (order_[i] == door) current = i;
  order_ = walk::come_back_later(wd, order_, current, door);
  json::Value ids = json::Value::array();
  for (int i : order_) ids.push(pkg_.doors[i].id);
  (void)save_state("order", json::dump(ids));
}

int Session::next_door(int door) const {
  size_t n = order_.size(), pos = n;
  for (size_t i = 0; i < n; ++i)
    if (order_[i] == door) pos = i;
  uint8_t come_back = status_index("come_back");
  for (size_t k = pos == n ? 0 : pos + 1; k < n; ++k) {
    uint8_t st = door_status(order_[k]);
    if (st == 0 || (st == come_back && order_[k] != door)) return order_[k];
  }
  return -1;
}

void Session::mark_saved(const std::string& id, bool ok) {
  if (!ok) return;  // stays unsaved: the caller retries the second copy
  for (auto& door : attempts_)
    for (auto& a : door)
      if (a.id == id) a.saved = true;
  if (auto st = db_.cached("UPDATE client_mutation SET saved=1 WHERE id=?"); st) (void)(*st)->bind_all(id).run();
}

Result<int> Session::replay_outbox(std::string_view json_array, int64_t now_ms) {
  if (json_array.empty()) return 0;
  json::ParseLimits lim;
  lim.max_bytes = 256u << 20;
  auto doc = json::parse(json_array, lim);
  if (!doc) return doc.error();
  if (!doc->is_array()) return make_error(Code::invalid_argument, "outbox is not an array");
  int restored = 0;
  for (auto& e : doc->as_array()) {
    // Entries are {"client_id", "token", "mutation"} (wasm/app.cpp).
    const json::Value* mv = e.find("mutation");
    if (!mv) continue;
    json::Value wrapper = json::Value::object();
    wrapper.set("v", sync::kProtocolVersion);  // the outbox may hold kinds of every version
    wrapper.set("client_id", str(e, "client_id"));
    wrapper.set("mutations", json::Array{*mv});
    auto req = sync::decode_push_request(wrapper);
    if (!req || req->mutations.empty()) continue;
    const sync::Mutation& m = req->mutations[0];
    auto known = db_.cached("SELECT 1 FROM client_mutation WHERE id=?");
    if (!known) return known.error();
    (*known)->bind(1, m.id);
    auto k = (*known)->step();
    bool have = k && *k;
    (*known)->reset();
    if (have) continue;
    auto again = sync_->record(m.kind, m.payload, m.at_ms, m.id);  // same id: applied once
    if (!again) return again.error();
    if (auto st = remember(*again, true); !st) return st.error();
    ++restored;
  }
  (void)now_ms;
  if (restored > 0)
    if (auto st = load(); !st) return st.error();
  return restored;
}

int64_t Session::unsaved() const {
  auto q = const_cast<store::Db&>(db_).cached("SELECT count(*) FROM client_mutation WHERE saved=0");
  if (!q) return 0;
  auto r = (*q)->step();
  int64_t n = r && *r ? (*q)->int64(0) : 0;
  (*q)->reset();
  return n;
}

std::string Session::push_body(int64_t now_ms) {
  if (token_.empty()) return {};
  auto req = sync_->next_push(now_ms);
  return req ? json::dump(sync::encode(*req)) : std::string();
}

void Session::mark_acked() {
  std::set<std::string> unacked;
  for (const auto& m : sync_->outbox()) unacked.insert(m.id);
  for (auto& door : attempts_)
    for (auto& a : door) a.acked = unacked.count(a.id) == 0;
}

PushOutcome Session::on_push_reply(int status, std::string_view body, int64_t now_ms) {
  PushOutcome out;
  std::string before = client_id();
  size_t pending_before = pending();
  auto doc = json::parse(body);
  if (status == 0 || status >= 500 || !doc) {
    sync_->on_push_failed(now_ms);
    out.message = status == 0 ? "offline" : "server unavailable";
    return out;
  }
  if (status == 200) {
    auto r = sync::decode_push_response(*doc);
    Status st = r ? sync_->on_push_response(*r, now_ms) : Status(r.error());
    if (!st) {
      sync_->on_push_failed(now_ms);
      out.message = st.error().message;
      return out;
    }
  } else {
    const json::Value* code = doc->find("code");
    const json::Value* msg = doc->find("message");
    Error e{code && code->is_string() ? code_from_name(code->as_string()).value_or(Code::invalid_argument) : Code::invalid_argument,
            msg && msg->is_string() ? msg->as_string() : "push refused"};
    (void)sync_->on_push_error(e, now_ms);
    out.message = e.message;
  }
  out.acked = pending() < pending_before;
  out.renumbered = client_id() != before;
  mark_acked();
  if (pending() == 0) {
    // A new link seen while records were waiting takes over now.
    auto q = db_.prepare("SELECT value FROM client_state WHERE key='next_token'");
    if (q) {
      auto r = q->step();
      if (r && *r) {
        std::string next = q->text(0);
        q = Error{};
        (void)set_token(next, now_ms);
      }
    }
  }
  out.wipe = sync_->should_wipe() && pending() == 0;
  return out;
}

std::string Session::pull_body() {
  last_pull_ = sync_->next_pull();
  if (last_pull_.cursor.empty()) last_pull_.cursor = pkg_.cursor;  // the package's snapshot
  return json::dump(sync::encode(last_pull_));
}

void Session::apply_remote_status(const std::string& door_id, const std::string& status, const std::string& hlc) {
  auto it = door_index_.find(door_id);
  if (it == door_index_.end()) return;
  auto& cur = remote_[it->second];
  auto a = Hlc::parse(cur.second), b = Hlc::parse(hlc);
  if (a && b && !(*a < *b)) return;
  cur = {status, hlc};
  if (auto st = db_.cached("INSERT INTO client_remote_status(door_id, status, hlc) VALUES(?,?,?) "
                           "ON CONFLICT(door_id) DO UPDATE SET status=excluded.status, hlc=excluded.hlc");
      st)
    (void)(*st)->bind_all(door_id, status, hlc).run();
}

void Session::apply_remote_edit(const std::string& attempt_id, const std::string& field, const json::Value& value) {
  if (find_mine(attempt_id)) return;  // ours: the local history has it already
  for (auto& d : pkg_.doors)
    for (auto it = d.history.begin(); it != d.history.end(); ++it) {
      if (it->id != attempt_id) continue;
      if (field == "voided" && value.is_bool() && value.as_bool()) d.history.erase(it);
      else if (field == "result" && value.is_string()) it->result = value.as_string();
      return;
    }
}

Status Session::on_link_reply(int status, std::string_view body) {
  if (status != 401) return {};
  auto doc = json::parse(body);
  if (!doc) return {};
  auto code = code_from_name(str(*doc, "code"));
  if (!code || (*code != Code::revoked && *code != Code::expired)) return {};
  // The link ended: the turf goes once nothing is waiting to be sent (wipe_requested()).
  return sync_->on_pull_error(Error{*code, str(*doc, "message")});
}

Result<bool> Session::on_pull_reply(int status, std::string_view body, int64_t now_ms) {
  if (status != 200) {
    if (auto st = on_link_reply(status, body); !st) return st.error();
    return make_error(status == 0 ? Code::io : Code::invalid_argument, "pull failed");
  }
  auto doc = json::parse(body);
  if (!doc) return doc.error();
  auto r = sync::decode_pull_response(*doc);
  if (!r) return r.error();
  // v4: the organizer changed what the package holds (survey, turf doors, Help); older servers
  // name none.
  if (!r->package_version.empty() && r->package_version != pkg_.package_version) package_outdated_ = true;
  for (auto& c : r->changes) {
    if (c.entity == "door" && c.field == "status" && c.value.is_string()) {
      apply_remote_status(c.id, c.value.as_string(), c.hlc);
    } else if (c.entity == "attempt" && !c.field.empty()) {
      // An undo or correction (version 3); the door's status comes as a change of its own.
      apply_remote_edit(c.id, c.field, c.value);
    } else if (c.entity == "attempt" && c.record.is_object()) {
      // Another canvasser's attempt; ours come back too and are already in the history.
      auto known = db_.cached("SELECT 1 FROM client_mutation WHERE id=?");
      bool mine = false;
      if (known) {
        (*known)->bind(1, c.id);
        auto s = (*known)->step();
        mine = s && *s;
        (*known)->reset();
      }
      if (!mine) {
        std::string door = str(c.record, "door");
        if (door.empty()) door = str(c.record, "door_id");
        apply_remote_status(door, str(c.record, "result"), c.hlc);
        // The door's earlier attempts (the door screen lists them beside the package's history).
        if (auto it = door_index_.find(door); it != door_index_.end()) {
          const json::Value* at = c.record.find("at");
          PackageAttempt h{str(c.record, "result"), first_name_of(str(c.record, "canvasser")),
                           at && at->is_number() ? at->as_int() : 0, c.id};
          auto& hist = pkg_.doors[it->second].history;
          auto same = [&h](const PackageAttempt& x) {
            return x.id.empty() ? x.result == h.result && x.canvasser == h.canvasser && x.at == h.at : x.id == h.id;
          };
          if (std::find_if(hist.begin(), hist.end(), same) == hist.end()) hist.push_back(std::move(h));
        }
      }
    }
  }
  if (auto st = sync_->on_pull_response(last_pull_, *r, now_ms); !st) return st.error();
  return r->more;
}

Status Session::forget_package() {
  store::Transaction tx(db_);
  if (!tx.status()) return tx.status();
  for (const char* sql : {"DELETE FROM client_state WHERE key IN ('package','order','skipped')", "DELETE FROM client_remote_status"})
    if (auto st = db_.exec(sql); !st) return st;
  // The history of what was sent already goes; what still waits stays beside the outbox.
  std::set<std::string> unsent;
  for (const auto& m : sync_->outbox()) unsent.insert(m.id);
  std::vector<std::string> sent;
  {
    auto q = db_.prepare("SELECT id FROM client_mutation");
    if (!q) return q.error();
    while (true) {
      auto r = q->step();
      if (!r) return r.error();
      if (!*r) break;
      if (!unsent.count(q->text(0))) sent.push_back(q->text(0));
    }
  }
  auto del = db_.prepare("DELETE FROM client_mutation WHERE id=?1");
  if (!del) return del.error();
  for (const auto& id : sent) {
    del->reset();
    del->bind(1, id);
    if (auto st = del->run(); !st) return st;
  }
  if (auto st = tx.commit(); !st) return st;
  // The turf is gone for good: once the outbox is empty, wipe_requested() says so.
  if (auto st = sync_->on_pull_error(Error{Code::expired, "the link has ended"}); !st) return st;
  return load();
}

Status Session::wipe() {
  if (pending() > 0) return make_error(Code::conflict, "records are still waiting to be sent");
  store::Transaction tx(db_);
  if (!tx.status()) return tx.status();
  for (const char* sql : {"DELETE FROM client_state WHERE key IN ('package','token','next_token','order','skipped')",
                          "DELETE FROM client_mutation", "DELETE FROM client_remote_status"})
    if (auto st = db_.exec(sql); !st) return st;
  if (auto st = tx.commit(); !st) return st;
  if (auto st = outbox_store_->wipe(); !st) return st;
  sync_.reset();
  token_.clear();
  return load();
}

}  // namespace doorstep::canvass
