// Canvasser routes: a link token (Authorization: Bearer) reads its own turf's package, pushes
// mutations for its own doors and pulls its turf's changes. Leaves out the sync rules themselves
// (shared/sync_server.h) and anything organizer-only. Logs nothing but method, route and status.
#include <cmath>

#include "server/app.h"
#include "server/http_errors.h"
#include "server/links.h"
#include "shared/store/campaign_store.h"
#include "shared/store/store.h"
#include "shared/sync/sync_server.h"

namespace doorstep::server {

namespace {

// Resolves the request's token or answers the error (with Retry-After when rate limited).
std::optional<ResolvedLink> require_link(App& app, http::Request& req, http::Response& res,
                                         bool allow_ended) {
  std::string token = bearer_token(req.header("Authorization"));
  auto r = resolve_token(app.storage(), app.token_limiter(), token, app.now());
  if (!r) {
    if (r.error().code == Code::rate_limited) {
      int64_t ms = app.token_limiter().retry_after_ms(token_bucket(token.size() == 32 ? token : "bad!"), app.now());
      res.set_header("Retry-After", std::to_string(std::max<int64_t>(1, (ms + 999) / 1000)));
    }
    send_error(res, r.error());
    return std::nullopt;
  }
  if (!allow_ended && r->state != LinkState::active) {
    json::Value extra = json::Value::object();
    extra.set("wipe", true);
    send_error(res,
               Error{r->state == LinkState::revoked ? Code::revoked : Code::expired,
                     r->state == LinkState::revoked ? "this link was revoked" : "this link has expired"},
               extra);
    return std::nullopt;
  }
  return std::move(*r);
}

json::Value opt_number(const std::optional<double>& v) { return v ? json::Value(*v) : json::Value(); }

Result<json::Value> parse_json_text(const std::string& text) {
  auto v = json::parse(text);
  if (!v) return Error{Code::corrupt, "stored JSON unreadable"};
  return v;
}

// The turf's package: everything a canvasser needs offline and nothing more (no phones, emails,
// birth dates or source ids; do-not-contact people and doors are left out by turf_walk_list).
Status build_package(store::Db& db, const LinkRecord& link, json::Value& out) {
  auto campaign = store::get_campaign(db, link.campaign_id);
  if (!campaign) return campaign.error();
  auto turfs = store::list_turfs(db, link.campaign_id);
  if (!turfs) return turfs.error();
  const Turf* turf = nullptr;
  for (const auto& t : *turfs)
    if (t.id == link.turf_id) turf = &t;
  if (!turf || turf->deleted) return Error{Code::not_found, "this link's turf no longer exists"};

  std::vector<std::string> languages;
  {
    auto q = db.prepare(
        "SELECT language FROM script_section WHERE campaign_id=?1 AND deleted=0 UNION "
        "SELECT l.language FROM survey_label l JOIN survey_question q ON q.id=l.question_id "
        "WHERE q.campaign_id=?1 AND q.deleted=0 ORDER BY 1");
    if (!q) return q.error();
    q->bind(1, link.campaign_id);
    for (;;) {
      auto r = q->step();
      if (!r) return r.error();
      if (!*r) break;
      languages.push_back(q->text(0));
    }
  }
  if (languages.empty()) languages.push_back("en");

  json::Value c = json::Value::object();
  c.set("id", campaign->id);
  c.set("name", campaign->name);
  json::Value langs = json::Value::array();
  for (const auto& l : languages) langs.push(l);
  c.set("languages", langs);
  c.set("time_zone", campaign->time_zone);

  json::Value t = json::Value::object();
  t.set("id", turf->id);
  t.set("name", turf->name);
  if (turf->polygon_geojson.empty()) {
    t.set("polygon", json::Value());
  } else {
    auto poly = parse_json_text(turf->polygon_geojson);
    if (!poly) return poly.error();
    t.set("polygon", *poly);
  }

  json::Value l = json::Value::object();
  l.set("id", link.id);
  l.set("expires_at", link.expires_at);

  auto walk = store::turf_walk_list(db, turf->id);
  if (!walk) return walk.error();
  json::Value doors = json::Value::array(), people = json::Value::array();
  int64_t order = 0;
  for (const auto& stop : *walk) {
    const Door& d = stop.door;
    json::Value jd = json::Value::object();
    jd.set("id", d.id);
    jd.set("lat", opt_number(d.lat));
    jd.set("lon", opt_number(d.lon));
    jd.set("address", d.address);
    jd.set("unit", d.unit);
    jd.set("building_id", d.building_id);
    jd.set("order", ++order);
    jd.set("status", "not_visited");
    json::Value flags = json::Value::array();
    if (!d.safety.empty()) flags.push("safety");
    jd.set("flags", flags);
    jd.set("safety", d.safety);
    doors.push(std::move(jd));
    for (const auto& p : stop.people) {
      json::Value jp = json::Value::object();
      jp.set("id", p.id);
      jp.set("door_id", d.id);
      jp.set("first_name", p.first_name);
      jp.set("last_name", p.last_name);
      jp.set("language", p.language);
      jp.set("age", p.age ? json::Value(static_cast<int64_t>(*p.age)) : json::Value());
      jp.set("party", p.party);
      json::Value pf = json::Value::array();
      if (!p.safety.empty()) pf.push("safety");
      jp.set("flags", pf);
      jp.set("safety", p.safety);
      people.push(std::move(jp));
    }
  }
  // Door status is a synced field; read it with its value rather than through the Door struct.
  {
    auto q = db.prepare("SELECT status FROM door WHERE id=?1");
    if (!q) return q.error();
    for (auto& jd : doors.as_array()) {
      q->bind(1, jd.find("id")->as_string());
      auto r = q->step();
      if (!r) return r.error();
      if (*r && !q->text(0).empty()) jd.set("status", q->text(0));
      q->reset();
    }
  }

  json::Value script = json::Value::object();
  for (const auto& lang : languages) {
    auto secs = store::list_script(db, link.campaign_id, lang);
    if (!secs) return secs.error();
    json::Value arr = json::Value::array();
    for (const auto& s : *secs) {
      if (s.deleted) continue;
      json::Value js = json::Value::object();
      js.set("id", s.id);
      js.set("title", s.title);
      js.set("text", s.body);
      if (!s.branch_question_id.empty()) {
        json::Value b = json::Value::object();
        b.set("question", s.branch_question_id);
        b.set("answer", s.branch_answer);
        js.set("branch", b);
      }
      arr.push(std::move(js));
    }
    script.set(lang, arr);
  }

  auto qs = store::list_questions(db, link.campaign_id);
  if (!qs) return qs.error();
  json::Value survey = json::Value::array();
  for (const auto& q : *qs) {
    if (q.deleted) continue;
    json::Value jq = json::Value::object();
    jq.set("id", q.id);
    jq.set("kind", std::string(to_name(q.kind)));
    json::Value labels = json::Value::object();
    for (const auto& lb : q.labels) labels.set(lb.language, lb.label);
    jq.set("labels", labels);
    json::Value choices = json::Value::array();
    for (size_t i = 0; i < q.choices.size(); ++i) {
      json::Value ch = json::Value::object();
      ch.set("id", q.choices[i]);
      json::Value cl = json::Value::object();
      for (const auto& lb : q.labels)
        if (i < lb.choice_labels.size()) cl.set(lb.language, lb.choice_labels[i]);
      ch.set("labels", cl);
      choices.push(std::move(ch));
    }
    jq.set("choices", choices);
    survey.push(std::move(jq));
  }

  // The cursor as of this snapshot, so the first pull returns only what changed after it.
  std::string cursor;
  {
    auto q = db.prepare("SELECT coalesce(max(version), 0) FROM sync_change WHERE turf_id=?1");
    if (q) {
      q->bind(1, turf->id);
      auto r = q->step();
      if (r && *r) cursor = std::to_string(q->int64(0));
    }
  }

  out = json::Value::object();
  out.set("api", 1);
  out.set("campaign", c);
  out.set("turf", t);
  out.set("link", l);
  out.set("doors", doors);
  out.set("people", people);
  out.set("script", script);
  out.set("survey", survey);
  out.set("cursor", cursor);
  return Status::Ok();
}

// A token writes only to its own turf: every door named by a mutation must be, or have been, in
// the turf; a person must live at such a door (people unknown to the server are new and pass).
Status check_scope(store::Db& db, const std::string& turf_id, const sync::PushRequest& req) {
  std::map<std::string, std::string> added_people;  // person -> door, from person.add in this batch
  for (const auto& m : req.mutations) {
    const json::Value& p = m.payload;
    std::string door;
    if (const json::Value* d = p.find("door"); d && d->is_string()) door = d->as_string();
    if (m.kind == sync::Kind::person_add)
      if (const json::Value* pr = p.find("person"); pr && pr->is_string()) added_people[pr->as_string()] = door;
    if (door.empty() && (m.kind == sync::Kind::person_set || m.kind == sync::Kind::person_delete)) {
      const json::Value* pr = p.find("person");
      if (!pr || !pr->is_string()) continue;
      auto it = added_people.find(pr->as_string());
      if (it != added_people.end()) {
        door = it->second;
      } else {
        auto person = store::get_person(db, pr->as_string());
        if (person) door = person->door_id;
        else if (person.error().code != Code::not_found) return person.error();
      }
    }
    std::vector<std::string> doors{door};
    // person.set may move someone to another door: that door must be the turf's too.
    if (const json::Value* set = p.find("set"); set && set->is_object())
      if (const json::Value* d = set->find("door"); d && d->is_string()) doors.push_back(d->as_string());
    for (const auto& dr : doors) {
      if (dr.empty()) continue;
      auto in = store::turf_membership(db, turf_id, dr);
      if (!in) return in.error();
      if (*in == store::TurfMembership::never)
        return Error{Code::forbidden, "mutation " + std::to_string(m.seq) + " names a door outside this link's turf"};
    }
  }
  return Status::Ok();
}

}  // namespace

void register_canvass_routes(App& app, http::Router& srv) {
  srv.get("/api/v1/canvass/package", guarded([&app](http::Request& req, http::Response& res) {
    auto link = require_link(app, req, res, false);
    if (!link) return;
    json::Value pkg;
    auto s = app.storage().read([&](store::Db& db) { return build_package(db, link->record, pkg); });
    if (!s) return send_error(res, s.error());
    app.storage().touch_link(link->record.id, app.now());
    send_json(res, pkg);
  }));

  srv.post("/api/v1/canvass/push", guarded([&app](http::Request& req, http::Response& res) {
    auto link = require_link(app, req, res, true);
    if (!link) return;
    std::string ct = req.header("Content-Type");
    if (ct.rfind("application/json", 0) != 0)
      return send_error(res, Code::invalid_argument, "Content-Type must be application/json");
    auto text = req.body(app.config().max_body_bytes);
    if (!text) return send_error(res, text.error());
    auto push = sync::parse_push_request(*text, app.config().limits);
    if (!push) return send_error(res, push.error());

    sync::PushContext ctx;
    ctx.turf_id = link->record.turf_id;
    ctx.server_now_ms = app.now();
    ctx.link = link->state == LinkState::active    ? sync::PushContext::Link::active
               : link->state == LinkState::revoked ? sync::PushContext::Link::revoked
                                                   : sync::PushContext::Link::expired;
    ctx.link_ended_ms = link->ended_ms;
    ctx.grace_ms = app.config().link_grace_ms;
    Result<sync::PushResponse> out = Error{Code::internal, "push not applied"};
    auto s = app.storage().write([&](store::Db& db) -> Status {
      if (auto sc = check_scope(db, ctx.turf_id, *push); !sc) return sc;
      sync::PushContext c = ctx;
      c.door_in_turf = [&db, &c](std::string_view door) {
        auto in = store::turf_membership(db, c.turf_id, door);
        return in.ok() && *in == store::TurfMembership::member;
      };
      out = sync::apply_push(db, *push, c);
      return out ? Status::Ok() : Status(out.error());
    });
    // s ok means the group's commit is durable; only then is anything acknowledged.
    if (!s) {
      json::Value extra = json::Value::object();
      if (s.error().code == Code::revoked || s.error().code == Code::expired) extra.set("wipe", true);
      return send_error(res, s.error(), extra);
    }
    send_json(res, sync::encode(*out));
  }));

  auto pull = [&app](http::Request& req, http::Response& res, const sync::PullRequest& pr) {
    auto link = require_link(app, req, res, false);
    if (!link) return;
    Result<sync::PullResponse> out = Error{Code::internal, "pull failed"};
    auto s = app.storage().read([&](store::Db& db) -> Status {
      out = sync::pull_changes(db, link->record.turf_id, pr.cursor, pr.limit);
      return out ? Status::Ok() : Status(out.error());
    });
    if (!s) return send_error(res, s.error());
    send_json(res, sync::encode(*out));
  };
  srv.get("/api/v1/canvass/pull", guarded([&app, pull](http::Request& req, http::Response& res) {
    sync::PullRequest pr;
    pr.cursor = req.query_value("cursor");
    if (pr.cursor.size() > 32) return send_error(res, Code::invalid_argument, "cursor: too long");
    if (req.has_query("limit")) {
      std::string l = req.query_value("limit");
      if (l.empty() || l.size() > 6 || l.find_first_not_of("0123456789") != std::string::npos)
        return send_error(res, Code::invalid_argument, "limit: a positive integer");
      pr.limit = std::stoll(l);
    }
    pull(req, res, pr);
  }));
  srv.post("/api/v1/canvass/pull", guarded([&app, pull](http::Request& req, http::Response& res) {
    std::string ct = req.header("Content-Type");
    if (ct.rfind("application/json", 0) != 0)
      return send_error(res, Code::invalid_argument, "Content-Type must be application/json");
    auto text = req.body(app.config().max_body_bytes);
    if (!text) return send_error(res, text.error());
    auto pr = sync::parse_pull_request(*text, app.config().limits);
    if (!pr) return send_error(res, pr.error());
    pull(req, res, *pr);
  }));
}

}  // namespace doorstep::server
