// The organizer's script and survey editor behind POST/GET /api/v1/campaigns/{id}/survey: the
// document in the turf package's script/survey shape (turf_package.h) plus the survey version,
// checked and saved as a new version each time. Leaves out who may save (the route checks the
// session) and how phones pick up a new version (the package carries survey_version).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "shared/base/ids.h"
#include "shared/base/json.h"
#include "shared/base/result.h"
#include "shared/store/store.h"

namespace doorstep::canvass {

// {"survey_version": N, "script": {lang: [...]}, "survey": [...]}: the latest saved version as
// saved, or (never saved) what the store holds, as version 0.
Result<json::Value> survey_document(store::Db& db, std::string_view campaign_id);

// The campaign's current survey version (0: never saved in the editor).
Result<int64_t> current_survey_version(store::Db& db, std::string_view campaign_id);

struct SaveSurvey {
  int64_t base_version = 0;  // the version the editor started from: another save since -> conflict
  json::Value script, survey;
  std::string saved_by;  // account id, for the version row
  int64_t now_ms = 0;
  Hlc hlc;  // stamps every row written (the server's clock: newer than what it wrote before)
};
// Checks everything before writing anything (ids, kinds, choices, branches, sizes); a question id
// that keeps its id must keep its kind (a changed meaning takes a new id); questions and sections
// left out are tombstoned; sections and questions without an id get a new one. Returns the saved
// document (survey_document's shape) with its new version. Runs inside the caller's transaction.
Result<json::Value> save_survey(store::Db& db, std::string_view campaign_id, const SaveSurvey& in);

}  // namespace doorstep::canvass
