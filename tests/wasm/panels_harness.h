// What the panel tests share: an ImGui context with no renderer at a phone's size (frames built
// and thrown away, as ImGui's null backend does), finding and pressing controls through the
// accessible mirror, and a phone on a link over the recorded-call host. Leaves out the checks.
#pragma once
#include <doctest/doctest.h>
#include <unistd.h>

#include <cfloat>
#include <filesystem>
#include <string>

#include "imgui.h"
#include "tests/wasm/host_double.h"
#include "wasm/app.h"
#include "wasm/mirror.h"
#include "wasm/ui.h"

namespace doorstep::testing {

// One ImGui context with the default font and no renderer; frames are built and thrown away.
struct Headless {
  explicit Headless(float w = 360, float h = 474) {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(w, h);
    io.DeltaTime = 1.f / 60.f;
    ImFontConfig font;
    font.SizePixels = 17;  // the phone's text size (wasm/js_host.cpp kFontPx)
    io.Fonts->AddFontDefault(&font);
    unsigned char* px;
    int tw, th;
    io.Fonts->GetTexDataAsRGBA32(&px, &tw, &th);  // builds the atlas; no texture is uploaded
  }
  ~Headless() { ImGui::DestroyContext(); }
  // Rasterises the default font at `px` (what the browser's platform layer does for a text size).
  void font(float px) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    ImFontConfig cfg;
    cfg.SizePixels = px;
    io.Fonts->AddFontDefault(&cfg);
    unsigned char* data;
    int tw, th;
    io.Fonts->GetTexDataAsRGBA32(&data, &tw, &th);
  }
  // Draws `n` frames (a tab switch settles over two), returns the last mirror tree.
  const mirror::Tree& frames(int n = 3) {
    for (int i = 0; i < n; ++i) {
      ImGui::NewFrame();
      ui::draw();
      ImGui::Render();
    }
    return mirror::tree();
  }
};

inline const mirror::Node* find(const mirror::Tree& t, mirror::Role role, const std::string& label) {
  for (auto& n : t.nodes)
    if (n.role == role && n.label == label) return &n;
  return nullptr;
}

inline void press(Headless& ui, const mirror::Tree& t, mirror::Role role, const std::string& label) {
  const mirror::Node* n = find(t, role, label);
  REQUIRE_MESSAGE(n, "no " << mirror::role_name(role) << " named " << label);
  mirror::activate(n->id);
  ui.frames(1);
}

// A finger on the canvas (no mirror): down at the centre of `n` for a frame, lifted there for a
// frame, then away; draws the frames that take it.
inline void finger_tap(Headless& ui, const mirror::Node& n) {
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2(n.x + n.w / 2, n.y + n.h / 2);
  io.MouseDown[0] = true;
  ui.frames(1);
  io.MouseDown[0] = false;
  ui.frames(1);
  io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
  ui.frames(2);
}

// Types `text` into the text field labelled `label` as the page's input does (one value per input
// event, web/mirror.js), then Enter when `enter`; draws the frame that takes it.
inline void type_in(Headless& ui, const std::string& label, const std::string& text, bool enter = false) {
  const mirror::Node* n = find(ui.frames(), mirror::Role::textbox, label);
  REQUIRE_MESSAGE(n, "no textbox named " << label);
  uint32_t id = n->id;
  mirror::set_text(id, text);
  if (enter) mirror::submit(id);
  ui.frames(1);
}

inline std::string fresh_dir(const std::string& name) {
  auto d = std::filesystem::temp_directory_path() / ("doorstep-panels-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  return d.string();
}

// A phone on a link with its package shown, and the panels ready to draw.
struct Phone {
  Headless ui;
  RecordingHost h;
  explicit Phone(const std::string& name) : h(fresh_dir(name)) {
    h.url_token = testing::kToken;
    h.start();
    h.settle();
  }
  ~Phone() { app::stop(); }
};


}  // namespace doorstep::testing
