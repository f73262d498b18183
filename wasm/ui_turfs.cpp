// Turfs side by side on one phone: the second-link dialog (a link opened while another turf is
// unfinished here: "Finish <turf> first" or "Keep both", refused at the limit) and the turf
// switcher in Settings. The dialog is mirrored as a dialog: while it is open the mirror holds only
// its controls. Leaves out what the choices do (wasm/app.cpp: keep_both, finish_other_first,
// switch_turf) and the finish itself (wasm/ui_shift.cpp).
#include <string>

#include "imgui.h"
#include "wasm/app.h"
#include "wasm/i18n.h"
#include "wasm/ui_widgets.h"

namespace doorstep::ui {

using i18n::tr;
using mirror::Role;

namespace {

std::string with_value(const char* key, const std::string& value) {
  std::string t = tr(key);
  if (auto at = t.find("%s"); at != std::string::npos) t.replace(at, 2, value);
  return t;
}

std::string turf_name(const app::StoredTurf& t) {
  return !t.name.empty() ? t.name : tr(t.ended ? "turf_ended" : "loading");
}

}  // namespace

// "Walgrove North: 17 doors left, 1 not yet sent".
std::string turf_line(const app::StoredTurf& t) {
  std::string line = turf_name(t) + ": " + with_value("doors_left", std::to_string(t.doors_left));
  line += ", " + std::to_string(t.unsent) + " " + tr("waiting");
  return line;
}

void link_dialog() {
  auto& s = app::state();
  app::StoredTurf other;
  for (const auto& t : app::stored_turfs())
    if (t.slot == s.other_turf.slot) other = t;
  mirror::begin_dialog(tr("other_turf_title"));
  float w = ImGui::GetContentRegionAvail().x;
  ImGui::Spacing();
  ImGui::SetWindowFontScale(1.2f);
  mirrored_text(Role::heading, tr("other_turf_title"));
  ImGui::SetWindowFontScale(1.f);
  mirrored_text(Role::text, turf_line(other));
  mirrored_text(Role::text, tr("other_turf_ask"));
  if (s.turf_limit) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.75f, 0.12f, 0.10f, 1));
    mirrored_text(Role::text, with_value("turf_limit", std::to_string(app::kMaxTurfs)));
    ImGui::PopStyleColor();
  }
  ImGui::Spacing();
  if (!other.name.empty()) {
    std::string finish = with_value("finish_first", other.name) + "##finish_first";
    if (big_button(finish.c_str(), w, ImVec4(0.11f, 0.31f, 0.54f, 1))) app::finish_other_first();
    app::note_item("finish_first");
  }
  if (big_button(tr("keep_both"), w)) app::keep_both();
  app::note_item("keep_both");
}

void turf_switcher() {
  auto turfs = app::stored_turfs();
  if (turfs.size() < 2) return;
  ImGui::TextDisabled("%s", tr("turfs_here"));
  mirror::add_last_item(Role::heading, tr("turfs_here"));
  for (const auto& t : turfs) {
    std::string label = turf_line(t) + "##turf" + std::to_string(t.slot);
    // A radio a finger tall; the line wraps beside it when the text size makes it long.
    if (radio(label.c_str(), t.active) && !t.active) app::switch_turf(t.slot);
    app::note_item(("turf_" + std::to_string(t.slot)).c_str());
  }
  ImGui::Separator();
}

}  // namespace doorstep::ui
