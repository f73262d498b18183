// Tests for shared/base/utf8: the strict validator every layer uses, and the prefix form the CSV
// reader uses to carry a sequence cut by a chunk boundary into the next chunk.
#include <doctest/doctest.h>

#include <string>

#include "shared/base/utf8.h"

using namespace doorstep;

TEST_CASE("utf8::valid accepts well-formed text of every length") {
  CHECK(utf8::valid(""));
  CHECK(utf8::valid("plain ASCII, longer than eight bytes"));
  CHECK(utf8::valid("Jos\xc3\xa9"));                  // é
  CHECK(utf8::valid("\xea\xb0\x80"));                 // 가
  CHECK(utf8::valid("\xf0\x9f\x98\x80"));             // U+1F600
  CHECK(utf8::valid("\xf4\x8f\xbf\xbf"));             // U+10FFFF
  CHECK(utf8::valid(std::string("a\0b", 3)));         // NUL is a valid code point
}

TEST_CASE("utf8::valid refuses overlongs, surrogates, out-of-range and stray bytes") {
  CHECK_FALSE(utf8::valid("\xc0\x80"));               // overlong NUL
  CHECK_FALSE(utf8::valid("\xc1\xbf"));
  CHECK_FALSE(utf8::valid("\xe0\x80\x80"));           // overlong 3-byte
  CHECK_FALSE(utf8::valid("\xf0\x80\x80\x80"));       // overlong 4-byte
  CHECK_FALSE(utf8::valid("\xed\xa0\x80"));           // U+D800
  CHECK_FALSE(utf8::valid("\xf4\x90\x80\x80"));       // above U+10FFFF
  CHECK_FALSE(utf8::valid("\xf5\x80\x80\x80"));
  CHECK_FALSE(utf8::valid("\x80"));                   // continuation without a lead
  CHECK_FALSE(utf8::valid("abc\xc3"));                // cut short
  CHECK_FALSE(utf8::valid("\xc3(x"));                 // bad continuation
  CHECK_FALSE(utf8::valid("12345678\xff"));           // after the 8-byte ASCII fast path
}

TEST_CASE("utf8::valid_prefix tells a cut sequence from a bad one") {
  bool partial = true;
  const unsigned char cut[] = {'a', 'b', 0xea, 0xb0};
  CHECK(utf8::valid_prefix(cut, sizeof cut, &partial) == 2);
  CHECK(partial);
  const unsigned char bad[] = {'a', 'b', 0xea, 0x28};
  CHECK(utf8::valid_prefix(bad, sizeof bad, &partial) == 2);
  CHECK_FALSE(partial);
  const unsigned char whole[] = {'a', 0xc3, 0xa9};
  CHECK(utf8::valid_prefix(whole, sizeof whole, &partial) == 3);
  CHECK_FALSE(partial);
}
