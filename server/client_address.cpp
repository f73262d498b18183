// The client address behind a request (see client_address.h).
#include "server/client_address.h"

#include <arpa/inet.h>
#include <strings.h>

#include <algorithm>
#include <cstring>

namespace doorstep::server {

std::optional<std::string> canonical_ip(std::string_view text) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  std::string s(text);
  char out[INET6_ADDRSTRLEN];
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) return inet_ntop(AF_INET, &v4, out, sizeof out) ? std::optional<std::string>(out) : std::nullopt;
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) != 1) return std::nullopt;
  static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(v6.s6_addr, kMapped, 12) == 0) {
    std::memcpy(&v4, v6.s6_addr + 12, 4);
    return inet_ntop(AF_INET, &v4, out, sizeof out) ? std::optional<std::string>(out) : std::nullopt;
  }
  return inet_ntop(AF_INET6, &v6, out, sizeof out) ? std::optional<std::string>(out) : std::nullopt;
}

std::string client_address(const std::string& peer, const http::Fields& headers, const std::vector<std::string>& trusted) {
  auto me = canonical_ip(peer);
  std::string socket = me ? *me : peer;
  if (trusted.empty() || std::find(trusted.begin(), trusted.end(), socket) == trusted.end()) return socket;
  // Several X-Forwarded-For fields are one comma-separated list in order: the last hop is the
  // last element of the last field.
  const std::string* last = nullptr;
  for (const auto& [name, value] : headers)
    if (name.size() == 15 && strncasecmp(name.c_str(), "X-Forwarded-For", 15) == 0) last = &value;
  if (!last) return socket;
  std::string_view v(*last);
  auto comma = v.rfind(',');
  std::string_view hop = comma == std::string_view::npos ? v : v.substr(comma + 1);
  while (!hop.empty() && (hop.front() == ' ' || hop.front() == '\t')) hop.remove_prefix(1);
  while (!hop.empty() && (hop.back() == ' ' || hop.back() == '\t')) hop.remove_suffix(1);
  auto ip = canonical_ip(hop);
  return ip ? *ip : socket;
}

}  // namespace doorstep::server
