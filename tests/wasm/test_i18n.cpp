// The phone's string table (wasm/i18n.cpp) is complete: every key has its own text in every
// language of the menu, each translation keeps the English one's format placeholders (the
// callers replace "%s"), the Traditional Chinese table only overrides keys the main one has, and
// with the fonts the phone rasterises every button's, radio's and tab's words fit it on a 360 px
// screen at each of the three text sizes, and so does every walk-list row and header (long Los
// Angeles addresses with units): every letter drawn, none cut at the list's edge.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "imgui.h"
#include "imgui_internal.h"
#include "tests/wasm/host_double.h"
#include "tests/wasm/panels_harness.h"
#include "wasm/app.h"
#include "wasm/font_file.h"
#include "wasm/i18n.h"
#include "wasm/mirror.h"
#include "wasm/ui_widgets.h"

using namespace doorstep;
using namespace doorstep::testing;
using mirror::Role;

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

// The atlas the phone builds (wasm/platform.cpp build_fonts, at 1x): DejaVu Sans for the glyphs of
// the language's text, merged with WenQuanYi Micro Hei for Hangul and Chinese when it needs them.
// The same system files the build subsets and copies (wasm/module.cmake). False when one is missing.
bool real_fonts(const std::string& code, float px) {
  const char* dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  const char* wqy = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  ImFontGlyphRangesBuilder b;
  b.AddRanges(io.Fonts->GetGlyphRangesDefault());
  static const ImWchar extra[] = {0x0100, 0x017F, 0x0530, 0x058F, 0x2010, 0x2027, 0x2190, 0x21FF,
                                  0x2700, 0x27BF, 0x25A0, 0x25FF, 0};
  b.AddRanges(extra);
  b.AddText(i18n::all_text(code).c_str());
  static ImVector<ImWchar> ranges;
  ranges.clear();
  b.BuildRanges(&ranges);
  ImFontConfig cfg;
  cfg.OversampleH = cfg.OversampleV = 1;
  auto [data, size] = platform::read_font_file(dejavu);
  if (!data) return false;
  io.Fonts->AddFontFromMemoryTTF(data, size, px, &cfg, ranges.Data);
  if (i18n::language_needs_cjk(code)) {
    auto [cdata, csize] = platform::read_font_file(wqy);
    if (!cdata) return false;
    ImFontConfig merge = cfg;
    merge.MergeMode = true;
    io.Fonts->AddFontFromMemoryTTF(cdata, csize, px, &merge, ranges.Data);
  }
  unsigned char* px_data;
  int tw, th;
  io.Fonts->GetTexDataAsRGBA32(&px_data, &tw, &th);
  return true;
}

// The widest run of `text` between spaces: what a wrapped line can never be narrower than.
float widest_word(const std::string& text) {
  float widest = 0;
  for (size_t at = 0; at <= text.size();) {
    size_t end = std::min(text.find(' ', at), text.size());
    widest = std::max(widest, ImGui::CalcTextSize(text.data() + at, text.data() + end).x);
    at = end + 1;
  }
  return widest;
}

// Every shown button, radio and tab of `t` holds its words (a button's and a radio's may wrap:
// ui::button, ui::radio), is a finger's height unless scrolled part out, and ends inside 360 px; the count checked.
int check_fit(const mirror::Tree& t, const std::string& screen) {
  int measured = 0;
  const ImGuiStyle& st = ImGui::GetStyle();
  const float pad = st.FramePadding.x;
  for (auto& n : t.nodes) {
    if (!n.shown || (n.role != Role::button && n.role != Role::radio && n.role != Role::tab)) continue;
    CAPTURE(screen);
    CAPTURE(n.label);
    float text = ImGui::CalcTextSize(n.label.c_str(), nullptr, true).x;
    if (n.role != Role::tab && text + 2 * pad > n.w + 0.5f) {
      // Too long for one line: wrapped (inside a button's padding, beside a radio's circle), each
      // word whole and every line inside the control.
      float room = (n.role == Role::radio ? n.w - ImGui::GetFrameHeight() - st.ItemInnerSpacing.x : n.w - 2 * pad) + 0.5f;
      CHECK(widest_word(n.label) <= room);
      CHECK(ImGui::CalcTextSize(n.label.c_str(), nullptr, false, room).y + 2 * st.FramePadding.y <= n.h + 0.5f);
    } else {
      CHECK(text + 2 * pad <= n.w + 0.5f);
    }
    if (!n.cut) CHECK(n.h >= ui::kMinTarget);
    CHECK(n.x + n.w <= 360.5f);
    ++measured;
  }
  return measured;
}

