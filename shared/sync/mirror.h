// The mirror of synced writes into the core tables (door, person, attempt, signup), shared by the
// server (after a push) and a phone (after a pull), so both write the core tables the same way:
// per-field LWW state in sync_field, core columns only when the write won, records once by id.
// Leaves out the change log, the per-client ledgers and scope checks (sync_server).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/json.h"
#include "shared/base/result.h"
#include "shared/store/store.h"
#include "shared/sync/sync_protocol.h"

namespace doorstep::sync {

// The caller's transaction when there is one (a savepoint inside it), else our own BEGIN
// IMMEDIATE with synchronous=FULL. Rolls back whatever is still open when destroyed.
class Unit {
 public:
  explicit Unit(store::Db& db) : db_(db), own_(!db.in_transaction()) {}
  Unit(const Unit&) = delete;
  Unit& operator=(const Unit&) = delete;
  Status begin();
  Status commit();
  ~Unit();

 private:
  store::Db& db_;
  bool own_;
  bool open_ = false;
};

// Merges one field write into sync_field (last writer wins by HLC; an equal stamp is the same
// write) and, when it won, into the core column that mirrors it, only on a row of `campaign_id`
// (empty: any campaign, as on a phone, whose database holds one). Returns whether it won.
Result<bool> mirror_merge_field(store::Db& db, std::string_view entity, std::string_view id,
                                std::string_view field, const json::Value& value, std::string_view hlc,
                                std::string_view campaign_id);

// Where a record came from, for the attempt row.
struct MirrorContext {
  std::string turf_id, client_id;  // client_id: "" on a phone
  int64_t server_ms = 0;           // 0 on a phone (unknown)
  bool off_turf = false;           // the door was not in the pushing link's turf
};
// Inserts an attempt.add / signup.add record into the core tables once (by id). A sign-up whose
// door is unknown stays in sync_record only (signup.campaign_id is a foreign key).
Status mirror_attempt(store::Db& db, const Mutation& m, const MirrorContext& ctx);
Status mirror_signup(store::Db& db, const Mutation& m, std::string_view hlc);
// Inserts an attempt.void / attempt.amend into attempt_edit once (by its mutation id), beside the
// attempt it edits, which stays as recorded; only for an attempt of `campaign_id` (empty: any).
Status mirror_attempt_edit(store::Db& db, const Mutation& m, std::string_view hlc, int64_t server_ms,
                           std::string_view campaign_id);

// Applies pulled changes to a phone's local database: field writes merge by LWW into sync_field
// and the core columns, records go into the core attempt/signup tables (once, by id). Call before
// SyncClient::on_pull_response; applying the same changes twice is harmless.
Status apply_pulled(store::Db& db, std::string_view turf_id, const std::vector<Change>& changes);

}  // namespace doorstep::sync
