// The HTTP layer (see http_server.h) on Boost.Beast over Asio: a few I/O threads run every
// connection as a chain of asynchronous reads and writes, so an idle or slow connection holds a
// socket and a small buffer, never a thread. Each limit is checked on the headers before any body
// byte is read; handlers run on a bounded worker pool. Request logs carry method, route and
// status only: never bodies or queries, which may hold personal data or tokens. The only
// translation unit that includes Beast (it compiles slowly).
#include "server/http_server.h"
#include "server/client_address.h"
#include "server/request_log.h"
#include "server/server_log.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace doorstep::server {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

namespace {

// 'wasm-unsafe-eval' lets the page compile its WebAssembly; nothing else is evaluated
// (the module is linked with -sDYNAMIC_EXECUTION=0). Map tiles may come from a configured host.
#define DOORSTEP_CSP(ANCESTORS)                                                                   \
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "  \
  "img-src 'self' data: blob: https:; connect-src 'self'; worker-src 'self'; font-src 'self'; "   \
  "object-src 'none'; base-uri 'none'; frame-ancestors " ANCESTORS "; form-action 'self'"
constexpr const char* kCsp = DOORSTEP_CSP("'none'");
// The canvasser page alone may be framed, by its own origin only: the console shows a turf's
// preview in an iframe of it (index.html#preview=<turf id>).
constexpr const char* kCspFramable = DOORSTEP_CSP("'self'");
#undef DOORSTEP_CSP

bool framable(std::string_view path) { return path == "/" || path == "/index.html"; }

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool iequals(std::string_view a, std::string_view b) {
  return beast::iequals(beast::string_view(a.data(), a.size()), beast::string_view(b.data(), b.size()));
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding; `plus` turns '+' into a space (query strings). Nullopt on a bad escape or NUL.
std::optional<std::string> url_decode(std::string_view s, bool plus) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int h = hex_digit(s[i + 1]), l = hex_digit(s[i + 2]);
      if (h < 0 || l < 0) return std::nullopt;
      c = static_cast<char>(h * 16 + l);
      i += 2;
    } else if (c == '+' && plus) {
      c = ' ';
    }
    if (c == '\0') return std::nullopt;
    out += c;
  }
  return out;
}

// A body type for files sent from disk: a slice [offset, offset + length) read in 16 KiB pieces,
// so neither a whole file nor a Range answer is ever held in memory.
struct FileSliceBody {
  struct value_type {
    beast::file file;
    uint64_t offset = 0, length = 0;
  };
  static uint64_t size(const value_type& v) { return v.length; }
  class writer {
   public:
    using const_buffers_type = net::const_buffer;
    template <bool isRequest, class Fields>
    writer(bhttp::header<isRequest, Fields>&, value_type& v) : v_(v), remain_(v.length) {}
    void init(beast::error_code& ec) { v_.file.seek(v_.offset, ec); }
    boost::optional<std::pair<const_buffers_type, bool>> get(beast::error_code& ec) {
      size_t n = static_cast<size_t>(std::min<uint64_t>(remain_, sizeof buf_));
      if (n == 0) {
        ec = {};
        return boost::none;
      }
      size_t got = v_.file.read(buf_, n, ec);
      if (ec) return boost::none;
      if (got == 0) {
        ec = bhttp::error::short_read;
        return boost::none;
      }
      remain_ -= got;
      return {{net::const_buffer(buf_, got), remain_ > 0}};
    }

   private:
    value_type& v_;
    uint64_t remain_;
    char buf_[16384];
  };
};

std::string json_error(const char* code, const std::string& message) {
  return std::string(R"({"code":")") + code + R"(","message":")" + message + "\"}";
}

void error_response(http::Response& res, int status, const char* code, const std::string& message) {
  res.status = status;
  res.set_content(json_error(code, message), "application/json");
}

// ---- static files -------------------------------------------------------------------------------

// Content-hashed names (NAME.HASH.EXT with 8+ hex digits) never change; they may be cached for good.
bool content_hashed(std::string_view path) {
  auto slash = path.rfind('/');
  std::string_view name = path.substr(slash == std::string_view::npos ? 0 : slash + 1);
  size_t start = 0;
  while (true) {
    size_t dot = name.find('.', start);
    if (dot == std::string_view::npos) return false;
    size_t next = name.find('.', dot + 1);
    if (next == std::string_view::npos) return false;
    std::string_view part = name.substr(dot + 1, next - dot - 1);
    if (part.size() >= 8 && std::all_of(part.begin(), part.end(), [](char c) { return hex_digit(c) >= 0; })) return true;
    start = dot + 1;
  }
}

bool entry_point(std::string_view path) {
  return path == "/" || path == "/index.html" || path == "/sw.js" || path == "/manifest.webmanifest" ||
         path == "/organizer.html" || path == "/build.json";
}

