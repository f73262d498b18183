// Clocks shared by the native benchmarks: wall time, CPU time (this thread or the whole process;
// the machine is shared, so wall time alone overstates the cost) and peak resident memory.
#pragma once
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace doorstep::bench_clock {

inline double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
inline double cpu_s(clockid_t which) {
  timespec ts{};
  clock_gettime(which, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}
inline double thread_cpu_s() { return cpu_s(CLOCK_THREAD_CPUTIME_ID); }
inline double process_cpu_s() { return cpu_s(CLOCK_PROCESS_CPUTIME_ID); }
inline long peak_rss_kb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// Runs fn in a child process so that its peak RSS is its own; the child sends fn's result (a
// trivially copyable T with a `long rss_kb`, filled in here) back through a pipe.
template <class T, class F>
T in_child(F fn) {
  int fd[2];
  if (pipe(fd) != 0) std::exit(1);
  pid_t pid = fork();
  if (pid == 0) {
    close(fd[0]);
    T r = fn();
    r.rss_kb = peak_rss_kb();
    if (write(fd[1], &r, sizeof r) != static_cast<ssize_t>(sizeof r)) _exit(1);
    _exit(0);
  }
  close(fd[1]);
  T r{};
  ssize_t n = read(fd[0], &r, sizeof r);
  close(fd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (n != static_cast<ssize_t>(sizeof r) || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "phase failed\n");
    std::exit(1);
  }
  return r;
}

}  // namespace doorstep::bench_clock
