// A campaign's own per-link push quota (issue 10 item 3): the mutations and bytes each of its links
// may push per hour when the owner set figures other than the server's (3,000 and 8 MiB by
// default, AppConfig::link_quota). Runs inside the storage's units of work (table
// srv_campaign_quota, server migration 7). Leaves out counting (rate_limit.h Quota) and HTTP.
#pragma once
#include <cstdint>
#include <string>

#include "shared/base/result.h"
#include "shared/store/store.h"

namespace doorstep::server {

extern const char* const kCampaignQuotaSql;

struct LinkQuotaLimits {
  int64_t mutations = 0, bytes = 0;  // per link and hour; 0: the server's default
};
constexpr int64_t kMaxQuotaMutations = 1000000;
constexpr int64_t kMaxQuotaBytes = 1ll << 30;

Result<LinkQuotaLimits> campaign_quota(store::Db& db, const std::string& campaign_id);
// Sets either figure (a negative value keeps the stored one; 0 goes back to the default).
Status set_campaign_quota(store::Db& db, const std::string& campaign_id, int64_t mutations, int64_t bytes);

}  // namespace doorstep::server
