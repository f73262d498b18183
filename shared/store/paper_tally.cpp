// Paper tallies (see paper_tally.h) through the campaign store's attempts and door fields.
#include "shared/store/paper_tally.h"

#include "shared/base/json.h"
#include "shared/store/campaign_store.h"

namespace doorstep::store {

Result<int64_t> record_paper_tally(Db& db, std::string_view turf_id, const std::string& canvasser,
                                   const std::vector<PaperEntry>& entries, int64_t now_ms, const Hlc& hlc) {
  auto campaign = turf_campaign_id(db, turf_id);
  if (!campaign) return campaign.error();
  std::vector<Attempt> rows;
  for (size_t i = 0; i < entries.size(); ++i) {
    const PaperEntry& e = entries[i];
    std::string what = "entries[" + std::to_string(i) + "]";
    auto in = turf_membership(db, turf_id, e.door_id);
    if (!in) return in.error();
    if (*in == TurfMembership::never) return Error{Code::invalid_argument, what + ".door_id: not a door of this turf"};
    auto result = attempt_result_from_name(e.result);
    if (!result) return Error{Code::invalid_argument, what + ".result: unknown result '" + e.result + "'"};
    auto answers = json::parse(e.answers_json);
    if (!answers || !answers->is_object()) return Error{Code::invalid_argument, what + ".answers: an object"};
    Attempt a;
    a.id = new_uuid_v7(now_ms);
    a.campaign_id = *campaign;
    a.door_id = e.door_id;
    a.turf_id = std::string(turf_id);
    a.result = *result;
    a.answers_json = e.answers_json;
    a.canvasser = canvasser;
    a.device = kPaperDevice;
    a.client_ms = now_ms;
    a.server_ms = now_ms;
    rows.push_back(std::move(a));
  }
  for (const auto& a : rows) {
    auto r = insert_attempt(db, a);
    if (!r) return r.error();
    auto w = write_field(db, "door", a.door_id, "status", std::string(to_name(a.result)), hlc);
    if (!w) return w.error();
  }
  return static_cast<int64_t>(rows.size());
}

}  // namespace doorstep::store
