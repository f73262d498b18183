// The sync bar, on every canvasser screen: how many records are not yet sent, why sending does
// not work when it does not (offline, link ended, server trouble, storage full), when the server
// last answered, "Send now", and the durable-save confirmation. Leaves out the policy (wasm/app.cpp):
// the bar only draws app::state().sync. Nothing here redraws by itself: the time is a clock time,
// so an idle phone draws nothing until something changes.
#include <algorithm>
#include <cstdint>
#include <ctime>
#include <string>

#include "imgui.h"
#include "wasm/app.h"
#include "wasm/i18n.h"
#include "wasm/ui_widgets.h"

namespace doorstep::ui {

using i18n::tr;
using mirror::Role;

namespace {

// "14:05" in the phone's time zone. Kept for the minute it shows: the panel draws it every frame,
// and Emscripten's localtime_r reads the time zone from JavaScript Dates on every call (~20 ms of
// a first frame at 4x CPU).
std::string clock_time(int64_t ms) {
  static int64_t shown_minute = INT64_MIN;
  static std::string shown;
  const int64_t minute = ms / 60000;
  if (minute == shown_minute) return shown;
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", tm.tm_hour, tm.tm_min);
  shown_minute = minute;
  shown = buf;
  return shown;
}

const char* trouble_text(app::Trouble t) {
  switch (t) {
    case app::Trouble::offline: return tr("is_offline");
    case app::Trouble::link_ended: return tr("trouble_link");
    case app::Trouble::server: return tr("trouble_server");
    case app::Trouble::storage_full: return tr("trouble_storage");
    case app::Trouble::none: break;
  }
  return "";
}

}  // namespace

std::string sync_summary() {
  const auto& sv = app::state().sync;
  std::string text;
  if (sv.pending == 0 && sv.unsaved == 0) {
    text = std::string("✓ ") + tr("all_sent");
  } else {
    text = "• " + std::to_string(std::max(sv.pending, sv.unsaved)) + " " + tr("waiting");
    app::Trouble t = sv.trouble;
    if (t == app::Trouble::none && !sv.online) t = app::Trouble::offline;
    if (t != app::Trouble::none) text += std::string(" — ") + trouble_text(t);
    else if (sv.sending) text += std::string(" — ") + tr("sending");
  }
  return text;
}

void sync_bar() {
  auto& s = app::state();
  if (s.sandbox != app::Sandbox::off) return;  // nothing is sent: the banner above says so
  const auto& sv = s.sync;
  float w = ImGui::GetContentRegionAvail().x;
  float sp = ImGui::GetStyle().ItemSpacing.x;
  bool waiting = sv.pending > 0 || sv.unsaved > 0;
  bool undo = app::can_undo();
  bool flash = !s.flash.empty() && app::now_ms() < s.flash_until;
  ImVec4 col = !waiting                                   ? ImVec4(0.18f, 0.55f, 0.27f, 1)
               : sv.trouble == app::Trouble::storage_full ? ImVec4(0.75f, 0.12f, 0.10f, 1)
               : sv.trouble != app::Trouble::none || !sv.online ? ImVec4(0.70f, 0.40f, 0.f, 1)
                                                         : ImVec4(0.12f, 0.42f, 0.66f, 1);
  // One button at the right: Undo for 10 s after a record (sending goes on by itself meanwhile),
  // else Send now while anything waits. The text wraps beside it, so the bar stays two lines.
  const char* label = undo ? tr("undo") : waiting ? tr("send_now") : nullptr;
  float bw = label ? std::max(kMinTarget * 2, ImGui::CalcTextSize(label).x + ImGui::GetStyle().FramePadding.x * 2) : 0;
  float x0 = ImGui::GetCursorPosX(), y0 = ImGui::GetCursorPosY();
  ImGui::PushTextWrapPos(x0 + (label ? w - bw - sp : w));
  std::string line = sync_summary();
  bool one_line = !waiting && !flash && !undo && sv.last_sync_ms > 0;
  // All sent and nothing to say: one line ("✓ All sent · Last sent 14:05").
  if (one_line) line += std::string(" · ") + tr("last_sync") + " " + clock_time(sv.last_sync_ms);
  ImGui::PushStyleColor(ImGuiCol_Text, col);
  ImGui::TextWrapped("%s", line.c_str());
  mirror::add_last_item(Role::text, line);
  ImGui::PopStyleColor();
  std::string second;
  if (sv.last_sync_ms > 0 && !one_line) second = std::string(tr("last_sync")) + " " + clock_time(sv.last_sync_ms);
  if (!second.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.33f, 0.36f, 0.40f, 1));
    ImGui::TextWrapped("%s", second.c_str());
    mirror::add_last_item(Role::text, second);
    ImGui::PopStyleColor();
    if (flash) ImGui::SameLine();
  }
  if (flash) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.18f, 0.55f, 0.27f, 1));
    ImGui::TextWrapped("%s", s.flash.c_str());
    mirror::add_last_item(Role::text, s.flash);
    ImGui::PopStyleColor();
  }
  ImGui::PopTextWrapPos();
  if (label) {
    float y1 = ImGui::GetCursorPosY();
    ImGui::SetCursorPos(ImVec2(x0 + w - bw, y0));
    if (undo) {
      ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.93f, 0.80f, 0.45f, 1));
      if (button(label, ImVec2(bw, 0))) app::undo_last();
      ImGui::PopStyleColor();
      app::note_item("undo");
    } else {
      if (button(label, ImVec2(bw, 0))) app::send_now();
      app::note_item("send_now");
    }
    ImGui::SetCursorPosY(std::max(y1, ImGui::GetCursorPosY()));
  }
}

}  // namespace doorstep::ui
