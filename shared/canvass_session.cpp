// The canvasser's side of one link (see canvass_session.h).
#include "shared/canvass_session.h"

#include <algorithm>

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

std::map<std::string, std::string> labels(const json::Value* v) {
  std::map<std::string, std::string> out;
  if (v && v->is_object())
    for (auto& [k, s] : v->as_object())
      if (s.is_string()) out[k] = s.as_string();
  return out;
}

std::vector<std::string> strings(const json::Value* v) {
  std::vector<std::string> out;
  if (v && v->is_array())
    for (auto& s : v->as_array())
      if (s.is_string()) out.push_back(s.as_string());
  return out;
}

Error missing(std::string_view what) {
  return make_error(Code::invalid_argument, "turf package: missing or invalid " + std::string(what));
}

}  // namespace

uint8_t status_index(std::string_view name) {
  for (size_t i = 0; i < std::size(kStatusNames); ++i)
    if (kStatusNames[i] == name) return static_cast<uint8_t>(i);
  return 0;
}

Result<Package> parse_package(std::string_view text) {
  json::ParseLimits lim;
  lim.max_bytes = 64u << 20;  // a big turf with its script is still far below this
  auto doc = json::parse(text, lim);
  if (!doc) return doc.error();
  const json::Value& v = *doc;
  Package p;
  const json::Value* c = v.find("campaign");
  const json::Value* t = v.find("turf");
  const json::Value* doors = v.find("doors");
  if (!c || !c->is_object()) return missing("campaign");
  if (!t || !t->is_object()) return missing("turf");
  if (!doors || !doors->is_array()) return missing("doors");
  p.campaign_id = str(*c, "id");
  p.campaign_name = str(*c, "name");
  p.time_zone = str(*c, "time_zone");
  p.languages = strings(c->find("languages"));
  if (p.languages.empty()) p.languages = {"en"};
  p.turf_id = str(*t, "id");
  p.turf_name = str(*t, "name");
  if (auto* poly = t->find("polygon"); poly && poly->is_object()) p.turf_polygon = json::dump(*poly);
  if (auto* l = v.find("link"); l && l->is_object()) {
    p.link_id = str(*l, "id");
    if (auto* e = l->find("expires_at"); e && e->is_number()) p.expires_at = e->as_int();
  }
  if (auto* cur = v.find("cursor")) p.cursor = cur->is_string() ? cur->as_string() : json::dump(*cur);
  for (auto& d : doors->as_array()) {
    Door door;
    door.id = str(d, "id");
    auto* lat = d.find("lat");
    auto* lon = d.find("lon");
    if (door.id.empty() || !lat || !lon || !lat->is_number() || !lon->is_number()) return missing("door id/lat/lon");
    door.lat = lat->as_double();
    door.lon = lon->as_double();
    door.address = str(d, "address");
    door.unit = str(d, "unit");
    door.building_id = str(d, "building_id");
    door.package_status = str(d, "status");
    door.flags = strings(d.find("flags"));
    if (auto* o = d.find("order"); o && o->is_number()) door.order = static_cast<int>(o->as_int());
    p.doors.push_back(std::move(door));
  }
  std::stable_sort(p.doors.begin(), p.doors.end(), [](const Door& a, const Door& b) { return a.order < b.order; });
  std::map<std::string, int> index;
  for (size_t i = 0; i < p.doors.size(); ++i) index[p.doors[i].id] = static_cast<int>(i);
  if (auto* people = v.find("people"); people && people->is_array()) {
    for (auto& o : people->as_array()) {
      Person per;
      per.id = str(o, "id");
      per.door_id = str(o, "door_id");
      per.first_name = str(o, "first_name");
      per.last_name = str(o, "last_name");
      per.language = str(o, "language");
      per.party = str(o, "party");
      per.flags = strings(o.find("flags"));
      if (auto* a = o.find("age"); a && a->is_number()) per.age = static_cast<int>(a->as_int());
      auto it = index.find(per.door_id);
      if (per.id.empty() || it == index.end()) continue;  // a person must live at a door of this turf
      p.doors[it->second].people.push_back(static_cast<int>(p.people.size()));
      p.people.push_back(std::move(per));
    }
  }
  if (auto* s = v.find("script"); s && s->is_object()) {
    for (auto& [lang, secs] : s->as_object()) {
      if (!secs.is_array()) continue;
      auto& out = p.script[lang];
      for (auto& sec : secs.as_array()) {
        Section x{str(sec, "id"), str(sec, "title"), str(sec, "text"), "", ""};
        if (auto* b = sec.find("branch"); b && b->is_object()) {
          x.branch_question = str(*b, "question");
          x.branch_answer = str(*b, "answer");
        }
        out.push_back(std::move(x));
      }
    }
  }
  if (auto* s = v.find("survey"); s && s->is_array()) {
    for (auto& q : s->as_array()) {
      Question qq{str(q, "id"), str(q, "kind"), labels(q.find("labels")), {}};
      if (auto* ch = q.find("choices"); ch && ch->is_array())
        for (auto& c2 : ch->as_array()) qq.choices.push_back({str(c2, "id"), labels(c2.find("labels"))});
      if (!qq.id.empty()) p.survey.push_back(std::move(qq));
    }
  }
  return p;
}

