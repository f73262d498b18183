// ImGui platform layer on <emscripten/html5.h> (see platform.h). Emscripten 3.1.6's GLFW mishandles
// touch, and ImGui 1.86 has no input queue or touch scrolling, so this file adds: one button
// transition per frame (a tap that starts and ends between two frames still clicks), drag-to-scroll
// with inertia, and frames only when something changed.
#include "wasm/platform.h"

#include <emscripten.h>
#include <emscripten/html5.h>

#include <GLES3/gl3.h>
#include <algorithm>
#include <iterator>
#include <cfloat>
#include <cstdio>
#include <cmath>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "imgui.h"
#include "imgui_internal.h"
#include "wasm/font_file.h"
#include "wasm/gl_draw.h"
#include "wasm/js_page.h"

namespace doorstep::platform {

namespace {
struct FontRequest {
  std::string main_ttf, cjk_ttf, sample;
  float size_px = 0;
};
std::optional<FontRequest> g_font_request;
void build_fonts(const FontRequest& r);
}  // namespace


namespace {

struct InputEvent {
  enum Kind { move, down, up, cancel, wheel } kind;
  float x = 0, y = 0;
};

struct State {
  std::string canvas;
  DrawFn draw;
  EMSCRIPTEN_WEBGL_CONTEXT_HANDLE gl = 0;
  int pending_frames = 0;
  bool raf_scheduled = false;
  uint64_t frames = 0;
  float dpr = 1;
  double css_w = 0, css_h = 0;
  bool visible = true;
  bool context_lost = false;
  std::deque<InputEvent> events;
  // Touch: a press becomes a drag after it moves more than kDragSlop CSS pixels.
  bool touch_active = false, dragging = false;
  long touch_id = -1;
  float start_x = 0, start_y = 0, last_y = 0;
  double last_move_ms = 0;
  float scroll_pending = 0, velocity = 0;  // px, px/ms
  ImGuiWindow* drag_window = nullptr;
  double last_time = 0;
  std::function<void()> hidden_fn;
  std::function<bool(float, float, float, float)> tap_fn;
  bool fonts_dirty = false;
  bool program_unchecked = false;  // a program made by gl_draw::create_device, its link not yet asked
  int remote_w = 0, remote_h = 0;  // the size last sent to the panel's worker
  std::vector<std::function<void()>> after_frame;  // platform::after_frame, run after the next frame
  // Atlases rasterised (doorstepStats.font_builds); none yet: no frame is drawn (no throwaway
  // default atlas before the app's first fonts).
  int font_builds = 0;
  // hold_frames: no animation frame until release_frames() or the timer (the frames asked for
  // meanwhile are kept and drawn then).
  bool held = false;
  long hold_timer = 0;
  std::function<void()> on_release;
};

State g;
constexpr float kDragSlop = 10.f;

void schedule();

void resize_canvas() {
  emscripten_get_element_css_size(g.canvas.c_str(), &g.css_w, &g.css_h);
  g.dpr = static_cast<float>(emscripten_get_device_pixel_ratio());
  const int w = static_cast<int>(std::lround(g.css_w * g.dpr)), h = static_cast<int>(std::lround(g.css_h * g.dpr));
  // Setting a WebGL canvas's size reallocates its drawing buffer, a wait for the GPU process each
  // time (160 ms under Lighthouse for width then height): only when the size changes. boot.js
  // sizes the canvas the same way before it creates the context.
  if (gl_draw::remote()) {  // the canvas is the panel worker's: it resizes it (web/panel_worker.js)
    if (g.remote_w != w || g.remote_h != h) gl_draw::resize_remote(w, h);
    g.remote_w = w, g.remote_h = h;
    return;
  }
  int cur_w = 0, cur_h = 0;
  emscripten_get_canvas_element_size(g.canvas.c_str(), &cur_w, &cur_h);
  if (cur_w != w || cur_h != h) emscripten_set_canvas_element_size(g.canvas.c_str(), w, h);
}

void apply_scroll(float dy) {
  if (!g.drag_window) return;
  ImGuiWindow* w = g.drag_window;
  // Scroll the innermost scrollable window under the finger; fall back to its parents.
  while (w && w->ScrollMax.y <= 0 && w->ParentWindow) w = w->ParentWindow;
  if (w) ImGui::SetScrollY(w, ImClamp(w->Scroll.y - dy, 0.f, w->ScrollMax.y));
}

// The panel's program is linked without waiting (gl_draw.h); whether it linked is asked once, well
// after the start-up, when the wait for the GPU process is short. A program that failed leaves a
// blank panel: the page's fallback text says so, and the driver's log goes to the console.
void check_program_later() {
  emscripten_set_timeout(
      [](void*) {
        const char* err = gl_draw::link_error();
        page::publish_stat("panel_linked", *err ? 0 : 1);  // doorstepStats: the check ran, and how it went
        if (!*err) return;
        std::fprintf(stderr, "doorstep: the panel cannot draw: %s\n", err);
        page::show_fallback();
      },
      5000, nullptr);
}

// The font atlas asked for (set_fonts) rasterised and uploaded: the longest single step of a
// frame that needs it. on_raf gives it an animation frame of its own, the draw the next one.
bool prepare_fonts() {
  if (g_font_request) {  // asked for during the last frame
    build_fonts(*g_font_request);
    g_font_request.reset();
  }
  if (!g.fonts_dirty) return false;
  gl_draw::upload_fonts();
  g.fonts_dirty = false;
  return true;
}

// present=false: the frame only advances ImGui (a press whose release is already queued); the
// next frame of the same animation frame draws.
void render_one(bool present = true) {
  if (g.context_lost || !g.visible) return;
  ImGuiIO& io = ImGui::GetIO();
  double now = emscripten_get_now();
  io.DeltaTime = g.last_time > 0 ? static_cast<float>(std::max(1.0, now - g.last_time) / 1000.0) : 1.f / 60.f;
  if (io.DeltaTime > 0.25f) io.DeltaTime = 1.f / 60.f;  // after idle, animations restart rather than jump
  g.last_time = now;
  io.DisplaySize = ImVec2(static_cast<float>(g.css_w), static_cast<float>(g.css_h));
  io.DisplayFramebufferScale = ImVec2(g.dpr, g.dpr);

  // Consume queued input until one button transition has happened this frame.
  while (!g.events.empty()) {
    InputEvent e = g.events.front();
    g.events.pop_front();
    bool stop = false;
    switch (e.kind) {
      case InputEvent::move: io.MousePos = ImVec2(e.x, e.y); break;
      case InputEvent::down: io.MousePos = ImVec2(e.x, e.y); io.MouseDown[0] = true; stop = true; break;
      case InputEvent::up: io.MouseDown[0] = false; stop = true; break;
      case InputEvent::cancel:  // a press that turned into a drag must not click anything
        io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
        io.MouseDown[0] = false;
        stop = true;
        break;
      case InputEvent::wheel: io.MouseWheel += e.y; break;
    }
    if (stop) break;
  }
  if (!g.events.empty()) g.pending_frames = std::max(g.pending_frames, 2);

  prepare_fonts();
  ImGui::NewFrame();
  if (g.scroll_pending != 0) {
    apply_scroll(g.scroll_pending);
    g.scroll_pending = 0;
  } else if (!g.touch_active && std::fabs(g.velocity) > 0.02f) {  // inertia after a fling
    apply_scroll(g.velocity * io.DeltaTime * 1000.f);
    g.velocity *= std::pow(0.995f, io.DeltaTime * 1000.f);
    g.pending_frames = std::max(g.pending_frames, 1);
  }
  g.draw();
  ImGui::Render();
  ++g.frames;
  page::frame_rendered(g.frames);
  if (!present) return;
  static const float kClear[4] = {0.96f, 0.96f, 0.95f, 1.f};
  gl_draw::render(ImGui::GetDrawData(), g.dpr, kClear);
  // The first frame drawn with a new program (start, a restored context); a worker checks its own
  // and says so itself (web/panel.js).
  if (g.program_unchecked && !gl_draw::remote()) {
    g.program_unchecked = false;
    check_program_later();
  }
}

// A tap's press and release usually arrive together (touchstart and touchend between two
// animation frames), and ImGui needs one frame for each: both run in this animation frame rather
// than a display refresh apart, so a tap reaches its button (and a record its durable write) one
// frame sooner (issue 15: tap -> saved).
bool tap_queued() {
  bool pressed = false;
  for (const auto& e : g.events) {
    if (e.kind == InputEvent::move) continue;
    if (!pressed && e.kind == InputEvent::down) { pressed = true; continue; }
    return pressed && e.kind == InputEvent::up;
  }
  return false;
}

// Each callback platform::after_frame() took, in a task of its own after this frame.
void run_after_frame() {
  for (auto& fn : g.after_frame) {
    auto* held = new std::function<void()>(std::move(fn));
    emscripten_set_timeout([](void* p) {
      std::unique_ptr<std::function<void()>> f(static_cast<std::function<void()>*>(p));
      (*f)();
    }, 0, held);
  }
  g.after_frame.clear();
}

EM_BOOL on_raf(double, void*) {
  g.raf_scheduled = false;
  if (g.held || g.pending_frames <= 0) return EM_FALSE;  // held: release_frames() schedules again
  if (g.font_builds == 0) return EM_FALSE;  // set_fonts() asks for frames once the app has chosen them
  if (!g.context_lost && !tap_queued() && prepare_fonts()) {  // a new atlas: the frame comes next
    schedule();
    return EM_FALSE;
  }
  --g.pending_frames;
  if (tap_queued()) render_one(false);
  render_one();
  if (g.pending_frames > 0) schedule();
  run_after_frame();
  return EM_FALSE;
}

void schedule() {
  if (g.raf_scheduled || g.held || !g.visible || g.context_lost) return;
  g.raf_scheduled = true;
  emscripten_request_animation_frame(on_raf, nullptr);
}

EM_BOOL on_resize(int, const EmscriptenUiEvent*, void*) {
  resize_canvas();
  request_frames(2);
  return EM_FALSE;
}

EM_BOOL on_mouse(int type, const EmscriptenMouseEvent* e, void*) {
  float x = static_cast<float>(e->targetX), y = static_cast<float>(e->targetY);
  if (type == EMSCRIPTEN_EVENT_MOUSEMOVE) g.events.push_back({InputEvent::move, x, y});
  else if (type == EMSCRIPTEN_EVENT_MOUSEDOWN && e->button == 0) g.events.push_back({InputEvent::down, x, y});
  else if (type == EMSCRIPTEN_EVENT_MOUSEUP && e->button == 0) g.events.push_back({InputEvent::up, x, y});
  else if (type == EMSCRIPTEN_EVENT_MOUSELEAVE) g.events.push_back({InputEvent::move, -FLT_MAX, -FLT_MAX});
  request_frames(3);
  return EM_TRUE;
}

EM_BOOL on_wheel(int, const EmscriptenWheelEvent* e, void*) {
  double dy = e->deltaY;
  if (e->deltaMode == DOM_DELTA_PIXEL) dy /= 100.0;
  g.events.push_back({InputEvent::wheel, 0, static_cast<float>(-dy)});
  request_frames(3);
  return EM_TRUE;
}

const EmscriptenTouchPoint* find_touch(const EmscriptenTouchEvent* e, long id) {
  for (int i = 0; i < e->numTouches; ++i)
    if (e->touches[i].identifier == id) return &e->touches[i];
  return nullptr;
}

EM_BOOL on_touch(int type, const EmscriptenTouchEvent* e, void*) {
  double now = emscripten_get_now();
  if (type == EMSCRIPTEN_EVENT_TOUCHSTART) {
    if (g.touch_active) return EM_TRUE;  // second finger: ignored (no pinch in the panel)
    const auto& t = e->touches[0];
    for (int i = 0; i < e->numTouches; ++i)
      if (e->touches[i].isChanged) { g.touch_id = e->touches[i].identifier; break; }
    const auto* p = find_touch(e, g.touch_id);
    if (!p) p = &t;
    g.touch_active = true;
    g.dragging = false;
    g.velocity = 0;
    g.start_x = static_cast<float>(p->targetX);
    g.start_y = g.last_y = static_cast<float>(p->targetY);
    g.last_move_ms = now;
    // Remember which window the finger landed in, for drag-to-scroll.
    g.drag_window = nullptr;
    ImGuiContext& ctx = *ImGui::GetCurrentContext();
    ImVec2 pos(g.start_x, g.start_y);
    for (int i = ctx.Windows.Size - 1; i >= 0; --i) {
      ImGuiWindow* w = ctx.Windows[i];
      if (w->Active && !w->Hidden && w->Rect().Contains(pos)) { g.drag_window = w; break; }
    }
    g.events.push_back({InputEvent::move, g.start_x, g.start_y});
    g.events.push_back({InputEvent::down, g.start_x, g.start_y});
  } else {
    const auto* p = find_touch(e, g.touch_id);
    if (!g.touch_active || !p) return EM_TRUE;
    float x = static_cast<float>(p->targetX), y = static_cast<float>(p->targetY);
    if (type == EMSCRIPTEN_EVENT_TOUCHMOVE) {
      if (!g.dragging && std::hypot(x - g.start_x, y - g.start_y) > kDragSlop) {
        g.dragging = true;
        g.events.push_back({InputEvent::cancel, 0, 0});
      }
      if (g.dragging) {
        float dy = y - g.last_y;
        double dt = std::max(1.0, now - g.last_move_ms);
        g.velocity = 0.8f * static_cast<float>(dy / dt) + 0.2f * g.velocity;
        g.scroll_pending += dy;
        g.last_y = y;
        g.last_move_ms = now;
      } else {
        g.events.push_back({InputEvent::move, x, y});
      }
    } else {  // end or cancel
      if (!g.dragging) {
        bool taken = type == EMSCRIPTEN_EVENT_TOUCHEND && g.tap_fn && g.tap_fn(g.start_x, g.start_y, x, y);
        // A taken tap whose press no frame has seen yet: ImGui hears nothing of it (no frame for
        // the press, none for a cancel). A press already seen is cancelled.
        auto down = std::find_if(g.events.rbegin(), g.events.rend(), [](const InputEvent& ev) { return ev.kind == InputEvent::down; });
        if (taken && down != g.events.rend()) g.events.erase(std::prev(down.base()), g.events.end());
        else if (type == EMSCRIPTEN_EVENT_TOUCHEND && !taken) g.events.push_back({InputEvent::up, x, y});
        else g.events.push_back({InputEvent::cancel, 0, 0});
      }
      if (now - g.last_move_ms > 80) g.velocity = 0;  // finger stopped before lifting: no fling
      g.touch_active = false;
      // Touch has no hover: park the pointer off-screen once the tap is processed.
      g.events.push_back({InputEvent::move, -FLT_MAX, -FLT_MAX});
    }
  }
  request_frames(3);
  return EM_TRUE;  // preventDefault: no synthetic mouse events, no page scroll
}

EM_BOOL on_key(int type, const EmscriptenKeyboardEvent* e, void*) {
  ImGuiIO& io = ImGui::GetIO();
  int code = static_cast<int>(e->keyCode);
  if (code <= 0 || code >= 512) return EM_FALSE;
  // Keys for a focused page control (a mirror element, a text field's input) are its own, not the panel's.
  if (type == EMSCRIPTEN_EVENT_KEYDOWN && page::focus_in_page_control()) return EM_FALSE;
  io.KeysDown[code] = type == EMSCRIPTEN_EVENT_KEYDOWN;
  io.KeyCtrl = e->ctrlKey;
  io.KeyShift = e->shiftKey;
  io.KeyAlt = e->altKey;
  request_frames(3);
  // Let the browser keep Tab, F5 and friends unless ImGui is navigating.
  return io.WantCaptureKeyboard && (code == 9 || code == 13 || (code >= 37 && code <= 40));
}

EM_BOOL on_visibility(int, const EmscriptenVisibilityChangeEvent* e, void*) {
  g.visible = !e->hidden;
  if (e->hidden) {
    if (g.hidden_fn) g.hidden_fn();
  } else {
    g.last_time = 0;
    request_frames(2);
  }
  return EM_FALSE;
}

EM_BOOL on_context_lost(int, const void*, void*) {
  g.context_lost = true;
  return EM_TRUE;
}

EM_BOOL on_context_restored(int, const void*, void*) {
  g.context_lost = false;
  emscripten_webgl_make_context_current(g.gl);
  g.program_unchecked = gl_draw::create_device();
  gl_draw::upload_fonts();
  request_frames(2);
  static int restored = 0;
  page::publish_stat("panel_restored", ++restored);  // as web/panel.js counts a worker's
  return EM_FALSE;
}

}  // namespace

bool init(const char* canvas_selector, const char* input_selector, DrawFn draw) {
  g.canvas = canvas_selector;
  g.draw = std::move(draw);
  EmscriptenWebGLContextAttributes attr;
  emscripten_webgl_init_context_attributes(&attr);
  attr.majorVersion = 2;
  attr.alpha = EM_FALSE;
  attr.antialias = EM_FALSE;
  attr.preserveDrawingBuffer = EM_FALSE;
  attr.powerPreference = EM_WEBGL_POWER_PREFERENCE_LOW_POWER;
  // ImGui's WebGL 2 backend needs no extension; enabling every one the browser lists (Emscripten's
  // default) is a getExtension round trip to the GPU process each, ~50 ms at 4x CPU on start-up.
  attr.enableExtensionsByDefault = EM_FALSE;
  if (!gl_draw::remote()) {  // drawn here; else the canvas and its context are the panel worker's
    g.gl = emscripten_webgl_create_context(canvas_selector, &attr);
    if (g.gl <= 0) return false;
    emscripten_webgl_make_context_current(g.gl);
  }

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // layout is code, not a file
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard | ImGuiConfigFlags_IsTouchScreen;
  io.KeyMap[ImGuiKey_Tab] = 9;
  io.KeyMap[ImGuiKey_LeftArrow] = 37;
  io.KeyMap[ImGuiKey_RightArrow] = 39;
  io.KeyMap[ImGuiKey_UpArrow] = 38;
  io.KeyMap[ImGuiKey_DownArrow] = 40;
  io.KeyMap[ImGuiKey_Enter] = 13;
  io.KeyMap[ImGuiKey_Escape] = 27;
  io.KeyMap[ImGuiKey_Space] = 32;
  io.KeyMap[ImGuiKey_Backspace] = 8;
  if (!gl_draw::create_device()) return false;
  g.program_unchecked = true;

  resize_canvas();
  const char* c = input_selector;
  emscripten_set_resize_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_FALSE, on_resize);
  emscripten_set_mousemove_callback(c, nullptr, EM_FALSE, on_mouse);
  emscripten_set_mousedown_callback(c, nullptr, EM_FALSE, on_mouse);
  emscripten_set_mouseup_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_FALSE, on_mouse);
  emscripten_set_mouseleave_callback(c, nullptr, EM_FALSE, on_mouse);
  emscripten_set_wheel_callback(c, nullptr, EM_FALSE, on_wheel);
  emscripten_set_touchstart_callback(c, nullptr, EM_FALSE, on_touch);
  emscripten_set_touchmove_callback(c, nullptr, EM_FALSE, on_touch);
  emscripten_set_touchend_callback(c, nullptr, EM_FALSE, on_touch);
  emscripten_set_touchcancel_callback(c, nullptr, EM_FALSE, on_touch);
  emscripten_set_keydown_callback(EMSCRIPTEN_EVENT_TARGET_DOCUMENT, nullptr, EM_FALSE, on_key);
  emscripten_set_keyup_callback(EMSCRIPTEN_EVENT_TARGET_DOCUMENT, nullptr, EM_FALSE, on_key);
  emscripten_set_visibilitychange_callback(nullptr, EM_FALSE, on_visibility);
  if (!gl_draw::remote()) {  // a worker's context restores itself and redraws its last frame
    emscripten_set_webglcontextlost_callback(canvas_selector, nullptr, EM_FALSE, on_context_lost);
    emscripten_set_webglcontextrestored_callback(canvas_selector, nullptr, EM_FALSE, on_context_restored);
  }
  EmscriptenVisibilityChangeEvent vis;
  if (emscripten_get_visibility_status(&vis) == EMSCRIPTEN_RESULT_SUCCESS) g.visible = !vis.hidden;
  request_frames(2);
  return true;
}

