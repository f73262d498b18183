// Canvasser routes: a link token (Authorization: Bearer) reads its own turf's package, pushes
// mutations for its own doors and pulls its turf's changes. Leaves out the sync rules themselves
// (shared/sync_server.h) and anything organizer-only. Logs nothing but method, route and status.
#include <cmath>

#include "server/app.h"
#include "server/campaign_quota.h"
#include "server/link_activity.h"
#include "server/http_errors.h"
#include "server/links.h"
#include "server/package_version.h"
#include "shared/canvass/turf_package.h"
#include "shared/store/campaign_store.h"
#include "shared/store/store.h"
#include "shared/sync/sync_server.h"

namespace doorstep::server {

namespace {


// Answers an ended link's refusal (401 revoked/expired with "wipe"); false when it is active.
bool refuse_ended(const ResolvedLink& l, http::Response& res) {
  if (l.state == LinkState::active) return false;
  json::Value extra = json::Value::object();
  extra.set("wipe", true);
  send_error(res,
             Error{l.state == LinkState::revoked ? Code::revoked : Code::expired,
                   l.state == LinkState::revoked ? "this link was revoked" : "this link has expired"},
             extra);
  return true;
}

// Resolves the request's token or answers the error (with Retry-After when rate limited).
std::optional<ResolvedLink> resolve_link(App& app, const http::Request& req, http::Response& res, bool allow_ended) {
  std::string token = bearer_token(req.header("Authorization"));
  auto r = resolve_token(app.storage(), app.token_limiter(), token, req.client, app.now());
  if (!r) {
    if (r.error().code == Code::rate_limited) {
      int64_t ms = token_retry_after_ms(app.token_limiter(), token, req.client, app.now());
      res.set_header("Retry-After", std::to_string(std::max<int64_t>(1, (ms + 999) / 1000)));
    }
    send_error(res, r.error());
    return std::nullopt;
  }
  if (!allow_ended && refuse_ended(*r, res)) return std::nullopt;
  return std::move(*r);
}

// Admission (on the headers, before the body is read): resolves the token once and leaves the
// link in Request::admitted for the handler.
bool admit_link(App& app, http::Request& req, http::Response& res, bool allow_ended) {
  auto l = resolve_link(app, req, res, allow_ended);
  if (!l) return false;
  req.admitted = std::move(*l);
  return true;
}

// Brings a link resolved at admission up to date by its id, in the handler's own read: the body
// took time to arrive, and the link may have been revoked (or have expired) meanwhile. One
// primary-key lookup instead of resolving the token again (hashes, rate-limit buckets, a reader).
Status refresh_link(store::Db& db, ResolvedLink& l, int64_t now_ms) {
  auto q = db.cached_static("SELECT revoked_at, expires_at FROM srv_links WHERE id=?1");
  if (!q) return q.error();
  (*q)->bind(1, l.record.id);
  auto r = (*q)->step();
  if (!r) return r.error();
  if (!*r) {
    (*q)->reset();
    return Error{Code::unauthorized, "missing or malformed link token"};
  }
  l.record.revoked_at = (*q)->int64(0);
  l.record.expires_at = (*q)->int64(1);
  (*q)->reset();
  l.state = LinkState::active;
  l.ended_ms = 0;
  if (l.record.revoked_at > 0) {
    l.state = LinkState::revoked;
    l.ended_ms = l.record.revoked_at;
  } else if (l.record.expires_at <= now_ms) {
    l.state = LinkState::expired;
    l.ended_ms = l.record.expires_at;
  }
  return Status::Ok();
}

// The handler's link: the one admission resolved (refreshed with refresh_link in the handler's
// read), or, on a route without admission, the token resolved here.
std::optional<ResolvedLink> require_link(App& app, const http::Request& req, http::Response& res, bool allow_ended) {
  if (const auto* a = std::any_cast<ResolvedLink>(&req.admitted)) return *a;
  return resolve_link(app, req, res, allow_ended);
}

}  // namespace

void add_base_map(App& app, canvass::Package& pkg, int64_t cache_mb) {
  // The base map, when the server has one: the phone caches the turf's tiles under this cap.
  if (const std::string url = app.tiles().url_template(); !url.empty()) {
    pkg.map.tiles = url;
    pkg.map.attribution = app.tiles().attribution();
    if (auto z = app.tiles().zoom_range(url.substr(url.rfind('.') + 1))) pkg.map.max_zoom = std::min(18, z->second);
    pkg.map.cache_max_bytes = cache_mb << 20;
  }
}

void register_canvass_routes(App& app, http::Router& srv) {
  // A push's token is checked on the headers: an unknown token's body is never read.
  http::RouteLimits push_limits;
  push_limits.max_body = kPushBodyLimit;
  push_limits.quick = true;  // admission reads one row; the write is handed to the writer (write_async)
  push_limits.admit = [&app](http::Request& req, http::Response& res) { return admit_link(app, req, res, true); };
  http::RouteLimits pull_limits;
  pull_limits.max_body = kPullBodyLimit;
  pull_limits.admit = [&app](http::Request& req, http::Response& res) { return admit_link(app, req, res, false); };
  srv.get("/api/v1/canvass/package", guarded([&app](http::Request& req, http::Response& res) {
    auto link = require_link(app, req, res, false);
    if (!link) return;
    Result<canvass::Package> pkg = Error{Code::internal, "package not built"};
    int64_t cache_mb = kDefaultTileCacheMb;
    auto s = app.storage().read([&](store::Db& db) -> Status {
      pkg = canvass::build_package(
          db, {link->record.campaign_id, link->record.turf_id, link->record.id, link->record.expires_at});
      if (!pkg) return pkg.error();
      auto help = campaign_help(db, link->record.campaign_id);  // the endpoint's campaign setting
      if (!help) return help.error();
      pkg->help = std::move(*help);
      auto mb = campaign_tile_cache_mb(db, link->record.campaign_id);
      if (!mb) return mb.error();
      cache_mb = *mb;
      auto pv = package_version(db, link->record);  // what its pulls will name while nothing changes
      if (!pv) return pv.error();
      pkg->package_version = std::move(*pv);
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    app.storage().touch_link(link->record.id, app.now());
    add_base_map(app, *pkg, cache_mb);
    // The roster's "opened" and "downloaded" (link_activity.h); a failure here loses no record.
    (void)app.storage().write([&](store::Db& db) { return note_link_use(db, link->record.id, app.now(), true); });
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
    auto parsed = sync::parse_push_request(*text, app.config().limits);
    if (!parsed) return send_error(res, parsed.error());
    // What the write and its answer share: the write may run after this handler has returned.
    struct Push {
      ResolvedLink link;
      sync::PushRequest req;
      int64_t bytes = 0;
      bool admitted = false;
      int64_t quota_wait = 0;  // > 0: the link's quota is used up; ms until its window ends
      Result<sync::PushResponse> out = Error{Code::internal, "push not applied"};
    };
    auto p = std::make_shared<Push>();
    p->link = std::move(*link);
    p->req = std::move(*parsed);
    p->bytes = static_cast<int64_t>(text->size());
    p->admitted = req.admitted.has_value();
    // One unit on the writer, no read transaction of its own: the link brought up to date (revoked
    // while its body arrived?), the campaign's quota (its owner's figures, else the server's 3,000
    // and 8 MiB), then the push. A push refused by its quota writes nothing (its savepoint rolls back).
    auto write = [&app, p](store::Db& db) -> Status {
      if (p->admitted) TRY(refresh_link(db, p->link, app.now()));
      auto lim = campaign_quota(db, p->link.record.campaign_id);
      if (!lim) return lim.error();
      p->quota_wait = app.link_quota().take(p->link.record.id, static_cast<int64_t>(p->req.mutations.size()), p->bytes,
                                            app.now(), lim->mutations, lim->bytes);
      if (p->quota_wait > 0) return Error{Code::rate_limited, "this link's hourly quota is used up; the phone keeps its records and retries"};
      sync::PushContext ctx;
      ctx.turf_id = p->link.record.turf_id;
      ctx.server_now_ms = app.now();
      ctx.link = p->link.state == LinkState::active    ? sync::PushContext::Link::active
                 : p->link.state == LinkState::revoked ? sync::PushContext::Link::revoked
                                                       : sync::PushContext::Link::expired;
      ctx.link_ended_ms = p->link.ended_ms;
      ctx.grace_ms = app.config().link_grace_ms;
      ctx.campaign_id = p->link.record.campaign_id;  // scope: every id is checked where the data is
      ctx.link_id = p->link.record.id;  // attempt.void / attempt.amend: only this link's own attempts
      p->out = sync::apply_push(db, p->req, ctx);
      if (!p->out) return p->out.error();
      // Which link this phone pushes with: the dashboard's rows per (link, canvasser name).
      if (auto n = note_link_client(db, p->req.client_id, p->link.record.id, ctx.server_now_ms); !n) return n;
      return note_link_use(db, p->link.record.id, ctx.server_now_ms, false);
    };
    // s ok means the group's commit is durable; only then is anything acknowledged.
    auto answer = [p](const Status& s, http::Response& out) {
      if (!s) {
        if (p->quota_wait > 0) out.set_header("Retry-After", std::to_string((p->quota_wait + 999) / 1000));
        json::Value extra = json::Value::object();
        if (s.error().code == Code::revoked || s.error().code == Code::expired) extra.set("wipe", true);
        return send_error(out, s.error(), extra);
      }
      if (sync::all_out_of_scope(p->req, *p->out)) {
        // Kept for review and acknowledged on a resend; an honest phone never sends such a batch.
        json::Value extra = json::Value::object();
        extra.set("rejected", *sync::encode(*p->out).find("rejected"));
        return send_error(out, Error{Code::forbidden, "every mutation names something outside this link's turf"}, extra);
      }
      send_json(out, sync::encode(*p->out));
    };
    // Served by a server that can answer later: the worker is free while the push waits for its
    // group's commit, so a group takes every push waiting, not one per worker thread.
    if (auto later = req.defer()) {
      app.storage().write_async(std::move(write), [answer, later = std::move(later)](Status s) {
        http::Response out;
        answer(s, out);
        later(std::move(out));
      });
      return;
    }
    answer(app.storage().write(write), res);
  }), push_limits);

  auto pull = [&app](http::Request& req, http::Response& res, const sync::PullRequest& pr) {
    auto link = require_link(app, req, res, false);
    if (!link) return;
    if (req.admitted.has_value()) {  // revoked or expired while its body arrived?
      if (auto s = app.storage().read([&](store::Db& db) { return refresh_link(db, *link, app.now()); }); !s)
        return send_error(res, s.error());
      if (refuse_ended(*link, res)) return;
    }
    if (!pr.client_id.empty() && pr.recorded_through > 0) {  // the link is valid: raise its high-water mark
      auto hw = app.storage().write([&](store::Db& db) {
        return sync::report_high_water(db, pr.client_id, link->record.turf_id, pr.recorded_through, app.now());
      });
      if (!hw) return send_error(res, hw.error());
    }
    Result<sync::PullResponse> out = Error{Code::internal, "pull failed"};
    auto s = app.storage().read([&](store::Db& db) -> Status {
      out = sync::pull_changes(db, link->record.turf_id, pr.cursor, pr.limit, pr.v);  // answered by its version
      if (!out) return out.error();
      if (pr.v >= 4) {  // older phones' strict decoders know no package_version
        auto pv = package_version(db, link->record);
        if (!pv) return pv.error();
        out->package_version = std::move(*pv);
      }
      return Status::Ok();
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
