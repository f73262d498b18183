// Code -> HTTP status mapping and the JSON answer helpers (see http_errors.h). Server faults are the
// only 5xx; anything a client can cause maps to a 4xx; the storage engine's own text is logged,
// never answered.
#include "server/http_errors.h"
#include "server/server_log.h"

#include <cstdio>

namespace doorstep::server {

int http_status(Code c) {
  switch (c) {
    case Code::ok: return 200;
    case Code::invalid_argument: return 400;
    case Code::unsupported: return 400;
    case Code::unauthorized: return 401;
    case Code::expired: return 401;
    case Code::revoked: return 401;
    case Code::forbidden:
    case Code::after_end: return 403;
    case Code::not_found: return 404;
    case Code::conflict: return 409;
    case Code::gap: return 409;
    case Code::too_large: return 413;
    case Code::rate_limited: return 429;
    case Code::corrupt:
    case Code::io:
    case Code::internal: return 500;
  }
  return 500;
}

void send_json(http::Response& res, const json::Value& v, int status) {
  res.status = status;
  res.set_content(json::dump(v), "application/json");
}

// What a client is told when the storage engine failed: a stable sentence per code. SQLite's own
// text (table and column names, SQL) goes to the log only.
std::string storage_message(Code c) {
  switch (c) {
    case Code::conflict: return "this conflicts with data already stored";
    case Code::io: return "the server's storage is busy or unavailable; try again shortly";
    case Code::corrupt: return "the server's storage is damaged; its administrator can see why in the log";
    case Code::too_large: return "too large to store";
    default: return "the server could not complete this request";
  }
}

void send_error(http::Response& res, const Error& e, const json::Value& extra) {
  json::Value body = json::Value::object();
  body.set("code", std::string(code_name(e.code)));
  if (e.from_storage) {
    log_message("doorstep: storage error (" + std::string(code_name(e.code)) + "): " + e.message);
    body.set("message", storage_message(e.code));
  } else {
    body.set("message", e.message);
  }
  if (extra.is_object())
    for (const auto& [k, v] : extra.as_object()) body.set(k, v);
  send_json(res, body, http_status(e.code));
}

void send_error(http::Response& res, Code c, std::string message) {
  send_error(res, Error{c, std::move(message)});
}

}  // namespace doorstep::server