void request_frames(int n) {
  g.pending_frames = std::max(g.pending_frames, n);
  schedule();
}

uint64_t frames_rendered() { return g.frames; }
float device_pixel_ratio() { return g.dpr; }
bool page_visible() { return g.visible; }
void on_hidden(std::function<void()> fn) { g.hidden_fn = std::move(fn); }
void on_tap(std::function<bool(float, float, float, float)> fn) { g.tap_fn = std::move(fn); }

void hold_frames(int max_ms, std::function<void()> on_release) {
  if (g.hold_timer) emscripten_clear_timeout(g.hold_timer);
  if (g.held && g.on_release) g.on_release();  // a second hold: the first one's work is due now
  g.on_release = std::move(on_release);
  g.held = true;
  g.hold_timer = emscripten_set_timeout([](void*) { g.hold_timer = 0; release_frames(); }, max_ms, nullptr);
}

void after_frame(std::function<void()> fn) { g.after_frame.push_back(std::move(fn)); }

void release_frames() {
  if (!g.held) return;
  g.held = false;
  if (g.hold_timer) emscripten_clear_timeout(g.hold_timer);
  g.hold_timer = 0;
  if (auto fn = std::move(g.on_release)) fn();
  g.on_release = nullptr;
  schedule();
}

// A tap handled while the panel draws may ask for new fonts (a language, a name, a door whose
// resident reads Korean): the atlas is rebuilt before the next frame, never under the one being
// drawn (its glyphs would be freed mid-frame).
void set_fonts(const std::string& main_ttf, const std::string& cjk_ttf, const std::string& sample, float size_px) {
  g_font_request = FontRequest{main_ttf, cjk_ttf, sample, size_px};
  if (!ImGui::GetCurrentContext()->WithinFrameScope) {
    build_fonts(*g_font_request);
    g_font_request.reset();
  }
  request_frames(2);
}

