// One way to report expected failures, shared by browser module, server and CLI: a stable error
// code plus a human message. Asserts stay for programmer errors only. The server maps codes to
// HTTP statuses in one place (server/http_errors.cpp); nothing here knows about HTTP.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace doorstep {

// Stable codes: the names travel on the wire and in CLI output, so never renumber or rename.
enum class Code {
  ok = 0,
  invalid_argument,  // caller sent something malformed or out of range
  not_found,
  conflict,          // e.g. a mutation number reused with different content
  gap,               // a mutation arrived out of order; resend from the last acknowledged one
  unauthorized,      // no or bad credentials
  forbidden,         // credentials fine, but not for this resource
  expired,           // link or session expired
  revoked,
  rate_limited,
  too_large,
  unsupported,       // e.g. a database written by a newer version
  corrupt,           // stored data cannot be read
  io,
  internal,
  after_end,         // a push record numbered after the link ended (kept for the organizer, not applied)
};

std::string_view code_name(Code c);
std::optional<Code> code_from_name(std::string_view name);

struct Error {
  Code code = Code::internal;
  std::string message;
  // The message is the storage engine's own text (SQLite's): fine for a log or a CLI, never for a
  // client of the server, which answers a stable message for the code instead.
  bool from_storage = false;
};

inline Error make_error(Code c, std::string msg) { return Error{c, std::move(msg)}; }

// Result<T>: a value or an Error. Result<void> is spelled Status.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error e) : v_(std::move(e)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

class Status {
 public:
  Status() = default;
  Status(Error e) : e_(std::move(e)) {}
  static Status Ok() { return Status(); }
  bool ok() const { return !e_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *e_; }

 private:
  std::optional<Error> e_;
};

}  // namespace doorstep

// The one early-return helper for Status and Result: TRY(expr) returns the error of a failed `expr`
// (a Status or a Result<T>) from a function returning Status or Result<U>. TRY_ASSIGN(decl, expr)
// evaluates a Result<T>, returns its error on failure, else declares `decl` from its value, as in
// `TRY_ASSIGN(auto rows, read_rows(db));`. Both are statements; neither may be used in an expression.
#define TRY(expr)                                          \
  do {                                                     \
    if (auto try_s_ = (expr); !try_s_) return try_s_.error(); \
  } while (0)
#define DOORSTEP_TRY_CAT_(a, b) a##b
#define DOORSTEP_TRY_CAT(a, b) DOORSTEP_TRY_CAT_(a, b)
#define DOORSTEP_TRY_ASSIGN_(tmp, decl, expr) \
  auto tmp = (expr);                          \
  if (!tmp) return tmp.error();               \
  decl = std::move(tmp).value()
#define TRY_ASSIGN(decl, expr) DOORSTEP_TRY_ASSIGN_(DOORSTEP_TRY_CAT(try_r_, __LINE__), decl, expr)
