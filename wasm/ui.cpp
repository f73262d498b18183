// Canvasser panels (see ui.h). Layout is for a phone held upright (360 CSS px wide and up):
// one column, finger-sized buttons, the result buttons first, nothing that needs hover, and rows
// that re-flow so no label is cut at any text size. Every control goes through the wrappers
// below, which also note it in the accessible mirror (wasm/mirror.h) and take a press that came
// from there (keyboard, screen reader).
#include "wasm/ui.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "imgui.h"
#include "imgui_internal.h"
#include "shared/canvass/walk_list.h"
#include "wasm/app.h"
#include "wasm/i18n.h"
#include "wasm/mirror.h"
#include "wasm/ui_widgets.h"

namespace doorstep::ui {

using i18n::tr;
using mirror::Role;

namespace {
std::string g_status;
// The one-tap result buttons of the last frame drawn, where they showed (clipped to the panel),
// for quick_tap. Emptied at the start of every frame.
struct QuickTarget {
  ImRect rect;
  std::string result;
  int door;
  ImGuiID id;  // the button's (its mirror element's) id
};
std::vector<QuickTarget> g_quick;

// After a result button: it records on touchend (quick_tap) when it was fully usable this frame.
void quick_record(const char* result) {
  if (!ImGui::IsItemVisible() || ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel)) return;
  if (ImGui::GetItemFlags() & ImGuiItemFlags_Disabled) return;
  ImRect r(ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  r.ClipWith(ImGui::GetCurrentWindow()->ClipRect);
  if (r.GetWidth() <= 0 || r.GetHeight() <= 0) return;
  g_quick.push_back({r, result, app::state().selected, ImGui::GetItemID()});
}

// Records the first target of the last frame that `hit` picks, if it is still for the selected
// door (else ImGui decides, in the next frame). One tap, one record: the targets go with it.
template <typename Hit>
bool take_quick(Hit hit) {
  const auto& s = app::state();
  if (!s.session || s.phase != app::Phase::ready) return false;
  for (const auto& t : g_quick) {
    if (!hit(t)) continue;
    if (t.door != s.selected) return false;  // the door changed since that frame
    std::string result = t.result;
    g_quick.clear();  // the next frame draws the next door's buttons
    app::record(result);
    return true;
  }
  return false;
}
}  // namespace

bool quick_tap(float start_x, float start_y, float end_x, float end_y) {
  return take_quick([&](const QuickTarget& t) {
    return t.rect.Contains(ImVec2(start_x, start_y)) && t.rect.Contains(ImVec2(end_x, end_y));
  });
}

bool quick_activate(uint32_t id) {
  return id != 0 && take_quick([id](const QuickTarget& t) { return t.id == id; });
}

// ---- Widgets that are also in the mirror: a press from the mirror counts as one tap.
bool button(const char* label, ImVec2 size) {
  const ImGuiStyle& st = ImGui::GetStyle();
  const char* end = ImGui::FindRenderedTextEnd(label);
  const float room = size.x - st.FramePadding.x * 2;
  bool pressed = false;
  if (size.x <= 0 || ImGui::CalcTextSize(label, end).x <= room) {
    pressed = ImGui::Button(label, size);
  } else {
    // Wider than the button (a long phrase at a large text size): the words wrap onto centred
    // lines and the button grows taller, as ImGui::Button draws otherwise.
    ImGuiWindow* win = ImGui::GetCurrentWindow();
    const ImGuiID id = win->GetID(label);
    const ImVec2 text = ImGui::CalcTextSize(label, end, false, room);
    const float h = std::max(size.y > 0 ? size.y : ImGui::GetFrameHeight(), text.y + st.FramePadding.y * 2);
    const ImVec2 pos = win->DC.CursorPos;
    const ImRect bb(pos, ImVec2(pos.x + size.x, pos.y + h));
    ImGui::ItemSize(bb, st.FramePadding.y);
    if (ImGui::ItemAdd(bb, id)) {
      bool hovered, held;
      pressed = ImGui::ButtonBehavior(bb, id, &hovered, &held);
      ImGui::RenderFrame(bb.Min, bb.Max,
                         ImGui::GetColorU32(held && hovered ? ImGuiCol_ButtonActive : hovered ? ImGuiCol_ButtonHovered : ImGuiCol_Button),
                         true, st.FrameRounding);
      ImFont* font = ImGui::GetFont();
      const float px = ImGui::GetFontSize();
      float y = bb.Min.y + (h - text.y) / 2;
      for (const char* at = label; at < end; y += px) {
        const char* eol = font->CalcWordWrapPositionA(px / font->FontSize, at, end, room);
        if (eol == at) ++eol;  // never stuck on one glyph wider than the room
        const float lw = ImGui::CalcTextSize(at, eol).x;
        win->DrawList->AddText(ImVec2(std::floor(bb.Min.x + (size.x - lw) / 2), y), ImGui::GetColorU32(ImGuiCol_Text), at, eol);
        at = eol;
        while (at < end && (*at == ' ' || *at == '\n')) ++at;
      }
    }
  }
  mirror::add_last_item(Role::button, label);
  return mirror::take_activation() || pressed;
}
bool checkbox(const char* label, bool* v) {
  bool r = ImGui::Checkbox(label, v);
  mirror::add_last_item(Role::checkbox, label, *v);
  if (mirror::take_activation()) {
    *v = !*v;
    r = true;
  }
  return r;
}
bool radio(const char* label, bool active) {
  // ImGui::RadioButton's look and behaviour, with the label wrapped at the row's end.
  ImGuiWindow* win = ImGui::GetCurrentWindow();
  const ImGuiStyle& st = ImGui::GetStyle();
  const ImGuiID id = win->GetID(label);
  const char* end = ImGui::FindRenderedTextEnd(label);
  const float sq = ImGui::GetFrameHeight();
  const float wrap = std::max(1.f, ImGui::GetContentRegionAvail().x - sq - st.ItemInnerSpacing.x);
  ImVec2 text = ImGui::CalcTextSize(label, end);
  if (text.x > wrap) text = ImGui::CalcTextSize(label, end, false, wrap);
  const ImVec2 pos = win->DC.CursorPos;
  const ImRect bb(pos, ImVec2(pos.x + sq + (text.x > 0 ? st.ItemInnerSpacing.x + text.x : 0),
                              pos.y + std::max(sq, text.y + st.FramePadding.y * 2)));
  ImGui::ItemSize(bb, st.FramePadding.y);
  bool pressed = false;
  if (ImGui::ItemAdd(bb, id)) {
    bool hovered, held;
    pressed = ImGui::ButtonBehavior(bb, id, &hovered, &held);
    const ImVec2 centre(IM_ROUND(pos.x + sq / 2), IM_ROUND(pos.y + sq / 2));  // beside the first line
    const float radius = (sq - 1) / 2;
    ImDrawList* dl = win->DrawList;
    dl->AddCircleFilled(centre, radius,
                        ImGui::GetColorU32(held && hovered ? ImGuiCol_FrameBgActive : hovered ? ImGuiCol_FrameBgHovered : ImGuiCol_FrameBg), 16);
    if (active) dl->AddCircleFilled(centre, radius - std::max(1.f, std::floor(sq / 6)), ImGui::GetColorU32(ImGuiCol_CheckMark), 16);
    if (st.FrameBorderSize > 0) {
      dl->AddCircle(ImVec2(centre.x + 1, centre.y + 1), radius, ImGui::GetColorU32(ImGuiCol_BorderShadow), 16, st.FrameBorderSize);
      dl->AddCircle(centre, radius, ImGui::GetColorU32(ImGuiCol_Border), 16, st.FrameBorderSize);
    }
    ImGui::RenderTextWrapped(ImVec2(pos.x + sq + st.ItemInnerSpacing.x, pos.y + st.FramePadding.y), label, end, wrap);
  }
  mirror::add_last_item(Role::radio, label, active);
  return mirror::take_activation() || pressed;
}
bool selectable(const char* label, bool selected, Role role, ImVec2 size, float wrap) {
  bool r = false;
  if (wrap <= 0) {
    r = ImGui::Selectable(label, selected, 0, size);
  } else {
    // ImGui::Selectable draws each line of its label whole and cuts it at the row's edge: here it
    // draws only the row (its id from the label, as it would be) and the words wrap at `wrap`,
    // centred in the row's height (which the caller made tall enough for them).
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const char* end = ImGui::FindRenderedTextEnd(label);
    r = ImGui::Selectable((std::string("##") + label).c_str(), selected, 0, size);
    if (ImGui::IsItemVisible()) {
      const ImVec2 text = ImGui::CalcTextSize(label, end, false, wrap);
      const float y = at.y + std::max(0.f, std::floor((size.y - text.y) / 2));
      ImGui::GetWindowDrawList()->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(at.x, y),
                                          ImGui::GetColorU32(ImGuiCol_Text), label, end, wrap);
    }
  }
  mirror::add_last_item(role, label, selected);
  return mirror::take_activation() || r;
}
void mirrored_text(Role role, const std::string& t) {
  ImGui::TextWrapped("%s", t.c_str());
  mirror::add_last_item(role, t);
}