namespace {
// The atlas built last: a request for the same files, size and glyphs (the package's text in
// letters the UI already has, the same language again) keeps it rather than rasterising anew.
struct BuiltFonts {
  std::string main_ttf, cjk_ttf;
  float size_px = 0, raster = 0;
  std::vector<ImWchar> ranges;  // zero-terminated; the atlas reads them when rasterised (next frame)
};
BuiltFonts g_built;

bool is_cjk(unsigned int c) {
  return (c >= 0x1100 && c <= 0x11FF) || (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xA960 && c <= 0xA97F) ||
         (c >= 0xAC00 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
         (c >= 0xFF00 && c <= 0xFFEF);
}

void build_fonts(const FontRequest& r) {
  const std::string& main_ttf = r.main_ttf;
  const std::string& cjk_ttf = r.cjk_ttf;
  const std::string& sample = r.sample;
  const float size_px = r.size_px;
  ImGuiIO& io = ImGui::GetIO();
  // Rasterise at the screen's density (capped at 2x: a CJK atlas grows with the square) and scale back.
  float raster = std::min(std::max(g.dpr, 1.f), 2.f);
  ImFontGlyphRangesBuilder b;
  b.AddRanges(io.Fonts->GetGlyphRangesDefault());
  // Punctuation whole; every other letter comes with the sample: the UI's and the package's text
  // (i18n::all_text lists the panels' symbols) and letters typed that the atlas lacked
  // (app::want_letters). Latin Extended-A, Armenian, arrows, marks and shapes rasterised whole
  // were ~590 of ~800 glyphs in the first atlas.
  static const ImWchar extra[] = {0x2010, 0x2027, 0};
  b.AddRanges(extra);
  // The sample's letters; without the CJK font, not its Korean, Chinese or Japanese ones: the Latin
  // font has none of them, and asking for them would only rebuild the atlas when a package's
  // Korean script arrives (nothing would look different).
  for (const char* p = sample.c_str(); *p;) {
    unsigned int c = 0;
    p += ImTextCharFromUtf8(&c, p, nullptr);
    if (c == 0) break;
    if (c > IM_UNICODE_CODEPOINT_MAX || (cjk_ttf.empty() && is_cjk(c))) continue;
    b.AddChar(static_cast<ImWchar>(c));
  }
  ImVector<ImWchar> built;
  b.BuildRanges(&built);
  std::vector<ImWchar> wanted(built.begin(), built.end());
  if (g.font_builds > 0 && g_built.main_ttf == main_ttf && g_built.cjk_ttf == cjk_ttf && g_built.size_px == size_px &&
      g_built.raster == raster && g_built.ranges == wanted)
    return;
  g_built = BuiltFonts{main_ttf, cjk_ttf, size_px, raster, std::move(wanted)};
  ++g.font_builds;
  page::publish_stat("font_builds", g.font_builds);
  io.Fonts->Clear();
  ImFontConfig cfg;
  cfg.OversampleH = 1;
  cfg.OversampleV = 1;
  cfg.PixelSnapH = true;
  ImFont* f = nullptr;
  if (auto [data, size] = read_font_file(main_ttf.c_str()); data) f = io.Fonts->AddFontFromMemoryTTF(data, size, size_px * raster, &cfg, g_built.ranges.data());
  if (!f) f = io.Fonts->AddFontDefault();
  if (!cjk_ttf.empty()) {
    ImFontConfig merge;
    merge.MergeMode = true;
    merge.OversampleH = 1;
    merge.OversampleV = 1;
    merge.PixelSnapH = true;
    if (auto [data, size] = read_font_file(cjk_ttf.c_str()); data)
      io.Fonts->AddFontFromMemoryTTF(data, size, size_px * raster, &merge, g_built.ranges.data());
  }
  io.FontGlobalScale = 1.f / raster;
  g.fonts_dirty = true;
}
}  // namespace

}  // namespace doorstep::platform
