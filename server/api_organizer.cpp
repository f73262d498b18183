// Organizer routes (session cookie + CSRF): sign-in and accounts, campaigns, turfs drawn as
// polygons, canvasser links, live progress by cursor, the audit log and the retention purge.
// Leaves out the canvasser side (api_canvass.cpp) and the import/export formats (shared/).
// Every read of personal data and every link or data movement is written to the audit log.
#include <algorithm>
#include <cmath>

#include "server/app.h"
#include "server/http_errors.h"
#include "server/links.h"
#include "server/turf_builder.h"
#include "shared/store/campaign_store.h"
#include "shared/io/export.h"
#include "shared/base/geo.h"
#include "shared/io/importer.h"
#include "shared/store/progress_report.h"
#include "shared/store/store.h"

namespace doorstep::server {

namespace {

using Req = http::Request;
using Res = http::Response;

json::Value account_json(const Account& a) {
  json::Value o = json::Value::object();
  o.set("id", a.id);
  o.set("email", a.email);
  o.set("role", a.role);
  o.set("has_password", !a.pwhash.empty());
  return o;
}

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

// Sign-in requests carry no session yet, so only the same-origin checks apply to them.
bool same_origin(const Req& req, Res& res) {
  std::string site = req.header("Sec-Fetch-Site");
  std::string origin = req.header("Origin");
  auto p = origin.find("://");
  bool cross = (!site.empty() && site != "same-origin" && site != "none") ||
               (!origin.empty() && (p == std::string::npos ? origin : origin.substr(p + 3)) != req.header("Host"));
  if (cross) send_error(res, Code::forbidden, "cross-origin request refused");
  return !cross;
}

void answer_signed_in(App& app, Res& res, const SignedIn& s) {
  std::string cookie = "ds_session=" + s.session_token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                       std::to_string((s.expires_at - app.now()) / 1000);
  if (app.config().secure_cookies) cookie += "; Secure";
  res.set_header("Set-Cookie", cookie);
  json::Value o = json::Value::object();
  o.set("account", account_json(s.account));
  o.set("csrf_token", s.csrf);
  o.set("expires_at", s.expires_at);
  send_json(res, o);
}

void send_rate_limited(Res& res, int64_t ms, const Error& e) {
  res.set_header("Retry-After", std::to_string(std::max<int64_t>(1, (ms + 999) / 1000)));
  send_error(res, e);
}

json::Value campaign_json(const Campaign& c, int64_t retention_days) {
  json::Value o = json::Value::object();
  o.set("id", c.id);
  o.set("name", c.name);
  o.set("time_zone", c.time_zone);
  o.set("created_at", c.created_ms);
  o.set("retention_days", retention_days);
  return o;
}

std::string param(const Req& req, const char* name) { return req.query_value(name); }

Result<int64_t> int_param(const Req& req, const char* name, int64_t lo, int64_t hi, int64_t dflt) {
  std::string v = param(req, name);
  if (v.empty()) return dflt;
  if (v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos)
    return Error{Code::invalid_argument, std::string(name) + ": a non-negative integer"};
  int64_t n = std::stoll(v);
  if (n < lo || n > hi) return Error{Code::invalid_argument, std::string(name) + ": out of range"};
  return n;
}

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

}  // namespace

void register_organizer_routes(App& app, http::Router& srv) {
  // ---- auth -------------------------------------------------------------------------------------
  srv.post("/api/v1/auth/signin", guarded([&app](Req& req, Res& res) {
    if (!same_origin(req, res)) return;
    auto body = json_body(app, req);
    if (!body) return send_error(res, body.error());
    if (auto s = only_fields(*body, {"email", "password"}); !s) return send_error(res, s.error());
    auto email = str_field(*body, "email", true, 254);
    if (!email) return send_error(res, email.error());
    auto pw = str_field(*body, "password", true, 1024);
    if (!pw) return send_error(res, pw.error());
    auto s = app.auth().sign_in(*email, *pw);
    if (!s) {
      if (s.error().code == Code::rate_limited) return send_rate_limited(res, app.auth().retry_after_ms(*email), s.error());
      return send_error(res, s.error());
    }
    answer_signed_in(app, res, *s);
  }));

  srv.post("/api/v1/auth/link", guarded([&app](Req& req, Res& res) {
    if (!same_origin(req, res)) return;
    auto body = json_body(app, req);
    if (!body) return send_error(res, body.error());
    if (auto s = only_fields(*body, {"token"}); !s) return send_error(res, s.error());
    auto token = str_field(*body, "token", true, 64);
    if (!token) return send_error(res, token.error());
    // One-time sign-in tokens share the guessing limit of canvasser tokens.
    std::string bucket = "s:" + token->substr(0, 4);
    if (int64_t ms = app.token_limiter().retry_after_ms(bucket, app.now()); ms > 0)
      return send_rate_limited(res, ms, Error{Code::rate_limited, "too many unknown sign-in links tried"});
    auto s = app.auth().sign_in_with_token(*token);
    if (!s) {
      app.token_limiter().failure(bucket, app.now());
      return send_error(res, s.error());
    }
    answer_signed_in(app, res, *s);
  }));

  srv.get("/api/v1/auth/me", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    json::Value o = json::Value::object();
    o.set("account", account_json(c->account));
    o.set("csrf_token", c->session.csrf);
    o.set("expires_at", c->session.expires_at);
    send_json(res, o);
  }));

  srv.post("/api/v1/auth/password", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    auto body = json_body(app, req);
    if (!body) return send_error(res, body.error());
    if (auto s = only_fields(*body, {"password"}); !s) return send_error(res, s.error());
    auto pw = str_field(*body, "password", true, 1024);
    if (!pw) return send_error(res, pw.error());
    if (auto s = app.auth().set_password(c->account.id, *pw); !s) return send_error(res, s.error());
    app.audit(c->account.id, "", "account.password", "");
    send_json(res, json::Value(json::Object{{"ok", true}}));
  }));

  srv.post("/api/v1/auth/signout", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string cookie = req.header("Cookie");
    auto p = cookie.find("ds_session=");
    if (p != std::string::npos) app.auth().sign_out(cookie.substr(p + 11, cookie.find(';', p) - p - 11));
    res.set_header("Set-Cookie", "ds_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    send_json(res, json::Value(json::Object{{"ok", true}}));
  }));

  srv.get("/api/v1/accounts", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    if (c->account.role != "admin") return send_error(res, Code::forbidden, "admins only");
    auto all = app.storage().accounts();
    if (!all) return send_error(res, all.error());
    json::Value arr = json::Value::array();
    for (const auto& a : *all) arr.push(account_json(a));
    send_json(res, json::Value(json::Object{{"accounts", arr}}));
  }));

  srv.post("/api/v1/accounts", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    if (c->account.role != "admin") return send_error(res, Code::forbidden, "admins only");
    auto body = json_body(app, req);
    if (!body) return send_error(res, body.error());
    if (auto s = only_fields(*body, {"email", "role"}); !s) return send_error(res, s.error());
    auto email = str_field(*body, "email", true, 254);
    if (!email) return send_error(res, email.error());
    auto role = str_field(*body, "role", false, 16, "organizer");
    if (!role) return send_error(res, role.error());
    auto a = app.auth().create_account(*email, *role);
    if (!a) return send_error(res, a.error());
    auto t = app.auth().new_signin_token(a->id);
    if (!t) return send_error(res, t.error());
    app.audit(c->account.id, "", "account.create", a->id);
    json::Value o = json::Value::object();
    o.set("account", account_json(*a));
    o.set("signin_url", app.signin_url(*t, req.header("Host")));
    send_json(res, o);
  }));

  // ---- campaigns --------------------------------------------------------------------------------
  srv.get("/api/v1/campaigns", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    json::Value arr = json::Value::array();
    auto s = app.storage().read([&](store::Db& db) -> Status {
      auto all = store::list_campaigns(db);
      if (!all) return all.error();
      for (const auto& camp : *all) {
        auto r = retention_days(db, camp.id);
        if (!r) return r.error();
        arr.push(campaign_json(camp, *r));
      }
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    send_json(res, json::Value(json::Object{{"campaigns", arr}}));
  }));

  srv.post("/api/v1/campaigns", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    auto body = json_body(app, req);
    if (!body) return send_error(res, body.error());
    if (auto s = only_fields(*body, {"name", "time_zone", "retention_days"}); !s) return send_error(res, s.error());
    auto name = str_field(*body, "name", true, 200);
    if (!name) return send_error(res, name.error());
    if (name->empty()) return send_error(res, Code::invalid_argument, "name: required");
    auto tz = str_field(*body, "time_zone", false, 64, "America/Los_Angeles");
    if (!tz) return send_error(res, tz.error());
    auto days = int_field(*body, "retention_days", false, 0, 3650, 0);
    if (!days) return send_error(res, days.error());
    json::Value out;
    Hlc hlc = app.next_hlc();
    auto s = app.storage().write([&](store::Db& db) -> Status {
      auto all = store::list_campaigns(db);
      if (!all) return all.error();
      for (const auto& x : *all)
        if (x.name == *name) return Error{Code::conflict, "a campaign with this name exists"};
      auto camp = store::ensure_campaign(db, *name, hlc, app.now(), *tz);
      if (!camp) return camp.error();
      if (auto r = set_retention_days(db, camp->id, *days); !r) return r;
      out = campaign_json(*camp, *days);
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    app.audit(c->account.id, out.find("id")->as_string(), "campaign.create", "");
    send_json(res, json::Value(json::Object{{"campaign", out}}));
  }));

  srv.get(R"(/api/v1/campaigns/([0-9a-f-]{36}))", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string id = req.params[0];
    json::Value out = json::Value::object();
    auto s = app.storage().read([&](store::Db& db) -> Status {
      auto camp = store::get_campaign(db, id);
      if (!camp) return camp.error();
      auto r = retention_days(db, id);
      if (!r) return r.error();
      auto n = store::count_campaign(db, id);
      if (!n) return n.error();
      out.set("campaign", campaign_json(*camp, *r));
      json::Value counts = json::Value::object();
      counts.set("people", n->people);
      counts.set("doors", n->doors);
      counts.set("buildings", n->buildings);
      counts.set("geocoded_doors", n->geocoded_doors);
      counts.set("attempts", n->attempts);
      out.set("counts", counts);
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    send_json(res, out);
  }));

  srv.post(R"(/api/v1/campaigns/([0-9a-f-]{36})/settings)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string id = req.params[0];
    auto body = json_body(app, req);
    if (!body) return send_error(res, body.error());
    if (auto s = only_fields(*body, {"retention_days"}); !s) return send_error(res, s.error());
    auto days = int_field(*body, "retention_days", true, 0, 3650);
    if (!days) return send_error(res, days.error());
    auto s = app.storage().write([&](store::Db& db) -> Status {
      if (auto camp = store::get_campaign(db, id); !camp) return camp.error();
      return set_retention_days(db, id, *days);
    });
    if (!s) return send_error(res, s.error());
    app.audit(c->account.id, id, "campaign.retention", std::to_string(*days));
    send_json(res, json::Value(json::Object{{"ok", true}}));
  }));

  // ---- turfs ------------------------------------------------------------------------------------
  srv.get(R"(/api/v1/campaigns/([0-9a-f-]{36})/turfs)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string id = req.params[0];
    json::Value arr = json::Value::array();
    auto s = app.storage().read([&](store::Db& db) -> Status {
      auto turfs = store::list_turfs(db, id);
      if (!turfs) return turfs.error();
      for (const auto& t : *turfs) {
        if (t.deleted) continue;
        auto doors = store::count_turf_doors(db, t.id);
        if (!doors) return doors.error();
        json::Value o = json::Value::object();
        o.set("id", t.id);
        o.set("name", t.name);
        o.set("status", std::string(to_name(t.status)));
        o.set("doors", *doors);
        auto poly = json::parse(t.polygon_geojson);
        o.set("polygon", poly ? *poly : json::Value());
        arr.push(std::move(o));
      }
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    send_json(res, json::Value(json::Object{{"turfs", arr}}));
  }));

  srv.post(R"(/api/v1/campaigns/([0-9a-f-]{36})/turfs)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string id = req.params[0];
    auto body = json_body(app, req);
    if (!body) return send_error(res, body.error());
    if (auto s = only_fields(*body, {"name", "polygon"}); !s) return send_error(res, s.error());
    auto name = str_field(*body, "name", true, 200);
    if (!name) return send_error(res, name.error());
    const json::Value* poly = body->find("polygon");
    if (!poly) return send_error(res, Code::invalid_argument, "polygon: required");
    auto mp = geo::multipolygon_from_geojson(*poly);
    if (!mp) return send_error(res, Code::invalid_argument, "polygon: " + mp.error().message);
    Hlc hlc = app.next_hlc();
    json::Value out = json::Value::object();
    auto s = app.storage().write([&](store::Db& db) -> Status {
      if (auto camp = store::get_campaign(db, id); !camp) return camp.error();
      auto doors = store::list_doors(db, id);
      if (!doors) return doors.error();
      std::vector<const Door*> inside;
      for (const auto& d : *doors)
        if (!d.deleted && d.lat && d.lon && geo::contains(*mp, geo::fix_of(*d.lat, *d.lon))) inside.push_back(&d);
      // Until a route is computed, walk by normalised address (street, then house number).
      std::sort(inside.begin(), inside.end(), [](const Door* a, const Door* b) { return a->address_key < b->address_key; });
      Turf t;
      t.campaign_id = id;
      t.name = *name;
      t.polygon_geojson = json::dump(geo::to_geojson(*mp));
      t.status = TurfStatus::open;
      auto up = store::upsert_turf(db, t, hlc);
      if (!up) return up.error();
      std::vector<std::string> ids;
      for (const Door* d : inside) ids.push_back(d->id);
      if (auto r = store::set_turf_doors(db, up->id, ids, hlc); !r) return r;
      out.set("id", up->id);
      out.set("name", *name);
      out.set("status", "open");
      out.set("doors", static_cast<int64_t>(ids.size()));
      out.set("polygon", geo::to_geojson(*mp));
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    app.audit(c->account.id, id, "turf.create", out.find("id")->as_string());
    send_json(res, json::Value(json::Object{{"turf", out}}));
  }));

  srv.post(R"(/api/v1/campaigns/([0-9a-f-]{36})/turfs/auto)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string id = req.params[0];
    auto body = json_body(app, req);
    if (!body) return send_error(res, body.error());
    if (auto s = only_fields(*body, {"target_doors"}); !s) return send_error(res, s.error());
    auto target = int_field(*body, "target_doors", true, 5, 2000);
    if (!target) return send_error(res, target.error());
    json::Value arr = json::Value::array();
    auto s = app.storage().write([&](store::Db& db) -> Status {
      if (auto camp = store::get_campaign(db, id); !camp) return camp.error();
      auto built = build_turfs(db, app, id, static_cast<int>(*target));
      if (!built) return built.error();
      for (const auto& t : *built) {
        json::Value o = json::Value::object();
        o.set("id", t.id);
        o.set("name", t.name);
        o.set("doors", static_cast<int64_t>(t.doors));
        arr.push(std::move(o));
      }
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    app.audit(c->account.id, id, "turf.auto", std::to_string(arr.size()) + " turfs");
    send_json(res, json::Value(json::Object{{"turfs", arr}}));
  }));

  // ---- universe upload and exports ---------------------------------------------------------------
  // The file is the body (CSV or TSV, up to the body limit; larger universes go through
  // `doorstep import` on the console). The import runs alone on the writer connection.
  srv.post(R"(/api/v1/campaigns/([0-9a-f-]{36})/universe)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string id = req.params[0];
    std::string preset = param(req, "preset");
    if (preset.size() > 500) return send_error(res, Code::invalid_argument, "preset: too long");
    std::string replace = param(req, "replace");
    if (!replace.empty() && replace != "true" && replace != "false")
      return send_error(res, Code::invalid_argument, "replace: true or false");
    auto file = req.body(app.config().max_body_bytes);
    if (!file) return send_error(res, file.error());
    if (file->empty()) return send_error(res, Code::invalid_argument, "the body must hold the file");
    json::Value report;
    auto s = app.storage().exclusive([&](store::Db& db) -> Status {
      auto camp = store::get_campaign(db, id);
      if (!camp) return camp.error();
      importer::Options o;
      o.campaign = camp->name;
      o.preset = preset;
      o.replace = replace == "true";
      o.file_name = param(req, "file_name").substr(0, 200);
      o.now_ms = app.now();
      o.node = "server";
      importer::Importer imp(db, o);
      if (auto p = imp.push(*file); !p) return p;
      auto r = imp.finish();
      if (!r) return r.error();
      report = r->to_json();
      return Status::Ok();
    });
    if (!s) {
      // Importer failures are about the file (no preset for its header, a row over the limits).
      Error e = s.error();
      if (e.code == Code::internal || e.code == Code::not_found || e.code == Code::io || e.code == Code::corrupt)
        return send_error(res, e);
      e.code = e.code == Code::too_large ? Code::too_large : Code::invalid_argument;
      return send_error(res, e);
    }
    app.audit(c->account.id, id, "universe.import", std::to_string(file->size()) + " bytes");
    send_json(res, report);
  }));

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

  // ---- links ------------------------------------------------------------------------------------
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

  // ---- progress, audit, purge -------------------------------------------------------------------
  srv.get(R"(/api/v1/campaigns/([0-9a-f-]{36})/progress)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string id = req.params[0];
    auto cursor = int_param(req, "cursor", 0, INT64_MAX, 0);
    if (!cursor) return send_error(res, cursor.error());
    json::Value out;
    auto s = app.storage().read([&](store::Db& db) -> Status {
      if (auto camp = store::get_campaign(db, id); !camp) return camp.error();
      auto p = store::progress_report(db, id, *cursor);
      if (!p) return p.error();
      out = progress_json(*p);
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    send_json(res, out);
  }));

  srv.get(R"(/api/v1/campaigns/([0-9a-f-]{36})/audit)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    auto after = int_param(req, "after", 0, INT64_MAX, 0);
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