// Letters of a field's text that the current font lacks go to the app (app::want_letters keeps
// each once, so a letter no font has costs a lookup per frame, not an atlas).
void ask_missing_letters(const std::string& text) {
  ImFont* font = ImGui::GetFont();
  std::string missing;
  for (const char* p = text.c_str(); *p;) {
    unsigned int c = 0;
    const char* at = p;
    p += ImTextCharFromUtf8(&c, p, nullptr);
    if (c < 0x80 || c > IM_UNICODE_CODEPOINT_MAX || font->FindGlyphNoFallback(static_cast<ImWchar>(c))) continue;
    missing.append(at, p);
  }
  if (!missing.empty()) app::want_letters(missing);
}

bool text_field(const char* label, const char* hint, const std::string& value, bool multiline, float width,
                std::string* out, bool* submitted) {
  ImGuiWindow* win = ImGui::GetCurrentWindow();
  const ImGuiStyle& st = ImGui::GetStyle();
  ImGuiID id = win->GetID(label);
  float line = ImGui::GetTextLineHeight();
  float h = std::max(kMinTarget, multiline ? line * 3 + st.FramePadding.y * 2 : ImGui::GetFrameHeight());
  ImRect bb(win->DC.CursorPos, ImVec2(win->DC.CursorPos.x + width, win->DC.CursorPos.y + h));
  ImGui::ItemSize(bb, st.FramePadding.y);
  if (ImGui::ItemAdd(bb, id)) {
    // A tap on the field lands on the page's input over it, which takes the keyboard: here it
    // only draws. While that input has the keyboard it draws the text (an IME's composition
    // included), so the panel draws only the frame: one copy of the text on screen, never two.
    ImGui::RenderFrame(bb.Min, bb.Max, ImGui::GetColorU32(ImGuiCol_FrameBg), false, st.FrameRounding);
    win->DrawList->AddRect(bb.Min, bb.Max, ImGui::GetColorU32(ImGuiCol_Border), st.FrameRounding, 0,
                           std::max(1.f, st.FrameBorderSize));
    if (mirror::focused() != id) {
      bool empty = value.empty();
      const char* text = empty ? hint : value.c_str();
      ImU32 col = ImGui::GetColorU32(empty ? ImGuiCol_TextDisabled : ImGuiCol_Text);
      ImVec2 at(bb.Min.x + st.FramePadding.x, multiline ? bb.Min.y + st.FramePadding.y : bb.Min.y + (h - line) / 2);
      ImVec4 clip(bb.Min.x + st.FramePadding.x, bb.Min.y, bb.Max.x - st.FramePadding.x, bb.Max.y);
      float wrap = multiline ? width - st.FramePadding.x * 2 : 0.f;
      const char* end = text + std::strlen(text);
      if (!multiline) end = std::find(text, end, '\n');  // one line shows up to its first break
      win->DrawList->AddText(nullptr, 0.f, at, col, text, end, wrap, &clip);
    }
  }
  // The value typed since the last frame goes into this frame's mirror node, so the page never
  // sees the app's previous value after sending a newer one.
  bool changed = mirror::take_text(out);
  ask_missing_letters(changed ? *out : value);  // a value kept from before is drawn by the panel too
  mirror::add_last_textbox(label, changed ? *out : value, multiline);
  float bottom = 0;
  if (mirror::take_reveal(&bottom)) {
    // A soft keyboard covers the panel's lower part: scroll the field's list so it sits above it.
    float top_limit = win->InnerClipRect.Min.y, low_limit = std::min(win->InnerClipRect.Max.y, bottom);
    if (bb.Max.y > low_limit) ImGui::SetScrollY(win, win->Scroll.y + bb.Max.y - low_limit + st.ItemSpacing.y);
    else if (bb.Min.y < top_limit) ImGui::SetScrollY(win, win->Scroll.y - (top_limit - bb.Min.y) - st.ItemSpacing.y);
  }
  bool sent = mirror::take_submit();
  if (submitted) *submitted = sent && !multiline;
  return changed;
}

