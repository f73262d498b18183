// HTTP layer (see http_server.h): cpp-httplib with a bounded pool, body limits, security headers
// and static files. Request logs carry method, route and status only: never bodies or queries,
// which may hold personal data or tokens.
#include "server/http_server.h"

#include <httplib.h>

#include <sys/socket.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

namespace doorstep::server {

namespace {

// 'wasm-unsafe-eval' lets the page compile its WebAssembly; nothing else is evaluated
// (the module is linked with -sDYNAMIC_EXECUTION=0). Map tiles may come from a configured host.
constexpr const char* kCsp =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob: https:; connect-src 'self'; worker-src 'self'; font-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

// A body a route did not read is read and dropped up to this size (the client then reads the
// answer, 413 included); past it the connection closes instead.
constexpr uint64_t kDrainMax = 64u << 20;

// A route of the Router as a cpp-httplib handler: the request is copied into http::Request and the
// answer copied back. Routes that take a body get httplib's content reader, so a body is read only
// when the route asks for it, chunk by chunk (an upload streams to disk, never whole in memory);
// a body the route left unread is drained when small (keep-alive stays in step) or left to close
// the connection.
void serve_route(const http::Route& route, const httplib::Request& in, httplib::Response& out,
                 const httplib::ContentReader* reader, size_t drain_limit) {
  http::Request req;
  req.method = in.method;
  req.path = in.path;
  req.peer = in.remote_addr;
  for (size_t i = 1; i < in.matches.size(); ++i) req.params.push_back(in.matches[i].str());
  for (const auto& [k, v] : in.params) req.query.emplace_back(k, v);
  for (const auto& [k, v] : in.headers) req.headers.emplace_back(k, v);
  if (reader) {
    req.set_body_reader([reader](const std::function<bool(const char*, size_t)>& sink) -> Status {
      bool stopped = false;
      bool ok = (*reader)([&](const char* d, size_t n) {
        if (sink(d, n)) return true;
        stopped = true;
        return false;
      });
      if (ok || stopped) return Status::Ok();
      return Error{Code::invalid_argument, "the request body ended before its declared length"};
    });
  } else {
    size_t pos = 0;
    const std::string* body = &in.body;
    req.set_body_source([body, pos](char* buf, size_t n) mutable -> Result<size_t> {
      size_t k = std::min(n, body->size() - pos);
      body->copy(buf, k, pos);
      pos += k;
      return k;
    });
  }
  http::Response res;
  route.handler(req, res);
  if (reader && !req.body_read()) {
    auto n = req.content_length();
    if (n && *n <= drain_limit) (void)(*reader)([](const char*, size_t) { return true; });
    else res.set_header("Connection", "close");
  }
  out.status = res.status;
  std::string type;
  for (auto& [k, v] : res.headers) {
    if (k == "Content-Type") type = v;
    else out.set_header(k.c_str(), v);
  }
  if (res.file_path.empty()) {
    if (!res.body.empty() || !type.empty()) out.set_content(std::move(res.body), type.c_str());
    return;
  }
  std::error_code ec;
  auto size = std::filesystem::file_size(res.file_path, ec);
  auto f = std::make_shared<std::ifstream>(res.file_path, std::ios::binary);
  if (ec || !*f) {
    out.status = 404;
    out.set_content(R"({"code":"not_found","message":"file not found"})", "application/json");
    return;
  }
  // Streamed in small reads: the file is never held whole in memory.
  out.set_content_provider(size, type.c_str(), [f](size_t offset, size_t length, httplib::DataSink& sink) {
    char buf[65536];
    f->seekg(static_cast<std::streamoff>(offset));
    f->read(buf, static_cast<std::streamsize>(std::min(length, sizeof buf)));
    auto got = f->gcount();
    if (got <= 0) return false;
    return sink.write(buf, static_cast<size_t>(got));
  });
}

}  // namespace

const char* content_type_for(const std::string& path) {
  auto ends = [&](const char* ext) {
    size_t n = std::char_traits<char>::length(ext);
    return path.size() >= n && path.compare(path.size() - n, n, ext) == 0;
  };
  if (ends(".wasm")) return "application/wasm";
  if (ends(".js") || ends(".mjs")) return "text/javascript; charset=utf-8";
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".json")) return "application/json";
  if (ends(".webmanifest")) return "application/manifest+json";
  if (ends(".geojson")) return "application/geo+json";
  if (ends(".png")) return "image/png";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".ttf")) return "font/ttf";
  if (ends(".csv")) return "text/csv; charset=utf-8";
  return "application/octet-stream";
}

