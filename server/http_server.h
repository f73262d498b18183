// The HTTP layer of `doorstep serve`: one origin serving the web app's files and /api/v1, made for
// the open internet: event-driven (idle and slow connections hold no thread), every limit checked
// on the headers before work, a connection cap, a bounded worker pool and queue. API routes
// register on its Router (server/http.h); this file knows nothing about campaigns or sync.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "server/http.h"

namespace doorstep::server {

struct HttpConfig {
  std::string host = "127.0.0.1";
  int port = 8080;                  // 0 picks a free port (tests)
  std::string web_root;             // folder with index.html, the wasm build and vendor files
  std::string tls_cert, tls_key;    // both set: serve HTTPS directly
  size_t max_body_bytes = 4u << 20; // a route's body limit unless the route sets its own; more: 413
  size_t worker_threads = 64;       // handlers (SQLite work) run here, never on the I/O threads
  size_t io_threads = 2;            // run every connection's reads and writes
  size_t max_queue = 4096;          // requests waiting for a worker at most; more are answered 503
  size_t slow_worker_threads = 2;   // routes marked slow (password hashing) run here, apart
  // Routes marked quick (a push: it never waits for a write) run here, apart: as few threads as
  // cores (0: the machine's count, at least 2), so a burst of them wakes few threads and each post
  // mostly finds one already running, where 64 mostly idle workers were woken one per request.
  size_t quick_worker_threads = 0;
  size_t max_slow_queue = 2;        // running or waiting at once; more answer 429 (Argon2 slots, no queue)
  size_t max_connections = 10000;   // at the cap the oldest idle connection is closed, then 503
  size_t max_header_bytes = 16384;  // request line and header fields together; more: 431
  size_t max_header_fields = 100;   // more: 431
  int header_timeout_seconds = 10;  // the whole header of a new connection (and a TLS handshake)
  int keep_alive_seconds = 5;       // a kept-alive connection's wait for, and header of, its next request
  int body_timeout_seconds = 60;    // the whole body once the header is in
  int write_timeout_seconds = 60;   // one whole answer (5 MB module on a slow phone)
  size_t keep_alive_max_requests = 100;
  int listen_backlog = 1024;        // a burst of phones would otherwise see SYN retries
  std::string spool_dir;            // temporary files of uploads; empty: the system's temp folder
  bool log_requests = true;         // one line per request on stderr (benchmarks turn it off)
  bool stop_on_signals = false;     // SIGINT/SIGTERM stop run() (doorstep serve)
  // Reverse proxies whose X-Forwarded-For is believed (canonical addresses, client_address.h);
  // from any other peer the header is ignored. Empty: the socket's address is the client's.
  std::vector<std::string> trusted_proxies;
  bool hsts = false;                // behind a TLS proxy: Strict-Transport-Security (always with direct TLS)
};

class HttpServer {
 public:
  explicit HttpServer(HttpConfig cfg);
  ~HttpServer();
  bool tls() const;
  http::Router& routes();  // register before bind()
  // Binds; returns the bound port or -1 with a message in error(). Raises RLIMIT_NOFILE to its
  // hard limit and keeps the connection cap within it.
  int bind();
  void run();   // blocks until stop()
  void stop();  // from any thread (not from a signal handler: see stop_on_signals)
  const std::string& error() const { return error_; }
  size_t connections() const;  // open now

  struct Impl;

 private:
  http::Router router_;  // before impl_, which refers to it
  std::unique_ptr<Impl> impl_;
  std::string error_;
};

// Content type of a file by its name's extension (.wasm is application/wasm).
const char* content_type_for(const std::string& path);

}  // namespace doorstep::server
