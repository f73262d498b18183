// Organizer routes for canvasser links: create one for a turf (the token is shown once), list a
// turf's links, revoke one. Leaves out what a token may do (api_canvass.cpp, links.h).
#include "server/app.h"
#include "server/http_errors.h"
#include "server/link_activity.h"
#include "server/links.h"
#include "shared/io/export.h"
#include "shared/store/campaign_store.h"
#include "shared/store/store.h"

namespace doorstep::server {

namespace {

using Req = http::Request;
using Res = http::Response;

json::Value link_json(const LinkRecord& l) {
  json::Value o = json::Value::object();
  o.set("id", l.id);
  o.set("turf_id", l.turf_id);
  o.set("label", l.label);
  o.set("created_at", l.created_at);
  o.set("expires_at", l.expires_at);
  o.set("revoked", l.revoked_at != 0);
  o.set("revoked_at", l.revoked_at);
  o.set("last_used_at", l.last_used_at);
  return o;
}

// An expiry given as ms since the epoch, or as "tonight HH:MM" in the campaign's time zone
// (today's, or tomorrow's once passed). Must lie in (now, now + the longest link life].
Result<int64_t> expiry_field(const App& app, const json::Value& body, const std::string& zone) {
  const json::Value* v = body.find("expires_at");
  int64_t now = app.now(), at = 0;
  if (!v) return now + app.config().default_link_ttl_ms;
  if (v->is_string()) {
    const std::string& t = v->as_string();
    int h = -1, m = -1;
    if (t.size() >= 12 && t.size() <= 13 && t.rfind("tonight ", 0) == 0) {
      std::string hm = t.substr(8);
      auto colon = hm.find(':');
      bool digits = colon != std::string::npos && colon >= 1 && colon <= 2 && hm.size() - colon == 3 &&
                    hm.find_first_not_of("0123456789:") == std::string::npos;
      if (digits) {
        h = std::stoi(hm.substr(0, colon));
        m = std::stoi(hm.substr(colon + 1));
      }
    }
    if (h < 0 || h > 23 || m < 0 || m > 59)
      return Error{Code::invalid_argument, "expires_at: milliseconds since the epoch, or \"tonight HH:MM\""};
    auto r = exporter::next_local_time(zone, now, h, m);
    if (!r) return r.error();
    at = *r;
  } else if (v->is_integer()) {
    at = v->as_int();
  } else {
    return Error{Code::invalid_argument, "expires_at: milliseconds since the epoch, or \"tonight HH:MM\""};
  }
  if (at <= now) return Error{Code::invalid_argument, "expires_at: must be in the future"};
  if (at > now + app.config().max_link_ttl_ms) return Error{Code::invalid_argument, "expires_at: too far ahead"};
  return at;
}

void send_new_link(App& app, const Req& req, json::Value& into, const NewLink& n) {
  json::Value o = json::Value::object();
  o.set("link", link_json(n.record));
  o.set("token", n.token);
  o.set("url", app.link_url(n.token, req.header("Host")));
  into = std::move(o);
}

}  // namespace

void register_link_routes(App& app, http::Router& srv) {
  // Links for a crew: many turfs at once, answered in the order of turf_ids (tokens shown once).
  srv.post(R"(/api/v1/campaigns/([0-9a-f-]{36})/links)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string campaign = req.params[0];
    auto body = json_body(app, req);
    if (!body) return send_error(res, body.error());
    if (auto s = only_fields(*body, {"turf_ids", "labels", "expires_at"}); !s) return send_error(res, s.error());
    const json::Value* ids = body->find("turf_ids");
    if (!ids || !ids->is_array() || ids->size() == 0)
      return send_error(res, Code::invalid_argument, "turf_ids: a non-empty array of turf ids");
    if (ids->size() > 200) return send_error(res, Code::too_large, "turf_ids: at most 200 links at once");
    const json::Value* labels = body->find("labels");
    if (labels && (!labels->is_array() || labels->size() != ids->size()))
      return send_error(res, Code::invalid_argument, "labels: an array as long as turf_ids");
    std::vector<std::string> turfs, names;
    for (size_t i = 0; i < ids->size(); ++i) {
      const json::Value& t = ids->as_array()[i];
      if (!t.is_string() || t.as_string().size() != 36)
        return send_error(res, Code::invalid_argument, "turf_ids[" + std::to_string(i) + "]: a turf id");
      turfs.push_back(t.as_string());
      std::string label;
      if (labels) {
        const json::Value& l = labels->as_array()[i];
        if (!l.is_string() || l.as_string().size() > 100)
          return send_error(res, Code::invalid_argument, "labels[" + std::to_string(i) + "]: text of at most 100 bytes");
        label = l.as_string();
      }
      names.push_back(label);
    }
    // Every turf must be this campaign's, checked before any link exists.
    std::string zone;
    auto s = app.storage().read([&](store::Db& db) -> Status {
      auto camp = store::get_campaign(db, campaign);
      if (!camp) return camp.error();
      zone = camp->time_zone;
      for (size_t i = 0; i < turfs.size(); ++i) {
        auto cid = store::turf_campaign_id(db, turfs[i]);
        if (!cid) {
          Error e = cid.error();  // keeps from_storage: SQLite's text is logged, never answered
          e.message = "turf_ids[" + std::to_string(i) + "]: " + e.message;
          return e;
        }
        if (*cid != campaign) return Error{Code::invalid_argument, "turf_ids[" + std::to_string(i) + "]: not this campaign's turf"};
      }
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    auto at = expiry_field(app, *body, zone);
    if (!at) return send_error(res, at.error());
    json::Value arr = json::Value::array();
    for (size_t i = 0; i < turfs.size(); ++i) {
      auto n = create_link(app.storage(), campaign, turfs[i], names[i], c->account.id, app.now(), *at - app.now());
      if (!n) return send_error(res, n.error());
      app.audit(c->account.id, campaign, "link.create", n->record.id);
      json::Value o;
      send_new_link(app, req, o, *n);
      arr.push(std::move(o));
    }
    send_json(res, json::Value(json::Object{{"links", arr}}));
  }));

  srv.get(R"(/api/v1/campaigns/([0-9a-f-]{36})/links)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    json::Value arr = json::Value::array();
    auto s = app.storage().read([&](store::Db& db) -> Status {
      if (auto camp = store::get_campaign(db, req.params[0]); !camp) return camp.error();
      auto links = campaign_links(db, req.params[0]);
      if (!links) return links.error();
      for (const auto& l : *links) arr.push(link_json(l));
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    send_json(res, json::Value(json::Object{{"links", arr}}));
  }));

  srv.post(R"(/api/v1/links/([0-9a-f-]{36})/extend)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string id = req.params[0];
    auto body = json_body(app, req);
    if (!body) return send_error(res, body.error());
    if (auto s = only_fields(*body, {"expires_at"}); !s) return send_error(res, s.error());
    if (!body->find("expires_at")) return send_error(res, Code::invalid_argument, "expires_at: required");
    auto l = app.storage().link_by_id(id);
    if (!l) return send_error(res, l.error());
    if (l->revoked_at) return send_error(res, Code::invalid_argument, "this link was revoked: reissue it instead");
    std::string zone;
    auto s = app.storage().read([&](store::Db& db) -> Status {
      auto camp = store::get_campaign(db, l->campaign_id);
      if (!camp) return camp.error();
      zone = camp->time_zone;
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    auto at = expiry_field(app, *body, zone);
    if (!at) return send_error(res, at.error());
    s = app.storage().write([&](store::Db& db) { return set_link_expiry(db, id, *at); });
    if (!s) return send_error(res, s.error());
    app.audit(c->account.id, l->campaign_id, "link.extend", id);
    auto after = app.storage().link_by_id(id);
    if (!after) return send_error(res, after.error());
    send_json(res, json::Value(json::Object{{"link", link_json(*after)}}));
  }));

  // Reissue: revoke, then a new link for the same turf and label (a lost phone, a leaked link).
  srv.post(R"(/api/v1/links/([0-9a-f-]{36})/reissue)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string id = req.params[0];
    auto body = json_body(app, req);
    if (!body) return send_error(res, body.error());
    if (auto s = only_fields(*body, {}); !s) return send_error(res, s.error());
    auto l = app.storage().link_by_id(id);
    if (!l) return send_error(res, l.error());
    if (!l->revoked_at)
      if (auto s = app.storage().revoke_link(id, app.now()); !s) return send_error(res, s.error());
    app.audit(c->account.id, l->campaign_id, "link.revoke", id);
    int64_t ttl = l->expires_at > app.now() ? l->expires_at - app.now() : app.config().default_link_ttl_ms;
    auto n = create_link(app.storage(), l->campaign_id, l->turf_id, l->label, c->account.id, app.now(), ttl);
    if (!n) return send_error(res, n.error());
    app.audit(c->account.id, l->campaign_id, "link.create", n->record.id);
    json::Value o;
    send_new_link(app, req, o, *n);
    o.set("replaces", id);
    send_json(res, o);
  }));

  srv.post(R"(/api/v1/turfs/([0-9a-f-]{36})/links)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string turf = req.params[0];
    auto body = json_body(app, req);
    if (!body) return send_error(res, body.error());
    if (auto s = only_fields(*body, {"expires_in_days", "label"}); !s) return send_error(res, s.error());
    int64_t max_days = app.config().max_link_ttl_ms / 86400000;
    auto days = int_field(*body, "expires_in_days", false, 1, max_days, app.config().default_link_ttl_ms / 86400000);
    if (!days) return send_error(res, days.error());
    auto label = str_field(*body, "label", false, 100);
    if (!label) return send_error(res, label.error());
    std::string campaign;
    auto s = app.storage().read([&](store::Db& db) -> Status {
      auto cid = store::turf_campaign_id(db, turf);
      if (!cid) return cid.error();
      campaign = *cid;
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    auto n = create_link(app.storage(), campaign, turf, *label, c->account.id, app.now(), *days * 86400000);
    if (!n) return send_error(res, n.error());
    app.audit(c->account.id, campaign, "link.create", n->record.id);
    json::Value o;
    send_new_link(app, req, o, *n);
    send_json(res, o);
  }));

  srv.get(R"(/api/v1/turfs/([0-9a-f-]{36})/links)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    auto links = app.storage().links_for_turf(req.params[0]);
    if (!links) return send_error(res, links.error());
    json::Value arr = json::Value::array();
    for (const auto& l : *links) arr.push(link_json(l));
    send_json(res, json::Value(json::Object{{"links", arr}}));
  }));

  srv.post(R"(/api/v1/links/([0-9a-f-]{36})/revoke)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string id = req.params[0];
    auto text = req.body(app.config().max_body_bytes);
    if (!text) return send_error(res, text.error());
    if (!text->empty()) {
      auto body = json_body(app, req);
      if (!body) return send_error(res, body.error());
      if (auto s = only_fields(*body, {}); !s) return send_error(res, s.error());
    }
    auto l = app.storage().link_by_id(id);
    if (!l) return send_error(res, l.error());
    if (auto s = app.storage().revoke_link(id, app.now()); !s) return send_error(res, s.error());
    app.audit(c->account.id, l->campaign_id, "link.revoke", id);
    auto after = app.storage().link_by_id(id);
    if (!after) return send_error(res, after.error());
    send_json(res, json::Value(json::Object{{"link", link_json(*after)}}));
  }));
}

}  // namespace doorstep::server
