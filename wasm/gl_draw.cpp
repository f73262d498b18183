// ImGui's draw lists on WebGL 2 (see gl_draw.h). The projection is a constant vertex attribute
// (location 3, set with glVertexAttrib4f) and the sampler keeps its default unit 0, so the frame
// needs no glGetUniformLocation; attribute locations are fixed in the shader. The font atlas is
// one channel (GL_R8, coverage in red), a quarter of the RGBA upload. Where the page handed its
// canvas to a worker (web/panel.js), the same frames are written into one buffer and drawn there
// (web/panel_worker.js reads the format render_remote writes).
#include "wasm/gl_draw.h"

#include <GLES3/gl3.h>
#include <emscripten.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "imgui.h"

namespace doorstep::gl_draw {
namespace {

const char* kVertex = R"(#version 300 es
layout(location = 0) in vec2 pos;
layout(location = 1) in vec2 uv;
layout(location = 2) in vec4 color;
layout(location = 3) in vec4 frame;  // scale.xy, offset.xy: pixels to clip space
out vec2 f_uv;
out vec4 f_color;
void main() {
  f_uv = uv;
  f_color = color;
  gl_Position = vec4(pos * frame.xy + frame.zw, 0.0, 1.0);
}
)";

const char* kFragment = R"(#version 300 es
precision mediump float;
uniform sampler2D atlas;
in vec2 f_uv;
in vec4 f_color;
layout(location = 0) out vec4 out_color;
void main() {
  out_color = vec4(f_color.rgb, f_color.a * texture(atlas, f_uv).r);
}
)";

struct Device {
  GLuint program = 0, vs = 0, fs = 0, vao = 0, vbo = 0, ebo = 0, font = 0;
  bool checked = false;
  bool remote = false;  // drawn by the panel's worker: no GL here
  std::string link_log;
};
Device d;
std::vector<uint32_t> frame_words;  // the remote frame being written, reused

// web/panel.js's side: copies of the module's memory handed to the worker.
EM_JS(int, panel_is_remote, (), { return (window.DoorstepPanel && window.DoorstepPanel.remote) ? 1 : 0; });
EM_JS(void, panel_send_frame, (const void* p, int n), { window.DoorstepPanel.frame(HEAPU8.slice(p, p + n)); });
EM_JS(void, panel_send_atlas, (const void* p, int w, int h), {
  window.DoorstepPanel.atlas(HEAPU8.slice(p, p + w * h), w, h);
});
EM_JS(void, panel_send_size, (int w, int h), { window.DoorstepPanel.resize(w, h); });
EM_JS(void, panel_send_shaders, (const char* vertex, const char* fragment), {
  window.DoorstepPanel.shaders(UTF8ToString(vertex), UTF8ToString(fragment));
});

void put(uint32_t w) { frame_words.push_back(w); }
void put_f(float f) {
  uint32_t w;
  std::memcpy(&w, &f, 4);
  put(w);
}
void put_bytes(const void* p, size_t n) {
  const size_t at = frame_words.size();
  frame_words.resize(at + (n + 3) / 4, 0);
  std::memcpy(frame_words.data() + at, p, n);
}

GLuint shader(GLenum kind, const char* src) {
  GLuint s = glCreateShader(kind);
  glShaderSource(s, 1, &src, nullptr);
  glCompileShader(s);
  return s;
}

}  // namespace

// Decided by the page before the module starts (web/panel.js), never changed after.
bool remote() {
  static const bool r = panel_is_remote() != 0;
  return r;
}

bool create_device() {
  destroy_device();
  if (remote()) {  // the worker compiles the same shaders, sent from here (one source of them)
    d.remote = true;
    panel_send_shaders(kVertex, kFragment);
    ImGuiIO& io = ImGui::GetIO();
    io.BackendRendererName = "doorstep_webgl2_worker";
    io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
    return true;
  }
  d.vs = shader(GL_VERTEX_SHADER, kVertex);
  d.fs = shader(GL_FRAGMENT_SHADER, kFragment);
  d.program = glCreateProgram();
  if (!d.program || !d.vs || !d.fs) return false;
  glAttachShader(d.program, d.vs);
  glAttachShader(d.program, d.fs);
  glLinkProgram(d.program);  // its result is asked later (link_error), not waited for here
  glGenVertexArrays(1, &d.vao);
  glGenBuffers(1, &d.vbo);
  glGenBuffers(1, &d.ebo);
  glBindVertexArray(d.vao);
  glBindBuffer(GL_ARRAY_BUFFER, d.vbo);
  glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, d.ebo);  // part of the vertex array's state
  glEnableVertexAttribArray(0);
  glEnableVertexAttribArray(1);
  glEnableVertexAttribArray(2);
  glBindVertexArray(0);
  ImGuiIO& io = ImGui::GetIO();
  io.BackendRendererName = "doorstep_webgl2";
  io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;  // the attribute pointers move with it
  return true;
}

