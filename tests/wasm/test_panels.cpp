// Tests for wasm/ui and wasm/mirror: the panels rendered by ImGui with no renderer (as ImGui's null
// backend does) at a 360 CSS px wide phone, driven by the real controller over the recorded-call
// host. Checks what each screen shows through the accessible mirror (roles, English labels,
// rectangles), that a press from the mirror does what one tap does, and that every control is
// inside the screen.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "imgui.h"
#include "tests/wasm/host_double.h"
#include "tests/wasm/panels_harness.h"
#include "wasm/app.h"
#include "wasm/mirror.h"
#include "wasm/ui.h"

using namespace doorstep;
using testing::RecordingHost;

using namespace doorstep::testing;

TEST_CASE("the walk list: four tabs in English, one list item per door, all inside a 360 px screen") {
  Phone p("list");
  auto& ui = p.ui;
  const auto& t = ui.frames();
  for (const char* tab : {"Doors", "Door", "Script", "Settings"}) CHECK_MESSAGE(find(t, mirror::Role::tab, tab), tab);
  const mirror::Node* doors = find(t, mirror::Role::tab, "Doors");
  REQUIRE(doors);
  CHECK(doors->checked);
  int items = 0;
  for (auto& n : t.nodes) {
    CHECK(n.x >= 0);
    CHECK(n.x + n.w <= 360.5f);
    if (n.role == mirror::Role::listitem) {
      ++items;
      CHECK(n.label.find("Walgrove Ave") != std::string::npos);
    }
  }
  CHECK(items == 2);
  CHECK(t.dialog.empty());
}

TEST_CASE("a door recorded through the mirror only: list item, then Not home; the status says Saved on phone") {
  Phone p("record");
  auto& ui = p.ui;
  auto& h = p.h;
  const auto& t = ui.frames();
  const mirror::Node* first = nullptr;
  for (auto& n : t.nodes)
    if (n.role == mirror::Role::listitem && n.label.find("1. 2301 Walgrove Ave") == 0) first = &n;
  REQUIRE(first);
  mirror::activate(first->id);
  const auto& door = ui.frames();
  CHECK(app::state().selected == 0);
  CHECK(find(door, mirror::Role::tab, "Door")->checked);
  CHECK(find(door, mirror::Role::heading, "1. 2301 Walgrove Ave"));
  for (const char* b : {"Not home", "Talked", "Refused", "Come back", "Next door"})
    CHECK_MESSAGE(find(door, mirror::Role::button, b), b);
  press(ui, door, mirror::Role::button, "Not home");
  CHECK(h.stats["recorded"] == 1);  // one press, one record
  ui.frames(2);
  CHECK(h.stats["recorded"] == 1);  // and no more on later frames
  h.finish_puts();
  CHECK(h.status.find("Door 1: 2301 Walgrove Ave") == 0);
  CHECK(h.status.find("Not home") != std::string::npos);
  CHECK(h.status.find("Saved on phone") != std::string::npos);
  h.settle();
  CHECK(h.server_records() == 1);
}

TEST_CASE("Talked opens the survey: radio buttons for residents, checkboxes for consent, Save records") {
  Phone p("talk");
  auto& ui = p.ui;
  app::select_door(0, false);
  const auto& door = ui.frames();
  press(ui, door, mirror::Role::button, "Talked");
  const auto& talk = ui.frames();
  CHECK(find(talk, mirror::Role::radio, "Someone else"));
  CHECK(find(talk, mirror::Role::text, "Support Medicare for All?"));
  CHECK(find(talk, mirror::Role::button, "Yes"));
  const mirror::Node* vol = nullptr;
  for (auto& n : talk.nodes)
    if (n.role == mirror::Role::checkbox && n.label.find("volunteer") != std::string::npos) vol = &n;
  REQUIRE(vol);
  CHECK_FALSE(vol->checked);
  mirror::activate(vol->id);
  const auto& after = ui.frames();
  bool checked = false;
  for (auto& n : after.nodes)
    if (n.id == vol->id) checked = n.checked;
  CHECK(checked);
  CHECK(app::state().draft.signup.volunteer);
}

