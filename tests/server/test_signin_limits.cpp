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
