// Sign-in hardening over real loopback HTTP (issue 10 item 5): bodies capped at 4 KiB before
// parsing, sign-in-link tokens that are not 32 hex characters refused before the database, and
// Argon2 slots taken without waiting (429 when both are busy, never a queue of worker threads).
#include <future>
#include <vector>

#include "tests/server/fixture.h"

using namespace doorstep;

TEST_CASE("regression: sign-in bodies over 4 KiB and malformed sign-in-link tokens are refused early") {
  fixture::Server s;
  auto cli = s.client();
  std::string big = R"({"email":"admin","password":")" + std::string(5000, 'x') + R"("})";
  auto r = cli.Post("/api/v1/auth/signin", big, "application/json");
  REQUIRE(r);
  CHECK(r->status == 413);
  auto link = cli.Post("/api/v1/auth/link", R"({"token":")" + std::string(5000, 'a') + R"("})", "application/json");
  REQUIRE(link);
  CHECK(link->status == 413);
  for (const char* bad : {"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", "ABCDEF0123456789ABCDEF0123456789", "abc"}) {
    auto t = cli.Post("/api/v1/auth/link", std::string(R"({"token":")") + bad + R"("})", "application/json");
    REQUIRE(t);
    CHECK_MESSAGE(t->status == 400, bad);
  }
  // Malformed tokens are no guesses: the real one-time link still works afterwards.
  auto token = s.app->first_start();
  REQUIRE(token.ok());
  REQUIRE(token->has_value());
  auto good = cli.Post("/api/v1/auth/link", R"({"token":")" + **token + R"("})", "application/json");
  REQUIRE(good);
  CHECK(good->status == 200);
}

TEST_CASE("regression: a burst of sign-ins is answered at once, 429 when both Argon2 slots are busy") {
  fixture::Server s;
  REQUIRE(s.app->first_start().ok());
  std::vector<std::future<int>> answers;
  for (int i = 0; i < 16; ++i)
    answers.push_back(std::async(std::launch::async, [&s, i] {
      auto cli = s.client();
      auto r = cli.Post("/api/v1/auth/signin", R"({"email":"nobody)" + std::to_string(i) + R"(@example.org","password":"wrong-wrong"})",
                        "application/json");
      return r ? r->status : 0;
    }));
  int busy = 0, wrong = 0;
  for (auto& a : answers) {
    int st = a.get();
    CHECK((st == 401 || st == 429));
    busy += st == 429;
    wrong += st == 401;
  }
  CHECK(wrong >= 1);
  CHECK(busy >= 1);  // more than two at once: the others were refused, not queued
}

TEST_CASE("regression: a global sign-in rate slows guesses spread over many addresses, 429 with Retry-After, no lock") {
  server::HttpConfig hc;
  hc.trusted_proxies = {"127.0.0.1"};  // each guess comes "from" its own address (X-Forwarded-For)
  server::AppConfig ac;
  ac.auth.global = {4, 1000};  // 4 failed sign-ins at once, then one a second
  fixture::Server s(hc, ac);
  REQUIRE(s.app->first_start().ok());
  REQUIRE(s.app->auth().set_password(s.app->storage().account_by_email("admin")->id, "the right password").ok());
  auto signin = [&](int from, const std::string& email, const std::string& pw) {
    auto cli = s.client();
    auto r = cli.Post("/api/v1/auth/signin", {{"X-Forwarded-For", "198.51.100." + std::to_string(from)}},
                      R"({"email":")" + email + R"(","password":")" + pw + R"("})", "application/json");
    REQUIRE(r);
    return r;
  };
  // Four wrong passwords for four accounts from four addresses: no per-account or per-address
  // limit is reached, only the server-wide budget.
  for (int i = 0; i < 4; ++i) CHECK(signin(i, "user" + std::to_string(i) + "@example.org", "wrong-wrong")->status == 401);
  auto slowed = signin(10, "user9@example.org", "wrong-wrong");
  CHECK(slowed->status == 429);
  CHECK(fixture::parse(slowed->body).find("code")->as_string() == "rate_limited");
  REQUIRE(slowed->has_header("Retry-After"));
  CHECK(std::stoi(slowed->get_header_value("Retry-After")) == 1);
  // While it is spent even the right password waits (and is not checked); the sign-in-link route
  // shares the budget.
  CHECK(signin(11, "admin", "the right password")->status == 429);
  auto link = s.client().Post("/api/v1/auth/link", {{"X-Forwarded-For", "198.51.100.12"}},
                              R"({"token":")" + std::string(32, 'a') + R"("})", "application/json");
  REQUIRE(link);
  CHECK(link->status == 429);
  // A rate, never a lock: a second later one more attempt fits, and the account signs in.
  s.now_ms += 1000;
  CHECK(signin(13, "admin", "the right password")->status == 200);
}

TEST_CASE("regression: failed sign-ins are slowed per client address across accounts, not only per account") {
  server::HttpConfig hc;
  hc.trusted_proxies = {"127.0.0.1"};
  server::AppConfig ac;
  ac.auth.per_address.free_failures = 3;
  fixture::Server s(hc, ac);
  REQUIRE(s.app->first_start().ok());
  REQUIRE(s.app->auth().set_password(s.app->storage().account_by_email("admin")->id, "the right password").ok());
  auto signin = [&](const std::string& from, const std::string& email, const std::string& pw) {
    auto cli = s.client();
    auto r = cli.Post("/api/v1/auth/signin", {{"X-Forwarded-For", from}},
                      R"({"email":")" + email + R"(","password":")" + pw + R"("})", "application/json");
    REQUIRE(r);
    return r->status;
  };
  // One address spraying one guess per account: each account sees a single failure.
  for (int i = 0; i < 4; ++i) CHECK(signin("203.0.113.50", "spray" + std::to_string(i) + "@example.org", "wrong-wrong") == 401);
  CHECK(signin("203.0.113.50", "spray9@example.org", "wrong-wrong") == 429);
  CHECK(signin("203.0.113.50", "admin", "the right password") == 429);  // checked before any password
  CHECK(signin("203.0.113.51", "admin", "the right password") == 200);  // another address: the account works
}
