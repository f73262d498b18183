// See request_log.h. The writer waits for the descriptor to take bytes (poll, POLLOUT) before each
// write and writes at most PIPE_BUF bytes then, which a pipe takes whole without blocking; so it
// notices the server stopping even while nobody reads.
#include "server/request_log.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>

namespace doorstep::server {

RequestLog::RequestLog(int fd, size_t max_queued, std::string name)
    : fd_(fd), max_queued_(max_queued ? max_queued : 1), name_(std::move(name)) {
  writer_ = std::thread([this] { run(); });
}

RequestLog::~RequestLog() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  writer_.join();
}

void RequestLog::add(std::string line) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_) return;
    if (queue_.size() >= max_queued_) {
      ++dropped_;
      return;
    }
    if (dropped_ > dropped_said_) {  // the gap is said where it is, before the first line after it
      queue_.push_back("doorstep: " + std::to_string(dropped_ - dropped_said_) +
                       " " + name_ + " line(s) dropped: the log was not being read\n");
      dropped_said_ = dropped_;
    }
    line += '\n';
    queue_.push_back(std::move(line));
  }
  cv_.notify_one();
}

uint64_t RequestLog::dropped() const {
  std::lock_guard<std::mutex> lock(mu_);
  return dropped_;
}

void RequestLog::run() {
  using clock = std::chrono::steady_clock;
  clock::time_point stop_by{};
  std::string chunk;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (chunk.empty()) {
        cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
        if (queue_.empty() && stop_) return;
        while (!queue_.empty() && chunk.size() + queue_.front().size() <= PIPE_BUF) {
          chunk += queue_.front();
          queue_.pop_front();
        }
        if (chunk.empty()) {  // one line longer than PIPE_BUF: cut (lines are short; never expected)
          chunk = queue_.front().substr(0, PIPE_BUF - 1) + '\n';
          queue_.pop_front();
        }
      }
      if (stop_ && stop_by == clock::time_point{}) stop_by = clock::now() + std::chrono::seconds(1);
    }
    if (stop_by != clock::time_point{} && clock::now() > stop_by) return;  // the reader is gone
    pollfd p{fd_, POLLOUT, 0};
    int r = ::poll(&p, 1, 200);
    if (r < 0 && errno != EINTR) return;
    if (r <= 0) continue;  // not writable yet: look at the stop flag, then wait again
    if (p.revents & (POLLERR | POLLHUP | POLLNVAL)) return;  // nobody will ever read it
    ssize_t n = ::write(fd_, chunk.data(), chunk.size());
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return;
    }
    chunk.erase(0, static_cast<size_t>(n));
  }
}

}  // namespace doorstep::server
