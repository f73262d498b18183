// Canvasser links: a 128-bit random token bound to one turf, with expiry and revocation. Only a
// hash of the token is stored; the token travels in the URL fragment and in an Authorization:
// Bearer header, so nothing else identifies a link and it never lands in logs. Leaves out HTTP
// and what a token may read or push (api_canvass.cpp).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "server/rate_limit.h"
#include "server/storage.h"
#include "shared/base/result.h"

namespace doorstep::server {

struct NewLink {
  LinkRecord record;
  std::string token;  // shown to the organizer once; never stored
};

Result<NewLink> create_link(Storage& st, const std::string& campaign_id, const std::string& turf_id,
                            const std::string& label, const std::string& created_by, int64_t now_ms,
                            int64_t ttl_ms);

enum class LinkState { active, expired, revoked };

struct ResolvedLink {
  LinkRecord record;
  LinkState state = LinkState::active;
  int64_t ended_ms = 0;  // expiry or revocation time when not active
};

// Finds the link behind a presented token. Unknown or malformed tokens are `unauthorized` and count
// against the token's bucket in `limiter`; a locked bucket answers `rate_limited` before looking.
// Ended links resolve (state says why) so records made while valid can still be pushed.
// `client` is the request's address. Failures count per (whole token hash, address) and per
// address; a locked pair answers rate_limited before looking, a locked address only for tokens
// that are unknown, so a flood of guesses never locks out another link (issue 10 item 5).
Result<ResolvedLink> resolve_token(Storage& st, RateLimiter& limiter, std::string_view token, std::string_view client,
                                   int64_t now_ms);
struct TokenKeys {
  std::string pair, address;
};
TokenKeys token_keys(const std::string& token, std::string_view client);
int64_t token_retry_after_ms(RateLimiter& limiter, const std::string& token, std::string_view client, int64_t now_ms);

// Pulls the token out of "Authorization: Bearer TOKEN" (empty when absent or malformed).
std::string bearer_token(std::string_view authorization_header);

}  // namespace doorstep::server
