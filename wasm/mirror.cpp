// The accessible mirror (see mirror.h): a tree rebuilt every frame from ImGui's last-item data.
#include "wasm/mirror.h"

#include <cstdio>

#include "imgui.h"
#include "imgui_internal.h"
#include "shared/base/json.h"

namespace doorstep::mirror {

namespace {
Tree g_building, g_current;
bool g_in_frame = false;
std::vector<uint32_t> g_activations;
// Typing in place: values and submits waiting for their field's next frame, the field with the
// keyboard, and a pending "keep it visible" with the visible bottom it must stay above.
std::vector<std::pair<uint32_t, std::string>> g_texts;
std::vector<uint32_t> g_submits;
uint32_t g_focus = 0;
int g_reveal_frames = 0;
float g_reveal_bottom = 0;
float g_text_px = 0, g_pad_x = 0, g_pad_y = 0;

// True once when ImGui's last item is in `ids` (which it leaves).
bool take_last_item(std::vector<uint32_t>& ids) {
  ImGuiID id = ImGui::GetCurrentContext()->LastItemData.ID;
  for (size_t i = 0; i < ids.size(); ++i)
    if (ids[i] == id) {
      ids.erase(ids.begin() + static_cast<long>(i));
      return true;
    }
  return false;
}

std::string visible(std::string_view label) {
  size_t p = label.find("##");
  return std::string(label.substr(0, p));
}
}  // namespace

std::string_view role_name(Role r) {
  switch (r) {
    case Role::button: return "button";
    case Role::checkbox: return "checkbox";
    case Role::radio: return "radio";
    case Role::tab: return "tab";
    case Role::textbox: return "textbox";
    case Role::heading: return "heading";
    case Role::listitem: return "listitem";
    case Role::text: return "text";
  }
  return "text";
}

bool Node::operator==(const Node& o) const {
  return id == o.id && role == o.role && label == o.label && x == o.x && y == o.y && w == o.w && h == o.h &&
         shown == o.shown && cut == o.cut && checked == o.checked && multiline == o.multiline && value == o.value;
}

void begin_frame() {
  g_building = Tree{};
  g_in_frame = true;
}

void add_last_item(Role role, std::string_view label, bool checked) {
  if (!g_in_frame) return;
  ImGuiContext& ctx = *ImGui::GetCurrentContext();
  ImRect r = ctx.LastItemData.Rect;
  // A control scrolled out of its list stays in the mirror (a screen reader can still reach and
  // press it) but is marked hidden, so the page does not put it over another control; one cut by
  // the list's edge is mirrored by the part that shows.
  ImRect clip = ctx.CurrentWindow ? ctx.CurrentWindow->ClipRect : r;
  bool shown = clip.Overlaps(r);
  bool cut = shown && !clip.Contains(r);
  if (shown) r.ClipWithFull(clip);
  Node n;
  n.id = ctx.LastItemData.ID;
  n.role = role;
  n.label = visible(label);
  n.x = r.Min.x;
  n.y = r.Min.y;
  n.w = r.GetWidth();
  n.h = r.GetHeight();
  n.shown = shown && r.GetWidth() > 0 && r.GetHeight() > 0;
  n.cut = cut;
  n.checked = checked;
  g_building.nodes.push_back(std::move(n));
}

void add_last_textbox(std::string_view label, std::string_view value, bool multiline) {
  add_last_item(Role::textbox, label);
  if (!g_in_frame) return;
  g_building.nodes.back().value = std::string(value);
  g_building.nodes.back().multiline = multiline;
}

void set_text_style(float px, float pad_x, float pad_y) {
  g_text_px = px;
  g_pad_x = pad_x;
  g_pad_y = pad_y;
}

void begin_dialog(std::string_view title) {
  g_building.nodes.clear();
  g_building.dialog = std::string(title);
}

bool end_frame() {
  g_in_frame = false;
  g_building.text_px = g_text_px;
  g_building.pad_x = g_pad_x;
  g_building.pad_y = g_pad_y;
  // Typing for a field that was not drawn this frame is dropped with it (its screen is gone).
  g_texts.clear();
  g_submits.clear();
  if (g_reveal_frames > 0) --g_reveal_frames;
  // Activations for controls that were not drawn this frame expire: a press never lands later on
  // another screen.
  g_activations.clear();
  if (g_building == g_current) return false;
  g_current = std::move(g_building);
  return true;
}

const Tree& tree() { return g_current; }

std::string to_json(const Tree& t) {
  json::Value a = json::Value::array();
  for (const auto& n : t.nodes) {
    json::Value o = json::Value::object();
    o.set("id", static_cast<int64_t>(n.id));
    o.set("role", std::string(role_name(n.role)));
    o.set("label", n.label);
    json::Value r = json::Value::array();
    for (float f : {n.x, n.y, n.w, n.h}) r.push(json::Value(static_cast<double>(f)));
    o.set("rect", r);
    o.set("shown", n.shown);
    o.set("cut", n.cut);
    if (n.role == Role::checkbox || n.role == Role::radio || n.role == Role::tab) o.set("checked", n.checked);
    if (n.role == Role::textbox) {
      o.set("value", n.value);
      o.set("multiline", n.multiline);
    }
    a.push(o);
  }
  json::Value root = json::Value::object();
  root.set("dialog", t.dialog);
  root.set("text_px", static_cast<double>(t.text_px));
  json::Value pad = json::Value::array();
  pad.push(json::Value(static_cast<double>(t.pad_x)));
  pad.push(json::Value(static_cast<double>(t.pad_y)));
  root.set("pad", pad);
  root.set("nodes", a);
  return json::dump(root);
}

void activate(uint32_t id) { g_activations.push_back(id); }

bool pending_activation() { return !g_activations.empty(); }

bool take_activation() { return take_last_item(g_activations); }

void set_text(uint32_t id, std::string value) {
  for (auto& [k, v] : g_texts)
    if (k == id) {
      v = std::move(value);
      return;
    }
  g_texts.emplace_back(id, std::move(value));
}

void submit(uint32_t id) { g_submits.push_back(id); }

void set_focus(uint32_t id) {
  g_focus = id;
  if (id == 0) g_reveal_bottom = 0;  // the keyboard goes with the focus
}
float keyboard_top() { return g_focus != 0 ? g_reveal_bottom : 0.f; }
uint32_t focused() { return g_focus; }

void reveal(float bottom) {
  g_reveal_bottom = bottom;
  g_reveal_frames = 6;  // a canvas resize and ImGui's deferred scroll each take a frame
}

bool take_text(std::string* value) {
  ImGuiID id = ImGui::GetCurrentContext()->LastItemData.ID;
  for (size_t i = 0; i < g_texts.size(); ++i)
    if (g_texts[i].first == id) {
      *value = std::move(g_texts[i].second);
      g_texts.erase(g_texts.begin() + static_cast<long>(i));
      return true;
    }
  return false;
}

bool take_submit() { return take_last_item(g_submits); }

bool take_reveal(float* bottom) {
  if (g_reveal_frames <= 0 || g_focus == 0 || g_focus != ImGui::GetCurrentContext()->LastItemData.ID) return false;
  *bottom = g_reveal_bottom;
  return true;
}

}  // namespace doorstep::mirror
