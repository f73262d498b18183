// Sign-up exports (see followup_export.h) over the follow-up queue of shared/store/followup.
#include "shared/io/followup_export.h"

#include <algorithm>

#include "shared/store/campaign_store.h"
#include "shared/store/followup.h"

namespace doorstep::exporter {
namespace {

bool granted(const Signup& s, ConsentPurpose p) {
  return std::any_of(s.consents.begin(), s.consents.end(), [&](const Consent& c) { return c.purpose == p && c.granted; });
}

// "Ana María Rivera" -> {"Ana María", "Rivera"}: the phone asks for one name; tools want two.
std::pair<std::string, std::string> split_name(const std::string& name) {
  auto end = name.find_last_not_of(' ');
  if (end == std::string::npos) return {};
  std::string n = name.substr(0, end + 1);
  auto sp = n.rfind(' ');
  if (sp == std::string::npos) return {n, ""};
  auto first_end = n.find_last_not_of(' ', sp);
  return {first_end == std::string::npos ? "" : n.substr(0, first_end + 1), n.substr(sp + 1)};
}

const char* yn(bool b) { return b ? "Y" : "N"; }

// The queue of one purpose, one CSV row per sign-up made by `row` (nothing written: skipped).
template <class F>
Result<std::string> layout(store::Db& db, std::string_view campaign_id, ConsentPurpose purpose,
                           const std::vector<std::string>& header, ExportStats* stats, F&& row) {
  if (auto c = store::get_campaign(db, campaign_id); !c) return c.error();
  auto queue = store::followup_queue(db, campaign_id, purpose);
  if (!queue) return queue.error();
  ExportStats st;
  std::string out;
  append_row(out, header);
  for (const auto& it : *queue) {
    std::vector<std::string> cells = row(it);
    if (cells.empty()) {
      ++st.skipped;
      continue;
    }
    append_row(out, cells);
    ++st.rows;
  }
  if (stats) *stats = st;
  return out;
}

}  // namespace

Result<std::string> followup_csv(store::Db& db, std::string_view campaign_id, ConsentPurpose purpose,
                                 ExportStats* stats) {
  auto camp = store::get_campaign(db, campaign_id);
  if (!camp) return camp.error();
  std::vector<std::string> header = {"signup_id", "created", "name", "first_name", "last_name", "phone", "email",
                                     "address", "status", "assigned_to"};
  for (auto p : all_consent_purposes()) header.emplace_back(to_name(p));
  std::string zone = camp->time_zone;
  return layout(db, campaign_id, purpose, header, stats, [&](const store::FollowupItem& it) {
    const Signup& s = it.signup;
    auto [first, last] = split_name(s.name);
    auto when = local_timestamp(zone, s.created_ms);
    std::vector<std::string> row = {text_cell(s.id),    when ? *when : std::string(), text_cell(s.name),
                                    text_cell(first),   text_cell(last),             text_cell(s.phone),
                                    text_cell(s.email), text_cell(it.address),       text_cell(it.status),
                                    text_cell(it.assigned_to)};
    for (auto p : all_consent_purposes()) {
      std::string cell;
      for (const auto& k : s.consents)
        if (k.purpose == p) cell = k.granted ? "yes" : "no";
      row.push_back(cell);
    }
    return row;
  });
}

Result<std::string> action_network_csv(store::Db& db, std::string_view campaign_id, ExportStats* stats) {
  return layout(db, campaign_id, ConsentPurpose::email_me,
                {"email", "first_name", "last_name", "address", "mobile_number"}, stats,
                [](const store::FollowupItem& it) -> std::vector<std::string> {
                  const Signup& s = it.signup;
                  if (s.email.empty()) return {};
                  auto [first, last] = split_name(s.name);
                  return {text_cell(s.email), text_cell(first), text_cell(last), text_cell(it.address),
                          text_cell(granted(s, ConsentPurpose::text_me) ? s.phone : "")};
                });
}

Result<std::string> nationbuilder_csv(store::Db& db, std::string_view campaign_id, ExportStats* stats) {
  return layout(db, campaign_id, ConsentPurpose::join,
                {"external_id", "first_name", "last_name", "email", "email_opt_in", "phone_number", "mobile_number",
                 "mobile_opt_in", "is_volunteer", "tag_list"},
                stats, [](const store::FollowupItem& it) -> std::vector<std::string> {
                  const Signup& s = it.signup;
                  auto [first, last] = split_name(s.name);
                  bool email = granted(s, ConsentPurpose::email_me), text = granted(s, ConsentPurpose::text_me);
                  bool call = granted(s, ConsentPurpose::call_me);
                  return {text_cell(s.id),
                          text_cell(first),
                          text_cell(last),
                          text_cell(email ? s.email : ""),
                          yn(email),
                          text_cell(call ? s.phone : ""),
                          text_cell(text ? s.phone : ""),
                          yn(text),
                          yn(granted(s, ConsentPurpose::volunteer)),
                          "doorstep"};
                });
}

}  // namespace doorstep::exporter
