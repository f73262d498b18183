// Organizer accounts and sessions: Argon2id passwords (libsodium crypto_pwhash), one-time sign-in
// links, session tokens kept only as hashes, CSRF tokens, and the sign-in rate limit. Leaves out
// HTTP (routes live in api_auth.cpp) and canvasser links (links.h).
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "server/rate_limit.h"
#include "server/storage.h"
#include "shared/base/result.h"

namespace doorstep::server {

// A new 128-bit secret as 32 lower-case hex digits, from libsodium's randombytes_buf (the OS
// CSPRNG): canvasser link tokens, sign-in tokens, session ids and CSRF tokens.
std::string new_secret_hex();
// Hex BLAKE2b-256 of a high-entropy secret (session ids, link tokens, sign-in tokens). These are
// random 128-bit values, so a fast hash is enough; passwords use hash_password instead.
std::string hash_secret(std::string_view secret);
// Constant-time comparison of equal-length strings.
bool secrets_equal(std::string_view a, std::string_view b);

// Argon2id with libsodium's interactive limits (64 MiB). At most two run at once, so a burst of
// sign-ins cannot exhaust memory.
Result<std::string> hash_password(std::string_view password);
bool verify_password(const std::string& stored, std::string_view password);

struct SignedIn {
  Account account;
  std::string session_token;  // goes into the cookie only
  std::string csrf;
  int64_t expires_at = 0;
};

class Auth {
 public:
  struct Config {
    int64_t session_ms = 12ll * 3600 * 1000;
    int64_t signin_link_ms = 24ll * 3600 * 1000;
    size_t min_password = 10, max_password = 1024;
    // Failed sign-ins: per account 5 free then a delay doubling from 1 s (15 min at most); per
    // client address 20 free, likewise; and server-wide (GlobalRate). Delays, never a hard lock.
    RateLimiter::Config per_account{5, 1000, 15 * 60 * 1000, 60 * 60 * 1000, 100000};
    RateLimiter::Config per_address{20, 1000, 15 * 60 * 1000, 60 * 60 * 1000, 200000};
    GlobalRate::Config global;
  };
  Auth(Storage& st, std::function<int64_t()> clock, Config cfg);
  Auth(Storage& st, std::function<int64_t()> clock) : Auth(st, std::move(clock), Config{}) {}

  // First start: when no account exists, creates "admin" (no password yet) and returns a one-time
  // sign-in token; otherwise nullopt.
  Result<std::optional<std::string>> ensure_admin();
  Result<Account> create_account(std::string email, const std::string& role);
  // A fresh one-time sign-in token for the account (console recovery, new organizers).
  Result<std::string> new_signin_token(const std::string& account_id);
  Status set_password(const std::string& account_id, std::string_view password);

  // Errors: unauthorized (wrong email or password, same answer for both), rate_limited (message
  // holds no timing; retry_after_ms() says how long). `client` is the request's address
  // (http::Request::client); every limit is checked before the password is.
  Result<SignedIn> sign_in(std::string email, std::string_view password, const std::string& client = "");
  Result<SignedIn> sign_in_with_token(std::string_view token);
  Status sign_out(std::string_view session_token);

  // The account behind a session cookie value; errors unauthorized or expired.
  Result<std::pair<Account, OrganizerSession>> session(std::string_view session_token);

  // The longest wait of the account's, the address's and the server-wide limit.
  int64_t retry_after_ms(std::string email, const std::string& client = "");
  static std::string normalise_email(std::string email);
  RateLimiter& limiter() { return limiter_; }
  // The server-wide rate of failed sign-ins, shared with one-time sign-in links (api_auth.cpp).
  GlobalRate& global_rate() { return global_; }

 private:
  Storage& st_;
  std::function<int64_t()> clock_;
  Config cfg_;
  RateLimiter limiter_, address_limiter_;
  GlobalRate global_;
  Result<SignedIn> open_session(const Account& a);
};

}  // namespace doorstep::server
