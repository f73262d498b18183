// Following up sign-ups: the queue of a campaign's sign-ups that consented to a purpose, each
// with its follow-up state (assigned to whom; new, called, texted, joined, not interested).
// Leaves out contacting anyone and the export layouts (shared/io/followup_export.h).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/model.h"
#include "shared/base/result.h"
#include "shared/store/store.h"

namespace doorstep::store {

// Follow-up states by their stable names, in the order the console lists them.
const std::vector<std::string_view>& followup_statuses();

struct FollowupItem {
  Signup signup;  // with its consents
  std::string address;  // the door's, "" when none
  std::string status = "new", assigned_to;
  int64_t updated_ms = 0;
};

// Sign-ups (oldest first) that granted `purpose`; without one, every sign-up.
Result<std::vector<FollowupItem>> followup_queue(Db& db, std::string_view campaign_id,
                                                 std::optional<ConsentPurpose> purpose);

// Changes what is given; an unknown status -> invalid_argument, an unknown or deleted sign-up
// -> not_found. Returns the sign-up's campaign (for the caller's audit and scope checks).
Result<std::string> set_followup(Db& db, std::string_view signup_id, const std::optional<std::string>& status,
                                 const std::optional<std::string>& assigned_to, int64_t now_ms);

}  // namespace doorstep::store