// One "bytes=A-B", "bytes=A-" or "bytes=-N" range; more than one range is answered with the first
// only (never an amplified multipart answer). Nullopt: unsatisfiable.
struct ByteRange {
  uint64_t offset, length;
};
std::optional<ByteRange> parse_range(std::string_view h, uint64_t size) {
  if (h.rfind("bytes=", 0) != 0) return std::nullopt;
  h.remove_prefix(6);
  if (auto comma = h.find(','); comma != std::string_view::npos) h = h.substr(0, comma);
  while (!h.empty() && h.front() == ' ') h.remove_prefix(1);
  while (!h.empty() && h.back() == ' ') h.remove_suffix(1);
  auto dash = h.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  auto num = [](std::string_view s) -> std::optional<uint64_t> {
    if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
    return std::stoull(std::string(s));
  };
  std::string_view a = h.substr(0, dash), b = h.substr(dash + 1);
  if (a.empty()) {
    auto n = num(b);
    if (!n || *n == 0 || size == 0) return std::nullopt;
    uint64_t len = std::min(*n, size);
    return ByteRange{size - len, len};
  }
  auto first = num(a);
  if (!first || *first >= size) return std::nullopt;
  uint64_t last = size - 1;
  if (!b.empty()) {
    auto l = num(b);
    if (!l || *l < *first) return std::nullopt;
    last = std::min(*l, size - 1);
  }
  return ByteRange{*first, last - *first + 1};
}

// A static file answer (GET/HEAD): the precompressed sibling (FILE.br, FILE.gz) when the client
// accepts it, ETag from size and modification time, 304 on a match, at most one range.
void static_file(const std::string& root, const http::Request& req, http::Response& res) {
  std::string path = req.path;
  if (path.empty() || path[0] != '/' || path.find("/.") != std::string::npos || path.find('\\') != std::string::npos)
    return error_response(res, 404, "not_found", "HTTP 404");
  if (path.back() == '/') path += "index.html";
  std::string file = root + path;
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return error_response(res, 404, "not_found", "HTTP 404");
  std::string type = content_type_for(path);
  std::string accept = req.header("Accept-Encoding");
  std::string encoding;
  for (auto [enc, ext] : {std::pair<const char*, const char*>{"br", ".br"}, {"gzip", ".gz"}}) {
    if (accept.find(enc) == std::string::npos) continue;
    struct stat cs {};
    if (::stat((file + ext).c_str(), &cs) == 0 && S_ISREG(cs.st_mode) && cs.st_mtime >= st.st_mtime) {
      file += ext;
      st = cs;
      encoding = enc;
      break;
    }
  }
  char etag[64];
  std::snprintf(etag, sizeof etag, "\"%llx-%llx%s\"", static_cast<unsigned long long>(st.st_size),
                static_cast<unsigned long long>(st.st_mtime), encoding.empty() ? "" : ("-" + encoding).c_str());
  res.set_header("ETag", etag);
  res.set_header("Vary", "Accept-Encoding");
  if (!encoding.empty()) res.set_header("Content-Encoding", encoding);
  res.set_header("Cache-Control", entry_point(req.path)   ? "no-cache"
                                  : content_hashed(path) ? "public, max-age=31536000, immutable"
                                                         : "no-cache");
  std::string inm = req.header("If-None-Match");
  if (!inm.empty() && inm.find(etag) != std::string::npos) {
    res.status = 304;
    res.set_header("Content-Type", type);
    return;
  }
  res.send_file(file, type);
  res.set_header("Accept-Ranges", "bytes");
  uint64_t size = static_cast<uint64_t>(st.st_size);
  std::string range = req.header("Range");
  if (!range.empty() && encoding.empty()) {
    auto r = parse_range(range, size);
    if (!r) {
      res.file_path.clear();
      res.status = 416;
      res.set_header("Content-Range", "bytes */" + std::to_string(size));
      res.set_content("", type);
      return;
    }
    res.status = 206;
    res.file_offset = r->offset;
    res.file_length = r->length;
    res.set_header("Content-Range", "bytes " + std::to_string(r->offset) + "-" + std::to_string(r->offset + r->length - 1) +
                                        "/" + std::to_string(size));
  }
}

}  // namespace

const char* content_type_for(const std::string& path) {
  if (ends_with(path, ".wasm")) return "application/wasm";
  if (ends_with(path, ".js") || ends_with(path, ".mjs")) return "text/javascript; charset=utf-8";
  if (ends_with(path, ".html")) return "text/html; charset=utf-8";
  if (ends_with(path, ".css")) return "text/css; charset=utf-8";
  if (ends_with(path, ".json")) return "application/json";
  if (ends_with(path, ".webmanifest")) return "application/manifest+json";
  if (ends_with(path, ".geojson")) return "application/geo+json";
  if (ends_with(path, ".png")) return "image/png";
  if (ends_with(path, ".svg")) return "image/svg+xml";
  if (ends_with(path, ".ttf")) return "font/ttf";
  if (ends_with(path, ".ttc")) return "font/collection";
  if (ends_with(path, ".csv")) return "text/csv; charset=utf-8";
  return "application/octet-stream";
}