// The walk list's scrolling child ("doorlist", wasm/ui_walk.cpp) as the last frame drew it.
ImGuiWindow* walk_list_window() {
  for (ImGuiWindow* w : GImGui->Windows)
    if (w->Active && std::string_view(w->Name).find("/doorlist_") != std::string_view::npos) return w;
  return nullptr;
}

// The glyphs ImGui draws for `text` with the current font: every character with pixels (spaces and
// line breaks have none).
int glyphs_in(const std::string& text) {
  ImFont* font = ImGui::GetFont();
  int n = 0;
  for (const char* s = text.c_str(); *s;) {
    unsigned int c = 0;
    s += ImTextCharFromUtf8(&c, s, nullptr);
    if (c == '\n' || c == '\r') continue;
    const ImFontGlyph* g = font->FindGlyph(static_cast<ImWchar>(c));
    n += g && g->Visible;
  }
  return n;
}

// Every walk-list row and header of `t` (the doors tab, all of its rows on screen) shows all its
// words: its lines, wrapped at its width, fit its height (a door's a finger tall), it ends inside
// 360 px (a header is not cut by the list's edges), and the list drew every letter of every label (ImGui
// drops a glyph that falls past the list's edge: a cut address has fewer) plus each door's status
// icon. The count of rows and headers checked.
int check_list_fit(const mirror::Tree& t, const std::string& screen) {
  CAPTURE(screen);
  ImGuiWindow* list = walk_list_window();
  REQUIRE_MESSAGE(list, "the walk list was not drawn");
  const ImGuiStyle& st = ImGui::GetStyle();
  int measured = 0, expected = 0;
  for (auto& n : t.nodes) {
    if (n.role != Role::listitem && !(n.role == Role::heading && n.y >= list->Pos.y - 0.5f)) continue;
    CAPTURE(n.label);
    REQUIRE(n.shown);  // the display is tall enough for every row
    CHECK(n.x + n.w <= 360.5f);
    if (n.role == Role::listitem) {
      // A selectable: its rect is its row and half the item spacing around it (which reaches past
      // the list's edge, so the mirror marks it cut: its letters are counted below instead).
      CHECK(n.h >= ui::kMinTarget);
      float room = n.w - st.ItemSpacing.x + 0.5f;
      CHECK(widest_word(n.label) <= room);
      CHECK(ImGui::CalcTextSize(n.label.c_str(), nullptr, false, room).y <= n.h - st.ItemSpacing.y + 0.5f);
      ++expected;  // the status icon
    } else {
      CHECK_FALSE(n.cut);  // a header's rect is its text's
      CHECK(ImGui::CalcTextSize(n.label.c_str(), nullptr, false, n.w + 0.5f).y <= n.h + 0.5f);
    }
    expected += glyphs_in(n.label);
    ++measured;
  }
  // The glyphs drawn: each glyph quad has one vertex at its top-left texture coordinate.
  std::set<std::pair<float, float>> corners;
  for (const ImFontGlyph& g : ImGui::GetFont()->Glyphs)
    if (g.Visible) corners.insert({g.U0, g.V0});
  int drawn = 0;
  for (const ImDrawVert& v : list->DrawList->VtxBuffer) drawn += corners.count({v.uv.x, v.uv.y}) > 0;
  CHECK(drawn == expected);
  return measured;
}

