// The attack battery of the HTTP layer against a real `doorstep serve` child on loopback: a
// compressed body, an endless chunked body and an oversized one answer 4xx with bounded memory
// growth (read from /proc/PID/status); 300 ranges get one range or 416; 200 slow-header sockets and
// 2,000 idle connections leave /api/v1/health answering; 100 junk sign-ins leave a canvasser's
// package answering; the server is healthy afterwards. Liveness bounds only: figures live in bench/.
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "server/links.h"
#include "tests/server/child.h"
#include "tests/server/fixture.h"

using namespace doorstep;
using Clock = std::chrono::steady_clock;

namespace {

constexpr long kMaxGrowthKb = 64 * 1024;

long proc_status_kb(pid_t pid, const char* key) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key, 0) == 0) return std::stol(line.substr(std::char_traits<char>::length(key)));
  return -1;
}

// Resets the child's peak RSS (VmHWM) to its current RSS, so each attack's peak is its own.
void reset_peak(pid_t pid) { std::ofstream("/proc/" + std::to_string(pid) + "/clear_refs") << "5"; }

int connect_to(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  return fd;
}

bool send_all(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

bool readable(int fd, int ms) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, ms) > 0;
}

// Reads an answer (header and, with Content-Length, its body) within `ms`; empty on timeout/close.
struct Answer {
  int status = 0;
  std::string head;
  size_t body_bytes = 0;
};
Answer read_answer(int fd, int ms = 10000) {
  Answer a;
  std::string buf;
  auto deadline = Clock::now() + std::chrono::milliseconds(ms);
  char tmp[65536];
  size_t need = std::string::npos;
  while (Clock::now() < deadline) {
    int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
    if (!readable(fd, std::max(1, left))) break;
    ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
    if (n <= 0) break;
    buf.append(tmp, static_cast<size_t>(n));
    auto end = buf.find("\r\n\r\n");
    if (end != std::string::npos && a.head.empty()) {
      a.head = buf.substr(0, end + 4);
      a.status = std::atoi(a.head.c_str() + 9);
      auto cl = a.head.find("Content-Length: ");
      need = cl == std::string::npos ? 0 : std::stoul(a.head.substr(cl + 16));
    }
    if (!a.head.empty() && buf.size() - a.head.size() >= need) break;
  }
  if (!a.head.empty()) a.body_bytes = buf.size() - a.head.size();
  return a;
}

void raise_nofile() {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &rl);
  }
}

// Health over a fresh connection; the time it took, or a negative value when it did not answer.
double health_seconds(int port) {
  auto t0 = Clock::now();
  httplib::Client c("127.0.0.1", port);
  c.set_connection_timeout(5, 0);
  c.set_read_timeout(5, 0);
  auto r = c.Get("/api/v1/health");
  if (!r || r->status != 200) return -1;
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

struct Battery {
  fixture::TempDir dir;
  std::string token;
  std::unique_ptr<fixture::Child> child;
  size_t static_size = 1 << 20;
  Battery() {
    raise_nofile();
    std::string data = dir.path + "/data", web = dir.path + "/web";
    std::filesystem::create_directories(web);
    std::ofstream(web + "/index.html") << "<!doctype html><title>x</title>";
    std::ofstream(web + "/big.bin", std::ios::binary) << std::string(static_size, 'x');
    {
      server::AppConfig ac;
      ac.data_dir = data;
      auto app = server::App::open(ac);
      REQUIRE(app.ok());
      auto seeded = fixture::seed(**app);
      auto l = server::create_link((*app)->storage(), seeded.campaign, seeded.turf_a, "crew", "", (*app)->now(), 86400000);
      REQUIRE(l.ok());
      token = l->token;
    }
    child = std::make_unique<fixture::Child>(data, std::vector<std::string>{"--web", web});
  }
  pid_t pid() const { return child->pid; }
  int port() const { return child->port; }
  std::string push_head(const std::string& extra) const {
    return "POST /api/v1/canvass/push HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
           "\r\nContent-Type: application/json\r\n" + extra + "\r\n";
  }
  // Runs `attack` and checks the child's peak memory grew by less than 64 MB during it.
  template <class F>
  void bounded(const char* what, F attack) {
    reset_peak(pid());
    long before = proc_status_kb(pid(), "VmRSS:");
    attack();
    long peak = proc_status_kb(pid(), "VmHWM:");
    CAPTURE(what);
    CAPTURE(before);
    CAPTURE(peak);
    CHECK(before > 0);
    CHECK(peak - before < kMaxGrowthKb);
  }
};

}  // namespace

