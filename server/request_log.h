// The server's request log ("GET /api/v1/canvass 200", one line a request), written by a thread of
// its own so that no I/O thread ever waits for the log's reader. A reader that stops reading (a
// full stderr pipe) costs log lines, never connections: at most `max_queued` lines wait, later
// ones are counted as dropped, and the count is logged where the gap is, before the next line
// taken. Leaves out rotation and formats (journald's, see docs/deploy.md); nothing personal is
// in a line.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

namespace doorstep::server {

class RequestLog {
 public:
  // `name` says whose lines a gap lost ("request log", "message log").
  explicit RequestLog(int fd = 2, size_t max_queued = 4096, std::string name = "request log");
  ~RequestLog();  // writes what is queued while the reader takes it, for 1 s at most
  RequestLog(const RequestLog&) = delete;
  RequestLog& operator=(const RequestLog&) = delete;

  void add(std::string line);  // one line, without its newline; never blocks on the reader
  uint64_t dropped() const;    // lines not logged because the queue was full

 private:
  void run();
  const int fd_;
  const size_t max_queued_;
  const std::string name_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  uint64_t dropped_ = 0, dropped_said_ = 0;
  bool stop_ = false;
  std::thread writer_;
};

}  // namespace doorstep::server
