// Organizer routes for following up sign-ups: the queue of one consent purpose, each sign-up's
// follow-up state, and the membership-tool exports (shared/io/followup_export.h) that hold only
// consenting sign-ups. Reads of the queue and every export are audited (they carry personal data).
#include "server/app.h"
#include "server/http_errors.h"
#include "shared/io/followup_export.h"
#include "shared/store/campaign_store.h"
#include "shared/store/followup.h"
#include "shared/store/store.h"

namespace doorstep::server {

namespace {

using Req = http::Request;
using Res = http::Response;

Result<ConsentPurpose> purpose_param(const Req& req, bool required) {
  std::string p = req.query_value("purpose");
  if (p.empty() && !required) return ConsentPurpose::text_me;
  auto v = consent_purpose_from_name(p);
  if (!v) return Error{Code::invalid_argument, "purpose: one of call_me, email_me, volunteer, join, text_me"};
  return *v;
}

json::Value item_json(const store::FollowupItem& it) {
  json::Value o = json::Value::object();
  const Signup& s = it.signup;
  o.set("id", s.id);
  o.set("name", s.name);
  o.set("phone", s.phone);
  o.set("email", s.email);
  o.set("address", it.address);
  o.set("door_id", s.door_id);
  o.set("created_at", s.created_ms);
  json::Value consents = json::Value::object();
  for (const auto& c : s.consents) consents.set(std::string(to_name(c.purpose)), c.granted);
  o.set("consents", consents);
  o.set("status", it.status);
  o.set("assigned_to", it.assigned_to);
  o.set("updated_at", it.updated_ms);
  return o;
}

}  // namespace

void register_followup_routes(App& app, http::Router& srv) {
  srv.get(R"(/api/v1/campaigns/([0-9a-f-]{36})/signups)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string id = req.params[0];
    auto purpose = purpose_param(req, false);
    if (!purpose) return send_error(res, purpose.error());
    json::Value arr = json::Value::array();
    auto s = app.storage().read([&](store::Db& db) -> Status {
      if (auto camp = store::get_campaign(db, id); !camp) return camp.error();
      auto q = store::followup_queue(db, id, *purpose);
      if (!q) return q.error();
      for (const auto& it : *q) arr.push(item_json(it));
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    app.audit(c->account.id, id, "signups.read", std::string(to_name(*purpose)) + ": " + std::to_string(arr.size()) + " rows");
    send_json(res, json::Value(json::Object{{"signups", arr}}));
  }));

  srv.post(R"(/api/v1/signups/([0-9a-f-]{36})/followup)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string id = req.params[0];
    auto body = json_body(app, req);
    if (!body) return send_error(res, body.error());
    if (auto s = only_fields(*body, {"status", "assigned_to"}); !s) return send_error(res, s.error());
    std::optional<std::string> status, assigned;
    if (body->find("status")) {
      auto v = str_field(*body, "status", true, 32);
      if (!v) return send_error(res, v.error());
      status = *v;
    }
    if (body->find("assigned_to")) {
      auto v = str_field(*body, "assigned_to", true, 100);
      if (!v) return send_error(res, v.error());
      assigned = *v;
    }
    if (!status && !assigned) return send_error(res, Code::invalid_argument, "give status or assigned_to");
    std::string campaign;
    auto s = app.storage().write([&](store::Db& db) -> Status {
      auto r = store::set_followup(db, id, status, assigned, app.now());
      if (!r) return r.error();
      campaign = *r;
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    app.audit(c->account.id, campaign, "signup.followup", id + (status ? " " + *status : ""));
    send_json(res, json::Value(json::Object{{"ok", true}}));
  }));

  srv.get(R"(/api/v1/campaigns/([0-9a-f-]{36})/export/(followup|action_network|nationbuilder))",
          guarded([&app](Req& req, Res& res) {
            auto c = require_session(app, req, res);
            if (!c) return;
            std::string id = req.params[0], kind = req.params[1];
            Result<ConsentPurpose> purpose = ConsentPurpose::email_me;
            if (kind == "followup") purpose = purpose_param(req, true);
            if (!purpose) return send_error(res, purpose.error());
            std::string out;
            exporter::ExportStats stats;
            auto s = app.storage().read([&](store::Db& db) -> Status {
              Result<std::string> r = kind == "followup"         ? exporter::followup_csv(db, id, *purpose, &stats)
                                      : kind == "action_network" ? exporter::action_network_csv(db, id, &stats)
                                                                 : exporter::nationbuilder_csv(db, id, &stats);
              if (!r) return r.error();
              out = std::move(*r);
              return Status::Ok();
            });
            if (!s) return send_error(res, s.error());
            app.audit(c->account.id, id, "export." + kind, std::to_string(stats.rows) + " rows");
            res.set_header("Content-Disposition", "attachment; filename=\"" + kind + ".csv\"");
            res.set_content(out, "text/csv; charset=utf-8");
          }));
}

}  // namespace doorstep::server
