// `doorstep serve`: runs the HTTP endpoint and serves the web app from one origin.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "server/commands.h"
#include "server/http_server.h"
#include "server/options.h"

namespace doorstep::cli {

namespace {
server::HttpServer* g_server = nullptr;
void on_signal(int) {
  if (g_server) g_server->stop();
}
}  // namespace

int cmd_serve(int argc, char** argv) {
  Options o(argc, argv, {"host", "port", "data", "web", "tls-cert", "tls-key"}, {"help"});
  if (!o.ok() || o.flag("help")) {
    std::fprintf(stderr,
                 "%s%susage: doorstep serve [--host 127.0.0.1] [--port 8080] [--data DIR] [--web DIR]\n"
                 "                      [--tls-cert FILE --tls-key FILE]\n",
                 o.error().c_str(), o.ok() ? "" : "\n");
    return o.ok() ? 0 : 2;
  }
  server::HttpConfig cfg;
  cfg.host = o.get_or("host", "127.0.0.1");
  cfg.port = std::atoi(o.get_or("port", "8080").c_str());
  cfg.web_root = o.get_or("web", "");
  cfg.tls_cert = o.get_or("tls-cert", "");
  cfg.tls_key = o.get_or("tls-key", "");
  if (cfg.tls_cert.empty() != cfg.tls_key.empty()) {
    std::fprintf(stderr, "doorstep serve: --tls-cert and --tls-key go together\n");
    return 2;
  }
  server::HttpServer http(cfg);
  int port = http.bind();
  if (port < 0) {
    std::fprintf(stderr, "doorstep serve: %s\n", http.error().c_str());
    return 1;
  }
  g_server = &http;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::printf("doorstep: serving on %s://%s:%d/\n", http.tls() ? "https" : "http", cfg.host.c_str(), port);
  std::fflush(stdout);
  http.run();
  g_server = nullptr;
  return 0;
}

}  // namespace doorstep::cli
