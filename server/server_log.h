// The server's own messages on stderr (internal errors, audit and storage failures), written by a
// thread of their own (a RequestLog) so that a handler or the storage writer never waits for a
// stderr nobody reads: lines beyond the queue are counted and the gap said. Leaves out the request
// log (HttpServer's) and start-up messages, which are printed before serving begins.
#pragma once

#include <string>

namespace doorstep::server {

void log_message(std::string line);  // one line, without its newline; never blocks on the reader

}  // namespace doorstep::server