// A Los Angeles turf of long addresses with units: a tower's units on floors 3, 12 and 14 and a
// penthouse with no floor, a second building's two units, houses and lone units on long street
// names, a door with a safety note (its "⚠"), and order numbers in the thousands (a long turf's).
std::string la_package() {
  struct D {
    const char* address;
    const char* unit;
    const char* building;
    const char* safety;
  };
  static const D doors[] = {
      {"1234 South Westmoreland Avenue #1205", "1205", "w1", ""},
      {"1234 South Westmoreland Avenue #1206", "1206", "w1", ""},
      {"1234 South Westmoreland Avenue #304", "304", "w1", ""},
      {"1234 South Westmoreland Avenue #1410", "1410", "w1", "Dog in the yard"},
      {"1234 South Westmoreland Avenue #PH-B", "PH-B", "w1", ""},
      {"3980 South Martin Luther King Junior Boulevard", "", "", ""},
      {"11950 West Olympic Boulevard Apt 1510", "1510", "o1", ""},
      {"11950 West Olympic Boulevard Apt 1512", "1512", "o1", ""},
      {"4521 North Figueroa Street", "", "", ""},
      {"10250 Santa Monica Boulevard Suite 1500", "1500", "", ""},
      {"2801 East Cesar Estrada Chavez Avenue Apt B", "B", "", ""},
      {"1901 Avenue of the Stars #1905", "1905", "", ""},
  };
  std::string out;
  for (size_t i = 0; i < std::size(doors); ++i) {
    char id[40];
    std::snprintf(id, sizeof id, "0192f0c4-7b00-7000-8000-%012zu", 900 + i);
    if (i) out += ",";
    out += std::string(R"({"id":")") + id + R"(","lat":)" + std::to_string(34.05 + i * 1e-4) + R"(,"lon":-118.29,"address":")" +
           doors[i].address + R"(","unit":")" + doors[i].unit + R"(","building_id":")" + doors[i].building +
           R"(","safety":")" + doors[i].safety + R"(","order":)" + std::to_string(1990 + i) + R"(,"status":"not_visited"})";
  }
  return std::string(R"({"api":1,"campaign":{"id":"c1","name":"LA","languages":["en","es","ko","zh-Hans","zh-Hant","hy","tl"]},)") +
         R"("turf":{"id":")" + testing::kTurf + R"(","name":"Koreatown"},"doors":[)" + out +
         R"(],"people":[],"script":{"en":[{"id":"s1","title":"Hi","text":"Hello"}]},"survey":[],"cursor":""})";
}