// ---- connections --------------------------------------------------------------------------------

struct Conn {
  virtual ~Conn() = default;
  virtual void close() = 0;  // on the connection's own executor
  std::atomic<bool> idle{false};  // waiting for the next request of a kept-alive connection
};

struct HttpServer::Impl {
  HttpConfig cfg;
  http::Router& router;
  // The request log's own writer: a log nobody reads never holds up a connection. Declared first
  // of what it outlives: the pools and sessions that log are destroyed before it.
  std::unique_ptr<RequestLog> request_log;
  // Before the io_context: sessions still queued in it when it is destroyed unregister here.
  std::mutex mu;
  std::list<std::weak_ptr<Conn>> conns;  // oldest first
  size_t open_conns = 0;
  net::io_context ioc;
  std::optional<ssl::context> tls;
  tcp::acceptor acceptor{ioc};
  std::optional<net::thread_pool> workers, slow_workers, quick_workers;
  // The pool a route's admission and handler run on (RouteLimits::slow, quick).
  net::thread_pool& pool(const http::Route& r) {
    return r.limits.slow ? *slow_workers : r.limits.quick ? *quick_workers : *workers;
  }
  std::atomic<size_t> queued{0}, slow_queued{0};
  std::atomic<bool> stopping{false};
  size_t max_connections = 0;

  Impl(HttpConfig c, http::Router& r) : cfg(std::move(c)), router(r) {
    if (cfg.log_requests) request_log = std::make_unique<RequestLog>(2);
  }

  // Registers a new connection; at the cap, closes the oldest idle one first, and only when none
  // is idle refuses the new one (false: answer 503).
  // Every shared_ptr taken from `conns` is kept in `seen` until `mu` is released: one of them may be
  // a session's last owner, whose destructor calls forget(), which takes `mu` (a deadlock when it ran
  // under the lock; seen once in test_http's connection-cap test).
  bool admit(const std::shared_ptr<Conn>& c, std::list<std::weak_ptr<Conn>>::iterator& where) {
    std::vector<std::shared_ptr<Conn>> seen;
    std::shared_ptr<Conn> victim;
    {
      std::lock_guard<std::mutex> l(mu);
      if (open_conns >= max_connections) {
        for (auto& w : conns) {
          auto s = w.lock();
          if (!s) continue;
          seen.push_back(s);
          if (s->idle) {
            victim = std::move(s);
            break;
          }
        }
        if (!victim) return false;
        victim->idle = false;  // closing; never chosen twice
      }
      ++open_conns;
      where = conns.insert(conns.end(), c);
    }
    if (victim) victim->close();
    return true;
  }
  void forget(std::list<std::weak_ptr<Conn>>::iterator where) {
    std::lock_guard<std::mutex> l(mu);
    conns.erase(where);
    --open_conns;
  }
  size_t connections() {
    std::lock_guard<std::mutex> l(mu);
    return open_conns;
  }

  // Answers handlers deferred (http::Request::defer) and not yet sent.
  std::mutex deferred_mu;
  std::condition_variable deferred_cv;
  size_t deferred = 0;
  void deferred_begin() {
    std::lock_guard<std::mutex> l(deferred_mu);
    ++deferred;
  }
  void deferred_end() {
    std::lock_guard<std::mutex> l(deferred_mu);
    if (--deferred == 0) deferred_cv.notify_all();
  }
  void wait_deferred() {
    std::unique_lock<std::mutex> l(deferred_mu);
    deferred_cv.wait(l, [&] { return deferred == 0; });
  }

  void log(const http::Request& req, int status) const {
    if (!request_log) return;
    // The path of /t/<token> style URLs is reduced to its route; nothing personal is logged.
    std::string route = req.path.rfind("/api/", 0) == 0 ? req.path.substr(0, req.path.find('/', 8)) : "static";
    request_log->add(req.method + " " + route + " " + std::to_string(status));
  }
};

namespace {

template <class Stream>
class Session : public Conn, public std::enable_shared_from_this<Session<Stream>> {
 public:
  Session(HttpServer::Impl& srv, Stream stream) : srv_(srv), stream_(std::move(stream)) {}
  ~Session() override {
    if (registered_) srv_.forget(where_);
    if (!spool_.empty()) {
      std::error_code ec;
      std::filesystem::remove(spool_, ec);
    }
  }

