// Organizer sign-in and accounts: password and one-time-link sign-in (same-origin checked, rate
// limited per account, per client address and server-wide), the session's own account, password
// change, sign-out, and admin account management.
// Leaves out the session check itself (app.cpp require_session) and password hashing (auth.h).
#include <algorithm>

#include "server/app.h"
#include "server/http_errors.h"

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

// Sign-in requests carry no session yet, so only the same-origin checks apply to them.
bool same_origin(const App& app, const Req& req, Res& res) {
  std::string site = req.header("Sec-Fetch-Site");
  bool cross = (!site.empty() && site != "same-origin" && site != "none") || !same_origin_as_public(app, req);
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
  o.set("base_map", !app.tiles().empty());  // the console asks /tiles.json only then (no 404 in its log)
  send_json(res, o);
}

void send_rate_limited(Res& res, int64_t ms, const Error& e) {
  res.set_header("Retry-After", std::to_string(std::max<int64_t>(1, (ms + 999) / 1000)));
  send_error(res, e);
}

}  // namespace

void register_auth_routes(App& app, http::Router& srv) {
  http::RouteLimits signin_limits;
  signin_limits.max_body = kSignInBodyLimit;
  signin_limits.admit = [&app](const Req& req, Res& res) { return same_origin(app, req, res); };
  http::RouteLimits hashing = signin_limits;  // Argon2id: apart from everything else
  hashing.slow = true;
  http::RouteLimits password;
  password.max_body = kSignInBodyLimit;
  password.slow = true;
  srv.post("/api/v1/auth/signin", guarded([&app](Req& req, Res& res) {
    if (!same_origin(app, req, res)) return;
    auto body = json_body(app, req, kSignInMaxBody);
    if (!body) return send_error(res, body.error());
    if (auto s = only_fields(*body, {"email", "password"}); !s) return send_error(res, s.error());
    auto email = str_field(*body, "email", true, 254);
    if (!email) return send_error(res, email.error());
    auto pw = str_field(*body, "password", true, 1024);
    if (!pw) return send_error(res, pw.error());
    auto s = app.auth().sign_in(*email, *pw, req.client);
    if (!s) {
      if (s.error().code == Code::rate_limited)
        return send_rate_limited(res, app.auth().retry_after_ms(*email, req.client), s.error());
      return send_error(res, s.error());
    }
    answer_signed_in(app, res, *s);
  }), hashing);

  srv.post("/api/v1/auth/link", guarded([&app](Req& req, Res& res) {
    if (!same_origin(app, req, res)) return;
    auto body = json_body(app, req, kSignInMaxBody);
    if (!body) return send_error(res, body.error());
    if (auto s = only_fields(*body, {"token"}); !s) return send_error(res, s.error());
    auto token = str_field(*body, "token", true, 64);
    if (!token) return send_error(res, token.error());
    // Not 32 lowercase hex characters: no sign-in link can match; refused before the database.
    if (token->size() != 32 || token->find_first_not_of("0123456789abcdef") != std::string::npos)
      return send_error(res, Code::invalid_argument, "token: 32 lowercase hex characters");
    // One-time sign-in tokens are slowed per client address (never per a prefix the guesser picks).
    std::string bucket = "s:" + (req.client.empty() ? std::string("?") : req.client);
    if (int64_t ms = app.auth().global_rate().retry_after_ms(app.now()); ms > 0)
      return send_rate_limited(res, ms, Error{Code::rate_limited, "too many failed sign-ins on this server just now; wait and try again"});
    if (int64_t ms = app.token_limiter().retry_after_ms(bucket, app.now()); ms > 0)
      return send_rate_limited(res, ms, Error{Code::rate_limited, "too many unknown sign-in links tried"});
    auto s = app.auth().sign_in_with_token(*token);
    if (!s) {
      app.token_limiter().failure(bucket, app.now());
      app.auth().global_rate().spend(app.now());
      return send_error(res, s.error());
    }
    answer_signed_in(app, res, *s);
  }), signin_limits);

  srv.get("/api/v1/auth/me", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    json::Value o = json::Value::object();
    o.set("account", account_json(c->account));
    o.set("csrf_token", c->session.csrf);
    o.set("expires_at", c->session.expires_at);
    o.set("base_map", !app.tiles().empty());
    send_json(res, o);
  }));

  srv.post("/api/v1/auth/password", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    auto body = json_body(app, req);
    if (!body) return send_error(res, body.error());
    if (auto s = only_fields(*body, {"password", "old_password"}); !s) return send_error(res, s.error());
    auto pw = str_field(*body, "password", true, 1024);
    if (!pw) return send_error(res, pw.error());
    // The first password (after a one-time link) needs no old one; changing it does, and ends
    // every other session of the account.
    if (!c->account.pwhash.empty()) {
      auto old = str_field(*body, "old_password", false, 1024);
      if (!old) return send_error(res, old.error());
      if (old->empty()) return send_error(res, Code::invalid_argument, "old_password: required to change a password");
      if (!verify_password(c->account.pwhash, *old)) return send_error(res, Code::forbidden, "old_password: wrong password");
    }
    if (auto s = app.auth().set_password(c->account.id, *pw); !s) return send_error(res, s.error());
    if (auto s = end_other_sessions(app, c->account.id, cookie_value(req.header("Cookie"), "ds_session")); !s)
      return send_error(res, s.error());
    app.audit(c->account.id, "", "account.password", "");
    send_json(res, json::Value(json::Object{{"ok", true}}));
  }), password);

  srv.post("/api/v1/auth/signout", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string token = cookie_value(req.header("Cookie"), "ds_session");
    if (!token.empty()) app.auth().sign_out(token);
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
}

}  // namespace doorstep::server
