// Draws ImGui's frames with WebGL 2, in place of ImGui's OpenGL3 backend: the panel is the page's
// only GL user, so it sets its state once a frame and saves nothing, and it asks the GPU process
// nothing synchronously on the way (no attribute or uniform lookups, no status reads inside a
// frame; the program's link is checked once, later). Where the page handed its canvas to a worker
// (web/panel.js), the frames, the atlas and the size go there instead and no GL is called here.
// Leaves out user textures beyond the font's.
#pragma once

struct ImDrawData;

namespace doorstep::gl_draw {

// The program, buffers and vertex layout; false if WebGL refused to make one (no context).
bool create_device();
void destroy_device();
bool has_device();
// The font atlas (built now if needed) as a one-channel texture, replacing the one before.
void upload_fonts();
// Clears to `clear` (rgba) and draws the frame, at the framebuffer's size.
void render(ImDrawData* data, float framebuffer_scale, const float clear[4]);
// The panel is drawn by web/panel_worker.js (known once create_device ran).
bool remote();
// The canvas's drawing-buffer size, for the worker that owns it (nothing when drawing here).
void resize_remote(int w, int h);
// The link result, asked once after the first frame drawn with the program (a wait for the GPU
// process; see platform.cpp check_program_later): "" when it linked, the driver's log otherwise.
const char* link_error();

}  // namespace doorstep::gl_draw
