// The end-of-shift summary screen (from Settings): doors knocked, conversations, sign-ups and the
// spread of the survey's 1-5 support question for this phone's records, then "Finish", which
// removes the turf from the phone once everything is sent and otherwise says what is waiting.
// Leaves out the counting and the wipe (wasm/app_shift.cpp, wasm/app.cpp).
#include <algorithm>
#include <string>

#include "imgui.h"
#include "wasm/app.h"
#include "wasm/i18n.h"
#include "wasm/ui_widgets.h"

namespace doorstep::ui {

using i18n::tr;
using mirror::Role;

void summary_screen() {
  auto& s = app::state();
  ImGui::BeginChild("summary", ImVec2(0, 0), false);
  float w = ImGui::GetContentRegionAvail().x;
  ImGui::SetWindowFontScale(1.2f);
  mirrored_text(Role::heading, tr("end_shift"));
  ImGui::SetWindowFontScale(1.f);
  app::ShiftSummary sum = app::shift_summary();
  // One wrapped line (the top bar names the turf): the Finish button stays on the first screen.
  mirrored_text(Role::text, std::string(tr("sum_doors")) + ": " + std::to_string(sum.doors) + " · " + tr("sum_contacts") +
                                ": " + std::to_string(sum.contacts) + " · " + tr("sum_signups") + ": " +
                                std::to_string(sum.signups));
  if (s.finish_refused && (s.sync.pending > 0 || s.sync.unsaved > 0)) {
    std::string t = tr("finish_refused");
    if (auto at = t.find("%s"); at != std::string::npos)
      t.replace(at, 2, std::to_string(std::max(s.sync.pending, s.sync.unsaved)));
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.75f, 0.12f, 0.10f, 1));
    mirrored_text(Role::text, t);
    ImGui::PopStyleColor();
  }
  // Finish and Back before the support spread: both on the first screen at 360x740.
  if (big_button(tr("finish"), w, ImVec4(0.70f, 0.22f, 0.17f, 1))) app::finish_shift();
  app::note_item("finish");
  if (button(tr("back"), ImVec2(w, 0))) app::open_summary(false);
  app::note_item("summary_back");
  mirrored_text(Role::text, tr("finish_note"));
  if (s.link_waiting) mirrored_text(Role::text, tr("finish_then_link"));  // "Finish first" in the second-link dialog
  if (!sum.support_question.empty() && s.session) {
    ImGui::Separator();
    std::string q = sum.support_question;
    for (const auto& sq : s.session->package().survey)
      if (sq.id == sum.support_question) q = label_in(i18n::language(), sq.id, sq.labels);
    mirrored_text(Role::heading, std::string(tr("sum_support")) + ": " + q);
    int most = std::max(1, *std::max_element(sum.support, sum.support + 5));
    for (int k = 0; k < 5; ++k) {
      std::string t = std::to_string(k + 1) + ": " + std::to_string(sum.support[k]);
      ImGui::PushStyleColor(ImGuiCol_PlotHistogram, ImVec4(0.11f, 0.31f + 0.08f * k, 0.54f, 1));
      ImGui::ProgressBar(static_cast<float>(sum.support[k]) / static_cast<float>(most), ImVec2(w, 0), t.c_str());
      ImGui::PopStyleColor();
      mirror::add_last_item(Role::text, t);
    }
  }
  ImGui::EndChild();
}

}  // namespace doorstep::ui
