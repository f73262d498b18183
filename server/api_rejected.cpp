// Rejected push records, for review by the campaign's owners and organizers (issue 10 items 1 and
// 2): the list, and accepting (after_end records only: applied now) or discarding one, each
// decision audited. Leaves out the SQL and the applying itself (rejected_review.h) and the role
// check (app.cpp require_session: routes under a campaign need the organizer role).
#include "server/app.h"
#include "server/http_errors.h"
#include "server/rejected_review.h"

namespace doorstep::server {

namespace {

using Req = http::Request;
using Res = http::Response;

json::Value record_json(const RejectedRecord& r) {
  json::Value o = json::Value::object();
  o.set("id", r.id);
  o.set("kind", r.kind);
  o.set("code", r.code);
  o.set("status", r.status);
  o.set("can_accept", r.status == "pending" && acceptable_code(r.code));
  o.set("turf", json::Value(json::Object{{"id", r.turf_id}, {"name", r.turf_name}}));
  o.set("link", json::Value(json::Object{{"id", r.link_id}, {"label", r.link_label}}));
  o.set("door", json::Value(json::Object{{"id", r.door_id}, {"address", r.door_address}}));
  o.set("canvasser", r.canvasser);
  o.set("seq", r.seq);
  o.set("at", r.at_ms);
  o.set("received_at", r.server_ms);
  o.set("payload", r.payload);
  o.set("decided_by", r.decided_by);
  o.set("decided_at", r.decided_at);
  o.set("applied_id", r.applied_id);
  return o;
}

// Decision routes take an empty body or {}.
Status empty_body(App& app, Req& req) {
  if (req.content_length().value_or(0) == 0 && !req.has_header("Transfer-Encoding")) return Status::Ok();
  auto body = json_body(app, req);
  if (!body) return body.error();
  return only_fields(*body, {});
}

}  // namespace

void register_rejected_routes(App& app, http::Router& srv) {
  srv.get(R"(/api/v1/campaigns/([0-9a-f-]{36})/rejected)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string status = req.query_value("status");
    if (!status.empty() && status != "pending" && status != "all")
      return send_error(res, Code::invalid_argument, "status: pending or all");
    auto limit = int_query(req, "limit", 1, 5000, 1000);
    if (!limit) return send_error(res, limit.error());
    json::Value arr = json::Value::array();
    auto s = app.storage().read([&](store::Db& db) -> Status {
      auto all = rejected_records(db, c->campaign_id, status != "all", *limit);
      if (!all) return all.error();
      for (const auto& r : *all) arr.push(record_json(r));
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    json::Value o = json::Value::object();
    o.set("rejected", arr);
    send_json(res, o);
  }));

  auto decide = [&app](Req& req, Res& res, bool accept) {
    auto c = require_session(app, req, res);
    if (!c) return;
    if (auto s = empty_body(app, req); !s) return send_error(res, s.error());
    const std::string& id = req.params[1];
    std::string applied;
    RejectedRecord after;
    auto s = app.storage().write([&](store::Db& db) -> Status {
      auto r = rejected_record(db, c->campaign_id, id);
      if (!r) return r.error();
      if (accept) {
        auto a = accept_rejected(db, *r, c->campaign_id, c->account.id, app.now());
        if (!a) return a.error();
        applied = *a;
      } else if (auto d = discard_rejected(db, *r, c->account.id, app.now()); !d) {
        return d;
      }
      auto again = rejected_record(db, c->campaign_id, id);
      if (!again) return again.error();
      after = std::move(*again);
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    app.audit(c->account.id, c->campaign_id, accept ? "rejected.accept" : "rejected.discard",
              accept ? id + " applied as " + applied : id);
    json::Value o = json::Value::object();
    o.set("record", record_json(after));
    send_json(res, o);
  };
  srv.post(R"(/api/v1/campaigns/([0-9a-f-]{36})/rejected/([0-9a-f-]{36})/accept)",
           guarded([decide](Req& req, Res& res) { decide(req, res, true); }));
  srv.post(R"(/api/v1/campaigns/([0-9a-f-]{36})/rejected/([0-9a-f-]{36})/discard)",
           guarded([decide](Req& req, Res& res) { decide(req, res, false); }));
}

}  // namespace doorstep::server
