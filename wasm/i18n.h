// The canvasser UI's own words in English, Spanish, Korean, Chinese, Armenian and Tagalog. The
// campaign's script and survey come translated in the turf package; these are only the buttons
// and labels around them. Missing translations fall back to English.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace doorstep::i18n {

struct Language {
  const char* code;    // BCP 47
  const char* native;   // the language's own name
  const char* english;  // shown while the CJK font is not loaded yet
  bool cjk;             // needs the CJK/Hangul font
};
const std::vector<Language>& languages();

void set_language(std::string_view code);
const std::string& language();
bool language_needs_cjk(std::string_view code);

// Text for `key` in the current language. Keys are the English strings' ids (see i18n.cpp).
const char* tr(std::string_view key);
// While the Korean/Chinese font is on its way (or failed to load), those languages' glyphs would
// draw as "?": tr() gives the English words until this is set back to false.
void set_glyphs_pending(bool pending);
// Every string of one language, concatenated: the font atlas rasterises exactly these glyphs.
std::string all_text(std::string_view code);

// The table itself, for tests (tests/wasm/test_i18n.cpp): every key; a key's own text in one
// language ("" where it has none and tr() falls back; for zh-Hant only its own table's entries);
// the keys of the Traditional Chinese table.
std::vector<std::string_view> keys();
std::string_view own_text(std::string_view key, std::string_view code);
std::vector<std::string_view> hant_keys();

}  // namespace doorstep::i18n
