// Campaign membership and account administration: an owner lists, adds (by email: an unknown
// email gets an account and a one-time sign-in link for the owner to pass on; no mail is sent),
// changes and removes members; any member leaves a campaign; the server admin adds themselves (audited), lists every campaign by
// name and counts, and disables or re-enables accounts. Leaves out the role checks themselves
// (app.cpp require_session with membership.h's policy) and sign-in (api_auth.cpp).
#include "server/app.h"
#include "server/http_errors.h"
#include "shared/store/campaign_store.h"
#include "shared/store/store.h"

namespace doorstep::server {

namespace {

using Req = http::Request;
using Res = http::Response;

json::Value member_json(const Member& m) {
  json::Value o = json::Value::object();
  o.set("account_id", m.account_id);
  o.set("email", m.email);
  o.set("role", std::string(to_name(m.role)));
  o.set("added_at", m.added_at);
  return o;
}

Result<Role> role_field(const json::Value& body) {
  auto name = str_field(body, "role", true, 16);
  if (!name) return name.error();
  auto r = role_from_name(*name);
  if (!r) return Error{Code::invalid_argument, "role: owner, organizer or viewer"};
  return *r;
}

// In a campaign with no members yet, the admin acting as its owner becomes one first, so adding
// someone else never locks the admin out.
Status keep_acting_owner(store::Db& db, const Caller& c, int64_t now) {
  auto m = members(db, c.campaign_id);
  if (!m) return m.error();
  if (!m->empty()) return Status::Ok();
  return set_member(db, c.campaign_id, c.account.id, Role::owner, c.account.id, now);
}

}  // namespace

void register_member_routes(App& app, http::Router& srv) {
  srv.get(R"(/api/v1/campaigns/([0-9a-f-]{36})/members)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    json::Value arr = json::Value::array();
    auto s = app.storage().read([&](store::Db& db) -> Status {
      auto m = members(db, c->campaign_id);
      if (!m) return m.error();
      for (const auto& x : *m) arr.push(member_json(x));
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    send_json(res, json::Value(json::Object{{"members", arr}}));
  }));

  srv.post(R"(/api/v1/campaigns/([0-9a-f-]{36})/members)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    auto body = json_body(app, req);
    if (!body) return send_error(res, body.error());
    if (auto s = only_fields(*body, {"email", "role"}); !s) return send_error(res, s.error());
    auto email = str_field(*body, "email", true, 254);
    if (!email) return send_error(res, email.error());
    auto role = role_field(*body);
    if (!role) return send_error(res, role.error());
    json::Value out = json::Value::object();
    auto existing = app.storage().account_by_email(Auth::normalise_email(*email));
    Account who;
    if (existing) {
      who = *existing;
    } else {
      if (email->find('@') == std::string::npos) return send_error(res, Code::invalid_argument, "email: an address with @");
      auto a = app.auth().create_account(*email, "organizer");
      if (!a) return send_error(res, a.error());
      who = *a;
      auto t = app.auth().new_signin_token(a->id);
      if (!t) return send_error(res, t.error());
      // Shown once to the owner, who passes it on; never logged or stored in clear.
      out.set("signin_url", app.signin_url(*t, req.header("Host")));
      app.audit(c->account.id, c->campaign_id, "account.create", a->id);
    }
    auto s = app.storage().write([&](store::Db& db) -> Status {
      if (auto k = keep_acting_owner(db, *c, app.now()); !k) return k;
      return set_member(db, c->campaign_id, who.id, *role, c->account.id, app.now());
    });
    if (!s) return send_error(res, s.error());
    app.audit(c->account.id, c->campaign_id, "member.set", who.id + " " + std::string(to_name(*role)));
    Member m{who.id, who.email, *role, app.now(), c->account.id};
    out.set("member", member_json(m));
    send_json(res, out);
  }));

  srv.post(R"(/api/v1/campaigns/([0-9a-f-]{36})/members/self)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    if (c->account.role != "admin") return send_error(res, Code::forbidden, "admins only");
    auto s = app.storage().write([&](store::Db& db) -> Status {
      return set_member(db, c->campaign_id, c->account.id, Role::owner, c->account.id, app.now());
    });
    if (!s) return send_error(res, s.error());
    app.audit(c->account.id, c->campaign_id, "member.self", c->account.id + " owner");
    send_json(res, json::Value(json::Object{{"ok", true}}));
  }));

  srv.post(R"(/api/v1/campaigns/([0-9a-f-]{36})/members/([0-9a-f-]{36})/remove)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string account = req.params[1];
    auto s = app.storage().write([&](store::Db& db) -> Status {
      if (auto k = keep_acting_owner(db, *c, app.now()); !k) return k;
      return remove_member(db, c->campaign_id, account);
    });
    if (!s) return send_error(res, s.error());
    app.audit(c->account.id, c->campaign_id, "member.remove", account);
    send_json(res, json::Value(json::Object{{"ok", true}}));
  }));

  // Any member takes themselves off a campaign; its only owner cannot (409, as for remove).
  srv.post(R"(/api/v1/campaigns/([0-9a-f-]{36})/leave)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    auto s = app.storage().write([&](store::Db& db) { return remove_member(db, c->campaign_id, c->account.id); });
    if (!s) return send_error(res, s.error());
    app.audit(c->account.id, c->campaign_id, "member.leave", c->account.id);
    send_json(res, json::Value(json::Object{{"ok", true}}));
  }));

  // The admin's view: every campaign by name and counts, and whether the admin is a member. No
  // people: reading them needs membership.
  srv.get("/api/v1/admin/campaigns", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    if (c->account.role != "admin") return send_error(res, Code::forbidden, "admins only");
    json::Value arr = json::Value::array();
    auto s = app.storage().read([&](store::Db& db) -> Status {
      auto all = store::list_campaigns(db);
      if (!all) return all.error();
      for (const auto& camp : *all) {
        auto n = store::count_campaign(db, camp.id);
        if (!n) return n.error();
        auto role = role_in(db, camp.id, c->account.id, true);
        if (!role) return role.error();
        auto m = members(db, camp.id);
        if (!m) return m.error();
        json::Value o = json::Value::object();
        o.set("id", camp.id);
        o.set("name", camp.name);
        o.set("people", n->people);
        o.set("doors", n->doors);
        o.set("attempts", n->attempts);
        o.set("members", static_cast<int64_t>(m->size()));
        o.set("role", std::string(to_name(*role)));
        arr.push(std::move(o));
      }
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    send_json(res, json::Value(json::Object{{"campaigns", arr}}));
  }));

  for (const char* verb : {"disable", "enable"}) {
    bool disable = verb[0] == 'd';
    srv.post(std::string(R"(/api/v1/accounts/([0-9a-f-]{36})/)") + verb, guarded([&app, disable](Req& req, Res& res) {
      auto c = require_session(app, req, res);
      if (!c) return;
      if (c->account.role != "admin") return send_error(res, Code::forbidden, "admins only");
      std::string id = req.params[0];
      if (id == c->account.id) return send_error(res, Code::invalid_argument, "you cannot disable your own account");
      auto a = app.storage().account_by_id(id);
      if (!a) return send_error(res, Code::not_found, "no such account");
      a->disabled = disable;
      if (auto s = app.storage().put_account(*a); !s) return send_error(res, s.error());
      // Every session of a disabled account ends at once (the session check refuses it too).
      if (disable)
        if (auto s = app.storage().write([&](store::Db& db) { return delete_account_sessions(db, id, ""); }); !s)
          return send_error(res, s.error());
      app.audit(c->account.id, "", disable ? "account.disable" : "account.enable", id);
      send_json(res, json::Value(json::Object{{"ok", true}}));
    }));
  }
}

Status end_other_sessions(App& app, const std::string& account_id, const std::string& keep_session_token) {
  const std::string keep = hash_secret(keep_session_token);
  return app.storage().write([&](store::Db& db) { return delete_account_sessions(db, account_id, keep); });
}

}  // namespace doorstep::server