// Door status colours match web/map.js.
ImVec4 status_color(uint8_t s) {
  static const ImVec4 c[] = {{1, 1, 1, 1},         {0.60f, 0.65f, 0.69f, 1}, {0.18f, 0.62f, 0.27f, 1},
                             {0.75f, 0.22f, 0.17f, 1}, {0.50f, 0.55f, 0.55f, 1}, {0.50f, 0.55f, 0.55f, 1},
                             {0.20f, 0.29f, 0.37f, 1}, {0.56f, 0.27f, 0.68f, 1}, {0.88f, 0.66f, 0.f, 1},
                             {0.12f, 0.47f, 0.71f, 1}};
  return s < std::size(c) ? c[s] : c[0];
}

std::string label_in(const std::string& lang, const std::string& lang_key_fallback,
                     const std::map<std::string, std::string>& labels) {
  auto it = labels.find(lang);
  if (it != labels.end()) return it->second;
  it = labels.find("en");
  if (it != labels.end()) return it->second;
  return labels.empty() ? lang_key_fallback : labels.begin()->second;
}

namespace {

// The language the door's script and survey are in: the resident's (state().door_lang) when the
// package has it, else the app's.
std::string door_language() {
  auto& s = app::state();
  return s.door_lang.empty() ? i18n::language() : s.door_lang;
}

std::string label(const std::string& fallback, const std::map<std::string, std::string>& labels) {
  return label_in(door_language(), fallback, labels);
}

// A resident's preferred language (a BCP 47 tag: the importer normalises voter files' "SPANISH")
// by the names the language menu uses; empty for English, the tag itself when the app has no name.
std::string language_name(const std::string& code) {
  if (code.empty() || code == "en") return "";
  bool cjk_ok = app::state().cjk_font;
  if (code == "zh") return cjk_ok ? "中文" : "Chinese";
  std::vector<std::string> codes;
  for (const auto& l : i18n::languages()) codes.push_back(l.code);
  std::string m = canvass::walk_list::match_language(code, codes);
  for (const auto& l : i18n::languages())
    if (m == l.code) return l.cjk && !cjk_ok ? l.english : l.native;
  return code;
}

}  // namespace

namespace {
// Whether `address` already ends with `unit` after "#" or a unit word ("... Avenue #1205",
// "... Boulevard Apt 1510", "... Suite 1500"): then the title does not say the unit twice.
bool names_unit(const std::string& address, const std::string& unit) {
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  const std::string a = lower(address), u = lower(unit);
  if (u.empty() || a.size() <= u.size() || a.compare(a.size() - u.size(), u.size(), u) != 0) return false;
  std::string before = a.substr(0, a.size() - u.size());
  if (!before.empty() && before.back() == '#') return true;
  if (before.empty() || before.back() != ' ') return false;
  before.pop_back();
  for (const char* word : {"apt", "apt.", "unit", "ste", "ste.", "suite", "spc", "space", "rm", "room", "no.", "#"}) {
    const std::string w = std::string(" ") + word;
    if (before.size() >= w.size() && before.compare(before.size() - w.size(), w.size(), w) == 0) return true;
  }
  return false;
}
}  // namespace

std::string door_title(const canvass::PackageDoor& d) {
  std::string t = d.address;
  if (!d.unit.empty() && !names_unit(d.address, d.unit)) t += std::string(" · ") + tr("unit") + " " + d.unit;
  return t;
}

int per_row(const std::vector<std::string>& labels, float width, int most) {
  const float pad = ImGui::GetStyle().FramePadding.x * 2;
  float widest = 0;
  for (const auto& l : labels) widest = std::max(widest, ImGui::CalcTextSize(l.c_str(), nullptr, true).x + pad);
  int n = std::max(1, most);
  while (n > 1 && widest > cell_width(width, n)) --n;
  return n;
}

float cell_width(float width, int n) {
  return n <= 1 ? width : (width - ImGui::GetStyle().ItemSpacing.x * static_cast<float>(n - 1)) / static_cast<float>(n);
}

bool big_button(const char* text, float width, ImVec4 color) {
  bool colored = color.w > 0;
  if (colored) {
    ImGui::PushStyleColor(ImGuiCol_Button, color);
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, color);
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  }
  bool r = button(text, ImVec2(width, ImGui::GetFrameHeight() * 1.35f));
  if (colored) ImGui::PopStyleColor(3);
  return r;
}

namespace {

void survey(float w) {
  auto& s = app::state();
  const auto& pkg = s.session->package();
  for (const auto& q : pkg.survey) {
    ImGui::PushID(q.id.c_str());
    mirrored_text(Role::text, label(q.id, q.labels));
    auto it = s.draft.answers.find(q.id);
    auto picked = [&](const json::Value& v) { return it != s.draft.answers.end() && it->second == v; };
    auto choice_button = [&](const std::string& text, const json::Value& v, float bw) {
      bool on = picked(v);
      if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.11f, 0.31f, 0.54f, 1));
      if (on) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
      if (button(text.c_str(), ImVec2(bw, ImGui::GetFrameHeight() * 1.2f))) {
        if (on) s.draft.answers.erase(q.id);
        else s.draft.answers[q.id] = v;
      }
      if (on) ImGui::PopStyleColor(2);
    };
    std::vector<std::string> names;
    for (const auto& c : q.choices) names.push_back(label(c.id, c.labels));
    if (q.kind == "yes_no") {
      float bw = cell_width(w, per_row({tr("yes"), tr("no")}, w, 2));
      choice_button(tr("yes"), json::Value("yes"), bw);
      if (bw < w) ImGui::SameLine();
      choice_button(tr("no"), json::Value("no"), bw);
    } else if (q.kind == "free_text") {
      const std::string none;
      const std::string& cur = it != s.draft.answers.end() && it->second.is_string() ? it->second.as_string() : none;
      std::string typed, field = label(q.id, q.labels) + "##answer";
      if (text_field(field.c_str(), "…", cur, true, w, &typed)) app::set_answer(q.id, typed);
    } else if (q.kind == "multiple_choice") {
      // Several may be picked: the answer is the list of picked choice ids.
      int per = per_row(names, w, 2);
      float bw = cell_width(w, per);
      for (size_t c = 0; c < q.choices.size(); ++c) {
        if (c % per) ImGui::SameLine();
        json::Value id(q.choices[c].id);
        json::Value list = it != s.draft.answers.end() && it->second.is_array() ? it->second : json::Value::array();
        bool on = false;
        for (auto& e : list.as_array()) on = on || e == id;
        if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.11f, 0.31f, 0.54f, 1));
        if (on) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
        if (button(names[c].c_str(), ImVec2(bw, ImGui::GetFrameHeight() * 1.2f))) {
          json::Value next = json::Value::array();
          for (auto& e : list.as_array())
            if (!(e == id)) next.push(e);
          if (!on) next.push(id);
          if (next.size() == 0) s.draft.answers.erase(q.id);
          else s.draft.answers[q.id] = next;
          it = s.draft.answers.find(q.id);
        }
        if (on) ImGui::PopStyleColor(2);
      }
    } else if (!q.choices.empty()) {
      // A scale on one row when its labels fit, other choices two by two.
      int per = per_row(names, w, q.kind.rfind("scale", 0) == 0 ? static_cast<int>(q.choices.size()) : 2);
      float bw = cell_width(w, per);
      for (size_t c = 0; c < q.choices.size(); ++c) {
        if (c % per) ImGui::SameLine();
        choice_button(names[c], json::Value(q.choices[c].id), bw);
      }
    }
    ImGui::Spacing();
    ImGui::PopID();
  }
}

