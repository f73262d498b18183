// Clocks shared by the native benchmarks: wall time, CPU time (this thread or the whole process;
// the machine is shared, so wall time alone overstates the cost) and peak resident memory.
#pragma once
#include <sys/resource.h>
#include <time.h>

#include <chrono>

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

}  // namespace doorstep::bench_clock
