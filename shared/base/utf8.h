// The one UTF-8 validator, for the JSON parser, the CSV reader, the sync decoder and the fuzzers.
// Strict (no overlongs, no surrogates, nothing above U+10FFFF). Leaves out decoding and repair:
// the CSV reader's Windows-1252 fallback is the only transcoding the project does.
#pragma once
#include <cstddef>
#include <string_view>

namespace doorstep::utf8 {

// True when s is valid UTF-8.
bool valid(std::string_view s);

// Length of the longest valid prefix of s[0..n); *partial tells whether the rest is the valid start
// of a sequence cut by the end of the buffer (so it may complete in the next chunk).
size_t valid_prefix(const unsigned char* s, size_t n, bool* partial);

}  // namespace doorstep::utf8
