// The server-neutral HTTP interface the route files are written against: a Request (method, path,
// path and query params, headers, peer, a body read on demand into a bounded string or a file), a
// Response (status, headers, a string body or a file streamed from disk) and a Router (method +
// path pattern -> handler). Leaves out the transport: http_server.cpp implements it.
#pragma once
#include <any>
#include <cstdint>
#include <functional>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shared/base/result.h"

namespace doorstep::server::http {

using Fields = std::vector<std::pair<std::string, std::string>>;  // in arrival order, names as sent

// Case-insensitive lookup of the first field named `name` ("" when absent).
const std::string* find_field(const Fields& f, std::string_view name);

struct Response;

class Request {
 public:
  // Reads up to n bytes of the body into buf; returns 0 at the end. Set by the server.
  using BodySource = std::function<Result<size_t>(char* buf, size_t n)>;

  std::string method;  // "GET", "POST", ...
  std::string path;    // decoded path, no query
  std::string peer;    // the socket's remote address (the proxy's, behind a proxy)
  // The address rate limits and lock-outs key on: the peer, or the last X-Forwarded-For hop when
  // the peer is a trusted proxy (HttpConfig::trusted_proxies; server/client_address.h).
  std::string client;
  std::vector<std::string> params;  // the route pattern's captures, in order
  Fields query;                      // decoded query parameters
  Fields headers;
  // What the route's admission found on the headers (e.g. the resolved link token), left for its
  // handler so the work is not done twice; empty when the route has no admission.
  std::any admitted;

  std::string header(std::string_view name) const;  // "" when absent
  bool has_header(std::string_view name) const { return find_field(headers, name) != nullptr; }
  bool has_query(std::string_view name) const { return find_field(query, name) != nullptr; }
  std::string query_value(std::string_view name) const;  // first value, "" when absent
  // Content-Length when the request declares one.
  std::optional<uint64_t> content_length() const;

  // The whole body as a string, read on the first call and kept. More than `limit` bytes:
  // Code::too_large (nothing more is read). Later calls return the same text.
  Result<std::string_view> body(size_t limit);
  // Streams the body into a new file at `path` (never held whole in memory); too_large past
  // `limit` (the partial file is removed). Returns the byte count.
  Result<uint64_t> body_to_file(const std::string& path, uint64_t limit);
  // Hands the body to fn piece by piece (never whole in memory); too_large past `limit`, or fn's
  // first error. Returns the byte count.
  Result<uint64_t> body_chunks(uint64_t limit, const std::function<Status(std::string_view)>& fn);

  void set_body_source(BodySource src) { source_ = std::move(src); }
  // A body the server already holds whole (it came in with the header): body() returns it as is.
  void set_body_text(std::string text) { body_ = std::move(text); }

  // Answering later. A handler that waits for something that needs no thread (a write's durable
  // commit) calls defer() and returns; the server then ignores the handler's Response, frees its
  // worker, and sends what the returned function is given, from whichever thread calls it. It
  // must be called exactly once. Empty when the server cannot defer (the handler answers in its
  // Response then, as usual).
  using Answer = std::function<void(Response)>;
  Answer defer();
  bool deferred() const { return deferred_; }
  void set_deferrer(std::function<Answer()> d) { deferrer_ = std::move(d); }

 private:
  BodySource source_;
  std::optional<std::string> body_;
  bool consumed_ = false;
  std::function<Answer()> deferrer_;
  bool deferred_ = false;
};

struct Response {
  int status = 200;
  Fields headers;
  std::string body;
  std::string file_path;  // when set, the answer is this file, streamed from disk (body ignored)
  uint64_t file_offset = 0;              // a slice of the file (a Range answer)
  std::optional<uint64_t> file_length;   // to the end when unset

  // Replaces every field of that name (Set-Cookie included: routes set at most one).
  void set_header(std::string name, std::string value);
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const { return find_field(headers, name) != nullptr; }
  void set_content(std::string text, std::string content_type);
  void send_file(std::string path, std::string content_type);
};

using Handler = std::function<void(Request&, Response&)>;

// What a route accepts, checked by the server on the headers before any body byte is read.
struct RouteLimits {
  uint64_t max_body = 0;  // 0: the server's default (HttpConfig::max_body_bytes)
  bool spool = false;     // the body goes to a temporary file as it arrives (uploads)
  bool slow = false;      // costly by design (password hashing): runs on a small pool of its own
  // Never blocks for long: no write waited for (it answers through Request::defer), reads only
  // short ones. Runs on a small pool of its own (HttpConfig::quick_worker_threads).
  bool quick = false;
  // Runs on the headers alone (no body yet): false refuses the request with the answer it wrote
  // into the Response (e.g. 401 without a valid token), and the body is never read. It may leave
  // what it found in Request::admitted for the handler.
  std::function<bool(Request&, Response&)> admit;
};

struct Route {
  std::string method;
  std::string pattern;  // ECMAScript regex matched against the whole path; groups -> params
  std::regex re;
  Handler handler;
  RouteLimits limits;
};

// Routes in registration order; the first whose method and whole-path pattern match wins.
class Router {
 public:
  void add(std::string method, std::string pattern, Handler h, RouteLimits limits = {});
  void get(std::string pattern, Handler h, RouteLimits limits = {}) {
    add("GET", std::move(pattern), std::move(h), std::move(limits));
  }
  void post(std::string pattern, Handler h, RouteLimits limits = {}) {
    add("POST", std::move(pattern), std::move(h), std::move(limits));
  }
  // The matching route with its captures in `params`, or nullptr.
  const Route* match(std::string_view method, const std::string& path, std::vector<std::string>& params) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace doorstep::server::http