// The languages the door's script can switch between: its residents' (as the campaign has them)
// and the app's own, each once.
std::vector<std::string> door_languages(const canvass::Package& pkg, int door) {
  std::vector<std::string> out;
  auto add = [&](const std::string& l) {
    if (!l.empty() && std::find(out.begin(), out.end(), l) == out.end()) out.push_back(l);
  };
  for (int pi : pkg.doors[door].people)
    add(canvass::walk_list::match_language(pkg.people[pi].language, pkg.languages));
  std::string mine = canvass::walk_list::match_language(i18n::language(), pkg.languages);
  add(mine.empty() ? i18n::language() : mine);
  return out;
}

std::string language_label(const std::string& code) {
  std::string n = language_name(code);
  return n.empty() ? "English" : n;
}

// The script and survey open in the resident's language; one tap switches (door and script tabs).
void language_switch(float w) {
  auto& s = app::state();
  const auto& pkg = s.session->package();
  if (s.selected < 0 || s.selected >= static_cast<int>(pkg.doors.size())) return;
  auto langs = door_languages(pkg, s.selected);
  if (langs.size() < 2) return;
  ImGui::TextDisabled("%s", tr("script_in"));
  std::string cur = s.door_lang.empty() ? langs.back() : s.door_lang;
  std::vector<std::string> names;
  for (const auto& l : langs) names.push_back(language_label(l));
  int per = per_row(names, w, static_cast<int>(langs.size()));
  float bw = cell_width(w, per);
  ImGui::PushStyleVar(ImGuiStyleVar_SelectableTextAlign, ImVec2(0.5f, 0.5f));
  for (size_t k = 0; k < langs.size(); ++k) {
    if (k % per) ImGui::SameLine();
    ImGui::PushID(static_cast<int>(k));
    if (selectable(names[k].c_str(), cur == langs[k], Role::radio, ImVec2(bw, ImGui::GetFrameHeight())))
      app::set_door_language(langs[k]);
    ImGui::PopID();
  }
  ImGui::PopStyleVar();
}

