// Organizer route for paper tallies: the results of a printed handout typed in against its turf
// (shared/store/paper_tally.h), counted like phone records. Audited with the count only.
#include "server/app.h"
#include "server/http_errors.h"
#include "shared/base/json.h"
#include "shared/store/campaign_store.h"
#include "shared/store/paper_tally.h"
#include "shared/store/store.h"

namespace doorstep::server {

void register_paper_routes(App& app, http::Router& srv) {
  srv.post(R"(/api/v1/turfs/([0-9a-f-]{36})/paper)", guarded([&app](http::Request& req, http::Response& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string turf = req.params[0];
    auto body = json_body(app, req);
    if (!body) return send_error(res, body.error());
    if (auto s = only_fields(*body, {"canvasser", "entries"}); !s) return send_error(res, s.error());
    auto canvasser = str_field(*body, "canvasser", false, 100);
    if (!canvasser) return send_error(res, canvasser.error());
    const json::Value* list = body->find("entries");
    if (!list || !list->is_array()) return send_error(res, Code::invalid_argument, "entries: an array");
    if (list->size() > 2000) return send_error(res, Code::too_large, "entries: at most 2000 per sheet");
    std::vector<store::PaperEntry> entries;
    for (size_t i = 0; i < list->size(); ++i) {
      const json::Value& e = list->as_array()[i];
      std::string what = "entries[" + std::to_string(i) + "]";
      if (!e.is_object()) return send_error(res, Code::invalid_argument, what + ": an object");
      if (auto s = only_fields(e, {"door_id", "result", "answers"}); !s) return send_error(res, s.error());
      auto door = str_field(e, "door_id", true, 64);
      if (!door) return send_error(res, door.error());
      auto result = str_field(e, "result", true, 32);
      if (!result) return send_error(res, result.error());
      store::PaperEntry pe{*door, *result, "{}"};
      if (const json::Value* a = e.find("answers")) pe.answers_json = json::dump(*a);
      entries.push_back(std::move(pe));
    }
    int64_t n = 0;
    std::string campaign;
    auto s = app.storage().write([&](store::Db& db) -> Status {
      auto cid = store::turf_campaign_id(db, turf);
      if (!cid) return cid.error();
      campaign = *cid;
      auto r = store::record_paper_tally(db, turf, *canvasser, entries, app.now(), app.next_hlc());
      if (!r) return r.error();
      n = *r;
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    app.audit(c->account.id, campaign, "paper.enter", std::to_string(n) + " doors");
    send_json(res, json::Value(json::Object{{"recorded", n}}));
  }));
}

}  // namespace doorstep::server
