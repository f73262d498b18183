// libFuzzer target for the sync request decoder: arbitrary bytes through shared/json parse and the
// strict push/pull decoders (and the response decoders). A request that decodes must re-encode to
// an equal request and must apply to a real (in-memory) server database without an internal error.
#include <cstddef>
#include <cstdint>
#include <string>

#include "shared/base/json.h"
#include "shared/store/store.h"
#include "shared/sync/sync_protocol.h"
#include "shared/sync/sync_server.h"

using namespace doorstep;
using namespace doorstep::sync;

namespace {
store::Db& server() {
  static store::Db db = [] {
    auto d = store::Db::open(":memory:");
    if (!d || !sync::migrate(*d)) __builtin_trap();
    return std::move(*d);
  }();
  return db;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  auto push = parse_push_request(s);
  if (push) {
    auto again = parse_push_request(json::dump(encode(*push)));
    if (!again || again->client_id != push->client_id || again->mutations.size() != push->mutations.size()) __builtin_trap();
    for (size_t i = 0; i < push->mutations.size(); ++i)
      if (!(again->mutations[i] == push->mutations[i])) __builtin_trap();
    PushContext ctx;
    ctx.turf_id = "fuzz";
    ctx.server_now_ms = 1767225600000;
    auto r = apply_push(server(), *push, ctx);
    if (!r) __builtin_trap();  // a decoded request never fails to apply
    if (server().in_transaction()) __builtin_trap();
  } else if (push.error().code == Code::internal || push.error().message.empty()) {
    __builtin_trap();
  }
  auto pull = parse_pull_request(s);
  if (pull) {
    auto r = pull_changes(server(), "fuzz", pull->cursor, pull->limit);
    if (!r && r.error().code != Code::invalid_argument) __builtin_trap();
  }
  if (auto v = json::parse(s)) {
    (void)decode_push_response(*v);
    (void)decode_pull_response(*v);
  }
  return 0;
}
