// Organizer accounts, passwords and sessions (see auth.h). Messages never say whether an email
// exists, and nothing here logs secrets or personal data.
#include "server/auth.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <semaphore>

#include "shared/base/ids.h"

namespace doorstep::server {

namespace {

bool sodium_ready() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}

std::counting_semaphore<2>& pwhash_slots() {
  static std::counting_semaphore<2> s(2);
  return s;
}

struct SlotGuard {
  SlotGuard() { pwhash_slots().acquire(); }
  ~SlotGuard() { pwhash_slots().release(); }
};

// An unauthenticated sign-in never waits for a slot: when both are busy it is refused at once
// (429), so a flood of sign-ins cannot queue up every worker thread behind Argon2.
struct TrySlot {
  bool held = pwhash_slots().try_acquire();
  ~TrySlot() {
    if (held) pwhash_slots().release();
  }
};

constexpr const char* kHex = "0123456789abcdef";

}  // namespace

std::string new_secret_hex() {
  sodium_ready();
  unsigned char b[16];
  randombytes_buf(b, sizeof b);
  std::string s;
  for (unsigned char x : b) {
    s += kHex[x >> 4];
    s += kHex[x & 15];
  }
  return s;
}

std::string hash_secret(std::string_view secret) {
  sodium_ready();
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), nullptr, 0);
  std::string hex;
  for (unsigned char c : out) {
    hex += kHex[c >> 4];
    hex += kHex[c & 15];
  }
  return hex;
}

bool secrets_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

Result<std::string> hash_password(std::string_view password) {
  if (!sodium_ready()) return Error{Code::internal, "libsodium failed to initialise"};
  char out[crypto_pwhash_STRBYTES];
  SlotGuard g;
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return Error{Code::internal, "out of memory while hashing a password"};
  return std::string(out);
}

bool verify_password(const std::string& stored, std::string_view password) {
  if (!sodium_ready() || stored.empty()) return false;
  SlotGuard g;
  return crypto_pwhash_str_verify(stored.c_str(), password.data(), password.size()) == 0;
}

Auth::Auth(Storage& st, std::function<int64_t()> clock, Config cfg)
    : st_(st), clock_(std::move(clock)), cfg_(cfg),
      limiter_(cfg.per_account), address_limiter_(cfg.per_address), global_(cfg.global) {
  sodium_ready();
}

