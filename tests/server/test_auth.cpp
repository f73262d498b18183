// Organizer auth over real loopback HTTP: first admin and its one-time link, passwords (Argon2id),
// wrong passwords slowed per account, session cookie flags, CSRF and cross-origin refusals.
#include "tests/server/fixture.h"

using namespace doorstep;

TEST_CASE("first start creates one admin with a one-time sign-in link") {
  fixture::Server s;
  auto first = s.app->first_start();
  REQUIRE(first.ok());
  REQUIRE(first->has_value());
  auto again = s.app->first_start();
  REQUIRE(again.ok());
  CHECK_FALSE(again->has_value());  // only the very first start prints a link
  auto accounts = s.app->storage().accounts();
  REQUIRE(accounts.ok());
  REQUIRE(accounts->size() == 1);
  CHECK((*accounts)[0].email == "admin");
  CHECK((*accounts)[0].role == "admin");

  auto cli = s.client();
  std::string body = R"({"token":")" + **first + R"("})";
  auto r = cli.Post("/api/v1/auth/link", body, "application/json");
  REQUIRE(r);
  CHECK(r->status == 200);
  std::string cookie = r->get_header_value("Set-Cookie");
  CHECK(cookie.find("ds_session=") == 0);
  CHECK(cookie.find("HttpOnly") != std::string::npos);
  CHECK(cookie.find("SameSite=Strict") != std::string::npos);
  CHECK(cookie.find("Secure") == std::string::npos);  // plain HTTP here; TLS case in test_http
  // The link works once.
  auto reuse = cli.Post("/api/v1/auth/link", body, "application/json");
  REQUIRE(reuse);
  CHECK(reuse->status == 401);
  // Expired links are refused even unused.
  auto t2 = s.app->auth().new_signin_token((*accounts)[0].id);
  REQUIRE(t2.ok());
  s.now_ms += 25ll * 3600 * 1000;
  auto late = cli.Post("/api/v1/auth/link", R"({"token":")" + *t2 + R"("})", "application/json");
  REQUIRE(late);
  CHECK(late->status == 401);
  CHECK(fixture::parse(late->body).find("code")->as_string() == "expired");
}

TEST_CASE("password sign-in; wrong passwords are slowed per account, not per address") {
  fixture::Server s;
  auto org = fixture::sign_in_admin(s);
  auto cli = s.client();
  auto set = cli.Post("/api/v1/auth/password", org.headers(), R"({"password":"correct horse battery"})",
                      "application/json");
  REQUIRE(set);
  REQUIRE(set->status == 200);
  auto stored = s.app->storage().account_by_email("admin");
  REQUIRE(stored.ok());
  CHECK(stored->pwhash.rfind("$argon2id$", 0) == 0);  // memory-hard KDF, never the password
  CHECK(stored->pwhash.find("correct horse") == std::string::npos);

  auto signin = [&](const char* email, const char* pw) {
    return cli.Post("/api/v1/auth/signin", std::string(R"({"email":")") + email + R"(","password":")" + pw + "\"}",
                    "application/json");
  };
  auto ok = signin("Admin ", "correct horse battery");  // emails are trimmed and case-folded
  REQUIRE(ok);
  CHECK(ok->status == 200);
  CHECK(fixture::parse(ok->body).find("csrf_token")->as_string().size() == 32);

  for (int i = 0; i < 5; ++i) {
    auto bad = signin("admin", "wrong password!!");
    REQUIRE(bad);
    CHECK(bad->status == 401);
    CHECK(fixture::parse(bad->body).find("code")->as_string() == "unauthorized");
  }
  auto locked = signin("admin", "wrong password!!");
  REQUIRE(locked);
  CHECK(locked->status == 401);  // the 6th failure is counted and starts the lock-out
  auto refused = signin("admin", "correct horse battery");
  REQUIRE(refused);
  CHECK(refused->status == 429);  // even the right password waits: a locked account learns nothing
  CHECK(std::stoi(refused->get_header_value("Retry-After")) >= 1);
  CHECK(fixture::parse(refused->body).find("code")->as_string() == "rate_limited");
  // Another account is not affected by this one's lock-out (keyed by account, not by address).
  auto other = signin("nobody@example.org", "whatever12345");
  REQUIRE(other);
  CHECK(other->status == 401);
  s.now_ms += 2000;
  auto after = signin("admin", "correct horse battery");
  REQUIRE(after);
  CHECK(after->status == 200);
}

TEST_CASE("sessions: no cookie, bad cookie, expired session are refused") {
  fixture::Server s;
  auto org = fixture::sign_in_admin(s);
  auto cli = s.client();
  auto none = cli.Get("/api/v1/campaigns");
  REQUIRE(none);
  CHECK(none->status == 401);
  auto bad = cli.Get("/api/v1/campaigns", httplib::Headers{{"Cookie", "ds_session=00112233"}});
  REQUIRE(bad);
  CHECK(bad->status == 401);
  auto good = cli.Get("/api/v1/campaigns", org.headers(false));
  REQUIRE(good);
  CHECK(good->status == 200);
  s.now_ms += 13ll * 3600 * 1000;
  auto stale = cli.Get("/api/v1/campaigns", org.headers(false));
  REQUIRE(stale);
  CHECK(stale->status == 401);
  CHECK(fixture::parse(stale->body).find("code")->as_string() == "expired");
}

