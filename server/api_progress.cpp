// Organizer routes for what came back from the doors: live progress by cursor, the exports (VAN,
// attempts, sign-ups, turfs), the audit log and the purge of a campaign's personal data. Exports
// and purges are audited; the report itself comes from shared/store/progress_report.h.
#include "server/app.h"
#include "server/http_errors.h"
#include "shared/io/export.h"
#include "server/link_activity.h"
#include "shared/store/campaign_store.h"
#include "shared/store/dashboard.h"
#include "shared/store/progress_report.h"
#include "shared/store/store.h"

namespace doorstep::server {

namespace {

using Req = http::Request;
using Res = http::Response;

json::Value progress_json(const store::ProgressReport& p) {
  json::Value out = json::Value::object();
  json::Value totals = json::Value::object();
  totals.set("attempts", p.attempts);
  totals.set("doors_knocked", p.doors_knocked);
  totals.set("contacts", p.contacts);
  totals.set("contact_rate", p.doors_knocked ? static_cast<double>(p.contacts) / static_cast<double>(p.doors_knocked) : 0.0);
  json::Value bands = json::Value::object();
  bands.set("green", p.green);
  bands.set("orange", p.orange);
  bands.set("red", p.red);
  bands.set("unknown", p.unknown);
  json::Value turfs = json::Value::array();
  for (const auto& t : p.turfs) {
    json::Value o = json::Value::object();
    o.set("id", t.id);
    o.set("name", t.name);
    o.set("doors", t.doors);
    o.set("attempts", t.attempts);
    o.set("knocked", t.knocked);
    o.set("contacts", t.contacts);
    o.set("last_attempt_at", t.last_attempt_at);
    turfs.push(std::move(o));
  }
  json::Value recent = json::Value::array();
  for (const auto& a : p.recent) {
    json::Value o = json::Value::object();
    o.set("turf_id", a.turf_id);
    o.set("door_id", a.door_id);
    o.set("result", a.result);
    o.set("recorded_at", a.recorded_at);
    o.set("distance_m", a.distance_m ? json::Value(*a.distance_m) : json::Value());
    recent.push(std::move(o));
  }
  out.set("cursor", std::to_string(p.cursor));
  out.set("totals", totals);
  out.set("distance_bands", bands);
  out.set("turfs", turfs);
  out.set("recent", recent);
  return out;
}

double rate(int64_t contacts, int64_t doors) {
  return doors ? static_cast<double>(contacts) / static_cast<double>(doors) : 0.0;
}

// The dashboard's part of the progress answer (docs/api.md): per canvasser rows, roster, support,
// quality flags with their records, unsafe doors.
void add_dashboard(json::Value& out, const store::Dashboard& d) {
  json::Value canvassers = json::Value::array();
  for (const auto& c : d.canvassers) {
    json::Value o = json::Value::object();
    o.set("link_id", c.link_id);
    o.set("label", c.label);
    o.set("name", c.name);
    o.set("turf_id", c.turf_id);
    o.set("doors_knocked", c.doors_knocked);
    o.set("attempts", c.attempts);
    o.set("contacts", c.contacts);
    o.set("contact_rate", rate(c.contacts, c.doors_knocked));
    o.set("signups", c.signups);
    o.set("last_attempt_at", c.last_attempt_at);
    canvassers.push(std::move(o));
  }
  json::Value roster = json::Value::array();
  for (const auto& r : d.roster) {
    json::Value o = json::Value::object();
    o.set("link_id", r.link_id);
    o.set("label", r.label);
    o.set("turf_id", r.turf_id);
    o.set("opened_at", r.opened_at);
    o.set("downloaded_at", r.downloaded_at);
    o.set("last_record_at", r.last_record_at);
    o.set("doors", r.doors);
    o.set("doors_knocked", r.doors_knocked);
    o.set("finished", r.finished);
    roster.push(std::move(o));
  }
  json::Value support = json::Value::object();
  for (int k = 0; k < 5; ++k) support.set(std::to_string(k + 1), d.support[static_cast<size_t>(k)]);
  json::Value flags = json::Value::array();
  for (const auto& f : d.flags) {
    json::Value o = json::Value::object();
    o.set("kind", f.kind);
    o.set("link_id", f.link_id);
    o.set("label", f.label);
    o.set("name", f.name);
    o.set("message", f.message);
    json::Value recs = json::Value::array();
    for (const auto& r : f.records) {
      json::Value x = json::Value::object();
      x.set("attempt_id", r.attempt_id);
      x.set("door_id", r.door_id);
      x.set("address", r.address);
      x.set("result", r.result);
      x.set("recorded_at", r.recorded_at);
      x.set("distance_m", r.distance_m ? json::Value(*r.distance_m) : json::Value());
      recs.push(std::move(x));
    }
    o.set("records", recs);
    flags.push(std::move(o));
  }
  json::Value unsafe = json::Value::array();
  for (const auto& u : d.unsafe) {
    json::Value o = json::Value::object();
    o.set("door_id", u.door_id);
    o.set("turf_id", u.turf_id);
    o.set("address", u.address);
    o.set("safety", u.safety);
    unsafe.push(std::move(o));
  }
  json::Value totals = *out.find("totals");
  totals.set("signups", d.signups);
  out.set("totals", totals);
  out.set("canvassers", canvassers);
  out.set("roster", roster);
  out.set("support", support);
  out.set("quality_flags", flags);
  out.set("unsafe", unsafe);
}

}  // namespace

void register_progress_routes(App& app, http::Router& srv) {

  srv.get(R"(/api/v1/campaigns/([0-9a-f-]{36})/export/(van|attempts|signups|turfs))",
          guarded([&app](Req& req, Res& res) {
            auto c = require_session(app, req, res);
            if (!c) return;
            std::string id = req.params[0], kind = req.params[1];
            std::string out;
            exporter::ExportStats stats;
            auto s = app.storage().read([&](store::Db& db) -> Status {
              if (auto camp = store::get_campaign(db, id); !camp) return camp.error();
              Result<std::string> r = kind == "van"        ? exporter::van_csv(db, id, &stats)
                                      : kind == "attempts" ? exporter::attempts_csv(db, id, &stats)
                                      : kind == "signups"  ? exporter::signups_csv(db, id, &stats)
                                                           : exporter::turfs_geojson(db, id, &stats);
              if (!r) return r.error();
              out = std::move(*r);
              return Status::Ok();
            });
            if (!s) return send_error(res, s.error());
            // Exports carry personal data: every one is in the audit log.
            app.audit(c->account.id, id, "export." + kind, std::to_string(stats.rows) + " rows");
            bool geo = kind == "turfs";
            res.set_header("Content-Disposition",
                           "attachment; filename=\"" + kind + (geo ? ".geojson" : ".csv") + "\"");
            res.set_content(out, geo ? "application/geo+json" : "text/csv; charset=utf-8");
          }));


  srv.get(R"(/api/v1/campaigns/([0-9a-f-]{36})/progress)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string id = req.params[0];
    auto cursor = int_query(req, "cursor", 0, INT64_MAX, 0);
    if (!cursor) return send_error(res, cursor.error());
    json::Value out;
    auto s = app.storage().read([&](store::Db& db) -> Status {
      if (auto camp = store::get_campaign(db, id); !camp) return camp.error();
      auto p = store::progress_report(db, id, *cursor);
      if (!p) return p.error();
      out = progress_json(*p);
      auto links = crew_links(db, id);
      if (!links) return links.error();
      auto clients = client_links(db, id);
      if (!clients) return clients.error();
      auto d = store::dashboard(db, id, *links, *clients);
      if (!d) return d.error();
      add_dashboard(out, *d);
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    send_json(res, out);
  }));

  // The results map: every knocked, located door's latest result.
  srv.get(R"(/api/v1/campaigns/([0-9a-f-]{36})/results)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string id = req.params[0];
    json::Value doors = json::Value::array();
    auto s = app.storage().read([&](store::Db& db) -> Status {
      if (auto camp = store::get_campaign(db, id); !camp) return camp.error();
      auto r = store::door_results(db, id);
      if (!r) return r.error();
      for (const auto& d : *r) {
        json::Value o = json::Value::object();
        o.set("id", d.door_id);
        o.set("lat", d.lat);
        o.set("lon", d.lon);
        o.set("result", d.result);
        o.set("at", d.at);
        doors.push(std::move(o));
      }
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    send_json(res, json::Value(json::Object{{"doors", doors}}));
  }));

  srv.get(R"(/api/v1/campaigns/([0-9a-f-]{36})/audit)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    auto after = int_query(req, "after", 0, INT64_MAX, 0);
    if (!after) return send_error(res, after.error());
    auto entries = app.storage().audit_after(req.params[0], *after, 500);
    if (!entries) return send_error(res, entries.error());
    json::Value arr = json::Value::array();
    for (const auto& e : *entries) {
      json::Value o = json::Value::object();
      o.set("seq", e.seq);
      o.set("at", e.at);
      o.set("account", e.account_id);
      o.set("action", e.action);
      o.set("detail", e.detail);
      arr.push(std::move(o));
    }
    send_json(res, json::Value(json::Object{{"entries", arr}}));
  }));

  srv.post(R"(/api/v1/campaigns/([0-9a-f-]{36})/purge)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string id = req.params[0];
    auto body = json_body(app, req);
    if (!body) return send_error(res, body.error());
    if (auto s = only_fields(*body, {"confirm"}); !s) return send_error(res, s.error());
    auto confirm = str_field(*body, "confirm", true, 200);
    if (!confirm) return send_error(res, confirm.error());
    int64_t people = 0;
    auto s = app.storage().write([&](store::Db& db) -> Status {
      auto camp = store::get_campaign(db, id);
      if (!camp) return camp.error();
      // Typing the campaign's name guards against purging the wrong campaign by a stale screen.
      if (*confirm != camp->name) return Error{Code::invalid_argument, "confirm: type the campaign's name"};
      auto n = purge_personal_data(db, id, app.now());
      if (!n) return n.error();
      people = *n;
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    app.audit(c->account.id, id, "campaign.purge", std::to_string(people) + " people");
    send_json(res, json::Value(json::Object{{"people_purged", people}}));
  }));
}

}  // namespace doorstep::server