  void start(bool tls) {
    if (!srv_.admit(this->shared_from_this(), where_)) {
      // At the cap with nobody idle: a short 503 and close.
      std::string body = json_error("unavailable", "too many connections");
      auto msg = std::make_shared<std::string>(
          "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 5\r\nConnection: "
          "close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
      auto self = this->shared_from_this();
      if (tls) return;  // no handshake spent on a refused TLS connection
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
      net::async_write(beast::get_lowest_layer(stream_), net::buffer(*msg), [self, msg](beast::error_code, size_t) {
        beast::error_code ec;
        beast::get_lowest_layer(self->stream_).socket().shutdown(tcp::socket::shutdown_both, ec);
      });
      return;
    }
    registered_ = true;
    if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(srv_.cfg.header_timeout_seconds));
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (!ec) self->read_header();
                              });
    } else {
      read_header();
    }
  }

  void close() override {
    net::post(stream_.get_executor(), [self = this->shared_from_this()] {
      beast::error_code ec;
      beast::get_lowest_layer(self->stream_).socket().shutdown(tcp::socket::shutdown_both, ec);
      beast::get_lowest_layer(self->stream_).close();
    });
  }

 private:
  HttpServer::Impl& srv_;
  Stream stream_;
  beast::flat_buffer buf_;
  std::optional<bhttp::request_parser<bhttp::empty_body>> head_;
  std::optional<bhttp::request_parser<bhttp::string_body>> text_;
  std::optional<bhttp::request_parser<bhttp::file_body>> file_;
  std::shared_ptr<http::Request> req_;
  const http::Route* route_ = nullptr;
  std::string spool_;
  size_t served_ = 0;
  bool keep_alive_ = false;
  bool linger_ = false;  // the client may still be sending a body we refused
  bool registered_ = false;
  std::list<std::weak_ptr<Conn>>::iterator where_;

  void read_header() {
    head_.emplace();
    head_->header_limit(static_cast<uint32_t>(srv_.cfg.max_header_bytes));
    // The route's limit is checked in on_header, with the route known. (Not boost::none: Beast 1.74
    // compares a Content-Length with an empty optional as larger and refuses every body.)
    head_->body_limit(std::numeric_limits<std::uint64_t>::max());
    // The whole header within its deadline; a kept-alive connection gets the idle timeout for
    // waiting and sending its next header together.
    int secs = served_ == 0 ? srv_.cfg.header_timeout_seconds : srv_.cfg.keep_alive_seconds;
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(secs));
    this->idle = served_ > 0 && buf_.size() == 0;
    bhttp::async_read_header(stream_, buf_, *head_,
                             [self = this->shared_from_this()](beast::error_code ec, size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    this->idle = false;
    if (ec) {
      if (ec == bhttp::error::header_limit) return refuse(431, "too_large", "request header too large");
      if (ec == bhttp::error::body_limit) return refuse(413, "too_large", "request body too large");
      if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted ||
          ec == net::error::eof || ec == net::error::connection_reset)
        return shut();
      return refuse(400, "invalid_argument", "malformed request");
    }
    auto& h = head_->get();
    req_ = std::make_shared<http::Request>();
    http::Request& req = *req_;
    req.method = std::string(h.method_string());
    std::string_view target(h.target().data(), h.target().size());
    auto q = target.find('?');
    auto path = url_decode(target.substr(0, q), false);
    if (!path || path->empty() || (*path)[0] != '/') return refuse(400, "invalid_argument", "malformed request target");
    req.path = std::move(*path);
    if (q != std::string_view::npos) {
      std::string_view qs = target.substr(q + 1);
      while (!qs.empty()) {
        auto amp = qs.find('&');
        std::string_view part = qs.substr(0, amp);
        auto eq = part.find('=');
        auto k = url_decode(part.substr(0, eq), true);
        auto v = url_decode(eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1), true);
        if (!k || !v) return refuse(400, "invalid_argument", "malformed query");
        if (!k->empty()) req.query.emplace_back(std::move(*k), std::move(*v));
        if (amp == std::string_view::npos) break;
        qs.remove_prefix(amp + 1);
      }
    }
    size_t fields = 0;
    for (const auto& f : h) {
      if (++fields > srv_.cfg.max_header_fields) return refuse(431, "too_large", "too many header fields");
      req.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    }
    beast::error_code pec;
    req.peer = beast::get_lowest_layer(stream_).socket().remote_endpoint(pec).address().to_string();
    req.client = client_address(req.peer, req.headers, srv_.cfg.trusted_proxies);
    keep_alive_ = h.keep_alive() && !srv_.stopping && served_ + 1 < srv_.cfg.keep_alive_max_requests;
    ++served_;

    // Compressed request bodies are refused: decompressing is where a 1 MB body becomes 1 GB.
    std::string enc = req.header("Content-Encoding");
    if (!enc.empty() && !iequals(enc, "identity"))
      return refuse(415, "unsupported", "compressed request bodies are not accepted");
    bool has_body = head_->chunked() || (head_->content_length() && *head_->content_length() > 0);

    std::string method = req.method == "HEAD" ? "GET" : req.method;
    if (req.path == "/api/v1/health" && method == "GET" && !has_body) {
      http::Response res;
      res.set_content(R"({"ok":true,"api":1})", "application/json");
      return send(std::move(res));
    }
    route_ = srv_.router.match(method, req.path, req.params);
    if (!route_) {
      if (has_body) {  // the unread body is not worth reading
        keep_alive_ = false;
        linger_ = true;
      }
      http::Response res;
      if (method == "GET" && !srv_.cfg.web_root.empty() && req.path.rfind("/api/", 0) != 0)
        static_file(srv_.cfg.web_root, req, res);
      else
        error_response(res, 404, "not_found", "HTTP 404");
      return send(std::move(res));
    }
    uint64_t limit = route_->limits.max_body ? route_->limits.max_body : srv_.cfg.max_body_bytes;
    if (auto n = head_->content_length(); n && *n > limit) return refuse(413, "too_large", "request body too large");
    if (!route_->limits.admit) return admitted(true, http::Response(), has_body, limit);
    // One worker hop for admission and handler together when the body is no longer to be waited
    // for: none, or all of it already in the buffer with the header (a phone's push usually is).
    // Its bytes are taken from the buffer, but nothing reads them before admission said yes.
    if (!route_->limits.slow && !route_->limits.spool && !iequals(req.header("Expect"), "100-continue") &&
        (!has_body || body_buffered())) {
      if (has_body && !take_buffered_body(limit)) return;
      return dispatch(true);
    }
    // Admission reads the database (a session, a link token): on a worker, never on this thread.
    if (srv_.queued.load() >= srv_.cfg.max_queue) {
      if (has_body) linger_ = true;
      keep_alive_ = keep_alive_ && !has_body;
      http::Response res;
      res.set_header("Retry-After", "1");
      error_response(res, 503, "unavailable", "server busy, try again");
      return send(std::move(res));
    }
    ++srv_.queued;
    beast::get_lowest_layer(stream_).expires_never();
    net::post(srv_.pool(*route_), [self = this->shared_from_this(), has_body, limit] {
      auto res = std::make_shared<http::Response>();
      bool ok = false;
      try {
        ok = self->route_->limits.admit(*self->req_, *res);
      } catch (const std::exception& e) {
        log_message("doorstep: internal error admitting " + self->req_->method + ": " + e.what());
        *res = http::Response();
        error_response(*res, 500, "internal", "internal error");
      }
      --self->srv_.queued;
      net::post(self->stream_.get_executor(),
                [self, res, ok, has_body, limit] { self->admitted(ok, std::move(*res), has_body, limit); });
    });
  }

  void admitted(bool ok, http::Response refusal, bool has_body, uint64_t limit) {
    if (!ok) {
      if (has_body) {  // the body is never read
        keep_alive_ = false;
        linger_ = true;
      }
      return send(std::move(refusal));
    }
    if (!has_body) return dispatch();
    if (iequals(req_->header("Expect"), "100-continue")) {
      auto cont = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, 11);
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(srv_.cfg.write_timeout_seconds));
      bhttp::async_write(stream_, *cont, [self = this->shared_from_this(), cont, limit](beast::error_code e, size_t) {
        if (e) return self->shut();
        self->read_body(limit);
      });
      return;
    }
    read_body(limit);
  }

  void read_body(uint64_t limit) {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(srv_.cfg.body_timeout_seconds));
    auto done = [self = this->shared_from_this()](beast::error_code ec, size_t) { self->on_body(ec); };
    if (route_->limits.spool) {
      // Uploads go to a file as they arrive, never held whole in memory.
      static std::atomic<uint64_t> n{0};
      spool_ = (std::filesystem::path(srv_.cfg.spool_dir.empty() ? std::filesystem::temp_directory_path().string()
                                                                   : srv_.cfg.spool_dir) /
                ("doorstep-upload-" + std::to_string(::getpid()) + "-" + std::to_string(++n) + ".part"))
                   .string();
      file_.emplace(std::move(*head_));
      file_->body_limit(limit);
      beast::error_code ec;
      file_->get().body().open(spool_.c_str(), beast::file_mode::write_new, ec);
      if (ec) return refuse(500, "internal", "cannot spool the upload");
      bhttp::async_read(stream_, buf_, *file_, std::move(done));
    } else {
      text_.emplace(std::move(*head_));
      text_->body_limit(limit);
      bhttp::async_read(stream_, buf_, *text_, std::move(done));
    }
  }

  // Whether the whole body (a Content-Length one) came in the buffer with the header.
  bool body_buffered() const {
    auto n = head_->content_length();
    return !head_->chunked() && n && buf_.size() >= *n;
  }
  // Parses a body body_buffered() found whole from the buffer, with no read; false when it was
  // refused (the answer is on its way).
  bool take_buffered_body(uint64_t limit) {
    text_.emplace(std::move(*head_));
    text_->body_limit(limit);
    beast::error_code ec;
    while (!ec && !text_->is_done()) {
      size_t used = text_->put(buf_.data(), ec);
      buf_.consume(used);
      if (used == 0 && !ec) ec = bhttp::error::need_more;  // cannot happen: the body was all there
    }
    if (ec) {
      if (ec == bhttp::error::body_limit) refuse(413, "too_large", "request body too large");
      else refuse(400, "invalid_argument", "malformed request");
      return false;
    }
    set_text_body();
    return true;
  }
  void set_text_body() {
    req_->set_body_text(std::move(text_->get().body()));
    text_.reset();
  }

  void on_body(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) return refuse(413, "too_large", "request body too large");
    if (ec) return shut();
    if (text_) {
      set_text_body();
    } else if (file_) {
      file_->get().body().close();
      file_.reset();
      auto f = std::shared_ptr<std::FILE>(std::fopen(spool_.c_str(), "rb"), [](std::FILE* p) {
        if (p) std::fclose(p);
      });
      if (!f) return refuse(500, "internal", "cannot read the spooled upload");
      req_->set_body_source([f](char* out, size_t n) -> Result<size_t> {
        size_t k = std::fread(out, 1, n, f.get());
        if (k == 0 && std::ferror(f.get())) return Error{Code::io, "cannot read the spooled upload"};
        return k;
      });
    }
    dispatch();
  }

  // The handler runs on the worker pool; its answer comes back to this connection's executor.
  // `admit`: the route's admission runs first in the same task (see on_header).
  void dispatch(bool admit = false) {
    bool slow = route_->limits.slow;
    std::atomic<size_t>& queued = slow ? srv_.slow_queued : srv_.queued;
    if (queued.load() >= (slow ? srv_.cfg.max_slow_queue : srv_.cfg.max_queue)) {
      // A full slow pool (password hashing) is a rate limit the client caused: 429, never a queue
      // of sign-ins waiting for Argon2; a full worker queue is the server's trouble: 503.
      http::Response res;
      res.set_header("Retry-After", "1");
      if (slow) error_response(res, 429, "rate_limited", "too many sign-ins at once, try again");
      else error_response(res, 503, "unavailable", "server busy, try again");
      return send(std::move(res));
    }
    ++queued;
    // Nothing is read while the handler runs; the socket's deadline does not apply meanwhile.
    beast::get_lowest_layer(stream_).expires_never();
    net::post(srv_.pool(*route_), [self = this->shared_from_this(), &queued, admit] {
      auto res = std::make_shared<http::Response>();
      const char* what = "admitting";
      // The task holds its own reference to the request and the route and never reads the
      // session's members once the handler ran: a deferred answer may already have been sent on
      // the connection's executor, which then resets req_ and route_ for the next request on a
      // kept-alive connection (reading self->req_ here afterwards was a use after free).
      std::shared_ptr<http::Request> req = self->req_;
      const http::Route* route = self->route_;
      // A plain pointer: the request is the session's, and a shared one here would make a cycle
      // (session -> request -> session) that keeps a closed connection alive and counted.
      req->set_deferrer([me = self.get()] { return me->deferred_answer(); });
      try {
        if (!admit || route->limits.admit(*req, *res)) {
          what = "on";
          route->handler(*req, *res);
        }
      } catch (const std::exception& e) {
        log_message(std::string("doorstep: internal error ") + what + " " + req->method + ": " + e.what());
        *res = http::Response();
        error_response(*res, 500, "internal", "internal error");
      }
      --queued;
      if (req->deferred()) return;  // its answer comes from deferred_answer's function
      net::post(self->stream_.get_executor(), [self, res] { self->send(std::move(*res)); });
    });
  }

  // What Request::defer hands the handler: sends the answer on this connection's executor, once.
  // Dropped unanswered (a handler's bug), it answers 500 rather than leave the phone waiting. The
  // server waits for every deferred answer before it goes (HttpServer::~HttpServer), and an
  // answer lets go of the session before it says it is done, so no session outlives the server.
  struct Deferred {
    std::shared_ptr<Session> session;
    void answer(http::Response r) {
      if (!session) return;  // answered already
      auto s = std::move(session);
      HttpServer::Impl& srv = s->srv_;
      auto res = std::make_shared<http::Response>(std::move(r));
      auto ex = s->stream_.get_executor();
      net::post(ex, [s = std::move(s), res] { s->send(std::move(*res)); });
      srv.deferred_end();
    }
    ~Deferred() {
      if (!session) return;
      http::Response r;
      error_response(r, 500, "internal", "internal error");
      answer(std::move(r));
    }
  };
  http::Request::Answer deferred_answer() {
    srv_.deferred_begin();
    auto d = std::make_shared<Deferred>();
    d->session = this->shared_from_this();
    return [d](http::Response r) { d->answer(std::move(r)); };
  }

  void refuse(int status, const char* code, const char* message) {
    keep_alive_ = false;
    linger_ = true;
    if (!req_) req_ = std::make_shared<http::Request>();
    http::Response res;
    error_response(res, status, code, message);
    send(std::move(res));
  }

  template <class Body>
  void write(std::shared_ptr<bhttp::response<Body>> msg) {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(srv_.cfg.write_timeout_seconds));
    bhttp::async_write(stream_, *msg, [self = this->shared_from_this(), msg](beast::error_code ec, size_t) {
      if (!self->spool_.empty()) {
        std::error_code fec;
        std::filesystem::remove(self->spool_, fec);
        self->spool_.clear();
      }
      if (!ec && self->linger_) return self->linger();
      if (ec || !self->keep_alive_) return self->shut();
      self->req_.reset();
      self->route_ = nullptr;
      self->linger_ = false;
      self->read_header();
    });
  }

  template <class Body>
  void fill(bhttp::response<Body>& m, const http::Response& res, bool head) {
    m.version(11);
    m.result(static_cast<unsigned>(res.status));
    for (const auto& [k, v] : res.headers) m.insert(k, v);
    const bool frame = req_ && framable(req_->path);
    m.set("Content-Security-Policy", frame ? kCspFramable : kCsp);
    m.set("X-Content-Type-Options", "nosniff");
    m.set("Referrer-Policy", "no-referrer");
    m.set("X-Frame-Options", frame ? "SAMEORIGIN" : "DENY");
    m.set("Cross-Origin-Opener-Policy", "same-origin");
    m.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)");
    // Served over HTTPS (here or at the proxy): browsers keep to HTTPS for a year.
    if (srv_.cfg.hsts || srv_.tls.has_value()) m.set("Strict-Transport-Security", "max-age=31536000");
    if (req_ && req_->path.rfind("/api/", 0) == 0)
      m.set(bhttp::field::cache_control, "no-store");  // the service worker must never cache API answers
    else if (req_ && entry_point(req_->path) && !res.has_header("Cache-Control"))
      m.set(bhttp::field::cache_control, "no-cache");
    m.keep_alive(keep_alive_);
    (void)head;
  }

  void send(http::Response res) {
    srv_.log(*req_, res.status);
    bool head = req_->method == "HEAD";
    if (!res.file_path.empty()) {
      auto m = std::make_shared<bhttp::response<FileSliceBody>>();
      beast::error_code ec;
      m->body().file.open(res.file_path.c_str(), beast::file_mode::scan, ec);
      if (!ec) {
        uint64_t size = m->body().file.size(ec);
        if (!ec) {
          m->body().offset = std::min(res.file_offset, size);
          m->body().length = res.file_length ? std::min(*res.file_length, size - m->body().offset)
                                             : size - m->body().offset;
          fill(*m, res, head);
          m->content_length(m->body().length);
          if (head) {
            auto e = std::make_shared<bhttp::response<bhttp::empty_body>>();
            fill(*e, res, head);
            e->content_length(m->body().length);
            return write(e);
          }
          return write(m);
        }
      }
      res = http::Response();
      error_response(res, 404, "not_found", "HTTP 404");
    }
    auto m = std::make_shared<bhttp::response<bhttp::string_body>>();
    fill(*m, res, head);
    size_t n = res.body.size();
    if (!head) m->body() = std::move(res.body);
    if (res.status == 304 || res.status == 204) m->content_length(boost::none);
    else m->content_length(n);
    write(m);
  }

  // After refusing a body: stop sending, then read and drop what the client still sends, for a
  // bounded time and amount, so that closing does not reset the connection before the client has
  // read the answer (a close with unread data sends RST, and the client's stack drops the answer).
  void linger() {
    beast::error_code ec;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_send, ec);
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
    drained_ = 0;
    drain();
  }
  void drain() {
    auto scratch = std::make_shared<std::array<char, 16384>>();
    beast::get_lowest_layer(stream_).async_read_some(
        net::buffer(*scratch), [self = this->shared_from_this(), scratch](beast::error_code ec, size_t n) {
          self->drained_ += n;
          if (ec || self->drained_ > (16u << 20)) return beast::get_lowest_layer(self->stream_).close();
          self->drain();
        });
  }
  size_t drained_ = 0;

  void shut() {
    beast::error_code ec;
    if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
      // No TLS close_notify round trip: a peer that stops reading must not hold the socket.
      beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ec);
    } else {
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    }
    beast::get_lowest_layer(stream_).close();
  }
};