HttpServer::HttpServer(HttpConfig cfg) : cfg_(std::move(cfg)) {
  if (!cfg_.tls_cert.empty() && !cfg_.tls_key.empty())
    srv_ = std::make_unique<httplib::SSLServer>(cfg_.tls_cert.c_str(), cfg_.tls_key.c_str());
  else
    srv_ = std::make_unique<httplib::Server>();
  install_common();
}

HttpServer::~HttpServer() = default;

bool HttpServer::tls() const { return !cfg_.tls_cert.empty() && !cfg_.tls_key.empty(); }

http::Router& HttpServer::routes() { return router_; }

void HttpServer::install_routes() {
  size_t drain = kDrainMax;
  uint64_t largest = cfg_.max_body_bytes;
  for (const auto& r : router_.routes()) {
    const http::Route* route = &r;
    largest = std::max(largest, r.max_body);
    auto h = [route](const httplib::Request& req, httplib::Response& res) { serve_route(*route, req, res, nullptr, 0); };
    auto hr = [route, drain](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& rd) {
      serve_route(*route, req, res, &rd, drain);
    };
    if (r.method == "GET") srv_->Get(r.pattern, h);
    else if (r.method == "POST") srv_->Post(r.pattern, hr);
    else if (r.method == "PUT") srv_->Put(r.pattern, hr);
    else if (r.method == "DELETE") srv_->Delete(r.pattern, hr);
    else if (r.method == "PATCH") srv_->Patch(r.pattern, hr);
    else if (r.method == "OPTIONS") srv_->Options(r.pattern, h);
  }
  // httplib checks a declared length against one limit for every route: the largest route's. Each
  // route's own limit is checked before any byte of its body is read (pre-routing, below) and
  // again while it streams (http::Request::body / body_to_file).
  srv_->set_payload_max_length(static_cast<size_t>(largest));
  srv_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    bool has_body = req.has_header("Transfer-Encoding") || req.get_header_value<uint64_t>("Content-Length") > 0;
    if (!has_body) return httplib::Server::HandlerResponse::Unhandled;
    std::vector<std::string> params;
    const http::Route* r = router_.match(req.method, req.path, params);
    bool streams = r && r->method != "GET" && r->method != "OPTIONS";
    uint64_t limit = r && r->max_body ? r->max_body : cfg_.max_body_bytes;
    // Only a route that streams may take a chunked body (httplib would read it into memory unbounded).
    // A streaming route sees a declared length over its limit itself and answers 413 after the
    // body is drained, so the client reads the answer; only lengths past the drain cap close here.
    uint64_t declared = req.get_header_value<uint64_t>("Content-Length");
    if ((!streams && (req.has_header("Transfer-Encoding") || declared > cfg_.max_body_bytes)) ||
        (declared > limit && declared > kDrainMax)) {
      res.status = 413;
      res.set_header("Connection", "close");
      res.set_content(R"({"code":"too_large","message":"request body too large"})", "application/json");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
}

void HttpServer::install_common() {
  auto& s = *srv_;
  size_t threads = cfg_.worker_threads;
  s.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  s.set_payload_max_length(cfg_.max_body_bytes);
  s.set_keep_alive_timeout(cfg_.keep_alive_seconds);
  s.set_keep_alive_max_count(cfg_.keep_alive_max_requests);
  s.set_read_timeout(10, 0);
  // Replaces httplib's default (SO_REUSEPORT, which would let a second server share the port) and
  // remembers the listening socket so bind() can raise its backlog.
  s.set_socket_options([this](int fd) {
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_fd_ = fd;
  });
  s.set_write_timeout(10, 0);

  for (const char* ext : {"wasm", "js", "mjs", "html", "css", "json", "webmanifest", "geojson", "png", "svg", "ttf"}) {
    std::string name = std::string("x.") + ext;
    s.set_file_extension_and_mimetype_mapping(ext, content_type_for(name));
  }
  if (!cfg_.web_root.empty() && !s.set_mount_point("/", cfg_.web_root))
    error_ = "web root " + cfg_.web_root + " is not a folder";
  // httplib compresses text types itself but not the module or the fonts, the largest downloads:
  // the build writes FILE.gz beside them (gzip -9), sent whenever the browser accepts gzip.
  std::string root = cfg_.web_root;
  s.set_file_request_handler([root](const httplib::Request& req, httplib::Response& res) {
    const std::string& p = req.path;
    auto ends = [&p](const char* ext) {
      size_t n = std::char_traits<char>::length(ext);
      return p.size() > n && p.compare(p.size() - n, n, ext) == 0;
    };
    if (!ends(".wasm") && !ends(".ttf") && !ends(".ttc")) return;
    if (req.get_header_value("Accept-Encoding").find("gzip") == std::string::npos) return;
    if (p.find("..") != std::string::npos) return;
    std::ifstream f(root + p + ".gz", std::ios::binary);
    if (!f) return;
    std::string gz((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    res.set_content(std::move(gz), content_type_for(p));
    res.set_header("Content-Encoding", "gzip");
    res.set_header("Vary", "Accept-Encoding");
  });

  s.set_post_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    res.set_header("Content-Security-Policy", kCsp);
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Cross-Origin-Opener-Policy", "same-origin");
    res.set_header("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)");
    if (req.path.rfind("/api/", 0) == 0) {
      res.set_header("Cache-Control", "no-store");  // the service worker must never cache API answers
    } else if (req.path == "/" || req.path == "/index.html" || req.path == "/sw.js" || req.path == "/manifest.webmanifest") {
      res.set_header("Cache-Control", "no-cache");
    }
  });
  if (cfg_.log_requests) s.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    // The path of /t/<token> style URLs is reduced to its route; nothing personal is logged.
    std::string route = req.path.rfind("/api/", 0) == 0 ? req.path.substr(0, req.path.find('/', 8)) : "static";
    std::fprintf(stderr, "%s %s %d\n", req.method.c_str(), route.c_str(), res.status);
  });
  s.Get("/api/v1/health", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"ok":true,"api":1})", "application/json");
  });
  // Body over the limit: httplib answers 413 itself; give it our error shape.
  s.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    const char* code = res.status == 413 ? "too_large" : res.status == 404 ? "not_found" : "invalid_argument";
    res.set_content(std::string(R"({"code":")") + code + R"(","message":"HTTP )" + std::to_string(res.status) + "\"}",
                    "application/json");
  });
}

int HttpServer::bind() {
  if (!error_.empty()) return -1;
  install_routes();
  int port = cfg_.port;
  if (port == 0) {
    port = srv_->bind_to_any_port(cfg_.host.c_str());
  } else if (!srv_->bind_to_port(cfg_.host.c_str(), port)) {
    port = -1;
  }
  if (port < 0) error_ = "cannot listen on " + cfg_.host + ":" + std::to_string(cfg_.port);
  // listen() again on a listening socket only changes its backlog (Linux, BSD).
  if (port > 0 && listen_fd_ >= 0) ::listen(listen_fd_, cfg_.listen_backlog);
  return port;
}

void HttpServer::run() { srv_->listen_after_bind(); }
void HttpServer::stop() { srv_->stop(); }

}  // namespace doorstep::server
