// Organizer routes for turfs: list a campaign's turfs with their figures and warnings, draw one as
// a polygon, reshape or rename it, split it along a line, merge several, delete it (archived when
// it has records), cut turfs automatically (turf_builder.h), a turf's route, the nearest turf
// nobody holds, and the preview package. Leaves out links (api_links.cpp) and the geometry
// (shared/route/turf_shape.h) and row work (turf_edit.h).
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "server/app.h"
#include "server/http_errors.h"
#include "server/turf_builder.h"
#include "server/turf_edit.h"
#include "shared/base/geo.h"
#include "shared/canvass/turf_package.h"
#include "shared/route/turf_shape.h"
#include "shared/store/campaign_store.h"
#include "shared/store/store.h"

namespace doorstep::server {

namespace {

using Req = http::Request;
using Res = http::Response;

constexpr int64_t kMaxDrawnDoors = 5000;  // a turf is a shift or two; more is a county drawn by mistake
constexpr size_t kMaxMerge = 50;
constexpr int64_t kPreviewMs = 3600 * 1000;

double round_to(double v, double step) { return std::round(v / step) * step; }

json::Value polygon_json(const std::string& geojson) {
  auto poly = json::parse(geojson);
  return poly ? *poly : json::Value();
}

json::Value turf_json(const StoredTurf& t) {
  json::Value o = json::Value::object();
  o.set("id", t.id);
  o.set("name", t.name);
  o.set("status", "open");
  o.set("doors", t.doors);
  o.set("people", t.people);
  o.set("route_m", round_to(t.route_m, 1));
  o.set("minutes", round_to(t.minutes, 0.1));
  o.set("polygon", geo::to_geojson(t.polygon));
  return o;
}

json::Value retired_json(const std::string& id, const Retired& r) {
  json::Value o = json::Value::object();
  o.set("id", id);
  o.set("archived", r.archived);
  o.set("links_ended", r.links_ended);
  return o;
}

// A drawn outline from the body's member: GeoJSON polygon, checked for the shapes that lose work.
Result<geo::MultiPolygon> outline(const json::Value& body, const char* field, const turf_shape::Limits& lim) {
  const json::Value* poly = body.find(field);
  if (!poly) return Error{Code::invalid_argument, std::string(field) + ": required"};
  auto mp = geo::multipolygon_from_geojson(*poly);
  if (!mp) return Error{Code::invalid_argument, std::string(field) + ": " + mp.error().message};
  if (auto s = turf_shape::check(*mp, lim); !s) return Error{Code::invalid_argument, std::string(field) + ": " + s.error().message};
  return mp;
}

Result<std::vector<const Door*>> capped(const std::vector<Door>& doors) {
  if (static_cast<int64_t>(doors.size()) > kMaxDrawnDoors)
    return Error{Code::invalid_argument, "polygon: holds " + std::to_string(doors.size()) + " doors; a turf holds at most " +
                                             std::to_string(kMaxDrawnDoors) + " (cut a large area with turfs/auto)"};
  std::vector<const Door*> out;
  for (const auto& d : doors) out.push_back(&d);
  return out;
}

// The live, placed door rows of a turf.
Result<std::vector<Door>> turf_doors(store::Db& db, const std::string& turf_id) {
  auto ids = turf_door_ids(db, turf_id);
  if (!ids) return ids.error();
  std::vector<Door> out;
  for (const auto& id : *ids) {
    auto d = store::get_door(db, id);
    if (!d) return d.error();
    if (!d->deleted && d->lat && d->lon) out.push_back(std::move(*d));
  }
  return out;
}

// A live turf that may be edited: not archived, in `campaign` when given.
Result<Turf> editable(store::Db& db, const std::string& id, const std::string& campaign = "") {
  auto t = get_turf(db, id, campaign);
  if (!t) return t.error();
  if (!is_live(*t)) return Error{Code::invalid_argument, "turf " + id + " is archived; it cannot be changed"};
  return t;
}

Result<std::vector<AttemptResult>> results_field(const json::Value& body) {
  const json::Value* v = body.find("results");
  if (!v) return std::vector<AttemptResult>{AttemptResult::not_home, AttemptResult::come_back};
  if (!v->is_array() || v->size() == 0 || v->size() > 9) return Error{Code::invalid_argument, "results: a list of result names"};
  std::vector<AttemptResult> out;
  for (const auto& r : v->as_array()) {
    auto a = r.is_string() ? attempt_result_from_name(r.as_string()) : std::nullopt;
    if (!a) return Error{Code::invalid_argument, "results: unknown result " + (r.is_string() ? r.as_string() : json::dump(r))};
    out.push_back(*a);
  }
  return out;
}

Result<std::vector<std::string>> id_list(const json::Value& body, const char* field, size_t min_n, size_t max_n) {
  const json::Value* v = body.find(field);
  if (!v || !v->is_array() || v->size() < min_n || v->size() > max_n)
    return Error{Code::invalid_argument, std::string(field) + ": a list of " + std::to_string(min_n) + " to " +
                                             std::to_string(max_n) + " turf ids"};
  std::vector<std::string> out;
  for (const auto& x : v->as_array()) {
    if (!x.is_string() || x.as_string().size() != 36) return Error{Code::invalid_argument, std::string(field) + ": turf ids"};
    if (std::find(out.begin(), out.end(), x.as_string()) != out.end())
      return Error{Code::invalid_argument, std::string(field) + ": " + x.as_string() + " is listed twice"};
    out.push_back(x.as_string());
  }
  return out;
}

}  // namespace

void register_turf_routes(App& app, http::Router& srv) {
  srv.get(R"(/api/v1/campaigns/([0-9a-f-]{36})/turfs)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string id = req.params[0];
    std::string archived = req.query_value("archived");
    if (!archived.empty() && archived != "true" && archived != "false")
      return send_error(res, Code::invalid_argument, "archived: true or false");
    json::Value arr = json::Value::array();
    json::Value warnings;
    auto s = app.storage().read([&](store::Db& db) -> Status {
      if (auto camp = store::get_campaign(db, id); !camp) return camp.error();
      auto turfs = store::list_turfs(db, id);
      if (!turfs) return turfs.error();
      auto pace = campaign_pace(db, id);
      if (!pace) return pace.error();
      auto routes = turf_routes(db, id, *pace);
      if (!routes) return routes.error();
      std::map<std::string, const TurfRoute*> by_id;
      for (const auto& r : *routes) by_id[r.turf_id] = &r;
      for (const auto& t : *turfs) {
        if (t.deleted || (!is_live(t) && archived != "true")) continue;
        auto doors = store::count_turf_doors(db, t.id);
        if (!doors) return doors.error();
        auto r = by_id.find(t.id);
        json::Value o = json::Value::object();
        o.set("id", t.id);
        o.set("name", t.name);
        o.set("status", std::string(to_name(t.status)));
        o.set("doors", *doors);
        o.set("people", r == by_id.end() ? int64_t{0} : r->second->people);
        o.set("route_m", r == by_id.end() ? 0.0 : round_to(r->second->length_m, 1));
        o.set("minutes", r == by_id.end() ? 0.0 : round_to(r->second->minutes, 0.1));
        o.set("polygon", polygon_json(t.polygon_geojson));
        arr.push(std::move(o));
      }
      auto w = turf_warnings(db, id);
      if (!w) return w.error();
      warnings = to_json(*w);
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    send_json(res, json::Value(json::Object{{"turfs", arr}, {"warnings", warnings}}));
  }));

  srv.get(R"(/api/v1/campaigns/([0-9a-f-]{36})/turfs/warnings)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string id = req.params[0];
    json::Value out;
    auto s = app.storage().read([&](store::Db& db) -> Status {
      if (auto camp = store::get_campaign(db, id); !camp) return camp.error();
      auto w = turf_warnings(db, id);
      if (!w) return w.error();
      out = to_json(*w);
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    send_json(res, json::Value(json::Object{{"warnings", out}}));
  }));

  // A drawn turf: the doors inside the outline, in walk order.
  srv.post(R"(/api/v1/campaigns/([0-9a-f-]{36})/turfs)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string id = req.params[0];
    auto body = json_body(app, req);
    if (!body) return send_error(res, body.error());
    if (auto s = only_fields(*body, {"name", "polygon"}); !s) return send_error(res, s.error());
    auto name = str_field(*body, "name", true, 200);
    if (!name) return send_error(res, name.error());
    if (name->empty()) return send_error(res, Code::invalid_argument, "name: required");
    auto mp = outline(*body, "polygon", {});
    if (!mp) return send_error(res, mp.error());
    json::Value out, warnings;
    auto s = app.storage().write([&](store::Db& db) -> Status {
      if (auto camp = store::get_campaign(db, id); !camp) return camp.error();
      auto inside = doors_inside(db, id, *mp);
      if (!inside) return inside.error();
      auto ptrs = capped(*inside);
      if (!ptrs) return ptrs.error();
      auto st = store_turf(db, app, id, "", *name, *mp, *ptrs);
      if (!st) return st.error();
      out = turf_json(*st);
      auto w = turf_warnings(db, id);
      if (!w) return w.error();
      warnings = to_json(*w);
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    app.audit(c->account.id, id, "turf.create", out.find("id")->as_string());
    send_json(res, json::Value(json::Object{{"turf", out}, {"warnings", warnings}}));
  }));

  // Rename and/or reshape: a new outline takes the doors inside it, in a fresh walk order.
  srv.post(R"(/api/v1/turfs/([0-9a-f-]{36}))", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string id = req.params[0], campaign;
    auto body = json_body(app, req);
    if (!body) return send_error(res, body.error());
    if (auto s = only_fields(*body, {"name", "polygon"}); !s) return send_error(res, s.error());
    if (!body->find("name") && !body->find("polygon")) return send_error(res, Code::invalid_argument, "give name or polygon");
    auto name = str_field(*body, "name", false, 200);
    if (!name) return send_error(res, name.error());
    if (body->find("name") && name->empty()) return send_error(res, Code::invalid_argument, "name: must not be empty");
    std::optional<geo::MultiPolygon> mp;
    if (body->find("polygon")) {
      auto m = outline(*body, "polygon", {});
      if (!m) return send_error(res, m.error());
      mp = std::move(*m);
    }
    json::Value out, warnings;
    auto s = app.storage().write([&](store::Db& db) -> Status {
      auto t = editable(db, id);
      if (!t) return t.error();
      campaign = t->campaign_id;
      std::string new_name = body->find("name") ? *name : t->name;
      if (mp) {
        auto inside = doors_inside(db, campaign, *mp);
        if (!inside) return inside.error();
        auto ptrs = capped(*inside);
        if (!ptrs) return ptrs.error();
        auto st = store_turf(db, app, campaign, id, new_name, *mp, *ptrs);
        if (!st) return st.error();
        out = turf_json(*st);
      } else {
        auto w = store::write_field(db, "turf", id, "name", new_name, app.next_hlc());
        if (!w) return w.error();
        auto pace = campaign_pace(db, campaign);
        if (!pace) return pace.error();
        auto routes = turf_routes(db, campaign, *pace, id);
        if (!routes) return routes.error();
        StoredTurf st;
        st.id = id;
        st.name = new_name;
        if (auto poly = json::parse(t->polygon_geojson); poly)
          if (auto m = geo::multipolygon_from_geojson(*poly); m) st.polygon = *m;
        if (!routes->empty()) {
          st.doors = static_cast<int64_t>(routes->front().stops.size());
          st.people = routes->front().people;
          st.route_m = routes->front().length_m;
          st.minutes = routes->front().minutes;
        }
        out = turf_json(st);
        if (st.polygon.polygons.empty()) out.set("polygon", json::Value());
        out.set("status", std::string(to_name(t->status)));
      }
      auto w = turf_warnings(db, campaign);
      if (!w) return w.error();
      warnings = to_json(*w);
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    app.audit(c->account.id, campaign, mp ? "turf.reshape" : "turf.rename", id);
    send_json(res, json::Value(json::Object{{"turf", out}, {"warnings", warnings}}));
  }));

  srv.post(R"(/api/v1/turfs/([0-9a-f-]{36})/split)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string id = req.params[0], campaign;
    auto body = json_body(app, req);
    if (!body) return send_error(res, body.error());
    if (auto s = only_fields(*body, {"line", "names"}); !s) return send_error(res, s.error());
    const json::Value* lv = body->find("line");
    if (!lv) return send_error(res, Code::invalid_argument, "line: required");
    auto line = turf_shape::line_from_geojson(*lv);
    if (!line) return send_error(res, line.error());
    std::vector<std::string> names;
    if (const json::Value* nv = body->find("names")) {
      if (!nv->is_array() || nv->size() != 2) return send_error(res, Code::invalid_argument, "names: two names");
      for (const auto& n : nv->as_array()) {
        if (!n.is_string() || n.as_string().empty() || n.as_string().size() > 200)
          return send_error(res, Code::invalid_argument, "names: two names of 1 to 200 characters");
        names.push_back(n.as_string());
      }
    }
    json::Value out = json::Value::object();
    auto s = app.storage().write([&](store::Db& db) -> Status {
      auto t = editable(db, id);
      if (!t) return t.error();
      campaign = t->campaign_id;
      auto poly = json::parse(t->polygon_geojson);
      auto mp = poly ? geo::multipolygon_from_geojson(*poly) : Result<geo::MultiPolygon>(Error{Code::invalid_argument, ""});
      if (!mp) return Error{Code::invalid_argument, "turf " + id + " has no outline to split"};
      auto pieces = turf_shape::split(*mp, *line);
      if (!pieces) return pieces.error();
      auto doors = turf_doors(db, id);
      if (!doors) return doors.error();
      // Each door goes to the piece it lies in; a door outside both (a building straddling the
      // old outline) to the nearer piece.
      std::vector<const Door*> side[2];
      std::vector<geo::Fix> pts;
      for (const auto& d : *doors) pts.push_back(geo::fix_of(*d.lat, *d.lon));
      geo::Projection proj = geo::projection_for(pts);
      for (size_t i = 0; i < doors->size(); ++i) {
        int k = geo::contains((*pieces)[0], pts[i]) ? 0 : geo::contains((*pieces)[1], pts[i]) ? 1 : -1;
        if (k < 0)
          k = turf_shape::distance_m((*pieces)[0], pts[i], proj) <= turf_shape::distance_m((*pieces)[1], pts[i], proj) ? 0 : 1;
        side[k].push_back(&(*doors)[i]);
      }
      auto retired = retire_turf(db, app, id);
      if (!retired) return retired.error();
      json::Value made = json::Value::array();
      for (int k = 0; k < 2; ++k) {
        std::string nm = names.empty() ? t->name.substr(0, 196) + (k ? " (2)" : " (1)") : names[static_cast<size_t>(k)];
        auto st = store_turf(db, app, campaign, "", nm, (*pieces)[static_cast<size_t>(k)], side[k]);
        if (!st) return st.error();
        made.push(turf_json(*st));
      }
      out.set("turfs", made);
      out.set("retired", retired_json(id, *retired));
      auto w = turf_warnings(db, campaign);
      if (!w) return w.error();
      out.set("warnings", to_json(*w));
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    app.audit(c->account.id, campaign, "turf.split", id);
    send_json(res, out);
  }));

  srv.post(R"(/api/v1/campaigns/([0-9a-f-]{36})/turfs/merge)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string campaign = req.params[0];
    auto body = json_body(app, req);
    if (!body) return send_error(res, body.error());
    if (auto s = only_fields(*body, {"turf_ids", "name"}); !s) return send_error(res, s.error());
    auto ids = id_list(*body, "turf_ids", 2, kMaxMerge);
    if (!ids) return send_error(res, ids.error());
    auto name = str_field(*body, "name", false, 200);
    if (!name) return send_error(res, name.error());
    json::Value out = json::Value::object();
    auto s = app.storage().write([&](store::Db& db) -> Status {
      if (auto camp = store::get_campaign(db, campaign); !camp) return camp.error();
      std::vector<Turf> turfs;
      for (const auto& id : *ids) {  // every turf checked before anything changes
        auto t = editable(db, id, campaign);
        if (!t) return t.error();
        turfs.push_back(std::move(*t));
      }
      std::vector<geo::MultiPolygon> shapes;
      std::vector<Door> doors;
      std::set<std::string> seen;
      std::string joined;
      for (const auto& t : turfs) {
        if (auto poly = json::parse(t.polygon_geojson); poly)
          if (auto m = geo::multipolygon_from_geojson(*poly); m) shapes.push_back(std::move(*m));
        auto ds = turf_doors(db, t.id);
        if (!ds) return ds.error();
        for (auto& d : *ds)
          if (seen.insert(d.id).second) doors.push_back(std::move(d));
        joined += (joined.empty() ? "" : " + ") + t.name;
      }
      if (shapes.empty()) return Error{Code::invalid_argument, "none of these turfs has an outline"};
      std::vector<const Door*> ptrs;
      for (const auto& d : doors) ptrs.push_back(&d);
      json::Value retired = json::Value::array();
      for (const auto& t : turfs) {
        auto r = retire_turf(db, app, t.id);
        if (!r) return r.error();
        retired.push(retired_json(t.id, *r));
      }
      std::string nm = !name->empty() ? *name : joined.substr(0, 200);
      auto st = store_turf(db, app, campaign, "", nm, turf_shape::join(shapes), ptrs);
      if (!st) return st.error();
      out.set("turf", turf_json(*st));
      out.set("retired", retired);
      auto w = turf_warnings(db, campaign);
      if (!w) return w.error();
      out.set("warnings", to_json(*w));
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    app.audit(c->account.id, campaign, "turf.merge", std::to_string(ids->size()) + " turfs");
    send_json(res, out);
  }));

  srv.post(R"(/api/v1/turfs/([0-9a-f-]{36})/delete)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string id = req.params[0], campaign;
    auto body = json_body(app, req);
    if (!body) return send_error(res, body.error());
    if (auto s = only_fields(*body, {}); !s) return send_error(res, s.error());
    json::Value out = json::Value::object();
    auto s = app.storage().write([&](store::Db& db) -> Status {
      auto t = editable(db, id);
      if (!t) return t.error();
      campaign = t->campaign_id;
      auto r = retire_turf(db, app, id);
      if (!r) return r.error();
      out.set("retired", retired_json(id, *r));
      auto w = turf_warnings(db, campaign);
      if (!w) return w.error();
      out.set("warnings", to_json(*w));
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    app.audit(c->account.id, campaign, "turf.delete", id);
    send_json(res, out);
  }));

  srv.post(R"(/api/v1/campaigns/([0-9a-f-]{36})/turfs/auto)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string id = req.params[0];
    auto body = json_body(app, req);
    if (!body) return send_error(res, body.error());
    if (auto s = only_fields(*body, {"target_doors", "target_minutes", "area", "from_turfs", "results"}); !s)
      return send_error(res, s.error());
    CutRequest cr;
    if (!body->find("target_doors") == !body->find("target_minutes"))
      return send_error(res, Code::invalid_argument, "give one of target_doors (5-2000) or target_minutes (10-600)");
    auto target = int_field(*body, "target_doors", false, 5, 2000);
    if (!target) return send_error(res, target.error());
    auto minutes = num_field(*body, "target_minutes", false, 10, 600);
    if (!minutes) return send_error(res, minutes.error());
    cr.target_doors = static_cast<int>(*target);
    cr.target_minutes = *minutes;
    if (body->find("area")) {
      turf_shape::Limits lim;
      lim.max_span_m = 300000;  // a county
      auto mp = outline(*body, "area", lim);
      if (!mp) return send_error(res, mp.error());
      cr.area = std::move(*mp);
    }
    if (body->find("from_turfs")) {
      auto ids = id_list(*body, "from_turfs", 1, 500);
      if (!ids) return send_error(res, ids.error());
      cr.from_turfs = std::move(*ids);
    }
    if (body->find("results") && cr.from_turfs.empty())
      return send_error(res, Code::invalid_argument, "results: only with from_turfs (a second pass)");
    auto results = results_field(*body);
    if (!results) return send_error(res, results.error());
    cr.results = std::move(*results);
    json::Value out = json::Value::object();
    auto s = app.storage().write([&](store::Db& db) -> Status {
      if (auto camp = store::get_campaign(db, id); !camp) return camp.error();
      for (const auto& t : cr.from_turfs)
        if (auto e = get_turf(db, t, id); !e) return e.error();
      auto built = build_turfs(db, app, id, cr);
      if (!built) return built.error();
      json::Value arr = json::Value::array(), off = json::Value::array();
      for (const auto& t : built->turfs) {
        json::Value o = json::Value::object();
        o.set("id", t.id);
        o.set("name", t.name);
        o.set("doors", static_cast<int64_t>(t.doors));
        o.set("people", t.people);
        o.set("route_m", round_to(t.route_m, 1));
        o.set("minutes", round_to(t.minutes, 0.1));
        o.set("off_target", t.off_target);
        if (t.off_target) {
          o.set("reason", t.reason);
          off.push(o);
        }
        arr.push(std::move(o));
      }
      out.set("turfs", arr);
      out.set("off_target", off);
      out.set("by", built->by_minutes ? "minutes" : "doors");
      out.set("target", built->target);
      out.set("candidates", static_cast<int64_t>(built->candidates));
      out.set("excluded", static_cast<int64_t>(built->excluded));
      out.set("moved", static_cast<int64_t>(built->moved));
      auto w = turf_warnings(db, id);
      if (!w) return w.error();
      out.set("warnings", to_json(*w));
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    app.audit(c->account.id, id, "turf.auto", std::to_string(out.find("turfs")->size()) + " turfs");
    send_json(res, out);
  }));

  // The route view: the stored walk order on the map, its length and minutes.
  srv.get(R"(/api/v1/turfs/([0-9a-f-]{36})/route)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string id = req.params[0];
    json::Value out = json::Value::object();
    auto s = app.storage().read([&](store::Db& db) -> Status {
      auto t = get_turf(db, id);
      if (!t) return t.error();
      auto pace = campaign_pace(db, t->campaign_id);
      if (!pace) return pace.error();
      auto routes = turf_routes(db, t->campaign_id, *pace, id);
      if (!routes) return routes.error();
      TurfRoute empty;
      const TurfRoute& r = routes->empty() ? empty : routes->front();
      json::Value jt = json::Value::object();
      jt.set("id", t->id);
      jt.set("name", t->name);
      jt.set("status", std::string(to_name(t->status)));
      jt.set("polygon", polygon_json(t->polygon_geojson));
      out.set("turf", jt);
      json::Value doors = json::Value::array();
      int64_t order = 0;
      for (const auto& st : r.stops) {
        json::Value d = json::Value::object();
        d.set("id", st.door_id);
        d.set("order", ++order);
        d.set("address", st.address);
        d.set("lat", geo::from_fix(st.at.lat));
        d.set("lon", geo::from_fix(st.at.lon));
        doors.push(std::move(d));
      }
      out.set("doors", doors);
      json::Value line = json::Value::array();
      for (const auto& p : r.polyline) line.push(json::Value(json::Array{json::Value(geo::from_fix(p.lat)), json::Value(geo::from_fix(p.lon))}));
      out.set("line", line);
      out.set("length_m", round_to(r.length_m, 1));
      out.set("minutes", round_to(r.minutes, 0.1));
      out.set("people", r.people);
      out.set("walk_m_per_s", pace->walk_m_per_s);
      out.set("minutes_per_door", pace->minutes_per_door);
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    send_json(res, out);
  }));

  // Walk-in assignment: the nearest turf to a point that no active link holds.
  srv.get(R"(/api/v1/campaigns/([0-9a-f-]{36})/turfs/next)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string id = req.params[0];
    int64_t lat, lon;
    if (!geo::parse_fix(req.query_value("lat"), lat) || !geo::parse_fix(req.query_value("lon"), lon) ||
        std::llabs(lat) > 900000000 || std::llabs(lon) > 1800000000)
      return send_error(res, Code::invalid_argument, "lat and lon: decimal degrees of the point");
    json::Value out = json::Value::object();
    auto s = app.storage().read([&](store::Db& db) -> Status {
      if (auto camp = store::get_campaign(db, id); !camp) return camp.error();
      auto n = next_unassigned(db, id, geo::Fix{lon, lat}, app.now());
      if (!n) return n.error();
      json::Value t = json::Value::object();
      t.set("id", n->turf.id);
      t.set("name", n->turf.name);
      t.set("status", std::string(to_name(n->turf.status)));
      t.set("doors", n->doors);
      t.set("polygon", polygon_json(n->turf.polygon_geojson));
      out.set("turf", t);
      out.set("distance_m", round_to(n->distance_m, 1));
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    send_json(res, out);
  }));

  // The preview: the package a phone would get for this turf, for the organizer's eyes (the
  // canvasser page in sandbox mode keeps it in memory). No link is made, used or counted.
  srv.get(R"(/api/v1/turfs/([0-9a-f-]{36})/package)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string id = req.params[0], campaign;
    Result<canvass::Package> pkg = Error{Code::internal, "package not built"};
    int64_t cache_mb = kDefaultTileCacheMb;
    auto s = app.storage().read([&](store::Db& db) -> Status {
      auto t = get_turf(db, id);
      if (!t) return t.error();
      campaign = t->campaign_id;
      pkg = canvass::build_package(db, {campaign, id, "preview", app.now() + kPreviewMs});
      if (!pkg) return pkg.error();
      auto mb = campaign_tile_cache_mb(db, campaign);
      if (!mb) return mb.error();
      cache_mb = *mb;
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    add_base_map(app, *pkg, cache_mb);
    app.audit(c->account.id, campaign, "turf.preview", id);
    send_json(res, canvass::encode_package(*pkg));
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
        jt.set("polygon", polygon_json(t.polygon_geojson));
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
      // The handout's time: the one formula (walk order length in the campaign's pace).
      auto pace = campaign_pace(db, campaign);
      if (!pace) return pace.error();
      auto routes = turf_routes(db, campaign, *pace, id);
      if (!routes) return routes.error();
      out.set("route_m", routes->empty() ? 0.0 : round_to(routes->front().length_m, 1));
      out.set("minutes", routes->empty() ? 0.0 : round_to(routes->front().minutes, 0.1));
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    app.audit(c->account.id, campaign, "walklist.read", id);
    send_json(res, out);
  }));
}

}  // namespace doorstep::server