TEST_CASE("text fields are typed in place: notes, sign-up and a new resident reach the draft; the focused field scrolls above a keyboard") {
  Phone p("typing");
  auto& ui = p.ui;
  app::select_door(0, false);
  press(ui, ui.frames(), mirror::Role::button, "Talked");
  const auto& talk = ui.frames();
  const mirror::Node* notes = find(talk, mirror::Role::textbox, "Notes");
  REQUIRE(notes);
  CHECK(notes->multiline);
  CHECK(notes->h >= 44);
  CHECK(notes->value.empty());
  for (const char* f : {"Name", "Phone", "Email", "New resident"}) {
    const mirror::Node* n = find(talk, mirror::Role::textbox, f);
    REQUIRE_MESSAGE(n, f);
    CHECK_FALSE(n->multiline);
    CHECK(n->h >= 44);
  }
  // Each input event carries the whole value (never a delta): the draft follows it, and so does
  // the mirror's copy the page shows when the field has no keyboard.
  type_in(ui, "Notes", "Likes");
  type_in(ui, "Notes", "Likes the plan.\nCall back");
  CHECK(app::state().draft.notes == "Likes the plan.\nCall back");
  CHECK(find(ui.frames(), mirror::Role::textbox, "Notes")->value == "Likes the plan.\nCall back");
  // Letters the atlas lacks (it holds the UI's and the package's only) are asked for once each:
  // an Armenian note and a name's "Ł" join it, typing them again asks for nothing.
  type_in(ui, "Notes", "Ժամը 5-ին, Łukasz");
  for (const char* letter : {"Ժ", "ա", "մ", "ը", "ի", "ն", "Ł"}) CHECK_MESSAGE(p.h.font_sample.find(letter) != std::string::npos, letter);
  int asked = p.h.font_requests;
  type_in(ui, "Notes", "Ժամը 5-ին, Łukasz.");
  ui.frames(2);
  CHECK(p.h.font_requests == asked);
  type_in(ui, "Notes", "Likes the plan.\nCall back");
  type_in(ui, "Phone", "310 555 0100");
  CHECK(app::state().draft.signup.phone == "310 555 0100");
  // Typing a new resident's name adds nobody; Enter adds and picks them.
  type_in(ui, "New resident", "Dana Li");
  CHECK(app::state().draft.person_id.empty());
  type_in(ui, "New resident", "Dana Li", true);
  CHECK_FALSE(app::state().draft.person_id.empty());
  CHECK(app::state().draft.new_resident.empty());
  CHECK(find(ui.frames(), mirror::Role::radio, "Dana Li"));
  // A value for a field that is not on screen is dropped, never applied to another one.
  uint32_t notes_id = find(ui.frames(), mirror::Role::textbox, "Notes")->id;
  app::state().tab = app::Tab::settings;
  ui.frames();
  mirror::set_text(notes_id, "lost");
  ui.frames();
  app::state().tab = app::Tab::door;
  ui.frames();
  CHECK(app::state().draft.notes == "Likes the plan.\nCall back");
  // The soft keyboard leaves 200 px of the panel: the focused notes field scrolls above it.
  mirror::set_focus(notes_id);
  mirror::reveal(200);
  const auto& after = ui.frames(4);
  const mirror::Node* shown = find(after, mirror::Role::textbox, "Notes");
  REQUIRE(shown);
  CHECK(shown->shown);
  CHECK_FALSE(shown->cut);
  CAPTURE(shown->y);
  CAPTURE(shown->h);
  CHECK(shown->y + shown->h <= 200.5f);
  // The room goes to the form: no top bar while the keyboard is up, and it is back after.
  CHECK_FALSE(find(after, mirror::Role::button, "Help"));
  CHECK(find(after, mirror::Role::tab, "Door"));
  mirror::set_focus(0);
  CHECK(find(ui.frames(), mirror::Role::button, "Help"));
}

