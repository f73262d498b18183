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

Result<std::string> turf_campaign(store::Db& db, const std::string& turf_id) {
  auto q = db.prepare("SELECT campaign_id FROM turf WHERE id=?1 AND deleted=0");
  if (!q) return q.error();
  q->bind(1, turf_id);
  auto r = q->step();
  if (!r) return r.error();
  if (!*r) return Error{Code::not_found, "no such turf"};
  return q->text(0);
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

Result<int64_t> retention_of(store::Db& db, const std::string& campaign_id) {
  auto q = db.prepare("SELECT retention_days FROM srv_campaign WHERE campaign_id=?1");
  if (!q) return q.error();
  q->bind(1, campaign_id);
  auto r = q->step();
  if (!r) return r.error();
  return *r ? q->int64(0) : int64_t{0};
}

Status set_retention(store::Db& db, const std::string& campaign_id, int64_t days) {
  auto q = db.prepare(
      "INSERT INTO srv_campaign(campaign_id, retention_days) VALUES(?1, ?2) "
      "ON CONFLICT(campaign_id) DO UPDATE SET retention_days=excluded.retention_days");
  if (!q) return q.error();
  q->bind(1, campaign_id).bind(2, days);
  return q->run();
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

// ---- progress ---------------------------------------------------------------------------------

Status progress(store::Db& db, const std::string& campaign_id, int64_t cursor, json::Value& out) {
  json::Value totals = json::Value::object();
  json::Value bands = json::Value::object();
  {
    auto q = db.prepare(
        "SELECT count(*), count(DISTINCT door_id), coalesce(sum(result='talked'),0), "
        "coalesce(sum(distance_m < 100),0), coalesce(sum(distance_m >= 100 AND distance_m <= 300),0), "
        "coalesce(sum(distance_m > 300),0), coalesce(sum(distance_m IS NULL),0), coalesce(max(rowid),0) "
        "FROM attempt WHERE campaign_id=?1");
    if (!q) return q.error();
    q->bind(1, campaign_id);
    auto r = q->step();
    if (!r) return r.error();
    int64_t attempts = q->int64(0), doors = q->int64(1), contacts = q->int64(2);
    totals.set("attempts", attempts);
    totals.set("doors_knocked", doors);
    totals.set("contacts", contacts);
    totals.set("contact_rate", doors ? static_cast<double>(contacts) / static_cast<double>(doors) : 0.0);
    bands.set("green", q->int64(3));
    bands.set("orange", q->int64(4));
    bands.set("red", q->int64(5));
    bands.set("unknown", q->int64(6));
    out.set("cursor", std::to_string(std::max(cursor, q->int64(7))));
  }
  json::Value turfs = json::Value::array();
  {
    auto q = db.prepare(
        "SELECT t.id, t.name, "
        " (SELECT count(*) FROM turf_door td WHERE td.turf_id=t.id AND td.deleted=0), "
        " count(a.id), count(DISTINCT a.door_id), coalesce(sum(a.result='talked'),0), coalesce(max(a.client_ms),0) "
        "FROM turf t LEFT JOIN attempt a ON a.turf_id=t.id WHERE t.campaign_id=?1 AND t.deleted=0 "
        "GROUP BY t.id ORDER BY t.name");
    if (!q) return q.error();
    q->bind(1, campaign_id);
    for (;;) {
      auto r = q->step();
      if (!r) return r.error();
      if (!*r) break;
      json::Value t = json::Value::object();
      t.set("id", q->text(0));
      t.set("name", q->text(1));
      t.set("doors", q->int64(2));
      t.set("attempts", q->int64(3));
      t.set("knocked", q->int64(4));
      t.set("contacts", q->int64(5));
      t.set("last_attempt_at", q->int64(6));
      turfs.push(std::move(t));
    }
  }
  // rowid only grows under SQLite's single writer, so a cursor never skips a later commit.
  json::Value recent = json::Value::array();
  {
    auto q = db.prepare(
        "SELECT rowid, turf_id, door_id, result, client_ms, distance_m FROM attempt "
        "WHERE campaign_id=?1 AND rowid>?2 ORDER BY rowid LIMIT 500");
    if (!q) return q.error();
    q->bind(1, campaign_id).bind(2, cursor);
    for (;;) {
      auto r = q->step();
      if (!r) return r.error();
      if (!*r) break;
      json::Value a = json::Value::object();
      a.set("turf_id", q->text(1));
      a.set("door_id", q->text(2));
      a.set("result", q->text(3));
      a.set("recorded_at", q->int64(4));
      a.set("distance_m", q->is_null(5) ? json::Value() : json::Value(q->real(5)));
      recent.push(std::move(a));
      out.set("cursor", std::to_string(q->int64(0)));
    }
  }
  out.set("totals", totals);
  out.set("distance_bands", bands);
  out.set("turfs", turfs);
  out.set("recent", recent);
  return Status::Ok();
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
        auto r = retention_of(db, camp.id);
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
      if (auto r = set_retention(db, camp->id, *days); !r) return r;
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
      auto r = retention_of(db, id);
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
      return set_retention(db, id, *days);
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
      auto cnt = db.prepare("SELECT count(*) FROM turf_door WHERE turf_id=?1 AND deleted=0");
      if (!cnt) return cnt.error();
      for (const auto& t : *turfs) {
        if (t.deleted) continue;
        cnt->bind(1, t.id);
        auto r = cnt->step();
        if (!r) return r.error();
        json::Value o = json::Value::object();
        o.set("id", t.id);
        o.set("name", t.name);
        o.set("status", std::string(to_name(t.status)));
        o.set("doors", cnt->int64(0));
        cnt->reset();
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
      auto cid = turf_campaign(db, turf);
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
    json::Value out = json::Value::object();
    auto s = app.storage().read([&](store::Db& db) -> Status {
      if (auto camp = store::get_campaign(db, id); !camp) return camp.error();
      return progress(db, id, *cursor, out);
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
