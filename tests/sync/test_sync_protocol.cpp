// Tests for shared/sync_protocol: encode/decode round trips, the content hash, and strictness
// (every malformed request gets its stable code). The bad-request table doubles as the seed
// corpus idea for tests/fuzz/fuzz_sync_decode.cpp.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "shared/base/ids.h"
#include "shared/sync/sync_protocol.h"

using namespace doorstep;
using namespace doorstep::sync;

namespace {

const char* kDoor = "0192f0c4-7b00-7000-8000-000000000101";
const char* kPerson = "0192f0c4-7c00-7000-8000-000000000201";
const char* kClient = "3f9c2d0b7e4a4c1f9a8b6d5e4c3b2a10";

Mutation attempt(int64_t seq) {
  Mutation m;
  m.seq = seq;
  m.id = uuid_v7(1767225600000 + seq, std::array<uint8_t, 16>{});
  m.kind = Kind::attempt_add;
  m.payload = json::Value::object();
  m.payload.set("door", kDoor);
  m.payload.set("person", kPerson);
  m.payload.set("result", "talked");
  json::Value answers = json::Value::object();
  answers.set("q_support", 2);
  answers.set("q_issues", json::Value(json::Array{json::Value("housing"), json::Value("parks")}));
  m.payload.set("answers", answers);
  m.payload.set("lat", 33.9993);
  m.payload.set("lon", -118.4391);
  m.payload.set("accuracy_m", 12);
  m.hlc = Hlc{1767225600000 + seq, 0, "phone-a"}.to_string();
  m.at_ms = 1767225600000 + seq;
  return m;
}

// A valid request as text, with `field` of mutation 0 replaced by raw JSON `raw` (or the payload
// key `field` when payload_key is set).
std::string body_with(const std::string& field, const std::string& raw, bool payload_key = false) {
  PushRequest r;
  r.client_id = kClient;
  r.mutations.push_back(attempt(1));
  json::Value v = encode(r);
  std::string text = json::dump(v);
  std::string key = "\"" + field + "\":";
  size_t at = payload_key ? text.find(key, text.find("\"payload\"")) : text.find(key);
  REQUIRE(at != std::string::npos);
  size_t start = at + key.size();
  // The old value ends at the next , or } at the same depth.
  int depth = 0;
  size_t end = start;
  bool in_str = false;
  for (; end < text.size(); ++end) {
    char c = text[end];
    if (in_str) {
      if (c == '\\') ++end;
      else if (c == '"') in_str = false;
      continue;
    }
    if (c == '"') in_str = true;
    else if (c == '{' || c == '[') ++depth;
    else if (c == '}' || c == ']') {
      if (depth == 0) break;
      --depth;
    } else if (c == ',' && depth == 0) break;
  }
  return text.substr(0, start) + raw + text.substr(end);
}

}  // namespace

TEST_CASE("push request round-trips through text for every kind") {
  PushRequest r;
  r.client_id = kClient;
  r.mutations.push_back(attempt(7));
  Mutation d;
  d.seq = 8;
  d.id = uuid_v7(1767225600100, std::array<uint8_t, 16>{1});
  d.kind = Kind::door_set;
  d.payload = json::Value::object();
  d.payload.set("door", kDoor);
  json::Value set = json::Value::object();
  set.set("status", "come_back");
  set.set("safety", nullptr);
  d.payload.set("set", set);
  d.hlc = Hlc{1767225600100, 3, "phone-a"}.to_string();
  d.at_ms = 1767225600100;
  r.mutations.push_back(d);
  Mutation p = d;
  p.seq = 9;
  p.kind = Kind::person_add;
  p.payload = json::Value::object();
  p.payload.set("person", kPerson);
  p.payload.set("door", kDoor);
  json::Value ps = json::Value::object();
  ps.set("first_name", "Ana");
  ps.set("language", "es");
  p.payload.set("set", ps);
  r.mutations.push_back(p);
  Mutation s = d;
  s.seq = 10;
  s.kind = Kind::signup_add;
  s.payload = json::Value::object();
  s.payload.set("door", kDoor);
  s.payload.set("name", "Ana Ramírez");
  json::Value consents = json::Value::object();
  consents.set("call_me", true);
  consents.set("volunteer", false);
  s.payload.set("consents", consents);
  r.mutations.push_back(s);
  Mutation del = d;
  del.seq = 11;
  del.kind = Kind::person_delete;
  del.payload = json::Value::object();
  del.payload.set("person", kPerson);
  r.mutations.push_back(del);

  auto back = parse_push_request(json::dump(encode(r)));
  REQUIRE(back.ok());
  CHECK(back->client_id == kClient);
  REQUIRE(back->mutations.size() == r.mutations.size());
  for (size_t i = 0; i < r.mutations.size(); ++i) CHECK(back->mutations[i] == r.mutations[i]);
}

