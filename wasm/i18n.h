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
// Every string of one language, concatenated: the font atlas rasterises exactly these glyphs.
std::string all_text(std::string_view code);

}  // namespace doorstep::i18n
