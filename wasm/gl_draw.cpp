// ImGui's draw lists on WebGL 2 (see gl_draw.h). The projection is a constant vertex attribute
// (location 3, set with glVertexAttrib4f) and the sampler keeps its default unit 0, so the frame
// needs no glGetUniformLocation; attribute locations are fixed in the shader. The font atlas is
// one channel (GL_R8, coverage in red), a quarter of the RGBA upload.
#include "wasm/gl_draw.h"

#include <GLES3/gl3.h>

#include <cstddef>
#include <cstdint>
#include <string>

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
  std::string link_log;
};
Device d;

GLuint shader(GLenum kind, const char* src) {
  GLuint s = glCreateShader(kind);
  glShaderSource(s, 1, &src, nullptr);
  glCompileShader(s);
  return s;
}

}  // namespace

bool create_device() {
  destroy_device();
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

bool has_device() { return d.program != 0; }

void upload_fonts() {
  ImGuiIO& io = ImGui::GetIO();
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);
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

void render(ImDrawData* data, float scale) {
  if (!d.program || !data) return;
  const float fb_w = data->DisplaySize.x * scale, fb_h = data->DisplaySize.y * scale;
  if (fb_w <= 0 || fb_h <= 0) return;
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
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.UserCallback) {
        if (cmd.UserCallback != ImDrawCallback_ResetRenderState) cmd.UserCallback(list, &cmd);
        continue;
      }
      const float x0 = (cmd.ClipRect.x - pos.x) * scale, y0 = (cmd.ClipRect.y - pos.y) * scale;
      const float x1 = (cmd.ClipRect.z - pos.x) * scale, y1 = (cmd.ClipRect.w - pos.y) * scale;
      if (x1 <= x0 || y1 <= y0 || x0 >= fb_w || y0 >= fb_h) continue;
      glScissor(static_cast<GLint>(x0), static_cast<GLint>(fb_h - y1), static_cast<GLsizei>(x1 - x0),
                static_cast<GLsizei>(y1 - y0));
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
    }
  }
  glBindVertexArray(0);
  glDisable(GL_SCISSOR_TEST);
}

const char* link_error() {
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