TEST_CASE("content hash ignores key order and seq, and sees every content change") {
  Mutation a = attempt(1);
  Mutation b = a;
  b.seq = 42;
  CHECK(a.content_hash() == b.content_hash());
  // Same payload, keys in another order (as JavaScript might store it).
  json::Value reordered = json::Value::object();
  const auto& obj = a.payload.as_object();
  for (auto it = obj.rbegin(); it != obj.rend(); ++it) reordered.set(it->first, it->second);
  b.payload = reordered;
  CHECK(json::dump(b.payload) != json::dump(a.payload));
  CHECK(a.content_hash() == b.content_hash());
  b.payload.set("result", "refused");
  CHECK(a.content_hash() != b.content_hash());
  Mutation c = a;
  c.hlc = Hlc{1767225600001, 1, "phone-a"}.to_string();
  CHECK(a.content_hash() != c.content_hash());
  CHECK(a.content_hash().size() == 16);
}

// The content hash is stored on both ends (a resend with another hash is a conflict), so its value
// for a given mutation never changes: pinned here, computed outside the code.
TEST_CASE("content hash value is stable") {
  Mutation m;
  m.id = "m1";
  m.kind = Kind::door_set;
  m.payload = json::Value::object();
  m.payload.set("status", "done");
  m.hlc = "hlc";
  m.at_ms = 7;
  CHECK(m.content_hash() == "a0d67bcc835fbf2b");
}

