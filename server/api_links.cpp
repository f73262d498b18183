// Organizer routes for canvasser links: create one for a turf (the token is shown once), list a
// turf's links, revoke one. Leaves out what a token may do (api_canvass.cpp, links.h).
#include "server/app.h"
#include "server/http_errors.h"
#include "server/links.h"
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

}  // namespace

void register_link_routes(App& app, http::Router& srv) {
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
    json::Value o = json::Value::object();
    o.set("link", link_json(n->record));
    o.set("token", n->token);
    o.set("url", app.link_url(n->token, req.header("Host")));
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
