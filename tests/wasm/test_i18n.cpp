// The phone's string table (wasm/i18n.cpp) is complete: every key has its own text in every
// language of the menu, each translation keeps the English one's format placeholders (the
// callers replace "%s"), and the Traditional Chinese table only overrides keys the main one has.
#include <doctest/doctest.h>

#include <algorithm>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "wasm/i18n.h"

using namespace doorstep;

namespace {

// printf-style conversions ("%s", "%d", "%.1f", "%%") and named ones ("{name}"), sorted.
std::vector<std::string> placeholders(std::string_view text) {
  static const std::regex re(R"(%[-+ #0-9.]*[a-zA-Z%]|\{[A-Za-z_][A-Za-z0-9_]*\})");
  std::vector<std::string> out;
  std::string s(text);
  for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it)
    out.push_back(it->str());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("i18n: every key has its own text in every language but Traditional Chinese, which may fall back") {
  const auto keys = i18n::keys();
  REQUIRE(keys.size() > 100);
  for (const auto& l : i18n::languages()) {
    if (std::string_view(l.code) == "zh-Hant") continue;  // its own table overrides where the characters differ
    for (auto key : keys) {
      CAPTURE(l.code);
      CAPTURE(std::string(key));
      CHECK_FALSE(i18n::own_text(key, l.code).empty());
    }
  }
}

TEST_CASE("i18n: every translation has the English text's format placeholders") {
  for (auto key : i18n::keys()) {
    const auto want = placeholders(i18n::own_text(key, "en"));
    for (const auto& l : i18n::languages()) {
      auto text = i18n::own_text(key, l.code);
      if (text.empty()) continue;  // zh-Hant without an entry of its own (checked above for the others)
      CAPTURE(l.code);
      CAPTURE(std::string(key));
      CAPTURE(std::string(text));
      CHECK(placeholders(text) == want);
    }
  }
  // The check sees what the callers replace.
  CHECK(placeholders(i18n::own_text("doors_left", "en")) == std::vector<std::string>{"%s"});
}

TEST_CASE("i18n: the Traditional Chinese table has only keys of the main table, and tr() uses it") {
  const auto keys = i18n::keys();
  const std::set<std::string_view> main(keys.begin(), keys.end());
  const auto hant = i18n::hant_keys();
  REQUIRE_FALSE(hant.empty());
  for (auto key : hant) {
    CAPTURE(std::string(key));
    CHECK(main.count(key) == 1);
    CHECK_FALSE(i18n::own_text(key, "zh-Hant").empty());
  }
  i18n::set_language("zh-Hant");
  CHECK(std::string(i18n::tr("skip")) == "跳過");
  CHECK(std::string(i18n::tr("text_size")) == "文字大小");  // the same characters: the Simplified text
  i18n::set_language("zh-Hans");
  CHECK(std::string(i18n::tr("skip")) == "跳过");
  i18n::set_language("en");
}

TEST_CASE("i18n: the font atlas sample of Korean and Armenian holds their own scripts") {
  // The atlas rasterises only the glyphs of all_text() (wasm/platform.cpp build_fonts).
  auto has = [](const std::string& s, const char* needle) { return s.find(needle) != std::string::npos; };
  const std::string ko = i18n::all_text("ko"), hy = i18n::all_text("hy");
  CHECK(has(ko, "건너뛰기"));  // "skip", filled for issue 15
  CHECK(has(ko, "글자 크기"));
  CHECK(has(hy, "Բաց թողնել"));
  CHECK(has(hy, "Տառաչափ"));
  CHECK(i18n::language_needs_cjk("ko"));  // Hangul comes from the CJK font, loaded on demand
  CHECK_FALSE(i18n::language_needs_cjk("hy"));  // Armenian is in the DejaVu subset (wasm/module.cmake)
}