TEST_CASE("Settings through the mirror: the language radios switch the labels to Spanish") {
  Phone p("settings");
  auto& ui = p.ui;
  press(ui, ui.frames(), mirror::Role::tab, "Settings");
  const auto& st = ui.frames();
  CHECK(find(st, mirror::Role::tab, "Settings")->checked);
  press(ui, st, mirror::Role::radio, "Español");
  const auto& es = ui.frames();
  CHECK(find(es, mirror::Role::tab, "Puertas"));
  CHECK(find(es, mirror::Role::radio, "Español")->checked);
  press(ui, es, mirror::Role::radio, "English");
  CHECK(find(ui.frames(), mirror::Role::tab, "Doors"));
}

TEST_CASE("an activation for a control not on screen is dropped, never applied later elsewhere") {
  Phone p("stale");
  auto& ui = p.ui;
  auto& h = p.h;
  app::select_door(0, false);
  const auto& door = ui.frames();
  const mirror::Node* nh = find(door, mirror::Role::button, "Not home");
  REQUIRE(nh);
  uint32_t id = nh->id;
  app::state().tab = app::Tab::doors;
  ui.frames();
  mirror::activate(id);  // the Door tab is not showing: nothing may be recorded
  ui.frames();
  app::state().tab = app::Tab::door;
  ui.frames();
  CHECK(h.stats.count("recorded") == 0);
}

TEST_CASE("the mirror tree as JSON carries role, label, rectangle and state") {
  Phone p("json");
  auto& ui = p.ui;
  std::string j = mirror::to_json(ui.frames());
  auto v = json::parse(j);
  REQUIRE(v.ok());
  const auto& nodes = v->find("nodes")->as_array();
  REQUIRE(nodes.size() > 2);
  CHECK(nodes[0].find("role")->as_string() == "text");  // the turf and its progress, then Help
  CHECK(nodes[0].find("label")->as_string() == "Walgrove  0/2 done");
  CHECK(nodes[1].find("role")->as_string() == "button");  // Help, on every screen
  CHECK(nodes[1].find("label")->as_string() == "Help");
  const json::Value* tab = nullptr;
  for (const auto& n : nodes)
    if (n.find("role")->as_string() == "tab" && !tab) tab = &n;
  REQUIRE(tab);
  CHECK(tab->find("label")->as_string() == "Doors");
  CHECK(tab->find("rect")->size() == 4);
  REQUIRE(tab->find("checked"));
  CHECK(tab->find("checked")->as_bool());
}

TEST_CASE("sandbox: a package in memory, a visible banner, and nothing stored or sent") {
  Headless ui;
  RecordingHost h(fresh_dir("sandbox"));
  app::start_sandbox(h, "en", app::Sandbox::practice, testing::package_json());
  const auto& t = ui.frames();
  CHECK(app::state().phase == app::Phase::ready);
  CHECK(find(t, mirror::Role::heading, "Practice: nothing is saved or sent"));
  CHECK(h.status.find("Practice") != std::string::npos);
  app::select_door(0, false);
  press(ui, ui.frames(), mirror::Role::button, "Not home");
  CHECK(h.stats["recorded"] == 1);
  CHECK(app::state().session->door_status(0) == canvass::status_index("not_home"));
  h.settle();
  h.advance(10 * 60 * 1000);  // past the pull timer and any backoff
  app::on_network_change(true);
  app::on_hidden();
  h.settle();
  for (const char* never : {"storage_start", "http", "outbox", "checkpoint", "clear_link_from_url"})
    CHECK_MESSAGE(!h.called(never), never);
  CHECK(h.server_push_count() == 0);
  CHECK_FALSE(std::filesystem::exists(h.db_path()));
  app::start_sandbox(h, "en", app::Sandbox::preview, testing::package_json());
  CHECK(find(ui.frames(), mirror::Role::heading, "Preview: nothing is saved or sent"));
  app::stop();
}

