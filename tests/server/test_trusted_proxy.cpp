// The client address behind a reverse proxy (issue 10 item 5, `--trusted-proxy`) over real
// loopback HTTP: a forged X-Forwarded-For from an untrusted peer changes nothing; from a named
// proxy the LAST hop is the client, and the per-address lock-out of unknown canvasser tokens keys
// on it. Also the address parsing itself and the CLI's refusal of a proxy that is no address.
#include <cstdlib>

#include "server/client_address.h"
#include "tests/server/child.h"
#include "tests/server/fixture.h"

using namespace doorstep;

namespace {

// A guessed (well-formed, unknown) canvasser token sent as from `xff`; the answer's status.
int guess(int port, int i, const std::string& xff) {
  httplib::Client cli("127.0.0.1", port);
  cli.set_read_timeout(20, 0);
  char tok[33];
  std::snprintf(tok, sizeof tok, "%032x", 0x5eed0000 + i);
  httplib::Headers h{{"Authorization", std::string("Bearer ") + tok}};
  if (!xff.empty()) h.emplace("X-Forwarded-For", xff);
  auto r = cli.Get("/api/v1/canvass/package", h);
  return r ? r->status : 0;
}

// 25 unknown tokens from one client: past 20 free failures the address is locked for unknown ones.
void flood(int port, const std::string& xff) {
  for (int i = 0; i < 25; ++i) {
    int st = guess(port, i, xff);
    REQUIRE((st == 401 || st == 429));
  }
}

}  // namespace

TEST_CASE("client_address: last X-Forwarded-For hop only from a trusted peer, canonical addresses") {
  using server::canonical_ip;
  using server::client_address;
  CHECK(canonical_ip("192.0.2.1") == "192.0.2.1");
  CHECK(canonical_ip("::ffff:192.0.2.1") == "192.0.2.1");
  CHECK(canonical_ip("2001:DB8:0:0::1") == "2001:db8::1");
  for (const char* bad : {"", "unknown", "192.0.2.1:443", "[::1]", " 192.0.2.1", "example.org", "1.2.3"})
    CHECK_MESSAGE(!canonical_ip(bad), bad);
  std::vector<std::string> trusted{"127.0.0.1"};
  server::http::Fields forged{{"X-Forwarded-For", "203.0.113.9"}};
  CHECK(client_address("198.51.100.4", forged, trusted) == "198.51.100.4");  // not a proxy: header ignored
  CHECK(client_address("127.0.0.1", forged, {}) == "127.0.0.1");             // no proxy named
  CHECK(client_address("::ffff:127.0.0.1", forged, trusted) == "203.0.113.9");
  server::http::Fields chain{{"x-forwarded-for", "10.9.9.9, 203.0.113.1"}, {"X-Forwarded-For", "6.6.6.6 , 203.0.113.2 "}};
  CHECK(client_address("127.0.0.1", chain, trusted) == "203.0.113.2");  // the last hop of the last field
  server::http::Fields junk{{"X-Forwarded-For", "203.0.113.1, unknown"}};
  CHECK(client_address("127.0.0.1", junk, trusted) == "127.0.0.1");  // not an address: the peer
  CHECK(client_address("127.0.0.1", {}, trusted) == "127.0.0.1");
}

TEST_CASE("regression: a forged X-Forwarded-For from an untrusted peer changes nothing") {
  fixture::Server s;  // no proxy named: 127.0.0.1 is just a client
  flood(s.port, "203.0.113.5");
  // The socket's address is locked; a different forged address does not get around it.
  CHECK(guess(s.port, 100, "198.51.100.7") == 429);
  CHECK(guess(s.port, 101, "") == 429);
}

TEST_CASE("--trusted-proxy: from the named proxy the last X-Forwarded-For hop is the client") {
  server::HttpConfig hc;
  hc.trusted_proxies = {"127.0.0.1"};
  fixture::Server s(hc);
  flood(s.port, "10.0.0.1, 203.0.113.5");  // the first hop is the client's to forge; the last is the proxy's
  CHECK(guess(s.port, 100, "203.0.113.5") == 429);
  CHECK(guess(s.port, 101, "198.51.100.7, 203.0.113.5") == 429);  // a forged first hop does not help
  CHECK(guess(s.port, 102, "203.0.113.5, 198.51.100.7") == 401);  // another client behind the proxy
  CHECK(guess(s.port, 103, "") == 401);                           // the proxy itself
  // The one-time sign-in link's per-address slowing keys on the same address.
  for (int i = 0; i < 25; ++i) {
    httplib::Client cli("127.0.0.1", s.port);
    char tok[33];
    std::snprintf(tok, sizeof tok, "%032x", 0xabc000 + i);
    auto r = cli.Post("/api/v1/auth/link", {{"X-Forwarded-For", "192.0.2.77"}}, std::string(R"({"token":")") + tok + R"("})",
                      "application/json");
    REQUIRE(r);
    REQUIRE((r->status == 401 || r->status == 429));
  }
  httplib::Client cli("127.0.0.1", s.port);
  std::string tok(32, 'e');
  auto locked = cli.Post("/api/v1/auth/link", {{"X-Forwarded-For", "192.0.2.77"}}, R"({"token":")" + tok + R"("})", "application/json");
  REQUIRE(locked);
  CHECK(locked->status == 429);
  CHECK(locked->has_header("Retry-After"));
  auto other = cli.Post("/api/v1/auth/link", {{"X-Forwarded-For", "192.0.2.78"}}, R"({"token":")" + tok + R"("})", "application/json");
  REQUIRE(other);
  CHECK(other->status == 401);
}

TEST_CASE("doorstep serve --trusted-proxy: repeatable, an address or a clear refusal") {
  fixture::TempDir dir;
  std::string bad = std::string(DOORSTEP_BINARY) + " serve --data " + dir.path + "/d --port 0 --trusted-proxy proxy.local 2>/dev/null";
  int rc = std::system(bad.c_str());
  CHECK(WIFEXITED(rc));
  CHECK(WEXITSTATUS(rc) == 2);
  fixture::Child c(dir.path + "/data", {"--trusted-proxy", "::1", "--trusted-proxy", "127.0.0.1"});
  flood(c.port, "203.0.113.5");
  CHECK(guess(c.port, 100, "203.0.113.5") == 429);
  CHECK(guess(c.port, 101, "198.51.100.7") == 401);
}