void destroy_device() {
  if (d.remote) {
    d = Device{};
    ImGui::GetIO().Fonts->SetTexID(ImTextureID{});
    return;
  }
  if (d.font) glDeleteTextures(1, &d.font);
  if (d.vbo) glDeleteBuffers(1, &d.vbo);
  if (d.ebo) glDeleteBuffers(1, &d.ebo);
  if (d.vao) glDeleteVertexArrays(1, &d.vao);
  if (d.program) glDeleteProgram(d.program);
  if (d.vs) glDeleteShader(d.vs);
  if (d.fs) glDeleteShader(d.fs);
  d = Device{};
  ImGui::GetIO().Fonts->SetTexID(ImTextureID{});
}

bool has_device() { return d.program != 0 || d.remote; }

void resize_remote(int w, int h) {
  if (d.remote) panel_send_size(w, h);
}

void upload_fonts() {
  ImGuiIO& io = ImGui::GetIO();
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);
  if (d.remote) {
    panel_send_atlas(pixels, w, h);
    io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(1)));
    return;
  }
  if (d.font) glDeleteTextures(1, &d.font);
  glGenTextures(1, &d.font);
  glBindTexture(GL_TEXTURE_2D, d.font);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, w, h, 0, GL_RED, GL_UNSIGNED_BYTE, pixels);
  io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(d.font)));
}

namespace {

// Each command of `list` that draws something, with its scissor box in framebuffer pixels (x and y
// from the bottom left, width, height); user callbacks run, commands clipped away are skipped.
template <class F>
void each_command(const ImDrawList* list, ImVec2 pos, float scale, float fb_w, float fb_h, F&& f) {
  for (const ImDrawCmd& cmd : list->CmdBuffer) {
    if (cmd.UserCallback) {
      if (cmd.UserCallback != ImDrawCallback_ResetRenderState) cmd.UserCallback(list, &cmd);
      continue;
    }
    const float x0 = (cmd.ClipRect.x - pos.x) * scale, y0 = (cmd.ClipRect.y - pos.y) * scale;
    const float x1 = (cmd.ClipRect.z - pos.x) * scale, y1 = (cmd.ClipRect.w - pos.y) * scale;
    if (x1 <= x0 || y1 <= y0 || x0 >= fb_w || y0 >= fb_h) continue;
    const int box[4] = {static_cast<int>(x0), static_cast<int>(fb_h - y1), static_cast<int>(x1 - x0), static_cast<int>(y1 - y0)};
    f(cmd, box);
  }
}

// The frame for the worker, in the layout web/panel_worker.js's drawFrame reads (32-bit words).
void render_remote(ImDrawData* data, float scale, const float clear[4]) {
  const float fb_w = data->DisplaySize.x * scale, fb_h = data->DisplaySize.y * scale;
  const ImVec2 pos = data->DisplayPos, size = data->DisplaySize;
  frame_words.clear();
  put_f(fb_w);
  put_f(fb_h);
  for (float f : {2.f / size.x, -2.f / size.y, -1.f - pos.x * 2.f / size.x, 1.f + pos.y * 2.f / size.y}) put_f(f);
  for (int i = 0; i < 4; ++i) put_f(clear[i]);
  put(sizeof(ImDrawIdx));
  put(static_cast<uint32_t>(data->CmdListsCount));
  static_assert(sizeof(ImDrawVert) == 20, "web/panel_worker.js reads 20-byte vertices");
  for (int n = 0; n < data->CmdListsCount; ++n) {
    const ImDrawList* list = data->CmdLists[n];
    const size_t vtx_bytes = static_cast<size_t>(list->VtxBuffer.Size) * sizeof(ImDrawVert);
    const size_t idx_bytes = static_cast<size_t>(list->IdxBuffer.Size) * sizeof(ImDrawIdx);
    put(static_cast<uint32_t>(vtx_bytes));
    put(static_cast<uint32_t>(idx_bytes));
    const size_t count_at = frame_words.size();
    put(0);
    uint32_t cmds = 0;
    each_command(list, pos, scale, fb_w, fb_h, [&](const ImDrawCmd& cmd, const int box[4]) {
      for (int i = 0; i < 4; ++i) put(static_cast<uint32_t>(box[i]));
      put(cmd.ElemCount);
      put(cmd.IdxOffset);
      put(cmd.VtxOffset);
      ++cmds;
    });
    frame_words[count_at] = cmds;
    put_bytes(list->VtxBuffer.Data, vtx_bytes);
    put_bytes(list->IdxBuffer.Data, idx_bytes);
  }
  panel_send_frame(frame_words.data(), static_cast<int>(frame_words.size() * 4));
}

}  // namespace

