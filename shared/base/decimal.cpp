// Decimal text to double (see decimal.h): Clinger's fast path, else strtod.
#include "shared/base/decimal.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

namespace doorstep::decimal {
namespace {

// Powers of ten that a double holds exactly (10^22 is the last).
constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
constexpr uint64_t kExact = uint64_t{1} << 53;  // every integer up to this is a double exactly

bool digit(char c) { return c >= '0' && c <= '9'; }

// Splits `t` into sign, integer mantissa (all digits, the point dropped) and a power of ten.
// False when `t` is not a decimal number; too_long when the mantissa has more than 19
// significant digits (the fast path does not apply then).
struct Parts {
  bool negative = false;
  uint64_t mantissa = 0;
  int digits = 0;   // significant digits in the mantissa (leading zeros not counted)
  long exp10 = 0;   // value = mantissa * 10^exp10
  bool too_long = false;
};

bool split(std::string_view t, Parts& p) {
  size_t i = 0;
  if (i < t.size() && (t[i] == '-' || t[i] == '+')) p.negative = t[i++] == '-';
  size_t int_start = i;
  auto take = [&](char c) {
    if (p.digits == 0 && c == '0') return;  // a leading zero adds nothing
    if (p.digits >= 19) { p.too_long = true; return; }
    p.mantissa = p.mantissa * 10 + static_cast<uint64_t>(c - '0');
    ++p.digits;
  };
  while (i < t.size() && digit(t[i])) {
    take(t[i]);
    if (p.too_long) p.exp10 += 1;  // a dropped integer digit still scales (only matters for validity)
    ++i;
  }
  bool any = i > int_start;
  if (i < t.size() && t[i] == '.') {
    ++i;
    size_t frac_start = i;
    while (i < t.size() && digit(t[i])) {
      if (!p.too_long) {
        take(t[i]);
        if (!p.too_long) p.exp10 -= 1;
      }
      ++i;
    }
    any = any || i > frac_start;
  }
  if (!any) return false;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    bool neg = false;
    if (i < t.size() && (t[i] == '-' || t[i] == '+')) neg = t[i++] == '-';
    if (i >= t.size() || !digit(t[i])) return false;
    long e = 0;
    while (i < t.size() && digit(t[i])) {
      if (e < 100000) e = e * 10 + (t[i] - '0');
      ++i;
    }
    p.exp10 += neg ? -e : e;
  }
  return i == t.size();
}

}  // namespace

std::optional<double> parse_fast(std::string_view text) {
  Parts p;
  if (!split(text, p) || p.too_long || p.mantissa > kExact) return std::nullopt;
  double m = static_cast<double>(p.mantissa);  // exact
  double v;
  if (p.mantissa == 0) {
    v = 0.0;
  } else if (p.exp10 >= 0 && p.exp10 <= 22) {
    v = m * kPow10[p.exp10];  // one rounding of the product of two exact doubles
  } else if (p.exp10 < 0 && p.exp10 >= -22) {
    v = m / kPow10[-p.exp10];  // one rounding of the exact quotient
  } else {
    return std::nullopt;
  }
  return p.negative ? -v : v;
}

std::optional<double> parse(std::string_view text) {
  if (auto v = parse_fast(text)) return v;
  Parts p;
  if (!split(text, p)) return std::nullopt;
  std::string tmp(text);
  char* end = nullptr;
  double d = std::strtod(tmp.c_str(), &end);
  if (end != tmp.c_str() + tmp.size()) return std::nullopt;
  return d;
}

}  // namespace doorstep::decimal
