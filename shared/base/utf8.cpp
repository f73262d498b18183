// UTF-8 validation (see utf8.h): eight ASCII bytes at a time, then one sequence at a time with the
// second byte's bounds excluding overlongs, surrogates and code points above U+10FFFF.
#include "shared/base/utf8.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace doorstep::utf8 {

size_t valid_prefix(const unsigned char* s, size_t n, bool* partial) {
  *partial = false;
  size_t i = 0;
  while (i < n) {
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, s + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;          // overlong
      if (c == 0xED) hi = 0x9F;          // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;          // overlong
      if (c == 0xF4) hi = 0x8F;          // above U+10FFFF
    } else {
      return i;
    }
    size_t avail = n - i;
    size_t have = std::min(len, avail);
    for (size_t k = 1; k < have; ++k) {
      unsigned char d = s[i + k];
      unsigned char l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
      if (d < l || d > h) return i;
    }
    if (avail < len) {
      *partial = true;
      return i;
    }
    i += len;
  }
  return n;
}

bool valid(std::string_view s) {
  bool partial;
  return valid_prefix(reinterpret_cast<const unsigned char*>(s.data()), s.size(), &partial) == s.size();
}

}  // namespace doorstep::utf8