TEST_CASE("strict decoding: each malformed push gets a stable code") {
  struct Case {
    const char* what;
    std::string body;
    Code code;
  };
  std::string deep = "[";
  for (int i = 0; i < 40; ++i) deep += "[";
  std::vector<Case> cases = {
      {"not JSON", "{\"v\":1,", Code::invalid_argument},
      {"not an object", "[1,2]", Code::invalid_argument},
      {"no version", "{\"client_id\":\"" + std::string(kClient) + "\",\"mutations\":[]}", Code::invalid_argument},
      {"newer version", body_with("v", std::to_string(kProtocolVersion + 1)), Code::unsupported},
      {"version as string", body_with("v", "\"1\""), Code::invalid_argument},
      {"unknown top-level field", "{\"v\":1,\"client_id\":\"" + std::string(kClient) + "\",\"mutations\":[],\"x\":1}",
       Code::invalid_argument},
      {"client id uppercase", body_with("client_id", "\"3F9C2D0B7E4A4C1F9A8B6D5E4C3B2A10\""), Code::invalid_argument},
      {"client id short", body_with("client_id", "\"3f9c\""), Code::invalid_argument},
      {"seq zero", body_with("seq", "0"), Code::invalid_argument},
      {"seq negative", body_with("seq", "-5"), Code::invalid_argument},
      {"seq fractional", body_with("seq", "1.5"), Code::invalid_argument},
      {"seq as float", body_with("seq", "1.0"), Code::invalid_argument},
      {"seq beyond 2^53", body_with("seq", "9007199254740993"), Code::invalid_argument},
      {"seq huge", body_with("seq", "1e400"), Code::invalid_argument},
      {"seq beyond int64", body_with("seq", "99999999999999999999999"), Code::invalid_argument},
      {"id not a uuid", body_with("id", "\"abc\""), Code::invalid_argument},
      {"unknown kind", body_with("kind", "\"attempt.update\""), Code::invalid_argument},
      {"payload not object", body_with("payload", "[]"), Code::invalid_argument},
      {"hlc malformed", body_with("hlc", "\"yesterday\""), Code::invalid_argument},
      {"at negative", body_with("at", "-1"), Code::invalid_argument},
      {"at in the year 2200", body_with("at", "7258118400000"), Code::invalid_argument},
      {"unknown result", body_with("result", "\"maybe\"", true), Code::invalid_argument},
      {"door uppercase", body_with("door", "\"0192F0C4-7B00-7000-8000-000000000101\"", true), Code::invalid_argument},
      {"lat out of range", body_with("lat", "91", true), Code::invalid_argument},
      {"lat as string", body_with("lat", "\"33.9\"", true), Code::invalid_argument},
      {"unknown payload field", body_with("result", "\"talked\",\"immigration_status\":\"x\"", true), Code::invalid_argument},
      {"notes too long", body_with("result", "\"talked\",\"notes\":\"" + std::string(2001, 'n') + "\"", true),
       Code::too_large},
      {"answer of wrong type", body_with("answers", "{\"q\":{\"a\":1}}", true), Code::invalid_argument},
      {"too deep", body_with("answers", "{\"q\":" + deep + "}", true), Code::invalid_argument},
      {"invalid UTF-8", body_with("result", "\"talked\",\"notes\":\"\xC3\x28\"", true), Code::invalid_argument},
      {"lone surrogate", body_with("result", "\"talked\",\"notes\":\"\\ud800\"", true), Code::invalid_argument},
      {"duplicate key", body_with("result", "\"talked\",\"result\":\"refused\"", true), Code::invalid_argument},
      {"survey version negative", body_with("result", "\"talked\",\"survey_version\":-1", true), Code::invalid_argument},
      {"survey version fractional", body_with("result", "\"talked\",\"survey_version\":1.5", true), Code::invalid_argument},
      {"survey version as string", body_with("result", "\"talked\",\"survey_version\":\"3\"", true), Code::invalid_argument},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    auto r = parse_push_request(c.body);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == c.code);
    CHECK_FALSE(r.error().message.empty());
  }
  // The unmodified template is valid, so each case above fails for its own reason.
  CHECK(parse_push_request(body_with("seq", "1")).ok());
  CHECK(parse_push_request(body_with("result", "\"talked\",\"survey_version\":3", true)).ok());
}

TEST_CASE("batch limits, consecutive seq and body size") {
  PushRequest r;
  r.client_id = kClient;
  for (int i = 1; i <= 101; ++i) r.mutations.push_back(attempt(i));
  auto big = parse_push_request(json::dump(encode(r)));
  REQUIRE_FALSE(big.ok());
  CHECK(big.error().code == Code::too_large);
  r.mutations.resize(100);
  CHECK(parse_push_request(json::dump(encode(r))).ok());
  r.mutations.resize(3);
  r.mutations[2].seq = 5;
  auto holey = parse_push_request(json::dump(encode(r)));
  REQUIRE_FALSE(holey.ok());
  CHECK(holey.error().code == Code::invalid_argument);
  auto huge = parse_push_request(std::string(4u << 20, ' '));
  REQUIRE_FALSE(huge.ok());
  CHECK(huge.error().code == Code::too_large);
  // An empty batch is a valid push (it asks for the current acknowledgement).
  r.mutations.clear();
  CHECK(parse_push_request(json::dump(encode(r))).ok());
}

