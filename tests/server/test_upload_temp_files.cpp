// Upload temp files (issue 10 item 6) with a real `doorstep serve` over loopback: they live in
// DIR/uploads (0700), are gone after an import, after a refused file and after a body cut off,
// and the ones a crash leaves behind (a server killed mid-upload) are removed at the next start.
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/server/child.h"
#include "tests/server/fixture.h"

using namespace doorstep;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> files_in(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) out.push_back(it->path().filename().string());
  return out;
}

// Polls (the server notices a closed connection on its own time): true once `dir` is empty.
bool empties(const std::string& dir) {
  for (int i = 0; i < 100; ++i) {
    if (files_in(dir).empty()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

struct Signed {
  fixture::Organizer org;
  std::string campaign;
};

Signed sign_in_and_create(fixture::Child& child) {
  Signed s;
  s.org = fixture::sign_in_printed(child.out, child.port);
  httplib::Client cli("127.0.0.1", child.port);
  auto c = cli.Post("/api/v1/campaigns", s.org.headers(), R"({"name":"Temp files"})", "application/json");
  REQUIRE(c);
  REQUIRE(c->status == 200);
  s.campaign = fixture::parse(c->body).find("campaign")->find("id")->as_string();
  return s;
}

}  // namespace

TEST_CASE("upload temp files: removed after use, on failure, and at start after a crash") {
  fixture::TempDir dir;
  const std::string data = dir.path + "/data", uploads = data + "/uploads";
  fs::create_directories(uploads);
  for (const char* stale : {"0193a0b1c2d3.part", "doorstep-upload-4242-7.part", "leftover.ndjson"})
    std::ofstream(uploads + "/" + stale) << "RegistrantID,LastName\n1,Stale\n";
  REQUIRE(files_in(uploads).size() == 3);
  auto child = std::make_unique<fixture::Child>(data);
  CHECK(files_in(uploads).empty());  // removed at start
  struct stat st {};
  REQUIRE(::stat(uploads.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);

  Signed s = sign_in_and_create(*child);
  httplib::Client cli("127.0.0.1", child->port);
  cli.set_read_timeout(60, 0);
  std::string base = "/api/v1/campaigns/" + s.campaign + "/universe";
  auto good = cli.Post(base, s.org.headers(), "RegistrantID,AddressNumber,StreetName,LastName\n1,1319,Walgrove,Ana\n", "text/csv");
  REQUIRE(good);
  CHECK_MESSAGE(good->status == 200, good->body);
  CHECK(empties(uploads));  // after use
  auto bad = cli.Post(base, s.org.headers(), "name,colour\nAna,red\n", "text/csv");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(empties(uploads));  // after a refused file
  {
    // A body cut off: the connection closes before the declared length arrives.
    httplib::Client raw("127.0.0.1", child->port);
    raw.set_read_timeout(5, 0);
    std::string head = "RegistrantID,AddressNumber,StreetName\n";
    while (head.size() < 200000) head += "1,1,Main\n";
    auto r = raw.Post(base, s.org.headers(), head.size() * 2, [&](size_t offset, size_t length, httplib::DataSink& sink) {
      if (offset >= head.size()) return false;
      sink.write(head.data() + offset, std::min(length, head.size() - offset));
      return true;
    }, "text/csv");
    if (r) CHECK(r->status >= 400);
  }
  CHECK(empties(uploads));  // on failure

  // A crash mid-upload: half of a declared body sent, the server killed while its spool is open.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(child->port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  std::string half = "RegistrantID,AddressNumber,StreetName\n";
  while (half.size() < (1u << 20)) half += "2,2,Crash Ave\n";
  std::string req = "POST " + base + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/csv\r\nContent-Length: " +
                    std::to_string(half.size() * 4) + "\r\nCookie: ds_session=" + s.org.cookie + "\r\nX-CSRF-Token: " +
                    s.org.csrf + "\r\n\r\n" + half;
  size_t sent = 0;
  while (sent < req.size()) {
    ssize_t n = ::send(fd, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
    REQUIRE(n > 0);
    sent += static_cast<size_t>(n);
  }
  // This upload's spool, told apart by its size: a slow server may only now be handling the cut-off
  // body above (its spool, at most 200 KB, comes and goes meanwhile).
  auto spooled = [&] {
    for (const auto& f : files_in(uploads)) {
      std::error_code ec;
      auto n = fs::file_size(uploads + "/" + f, ec);
      if (!ec && n >= half.size() / 2) return true;
    }
    return false;
  };
  bool spooling = false;
  for (int i = 0; i < 200 && !spooling; ++i) {
    spooling = spooled();
    if (!spooling) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(spooling);  // the body goes to DIR/uploads as it arrives, not to a shared temp folder
  child->kill_hard();
  ::close(fd);
  CHECK(spooled());  // the crash left it there
  child = std::make_unique<fixture::Child>(data);
  CHECK(files_in(uploads).empty());  // and the next start removed it
  httplib::Client after("127.0.0.1", child->port);
  auto health = after.Get("/api/v1/health");
  REQUIRE(health);
  CHECK(health->status == 200);
}
