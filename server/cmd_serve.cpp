// `doorstep serve`: runs the HTTP endpoint and serves the web app from one origin. With --data it
// opens DIR/doorstep.db and mounts the /api/v1 routes; on a first start it creates the admin and
// prints a one-time sign-in link (the only secret ever printed, and only to this console).
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "server/app.h"
#include "server/client_address.h"
#include "server/commands.h"
#include "server/http_server.h"
#include "server/options.h"

namespace doorstep::cli {

int cmd_serve(int argc, char** argv) {
  Options o(argc, argv, {"host", "port", "data", "web", "tls-cert", "tls-key", "public-url", "workers",
             "trusted-proxy"},
            {"help", "behind-tls"});
  if (!o.ok() || o.flag("help")) {
    std::fprintf(stderr,
                 "%s%susage: doorstep serve [--host 127.0.0.1] [--port 8080] [--data DIR] [--web DIR]\n"
                 "                      [--tls-cert FILE --tls-key FILE] [--behind-tls] [--public-url URL]\n"
                 "                      [--workers 64] [--trusted-proxy ADDR]...\n"
                 "  --data DIR      campaign database folder (DIR/doorstep.db); without it only files are served\n"
                 "  --behind-tls    a reverse proxy terminates TLS: mark cookies Secure\n"
                 "  --public-url    base of printed links, e.g. https://canvass.example.org\n"
                 "  --trusted-proxy a reverse proxy's address (repeatable): from it, the last X-Forwarded-For\n"
                 "                  hop is the client's address for rate limits; from anyone else the header is ignored\n",
                 o.error().c_str(), o.ok() ? "" : "\n");
    return o.ok() ? 0 : 2;
  }
  server::HttpConfig cfg;
  cfg.host = o.get_or("host", "127.0.0.1");
  cfg.port = std::atoi(o.get_or("port", "8080").c_str());
  cfg.web_root = o.get_or("web", "");
  cfg.tls_cert = o.get_or("tls-cert", "");
  cfg.tls_key = o.get_or("tls-key", "");
  int workers = std::atoi(o.get_or("workers", "64").c_str());
  if (workers < 2 || workers > 1024) {
    std::fprintf(stderr, "doorstep serve: --workers must be 2..1024\n");
    return 2;
  }
  cfg.worker_threads = static_cast<size_t>(workers);
  cfg.stop_on_signals = true;  // SIGINT/SIGTERM end run() through the server's event loop
  if (cfg.tls_cert.empty() != cfg.tls_key.empty()) {
    std::fprintf(stderr, "doorstep serve: --tls-cert and --tls-key go together\n");
    return 2;
  }
  // Links and the Origin check come from the public URL, never from a client's Host header; on
  // loopback it can be derived, anywhere else the operator must say what the world types.
  bool loopback = cfg.host == "127.0.0.1" || cfg.host == "::1" || cfg.host == "localhost" || cfg.host.rfind("127.", 0) == 0;
  if (!loopback && o.get_or("public-url", "").empty() && o.get("data")) {
    std::fprintf(stderr, "doorstep serve: --public-url is required when bound to %s (not a loopback address), "
                         "e.g. --public-url https://canvass.example.org\n", cfg.host.c_str());
    return 2;
  }
  for (const auto& p : o.all("trusted-proxy")) {
    auto ip = server::canonical_ip(p);
    if (!ip) {
      std::fprintf(stderr, "doorstep serve: --trusted-proxy takes an IP address (e.g. 127.0.0.1 or ::1), not \"%s\"\n", p.c_str());
      return 2;
    }
    cfg.trusted_proxies.push_back(*ip);
  }
  cfg.hsts = o.flag("behind-tls") || o.get_or("public-url", "").rfind("https://", 0) == 0;
  // Request bodies of uploads spool into DIR/uploads (0700, beside the database), which App::open
  // empties of files a crash left behind; never into a shared temp folder.
  if (auto data = o.get("data")) cfg.spool_dir = *data + "/uploads";
  server::HttpServer http(cfg);

  std::unique_ptr<server::App> app;
  if (auto data = o.get("data")) {
    server::AppConfig ac;
    ac.data_dir = *data;
    ac.secure_cookies = http.tls() || o.flag("behind-tls");
    ac.public_url = o.get_or("public-url", "");
    ac.max_body_bytes = cfg.max_body_bytes;
    auto opened = server::App::open(ac);
    if (!opened) {
      std::fprintf(stderr, "doorstep serve: %s\n", opened.error().message.c_str());
      return 1;
    }
    app = std::move(*opened);
    app->register_routes(http.routes());
  }

  int port = http.bind();
  if (port < 0) {
    std::fprintf(stderr, "doorstep serve: %s\n", http.error().c_str());
    return 1;
  }
  if (app) app->set_default_public_url(std::string(http.tls() ? "https" : "http") + "://" + cfg.host + ":" + std::to_string(port));
  std::printf("doorstep: serving on %s://%s:%d/\n", http.tls() ? "https" : "http", cfg.host.c_str(), port);
  if (app) {
    auto first = app->first_start();
    if (!first) {
      std::fprintf(stderr, "doorstep serve: %s\n", first.error().message.c_str());
      return 1;
    }
    if (*first)
      std::printf("doorstep: first start: sign in as admin within 24 h: %s\n",
                  app->signin_url(**first).c_str());
  }
  std::fflush(stdout);
  // Retention: checked at start and hourly; purging is idempotent, so a restart costs nothing.
  std::atomic<bool> done{false};
  std::thread retention([&] {
    for (int64_t tick = 0; app && !done; ++tick) {
      if (tick % 3600 == 0) {
        auto n = app->purge_expired();
        if (!n) std::fprintf(stderr, "doorstep: retention purge failed: %s\n", n.error().message.c_str());
        else if (*n) std::fprintf(stderr, "doorstep: retention purged %d campaign(s)\n", *n);
      }
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  });
  http.run();
  done = true;
  retention.join();
  return 0;
}

}  // namespace doorstep::cli
