// HTTP layer: health, MIME types (application/wasm) from a temporary web root, security headers,
// static files (ETag, precompressed, ranges, caching), the connection cap, and one real request
// over HTTPS with a throwaway self-signed certificate made by the openssl CLI.
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>
#include <fstream>
#include <thread>

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
  CHECK_FALSE(r->has_header("Strict-Transport-Security"));  // plain HTTP on loopback: no HSTS
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
  CHECK(r->get_header_value("Strict-Transport-Security") == "max-age=31536000");

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

TEST_CASE("static files: ETag and 304, precompressed gzip as it is, one range, no-cache entry points") {
  fixture::TempDir web;
  std::string body(100000, 'a');
  for (size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>('a' + i % 26);
  std::ofstream(web.path + "/index.html") << "<!doctype html><title>x</title>";
  std::ofstream(web.path + "/app.js") << body;
  REQUIRE(std::system(("gzip -k -9 " + web.path + "/app.js").c_str()) == 0);  // app.js.gz, as the build makes
  std::ofstream(web.path + "/lib.0123abcd.js") << "hashed";
  server::HttpConfig hc;
  hc.web_root = web.path;
  fixture::Server s(hc);
  auto cli = s.client();

  auto plain = cli.Get("/app.js", {{"Accept-Encoding", "identity"}});
  REQUIRE(plain);
  CHECK(plain->status == 200);
  CHECK(plain->body == body);
  std::string etag = plain->get_header_value("ETag");
  CHECK(!etag.empty());
  CHECK(plain->get_header_value("Cache-Control") == "no-cache");
  auto again = cli.Get("/app.js", {{"Accept-Encoding", "identity"}, {"If-None-Match", etag}});
  REQUIRE(again);
  CHECK(again->status == 304);
  CHECK(again->body.empty());

  auto gz = cli.Get("/app.js", {{"Accept-Encoding", "gzip, deflate"}});
  REQUIRE(gz);
  CHECK(gz->get_header_value("Content-Encoding") == "gzip");
  CHECK(gz->body == body);  // the client inflated the precompressed file
  CHECK(std::stoul(gz->get_header_value("Content-Length")) < body.size() / 4);
  CHECK(gz->get_header_value("Vary") == "Accept-Encoding");

  auto one = cli.Get("/app.js", {{"Accept-Encoding", "identity"}, {"Range", "bytes=10-19"}});
  REQUIRE(one);
  CHECK(one->status == 206);
  CHECK(one->body == body.substr(10, 10));
  CHECK(one->get_header_value("Content-Range") == "bytes 10-19/100000");
  auto many = cli.Get("/app.js", {{"Accept-Encoding", "identity"}, {"Range", "bytes=0-4,10-14,20-24"}});
  REQUIRE(many);
  CHECK(many->status == 206);
  CHECK(many->body == body.substr(0, 5));  // the first range only, never multipart
  auto past = cli.Get("/app.js", {{"Accept-Encoding", "identity"}, {"Range", "bytes=200000-"}});
  REQUIRE(past);
  CHECK(past->status == 416);

  auto hashed = cli.Get("/lib.0123abcd.js");
  REQUIRE(hashed);
  CHECK(hashed->get_header_value("Cache-Control") == "public, max-age=31536000, immutable");
  auto escape = cli.Get("/../etc/passwd");
  REQUIRE(escape);
  CHECK(escape->status == 404);
}

TEST_CASE("connection cap: the oldest idle connection is closed first, then new ones get 503") {
  server::HttpConfig hc;
  hc.max_connections = 4;
  fixture::Server s(hc);
  auto connect = [&] {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(s.port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    timeval tv{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
  };
  auto ask = [](int fd) {
    std::string req = "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n";
    if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) <= 0) return std::string();
    char buf[4096];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
  };
  // Four kept-alive connections that have each been answered once: idle.
  std::vector<int> idle;
  for (int i = 0; i < 4; ++i) {
    idle.push_back(connect());
    CHECK(ask(idle.back()).rfind("HTTP/1.1 200", 0) == 0);
  }
  // A fifth: the oldest idle one is closed to make room, and the new one is answered.
  int fifth = connect();
  CHECK(ask(fifth).rfind("HTTP/1.1 200", 0) == 0);
  char c;
  CHECK(::recv(idle[0], &c, 1, 0) == 0);  // closed by the server
  // Four connections that have sent nothing yet are not idle: a new one is refused with 503.
  for (int fd : idle) ::close(fd);
  ::close(fifth);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::vector<int> busy;
  for (int i = 0; i < 4; ++i) busy.push_back(connect());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  int refused = connect();
  char buf[512];
  ssize_t n = ::recv(refused, buf, sizeof buf, 0);
  REQUIRE(n > 0);
  CHECK(std::string(buf, static_cast<size_t>(n)).rfind("HTTP/1.1 503", 0) == 0);
  ::close(refused);
  for (int fd : busy) ::close(fd);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the server sees them close
  auto cli = s.client();
  auto h = cli.Get("/api/v1/health");
  REQUIRE(h);
  CHECK(h->status == 200);
}

// A handler that defers its answer, answers at once, and only then returns: on a kept-alive
// connection the session sends the answer and reads the next request while the handler's worker
// is still inside it. The worker must not read the session's request afterwards (it did: the
// session had reset it, a null dereference that crashed `doorstep serve` under browsers' pushes).
TEST_CASE("a deferred answer sent before its handler returns: the connection goes on, the server stays up") {
  server::HttpConfig hc;
  hc.host = "127.0.0.1";
  hc.port = 0;
  hc.log_requests = false;
  server::HttpServer srv(hc);
  std::atomic<int> handled{0};
  srv.routes().get("/deferred", [&](server::http::Request& req, server::http::Response&) {
    auto answer = req.defer();
    if (!answer) return;  // not deferred: the empty answer fails the client's check
    server::http::Response r;
    r.status = 200;
    r.body = "ok";
    answer(std::move(r));
    // The answer is out; the client's next request arrives on the same connection meanwhile.
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    handled++;
  }, server::http::RouteLimits{.quick = true});
  int port = srv.bind();
  REQUIRE(port > 0);
  std::thread t([&] { srv.run(); });
  {
    httplib::Client cli("127.0.0.1", port);
    cli.set_keep_alive(true);
    cli.set_read_timeout(10, 0);
    for (int i = 0; i < 6; ++i) {
      auto r = cli.Get("/deferred");
      REQUIRE(r);
      CHECK(r->status == 200);
      CHECK(r->body == "ok");
    }
  }
  for (int i = 0; i < 200 && handled < 6; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(handled == 6);
  srv.stop();
  t.join();
}
