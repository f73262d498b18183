// The browser platform layer for Dear ImGui: input (touch, mouse, keys), canvas size and
// devicePixelRatio, render-on-demand scheduling, visibility and WebGL context loss. Plain C++ types
// only, so the UI code that calls it needs no emscripten headers. Text entry is not done in ImGui:
// a text field's mirror element is a real input over it (web/mirror.js, ui_widgets.h text_field),
// where the soft keyboard, IMEs and screen readers work.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

namespace doorstep::platform {

using DrawFn = std::function<void()>;  // builds one frame's UI between NewFrame and Render

// Binds to the canvas (CSS selector), creates the WebGL2 context and ImGui, and listens for
// pointer input on `input_selector`: an element exactly over the canvas (the accessible mirror),
// so input on the mirror's elements reaches the panel. Returns false when WebGL2 is unavailable
// (the page then shows its fallback text).
bool init(const char* canvas_selector, const char* input_selector, DrawFn draw);

// Asks for `n` more frames (input, data change, animation). Idle costs zero frames.
void request_frames(int n = 3);
uint64_t frames_rendered();
float device_pixel_ratio();
bool page_visible();

// Fonts: rebuilds the atlas from the main face plus an optional fallback face for CJK/Hangul,
// rasterising only the glyphs `sample_text` needs (keeps the atlas small).
void set_fonts(const std::string& main_ttf_path, const std::string& cjk_ttf_path, const std::string& sample_text,
               float size_px);

// Called when the page is hidden or about to be frozen: last chance to persist.
void on_hidden(std::function<void()> fn);

// Called when a finger lifts without having dragged (canvas CSS px of where it landed and lifted),
// before ImGui hears of it. Returning true takes the tap: ImGui gets a cancel instead of a release.
void on_tap(std::function<bool(float start_x, float start_y, float end_x, float end_y)> fn);

// No frame until release_frames() or `max_ms` from now: a tap recorded outside a frame lets the
// main thread answer the durable write first, then one frame shows the result ("saved" at once).
// Frames asked for meanwhile are drawn after; `on_release` runs first (the work held back with them).
void hold_frames(int max_ms, std::function<void()> on_release = nullptr);
// Runs fn in a task of its own once the next frame has been drawn (not if no frame comes: the
// caller keeps a fallback, as BrowserHost::after_frame does).
void after_frame(std::function<void()> fn);
void release_frames();

}  // namespace doorstep::platform
