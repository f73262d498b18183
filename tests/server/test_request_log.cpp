// The request log never holds up the server (server/request_log.h): a pipe nobody reads costs log
// lines, not connections; the lines dropped are said once the reader catches up; a stop while
// nobody reads still ends. Then a real `doorstep serve` whose stderr is never read keeps
// answering after far more request lines than the pipe holds; the server's own messages likewise.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "server/request_log.h"
#include "server/server_log.h"
#include "tests/server/child.h"
#include "tests/server/fixture.h"

using namespace doorstep;
using clk = std::chrono::steady_clock;

namespace {
double seconds_since(clk::time_point t) { return std::chrono::duration<double>(clk::now() - t).count(); }

// What the pipe holds now, read without waiting.
std::string drain(int fd) {
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}
}  // namespace

TEST_CASE("RequestLog: a reader that stops costs lines, never the caller's time; the gap is said") {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  REQUIRE(fcntl(fds[0], F_SETFL, O_NONBLOCK) == 0);
  {
    server::RequestLog log(fds[1], 1000);
    auto t0 = clk::now();
    for (int i = 0; i < 50000; ++i) log.add("GET static 200");  // 750 KB: the pipe holds 64 KB
    CHECK(seconds_since(t0) < 5.0);  // liveness only: each add is a queue push or a count
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(log.dropped() > 40000);
    // The reader is back: it takes what waited (the pipe's 64 KB, then the queue's 1,000 lines)...
    std::string got = drain(fds[0]);
    CHECK(got.find("GET static 200\n") == 0);
    for (int quiet = 0, i = 0; quiet < 4 && i < 200; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      std::string more = drain(fds[0]);
      quiet = more.empty() ? quiet + 1 : 0;
      got += more;
    }
    CHECK(got.find("dropped") == std::string::npos);  // nothing was written after the gap yet
    // ...and the next line comes after a line saying how many went.
    log.add("GET after the gap 200");
    std::string later;
    for (int i = 0; i < 100 && later.find("after the gap") == std::string::npos; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      later += drain(fds[0]);
    }
    const auto said = later.find("request log line(s) dropped: the log was not being read");
    const auto after = later.find("GET after the gap 200");
    REQUIRE(after != std::string::npos);
    CHECK(said != std::string::npos);
    CHECK(said < after);
  }
  {  // stopped while nobody reads: the writer gives up after its second, it does not wait forever
    server::RequestLog* log = new server::RequestLog(fds[1], 100000);
    for (int i = 0; i < 20000; ++i) log->add("GET static 200");
    auto t0 = clk::now();
    delete log;
    CHECK(seconds_since(t0) < 10.0);
  }
  close(fds[0]);
  close(fds[1]);
}

// The server's own messages (internal errors, storage failures) go through a log of their own:
// with stderr a pipe nobody reads, a handler that logs one never waits for it.
TEST_CASE("the server's messages never wait for a stderr nobody reads") {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  REQUIRE(fcntl(fds[0], F_SETFL, O_NONBLOCK) == 0);
  std::fflush(stderr);
  const int saved = dup(2);
  REQUIRE(saved >= 0);
  REQUIRE(dup2(fds[1], 2) == 2);
  auto t0 = clk::now();
  for (int i = 0; i < 20000; ++i) server::log_message("doorstep: storage error (io): test message nobody reads");
  const double took = seconds_since(t0);  // 1.1 MB of lines: the pipe holds 64 KB
  // Read what waited (so that none of it spills into the test's own stderr afterwards), then one
  // more message, which comes after a line saying how many went.
  std::string got;
  auto read_all = [&] {
    for (int quiet = 0, i = 0; quiet < 4 && i < 400; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      std::string more = drain(fds[0]);
      quiet = more.empty() ? quiet + 1 : 0;
      got += more;
    }
  };
  read_all();
  server::log_message("doorstep: after the gap");
  read_all();
  REQUIRE(dup2(saved, 2) == 2);
  close(saved);
  CHECK(took < 5.0);  // liveness only: a blocking write would never have returned
  CHECK(got.find("doorstep: storage error (io): test message nobody reads\n") == 0);
  // The gap is said as the message log's (1,024 wait at most: most of the 20,000 were dropped).
  const auto said = got.find("message log line(s) dropped: the log was not being read");
  const auto after = got.find("doorstep: after the gap");
  REQUIRE(after != std::string::npos);
  CHECK(said != std::string::npos);
  CHECK(said < after);
  close(fds[0]);
  close(fds[1]);
}

TEST_CASE("doorstep serve: a request log nobody reads never stops it answering") {
  fixture::TempDir dir;
  fixture::Child c(dir.path + "/data", {}, /*stderr_unread=*/true);
  httplib::Client cli("127.0.0.1", c.port);
  cli.set_keep_alive(true);
  cli.set_read_timeout(5, 0);
  cli.set_connection_timeout(5, 0);
  // About 8,000 request lines of ~20 bytes: more than twice what the unread pipe holds.
  int ok = 0;
  for (int i = 0; i < 8000; ++i) {
    auto r = cli.Get("/api/v1/health");
    if (!r) break;
    if (r->status == 200) ++ok;
  }
  CHECK(ok == 8000);
  httplib::Client fresh("127.0.0.1", c.port);
  fresh.set_read_timeout(5, 0);
  auto r = fresh.Get("/api/v1/health");
  REQUIRE(r);
  CHECK(r->status == 200);
}
