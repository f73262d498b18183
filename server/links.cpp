// Canvasser link tokens (see links.h).
#include "server/links.h"

#include "server/auth.h"

#include <algorithm>
#include "shared/base/ids.h"

namespace doorstep::server {

namespace {
bool is_token(std::string_view t) {
  if (t.size() != 32) return false;
  for (char c : t)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}
}  // namespace

Result<NewLink> create_link(Storage& st, const std::string& campaign_id, const std::string& turf_id,
                            const std::string& label, const std::string& created_by, int64_t now_ms,
                            int64_t ttl_ms) {
  if (ttl_ms <= 0) return Error{Code::invalid_argument, "a link must expire in the future"};
  NewLink n;
  n.token = new_secret_hex();
  n.record.id = new_uuid_v7(now_ms);
  n.record.campaign_id = campaign_id;
  n.record.turf_id = turf_id;
  n.record.label = label;
  n.record.created_by = created_by;
  n.record.created_at = now_ms;
  n.record.expires_at = now_ms + ttl_ms;
  if (auto s = st.put_link(n.record, hash_secret(n.token)); !s) return s.error();
  return n;
}

Result<ResolvedLink> resolve_token(Storage& st, RateLimiter& limiter, std::string_view token, std::string_view client,
                                   int64_t now_ms) {
  std::string t(token);
  TokenKeys k = token_keys(t, client);
  // Repeating one wrong token from one address locks only that pair; nobody can lock out a link.
  if (limiter.retry_after_ms(k.pair, now_ms) > 0)
    return Error{Code::rate_limited, "too many unknown links tried; wait and try again"};
  auto unknown = [&](Error e) -> Result<ResolvedLink> {
    // A guesser's address is slowed for unknown tokens only; valid tokens from it still work.
    if (limiter.retry_after_ms(k.address, now_ms) > 0)
      return Error{Code::rate_limited, "too many unknown links tried; wait and try again"};
    limiter.failure(k.pair, now_ms);
    limiter.failure(k.address, now_ms);
    return e;
  };
  if (!is_token(t)) return unknown(Error{Code::unauthorized, "missing or malformed link token"});
  auto rec = st.link_by_token_hash(hash_secret(t));
  if (!rec) {
    if (rec.error().code == Code::unauthorized) return unknown(rec.error());
    return rec.error();
  }
  ResolvedLink r;
  r.record = *rec;
  if (rec->revoked_at > 0) {
    r.state = LinkState::revoked;
    r.ended_ms = rec->revoked_at;
  } else if (rec->expires_at <= now_ms) {
    r.state = LinkState::expired;
    r.ended_ms = rec->expires_at;
  }
  return r;
}

TokenKeys token_keys(const std::string& token, std::string_view client) {
  std::string who = client.empty() ? "?" : std::string(client);
  return TokenKeys{"t:" + hash_secret(token).substr(0, 32) + "@" + who, "a:" + who};
}

int64_t token_retry_after_ms(RateLimiter& limiter, const std::string& token, std::string_view client, int64_t now_ms) {
  TokenKeys k = token_keys(token, client);
  return std::max(limiter.retry_after_ms(k.pair, now_ms), limiter.retry_after_ms(k.address, now_ms));
}

std::string bearer_token(std::string_view h) {
  constexpr std::string_view kPrefix = "Bearer ";
  if (h.size() <= kPrefix.size() || h.substr(0, kPrefix.size()) != kPrefix) return {};
  std::string_view t = h.substr(kPrefix.size());
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  return std::string(t);
}

}  // namespace doorstep::server
