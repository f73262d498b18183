// Organizer routes for the script and survey editor: read the current document, save a new
// version (shared/canvass/survey_editor.h checks and writes it). Saves are audited. Leaves out
// how phones switch versions (the package's survey_version; the phone re-fetches between doors).
#include "server/app.h"
#include "server/http_errors.h"
#include "shared/canvass/survey_editor.h"
#include "shared/store/store.h"

namespace doorstep::server {

void register_survey_routes(App& app, http::Router& srv) {
  srv.get(R"(/api/v1/campaigns/([0-9a-f-]{36})/survey)", guarded([&app](http::Request& req, http::Response& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    json::Value out;
    auto s = app.storage().read([&](store::Db& db) -> Status {
      auto d = canvass::survey_document(db, req.params[0]);
      if (!d) return d.error();
      out = std::move(*d);
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    send_json(res, out);
  }));

  srv.post(R"(/api/v1/campaigns/([0-9a-f-]{36})/survey)", guarded([&app](http::Request& req, http::Response& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string id = req.params[0];
    auto body = json_body(app, req);
    if (!body) return send_error(res, body.error());
    if (auto s = only_fields(*body, {"base_version", "script", "survey"}); !s) return send_error(res, s.error());
    auto base = int_field(*body, "base_version", true, 0, INT64_MAX);
    if (!base) return send_error(res, base.error());
    canvass::SaveSurvey in;
    in.base_version = *base;
    const json::Value* script = body->find("script");
    const json::Value* survey = body->find("survey");
    if (!script || !survey) return send_error(res, Code::invalid_argument, "script and survey are required");
    in.script = *script;
    in.survey = *survey;
    in.saved_by = c->account.id;
    in.now_ms = app.now();
    in.hlc = app.next_hlc();
    json::Value out;
    auto s = app.storage().write([&](store::Db& db) -> Status {
      auto d = canvass::save_survey(db, id, in);
      if (!d) return d.error();
      out = std::move(*d);
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    app.audit(c->account.id, id, "survey.save", "version " + std::to_string(out.find("survey_version")->as_int()));
    send_json(res, out);
  }));
}

}  // namespace doorstep::server