void accept_loop(HttpServer::Impl& s) {
  s.acceptor.async_accept(net::make_strand(s.ioc), [&s](beast::error_code ec, tcp::socket sock) {
    if (s.stopping) return;
    if (!ec) {
      // Answers are written whole (header and body in one gather write), but a 100 Continue and
      // then the answer, or a slice of a file, are several writes: no Nagle wait between them.
      beast::error_code nec;
      sock.set_option(tcp::no_delay(true), nec);
      if (s.tls) {
        auto c = std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
            s, beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(sock)), *s.tls));
        c->start(true);
      } else {
        auto c = std::make_shared<Session<beast::tcp_stream>>(s, beast::tcp_stream(std::move(sock)));
        c->start(false);
      }
    } else if (ec == net::error::no_descriptors) {
      // Out of file descriptors: wait a moment instead of spinning.
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    accept_loop(s);
  });
}

}  // namespace

// ---- HttpServer ---------------------------------------------------------------------------------

HttpServer::HttpServer(HttpConfig cfg) : impl_(std::make_unique<Impl>(std::move(cfg), router_)) {
  auto& c = impl_->cfg;
  if (!c.tls_cert.empty() && !c.tls_key.empty()) {
    impl_->tls.emplace(ssl::context::tls_server);
    auto& t = *impl_->tls;
    t.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                  ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    beast::error_code ec;
    t.use_certificate_chain_file(c.tls_cert, ec);
    if (!ec) t.use_private_key_file(c.tls_key, ssl::context::pem, ec);
    if (ec) error_ = "cannot load the TLS certificate or key: " + ec.message();
  }
  if (!c.web_root.empty() && !std::filesystem::is_directory(c.web_root)) error_ = "web root " + c.web_root + " is not a folder";
}

