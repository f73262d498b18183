// Decimal text to double without the C library's strtod on the common case: a mantissa up to 2^53
// with a power of ten up to 10^22 either way (coordinates, money, scores) is one correctly rounded
// multiplication or division of two exact doubles (Clinger's fast path); the rest goes to strtod. Emscripten's strtod works in 128-bit software floating point, so in the
// wasm each call costs microseconds. Leaves out validation of the JSON/CSV grammar (callers do it).
#pragma once

#include <optional>
#include <string_view>

namespace doorstep::decimal {

// `text` must be a whole decimal number: [-+]digits[.digits][(e|E)[-+]digits] (or [-+].digits).
// The double strtod would give for it (correctly rounded); nullopt when it is not such a number.
std::optional<double> parse(std::string_view text);

// The fast path alone, for tests: the exact result when it applies, else nullopt.
std::optional<double> parse_fast(std::string_view text);

// Appends what the shortest-round-trip printf loop writes for `d` (the fewest significant digits
// p such that "%.*g" with p reads back to d) and returns true, when a short exact search finds it:
// d finite, nonzero, not a power of two, and d * 10^k an integer below 2^53 for some k <= 22 (so
// the digits come from integer arithmetic, not printf). False, appending nothing, otherwise.
bool append_shortest_g(std::string& out, double d);

}  // namespace doorstep::decimal
