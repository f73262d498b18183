// The wire examples of docs/api.md and docs/sync.md decoded by the real decoders, so the docs
// cannot drift from the code: the turf package, push and pull bodies and answers, error bodies.
// Route examples of the organizer API are decoded by the real server (tests/server/test_docs.cpp).
#include <doctest/doctest.h>

#include <set>

#include "shared/canvass/turf_package.h"
#include "shared/sync/sync_protocol.h"
#include "tests/docs_examples.h"

using namespace doorstep;

namespace {

// Kinds decoded here; "request ROUTE" and "answer ROUTE" go to the server test.
const std::set<std::string> kWire = {"package",       "push request", "push response",
                                     "pull request",  "pull response", "error"};

// Decodes one example; returns "" when it decodes and means what it shows, else why not.
std::string check(const docs_examples::Example& e, const json::Value& v) {
  auto same = [&](const json::Value& encoded) {
    return docs_examples::canonical(encoded) == docs_examples::canonical(v)
               ? std::string()
               : "decodes, but the encoder writes it otherwise: " + json::dump(encoded);
  };
  if (e.kind == "package") {
    auto p = canvass::decode_package(v);
    return p ? same(canvass::encode_package(*p)) : p.error().message;
  }
  if (e.kind == "push request") {
    auto r = sync::decode_push_request(v);
    return r ? same(sync::encode(*r)) : r.error().message;
  }
  if (e.kind == "push response") {
    auto r = sync::decode_push_response(v);
    return r ? same(sync::encode(*r)) : r.error().message;
  }
  if (e.kind == "pull request") {
    auto r = sync::decode_pull_request(v);
    return r ? same(sync::encode(*r)) : r.error().message;
  }
  if (e.kind == "pull response") {
    auto r = sync::decode_pull_response(v);
    return r ? same(sync::encode(*r)) : r.error().message;
  }
  if (e.kind == "error") {
    const json::Value* c = v.find("code");
    const json::Value* m = v.find("message");
    if (!c || !c->is_string() || !code_from_name(c->as_string())) return "no known \"code\"";
    if (!m || !m->is_string()) return "no \"message\"";
    return "";
  }
  return "unknown kind";
}

}  // namespace

TEST_CASE("every JSON example of docs/api.md and docs/sync.md is marked and the wire ones decode") {
  auto examples = docs_examples::all();
  CHECK(examples.size() >= 10);
  std::set<std::string> seen;
  for (const auto& e : examples) {
    INFO(e.where << " (" << e.kind << ")");
    REQUIRE_MESSAGE(!e.kind.empty(), e.where << ": a ```json block without a `<!-- example: KIND -->` line before it");
    auto v = json::parse(e.text);
    REQUIRE_MESSAGE(v.ok(), e.where << ": not JSON: " << v.error().message);
    if (e.kind.rfind("request ", 0) == 0 || e.kind.rfind("answer ", 0) == 0) continue;  // routes: server test
    REQUIRE_MESSAGE(kWire.count(e.kind), e.where << ": unknown example kind \"" << e.kind << "\"");
    std::string why = check(e, *v);
    CHECK_MESSAGE(why.empty(), e.where << " (" << e.kind << ") does not decode: " << why);
    seen.insert(e.kind);
  }
  CHECK(seen == kWire);  // each wire shape is shown at least once
}

TEST_CASE("the docs check bites: a drifted example is refused") {
  // The push example's stamp as it once read (15 decimal digits instead of 12 hex).
  auto v = json::parse(R"({"v":1,"client_id":"9f0c2a6b1d4e4f7a8b3c5d6e7f809a1b","mutations":[{"seq":1,)"
                       R"("id":"0192f0d0-1111-7000-8000-000000000002","kind":"door.set","hlc":"001767225600000-0000-9f0c2a6b",)"
                       R"("at":1767225600000,"payload":{"door":"0192f0c4-7b00-7000-8000-000000000101","set":{"status":"talked"}}}]})");
  REQUIRE(v.ok());
  CHECK_FALSE(sync::decode_push_request(*v).ok());
}