void door_tab() {
  auto& s = app::state();
  const auto& pkg = s.session->package();
  if (s.selected < 0 || s.selected >= static_cast<int>(pkg.doors.size())) {
    mirrored_text(Role::text, tr("no_door"));
    return;
  }
  const auto& d = pkg.doors[s.selected];
  ImGui::BeginChild("door", ImVec2(0, 0), false);
  // A new door opens at its top (its heading and results), not where the last one was scrolled.
  static int shown_door = -1;
  // A correction starts at the top too: its banner and the result buttons that make it.
  static std::string shown_amend;
  if (shown_door != s.selected || (s.amending != shown_amend && !s.amending.empty())) ImGui::SetScrollY(0);
  shown_door = s.selected;
  shown_amend = s.amending;
  // Measured inside the list, so the right-hand buttons end before its scroll bar.
  float w = ImGui::GetContentRegionAvail().x;
  float sp = ImGui::GetStyle().ItemSpacing.x;
  ImGui::SetWindowFontScale(1.2f);
  mirrored_text(Role::heading, std::to_string(d.order) + ". " + door_title(d));
  ImGui::SetWindowFontScale(1.f);
  if (!d.safety.empty() || std::find(d.flags.begin(), d.flags.end(), "safety") != d.flags.end()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.75f, 0.22f, 0.17f, 1));
    mirrored_text(Role::text, std::string("⚠ ") + tr("safety") + (d.safety.empty() ? "" : ": " + d.safety));
    ImGui::PopStyleColor();
  }
  // Who lives here, at a glance and in one wrapped line: name, age, language, safety.
  if (!d.people.empty()) {
    std::string line;
    for (int pi : d.people) {
      const auto& p = pkg.people[pi];
      if (!line.empty()) line += "; ";
      line += p.first_name + " " + p.last_name;
      if (p.age >= 0) line += ", " + std::to_string(p.age);
      if (auto lang = language_name(p.language); !lang.empty()) line += " · " + lang;
      if (!p.safety.empty()) line += " ⚠ " + p.safety;
    }
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.25f, 0.28f, 0.33f, 1));
    mirrored_text(Role::text, line);
    ImGui::PopStyleColor();
  }

  if (!s.amending.empty()) {
    // A correction: the next result (or Save) replaces that record's; Cancel leaves it.
    std::string was;
    for (const auto* a : s.session->my_attempts())
      if (a->id == s.amending) was = tr(a->result.c_str());
    // One row (the result buttons stay on screen at 360x740): what is corrected, and Cancel.
    const char* cancel = tr("cancel_correct");
    float cw = ImGui::CalcTextSize(cancel).x + ImGui::GetStyle().FramePadding.x * 2;
    float y = ImGui::GetCursorPosY(), x = ImGui::GetCursorPosX();
    ImGui::PushTextWrapPos(x + w - cw - sp);
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.62f, 0.35f, 0.05f, 1));
    mirrored_text(Role::heading, std::string(tr("correcting")) + ": " + was);
    ImGui::PopStyleColor();
    ImGui::PopTextWrapPos();
    float y1 = ImGui::GetCursorPosY();
    ImGui::SetCursorPos(ImVec2(x + w - cw, y));
    if (button(cancel, ImVec2(cw, 0))) app::cancel_amend();
    app::note_item("cancel_correct");
    ImGui::SetCursorPosY(std::max(y1, ImGui::GetCursorPosY()));
  }
  ImGui::Separator();
  // The common results first and biggest; one tap records them (talked opens the survey). Two
  // by two, but a pair goes one per row when either's words would not fit half the row.
  auto pair = [&](const char* a, const char* b) { return cell_width(w, per_row({tr(a), b ? tr(b) : ""}, w, 2)); };
  float bw = pair("not_home", "talked");
  if (big_button(tr("not_home"), bw, ImVec4(0.45f, 0.50f, 0.55f, 1))) app::record("not_home");
  app::note_item("not_home");
  quick_record("not_home");
  if (bw < w) ImGui::SameLine();
  if (big_button(tr("talked"), bw, ImVec4(0.18f, 0.55f, 0.27f, 1))) s.draft.result = "talked";
  app::note_item("talked");
  bw = pair("refused", "come_back");
  if (big_button(tr("refused"), bw, ImVec4(0.70f, 0.22f, 0.17f, 1))) app::record("refused");
  app::note_item("refused");
  quick_record("refused");
  if (bw < w) ImGui::SameLine();
  if (big_button(tr("come_back"), bw, ImVec4(0.12f, 0.47f, 0.71f, 1))) app::record("come_back");
  app::note_item("come_back");
  quick_record("come_back");
  const char* more[] = {"lit_drop", "moved", "inaccessible", "wrong_address", "deceased"};
  for (size_t i = 0; i < std::size(more); ++i) {
    if (i % 2 == 0) bw = pair(more[i], i + 1 < std::size(more) ? more[i + 1] : nullptr);
    else if (bw < w) ImGui::SameLine();
    if (button(tr(more[i]), ImVec2(bw, 0))) app::record(more[i]);
    app::note_item(more[i]);
    quick_record(more[i]);
  }
  language_switch(w);
  if (s.draft.result == "talked") {
    ImGui::Separator();
    if (!d.people.empty()) {
      ImGui::TextDisabled("%s", tr("who"));
      for (int pi : d.people) {
        const auto& p = pkg.people[pi];
        std::string name = p.first_name + " " + p.last_name;
        if (p.age >= 0) name += " (" + std::to_string(p.age) + ")";
        if (auto lang = language_name(p.language); !lang.empty()) name += " · " + lang;
        ImGui::PushID(pi);
        if (radio(name.c_str(), s.draft.person_id == p.id)) app::pick_resident(p.id);
        ImGui::PopID();
      }
      if (radio(tr("someone_else"), s.draft.person_id.empty())) s.draft.person_id.clear();
    }
    // A person not on the list: typed here, then added (Enter or the button) and picked.
    std::string typed, field = tr("new_resident");
    if (field.rfind("+ ", 0) == 0) field = field.substr(2);  // the field's name: "New resident"
    bool enter = false;
    if (text_field(field.c_str(), tr("name"), s.draft.new_resident, false, w, &typed, &enter)) s.draft.new_resident = typed;
    if (button(tr("new_resident"), ImVec2(w, 0)) || enter) app::add_resident();
    ImGui::TextDisabled("%s", tr("survey"));
    app::need_door_font();
    survey(w);
    // Recruiting: contact details and consent per purpose, each asked for, none assumed.
    ImGui::TextDisabled("%s", tr("sign_up"));
    auto& su = s.draft.signup;
    for (const char* f : {"name", "phone", "email"}) {
      const std::string& v = f[0] == 'n' ? su.name : f[0] == 'p' ? su.phone : su.email;
      ImGui::PushID(f);
      std::string value;
      if (text_field(tr(f), tr(f), v, false, w, &value)) app::set_signup(f, value);
      ImGui::PopID();
    }
    checkbox(tr("consent_call"), &su.call);
    checkbox(tr("consent_text"), &su.text_me);
    app::note_item("consent_text");
    checkbox(tr("consent_email"), &su.email_me);
    checkbox(tr("consent_volunteer"), &su.volunteer);
    app::note_item("consent_volunteer");
    checkbox(tr("consent_join"), &su.join);
    std::string notes;
    if (text_field(tr("notes"), tr("add_notes"), s.draft.notes, true, w, &notes)) app::set_notes(notes);
    app::note_item("notes");
    if (big_button(tr("save"), w, ImVec4(0.18f, 0.55f, 0.27f, 1))) app::save_draft();
    app::note_item("save");
  }
  // Earlier attempts by anyone on the turf (package and pull), then this phone's.
  auto hist = s.session->attempts_at(s.selected);
  if (!hist.empty() || !d.history.empty()) {
    ImGui::Separator();
    ImGui::TextDisabled("%s", tr("history"));
    // This phone's own records, each correctable here (the correction goes through the buttons above).
    const char* fix = tr("correct");
    float fw = std::max(kMinTarget * 2, ImGui::CalcTextSize(fix).x + ImGui::GetStyle().FramePadding.x * 2);
    for (auto it = hist.rbegin(); it != hist.rend(); ++it) {
      const auto* a = *it;
      ImGui::PushID(a->id.c_str());
      float x0 = ImGui::GetCursorPosX(), y = ImGui::GetCursorPosY();
      ImGui::PushTextWrapPos(x0 + w - fw - sp);
      ImGui::SetCursorPosY(y + (ImGui::GetFrameHeight() - ImGui::GetTextLineHeight()) / 2);
      mirrored_text(Role::text, std::string("• ") + tr(a->result.c_str()) + " · " + tr("by_you") +
                                    (a->amended ? std::string(" · ") + tr("corrected") : "") + (a->acked ? "  ✓" : ""));
      ImGui::PopTextWrapPos();
      float y1 = ImGui::GetCursorPosY();
      ImGui::SetCursorPos(ImVec2(x0 + w - fw, y));
      if (button(fix, ImVec2(fw, 0))) app::start_amend(a->id);
      if (it == hist.rbegin()) app::note_item("correct");
      ImGui::SetCursorPosY(std::max(y1, ImGui::GetCursorPosY()));
      ImGui::PopID();
    }
    for (auto it = d.history.rbegin(); it != d.history.rend(); ++it)
      mirrored_text(Role::text, std::string("• ") + tr(it->result.c_str()) + (it->canvasser.empty() ? "" : " · " + it->canvasser));
  }
  ImGui::Spacing();
  bw = pair("skip", "next_door");
  if (button(tr("skip"), ImVec2(bw, 0))) app::skip_door();
  app::note_item("skip");
  if (bw < w) ImGui::SameLine();
  if (button(tr("next_door"), ImVec2(bw, 0))) app::next_door();
  app::note_item("next_door");
  ImGui::Spacing();
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.70f, 0.12f, 0.10f, 1));
  if (button(tr("unsafe"), ImVec2(w, 0))) app::leave_unsafe();
  ImGui::PopStyleColor();
  app::note_item("unsafe");
  ImGui::EndChild();
}