std::string Auth::normalise_email(std::string email) {
  auto b = email.find_first_not_of(" \t\r\n");
  auto e = email.find_last_not_of(" \t\r\n");
  email = b == std::string::npos ? "" : email.substr(b, e - b + 1);
  for (auto& c : email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return email;
}

Result<std::optional<std::string>> Auth::ensure_admin() {
  auto all = st_.accounts();
  if (!all) return all.error();
  if (!all->empty()) return std::optional<std::string>();
  auto a = create_account("admin", "admin");
  if (!a) return a.error();
  auto t = new_signin_token(a->id);
  if (!t) return t.error();
  return std::optional<std::string>(*t);
}

Result<Account> Auth::create_account(std::string email, const std::string& role) {
  email = normalise_email(std::move(email));
  if (email.empty() || email.size() > 254) return Error{Code::invalid_argument, "email: 1 to 254 characters"};
  if (role != "admin" && role != "organizer") return Error{Code::invalid_argument, "role: admin or organizer"};
  if (st_.account_by_email(email).ok()) return Error{Code::conflict, "an account with this email exists"};
  Account a;
  a.id = new_uuid_v7(clock_());
  a.email = email;
  a.role = role;
  a.created_at = clock_();
  if (auto s = st_.put_account(a); !s) return s.error();
  return a;
}

Result<std::string> Auth::new_signin_token(const std::string& account_id) {
  std::string token = new_secret_hex();
  if (auto s = st_.put_signin_link(hash_secret(token), account_id, clock_() + cfg_.signin_link_ms); !s) return s.error();
  return token;
}

Status Auth::set_password(const std::string& account_id, std::string_view password) {
  if (password.size() < cfg_.min_password || password.size() > cfg_.max_password)
    return Error{Code::invalid_argument, "password: at least " + std::to_string(cfg_.min_password) + " characters"};
  auto a = st_.account_by_id(account_id);
  if (!a) return a.error();
  auto h = hash_password(password);
  if (!h) return h.error();
  a->pwhash = *h;
  return st_.put_account(*a);
}

int64_t Auth::retry_after_ms(std::string email, const std::string& client) {
  int64_t now = clock_();
  return std::max({limiter_.retry_after_ms("a:" + normalise_email(std::move(email)), now),
                   address_limiter_.retry_after_ms("p:" + (client.empty() ? std::string("?") : client), now),
                   global_.retry_after_ms(now)});
}

Result<SignedIn> Auth::sign_in(std::string email, std::string_view password, const std::string& client) {
  email = normalise_email(std::move(email));
  const std::string key = "a:" + email, where = "p:" + (client.empty() ? std::string("?") : client);
  int64_t now = clock_();
  if (global_.retry_after_ms(now) > 0)
    return Error{Code::rate_limited, "too many failed sign-ins on this server just now; wait and try again"};
  if (address_limiter_.retry_after_ms(where, now) > 0)
    return Error{Code::rate_limited, "too many failed sign-ins from this address; wait and try again"};
  if (limiter_.retry_after_ms(key, now) > 0)
    return Error{Code::rate_limited, "too many failed sign-ins for this account; wait and try again"};
  auto a = st_.account_by_email(email);
  // Unknown accounts cost the same Argon2id work, so timing does not reveal which emails exist.
  static const std::string dummy = hash_password("not a real password, only for timing").value();
  TrySlot slot;
  if (!slot.held) return Error{Code::rate_limited, "the server is busy signing others in; try again in a moment"};
  const std::string& stored = a.ok() ? a->pwhash : dummy;
  bool good = !stored.empty() && crypto_pwhash_str_verify(stored.c_str(), password.data(), password.size()) == 0 &&
              a.ok() && !a->disabled;
  if (!good) {
    now = clock_();
    limiter_.failure(key, now);
    address_limiter_.failure(where, now);  // never reset by a success: a guesser's own account would
    global_.spend(now);
    return Error{Code::unauthorized, "wrong email or password"};
  }
  limiter_.success(key);
  return open_session(*a);
}

Result<SignedIn> Auth::sign_in_with_token(std::string_view token) {
  auto id = st_.take_signin_link(hash_secret(token), clock_());
  if (!id) return id.error();
  auto a = st_.account_by_id(*id);
  if (!a) return Error{Code::unauthorized, "account gone"};
  if (a->disabled) return Error{Code::forbidden, "account disabled"};
  return open_session(*a);
}

Result<SignedIn> Auth::open_session(const Account& a) {
  SignedIn out;
  out.account = a;
  out.session_token = new_secret_hex() + new_secret_hex();  // 256 bits
  out.csrf = new_secret_hex();
  OrganizerSession s;
  s.account_id = a.id;
  s.csrf = out.csrf;
  s.created_at = clock_();
  s.expires_at = out.expires_at = s.created_at + cfg_.session_ms;
  if (auto r = st_.put_session(hash_secret(out.session_token), s); !r) return r.error();
  return out;
}

Status Auth::sign_out(std::string_view session_token) { return st_.delete_session(hash_secret(session_token)); }

Result<std::pair<Account, OrganizerSession>> Auth::session(std::string_view session_token) {
  if (session_token.empty()) return Error{Code::unauthorized, "not signed in"};
  auto s = st_.session(hash_secret(session_token), clock_());
  if (!s) return s.error();
  auto a = st_.account_by_id(s->account_id);
  if (!a || a->disabled) return Error{Code::unauthorized, "not signed in"};
  return std::make_pair(*a, *s);
}

}  // namespace doorstep::server
