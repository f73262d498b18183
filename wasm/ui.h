// The canvasser panels drawn with Dear ImGui: status bar, tabs, walk list, door record, script and
// settings. No emscripten headers: everything page-related goes through wasm/app.h.
#pragma once
#include <cstdint>

namespace doorstep::ui {

void apply_style(float font_px, bool high_contrast);  // also applied by draw() when the settings change
bool draw();                  // one frame's UI; true when the accessible mirror changed
const char* status_line();    // what the aria-live mirror should say now
// A finger lifted on a one-tap result button of the last frame drawn (the touch began and ended
// inside it, no drag, nothing over it): records at once, outside a frame, so "saved" does not wait
// for two frames. True: taken (the platform turns the touch into a cancel, so ImGui does not press
// it again). False: ImGui takes the touch as usual.
bool quick_tap(float start_x, float start_y, float end_x, float end_y);
// The same for a press from the mirror (a click with no pointer: keyboard, screen reader) on the
// element `id` of such a button; false: the mirror's activation goes to the next frame as usual.
bool quick_activate(uint32_t id);

}  // namespace doorstep::ui