void script_tab() {
  auto& s = app::state();
  const auto& script = s.session->package().script;
  auto it = script.find(door_language());
  if (it == script.end()) {
    std::vector<std::string> keys;
    for (auto& [k, v] : script) keys.push_back(k);
    it = script.find(canvass::walk_list::match_language(door_language(), keys));
  }
  if (it == script.end()) it = script.find("en");
  if (it == script.end()) it = script.begin();
  if (it == script.end()) return;
  ImGui::BeginChild("script", ImVec2(0, 0), false);
  app::need_door_font();
  language_switch(ImGui::GetContentRegionAvail().x);
  for (const auto& sec : it->second) {
    if (!sec.branch_question.empty()) {
      // A branch shows once its answer is picked at this door (the canvasser may look ahead too).
      auto a = s.draft.answers.find(sec.branch_question);
      bool taken = a != s.draft.answers.end() && a->second == json::Value(sec.branch_answer);
      if (!taken) ImGui::PushStyleVar(ImGuiStyleVar_Alpha, 0.45f);
      ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.11f, 0.31f, 0.54f, 1));
      mirrored_text(Role::heading, "↳ " + sec.title);
      ImGui::PopStyleColor();
      mirrored_text(Role::text, app::with_name(sec.text));
      if (!taken) ImGui::PopStyleVar();
      ImGui::Spacing();
      continue;
    }
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.11f, 0.31f, 0.54f, 1));
    mirrored_text(Role::heading, sec.title);
    ImGui::PopStyleColor();
    mirrored_text(Role::text, app::with_name(sec.text));
    ImGui::Spacing();
  }
  ImGui::EndChild();
}

void settings_tab() {
  auto& s = app::state();
  ImGui::BeginChild("settings", ImVec2(0, 0), false);
  float w = ImGui::GetContentRegionAvail().x;
  float sp = ImGui::GetStyle().ItemSpacing.x;
  if (s.sandbox == app::Sandbox::off) {
    turf_switcher();
    if (button(tr("end_shift"), ImVec2(w, 0))) app::open_summary(true);
    app::note_item("end_shift");
    ImGui::Separator();
  }
  ImGui::TextDisabled("%s", tr("your_name"));
  std::string typed;
  if (text_field(tr("your_name"), "—", s.canvasser, false, w, &typed)) app::set_canvasser(typed);
  app::note_item("your_name");
  ImGui::TextDisabled("%s", tr("language"));
  // Two by two; a pair goes one per row when either name would not fit half the row.
  const auto& langs = i18n::languages();
  auto name = [&](size_t k) { return langs[k].cjk && !s.cjk_font ? langs[k].english : langs[k].native; };
  float lw = w;
  for (size_t k = 0; k < langs.size(); ++k) {
    if (k % 2 == 0) lw = cell_width(w, per_row({name(k), k + 1 < langs.size() ? name(k + 1) : ""}, w, 2));
    else if (lw < w) ImGui::SameLine();
    if (selectable(name(k), i18n::language() == langs[k].code, Role::radio, ImVec2(lw, ImGui::GetFrameHeight())))
      app::set_language(langs[k].code);
    app::note_item((std::string("lang_") + langs[k].code).c_str());
  }
  ImGui::Separator();
  bool m = s.show_map;
  if (checkbox(tr("show_map"), &m)) app::toggle_map();
  ImGui::Separator();
  ImGui::TextDisabled("%s", tr("text_size"));
  // Side by side while they fit the row, the rest on the next.
  const char* sizes[] = {"size_normal", "size_large", "size_largest"};
  const float sq = ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x;
  const float right = ImGui::GetCursorScreenPos().x + w;
  for (int k = 0; k < 3; ++k) {
    if (k && ImGui::GetItemRectMax().x + sp + sq + ImGui::CalcTextSize(tr(sizes[k])).x <= right) ImGui::SameLine();
    if (radio(tr(sizes[k]), s.text_size == k)) app::set_text_size(k);
    app::note_item(sizes[k]);
  }
  bool hc = s.high_contrast;
  if (checkbox(tr("high_contrast"), &hc)) app::set_high_contrast(hc);
  ImGui::EndChild();
}

}  // namespace

// The practice banner (every screen, never mistaken for a real shift) and the Help button.
void top_bar() {
  auto& s = app::state();
  float w = ImGui::GetContentRegionAvail().x;
  if (s.sandbox != app::Sandbox::off) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.62f, 0.25f, 0.f, 1));
    mirrored_text(Role::heading, tr(s.sandbox == app::Sandbox::preview ? "preview_banner" : "practice_banner"));
    ImGui::PopStyleColor();
  }
  std::string line;
  if (s.session && s.session->has_package() && s.phase == app::Phase::ready) {
    int done = s.session->doors_done(), total = static_cast<int>(s.session->package().doors.size());
    line = s.session->package().turf_name + "  " + std::to_string(done) + "/" + std::to_string(total) + " " + tr("done_of");
  }
  const char* help = s.help_open ? tr("back") : tr("help");
  float hw = std::max(kMinTarget * 2, ImGui::CalcTextSize(help).x + ImGui::GetStyle().FramePadding.x * 2);
  bool end_practice = s.sandbox == app::Sandbox::practice;
  const char* endp = tr("practice_end");
  float ew = end_practice ? ImGui::CalcTextSize(endp).x + ImGui::GetStyle().FramePadding.x * 2 : 0;
  float y = ImGui::GetCursorPosY();
  if (!line.empty()) {
    ImGui::SetCursorPosY(y + (ImGui::GetFrameHeight() - ImGui::GetTextLineHeight()) / 2);
    ImGui::PushClipRect(ImGui::GetCursorScreenPos(),
                        ImVec2(ImGui::GetCursorScreenPos().x + w - hw - ew - 16, ImGui::GetCursorScreenPos().y + 100), true);
    ImGui::TextUnformatted(line.c_str());
    mirror::add_last_item(Role::text, line);  // the turf and its progress, for screen readers too
    ImGui::PopClipRect();
    ImGui::SameLine();
  }
  ImGui::SetCursorPos(ImVec2(ImGui::GetStyle().WindowPadding.x + w - hw - (end_practice ? ew + 8 : 0), y));
  if (end_practice) {
    if (button(endp, ImVec2(ew, 0))) app::open_practice(false);
    app::note_item("practice_end");
    ImGui::SameLine(0, 8);
  }
  if (button(help, ImVec2(hw, 0))) app::open_help(!s.help_open);
  app::note_item("help");
}

