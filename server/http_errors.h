// The one place where error codes (shared/result.h) become HTTP statuses, and the helpers that
// write every JSON answer and every {code, message} error body. Knows nothing about routes.
#pragma once
#include <string>

#include "server/http.h"
#include "shared/base/json.h"
#include "shared/base/result.h"

namespace doorstep::server {

int http_status(Code c);

// Writes {"code":..., "message":...} plus any members of `extra` (an object, e.g. expected_seq).
void send_error(http::Response& res, const Error& e, const json::Value& extra = json::Value());
void send_error(http::Response& res, Code c, std::string message);
void send_json(http::Response& res, const json::Value& v, int status = 200);

}  // namespace doorstep::server