TEST_CASE("CSRF: forged state-changing requests are refused, the real one passes") {
  fixture::Server s;
  auto org = fixture::sign_in_admin(s);
  auto cli = s.client();
  const std::string body = R"({"name":"Spring canvass"})";
  // A forged request rides on the cookie but cannot know the CSRF token.
  auto no_token = cli.Post("/api/v1/campaigns", org.headers(false), body, "application/json");
  REQUIRE(no_token);
  CHECK(no_token->status == 403);
  auto h = org.headers(false);
  h.emplace("X-CSRF-Token", std::string(32, 'a'));
  auto wrong = cli.Post("/api/v1/campaigns", h, body, "application/json");
  REQUIRE(wrong);
  CHECK(wrong->status == 403);
  auto cross = org.headers();
  cross.emplace("Origin", "https://evil.example");
  auto xo = cli.Post("/api/v1/campaigns", cross, body, "application/json");
  REQUIRE(xo);
  CHECK(xo->status == 403);
  auto site = org.headers();
  site.emplace("Sec-Fetch-Site", "cross-site");
  auto xs = cli.Post("/api/v1/campaigns", site, body, "application/json");
  REQUIRE(xs);
  CHECK(xs->status == 403);
  // A form post (text/plain, the only body a cross-site form can send without a preflight) is refused.
  auto form = cli.Post("/api/v1/campaigns", org.headers(), body, "text/plain");
  REQUIRE(form);
  CHECK(form->status == 400);
  // Nothing was created by the refused requests.
  auto list = cli.Get("/api/v1/campaigns", org.headers(false));
  REQUIRE(list);
  CHECK(fixture::parse(list->body).find("campaigns")->size() == 0);
  auto same = org.headers();
  same.emplace("Origin", "http://127.0.0.1:" + std::to_string(s.port));
  auto real = cli.Post("/api/v1/campaigns", same, body, "application/json");
  REQUIRE(real);
  CHECK(real->status == 200);
  list = cli.Get("/api/v1/campaigns", org.headers(false));
  CHECK(fixture::parse(list->body).find("campaigns")->size() == 1);
  // Sign-out ends the session server-side.
  auto out = cli.Post("/api/v1/auth/signout", org.headers(), "{}", "application/json");
  REQUIRE(out);
  CHECK(out->status == 200);
  auto after = cli.Get("/api/v1/campaigns", org.headers(false));
  REQUIRE(after);
  CHECK(after->status == 401);
}

TEST_CASE("only admins manage accounts; a new organizer gets a one-time link") {
  fixture::Server s;
  auto admin = fixture::sign_in_admin(s);
  auto cli = s.client();
  auto r = cli.Post("/api/v1/accounts", admin.headers(), R"({"email":"Lee@Example.org","role":"organizer"})",
                    "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  auto v = fixture::parse(r->body);
  std::string url = v.find("signin_url")->as_string();
  auto p = url.find("#signin=");
  REQUIRE(p != std::string::npos);
  auto signin = cli.Post("/api/v1/auth/link", R"({"token":")" + url.substr(p + 8) + R"("})", "application/json");
  REQUIRE(signin);
  REQUIRE(signin->status == 200);
  std::string sc = signin->get_header_value("Set-Cookie");
  std::string cookie = sc.substr(11, sc.find(';') - 11);
  auto csrf = fixture::parse(signin->body).find("csrf_token")->as_string();
  auto denied = cli.Post("/api/v1/accounts", httplib::Headers{{"Cookie", "ds_session=" + cookie}, {"X-CSRF-Token", csrf}},
                         R"({"email":"x@example.org"})", "application/json");
  REQUIRE(denied);
  CHECK(denied->status == 403);
  auto dup = cli.Post("/api/v1/accounts", admin.headers(), R"({"email":"lee@example.org"})", "application/json");
  REQUIRE(dup);
  CHECK(dup->status == 409);
}

TEST_CASE("links, sign-in links and the Origin check use the public URL, never the Host header") {
  fixture::Server s;
  auto admin = fixture::sign_in_admin(s);
  auto cli = s.client();
  // A client naming another host gets links to the real one.
  auto h = admin.headers();
  h.emplace("Host", "evil.example");
  auto r = cli.Post("/api/v1/accounts", h, R"({"email":"kim@example.org"})", "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  CHECK(fixture::parse(r->body).find("signin_url")->as_string().rfind("http://127.0.0.1:" + std::to_string(s.port) + "/#signin=", 0) == 0);
  // An Origin that matches a forged Host is still another origin.
  auto o = admin.headers();
  o.emplace("Host", "evil.example");
  o.emplace("Origin", "http://evil.example");
  auto x = cli.Post("/api/v1/campaigns", o, R"({"name":"Forged"})", "application/json");
  REQUIRE(x);
  CHECK(x->status == 403);
  auto signin = cli.Post("/api/v1/auth/signin", httplib::Headers{{"Host", "evil.example"}, {"Origin", "http://evil.example"}},
                         R"({"email":"admin","password":"whatever it is"})", "application/json");
  REQUIRE(signin);
  CHECK(signin->status == 403);
}

TEST_CASE("doorstep serve on a non-loopback address needs --public-url (and never binds without it)") {
  fixture::TempDir dir;
  std::string cmd = std::string(DOORSTEP_BINARY) + " serve --host 0.0.0.0 --port 0 --data " + dir.path + "/data 2>&1";
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  char buf[512];
  while (std::fgets(buf, sizeof buf, p)) out += buf;
  int rc = pclose(p);
  CHECK(WEXITSTATUS(rc) == 2);
  CHECK(out.find("--public-url is required") != std::string::npos);
  CHECK(out.find("serving on") == std::string::npos);
}
