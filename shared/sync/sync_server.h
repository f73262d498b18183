// Server side of sync: applies a client's pushed mutations exactly once and in order inside one
// SQLite transaction, merges mutable fields per field (LWW by HLC), keeps records append-only and
// serves a turf's change log by cursor. Leaves out HTTP, tokens and auth (the endpoint checks the
// token and passes what it learned in PushContext) and the organizer's own tables.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/result.h"
#include "shared/store/store.h"
#include "shared/sync/sync_protocol.h"
#include "shared/sync/sync_schema.h"  // migrate(): callers of the server set up its tables

namespace doorstep::sync {

// What the endpoint knows about the request beyond its body.
struct PushContext {
  std::string turf_id;     // the token's turf: changes are logged under it
  // The link's campaign. When set (the endpoint always sets it), every id a mutation names is
  // resolved and must belong to turf_id and this campaign (docs/sync.md, "Scope"); a mutation that
  // does not is kept for review and listed in PushResponse::rejected as forbidden, never applied.
  // Empty: no scope checks (the sync engine's own tests).
  std::string campaign_id;
  // The link that pushes (the endpoint always sets it). attempt.void / attempt.amend apply only to
  // attempts pushed by a client id of this link; empty: of this turf (the sync engine's own tests).
  std::string link_id;
  int64_t server_now_ms = 0;
  // The link's state. When it has ended (revoked or expired at link_ended_ms), mutations numbered
  // up to the client id's high-water mark (the highest seq reported or pushed while the link was
  // valid) are still applied, later ones are kept but rejected (after_end; v1: revoked/expired),
  // and every answer asks the client to wipe once its outbox is empty.
  enum class Link { active, revoked, expired } link = Link::active;
  int64_t link_ended_ms = 0;
  int64_t grace_ms = 72ll * 3600 * 1000;  // unused by the server since the high-water mark (phones use it offline)
  // Stamps further ahead of the server's clock than this are clamped to now + this.
  int64_t max_clock_ahead_ms = 5 * 60 * 1000;
  // Whether a door still belongs to the token's turf. Attempts for doors that left are kept on
  // their door and flagged off_turf, never rejected. Empty: every door counts as in the turf, or
  // with campaign_id set, the turf's own turf_door rows decide.
  std::function<bool(std::string_view door_id)> door_in_turf;
};

// Applies req. Opens its own BEGIN IMMEDIATE transaction when the connection has none (and
// commits it before returning, so with synchronous=FULL an ok answer is durable); inside a
// caller's transaction it uses a savepoint, so the caller can group-commit several pushes.
// Errors: invalid_argument (a request that decode would have refused), io/corrupt (database).
// gap and conflict are not errors: they come back in PushResponse::code.
Result<PushResponse> apply_push(store::Db& db, const PushRequest& req, const PushContext& ctx);

// True when `req` carried mutations and `resp` rejected every one as out of scope (the endpoint
// answers 403 then; the records are kept for review and a resend is acknowledged).
bool all_out_of_scope(const PushRequest& req, const PushResponse& resp);

bool link_may_see(std::string_view entity, std::string_view field);
// All another canvasser may see of a canvasser's name: its first word.
std::string canvasser_first_name(std::string_view canvasser);

// Changes logged for turf_id after cursor, oldest first, at most limit (capped at
// Limits::max_changes). An empty turf_id reads every turf, in full (organizer views); a turf's
// pull (a link's) carries only what a package shows: fields link_may_see, attempts cut to
// {door, result, at, off_turf, canvasser's first word}, no sign-ups.
Result<PullResponse> pull_changes(store::Db& db, std::string_view turf_id, std::string_view cursor,
                                  int64_t limit);

// For writes that do not come from a push (organizer edits, imports): merges a field write into
// the LWW state (ignored if an existing write has a later stamp) and logs it for turf_id. Must run
// inside the caller's transaction or alone.
Status write_field(store::Db& db, std::string_view turf_id, std::string_view entity,
                   std::string_view id, std::string_view field, const json::Value& value,
                   std::string_view hlc);

// Read-back, for exports, organizer views and tests.
struct FieldState {
  std::string entity, id, field;
  json::Value value;
  std::string hlc;
};
struct RecordRow {
  std::string id, kind, turf, client_id;
  int64_t seq = 0, at_ms = 0, server_ms = 0;
  std::string hlc;
  json::Value payload;
  bool off_turf = false;  // the door was not in the pushing token's turf when it arrived
  bool rejected = false;  // kept for review, not applied (see Rejected)
  std::string reject_code;
};
Result<std::vector<FieldState>> read_fields(store::Db& db);
Result<std::vector<RecordRow>> read_records(store::Db& db);
// Last applied seq of a client, 0 when unknown.
Result<int64_t> last_seq(store::Db& db, std::string_view client_id);
// The client id's high-water mark (0 when unknown), and raising it from a pull of a valid link.
Result<int64_t> high_water(store::Db& db, std::string_view client_id);
Status report_high_water(store::Db& db, std::string_view client_id, std::string_view turf_id,
                         int64_t recorded_through, int64_t now_ms);

}  // namespace doorstep::sync