HttpServer::~HttpServer() {
  stop();
  if (impl_->workers) impl_->workers->join();
  if (impl_->slow_workers) impl_->slow_workers->join();
  if (impl_->quick_workers) impl_->quick_workers->join();
  impl_->wait_deferred();  // a deferred answer still to come holds its session, which refers to impl_
}

bool HttpServer::tls() const { return impl_->tls.has_value(); }

http::Router& HttpServer::routes() { return router_; }

size_t HttpServer::connections() const { return impl_->connections(); }

int HttpServer::bind() {
  if (!error_.empty()) return -1;
  auto& s = *impl_;
  // Every connection is a descriptor: raise the soft limit to the hard one, and keep the cap
  // within it (with room for the database, logs and spooled uploads).
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) == 0) {
    if (rl.rlim_cur < rl.rlim_max) {
      rl.rlim_cur = rl.rlim_max;
      ::setrlimit(RLIMIT_NOFILE, &rl);
      ::getrlimit(RLIMIT_NOFILE, &rl);
    }
  }
  size_t fd_room = rl.rlim_cur > 256 ? static_cast<size_t>(rl.rlim_cur) - 128 : 128;
  s.max_connections = std::min(s.cfg.max_connections, fd_room);
  beast::error_code ec;
  auto addr = net::ip::make_address(s.cfg.host, ec);
  if (ec) {
    error_ = "cannot listen on " + s.cfg.host + ": not an IP address";
    return -1;
  }
  tcp::endpoint ep(addr, static_cast<unsigned short>(s.cfg.port));
  s.acceptor.open(ep.protocol(), ec);
  // SO_REUSEADDR only (no SO_REUSEPORT, which would let a second server share the port).
  if (!ec) s.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(ep, ec);
  if (!ec) s.acceptor.listen(s.cfg.listen_backlog, ec);
  if (ec) {
    error_ = "cannot listen on " + s.cfg.host + ":" + std::to_string(s.cfg.port);
    return -1;
  }
  return s.acceptor.local_endpoint().port();
}