// Runs `screens(size)` in every language at every text size (Settings' three steps), each with
// the atlas the phone builds for it, then goes back to English at the normal size. False (after
// saying so) when the real fonts are not installed: nothing is measured then.
template <typename Screens>
bool at_every_size_and_language(Screens screens) {
  bool fonts = true;
  for (size_t size = 0; fonts && size < std::size(app::kTextSizes); ++size) {
    CAPTURE(size);
    app::set_text_size(static_cast<int>(size));
    for (const auto& l : i18n::languages()) {
      const std::string code = l.code;
      CAPTURE(code);
      app::set_language(l.code);
      if (!real_fonts(l.code, app::kTextSizes[size])) {
        MESSAGE("DejaVu Sans or WenQuanYi Micro Hei is not installed: the fit is not measured");
        fonts = false;
        break;
      }
      screens(size);
    }
  }
  app::set_text_size(0);
  app::set_language("en");
  return fonts;
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

TEST_CASE("i18n: while the Korean/Chinese font is on its way, tr() gives English words, not glyphs drawn as ?") {
  i18n::set_language("ko");
  i18n::set_glyphs_pending(true);
  CHECK(std::string(i18n::tr("skip")) == "Skip");
  CHECK(std::string(i18n::tr("help")) == "Help");
  i18n::set_glyphs_pending(false);
  CHECK(std::string(i18n::tr("skip")) == "건너뛰기");
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

TEST_CASE("i18n: at 360 px every button's words fit it, in every language and at every text size, with the phone's own fonts") {
  Phone p("i18n-fit");
  auto& ui = p.ui;
  // Tall enough that every control of a screen is on it: the part below the fold is measured too.
  ImGui::GetIO().DisplaySize = ImVec2(360, 3000);
  int measured[std::size(app::kTextSizes)] = {};
  bool fonts = at_every_size_and_language([&](size_t size) {
    auto check = [&](const mirror::Tree& t, const std::string& screen) { measured[size] += check_fit(t, screen); };
    app::state().tab = app::Tab::doors;
    check(ui.frames(), "doors");
    check_list_fit(ui.frames(1), "doors");
    app::select_door(0, false);
    const auto& door = ui.frames();
    check(door, "door");
    press(ui, door, Role::button, i18n::tr("talked"));
    check(ui.frames(), "talked");
    press(ui, ui.frames(), Role::tab, i18n::tr("settings"));
    check(ui.frames(), "settings");
    press(ui, ui.frames(), Role::button, i18n::tr("end_shift"));
    check(ui.frames(), "summary");
    press(ui, ui.frames(), Role::button, i18n::tr("back"));
    app::open_help(true);
    check(ui.frames(), "help");
    app::open_help(false);
  });
  if (fonts)
    for (int m : measured) CHECK(m > 100);
}

TEST_CASE("i18n: at 360 px the two-turf dialog's buttons fit, in every language and at every text size") {
  Phone p("i18n-fit-two");
  p.h.settings["canvasser"] = "Tess";
  REQUIRE(app::state().phase == app::Phase::ready);
  // A second link opened on the same phone (a new page load) while the first turf is unfinished.
  p.h.crash();
  p.h.calls.clear();
  p.h.url_token = kToken2;
  p.h.start();
  p.h.settle();
  REQUIRE(app::state().phase == app::Phase::choose_link);
  int measured[std::size(app::kTextSizes)] = {};
  bool fonts = at_every_size_and_language([&](size_t size) {
    const auto& t = p.ui.frames();
    CHECK_FALSE(t.dialog.empty());
    measured[size] += check_fit(t, "two turfs");
  });
  if (fonts)
    for (int m : measured) CHECK(m >= 2 * static_cast<int>(i18n::languages().size()));  // Finish first, Keep both
  // Both kept: Settings lists them, one row each ("Walgrove: 2 doors left, 0 not yet sent").
  app::keep_both();
  p.h.settle();
  REQUIRE(app::state().phase == app::Phase::ready);
  REQUIRE(app::stored_turfs().size() == 2);
  ImGui::GetIO().DisplaySize = ImVec2(360, 3000);
  int rows[std::size(app::kTextSizes)] = {};
  fonts = fonts && at_every_size_and_language([&](size_t size) {
    app::state().tab = app::Tab::settings;
    const auto& t = p.ui.frames();
    rows[size] += check_fit(t, "turfs");
  });
  if (fonts)
    for (int m : rows) CHECK(m >= 4 * static_cast<int>(i18n::languages().size()));  // two turfs, End of shift, tabs...
}

TEST_CASE("i18n: at 360 px the start screen, the name dialog and practice's top bar fit, in every language and at every text size") {
  std::ifstream in(std::string(DOORSTEP_SOURCE_DIR) + "/web/practice.json");
  REQUIRE_MESSAGE(in.good(), "web/practice.json is missing");
  std::stringstream practice;
  practice << in.rdbuf();
  Headless ui(360, 3000);
  RecordingHost h(fresh_dir("i18n-fit-bare"));  // the bare page: no link
  h.start();
  h.settle();
  REQUIRE(app::state().phase == app::Phase::no_link);
  int measured[std::size(app::kTextSizes)] = {};
  bool fonts = at_every_size_and_language([&](size_t size) {
    measured[size] += check_fit(ui.frames(), "start");
    app::ask_name();  // the first open's name dialog
    measured[size] += check_fit(ui.frames(), "name");
    app::answer_name(false);
  });
  // The practice turf: its banner, "End practice" and Help over every screen.
  app::stop();
  app::start_sandbox(h, "en", app::Sandbox::practice, practice.str());
  REQUIRE(app::state().phase == app::Phase::ready);
  fonts = fonts && at_every_size_and_language([&](size_t size) {
    app::state().tab = app::Tab::doors;
    measured[size] += check_fit(ui.frames(), "practice doors");
    check_list_fit(ui.frames(1), "practice doors");  // "3. 110 Practice Way · Depto. 2"
    app::select_door(0, false);
    measured[size] += check_fit(ui.frames(), "practice door");
    app::open_help(true);
    measured[size] += check_fit(ui.frames(), "practice help");
    app::open_help(false);
  });
  app::stop();
  // Per language: Practice, Help, Not now, OK, then the tabs, End practice and Help on each screen.
  if (fonts)
    for (int m : measured) CHECK(m >= 10 * static_cast<int>(i18n::languages().size()));
}

TEST_CASE("i18n: at 360 px every walk-list row and header shows its whole address, in every language and at every text size") {
  Headless ui(360, 3000);  // every row on screen at once (the list draws only what shows)
  RecordingHost h(fresh_dir("i18n-fit-walk"));
  h.package = la_package();
  h.url_token = kToken;
  h.start();
  h.settle();
  REQUIRE(app::state().phase == app::Phase::ready);
  REQUIRE(app::state().session->package().doors.size() == 12);
  // Results with long words in some languages, on doors with long addresses.
  app::select_door(0, false);
  app::record("wrong_address");
  app::select_door(5, false);
  app::record("inaccessible");
  h.settle();
  int measured[std::size(app::kTextSizes)] = {};
  bool fonts = at_every_size_and_language([&](size_t size) {
    app::state().tab = app::Tab::doors;
    measured[size] += check_list_fit(ui.frames(), "LA doors");
  });
  // Per language: 12 doors, 7 street headers, 2 buildings and 5 floor/"Units" headers.
  if (fonts)
    for (int m : measured) CHECK(m == 26 * static_cast<int>(i18n::languages().size()));
  app::stop();
}
