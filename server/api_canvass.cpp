// Canvasser routes: a link token (Authorization: Bearer) reads its own turf's package, pushes
// mutations for its own doors and pulls its turf's changes. Leaves out the sync rules themselves
// (shared/sync_server.h) and anything organizer-only. Logs nothing but method, route and status.
#include <cmath>

#include "server/app.h"
#include "server/http_errors.h"
#include "server/links.h"
#include "shared/canvass/turf_package.h"
#include "shared/store/campaign_store.h"
#include "shared/store/store.h"
#include "shared/sync/sync_server.h"

namespace doorstep::server {

namespace {

// Resolves the request's token or answers the error (with Retry-After when rate limited).
std::optional<ResolvedLink> require_link(App& app, const http::Request& req, http::Response& res,
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
  // A push's token is checked on the headers: an unknown token's body is never read.
  http::RouteLimits push_limits;
  push_limits.max_body = kPushBodyLimit;
  push_limits.admit = [&app](const http::Request& req, http::Response& res) {
    return require_link(app, req, res, true).has_value();
  };
  http::RouteLimits pull_limits;
  pull_limits.max_body = kPullBodyLimit;
  pull_limits.admit = [&app](const http::Request& req, http::Response& res) {
    return require_link(app, req, res, false).has_value();
  };
  srv.get("/api/v1/canvass/package", guarded([&app](http::Request& req, http::Response& res) {
    auto link = require_link(app, req, res, false);
    if (!link) return;
    Result<canvass::Package> pkg = Error{Code::internal, "package not built"};
    auto s = app.storage().read([&](store::Db& db) -> Status {
      pkg = canvass::build_package(
          db, {link->record.campaign_id, link->record.turf_id, link->record.id, link->record.expires_at});
      return pkg ? Status::Ok() : Status(pkg.error());
    });
    if (!s) return send_error(res, s.error());
    app.storage().touch_link(link->record.id, app.now());
    send_json(res, canvass::encode_package(*pkg));
  }));

  srv.post("/api/v1/canvass/push", guarded([&app](http::Request& req, http::Response& res) {
    auto link = require_link(app, req, res, true);
    if (!link) return;
    std::string ct = req.header("Content-Type");
    if (ct.rfind("application/json", 0) != 0)
      return send_error(res, Code::invalid_argument, "Content-Type must be application/json");
    auto text = req.body(kPushBodyLimit);
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
  }), push_limits);

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
    auto text = req.body(kPullBodyLimit);
    if (!text) return send_error(res, text.error());
    auto pr = sync::parse_pull_request(*text, app.config().limits);
    if (!pr) return send_error(res, pr.error());
    pull(req, res, *pr);
  }), pull_limits);
}

}  // namespace doorstep::server
