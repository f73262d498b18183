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
  bool operator==(const Tree& o) const { return nodes == o.nodes && dialog == o.dialog; }
};

// ---- Building, once per frame (between ImGui::NewFrame and ImGui::Render).
void begin_frame();
// Notes ImGui's last item as a control of `role` labelled `label` (suffixes after "##" dropped).
void add_last_item(Role role, std::string_view label, bool checked = false);
// Notes a text field by its rectangle (the page puts a real input over it).
void add_textbox(uint32_t id, std::string_view label, std::string_view value, bool multiline, float x, float y,
                 float w, float h);
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

}  // namespace doorstep::mirror
