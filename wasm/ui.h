// The canvasser panels drawn with Dear ImGui: status bar, tabs, walk list, door record, script and
// settings. No emscripten headers: everything page-related goes through wasm/app.h.
#pragma once

namespace doorstep::ui {

void apply_style(float font_px, bool high_contrast);  // also applied by draw() when the settings change
bool draw();                  // one frame's UI; true when the accessible mirror changed
const char* status_line();    // what the aria-live mirror should say now

}  // namespace doorstep::ui
