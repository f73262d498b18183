// Organizer routes for campaigns: list, create, read with counts, settings; every change is
// written to the audit log. Leaves out uploads (the universe, address points: api_universe.cpp).
#include <algorithm>
#include <cctype>
#include <optional>

#include "server/app.h"
#include "server/campaign_quota.h"
#include "server/http_errors.h"
#include "shared/io/export.h"
#include "shared/store/campaign_store.h"
#include "shared/store/store.h"

namespace doorstep::server {

namespace {

using Req = http::Request;
using Res = http::Response;

// The campaign with the settings the endpoint keeps for it (retention, languages, walking pace,
// the phones' tile cache cap).
Result<json::Value> campaign_json(store::Db& db, const Campaign& c) {
  auto days = retention_days(db, c.id);
  if (!days) return days.error();
  auto pace = campaign_pace(db, c.id);
  if (!pace) return pace.error();
  auto langs = campaign_languages(db, c.id);
  if (!langs) return langs.error();
  json::Value o = json::Value::object();
  o.set("id", c.id);
  o.set("name", c.name);
  json::Value arr = json::Value::array();
  for (const auto& l : *langs) arr.push(l);
  o.set("languages", arr);
  o.set("time_zone", c.time_zone);
  o.set("created_at", c.created_ms);
  o.set("retention_days", *days);
  auto help = campaign_help(db, c.id);
  if (!help) return help.error();
  o.set("help", canvass::encode_help(*help));
  o.set("walk_m_per_s", pace->walk_m_per_s);
  o.set("minutes_per_door", pace->minutes_per_door);
  auto cache_mb = campaign_tile_cache_mb(db, c.id);
  if (!cache_mb) return cache_mb.error();
  o.set("tile_cache_mb", *cache_mb);
  return o;
}

// A well-formed BCP 47 tag as the campaign's script and survey use them: a lower-case primary
// language subtag of 2-3 letters, then optional subtags of 1-8 letters or digits ("en", "es",
// "zh-Hant", "es-419").
bool is_language_tag(const std::string& t) {
  size_t i = 0;
  while (i < t.size() && t[i] >= 'a' && t[i] <= 'z') ++i;
  if (i < 2 || i > 3) return false;
  while (i < t.size()) {
    if (t[i++] != '-') return false;
    size_t n = 0;
    while (i < t.size() && std::isalnum(static_cast<unsigned char>(t[i]))) ++i, ++n;
    if (n < 1 || n > 8) return false;
  }
  return true;
}

// "help" of the settings: what canvassers' Help screen shows (turf package campaign.help). Checked
// whole: known fields only, strings of bounded size, a FAQ of at most 16 languages x 40 entries.
Result<canvass::PackageHelp> help_field(const json::Value& v) {
  auto bad = [](const std::string& why) { return Error{Code::invalid_argument, "help: " + why}; };
  if (!v.is_object()) return bad("an object");
  if (auto s = only_fields(v, {"organizer_name", "organizer_phone", "meeting_place", "shift_end", "faq"}); !s)
    return s.error();
  for (auto [k, max] : {std::pair{"organizer_name", 100}, {"organizer_phone", 40}, {"meeting_place", 500}, {"shift_end", 100}}) {
    const json::Value* f = v.find(k);
    if (f && (!f->is_string() || f->as_string().size() > static_cast<size_t>(max)))
      return bad(std::string(k) + ": a string of at most " + std::to_string(max) + " bytes");
  }
  if (const json::Value* faq = v.find("faq")) {
    if (!faq->is_object() || faq->as_object().size() > 16) return bad("faq: an object of at most 16 languages");
    for (const auto& [lang, entries] : faq->as_object()) {
      if (!is_language_tag(lang)) return bad("faq: " + lang.substr(0, 20) + " is not a language code");
      if (!entries.is_array() || entries.size() > 40) return bad("faq." + lang + ": a list of at most 40 questions");
      for (const auto& e : entries.as_array()) {
        const json::Value* q = e.is_object() ? e.find("q") : nullptr;
        const json::Value* a = e.is_object() ? e.find("a") : nullptr;
        if (!q || !a || !q->is_string() || !a->is_string() || q->as_string().size() > 500 || a->as_string().size() > 2000 ||
            e.as_object().size() != 2)
          return bad("faq." + lang + ": each entry is {\"q\": text up to 500 bytes, \"a\": text up to 2000 bytes}");
      }
    }
  }
  return canvass::decode_help(v);
}

// "languages": optional, ["en","es"] when absent; 1-16 distinct BCP 47 tags.
Result<std::vector<std::string>> languages_field(const json::Value& body) {
  const json::Value* v = body.find("languages");
  if (!v) return std::vector<std::string>{"en", "es"};
  if (!v->is_array() || v->as_array().empty() || v->as_array().size() > 16)
    return Error{Code::invalid_argument, "languages: a list of 1 to 16 language codes"};
  std::vector<std::string> out;
  for (const auto& l : v->as_array()) {
    if (!l.is_string() || l.as_string().size() > 35 || !is_language_tag(l.as_string()))
      return Error{Code::invalid_argument, "languages: each must be a BCP 47 code such as \"en\" or \"es\""};
    if (std::find(out.begin(), out.end(), l.as_string()) != out.end())
      return Error{Code::invalid_argument, "languages: \"" + l.as_string() + "\" is listed twice"};
    out.push_back(l.as_string());
  }
  return out;
}

}  // namespace

void register_campaign_routes(App& app, http::Router& srv) {
  srv.get("/api/v1/campaigns", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    json::Value arr = json::Value::array();
    bool admin = c->account.role == "admin";
    auto s = app.storage().read([&](store::Db& db) -> Status {
      // Only the campaigns the account is a member of, with its role there.
      auto all = store::list_campaigns(db);
      if (!all) return all.error();
      for (const auto& camp : *all) {
        auto role = role_in(db, camp.id, c->account.id, admin);
        if (!role) return role.error();
        if (*role == Role::none) continue;
        auto o = campaign_json(db, camp);
        if (!o) return o.error();
        o->set("role", std::string(to_name(*role)));
        arr.push(std::move(*o));
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
    if (auto s = only_fields(*body, {"name", "languages", "time_zone", "retention_days"}); !s) return send_error(res, s.error());
    auto name = str_field(*body, "name", true, 200);
    if (!name) return send_error(res, name.error());
    if (name->empty()) return send_error(res, Code::invalid_argument, "name: required");
    auto tz = str_field(*body, "time_zone", false, 64, "America/Los_Angeles");
    if (!tz) return send_error(res, tz.error());
    if (!exporter::supported_zone(*tz))
      return send_error(res, Code::invalid_argument, "time_zone: one of the zones exports support (GET /api/v1/time-zones)");
    auto days = int_field(*body, "retention_days", false, 0, 3650, 0);
    if (!days) return send_error(res, days.error());
    auto langs = languages_field(*body);
    if (!langs) return send_error(res, langs.error());
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
      if (auto r = set_campaign_languages(db, camp->id, *langs); !r) return r;
      // The creator owns the campaign.
      if (auto r = set_member(db, camp->id, c->account.id, Role::owner, c->account.id, app.now()); !r) return r;
      auto o = campaign_json(db, *camp);
      if (!o) return o.error();
      o->set("role", "owner");
      out = std::move(*o);
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
      auto o = campaign_json(db, *camp);
      if (!o) return o.error();
      auto n = store::count_campaign(db, id);
      if (!n) return n.error();
      out.set("campaign", std::move(*o));
      json::Value counts = json::Value::object();
      counts.set("people", n->people);
      counts.set("doors", n->doors);
      counts.set("buildings", n->buildings);
      counts.set("geocoded_doors", n->geocoded_doors);
      counts.set("attempts", n->attempts);
      out.set("counts", counts);
      // Each link's hourly push quota here: the campaign's own figures or the server's.
      auto q = campaign_quota(db, id);
      if (!q) return q.error();
      json::Value quota = json::Value::object();
      quota.set("mutations", q->mutations > 0 ? q->mutations : app.config().link_quota.mutations);
      quota.set("bytes", q->bytes > 0 ? q->bytes : app.config().link_quota.bytes);
      quota.set("campaign_set", q->mutations > 0 || q->bytes > 0);
      out.set("link_quota", quota);
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
    if (auto s = only_fields(*body, {"retention_days", "help", "walk_m_per_s", "minutes_per_door", "tile_cache_mb",
                                     "link_quota_mutations", "link_quota_bytes"});
        !s)
      return send_error(res, s.error());
    const json::Value* help_v = body->find("help");
    bool set_days = body->find("retention_days") != nullptr;
    bool set_pace = body->find("walk_m_per_s") || body->find("minutes_per_door");
    bool set_cache = body->find("tile_cache_mb") != nullptr;
    bool set_quota = body->find("link_quota_mutations") || body->find("link_quota_bytes");
    // Each setting may come alone; a body with none is refused.
    if (!set_days && !help_v && !set_pace && !set_cache && !set_quota)
      return send_error(res, Code::invalid_argument,
                        "give retention_days, help, walk_m_per_s, minutes_per_door, tile_cache_mb, link_quota_mutations or "
                        "link_quota_bytes");
    // Per link and hour; 0 goes back to the server's default (3,000 mutations, 8 MiB).
    auto q_muts = int_field(*body, "link_quota_mutations", false, 0, kMaxQuotaMutations, -1);
    if (!q_muts) return send_error(res, q_muts.error());
    auto q_bytes = int_field(*body, "link_quota_bytes", false, 0, kMaxQuotaBytes, -1);
    if (!q_bytes) return send_error(res, q_bytes.error());
    auto days = int_field(*body, "retention_days", false, 0, 3650);
    if (!days) return send_error(res, days.error());
    // A turf's z15-z18 tiles are a few MB; a phone's storage is shared with the records.
    auto cache_mb = int_field(*body, "tile_cache_mb", false, 1, 200);
    if (!cache_mb) return send_error(res, cache_mb.error());
    // A brisk walk is 2 m/s; under 0.2 m/s a "minute" figure would mean nothing.
    auto speed = num_field(*body, "walk_m_per_s", false, 0.2, 3.0);
    if (!speed) return send_error(res, speed.error());
    auto per_door = num_field(*body, "minutes_per_door", false, 0, 30);
    if (!per_door) return send_error(res, per_door.error());
    std::optional<canvass::PackageHelp> help;
    if (help_v) {
      auto h = help_field(*help_v);
      if (!h) return send_error(res, h.error());
      help = std::move(*h);
    }
    auto s = app.storage().write([&](store::Db& db) -> Status {
      if (auto camp = store::get_campaign(db, id); !camp) return camp.error();
      if (set_days)
        if (auto r = set_retention_days(db, id, *days); !r) return r;
      if (help)
        if (auto r = set_campaign_help(db, id, *help); !r) return r;
      if (set_cache)
        if (auto r = set_campaign_tile_cache_mb(db, id, *cache_mb); !r) return r;
      if (set_pace) {
        auto pace = campaign_pace(db, id);
        if (!pace) return pace.error();
        if (body->find("walk_m_per_s")) pace->walk_m_per_s = *speed;
        if (body->find("minutes_per_door")) pace->minutes_per_door = *per_door;
        if (auto r = set_campaign_pace(db, id, *pace); !r) return r;
      }
      if (set_quota)
        if (auto r = set_campaign_quota(db, id, *q_muts, *q_bytes); !r) return r;
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    if (set_days) app.audit(c->account.id, id, "campaign.retention", std::to_string(*days));
    if (help) app.audit(c->account.id, id, "campaign.help", "");
    if (set_cache) app.audit(c->account.id, id, "campaign.tile_cache", std::to_string(*cache_mb) + " MB");
    if (body->find("walk_m_per_s") || body->find("minutes_per_door")) app.audit(c->account.id, id, "campaign.pace", json::dump(*body));
    if (set_quota)
      app.audit(c->account.id, id, "campaign.link_quota", std::to_string(*q_muts) + " mutations, " + std::to_string(*q_bytes) + " bytes");
    send_json(res, json::Value(json::Object{{"ok", true}}));
  }));
}

}  // namespace doorstep::server
