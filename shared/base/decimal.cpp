// Decimal text to double (see decimal.h): Clinger's fast path, else strtod.
#include "shared/base/decimal.h"

#include <algorithm>
#include <cmath>
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

// The exact double for split parts, when the fast path applies.
std::optional<double> fast(const Parts& p) {
  if (p.too_long || p.mantissa > kExact) return std::nullopt;
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

}  // namespace

std::optional<double> parse_fast(std::string_view text) {
  Parts p;
  if (!split(text, p)) return std::nullopt;
  return fast(p);
}

std::optional<double> parse(std::string_view text) {
  Parts p;
  if (!split(text, p)) return std::nullopt;  // one scan decides both the grammar and the path
  if (auto v = fast(p)) return v;
  std::string tmp(text);
  char* end = nullptr;
  double d = std::strtod(tmp.c_str(), &end);
  if (end != tmp.c_str() + tmp.size()) return std::nullopt;
  return d;
}

bool append_shortest_g(std::string& out, double d) {
  if (!std::isfinite(d) || d == 0) return false;
  uint64_t b;
  std::memcpy(&b, &d, sizeof b);
  // A power of two: the doubles below it are twice as close as above, so "a nearer decimal also
  // reads back" (the argument below) fails; left to the printf loop.
  if ((b & 0xfffffffffffffULL) == 0) return false;
  const double a = std::fabs(d);
  // The fewest fraction digits k with an integer c (c / 10^k exact by the fast path) that reads
  // back to a. c is within one of a * 10^k rounded; two readers back at one k: left to printf.
  uint64_t c = 0;
  int k = 0;
  for (;; ++k) {
    if (k > 22) return false;
    const double scaled = a * kPow10[k];
    if (!(scaled < static_cast<double>(kExact) - 2)) return false;
    const auto m = static_cast<uint64_t>(std::llround(scaled));
    int hits = 0;
    for (uint64_t cand : {m - 1, m, m + 1}) {  // m - 1 wraps when m is 0: skipped below
      if (cand == 0 || cand > kExact) continue;
      if (static_cast<double>(cand) / kPow10[k] == a) {
        ++hits;
        c = cand;
      }
    }
    if (hits > 1) return false;
    if (hits == 1) break;
  }
  // Its significant digits (a k = 0 integer may end in zeros: "%g" drops them, so do we).
  char digits[24];
  int n = 0;
  for (uint64_t v = c; v > 0; v /= 10) digits[n++] = static_cast<char>('0' + v % 10);
  std::reverse(digits, digits + n);
  const int x = n - 1 - k;  // the power of ten of the first digit
  int p = n;
  while (p > 1 && digits[p - 1] == '0') --p;
  if (d < 0) out += '-';
  if (x < -4 || x >= p) {  // %g's exponent form: d.ddde[+-]XX
    out += digits[0];
    if (p > 1) {
      out += '.';
      out.append(digits + 1, static_cast<size_t>(p - 1));
    }
    const int ax = x < 0 ? -x : x;  // at most 323: two digits at least, as printf writes them
    out += 'e';
    out += x < 0 ? '-' : '+';
    if (ax >= 100) out += static_cast<char>('0' + ax / 100);
    out += static_cast<char>('0' + ax / 10 % 10);
    out += static_cast<char>('0' + ax % 10);
  } else if (x >= 0) {
    out.append(digits, static_cast<size_t>(x + 1));
    if (p > x + 1) {
      out += '.';
      out.append(digits + x + 1, static_cast<size_t>(p - x - 1));
    }
  } else {
    out += "0.";
    out.append(static_cast<size_t>(-x - 1), '0');
    out.append(digits, static_cast<size_t>(p));
  }
  return true;
}

}  // namespace doorstep::decimal