void apply_style(float font_px, bool high_contrast) {
  ImGuiStyle& st = ImGui::GetStyle();
  st = ImGuiStyle();
  ImGui::StyleColorsLight(&st);
  // Frame height (font + 2 x padding) is every button's, tab's, checkbox's and radio's height.
  st.FramePadding = ImVec2(12, std::max(10.f, std::ceil((kMinTarget - font_px) / 2)));
  st.ItemSpacing = ImVec2(10, 10);
  st.ItemInnerSpacing = ImVec2(8, 6);
  st.WindowPadding = ImVec2(12, 10);
  st.ScrollbarSize = 12;
  st.FrameRounding = 8;
  st.GrabRounding = 6;
  st.TouchExtraPadding = ImVec2(4, 4);
  st.WindowRounding = 0;
  st.WindowBorderSize = 0;
  st.Colors[ImGuiCol_WindowBg] = ImVec4(0.96f, 0.96f, 0.95f, 1);
  st.Colors[ImGuiCol_Button] = ImVec4(0.86f, 0.89f, 0.93f, 1);
  st.Colors[ImGuiCol_ButtonHovered] = ImVec4(0.80f, 0.85f, 0.92f, 1);
  st.Colors[ImGuiCol_ButtonActive] = ImVec4(0.70f, 0.78f, 0.90f, 1);
  if (high_contrast) {  // black on white, every frame outlined
    st.FrameBorderSize = 2;
    st.TabBorderSize = 2;
    st.Colors[ImGuiCol_Text] = ImVec4(0, 0, 0, 1);
    st.Colors[ImGuiCol_TextDisabled] = ImVec4(0.15f, 0.15f, 0.15f, 1);
    st.Colors[ImGuiCol_WindowBg] = ImVec4(1, 1, 1, 1);
    st.Colors[ImGuiCol_ChildBg] = ImVec4(1, 1, 1, 1);
    st.Colors[ImGuiCol_Border] = ImVec4(0, 0, 0, 1);
    st.Colors[ImGuiCol_Button] = ImVec4(1, 1, 1, 1);
    st.Colors[ImGuiCol_ButtonHovered] = ImVec4(0.85f, 0.85f, 0.85f, 1);
    st.Colors[ImGuiCol_ButtonActive] = ImVec4(0.7f, 0.7f, 0.7f, 1);
    st.Colors[ImGuiCol_FrameBg] = ImVec4(1, 1, 1, 1);
    st.Colors[ImGuiCol_CheckMark] = ImVec4(0, 0, 0, 1);
    st.Colors[ImGuiCol_Tab] = ImVec4(0.9f, 0.9f, 0.9f, 1);
    st.Colors[ImGuiCol_TabActive] = ImVec4(0, 0, 0, 1);
    st.Colors[ImGuiCol_Header] = ImVec4(0.8f, 0.8f, 0.8f, 1);
    st.Colors[ImGuiCol_Separator] = ImVec4(0, 0, 0, 1);
  }
}

namespace {
// One tab, drawn as ImGui draws a tab bar's and pressed as a button is (on release, so a drag
// does not switch). `key` is its id: the same in every language.
bool tab_button(const char* label, const char* key, bool selected, float width) {
  ImGuiWindow* win = ImGui::GetCurrentWindow();
  const ImGuiStyle& st = ImGui::GetStyle();
  const ImGuiID id = win->GetID(key);
  const ImVec2 pos = win->DC.CursorPos;
  const ImRect bb(pos, ImVec2(pos.x + width, pos.y + ImGui::GetFrameHeight()));
  ImGui::ItemSize(bb, st.FramePadding.y);
  bool pressed = false;
  if (ImGui::ItemAdd(bb, id)) {
    bool hovered, held;
    pressed = ImGui::ButtonBehavior(bb, id, &hovered, &held);
    const ImVec4 bg = st.Colors[selected ? ImGuiCol_TabActive : held || hovered ? ImGuiCol_TabHovered : ImGuiCol_Tab];
    ImGui::TabItemBackground(win->DrawList, bb, 0, ImGui::GetColorU32(bg));
    // White words on a dark tab (high contrast's selected tab is black).
    bool dark = 0.299f * bg.x + 0.587f * bg.y + 0.114f * bg.z < 0.45f;
    ImGui::PushStyleColor(ImGuiCol_Text, dark ? ImVec4(1, 1, 1, 1) : st.Colors[ImGuiCol_Text]);
    ImGui::RenderTextClipped(ImVec2(bb.Min.x + st.FramePadding.x, bb.Min.y), ImVec2(bb.Max.x - st.FramePadding.x, bb.Max.y),
                             label, nullptr, nullptr, ImVec2(0.5f, 0.5f), &bb);
    ImGui::PopStyleColor();
  }
  mirror::add_last_item(Role::tab, label, selected);
  return mirror::take_activation() || pressed;
}

// The four tabs over the canvasser's screens. One row when their words fit side by side (the
// row shared out), else two by two, else one per row: at every text size every tab's label is
// whole and every tab a frame height (>= 44 px) tall. Measured each frame, in the language shown.
void tab_strip() {
  auto& s = app::state();
  struct Entry {
    const char* key;
    app::Tab tab;
  };
  static const Entry tabs[] = {{"doors", app::Tab::doors}, {"door", app::Tab::door}, {"script", app::Tab::script},
                               {"settings", app::Tab::settings}};
  constexpr int n = static_cast<int>(std::size(tabs));
  const ImGuiStyle& st = ImGui::GetStyle();
  const float w = ImGui::GetContentRegionAvail().x, gap = st.ItemInnerSpacing.x;
  float natural[n], sum = 0, widest = 0;
  for (int i = 0; i < n; ++i) {
    natural[i] = ImGui::CalcTextSize(tr(tabs[i].key)).x + st.FramePadding.x * 2;
    sum += natural[i];
    widest = std::max(widest, natural[i]);
  }
  const int per = sum + gap * (n - 1) <= w ? n : widest <= (w - gap) / 2 ? 2 : 1;
  const float share = (w - sum - gap * (n - 1)) / n;  // one row: what each tab gets beyond its words
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(gap, gap));
  for (int i = 0; i < n; ++i) {
    if (i % per) ImGui::SameLine();
    float tw = per == n ? natural[i] + share : per == 2 ? (w - gap) / 2 : w;
    if (tab_button(tr(tabs[i].key), tabs[i].key, s.tab == tabs[i].tab, tw)) s.tab = tabs[i].tab;
    app::note_item(tabs[i].key);
  }
  ImGui::PopStyleVar();
  // The line under the tabs, as ImGui's tab bar draws it.
  ImGuiWindow* win = ImGui::GetCurrentWindow();
  const float y = ImGui::GetItemRectMax().y - 1;
  win->DrawList->AddLine(ImVec2(win->DC.CursorPos.x - std::floor(st.WindowPadding.x / 2), y),
                         ImVec2(win->DC.CursorPos.x + w + std::floor(st.WindowPadding.x / 2), y),
                         ImGui::GetColorU32(ImGuiCol_TabActive), 1.f);
}

