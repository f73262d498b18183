// The walk list (the Doors tab): "go to next door" one tap away, a search by address or name, and
// the doors under street and building headers with a building's units by floor
// (shared/canvass/walk_list), each with its status icon and colour, its words wrapped (no address
// is cut at any text size). Virtualised with ImGuiListClipper: only the rows on screen are drawn
// (and mirrored), so 2,000 doors cost what 20 do.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "imgui.h"
#include "shared/canvass/walk_list.h"
#include "wasm/app.h"
#include "wasm/i18n.h"
#include "wasm/ui_widgets.h"

namespace doorstep::ui {

using i18n::tr;
using mirror::Role;

namespace {

// The rows, rebuilt only when the visiting order, the search or the package changes.
struct RowCache {
  const canvass::Package* pkg = nullptr;
  size_t doors = 0;
  std::vector<int> order;
  std::string search;
  std::vector<canvass::walk_list::Row> rows;
  int generation = 0;  // counts the rebuilds (the rows' offsets follow them)
};
RowCache g_rows;

const std::vector<canvass::walk_list::Row>& rows_for(const canvass::Session& se, const std::string& search) {
  const auto& pkg = se.package();
  if (g_rows.pkg != &pkg || g_rows.doors != pkg.doors.size() || g_rows.order != se.visit_order() || g_rows.search != search) {
    g_rows.pkg = &pkg;
    g_rows.doors = pkg.doors.size();
    g_rows.order = se.visit_order();
    g_rows.search = search;
    std::vector<bool> shown;
    if (!search.empty()) {
      shown.resize(pkg.doors.size());
      for (size_t i = 0; i < pkg.doors.size(); ++i) shown[i] = canvass::walk_list::matches(pkg, static_cast<int>(i), search);
    }
    g_rows.rows = canvass::walk_list::rows(pkg, g_rows.order, shown);
    ++g_rows.generation;
  }
  return g_rows.rows;
}

// One glyph per status beside its colour, so colour is never the only cue (all inside the
// subset of DejaVu Sans the page ships: wasm/module.cmake DEJAVU_RANGES).
const char* status_icon(uint8_t s) {
  static const char* icons[] = {"○", "◐", "✓", "×", "→", "◇", "†", "?", "▤", "↻"};
  return s < std::size(icons) ? icons[s] : icons[0];
}

// A door row's words: "12. 1234 South Westmoreland Avenue #1205 · Unit 1205", then its status
// under it (indented), with "⚠" when the door has a safety note. Also its accessible name.
std::string door_line(const canvass::PackageDoor& d, const std::string& status) {
  std::string line = std::to_string(d.order) + ". " + door_title(d) + "\n    " + status;
  if (!d.safety.empty()) line += "  ⚠";
  return line;
}

// "Floor 12": a header over a building's units on that floor.
std::string floor_words(int floor) { return std::string(tr("floor")) + " " + std::to_string(floor); }

// The status line as a door row shows it, for each status a door can show (for measuring).
std::vector<std::string> status_lines() {
  std::vector<std::string> out;
  for (auto name : canvass::kStatusNames) out.push_back(std::string("    ") + tr(name.data()) + "  ⚠");
  out.push_back(std::string("    ") + tr("skipped") + "  ⚠");
  return out;
}

// The list's heights. The clipper needs rows of known height, so rows cannot each grow with
// their words: every door row gets the lines of the longest address wrapped at the list's width
// (the scroll bar's room kept, so it does not depend on whether the list scrolls) and of the
// longest status, every header the lines of the longest header. Measured over all of the
// package's doors (a search does not change them) when the package, the language, the font
// (the text size) or the width changes, not each frame: 2,000 addresses are measured once.
struct Layout {
  // What it was measured for.
  const canvass::Package* pkg = nullptr;
  size_t doors = 0;
  const ImFont* font = nullptr;
  int glyphs = 0;  // the font's: the Korean/Chinese glyphs merged in change the widths
  float px = 0, width = 0;
  std::string words;  // the list's own words in the language shown
  // What was measured.
  float door_h = 0;    // a door row, a finger target at least (the item spacing under it apart)
  float header_h = 0;  // a header's lines
};
Layout g_layout;

// Room for a row's words (the list `width` less the scroll bar): a header's at its indent, a door's
// beside its status swatch.
float header_room(float width, canvass::walk_list::Row::Kind k) {
  using K = canvass::walk_list::Row::Kind;
  const float indent = ImGui::GetFontSize();
  return width - ImGui::GetStyle().ScrollbarSize - (k == K::street ? 0.f : k == K::building ? indent * 0.5f : indent);
}
float swatch_width() { return ImGui::GetFontSize() * 1.4f; }
float door_room(float width) {
  return width - ImGui::GetStyle().ScrollbarSize - ImGui::GetFontSize() * 0.5f - swatch_width() - ImGui::GetStyle().ItemSpacing.x;
}

const Layout& layout_for(const canvass::Package& pkg, float width) {
  using K = canvass::walk_list::Row::Kind;
  ImFont* font = ImGui::GetFont();
  const std::vector<std::string> statuses = status_lines();
  std::string words = std::string(tr("unit")) + "|" + tr("floor") + "|" + tr("units");
  for (const auto& l : statuses) words += "|" + l;
  Layout& L = g_layout;
  if (L.pkg == &pkg && L.doors == pkg.doors.size() && L.font == font && L.glyphs == font->Glyphs.Size &&
      L.px == ImGui::GetFontSize() && L.width == width && L.words == words)
    return L;
  L.pkg = &pkg;
  L.doors = pkg.doors.size();
  L.font = font;
  L.glyphs = font->Glyphs.Size;
  L.px = ImGui::GetFontSize();
  L.width = width;
  L.words = words;
  auto height = [](const std::string& t, float room) { return ImGui::CalcTextSize(t.c_str(), nullptr, false, std::max(1.f, room)).y; };
  const float line = ImGui::GetTextLineHeight();
  const float room = door_room(width);
  float title = line, status = line, header = line;
  for (const auto& st : statuses) status = std::max(status, height(st, room));
  header = std::max(header, height(tr("units"), header_room(width, K::units)));
  for (const auto& d : pkg.doors) {
    title = std::max(title, height(std::to_string(d.order) + ". " + door_title(d), room));
    header = std::max(header, height(canvass::walk_list::street_of(d), header_room(width, K::street)));
    header = std::max(header, height(canvass::walk_list::building_address(d), header_room(width, K::building)));
    int f = canvass::walk_list::floor_of(d.unit);
    if (f >= 0) header = std::max(header, height(floor_words(f), header_room(width, K::floor)));
  }
  // Two lines (the address, the status) have 0.4 of a line around them, as before addresses wrapped.
  L.door_h = std::ceil(std::max(kMinTarget, title + status + line * 0.4f));
  L.header_h = std::ceil(header);
  return L;
}

// Where each row starts in the list (and, last, where the list ends), whole pixels: rebuilt with
// the rows or the heights. A header is its lines and the item spacing, a door its row and the spacing.
struct Offsets {
  int generation = -1;
  float door_h = 0, header_h = 0;
  std::vector<int> top;
};
Offsets g_offsets;

const std::vector<int>& offsets_for(const std::vector<canvass::walk_list::Row>& rows, const Layout& L) {
  if (g_offsets.generation != g_rows.generation || g_offsets.door_h != L.door_h || g_offsets.header_h != L.header_h) {
    g_offsets.generation = g_rows.generation;
    g_offsets.door_h = L.door_h;
    g_offsets.header_h = L.header_h;
    const int sp = static_cast<int>(std::ceil(ImGui::GetStyle().ItemSpacing.y));
    const int door = static_cast<int>(L.door_h) + sp, header = static_cast<int>(L.header_h) + sp;
    g_offsets.top.assign(1, 0);
    for (const auto& r : rows)
      g_offsets.top.push_back(g_offsets.top.back() + (r.kind == canvass::walk_list::Row::Kind::door ? door : header));
  }
  return g_offsets.top;
}

}  // namespace

void doors_tab() {
  auto& s = app::state();
  const auto& pkg = s.session->package();
  float w = ImGui::GetContentRegionAvail().x;
  float sp = ImGui::GetStyle().ItemSpacing.x;
  if (big_button(tr("go_next"), w, ImVec4(0.11f, 0.31f, 0.54f, 1))) app::next_door();
  app::note_item("go_next");
  const char* clear = tr("search_clear");
  float cw = s.search.empty() ? 0 : ImGui::CalcTextSize(clear).x + ImGui::GetStyle().FramePadding.x * 2;
  std::string hint = std::string(tr("search")) + "…", typed;
  if (text_field(tr("search"), hint.c_str(), s.search, false, s.search.empty() ? w : w - cw - sp, &typed))
    app::set_search(typed);
  app::note_item("search");
  if (!s.search.empty()) {
    ImGui::SameLine();
    if (button(clear, ImVec2(cw, 0))) app::clear_search();
  }

  const auto& rows = rows_for(*s.session, s.search);
  if (rows.empty()) {
    mirrored_text(Role::text, pkg.doors.empty() ? tr("all_done") : tr("no_match"));
    return;
  }
  const Layout& L = layout_for(pkg, w);
  const std::vector<int>& top_of = offsets_for(rows, L);
  ImGui::BeginChild("doorlist", ImVec2(0, 0), false);
  // The clipper counts pixels (rows of two heights, each a whole number of them): a row is drawn
  // when any of its pixels shows, so 2,000 doors cost what the few on screen do.
  using K = canvass::walk_list::Row::Kind;
  if (s.scroll_to_selected) {
    for (size_t r = 0; r < rows.size(); ++r)
      if (rows[r].kind == K::door && rows[r].door == s.selected) {
        ImGui::SetScrollY(std::max(0.f, static_cast<float>(top_of[r]) - ImGui::GetWindowHeight() * 0.3f));
        break;
      }
    s.scroll_to_selected = false;
  }
  const float indent = ImGui::GetFontSize();
  const float room = door_room(w);
  const float top = ImGui::GetCursorPosY();
  int drawn = -1;  // the last row drawn: a row split between two clipper ranges is drawn once
  ImGuiListClipper clip;
  clip.Begin(top_of.back(), 1.f);
  while (clip.Step()) {
    if (clip.DisplayStart >= clip.DisplayEnd) continue;
    const int first = static_cast<int>(std::upper_bound(top_of.begin(), top_of.end(), clip.DisplayStart) - top_of.begin()) - 1;
    for (int r = std::max(drawn + 1, first); r < static_cast<int>(rows.size()) && top_of[static_cast<size_t>(r)] < clip.DisplayEnd; ++r) {
      drawn = r;
      const auto& row = rows[static_cast<size_t>(r)];
      const float y = top + static_cast<float>(top_of[static_cast<size_t>(r)]);
      ImGui::SetCursorPosY(y);
      ImGui::PushID(r);
      if (row.kind != K::door) {
        // Headers: the street dark blue, a building indented, its floors under it; a long one
        // wraps, its last line just over the doors it heads.
        std::string text = row.kind == K::floor ? floor_words(row.floor) : row.kind == K::units ? std::string(tr("units")) : row.label;
        float x = ImGui::GetCursorPosX() + (row.kind == K::street ? 0.f : row.kind == K::building ? indent * 0.5f : indent);
        float wrap = header_room(w, row.kind);
        float h = ImGui::CalcTextSize(text.c_str(), nullptr, false, wrap).y;
        ImGui::SetCursorPos(ImVec2(x, y + std::max(0.f, L.header_h - h)));
        ImGui::PushTextWrapPos(x + wrap);
        ImGui::PushStyleColor(ImGuiCol_Text, row.kind == K::street ? ImVec4(0.07f, 0.20f, 0.38f, 1) : ImVec4(0.30f, 0.33f, 0.38f, 1));
        ImGui::TextUnformatted(text.c_str());
        ImGui::PopStyleColor();
        ImGui::PopTextWrapPos();
        mirror::add_last_item(Role::heading, text);
        ImGui::PopID();
        continue;
      }
      int i = row.door;
      const auto& d = pkg.doors[static_cast<size_t>(i)];
      uint8_t st = s.session->door_status(i);
      bool skipped = static_cast<size_t>(i) < s.skipped.size() && s.skipped[i] && st == 0;
      const float x = ImGui::GetCursorPosX() + indent * 0.5f;
      ImGui::SetCursorPosX(x);
      ImGui::ColorButton("##st", status_color(st), ImGuiColorEditFlags_NoTooltip | ImGuiColorEditFlags_NoDragDrop,
                         ImVec2(swatch_width(), L.door_h));
      {
        ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
        const char* icon = status_icon(st);
        ImVec2 ts = ImGui::CalcTextSize(icon);
        ImU32 col = st == 0 ? IM_COL32(60, 60, 60, 255) : IM_COL32(255, 255, 255, 255);
        ImGui::GetWindowDrawList()->AddText(ImVec2((a.x + b.x - ts.x) / 2, (a.y + b.y - ts.y) / 2), col, icon);
      }
      // Beside the swatch, top to top (not SameLine, which would lower the row by the swatch's
      // frame padding): the words wrap inside the row, which has the lines for them.
      ImGui::SetCursorPos(ImVec2(x + swatch_width() + ImGui::GetStyle().ItemSpacing.x, y));
      std::string status = skipped ? tr("skipped") : tr(canvass::kStatusNames[st].data());
      std::string line = door_line(d, status);
      if (selectable(line.c_str(), s.selected == i, Role::listitem, ImVec2(0, L.door_h), room)) app::select_door(i, false);
      ImGui::PopID();
    }
    ImGui::SetCursorPosY(top + static_cast<float>(clip.DisplayEnd));
  }
  clip.End();
  ImGui::EndChild();
}

}  // namespace doorstep::ui
