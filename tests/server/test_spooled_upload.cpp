// The HTTP layer's spooled routes (RouteLimits::spool) over real loopback sockets: a multi-MB body
// sent as a browser does (Content-Length), as curl does (Expect: 100-continue) and chunked reaches
// the handler whole and the answer comes back on a connection that stays usable; an over-limit
// length is refused before the body. Leaves the routes on top (test_universe.cpp) aside.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "tests/server/fixture.h"

using namespace doorstep;

namespace {

// A bare HttpServer with one spooled route that answers "<bytes> <fnv1a>" of the body it read.
struct SpoolServer {
  fixture::TempDir spool;
  std::unique_ptr<server::HttpServer> http;
  std::thread thread;
  int port = -1;
  SpoolServer() {
    server::HttpConfig hc;
    hc.host = "127.0.0.1";
    hc.port = 0;
    hc.spool_dir = spool.path;
    hc.log_requests = false;
    http = std::make_unique<server::HttpServer>(hc);
    server::http::RouteLimits lim;
    lim.max_body = 64u << 20;
    lim.spool = true;
    lim.admit = [](const server::http::Request&, server::http::Response&) { return true; };
    http->routes().post("/upload", [](server::http::Request& req, server::http::Response& res) {
      uint64_t h = 1469598103934665603ull;
      auto n = req.body_chunks(64u << 20, [&](std::string_view s) {
        for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
        return Status::Ok();
      });
      if (!n) return res.set_content(n.error().message, "text/plain");
      res.set_content(std::to_string(*n) + " " + std::to_string(h), "text/plain");
    }, lim);
    port = http->bind();
    REQUIRE(port > 0);
    thread = std::thread([this] { http->run(); });
  }
  ~SpoolServer() {
    http->stop();
    thread.join();
  }
  int connect() const {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    timeval tv{30, 0};  // liveness bound: a hang fails the test instead of stalling ctest
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
  }
};

bool send_all(int fd, std::string_view s) {
  while (!s.empty()) {
    ssize_t n = ::send(fd, s.data(), s.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    s.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// One answer: status line, headers and a Content-Length body ("" on a timeout or a close).
struct Answer {
  int status = 0;
  std::string head, body;
};
Answer read_answer(int fd, std::string& pending) {
  Answer a;
  char buf[16384];
  size_t end;
  while ((end = pending.find("\r\n\r\n")) == std::string::npos) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return a;
    pending.append(buf, static_cast<size_t>(n));
  }
  a.head = pending.substr(0, end + 4);
  pending.erase(0, end + 4);
  a.status = std::atoi(a.head.c_str() + 9);
  size_t len = 0;
  if (auto p = a.head.find("Content-Length: "); p != std::string::npos) len = std::stoul(a.head.substr(p + 16));
  while (pending.size() < len) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return a;
    pending.append(buf, static_cast<size_t>(n));
  }
  a.body = pending.substr(0, len);
  pending.erase(0, len);
  return a;
}

std::string expected(const std::string& body) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : body) h = (h ^ c) * 1099511628211ull;
  return std::to_string(body.size()) + " " + std::to_string(h);
}

}  // namespace

TEST_CASE("a multi-MB body to a spooled route gets its answer: plain, 100-continue and chunked, then keep-alive") {
  SpoolServer s;
  std::string body;
  for (size_t i = 0; body.size() < (12u << 20); ++i) body += "row " + std::to_string(i) + ",1319,Walgrove Ave,90291\n";
  const std::string head = "POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\n";

  SUBCASE("Content-Length, sent while the answer is awaited (a browser's upload), then a second request") {
    int fd = s.connect();
    std::thread sender([&] { send_all(fd, head + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body); });
    std::string pending;
    Answer a = read_answer(fd, pending);
    sender.join();
    CHECK(a.status == 200);
    CHECK(a.body == expected(body));
    // The same connection takes the next upload (nothing of the first body is left unread).
    std::string small = body.substr(0, 3u << 20);
    std::thread again([&] { send_all(fd, head + "Content-Length: " + std::to_string(small.size()) + "\r\n\r\n" + small); });
    Answer b = read_answer(fd, pending);
    again.join();
    CHECK(b.status == 200);
    CHECK(b.body == expected(small));
    ::close(fd);
  }
  SUBCASE("Expect: 100-continue (curl's way for large bodies): 100 first, then the answer") {
    int fd = s.connect();
    REQUIRE(send_all(fd, head + "Content-Length: " + std::to_string(body.size()) + "\r\nExpect: 100-continue\r\n\r\n"));
    std::string pending;
    Answer cont = read_answer(fd, pending);
    CHECK(cont.status == 100);
    std::thread sender([&] { send_all(fd, body); });
    Answer a = read_answer(fd, pending);
    sender.join();
    CHECK(a.status == 200);
    CHECK(a.body == expected(body));
    ::close(fd);
  }
  SUBCASE("chunked, in 1 MiB chunks") {
    int fd = s.connect();
    std::thread sender([&] {
      send_all(fd, head + "Transfer-Encoding: chunked\r\n\r\n");
      for (size_t at = 0; at < body.size(); at += 1u << 20) {
        std::string_view piece = std::string_view(body).substr(at, 1u << 20);
        char size[32];
        std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
        send_all(fd, size);
        send_all(fd, piece);
        send_all(fd, "\r\n");
      }
      send_all(fd, "0\r\n\r\n");
    });
    std::string pending;
    Answer a = read_answer(fd, pending);
    sender.join();
    CHECK(a.status == 200);
    CHECK(a.body == expected(body));
    ::close(fd);
  }
  SUBCASE("a length over the route's limit is refused on the headers") {
    int fd = s.connect();
    REQUIRE(send_all(fd, head + "Content-Length: " + std::to_string(65ull << 20) + "\r\n\r\n"));
    std::string pending;
    Answer a = read_answer(fd, pending);
    CHECK(a.status == 413);
    ::close(fd);
  }
  // Every spooled body is gone once answered.
  for (int i = 0; i < 50 && !std::filesystem::is_empty(s.spool.path); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(std::filesystem::is_empty(s.spool.path));
}