// The first-open name prompt: a dialog in the panel (the mirror holds only its controls, and the
// page marks #mirror as a dialog named by its title). Enter in the field confirms.
void name_dialog() {
  auto& s = app::state();
  mirror::begin_dialog(tr("name_title"));
  float w = ImGui::GetContentRegionAvail().x;
  mirrored_text(Role::heading, tr("name_title"));
  mirrored_text(Role::text, tr("name_why"));
  std::string typed;
  bool enter = false;
  if (text_field(tr("your_name"), "", s.name_draft, false, w, &typed, &enter)) s.name_draft = typed;
  float bw = cell_width(w, per_row({tr("not_now"), tr("ok")}, w, 2));
  bool later = button(tr("not_now"), ImVec2(bw, 0));
  if (bw < w) ImGui::SameLine();
  bool ok = button(tr("ok"), ImVec2(bw, 0)) || enter;
  if (ok || later) app::answer_name(ok);
}
}  // namespace

bool draw() {
  auto& s = app::state();
  g_quick.clear();
  if (s.style_dirty) {
    apply_style(app::text_px(), s.high_contrast);
    s.style_dirty = false;
  }
  mirror::begin_frame();
  mirror::set_text_style(ImGui::GetFontSize(), ImGui::GetStyle().FramePadding.x, ImGui::GetStyle().FramePadding.y);
  ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  // A soft keyboard over the canvas (the visual viewport shrank, the canvas did not): the panel
  // is laid out in what shows above it, so its lists can scroll the focused field into view.
  float keyboard = mirror::keyboard_top();
  bool covered = keyboard >= kMinTarget * 3 && keyboard < io.DisplaySize.y;
  float panel_h = covered ? keyboard : io.DisplaySize.y;
  ImGui::SetNextWindowSize(ImVec2(io.DisplaySize.x, panel_h));
  // Typing in a short panel (a soft keyboard, a small window): the form gets the room, and the
  // top bar (kept in a sandbox: its banner) and the sync bar come back when the keyboard goes.
  bool typing_tight = mirror::focused() != 0 && panel_h < 400;
  ImGui::Begin("Doorstep", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  // The second-link dialog is all there is meanwhile; a tight panel while typing drops the bar
  // (but a practice or preview banner stays).
  if (s.phase != app::Phase::choose_link && (!typing_tight || s.sandbox != app::Sandbox::off)) top_bar();
  bool canvassing = s.phase == app::Phase::ready && s.session;
  if (s.asking_name) {
    name_dialog();
  } else if (s.help_open) {
    if (canvassing) sync_bar();
    help_screen();
  } else if (s.summary_open && canvassing) {
    sync_bar();
    summary_screen();
  } else {
    switch (s.phase) {
      case app::Phase::starting:
      case app::Phase::loading: start_screen("loading"); break;
      case app::Phase::no_link: start_screen("open_link"); break;
      case app::Phase::ended:
        if (s.session && s.sync.pending > 0) sync_bar();  // "N not yet sent": they still go out
        start_screen(s.finished ? "shift_finished" : "link_ended");
        break;
      case app::Phase::storage_error: start_screen("error_storage"); break;
      case app::Phase::other_tab: start_screen("other_tab"); break;
      case app::Phase::choose_link: link_dialog(); break;
      case app::Phase::ready: {
        if (!typing_tight) sync_bar();
        tab_strip();
        switch (s.tab) {
          case app::Tab::doors: doors_tab(); break;
          case app::Tab::door: door_tab(); break;
          case app::Tab::script: script_tab(); break;
          case app::Tab::settings: settings_tab(); break;
        }
        break;
      }
    }
  }
  ImGui::End();
  return mirror::end_frame();
}

namespace {
// The sync line as a sentence: without its leading mark ("✓ ", "• ").
std::string without_mark(std::string line) {
  for (const char* mark : {"✓ ", "• "})
    if (line.rfind(mark, 0) == 0) line = line.substr(std::string(mark).size());
  return line;
}
}  // namespace

const char* status_line() {
  auto& s = app::state();
  g_status.clear();
  if (s.phase == app::Phase::ended && s.session && s.sync.pending > 0) {
    // The link ended with records still on the phone: a screen reader hears that they wait.
    g_status = std::string(start_message()) + " " + without_mark(sync_summary()) + ".";
    return g_status.c_str();
  }
  if (s.phase != app::Phase::ready || !s.session) return start_message();
  const auto& pkg = s.session->package();
  bool flash = !s.flash.empty() && app::now_ms() < s.flash_until;
  // Just after a record the door recorded is said (the panel has moved on to the next one).
  int door = flash && s.recorded_door >= 0 ? s.recorded_door : s.selected;
  if (door >= 0 && door < static_cast<int>(pkg.doors.size())) {
    const auto& d = pkg.doors[door];
    g_status = std::string(tr("door")) + " " + std::to_string(d.order) + ": " + door_title(d) + " — " +
               tr(canvass::kStatusNames[s.session->door_status(door)].data()) + ". ";
  }
  if (s.sandbox != app::Sandbox::off)
    g_status += std::string(tr(s.sandbox == app::Sandbox::preview ? "preview_banner" : "practice_banner")) + ".";
  else
  {
    g_status += without_mark(sync_summary()) + ".";
  }
  // "Saved on phone" once the durable write of a record completed (the flash says it on screen).
  if (flash) {
    std::string f = s.flash;
    if (f.rfind("✓ ", 0) == 0) f = f.substr(std::string("✓ ").size());
    g_status += " " + f + ".";
    if (door != s.selected && s.selected >= 0 && s.selected < static_cast<int>(pkg.doors.size()))
      g_status += std::string(" ") + tr("next_door") + ": " + std::to_string(pkg.doors[s.selected].order) + ".";
  }
  return g_status.c_str();
}

}  // namespace doorstep::ui
