// Organizer routes for turfs: list a campaign's turfs, draw one as a polygon (the doors inside it,
// in address order), and cut turfs automatically (turf_builder.h). Leaves out links (api_links.cpp).
#include <algorithm>

#include "server/app.h"
#include "server/http_errors.h"
#include "server/turf_builder.h"
#include "shared/base/geo.h"
#include "shared/store/campaign_store.h"
#include "shared/store/store.h"

namespace doorstep::server {

namespace {

using Req = http::Request;
using Res = http::Response;

}  // namespace

void register_turf_routes(App& app, http::Router& srv) {
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

  // The printable walk list of a handout: doors in walk order with residents' names only (no
  // party, age, phone or email: paper gets lost). Audited, since names are personal data.
  srv.get(R"(/api/v1/turfs/([0-9a-f-]{36})/walklist)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string id = req.params[0], campaign;
    json::Value out = json::Value::object();
    auto s = app.storage().read([&](store::Db& db) -> Status {
      auto cid = store::turf_campaign_id(db, id);
      if (!cid) return cid.error();
      campaign = *cid;
      auto turfs = store::list_turfs(db, campaign);
      if (!turfs) return turfs.error();
      for (const auto& t : *turfs) {
        if (t.id != id) continue;
        json::Value jt = json::Value::object();
        jt.set("id", t.id);
        jt.set("name", t.name);
        auto poly = json::parse(t.polygon_geojson);
        jt.set("polygon", poly ? *poly : json::Value());
        out.set("turf", jt);
      }
      auto walk = store::turf_walk_list(db, id);
      if (!walk) return walk.error();
      json::Value doors = json::Value::array();
      int64_t order = 0;
      for (const auto& stop : *walk) {
        json::Value d = json::Value::object();
        d.set("id", stop.door.id);
        d.set("order", ++order);
        d.set("address", stop.door.address);
        d.set("lat", stop.door.lat ? json::Value(*stop.door.lat) : json::Value());
        d.set("lon", stop.door.lon ? json::Value(*stop.door.lon) : json::Value());
        json::Value people = json::Value::array();
        for (const auto& p : stop.people)
          people.push(json::Value(json::Object{{"first_name", p.first_name}, {"last_name", p.last_name}}));
        d.set("people", people);
        doors.push(std::move(d));
      }
      out.set("doors", doors);
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    app.audit(c->account.id, campaign, "walklist.read", id);
    send_json(res, out);
  }));
}

}  // namespace doorstep::server
