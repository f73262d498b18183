// Names of the stable error codes (see result.h).
#include "shared/base/result.h"

#include <array>

namespace doorstep {

namespace {
constexpr std::array<std::string_view, 16> kNames = {
    "ok",           "invalid_argument", "not_found", "conflict", "gap",
    "unauthorized", "forbidden",        "expired",   "revoked",  "rate_limited",
    "too_large",    "unsupported",      "corrupt",   "io",       "internal", "after_end"};
}

std::string_view code_name(Code c) {
  auto i = static_cast<size_t>(c);
  return i < kNames.size() ? kNames[i] : "internal";
}

std::optional<Code> code_from_name(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == name) return static_cast<Code>(i);
  return std::nullopt;
}

}  // namespace doorstep
