// Rejected push records kept for review (issue 10 items 1 and 2): the records of a campaign's links
// that a push kept but did not apply (codes after_end and forbidden; v1 phones say revoked or
// expired for after_end), each with the organizer's decision, and the decisions themselves:
// accept (the record is applied now, as the phone sent it) or discard. Runs inside the storage's
// units of work (table srv_rejected_review; sync_record itself stays append-only). Leaves out
// HTTP, roles and the audit log (api_rejected.cpp).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/json.h"
#include "shared/base/result.h"
#include "shared/store/store.h"

namespace doorstep::server {

// Server migration 6: one row per decided record.
extern const char* const kRejectedReviewSql;

struct RejectedRecord {
  std::string id, kind, code;          // the mutation's id and kind, the code it was rejected with
  std::string turf_id, turf_name;
  std::string client_id, link_id, link_label;  // the phone, and the link it pushed with ("" if unknown)
  std::string door_id, door_address;   // the address only for a door of this campaign
  std::string canvasser;               // the name the phone gave (attempt.add), "" otherwise
  int64_t seq = 0, at_ms = 0, server_ms = 0;
  std::string hlc;
  json::Value payload;
  std::string status = "pending";      // pending | accepted | discarded
  std::string decided_by;              // the deciding account's email
  int64_t decided_at = 0;
  std::string applied_id;              // accepted: the id the applied record has
};

// Whether a record rejected with `code` may be accepted: after_end only (and its v1 names revoked
// and expired): it was recorded by the link's own phone after the link ended. forbidden records
// named something outside the link's turf and are never applied.
bool acceptable_code(std::string_view code);

// The campaign's rejected records, oldest first; only the undecided ones when pending_only.
Result<std::vector<RejectedRecord>> rejected_records(store::Db& db, const std::string& campaign_id,
                                                     bool pending_only, int64_t limit);
// One of them; not_found when `id` is no rejected record of this campaign.
Result<RejectedRecord> rejected_record(store::Db& db, const std::string& campaign_id, const std::string& id);

// Applies a pending, acceptable record now through the sync engine under a new mutation id (and
// a client id of its own, noted under the record's link), with the turf's scope checks of today:
// conflict when it is decided already, when its code cannot be accepted, or when the
// engine would not apply it any more (its door left the campaign, its payload was purged).
// Returns the applied record's id.
Result<std::string> accept_rejected(store::Db& db, const RejectedRecord& r, const std::string& campaign_id,
                                    const std::string& account_id, int64_t now_ms);
// Marks a pending record discarded (it stays stored, never applied, until the campaign's purge).
Status discard_rejected(store::Db& db, const RejectedRecord& r, const std::string& account_id, int64_t now_ms);

}  // namespace doorstep::server
