// The HTTP layer of `doorstep serve`: one origin serving the web app's files and /api/v1, with
// security headers, bounded bodies and a bounded worker pool. API routes register themselves
// on its Router (server/http.h); this file knows nothing about campaigns or sync.
#pragma once
#include <functional>
#include <memory>
#include <string>

#include "server/http.h"

namespace httplib {
class Server;
}

namespace doorstep::server {

struct HttpConfig {
  std::string host = "127.0.0.1";
  int port = 8080;                  // 0 picks a free port (tests)
  std::string web_root;             // folder with index.html, the wasm build and vendor files
  std::string tls_cert, tls_key;    // both set: serve HTTPS directly
  size_t max_body_bytes = 4u << 20; // larger request bodies get 413
  size_t worker_threads = 64;       // keep-alive connections each hold a worker while open
  int keep_alive_seconds = 5;
  size_t keep_alive_max_requests = 100;
  int listen_backlog = 1024;        // httplib's own backlog is 5: a burst of phones would see SYN retries
  bool log_requests = true;         // one line per request on stderr (benchmarks turn it off)
};

class HttpServer {
 public:
  explicit HttpServer(HttpConfig cfg);
  ~HttpServer();
  bool tls() const;
  http::Router& routes();  // register before bind()
  // Binds; returns the bound port or -1 with a message in error().
  int bind();
  void run();   // blocks until stop()
  void stop();
  const std::string& error() const { return error_; }

 private:
  HttpConfig cfg_;
  std::unique_ptr<httplib::Server> srv_;
  http::Router router_;
  std::string error_;
  int listen_fd_ = -1;
  void install_common();
  void install_routes();
};

// Content type of a file by its name's extension (.wasm is application/wasm).
const char* content_type_for(const std::string& path);

}  // namespace doorstep::server
