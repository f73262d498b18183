// See server_log.h: one RequestLog for the process, made on first use, ended at exit.
#include "server/server_log.h"

#include "server/request_log.h"

namespace doorstep::server {

void log_message(std::string line) {
  static RequestLog log(2, 1024, "message log");
  log.add(std::move(line));
}

}  // namespace doorstep::server
