// The reference for writing doubles: printf's %.*g at increasing precision until it reads back
// (shared/base/json.cpp's loop where the library has no to_chars). test_json and test_decimal
// compare the writers against it; leaves out everything else.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

namespace doorstep::testing {

inline std::string printf_shortest(double d) {
  char buf[40];
  for (int prec = 1; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  return buf;
}

}  // namespace doorstep::testing
