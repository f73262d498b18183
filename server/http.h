// The server-neutral HTTP interface the route files are written against: a Request (method, path,
// path and query params, headers, peer, a body read on demand into a bounded string or a file), a
// Response (status, headers, a string body or a file streamed from disk) and a Router (method +
// path pattern -> handler). Leaves out the transport: http_server.cpp implements it.
#pragma once
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

class Request {
 public:
  // Reads up to n bytes of the body into buf; returns 0 at the end. Set by the server.
  using BodySource = std::function<Result<size_t>(char* buf, size_t n)>;
  // Or, for a server that pushes chunks as they arrive (cpp-httplib's content reader): hands each
  // chunk to sink until the body ends or sink returns false; an error when the body ended early.
  using BodyReader = std::function<Status(const std::function<bool(const char*, size_t)>& sink)>;

  std::string method;  // "GET", "POST", ...
  std::string path;    // decoded path, no query
  std::string peer;    // remote address (the proxy's, behind a proxy)
  std::vector<std::string> params;  // the route pattern's captures, in order
  Fields query;                      // decoded query parameters
  Fields headers;

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
  // `limit` (the partial file is removed). `progress` (optional) hears the bytes written so far.
  // Returns the byte count.
  Result<uint64_t> body_to_file(const std::string& path, uint64_t limit,
                                const std::function<void(uint64_t)>& progress = {});
  // Whether a route asked for the body (the server drains or drops what was not read).
  bool body_read() const { return consumed_ || body_.has_value(); }

  void set_body_source(BodySource src) { source_ = std::move(src); }
  void set_body_reader(BodyReader r) { reader_ = std::move(r); }

 private:
  // Every chunk of the body to fn (stopping at fn's error), from reader_ or source_.
  Status each_chunk(const std::function<Status(const char*, size_t)>& fn);
  BodySource source_;
  BodyReader reader_;
  std::optional<std::string> body_;
  bool consumed_ = false;
};

struct Response {
  int status = 200;
  Fields headers;
  std::string body;
  std::string file_path;  // when set, the answer is this file, streamed from disk (body ignored)

  // Replaces every field of that name (Set-Cookie included: routes set at most one).
  void set_header(std::string name, std::string value);
  std::string header(std::string_view name) const;
  void set_content(std::string text, std::string content_type);
  void send_file(std::string path, std::string content_type);
};

using Handler = std::function<void(Request&, Response&)>;

struct Route {
  std::string method;
  std::string pattern;  // ECMAScript regex matched against the whole path; groups -> params
  std::regex re;
  Handler handler;
  uint64_t max_body = 0;  // largest body the server lets through to this route; 0: its default
};

// Routes in registration order; the first whose method and whole-path pattern match wins.
class Router {
 public:
  void add(std::string method, std::string pattern, Handler h);
  void get(std::string pattern, Handler h) { add("GET", std::move(pattern), std::move(h)); }
  void post(std::string pattern, Handler h) { add("POST", std::move(pattern), std::move(h)); }
  // A POST route taking bodies up to max_body (file uploads), which it must read as a stream.
  void post_upload(std::string pattern, uint64_t max_body, Handler h);
  // The matching route with its captures in `params`, or nullptr.
  const Route* match(std::string_view method, const std::string& path, std::vector<std::string>& params) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace doorstep::server::http