Status migrate_client(store::Db& db) { return store::migrate(db, "client", client_migrations()); }

Result<Session> Session::open(store::Db db, int64_t now_ms) {
  Session s;
  s.db_ = std::move(db);
  if (auto st = migrate_client(s.db_); !st) return st.error();
  if (auto st = s.load(); !st) return st.error();
  if (s.client_id_.empty()) {
    auto id = new_token_hex();
    s.client_id_ = id;
    if (auto st = s.save_state("client_id", id); !st) return st.error();
  }
  s.clock_ = HlcClock(s.client_id_.substr(0, 8));
  if (auto h = s.db_.prepare("SELECT value FROM client_state WHERE key='hlc'"); h) {
    if (auto r = h->step(); r && *r)
      if (auto parsed = Hlc::parse(h->text(0))) s.clock_.restore(*parsed);
  }
  (void)now_ms;
  return s;
}

Status Session::save_state(std::string_view key, std::string_view value) {
  auto st = db_.cached("INSERT INTO client_state(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value");
  if (!st) return st.error();
  return (*st)->bind_all(key, value).run();
}

Status Session::load() {
  auto q = db_.prepare("SELECT key, value FROM client_state");
  if (!q) return q.error();
  std::string package_text;
  while (true) {
    auto r = q->step();
    if (!r) return r.error();
    if (!*r) break;
    std::string k = q->text(0), val = q->text(1);
    if (k == "client_id") client_id_ = val;
    else if (k == "token") token_ = val;
    else if (k == "package") package_text = val;
    else if (k == "wipe") wipe_ = val == "1";
  }
  pkg_ = Package{};
  has_package_ = false;
  door_index_.clear();
  attempts_.clear();
  remote_.clear();
  by_seq_.clear();
  if (!package_text.empty()) {
    auto p = parse_package(package_text);
    if (!p) return p.error();
    pkg_ = std::move(*p);
    has_package_ = true;
  }
  attempts_.resize(pkg_.doors.size());
  remote_.resize(pkg_.doors.size());
  for (size_t i = 0; i < pkg_.doors.size(); ++i) door_index_[pkg_.doors[i].id] = static_cast<int>(i);

  auto m = db_.prepare("SELECT seq, id, door_id, body, at_ms, saved, acked FROM client_mutation WHERE client_id=? ORDER BY seq");
  if (!m) return m.error();
  m->bind(1, client_id_);
  next_seq_ = 1;
  acked_ = 0;
  while (true) {
    auto r = m->step();
    if (!r) return r.error();
    if (!*r) break;
    int64_t seq = m->int64(0);
    next_seq_ = std::max(next_seq_, seq + 1);
    if (m->int64(6)) acked_ = std::max(acked_, seq);
    auto it = door_index_.find(m->text(2));
    if (it == door_index_.end()) continue;
    auto body = json::parse(m->text(3));
    if (!body) continue;
    const json::Value* payload = body->find("payload");
    LocalAttempt a;
    a.id = m->text(1);
    a.seq = seq;
    a.at_ms = m->int64(4);
    a.saved = m->int64(5) != 0;
    a.acked = m->int64(6) != 0;
    if (payload) {
      a.result = str(*payload, "result");
      a.person_id = str(*payload, "person");
      a.notes = str(*payload, "notes");
    }
    by_seq_[seq] = {it->second, attempts_[it->second].size()};
    attempts_[it->second].push_back(std::move(a));
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

Status Session::set_token(const std::string& token, int64_t now_ms) {
  (void)now_ms;
  if (token == token_) return {};
  if (!token_.empty() && pending() > 0) return save_state("next_token", token);  // switch after flush
  // A new link: a fresh client id, since the server numbers mutations per (client, link).
  client_id_ = new_token_hex();
  token_ = token;
  store::Transaction tx(db_);
  if (!tx.status()) return tx.status();
  for (auto& [k, v] : std::vector<std::pair<std::string, std::string>>{{"client_id", client_id_}, {"token", token_}})
    if (auto st = save_state(k, v); !st) return st;
  for (const char* sql : {"DELETE FROM client_state WHERE key IN ('package','wipe','next_token')",
                          "DELETE FROM client_remote_status"})
    if (auto st = db_.exec(sql); !st) return st;
  if (auto st = tx.commit(); !st) return st;
  clock_ = HlcClock(client_id_.substr(0, 8));
  return load();
}

Status Session::set_package(std::string_view text) {
  auto p = parse_package(text);
  if (!p) return p.error();
  if (auto st = save_state("package", text); !st) return st;
  return load();
}

uint8_t Session::door_status(int door) const {
  if (door < 0 || static_cast<size_t>(door) >= pkg_.doors.size()) return 0;
  // The newest of: this phone's latest attempt, another canvasser's pulled status, the package's.
  const auto& mine = attempts_[door];
  const auto& remote = remote_[door];
  if (!mine.empty()) {
    const LocalAttempt& last = mine.back();
    auto rh = Hlc::parse(remote.second);
    if (!rh || rh->wall_ms <= last.at_ms) return status_index(last.result);
  }
  if (!remote.first.empty()) return status_index(remote.first);
  return status_index(pkg_.doors[door].package_status);
}

std::vector<const LocalAttempt*> Session::attempts_at(int door) const {
  std::vector<const LocalAttempt*> out;
  if (door >= 0 && static_cast<size_t>(door) < attempts_.size())
    for (auto& a : attempts_[door]) out.push_back(&a);
  return out;
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
  sync::Mutation m;
  m.seq = next_seq_;
  m.id = new_uuid_v7(now_ms);
  m.kind = sync::Kind::attempt_add;
  m.at_ms = now_ms;
  m.hlc = clock_.tick(now_ms).to_string();
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
  if (in.lat && in.lon) {
    p.set("lat", *in.lat);
    p.set("lon", *in.lon);
    if (in.accuracy_m) p.set("accuracy_m", *in.accuracy_m);
  }
  m.payload = p;
  if (auto st = sync::validate_mutation(m); !st) return st.error();

  store::Transaction tx(db_);
  if (!tx.status()) return tx.status().error();
  auto ins = db_.cached(
      "INSERT INTO client_mutation(client_id, seq, id, token, door_id, body, at_ms) VALUES(?,?,?,?,?,?,?)");
  if (!ins) return ins.error();
  if (auto st = (*ins)->bind_all(client_id_, m.seq, m.id, token_, pkg_.doors[in.door].id, json::dump(m.to_json()), now_ms).run(); !st)
    return st.error();
  if (auto st = save_state("hlc", m.hlc); !st) return st.error();
  if (auto st = tx.commit(); !st) return st.error();

  LocalAttempt a{m.id, in.person_id, in.result, in.notes, m.seq, now_ms, false, false};
  by_seq_[m.seq] = {in.door, attempts_[in.door].size()};
  attempts_[in.door].push_back(std::move(a));
  ++next_seq_;
  return m;
}

void Session::mark_saved(int64_t seq, bool ok) {
  if (!ok) return;  // stays unsaved: the caller retries the outbox write
  auto it = by_seq_.find(seq);
  if (it != by_seq_.end()) attempts_[it->second.first][it->second.second].saved = true;
  if (auto st = db_.cached("UPDATE client_mutation SET saved=1 WHERE client_id=? AND seq=?"); st)
    (void)(*st)->bind_all(client_id_, seq).run();
}

Result<int> Session::replay_outbox(std::string_view json_array) {
  if (json_array.empty()) return 0;
  json::ParseLimits lim;
  lim.max_bytes = 256u << 20;
  auto doc = json::parse(json_array, lim);
  if (!doc) return doc.error();
  if (!doc->is_array()) return make_error(Code::invalid_argument, "outbox is not an array");
  int restored = 0;
  for (auto& e : doc->as_array()) {
    // Outbox entries are {"client_id", "token", "door", "mutation"} (see wasm/app.cpp).
    const json::Value* mv = e.find("mutation");
    if (!mv) continue;
    json::Value wrapper = json::Value::object();
    wrapper.set("v", 1);
    wrapper.set("client_id", str(e, "client_id"));
    wrapper.set("mutations", json::Array{*mv});
    auto req = sync::decode_push_request(wrapper);
    if (!req || req->mutations.empty()) continue;
    const sync::Mutation& m = req->mutations[0];
    auto ins = db_.cached(
        "INSERT OR IGNORE INTO client_mutation(client_id, seq, id, token, door_id, body, at_ms, saved) VALUES(?,?,?,?,?,?,?,1)");
    if (!ins) return ins.error();
    auto st = (*ins)->bind_all(req->client_id, m.seq, m.id, str(e, "token"), str(m.payload, "door"),
                               json::dump(m.to_json()), m.at_ms).run();
    if (!st) return st.error();
    restored += static_cast<int>(db_.changes());
  }
  if (restored > 0)
    if (auto st = load(); !st) return st.error();
  return restored;
}

int64_t Session::pending() const {
  auto q = const_cast<store::Db&>(db_).cached("SELECT count(*) FROM client_mutation WHERE acked=0");
  if (!q) return 0;
  auto r = (*q)->step();
  int64_t n = r && *r ? (*q)->int64(0) : 0;
  (*q)->reset();
  return n;
}

int64_t Session::unsaved() const {
  auto q = const_cast<store::Db&>(db_).cached("SELECT count(*) FROM client_mutation WHERE saved=0");
  if (!q) return 0;
  auto r = (*q)->step();
  int64_t n = r && *r ? (*q)->int64(0) : 0;
  (*q)->reset();
  return n;
}

std::vector<sync::Mutation> Session::unacked() const {
  std::vector<sync::Mutation> out;
  auto q = const_cast<store::Db&>(db_).prepare("SELECT body FROM client_mutation WHERE client_id=? AND acked=0 ORDER BY seq");
  if (!q) return out;
  q->bind(1, client_id_);
  while (true) {
    auto r = q->step();
    if (!r || !*r) break;
    json::Value wrapper = json::Value::object();
    wrapper.set("v", 1);
    wrapper.set("client_id", client_id_);
    auto body = json::parse(q->text(0));
    if (!body) continue;
    wrapper.set("mutations", json::Array{*body});
    auto req = sync::decode_push_request(wrapper);
    if (req && !req->mutations.empty()) out.push_back(req->mutations[0]);
  }
  return out;
}

std::string Session::push_body(size_t max_batch) const {
  auto all = unacked();
  if (all.empty()) return {};
  sync::PushRequest req;
  req.client_id = client_id_;
  for (size_t i = 0; i < all.size() && i < max_batch; ++i) req.mutations.push_back(std::move(all[i]));
  return json::dump(sync::encode(req));
}

PushOutcome Session::on_push_reply(int status, std::string_view body, int64_t now_ms) {
  PushOutcome out;
  auto backoff = [&] {
    ++failures_;
    out.retry_in_ms = std::min<int64_t>(60000, 1000LL << std::min(failures_, 6));
  };
  auto doc = json::parse(body);
  if (status == 0 || status >= 500 || !doc) {
    backoff();
    out.message = status == 0 ? "offline" : "server unavailable";
    return out;
  }
  auto mark_acked = [&](int64_t through) {
    if (through <= acked_) return;
    if (auto st = db_.cached("UPDATE client_mutation SET acked=1 WHERE client_id=? AND seq<=?"); st)
      (void)(*st)->bind_all(client_id_, through).run();
    for (auto& [seq, where] : by_seq_)
      if (seq <= through) attempts_[where.first][where.second].acked = true;
    acked_ = through;
  };
  std::string code = doc->find("code") && doc->find("code")->is_string() ? doc->find("code")->as_string() : "ok";
  if (status == 200) {
    auto r = sync::decode_push_response(*doc);
    if (!r) {
      backoff();
      out.message = r.error().message;
      return out;
    }
    failures_ = 0;
    mark_acked(r->acked_through);
    out.sent_ok = true;
    if (r->code == Code::gap) out.retry_in_ms = 1;  // resend the rest right away
    if (r->wipe_after_flush) {
      wipe_ = true;
      (void)save_state("wipe", "1");
      out.wipe = pending() == 0;
    }
    if (pending() > 0 && out.retry_in_ms == 0) out.retry_in_ms = 1;  // more batches to send
    return out;
  }
  if (code == "gap") {
    // The server lost or never got earlier numbers; its acknowledgement tells where to resume.
    int64_t through = 0;
    if (auto* a = doc->find("acked_through"); a && a->is_integer()) through = a->as_int();
    else if (auto* e = doc->find("expected_seq"); e && e->is_integer()) through = e->as_int() - 1;
    if (through < acked_) {
      // Our acknowledgements are ahead of the server (it lost its state): resend under a new id.
      code = "conflict";
    } else {
      mark_acked(through);
      out.retry_in_ms = 1;
      return out;
    }
  }
  if (code == "conflict") {
    // Numbers reused with other content (this phone lost its storage, or the server did):
    // everything unacknowledged moves to a new client id, renumbered from 1.
    auto pending_rows = unacked();
    std::string old = client_id_;
    client_id_ = new_token_hex();
    store::Transaction tx(db_);
    if (tx.status()) {
      (void)save_state("client_id", client_id_);
      int64_t seq = 1;
      for (auto& m : pending_rows) {
        m.seq = seq++;
        auto up = db_.cached("UPDATE client_mutation SET client_id=?, seq=?, body=? WHERE id=?");
        if (up) (void)(*up)->bind_all(client_id_, m.seq, json::dump(m.to_json()), m.id).run();
      }
      (void)tx.commit();
    }
    (void)load();
    out.resend_all = true;
    out.retry_in_ms = 1;
    out.message = "renumbered " + std::to_string(pending_rows.size()) + " records";
    (void)old;
    return out;
  }
  if (status == 429) {
    out.retry_in_ms = 30000;
    out.message = "server busy";
    return out;
  }
  backoff();
  out.message = doc->find("message") && doc->find("message")->is_string() ? doc->find("message")->as_string() : code;
  (void)now_ms;
  return out;
}

std::string Session::pull_body() const {
  sync::PullRequest req;
  req.cursor = pkg_.cursor;
  return json::dump(sync::encode(req));
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

Result<bool> Session::on_pull_reply(int status, std::string_view body) {
  if (status != 200) return make_error(status == 0 ? Code::io : Code::invalid_argument, "pull failed");
  auto doc = json::parse(body);
  if (!doc) return doc.error();
  auto r = sync::decode_pull_response(*doc);
  if (!r) return r.error();
  for (auto& c : r->changes) {
    if (c.entity == "door" && c.field == "status" && c.value.is_string()) {
      apply_remote_status(c.id, c.value.as_string(), c.hlc);
    } else if (c.entity == "attempt" && c.record.is_object()) {
      // Another canvasser's attempt (ours come back too: skip those by id).
      std::string id = str(c.record, "id");
      auto known = db_.cached("SELECT 1 FROM client_mutation WHERE id=?");
      bool mine = false;
      if (known) {
        (*known)->bind(1, id);
        auto s = (*known)->step();
        mine = s && *s;
        (*known)->reset();
      }
      if (!mine) {
        std::string door = str(c.record, "door");
        if (door.empty()) door = str(c.record, "door_id");
        apply_remote_status(door, str(c.record, "result"), c.hlc);
      }
    }
  }
  pkg_.cursor = r->cursor;
  // Keep the cursor with the package so a restart resumes where it stopped.
  auto text = db_.prepare("SELECT value FROM client_state WHERE key='package'");
  if (text) {
    auto s = text->step();
    if (s && *s) {
      auto doc2 = json::parse(text->text(0), json::ParseLimits{32, 64u << 20, 1u << 20});
      if (doc2) {
        doc2->set("cursor", r->cursor);
        (void)save_state("package", json::dump(*doc2));
      }
    }
  }
  return r->more;
}

Status Session::wipe() {
  if (pending() > 0) return make_error(Code::conflict, "records are still waiting to be sent");
  store::Transaction tx(db_);
  if (!tx.status()) return tx.status();
  for (const char* sql : {"DELETE FROM client_state WHERE key IN ('package','token','wipe')", "DELETE FROM client_mutation",
                          "DELETE FROM client_remote_status"})
    if (auto st = db_.exec(sql); !st) return st;
  if (auto st = tx.commit(); !st) return st;
  token_.clear();
  wipe_ = false;
  return load();
}

}  // namespace doorstep::canvass
