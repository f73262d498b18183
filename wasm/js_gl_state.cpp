// What ImGui's OpenGL3 backend asks of the WebGL state, answered without a round trip: the backend
// saves and restores ~18 pieces of state around every frame, and each glGetIntegerv/glIsEnabled is
// a synchronous call to the browser's GPU process (a third of the start-up's main-thread time on
// the profile of issue 15). The panel is the page's only GL user, so "the state before the frame"
// is the default state; anything else is asked of WebGL as before. Leaves out every other GL call.
#include <GLES3/gl3.h>

extern "C" {

// Wired in by wasm/module.cmake for imgui_impl_opengl3.cpp only (glGetIntegerv -> this).
void doorstep_gl_get_integerv(GLenum pname, GLint* data) {
  switch (pname) {
    case GL_ACTIVE_TEXTURE: *data = GL_TEXTURE0; return;
    case GL_CURRENT_PROGRAM:
    case GL_TEXTURE_BINDING_2D:
    case GL_SAMPLER_BINDING:
    case GL_ARRAY_BUFFER_BINDING:
    case GL_VERTEX_ARRAY_BINDING: *data = 0; return;
    case GL_VIEWPORT:
    case GL_SCISSOR_BOX: data[0] = data[1] = data[2] = data[3] = 0; return;  // the frame sets both
    case GL_BLEND_SRC_RGB:
    case GL_BLEND_SRC_ALPHA: *data = GL_ONE; return;
    case GL_BLEND_DST_RGB:
    case GL_BLEND_DST_ALPHA: *data = GL_ZERO; return;
    case GL_BLEND_EQUATION_RGB:
    case GL_BLEND_EQUATION_ALPHA: *data = GL_FUNC_ADD; return;
    default: glGetIntegerv(pname, data);  // version, extensions: asked once, at start
  }
}

// Every capability the backend saves is off in the default state (it enables what it draws with).
GLboolean doorstep_gl_is_enabled(GLenum cap) {
  switch (cap) {
    case GL_BLEND:
    case GL_CULL_FACE:
    case GL_DEPTH_TEST:
    case GL_STENCIL_TEST:
    case GL_SCISSOR_TEST: return GL_FALSE;
    default: return glIsEnabled(cap);
  }
}

}  // extern "C"
