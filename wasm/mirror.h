// The accessible mirror of the ImGui panel: while the panels draw, each control is also noted here
// with its role, its visible label (the accessible name) and its rectangle, so the page can keep
// one DOM element per control exactly over it (web/mirror.js), and screen readers, keyboards and
// tests can find and press it. Plain C++ over ImGui's item data; leaves out the DOM itself.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace doorstep::mirror {

enum class Role : uint8_t { button, checkbox, radio, tab, textbox, heading, listitem, text };
std::string_view role_name(Role r);  // the ARIA role

struct Node {
  uint32_t id = 0;        // the control's ImGui id: stable while the control exists
  Role role = Role::text;
  std::string label;      // visible text without ImGui's "##" suffixes
  float x = 0, y = 0, w = 0, h = 0;  // on the canvas, CSS px
  bool shown = true;      // on screen (false: scrolled out of its list); x..h is the part shown
  bool cut = false;       // partly scrolled out: x..h is smaller than the control
  bool checked = false;   // checkbox and radio ticked, tab selected
  bool multiline = false;  // textbox
  std::string value;       // textbox content
  bool operator==(const Node& o) const;
};

struct Tree {
  std::vector<Node> nodes;
  std::string dialog;  // non-empty while a dialog is open: nodes hold only its controls
  // The panel's text size and frame padding: a focused text field's DOM input draws with them.
  float text_px = 0, pad_x = 0, pad_y = 0;
  bool operator==(const Tree& o) const {
    return nodes == o.nodes && dialog == o.dialog && text_px == o.text_px && pad_x == o.pad_x && pad_y == o.pad_y;
  }
};

// ---- Building, once per frame (between ImGui::NewFrame and ImGui::Render).
void begin_frame();
// Notes ImGui's last item as a control of `role` labelled `label` (suffixes after "##" dropped).
void add_last_item(Role role, std::string_view label, bool checked = false);
// Notes ImGui's last item as a text field: the page puts a real <input>/<textarea> over it
// (web/mirror.js), which is where the canvasser types.
void add_last_textbox(std::string_view label, std::string_view value, bool multiline);
void set_text_style(float px, float pad_x, float pad_y);
// While a dialog is open only its controls are kept: begin_dialog drops what came before.
void begin_dialog(std::string_view title);
// Ends the frame; true when the tree differs from the previous frame's (the page updates then).
bool end_frame();
const Tree& tree();
std::string to_json(const Tree& t);

// ---- Activation from the page (keyboard, screen reader, a test): the control with `id` reports
// one press in the next frame, exactly as one tap on it would.
void activate(uint32_t id);
// True once when the last item was activated from the page (the panels' widget wrappers ask).
bool take_activation();
bool pending_activation();

// ---- Typing in place (the page's input over a text field, web/mirror.js).
// The field `id` now holds `value` (an input event outside an IME composition, or its end).
void set_text(uint32_t id, std::string value);
// Enter in a one-line field (never while composing): the field submits in the next frame.
void submit(uint32_t id);
// The page's input for `id` has the keyboard (0: none). While it has, the DOM draws the text and
// the panel draws only the field's frame.
void set_focus(uint32_t id);
uint32_t focused();
// The focused field must be visible above `bottom` (canvas CSS px: the visual viewport's bottom,
// which a soft keyboard raises); the field scrolls its list over the next few frames.
void reveal(float bottom);
// The visible bottom while a field has the keyboard (the panel lays itself out above it), else 0.
float keyboard_top();
// For the last item (a text field): the value typed since the last frame, a submit, a reveal.
bool take_text(std::string* value);
bool take_submit();
bool take_reveal(float* bottom);

}  // namespace doorstep::mirror
