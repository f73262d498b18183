// Wire messages of the sync protocol (/api/v1): push and pull, request and response, with strict
// decoding from json::Value (types, ranges, unknown fields, batch and size limits) and encoding.
// Leaves out HTTP, auth and storage: the endpoint (server/) and sync_server/sync_client do those.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/json.h"
#include "shared/base/result.h"

namespace doorstep::sync {

// Compatibility rule (docs/sync.md): every request carries "v". A server decodes and answers each
// request by the rules of the request's own version, for every version in
// [kMinProtocolVersion, kProtocolVersion]; a version never changes once released (new kinds or
// fields mean a new version), so strictness (unknown fields rejected) never breaks an old phone.
// A version is retired only after the longest link lifetime plus the grace period has passed.
// 2: recorded_through on push and pull, client_id on pull. 3: the kinds attempt.void, attempt.amend.
// 4: package_version on pull responses (the phone re-fetches the turf package when it changes).
constexpr int kProtocolVersion = 4;
constexpr int kMinProtocolVersion = 1;

struct Limits {
  size_t max_batch = 100;            // mutations per push
  size_t max_payload_bytes = 16384;  // one mutation's payload, serialised
  size_t max_changes = 1000;         // changes per pull response
  size_t max_string = 4096;          // any single string field
};

// The mutation kinds of version 1. Attempts and sign-ups are append-only records; the *.set kinds
// write mutable fields merged per field by last-writer-wins (HLC, then node); person.delete writes
// a tombstone (the field "deleted"). Version 3 adds attempt.void (undo) and attempt.amend (a
// correction of result, answers or notes): edits of an attempt the same link recorded, stored
// beside the original, which is never changed.
enum class Kind { attempt_add, signup_add, door_set, person_add, person_set, person_delete, attempt_void, attempt_amend };
// The first protocol version whose requests may carry kind k.
int kind_since_version(Kind k);
std::string_view kind_name(Kind k);
std::optional<Kind> kind_from_name(std::string_view s);

// One user action, numbered by the client. `id` is the mutation's own UUIDv7 (for attempt.add and
// signup.add it is also the new record's id); `at_ms` is the phone's clock when the user acted.
struct Mutation {
  int64_t seq = 0;
  std::string id;
  Kind kind = Kind::attempt_add;
  json::Value payload;  // validated per kind by decode; see docs/sync.md
  std::string hlc;      // Hlc::to_string() of the writing device
  int64_t at_ms = 0;

  // Stable content hash (FNV-1a 64 over the canonical encoding, hex): a seq seen again with a
  // different hash is a conflict.
  std::string content_hash() const;
  json::Value to_json() const;
  bool operator==(const Mutation& o) const;
};

struct PushRequest {
  int v = kProtocolVersion;
  std::string client_id;  // random per (browser profile, link): 32 lowercase hex characters
  std::vector<Mutation> mutations;  // consecutive seq, ascending
  int64_t recorded_through = 0;     // v2: highest seq this client id has recorded (0: not reported)
};

// Result of one push. code is ok, gap (resend from acked_through + 1) or conflict (take a new
// client id, renumber and resend everything unacknowledged). Rejected entries are acknowledged
// but not applied (e.g. made after the link ended); they are kept on the server for review.
struct Rejected {
  int64_t seq = 0;
  Code code = Code::invalid_argument;
  std::string message;
};

struct PushResponse {
  int v = kProtocolVersion;
  std::string client_id;
  Code code = Code::ok;
  int64_t acked_through = 0;       // every seq <= this is durably on the server
  std::vector<Rejected> rejected;  // subset of acknowledged seqs that were kept but not applied
  bool wipe_after_flush = false;   // the link has ended: wipe the turf once the outbox is empty
  int64_t server_ms = 0;
};

struct PullRequest {
  int v = kProtocolVersion;
  std::string cursor;  // opaque; empty = from the beginning
  int64_t limit = 500;
  std::string client_id;         // v2, optional: who reports recorded_through
  int64_t recorded_through = 0;  // v2: as in PushRequest
};

// One change in a turf, as pulled. entity is "door", "person" (a field write: field, value, hlc)
// or "attempt", "signup" (a whole append-only record in `record`).
struct Change {
  std::string entity;
  std::string id;
  std::string field;      // field writes only
  json::Value value;      // field writes only
  std::string hlc;
  json::Value record;     // records only
  json::Value to_json() const;
  bool operator==(const Change& o) const;
};

struct PullResponse {
  int v = kProtocolVersion;
  std::vector<Change> changes;
  std::string cursor;  // pass back unchanged
  bool more = false;   // pull again right away
  // v4: the link's turf package version as of this answer (opaque; "" when not sent). When it is
  // not the version of the phone's package, the phone fetches the package again.
  std::string package_version;
};

// Strict decoders. Errors: invalid_argument (shape, type, range, unknown field), too_large
// (batch or payload over the limit), unsupported (a version this build does not know).
Result<PushRequest> decode_push_request(const json::Value& v, const Limits& lim = {});
Result<PushResponse> decode_push_response(const json::Value& v, const Limits& lim = {});
Result<PullRequest> decode_pull_request(const json::Value& v, const Limits& lim = {});
Result<PullResponse> decode_pull_response(const json::Value& v, const Limits& lim = {});
// Validates one mutation's fields and its payload for its kind (used by the decoders and by the
// client before it stores a mutation, so a bad one never reaches the outbox).
Status validate_mutation(const Mutation& m, const Limits& lim = {});
// One mutation object (as in a push request's "mutations"); used for outbox records too.
Result<Mutation> decode_mutation(const json::Value& v, const Limits& lim = {});

json::Value encode(const PushRequest& r);
json::Value encode(const PushResponse& r);
json::Value encode(const PullRequest& r);
json::Value encode(const PullResponse& r);

// Parse text with the wire's JSON limits, then decode: the whole path an HTTP body takes.
Result<PushRequest> parse_push_request(std::string_view body, const Limits& lim = {});
Result<PullRequest> parse_pull_request(std::string_view body, const Limits& lim = {});

bool is_client_id(std::string_view s);

}  // namespace doorstep::sync