TEST_CASE("attack battery: bodies, ranges, slow and idle connections, junk sign-ins; health holds") {
  Battery b;

  b.bounded("compressed body", [&] {
    int fd = connect_to(b.port());
    REQUIRE(send_all(fd, b.push_head("Content-Encoding: gzip\r\nContent-Length: 1048576\r\n")));
    send_all(fd, std::string(65536, '\x1f'));
    auto a = read_answer(fd);
    CHECK(a.status == 415);
    ::close(fd);
  });

  b.bounded("endless chunked body", [&] {
    int fd = connect_to(b.port());
    REQUIRE(send_all(fd, b.push_head("Transfer-Encoding: chunked\r\n")));
    std::string chunk = "10000\r\n" + std::string(65536, ' ') + "\r\n";
    size_t sent = 0;
    // Up to 64 MiB: far past the push limit (1 MiB); the server must answer long before.
    while (sent < (64u << 20) && !readable(fd, 0) && send_all(fd, chunk)) sent += chunk.size();
    auto a = read_answer(fd);
    CAPTURE(sent);
    CHECK(a.status == 413);
    CHECK(sent < (16u << 20));
    ::close(fd);
  });

  b.bounded("oversized Content-Length", [&] {
    int fd = connect_to(b.port());
    REQUIRE(send_all(fd, b.push_head("Content-Length: 104857600\r\n")));
    auto a = read_answer(fd);
    CHECK(a.status == 413);
    ::close(fd);
  });

  b.bounded("300 ranges", [&] {
    std::string ranges = "bytes=0-";
    for (int i = 1; i < 300; ++i) ranges += "," + std::to_string(i) + "-";
    int fd = connect_to(b.port());
    REQUIRE(send_all(fd, "GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: " + ranges + "\r\n\r\n"));
    auto a = read_answer(fd, 20000);
    CAPTURE(a.head);
    CHECK((a.status == 206 || a.status == 416));
    CHECK(a.head.find("multipart") == std::string::npos);
    CHECK(a.body_bytes <= b.static_size);
    ::close(fd);
  });

  // 200 sockets trickling header lines, and 2,000 that connect and say nothing.
  b.bounded("slow headers and idle connections", [&] {
    std::vector<int> slow, idle;
    for (int i = 0; i < 200; ++i) {
      slow.push_back(connect_to(b.port()));
      send_all(slow.back(), "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    }
    for (int i = 0; i < 2000; ++i) idle.push_back(connect_to(b.port()));
    auto start = Clock::now();
    for (int round = 0; round < 3; ++round) {
      for (int fd : slow) send_all(fd, "X-Slow: " + std::to_string(round) + "\r\n");
      double t = health_seconds(b.port());
      CAPTURE(round);
      CHECK(t >= 0);
      CHECK(t < 5.0);
      std::this_thread::sleep_for(std::chrono::milliseconds(700));
    }
    // The header deadline (10 s for the whole header) closes a trickling socket.
    int one = slow.front();
    bool closed = false;
    while (!closed && Clock::now() - start < std::chrono::seconds(16)) {
      send_all(one, "X-Slow: more\r\n");
      if (readable(one, 500)) {
        char tmp[512];
        closed = ::recv(one, tmp, sizeof tmp, 0) <= 0;
      }
    }
    CHECK(closed);
    for (int fd : slow) ::close(fd);
    for (int fd : idle) ::close(fd);
  });

  // 100 sign-ins with wrong passwords at once (each costs an Argon2id hash) while a canvasser
  // fetches the package.
  {
    std::vector<std::thread> junk;
    std::atomic<int> answered{0};
    for (int i = 0; i < 100; ++i)
      junk.emplace_back([&, i] {
        httplib::Client c("127.0.0.1", b.port());
        c.set_read_timeout(120, 0);
        auto r = c.Post("/api/v1/auth/signin",
                        R"({"email":"junk)" + std::to_string(i) + R"(@example.org","password":"not the password"})",
                        "application/json");
        if (r && r->status >= 400 && r->status < 500) ++answered;
      });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto t0 = Clock::now();
    httplib::Client c("127.0.0.1", b.port());
    c.set_read_timeout(5, 0);
    auto pkg = c.Get("/api/v1/canvass/package", fixture::bearer(b.token));
    double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    REQUIRE(pkg);
    CHECK(pkg->status == 200);
    CHECK(secs < 5.0);
    for (auto& t : junk) t.join();
    CHECK(answered == 100);  // refused (401) or told to wait (429): every one answered
  }

  double t = health_seconds(b.port());
  CHECK(t >= 0);
  CHECK(t < 5.0);
}
