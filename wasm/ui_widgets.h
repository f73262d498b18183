// The panels' controls that are also in the accessible mirror (wasm/mirror.h): each draws the
// ImGui widget, notes it in the mirror with its role and label, and takes a press that came from
// the page (keyboard, screen reader) as one tap. Shared by the panel files (ui*.cpp); defined in
// wasm/ui.cpp. Leaves out layout (each screen sizes its own controls) but for the rule that rows
// share at every text size (per_row).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "imgui.h"
#include "shared/canvass/turf_package.h"
#include "wasm/mirror.h"

namespace doorstep::ui {

// The smallest touch target, CSS px (WCAG 2.5.5): the frame height never goes below it.
constexpr float kMinTarget = 44.f;

bool button(const char* label, ImVec2 size = ImVec2(0, 0));
bool checkbox(const char* label, bool* v);
// A radio button whose label wraps beside its circle when it is wider than the row (a resident's
// long name at a large text size): never cut off at the screen's edge.
bool radio(const char* label, bool active);
// `wrap` > 0: the label's words wrap at that width inside the row (a door's long address), which
// keeps `size` (the caller gives it the height of the lines); else one line per "\n", as ImGui draws.
bool selectable(const char* label, bool selected, mirror::Role role, ImVec2 size, float wrap = 0);
void mirrored_text(mirror::Role role, const std::string& t);
// A text field (label: its accessible name; hint: shown while empty). The canvasser types in the
// page's real <input>/<textarea> over it (web/mirror.js); the value comes back through the mirror.
// Returns true when it changed (*out holds it); *submitted: Enter in a one-line field.
bool text_field(const char* label, const char* hint, const std::string& value, bool multiline, float width,
                std::string* out, bool* submitted = nullptr);
// Rows that fit at every text size (Settings: three sizes) in every language: how many of a group
// of controls with these labels go side by side in `width`. `most` when each label (its text and
// the frame's padding) fits an equal share of the row, else fewer, down to one per row.
int per_row(const std::vector<std::string>& labels, float width, int most);
// The width of each of `n` controls side by side in `width` (ItemSpacing between them).
float cell_width(float width, int n);
// A tall button for the common actions; `color` (alpha > 0) fills it with white text.
bool big_button(const char* text, float width, ImVec4 color = {0, 0, 0, 0});
// Door status colours (canvass::kStatusNames order), matching web/map.js.
ImVec4 status_color(uint8_t s);
// A package label in `lang`, else English, else any; `fallback` when there is none.
std::string label_in(const std::string& lang, const std::string& fallback, const std::map<std::string, std::string>& labels);
// "2301 Walgrove Ave · Unit 2".
std::string door_title(const canvass::PackageDoor& d);
// The practice/preview banner and the Help button: on every screen.
void top_bar();

// Screens drawn from the other panel files.
void doors_tab();          // wasm/ui_walk.cpp
void help_screen();        // wasm/ui_help.cpp
void start_screen(const char* message_key);  // no link, loading, ended: with practice and help
const char* start_message();  // what the start screen (and the status element) says in this phase
void summary_screen();     // wasm/ui_shift.cpp
void link_dialog();        // wasm/ui_turfs.cpp: a second link while another turf is unfinished
void turf_switcher();      // wasm/ui_turfs.cpp: the turfs kept here (Settings), when more than one
void sync_bar();           // wasm/ui_sync.cpp: on every canvasser screen
std::string sync_summary();  // the bar's first line ("• 3 not yet sent — Offline…")

}  // namespace doorstep::ui