TEST_CASE("the practice turf beside the page (web/practice.json) loads and takes records") {
  std::ifstream in(std::string(DOORSTEP_SOURCE_DIR) + "/web/practice.json");
  REQUIRE_MESSAGE(in.good(), "web/practice.json is missing");
  std::stringstream text;
  text << in.rdbuf();
  Headless ui;
  RecordingHost h(fresh_dir("practice"));
  app::start_sandbox(h, "en", app::Sandbox::practice, text.str());
  REQUIRE(app::state().phase == app::Phase::ready);
  CHECK(app::state().session->package().doors.size() == 3);
  app::select_door(0, false);
  press(ui, ui.frames(), mirror::Role::button, "Not home");
  CHECK(h.stats["recorded"] == 1);
  CHECK(app::state().session->door_status(0) == canvass::status_index("not_home"));
  CHECK_FALSE(h.called("http"));
  app::stop();
}

TEST_CASE("touch targets: at each text size every mirrored control on every screen is at least 44x44 px; nothing is cut off at 360 px") {
  Phone p("targets");
  auto& ui = p.ui;
  auto check_screen = [](const mirror::Tree& t, const char* screen) {
    for (auto& n : t.nodes) {
      if (!n.shown || n.cut || n.role == mirror::Role::text || n.role == mirror::Role::heading) continue;
      CAPTURE(screen);
      CAPTURE(n.label);
      CHECK(n.h >= 44);
      CHECK(n.w >= 44);
      CHECK(n.x + n.w <= 360.5f);
    }
  };
  for (int size = 0; size < 3; ++size) {
    CAPTURE(size);
    app::set_text_size(size);
    CHECK(p.h.font_px == app::kTextSizes[size]);
    ui.font(p.h.font_px);
    app::state().tab = app::Tab::doors;
    check_screen(ui.frames(), "doors");
    app::select_door(0, false);
    const auto& door = ui.frames();
    check_screen(door, "door");
    // Pairs drawn at the same width: the right-hand one is not cut by the scroll bar.
    auto width = [&](const char* label) { return find(door, mirror::Role::button, label)->w; };
    CHECK(width("Talked") == doctest::Approx(width("Not home")));
    CHECK(width("Come back") == doctest::Approx(width("Refused")));
    press(ui, door, mirror::Role::button, "Talked");
    check_screen(ui.frames(), "talked");
    // The tabs by finger, wherever the strip put them: at the largest size they go two by two.
    const mirror::Node doors_tab = *find(ui.frames(), mirror::Role::tab, "Doors");
    const mirror::Node settings_tab = *find(ui.frames(), mirror::Role::tab, "Settings");
    if (size == 2) CHECK(settings_tab.y > doors_tab.y);
    finger_tap(ui, settings_tab);
    CHECK(app::state().tab == app::Tab::settings);
    const auto& settings = ui.frames();
    CHECK(find(settings, mirror::Role::tab, "Settings")->checked);
    CHECK_FALSE(find(settings, mirror::Role::tab, "Door")->checked);
    check_screen(settings, "settings");
    press(ui, ui.frames(), mirror::Role::button, "End of shift");
    const auto& summary = ui.frames();
    REQUIRE(find(summary, mirror::Role::heading, "End of shift"));
    check_screen(summary, "summary");
    press(ui, summary, mirror::Role::button, "Back");
    CHECK_FALSE(app::state().summary_open);
  }
}

TEST_CASE("text size and high contrast are set in Settings through the mirror and remembered") {
  Phone p("display");
  auto& ui = p.ui;
  press(ui, ui.frames(), mirror::Role::tab, "Settings");
  const auto& st = ui.frames();
  CHECK(find(st, mirror::Role::radio, "Normal")->checked);
  press(ui, st, mirror::Role::radio, "Largest");
  CHECK(p.h.font_px == 23);
  CHECK(p.h.settings["text_size"] == "2");
  press(ui, ui.frames(), mirror::Role::checkbox, "High contrast");
  CHECK(app::state().high_contrast);
  ui.frames();
  CHECK(ImGui::GetStyle().Colors[ImGuiCol_WindowBg].x == 1.f);  // applied before the next frame
  CHECK(p.h.settings["high_contrast"] == "1");
  p.h.crash();
  p.h.start();
  p.h.settle();
  CHECK(app::state().text_size == 2);
  CHECK(app::state().high_contrast);
  CHECK(p.h.font_px == 23);
}