TEST_CASE("responses and pulls round-trip; their decoders are strict too") {
  PushResponse pr;
  pr.client_id = kClient;
  pr.code = Code::gap;
  pr.acked_through = 41;
  pr.rejected.push_back(Rejected{40, Code::revoked, "recorded after the link ended"});
  pr.wipe_after_flush = true;
  pr.server_ms = 1767225601234;
  auto back = decode_push_response(encode(pr));
  REQUIRE(back.ok());
  CHECK(back->code == Code::gap);
  CHECK(back->acked_through == 41);
  REQUIRE(back->rejected.size() == 1);
  CHECK(back->rejected[0].code == Code::revoked);
  CHECK(back->wipe_after_flush);
  json::Value bad = encode(pr);
  bad.set("code", "internal");
  CHECK_FALSE(decode_push_response(bad).ok());

  PullResponse pull;
  Change f;
  f.entity = "door";
  f.id = kDoor;
  f.field = "status";
  f.value = "talked";
  f.hlc = Hlc{1767225700000, 0, "phone-b"}.to_string();
  Change rec;
  rec.entity = "attempt";
  rec.id = attempt(1).id;
  rec.record = attempt(1).payload;
  rec.hlc = attempt(1).hlc;
  pull.changes = {f, rec};
  pull.cursor = "57";
  pull.more = true;
  auto pb = decode_pull_response(json::parse(json::dump(encode(pull))).value());
  REQUIRE(pb.ok());
  REQUIRE(pb->changes.size() == 2);
  CHECK(pb->changes[0] == f);
  CHECK(pb->changes[1] == rec);
  CHECK(pb->cursor == "57");
  CHECK(pb->more);
  CHECK(pb->package_version.empty());

  // v4: the package version travels on pull answers; an answer in an older version never has it.
  pull.package_version = "9c0e5a3b1f2d4e67";
  auto pv = decode_pull_response(json::parse(json::dump(encode(pull))).value());
  REQUIRE(pv.ok());
  CHECK(pv->package_version == "9c0e5a3b1f2d4e67");
  pull.v = 3;
  json::Value old = encode(pull);
  CHECK_FALSE(old.find("package_version"));
  CHECK(decode_pull_response(old).ok());
  old.set("package_version", "9c0e5a3b1f2d4e67");
  CHECK(decode_pull_response(old).error().code == Code::invalid_argument);
  json::Value wrong = encode(PullResponse{});
  wrong.set("package_version", 7);
  CHECK(decode_pull_response(wrong).error().code == Code::invalid_argument);

  auto q = parse_pull_request("{\"v\":1,\"cursor\":\"57\"}");
  REQUIRE(q.ok());
  CHECK(q->cursor == "57");
  CHECK(q->limit == 500);
  CHECK(parse_pull_request("{\"v\":1}").ok());
  CHECK(parse_pull_request("{\"v\":1,\"limit\":0}").error().code == Code::invalid_argument);
  CHECK(parse_pull_request("{\"v\":1,\"limit\":100000}").error().code == Code::invalid_argument);
  CHECK(parse_pull_request("{\"v\":1,\"cursor\":5}").error().code == Code::invalid_argument);
  CHECK(parse_pull_request("{\"v\":" + std::to_string(kProtocolVersion + 1) + "}").error().code == Code::unsupported);
}

namespace {
// A one-mutation push of `kind` with raw JSON `payload`, under protocol version v.
std::string edit_body(int v, const std::string& kind, const std::string& payload) {
  return "{\"v\":" + std::to_string(v) + ",\"client_id\":\"" + kClient + "\",\"mutations\":[{\"seq\":1,"
         "\"id\":\"0192f0d0-1111-7000-8000-000000000009\",\"kind\":\"" + kind + "\",\"payload\":" + payload +
         ",\"hlc\":\"019b76daa800-0000-d7c1\",\"at\":1767225600000}]}";
}
const std::string kAttemptId = "\"0192f0d0-1111-7000-8000-000000000001\"";
}  // namespace

