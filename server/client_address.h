// The client address requests are keyed by (sign-in rates, the canvasser-token lock-out): the
// socket's peer, or the LAST X-Forwarded-For hop when the peer is a proxy named with
// --trusted-proxy. Leaves out Forwarded, X-Real-IP and every earlier hop: those are never read.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/http.h"

namespace doorstep::server {

// An IPv4 or IPv6 address in canonical text form ("::ffff:192.0.2.1" is "192.0.2.1",
// "2001:DB8::1" is "2001:db8::1"); nullopt for anything else (names, ports, brackets, spaces).
std::optional<std::string> canonical_ip(std::string_view text);

// `peer` (the socket's address) unless it is one of `trusted` (canonical addresses) and the request
// carries X-Forwarded-For: then the last hop of the last such field, when it is an address (a
// trusted proxy appends the address it saw; anything before it came from the client). A last hop
// that is not an address falls back to the peer.
std::string client_address(const std::string& peer, const http::Fields& headers, const std::vector<std::string>& trusted);

}  // namespace doorstep::server
