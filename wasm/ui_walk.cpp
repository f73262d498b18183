// The walk list (the Doors tab): "go to next door" one tap away, a search by address or name, and
// the doors under street and building headers with a building's units by floor
// (shared/canvass/walk_list), each with its status icon and colour. Virtualised with
// ImGuiListClipper: only the rows on screen are drawn (and mirrored), so 2,000 doors cost what 20 do.
#include <algorithm>
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
  }
  return g_rows.rows;
}

// One glyph per status beside its colour, so colour is never the only cue (all inside the
// subset of DejaVu Sans the page ships: wasm/module.cmake DEJAVU_RANGES).
const char* status_icon(uint8_t s) {
  static const char* icons[] = {"○", "◐", "✓", "×", "→", "◇", "†", "?", "▤", "↻"};
  return s < std::size(icons) ? icons[s] : icons[0];
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
  ImGui::BeginChild("doorlist", ImVec2(0, 0), false);
  // The clipper counts slots of equal height: a header takes one, a door (two lines, a finger
  // target) two, so headers stay compact and the list still virtualises.
  using K = canvass::walk_list::Row::Kind;
  const float sp_y = ImGui::GetStyle().ItemSpacing.y;
  const float row_h = std::max(kMinTarget, ImGui::GetFontSize() * 2.4f);
  const float slot = (row_h + sp_y) / 2;
  static std::vector<int> first_slot, row_of_slot;
  first_slot.clear();
  row_of_slot.clear();
  for (size_t r = 0; r < rows.size(); ++r) {
    first_slot.push_back(static_cast<int>(row_of_slot.size()));
    for (int k = rows[r].kind == K::door ? 2 : 1; k > 0; --k) row_of_slot.push_back(static_cast<int>(r));
  }
  if (s.scroll_to_selected) {
    for (size_t r = 0; r < rows.size(); ++r)
      if (rows[r].kind == K::door && rows[r].door == s.selected) {
        ImGui::SetScrollY(std::max(0.f, static_cast<float>(first_slot[r]) * slot - ImGui::GetWindowHeight() * 0.3f));
        break;
      }
    s.scroll_to_selected = false;
  }
  const float indent = ImGui::GetFontSize();
  const float top = ImGui::GetCursorPosY();
  int drawn = -1;  // the last row drawn: a door split between two clipper ranges is drawn once
  ImGuiListClipper clip;
  clip.Begin(static_cast<int>(row_of_slot.size()), slot);
  while (clip.Step()) {
    if (clip.DisplayStart >= clip.DisplayEnd) continue;
    for (int r = std::max(drawn + 1, row_of_slot[static_cast<size_t>(clip.DisplayStart)]);
         r < static_cast<int>(rows.size()) && first_slot[static_cast<size_t>(r)] < clip.DisplayEnd; ++r) {
      drawn = r;
      const auto& row = rows[static_cast<size_t>(r)];
      const float y = top + static_cast<float>(first_slot[static_cast<size_t>(r)]) * slot;
      ImGui::SetCursorPosY(y);
      ImGui::PushID(r);
      if (row.kind != K::door) {
        // Headers: the street dark blue, a building indented, its floors under it.
        std::string text = row.kind == K::floor   ? std::string(tr("floor")) + " " + std::to_string(row.floor)
                           : row.kind == K::units ? std::string(tr("units"))
                                                  : row.label;
        float x = row.kind == K::street ? 0.f : row.kind == K::building ? indent * 0.5f : indent;
        ImGui::SetCursorPos(ImVec2(ImGui::GetCursorPosX() + x, y + slot - sp_y - ImGui::GetTextLineHeight()));
        ImGui::PushStyleColor(ImGuiCol_Text, row.kind == K::street ? ImVec4(0.07f, 0.20f, 0.38f, 1) : ImVec4(0.30f, 0.33f, 0.38f, 1));
        ImGui::TextUnformatted(text.c_str());
        ImGui::PopStyleColor();
        mirror::add_last_item(Role::heading, text);
        ImGui::PopID();
        continue;
      }
      int i = row.door;
      const auto& d = pkg.doors[static_cast<size_t>(i)];
      uint8_t st = s.session->door_status(i);
      bool skipped = static_cast<size_t>(i) < s.skipped.size() && s.skipped[i] && st == 0;
      ImGui::SetCursorPosX(ImGui::GetCursorPosX() + indent * 0.5f);
      ImGui::ColorButton("##st", status_color(st), ImGuiColorEditFlags_NoTooltip | ImGuiColorEditFlags_NoDragDrop,
                         ImVec2(ImGui::GetFontSize() * 1.4f, row_h));
      {
        ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
        const char* icon = status_icon(st);
        ImVec2 ts = ImGui::CalcTextSize(icon);
        ImU32 col = st == 0 ? IM_COL32(60, 60, 60, 255) : IM_COL32(255, 255, 255, 255);
        ImGui::GetWindowDrawList()->AddText(ImVec2((a.x + b.x - ts.x) / 2, (a.y + b.y - ts.y) / 2), col, icon);
      }
      ImGui::SameLine();
      std::string status = skipped ? tr("skipped") : tr(canvass::kStatusNames[st].data());
      std::string line = std::to_string(d.order) + ". " + door_title(d) + "\n    " + status;
      if (!d.safety.empty()) line += "  ⚠";
      if (selectable(line.c_str(), s.selected == i, Role::listitem, ImVec2(0, row_h))) app::select_door(i, false);
      ImGui::PopID();
    }
    ImGui::SetCursorPosY(top + static_cast<float>(clip.DisplayEnd) * slot);
  }
  clip.End();
  ImGui::EndChild();
}

}  // namespace doorstep::ui
