// The Help screen (one tap from every screen: the top bar's button) with the organizer's phone,
// the meeting place, the shift's end and the script FAQ from the package's campaign.help, and the
// start screens (no link, loading, link ended) with the way into practice mode. Leaves out the
// platform hints (install, in-app browser): those are page elements (web/platform.js).
#include <cstdio>
#include <string>

#include "imgui.h"
#include "shared/canvass/walk_list.h"
#include "wasm/app.h"
#include "wasm/i18n.h"
#include "wasm/ui_widgets.h"

namespace doorstep::ui {

using i18n::tr;
using mirror::Role;

void help_screen() {
  auto& s = app::state();
  ImGui::BeginChild("help", ImVec2(0, 0), false);
  float w = ImGui::GetContentRegionAvail().x;
  ImGui::SetWindowFontScale(1.2f);
  mirrored_text(Role::heading, tr("help"));
  ImGui::SetWindowFontScale(1.f);
  const canvass::PackageHelp* h = s.session && s.session->has_package() ? &s.session->package().help : nullptr;
  if (h && !h->organizer_phone.empty()) {
    std::string call = std::string(tr("help_call")) + ": " + (h->organizer_name.empty() ? "" : h->organizer_name + " · ") +
                       h->organizer_phone;
    if (big_button(call.c_str(), w, ImVec4(0.18f, 0.55f, 0.27f, 1))) app::call_organizer();
    app::note_item("help_call");
  } else if (h && !h->organizer_name.empty()) {
    mirrored_text(Role::text, h->organizer_name);
  }
  if (h && !h->meeting_place.empty()) {
    ImGui::TextDisabled("%s", tr("help_meet"));
    mirrored_text(Role::text, h->meeting_place);
  }
  if (h && !h->shift_end.empty()) {
    ImGui::TextDisabled("%s", tr("help_end"));
    mirrored_text(Role::text, h->shift_end);
  }
  if (!h || h->empty()) mirrored_text(Role::text, tr("help_none"));
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.70f, 0.12f, 0.10f, 1));
  mirrored_text(Role::text, tr("help_unsafe"));
  ImGui::PopStyleColor();
  if (h && !h->faq.empty()) {
    // The FAQ in the door's language when the organizer wrote it, else the app's, else English.
    std::vector<std::string> langs;
    for (auto& [l, e] : h->faq) langs.push_back(l);
    std::string want = s.door_lang.empty() ? i18n::language() : s.door_lang;
    std::string l = canvass::walk_list::match_language(want, langs);
    if (l.empty()) l = canvass::walk_list::match_language(i18n::language(), langs);
    if (l.empty()) l = h->faq.count("en") ? "en" : langs.front();
    ImGui::Separator();
    mirrored_text(Role::heading, tr("help_faq"));
    for (const auto& e : h->faq.at(l)) {
      ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.11f, 0.31f, 0.54f, 1));
      mirrored_text(Role::heading, e.q);
      ImGui::PopStyleColor();
      mirrored_text(Role::text, app::with_name(e.a));
      ImGui::Spacing();
    }
  }
  ImGui::Spacing();
  if (button(tr("back"), ImVec2(w, 0))) app::open_help(false);
  ImGui::EndChild();
}

const char* start_message() {
  auto& s = app::state();
  switch (s.phase) {
    case app::Phase::no_link: return tr("open_link");
    case app::Phase::ended: return tr(s.finished ? "shift_finished" : "link_ended");
    case app::Phase::storage_error: return tr("error_storage");
    case app::Phase::other_tab: return tr("other_tab");
    case app::Phase::choose_link: return tr("other_turf_title");
    case app::Phase::loading:
      // The first download failed: why it waits, and that it retries by itself.
      if (s.load_failures > 0) return tr(!s.sync.online || s.sync.trouble == app::Trouble::offline ? "load_offline" : "load_server");
      return tr("loading");
    default: return tr("loading");
  }
}

void start_screen(const char* message_key) {
  auto& s = app::state();
  float w = ImGui::GetContentRegionAvail().x;
  ImGui::Spacing();
  if (s.phase == app::Phase::loading && s.load_failures > 0 && !s.confirm_download) {
    mirrored_text(Role::text, start_message());
    if (big_button(tr("try_again"), w, ImVec4(0.11f, 0.31f, 0.54f, 1))) app::retry_load();
    app::note_item("try_again");
    message_key = nullptr;
  }
  if (s.confirm_download && s.phase == app::Phase::loading) {
    // Mobile data: the size first, then the canvasser's tap.
    char size[32];
    std::snprintf(size, sizeof size, "%.1f MB", static_cast<double>(s.package_bytes) / 1e6);
    std::string text = tr("package_size");
    if (auto at = text.find("%s"); at != std::string::npos) text.replace(at, 2, size);
    mirrored_text(Role::text, text);
    if (big_button(tr("download"), w, ImVec4(0.11f, 0.31f, 0.54f, 1))) app::download_package();
    app::note_item("download");
  } else if (message_key) {
    mirrored_text(Role::text, tr(message_key));
  }
  // Practice: from the bare page (no turf here) and while a link's doors download.
  bool offer = s.sandbox == app::Sandbox::off &&
               (s.phase == app::Phase::no_link || s.phase == app::Phase::loading || s.phase == app::Phase::ended);
  if (offer) {
    ImGui::Spacing();
    if (big_button(tr("practice_start"), w, ImVec4(0.62f, 0.35f, 0.05f, 1))) app::open_practice(true);
    app::note_item("practice_start");
  }
}

}  // namespace doorstep::ui