TEST_CASE("attempt.void and attempt.amend: version 3 kinds, strictly checked like attempt.add") {
  auto ok_void = parse_push_request(edit_body(3, "attempt.void", "{\"attempt\":" + kAttemptId + "}"));
  REQUIRE(ok_void.ok());
  CHECK(ok_void->mutations[0].kind == Kind::attempt_void);
  auto ok_amend = parse_push_request(edit_body(
      3, "attempt.amend", "{\"attempt\":" + kAttemptId + ",\"result\":\"refused\",\"answers\":{\"q1\":3},\"notes\":\"dog\"}"));
  REQUIRE(ok_amend.ok());
  CHECK(ok_amend->mutations[0].kind == Kind::attempt_amend);
  // Each field alone is enough; notes may be cleared with "" and answers with {}.
  for (std::string one : {"\"result\":\"not_home\"", "\"answers\":{}", "\"notes\":\"\""})
    CHECK(parse_push_request(edit_body(3, "attempt.amend", "{\"attempt\":" + kAttemptId + "," + one + "}")).ok());
  // Round trip through encode.
  auto again = parse_push_request(json::dump(encode(*ok_amend)));
  REQUIRE(again.ok());
  CHECK(again->mutations[0] == ok_amend->mutations[0]);

  struct Case {
    const char* what;
    std::string body;
    Code code;
  };
  std::string many = "{";
  for (int i = 0; i < 65; ++i) many += (i ? ",\"q" : "\"q") + std::to_string(i) + "\":1";
  many += "}";
  std::vector<Case> cases = {
      {"void under version 2", edit_body(2, "attempt.void", "{\"attempt\":" + kAttemptId + "}"), Code::invalid_argument},
      {"amend under version 1", edit_body(1, "attempt.amend", "{\"attempt\":" + kAttemptId + ",\"notes\":\"x\"}"),
       Code::invalid_argument},
      {"void without attempt", edit_body(3, "attempt.void", "{}"), Code::invalid_argument},
      {"void of a non-uuid", edit_body(3, "attempt.void", "{\"attempt\":\"a1\"}"), Code::invalid_argument},
      {"void of an uppercase uuid", edit_body(3, "attempt.void", "{\"attempt\":\"0192F0D0-1111-7000-8000-000000000001\"}"),
       Code::invalid_argument},
      {"void with an extra field", edit_body(3, "attempt.void", "{\"attempt\":" + kAttemptId + ",\"door\":" + kAttemptId + "}"),
       Code::invalid_argument},
      {"amend changing nothing", edit_body(3, "attempt.amend", "{\"attempt\":" + kAttemptId + "}"), Code::invalid_argument},
      {"amend to an unknown result", edit_body(3, "attempt.amend", "{\"attempt\":" + kAttemptId + ",\"result\":\"maybe\"}"),
       Code::invalid_argument},
      {"amend result not a string", edit_body(3, "attempt.amend", "{\"attempt\":" + kAttemptId + ",\"result\":1}"),
       Code::invalid_argument},
      {"amend with too many answers", edit_body(3, "attempt.amend", "{\"attempt\":" + kAttemptId + ",\"answers\":" + many + "}"),
       Code::too_large},
      {"amend answers not an object", edit_body(3, "attempt.amend", "{\"attempt\":" + kAttemptId + ",\"answers\":[1]}"),
       Code::invalid_argument},
      {"amend notes too long",
       edit_body(3, "attempt.amend", "{\"attempt\":" + kAttemptId + ",\"notes\":\"" + std::string(2001, 'n') + "\"}"),
       Code::too_large},
      {"amend notes null", edit_body(3, "attempt.amend", "{\"attempt\":" + kAttemptId + ",\"notes\":null}"), Code::invalid_argument},
      {"amend moving the door", edit_body(3, "attempt.amend", "{\"attempt\":" + kAttemptId + ",\"door\":" + kAttemptId + "}"),
       Code::invalid_argument},
  };
  for (const auto& c : cases) {
    CAPTURE(c.what);
    auto r = parse_push_request(c.body);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == c.code);
  }
}

TEST_CASE("kind names are stable") {
  CHECK(kind_name(Kind::attempt_add) == "attempt.add");
  CHECK(kind_name(Kind::person_delete) == "person.delete");
  CHECK(kind_name(Kind::attempt_void) == "attempt.void");
  CHECK(kind_name(Kind::attempt_amend) == "attempt.amend");
  for (auto k : {Kind::attempt_add, Kind::signup_add, Kind::door_set, Kind::person_add, Kind::person_set,
                 Kind::person_delete, Kind::attempt_void, Kind::attempt_amend})
    CHECK(kind_from_name(kind_name(k)) == k);
  CHECK_FALSE(kind_from_name("attempt"));
}
