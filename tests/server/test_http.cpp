// HTTP layer: health, MIME types (application/wasm) from a temporary web root, security headers,
// and one real request over HTTPS with a throwaway self-signed certificate made by the openssl CLI.
#include <cstdlib>
#include <fstream>

#include "tests/server/fixture.h"

using namespace doorstep;

TEST_CASE("health answers with the API version and security headers") {
  fixture::Server s;
  auto cli = s.client();
  auto r = cli.Get("/api/v1/health");
  REQUIRE(r);
  CHECK(r->status == 200);
  auto v = fixture::parse(r->body);
  CHECK(v.find("ok")->as_bool());
  CHECK(r->get_header_value("Content-Type") == "application/json");
  std::string csp = r->get_header_value("Content-Security-Policy");
  CHECK(csp.find("'wasm-unsafe-eval'") != std::string::npos);
  CHECK(csp.find("default-src 'self'") != std::string::npos);
  CHECK(csp.find("'unsafe-eval'") == std::string::npos);  // only the wasm variant is allowed
  CHECK(r->get_header_value("X-Content-Type-Options") == "nosniff");
  CHECK(r->get_header_value("Referrer-Policy") == "no-referrer");
  CHECK(r->get_header_value("Cache-Control") == "no-store");
}

TEST_CASE("static files get their MIME types, .wasm as application/wasm") {
  fixture::TempDir web;
  auto put = [&](const char* name, const std::string& body) { std::ofstream(web.path + "/" + name) << body; };
  put("index.html", "<!doctype html><title>x</title>");
  put("app.js", "console.log(1)");
  put("app.wasm", std::string("\0asm\1\0\0\0", 8));
  put("manifest.webmanifest", "{}");
  server::HttpConfig hc;
  hc.web_root = web.path;
  fixture::Server s(hc);
  auto cli = s.client();
  struct Case {
    const char* path;
    const char* type;
  };
  for (Case c : {Case{"/app.wasm", "application/wasm"}, Case{"/app.js", "text/javascript; charset=utf-8"},
                 Case{"/index.html", "text/html; charset=utf-8"},
                 Case{"/manifest.webmanifest", "application/manifest+json"}}) {
    CAPTURE(c.path);
    auto r = cli.Get(c.path);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Content-Type") == c.type);
    CHECK(r->get_header_value("Content-Security-Policy").find("'wasm-unsafe-eval'") != std::string::npos);
  }
  auto wasm = cli.Get("/app.wasm");
  CHECK(wasm->body.size() == 8);
  auto idx = cli.Get("/");
  REQUIRE(idx);
  CHECK(idx->status == 200);
  CHECK(idx->get_header_value("Cache-Control") == "no-cache");
  auto missing = cli.Get("/api/v1/nope");
  REQUIRE(missing);
  CHECK(missing->status == 404);
  CHECK(fixture::parse(missing->body).find("code")->as_string() == "not_found");
}

TEST_CASE("HTTPS with --tls-cert/--tls-key: one real request, session cookie marked Secure") {
  fixture::TempDir keys;
  std::string cert = keys.path + "/cert.pem", key = keys.path + "/key.pem";
  std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -keyout " + key +
                    " -out " + cert + " >/dev/null 2>&1";
  REQUIRE(std::system(cmd.c_str()) == 0);
  server::HttpConfig hc;
  hc.tls_cert = cert;
  hc.tls_key = key;
  server::AppConfig ac;
  ac.secure_cookies = true;  // what `serve` sets when TLS is on
  fixture::Server s(hc, ac);
  REQUIRE(s.http->tls());
  httplib::SSLClient cli("127.0.0.1", s.port);
  cli.set_ca_cert_path(cert.c_str());
  cli.enable_server_certificate_verification(true);
  cli.set_read_timeout(10, 0);
  auto r = cli.Get("/api/v1/health");
  REQUIRE_MESSAGE(r, httplib::to_string(r.error()));
  CHECK(r->status == 200);
  CHECK(fixture::parse(r->body).find("ok")->as_bool());

  auto token = s.app->first_start();
  REQUIRE(token.ok());
  auto signin = cli.Post("/api/v1/auth/link", R"({"token":")" + **token + R"("})", "application/json");
  REQUIRE(signin);
  CHECK(signin->status == 200);
  std::string cookie = signin->get_header_value("Set-Cookie");
  CHECK(cookie.find("; Secure") != std::string::npos);
  CHECK(cookie.find("HttpOnly") != std::string::npos);

  // Plain HTTP to the TLS port gets nothing useful.
  httplib::Client plain("127.0.0.1", s.port);
  plain.set_read_timeout(3, 0);
  auto p = plain.Get("/api/v1/health");
  CHECK((!p || p->status != 200));
}