void HttpServer::run() {
  auto& s = *impl_;
  if (s.stopping) return;
  s.workers.emplace(std::max<size_t>(1, s.cfg.worker_threads));
  s.slow_workers.emplace(std::max<size_t>(1, s.cfg.slow_worker_threads));
  s.quick_workers.emplace(s.cfg.quick_worker_threads ? s.cfg.quick_worker_threads
                                                     : std::max(2u, std::thread::hardware_concurrency()));
  std::optional<net::signal_set> signals;
  if (s.cfg.stop_on_signals) {
    signals.emplace(s.ioc, SIGINT, SIGTERM);
    signals->async_wait([this](beast::error_code ec, int) {
      if (!ec) stop();
    });
  }
  accept_loop(s);
  std::vector<std::thread> io;
  for (size_t i = 1; i < std::max<size_t>(1, s.cfg.io_threads); ++i) io.emplace_back([&s] { s.ioc.run(); });
  s.ioc.run();
  for (auto& t : io) t.join();
  s.workers->join();
  s.slow_workers->join();
  s.quick_workers->join();
}

void HttpServer::stop() {
  auto& s = *impl_;
  if (s.stopping.exchange(true)) return;
  net::post(s.ioc, [&s] {
    beast::error_code ec;
    s.acceptor.close(ec);
    std::vector<std::shared_ptr<Conn>> all;
    {
      std::lock_guard<std::mutex> l(s.mu);
      for (auto& w : s.conns)
        if (auto c = w.lock()) all.push_back(c);
    }
    for (auto& c : all) c->close();
    s.ioc.stop();
  });
}

}  // namespace doorstep::server
