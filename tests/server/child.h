// A real `doorstep serve` child process for kill tests: started with fork/exec on a free port
// (--port 0; the port is read from its first line of output), stopped with SIGKILL or SIGTERM by
// its own pid. Leaves out anything but Linux.
#pragma once
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

namespace fixture {

struct Child {
  pid_t pid = -1;
  int port = -1;
  FILE* out = nullptr;
  int err_fd = -1;  // the unread end of its stderr, with stderr_unread

  // stderr_unread: its request log goes to a pipe that the test never reads (it fills at 64 KB).
  Child(const std::string& data_dir, std::vector<std::string> extra = {}, bool stderr_unread = false) {
    int fds[2], errs[2] = {-1, -1};
    REQUIRE(pipe(fds) == 0);
    if (stderr_unread) REQUIRE(pipe(errs) == 0);
    std::vector<std::string> args{DOORSTEP_BINARY, "serve", "--data", data_dir, "--port", "0"};
    for (auto& e : extra) args.push_back(e);
    pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      dup2(fds[1], 1);
      int devnull = open("/dev/null", 1);
      dup2(stderr_unread ? errs[1] : devnull, 2);  // request log lines
      close(fds[0]);
      if (stderr_unread) close(errs[0]);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(fds[1]);
    if (stderr_unread) {
      close(errs[1]);
      err_fd = errs[0];
    }
    out = fdopen(fds[0], "r");
    char line[512];
    while (port < 0 && std::fgets(line, sizeof line, out)) {
      std::string l(line);
      auto p = l.find("serving on http://127.0.0.1:");
      if (p != std::string::npos) port = std::stoi(l.substr(p + 28));
    }
    REQUIRE_MESSAGE(port > 0, "doorstep serve did not start");
  }
  void kill_hard() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
      pid = -1;
    }
  }
  void stop() {
    if (pid > 0) {
      ::kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
      pid = -1;
    }
  }
  ~Child() {
    kill_hard();
    if (out) fclose(out);
    if (err_fd >= 0) close(err_fd);
  }
};

}  // namespace fixture
