// The personal-data purge of one campaign (by an organizer, or when its retention has passed):
// blanks what identifies people in the core tables and in the sync tables that copy them.
// Leaves out when to purge and the record that it happened (the endpoint's campaign settings).
#pragma once
#include <cstdint>
#include <string_view>

#include "shared/base/result.h"
#include "shared/store/store.h"

namespace doorstep::sync {

// Blanks names, birth dates, ages, phones, emails and source ids of the campaign's people and
// sign-ups, attempt notes, and the same fields in the sync tables (field values, record payloads,
// change log); attempts, results and counts stay. Runs inside the caller's transaction. Returns
// the number of people blanked.
Result<int64_t> purge_personal_data(store::Db& db, std::string_view campaign_id);

}  // namespace doorstep::sync