void render(ImDrawData* data, float scale, const float clear[4]) {
  if (!data) return;
  const float fb_w = data->DisplaySize.x * scale, fb_h = data->DisplaySize.y * scale;
  if (fb_w <= 0 || fb_h <= 0) return;
  if (d.remote) return render_remote(data, scale, clear);
  if (!d.program) return;
  glViewport(0, 0, static_cast<int>(fb_w), static_cast<int>(fb_h));
  glClearColor(clear[0], clear[1], clear[2], clear[3]);
  glClear(GL_COLOR_BUFFER_BIT);
  glEnable(GL_BLEND);
  glBlendEquation(GL_FUNC_ADD);
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  glDisable(GL_CULL_FACE);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_STENCIL_TEST);
  glEnable(GL_SCISSOR_TEST);
  glUseProgram(d.program);
  glActiveTexture(GL_TEXTURE0);
  // Pixels (DisplayPos at the top left) to clip space (-1..1, y up).
  const ImVec2 pos = data->DisplayPos, size = data->DisplaySize;
  glVertexAttrib4f(3, 2.f / size.x, -2.f / size.y, -1.f - pos.x * 2.f / size.x, 1.f + pos.y * 2.f / size.y);
  glBindVertexArray(d.vao);
  glBindBuffer(GL_ARRAY_BUFFER, d.vbo);
  const GLsizei stride = sizeof(ImDrawVert);
  for (int n = 0; n < data->CmdListsCount; ++n) {
    const ImDrawList* list = data->CmdLists[n];
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(list->VtxBuffer.Size) * stride, list->VtxBuffer.Data, GL_STREAM_DRAW);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, static_cast<GLsizeiptr>(list->IdxBuffer.Size) * sizeof(ImDrawIdx),
                 list->IdxBuffer.Data, GL_STREAM_DRAW);
    unsigned bound_vtx = ~0u;
    each_command(list, pos, scale, fb_w, fb_h, [&](const ImDrawCmd& cmd, const int box[4]) {
      glScissor(box[0], box[1], box[2], box[3]);
      if (cmd.VtxOffset != bound_vtx) {  // WebGL 2 has no base vertex: the pointers move instead
        const uintptr_t base = static_cast<uintptr_t>(cmd.VtxOffset) * stride;
        glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<void*>(base + offsetof(ImDrawVert, pos)));
        glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<void*>(base + offsetof(ImDrawVert, uv)));
        glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, reinterpret_cast<void*>(base + offsetof(ImDrawVert, col)));
        bound_vtx = cmd.VtxOffset;
      }
      glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(reinterpret_cast<intptr_t>(cmd.GetTexID())));
      glDrawElements(GL_TRIANGLES, static_cast<GLsizei>(cmd.ElemCount), sizeof(ImDrawIdx) == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT,
                     reinterpret_cast<void*>(static_cast<uintptr_t>(cmd.IdxOffset) * sizeof(ImDrawIdx)));
    });
  }
  glBindVertexArray(0);
  glDisable(GL_SCISSOR_TEST);
}

const char* link_error() {
  if (d.remote) return "";  // the worker checks its own program and says so (web/panel.js)
  if (!d.program) return "no program";
  if (!d.checked) {
    d.checked = true;
    GLint ok = GL_FALSE;
    glGetProgramiv(d.program, GL_LINK_STATUS, &ok);
    if (!ok) {
      char log[1024] = {};
      glGetProgramInfoLog(d.program, sizeof log, nullptr, log);
      d.link_log = log[0] ? log : "the panel's shaders did not link";
      for (GLuint s : {d.vs, d.fs}) {
        char slog[512] = {};
        glGetShaderInfoLog(s, sizeof slog, nullptr, slog);
        if (slog[0]) d.link_log += std::string(" | ") + slog;
      }
    }
  }
  return d.link_log.c_str();
}

}  // namespace doorstep::gl_draw
