// The canvasser's shift screens driven through the accessible mirror over the recorded-call host:
// the first-open name dialog (remembered, in the script, sent with records), the language chosen
// once and the phone's default among the campaign's, the walk list's street/building/floor headers
// and search, the door in its resident's language with a one-tap switch, skip, "leaving: unsafe",
// recording that advances, the Help screen, practice from the bare page, and 2,000 doors drawn
// through the list clipper. Leaves out the browser (tests/e2e/shift.test.mjs).
#include <doctest/doctest.h>

#include <chrono>

#include "tests/wasm/host_double.h"
#include "tests/wasm/panels_harness.h"
#include "wasm/i18n.h"
#include "wasm/ui_widgets.h"

using namespace doorstep;
using namespace doorstep::testing;
using mirror::Role;

namespace {

std::string door_json(int i, const std::string& address, const std::string& unit, const std::string& building) {
  char id[40];
  std::snprintf(id, sizeof id, "0192f0c4-7b00-7000-8000-%012d", 500 + i);
  return std::string(R"({"id":")") + id + R"(","lat":)" + std::to_string(33.999 + i * 1e-5) + R"(,"lon":-118.439,"address":")" +
         address + (unit.empty() ? "" : " Apt " + unit) + R"(","unit":")" + unit + R"(","building_id":")" + building +
         R"(","order":)" + std::to_string(i + 1) + R"(,"status":"not_visited","history":)" +
         (i == 1 ? R"([{"result":"not_home","at":1767139200000,"canvasser":"Sam"}])" : "[]") + "}";
}

// A turf with a house, an apartment building of five units on two floors and one more house,
// residents in Spanish and Korean, a script with "I'm ___" and the campaign's Help.
std::string shift_package() {
  std::string doors = door_json(0, "10 Main St", "", "h1") + "," + door_json(1, "200 Ocean Ave", "304", "b1") + "," +
                      door_json(2, "200 Ocean Ave", "1205", "b1") + "," + door_json(3, "200 Ocean Ave", "302", "b1") + "," +
                      door_json(4, "200 Ocean Ave", "B", "b1") + "," + door_json(5, "12 Main St", "", "h2");
  return std::string(R"({"api":1,"campaign":{"id":"c1","name":"Venice","languages":["en","es","ko"],)") +
         R"("help":{"organizer_name":"Maria","organizer_phone":"+1 310 555 0142","meeting_place":"Oakwood Park",)" +
         R"("shift_end":"1:00 pm","faq":{"en":[{"q":"What does it cost?","a":"Less than now."}],)" +
         R"("es":[{"q":"¿Cuánto cuesta?","a":"Menos que hoy."}]}}},)" +
         R"("turf":{"id":")" + kTurf + R"(","name":"Ocean"},"doors":[)" + doors + "]," +
         R"("people":[{"id":"p1","door_id":"0192f0c4-7b00-7000-8000-000000000500","first_name":"Ana","last_name":"Ruiz","language":"es","age":41},)" +
         R"({"id":"p2","door_id":"0192f0c4-7b00-7000-8000-000000000501","first_name":"Min","last_name":"Kim","language":"ko","age":67},)" +
         R"({"id":"p3","door_id":"0192f0c4-7b00-7000-8000-000000000501","first_name":"Joe","last_name":"Kim","language":"en"}],)" +
         R"("script":{"en":[{"id":"s1","title":"Hi","text":"Hi, I'm ___, a volunteer."}],)" +
         R"("es":[{"id":"s1","title":"Hola","text":"Hola, soy ___, voluntaria."}]},)" +
         R"("survey":[{"id":"q1","kind":"yes_no","labels":{"en":"Support Medicare for All?","es":"¿Apoya Medicare para Todos?"}}],"cursor":""})";
}

struct Shift {
  Headless ui;
  RecordingHost h;
  explicit Shift(const std::string& name, std::vector<std::string> langs = {"en-US"}) : h(fresh_dir(name)) {
    h.package = shift_package();
    h.languages = std::move(langs);
    h.url_token = kToken;
    h.settings.erase("canvasser");  // a first open: the name dialog
    h.start();
    h.settle();
  }
  ~Shift() { app::stop(); }
  // Answers the name dialog as the canvasser would: typed in its field, then Enter.
  void type(const std::string& text) {
    REQUIRE(app::state().asking_name);
    type_in(ui, i18n::tr("your_name"), text, true);
  }
  std::vector<std::string> labels(Role role) {
    std::vector<std::string> out;
    for (auto& n : ui.frames().nodes)
      if (n.role == role) out.push_back(n.label);
    return out;
  }
};

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

}  // namespace

TEST_CASE("first open asks the first name; it is remembered, in the script and in every record") {
  Shift s("name");
  REQUIRE(app::state().asking_name);
  // The dialog holds only its own controls: the question, why, the field and its two buttons.
  const mirror::Tree& t = s.ui.frames();
  CHECK(t.dialog == "What's your first name?");
  std::vector<std::string> shape;
  for (auto& n : t.nodes) shape.push_back(std::string(mirror::role_name(n.role)) + ":" + n.label);
  CHECK(shape == std::vector<std::string>{"heading:What's your first name?",
                                          "text:It goes in the script (\"I'm ___\") and with your records.",
                                          "textbox:Your name", "button:Not now", "button:OK"});
  const mirror::Node* field = find(t, Role::textbox, "Your name");
  REQUIRE(field);
  CHECK_FALSE(field->multiline);
  CHECK(field->h >= 44.f);
  // Typing alone does not answer; Enter does (trimmed).
  type_in(s.ui, "Your name", "  Tes");
  CHECK(app::state().asking_name);
  CHECK(find(s.ui.frames(), Role::textbox, "Your name")->value == "  Tes");
  s.type("  Tess  ");
  CHECK_FALSE(app::state().asking_name);
  CHECK(app::state().canvasser == "Tess");
  CHECK(s.h.settings["canvasser"] == "Tess");
  app::select_door(0, false);
  app::state().tab = app::Tab::script;
  CHECK(has(s.labels(Role::text), "Hola, soy Tess, voluntaria."));  // Ana reads Spanish
  press(s.ui, s.ui.frames(), Role::radio, "English");
  CHECK(has(s.labels(Role::text), "Hi, I'm Tess, a volunteer."));
  app::record("not_home");
  s.h.settle();
  bool sent_with_name = false;
  for (auto& [k, v] : s.h.outbox) sent_with_name = sent_with_name || v.find(R"("canvasser":"Tess")") != std::string::npos;
  CHECK((sent_with_name || s.h.server_records() == 1));
  // A reload: no dialog again, the name is there; Settings edits it.
  s.h.crash();
  s.h.start();
  s.h.settle();
  CHECK_FALSE(app::state().asking_name);
  CHECK(s.ui.frames().dialog.empty());
  CHECK(app::state().canvasser == "Tess");
  app::state().tab = app::Tab::settings;
  // Settings: the name is a field holding it; each input event is the new name, kept at once.
  CHECK(find(s.ui.frames(), Role::textbox, "Your name")->value == "Tess");
  type_in(s.ui, "Your name", "Teresa");
  CHECK(s.h.settings["canvasser"] == "Teresa");
}

TEST_CASE("the language follows the phone's among the campaign's until chosen, then stays chosen") {
  Shift s("lang", {"fr-FR", "es-MX", "en"});
  s.type("Tess");
  CHECK(i18n::language() == "es");
  CHECK(has(s.labels(Role::tab), "Puertas"));
  CHECK(s.h.settings.count("language") == 0);  // a default is not a choice
  app::state().tab = app::Tab::settings;
  press(s.ui, s.ui.frames(), Role::radio, "English");
  CHECK(s.h.settings["language"] == "en");
  s.h.crash();
  s.h.start();
  s.h.settle();
  CHECK(i18n::language() == "en");
  CHECK(has(s.labels(Role::tab), "Doors"));
  // Chinese is offered in both written forms (Settings: a reload opens on the Doors tab).
  CHECK(app::state().tab == app::Tab::doors);
  app::state().tab = app::Tab::settings;
  auto radios = s.labels(Role::radio);
  CHECK(has(radios, "Chinese (Traditional)"));
  CHECK(has(radios, "Chinese (Simplified)"));
  // Without the Korean/Chinese font its glyphs would draw as "?": English words until it loads.
  app::set_language("zh-Hant");
  CHECK(std::string(i18n::tr("settings")) == "Settings");
  s.h.cjk_font_ok = true;
  app::set_language("zh-Hant");
  CHECK(std::string(i18n::tr("settings")) == "設定");
  app::set_language("zh-Hans");
  CHECK(std::string(i18n::tr("settings")) == "设置");
  app::set_language("en");
}

TEST_CASE("a door's title names its unit once") {
  i18n::set_language("en");
  struct Case {
    const char *address, *unit, *title;
  };
  const Case cases[] = {
      {"2301 Walgrove Ave", "2", "2301 Walgrove Ave · Unit 2"},
      {"1234 South Westmoreland Avenue #1205", "1205", "1234 South Westmoreland Avenue #1205"},
      {"11950 West Olympic Boulevard Apt 1510", "1510", "11950 West Olympic Boulevard Apt 1510"},
      {"2801 East Cesar Estrada Chavez Avenue APT B", "b", "2801 East Cesar Estrada Chavez Avenue APT B"},
      {"100 State Route 5", "5", "100 State Route 5 · Unit 5"},  // a number that is not the unit's
      {"1901 Avenue of the Stars #11905", "1905", "1901 Avenue of the Stars #11905 · Unit 1905"},  // another unit's
  };
  for (const Case& c : cases) {
    canvass::PackageDoor d;
    d.address = c.address;
    d.unit = c.unit;
    CHECK(ui::door_title(d) == c.title);
  }
}

TEST_CASE("the walk list: street and building headers, units by floor, search by address or name") {
  Shift s("walk");
  s.type("Tess");
  ImGui::GetIO().DisplaySize = ImVec2(360, 1000);  // every row on screen (the list virtualises)
  auto heads = s.labels(Role::heading);
  for (const char* h : {"Main St", "Ocean Ave", "200 Ocean Ave", "Floor 3", "Floor 12", "Units"}) CHECK_MESSAGE(has(heads, h), h);
  auto items = s.labels(Role::listitem);
  REQUIRE(items.size() == 6);
  CHECK(items[0].rfind("1. 10 Main St", 0) == 0);
  CHECK(items[1].rfind("2. 200 Ocean Ave Apt 304", 0) == 0);  // floor 3: 304, 302
  CHECK(items[2].rfind("4. 200 Ocean Ave Apt 302", 0) == 0);
  CHECK(items[3].rfind("3. 200 Ocean Ave Apt 1205", 0) == 0);  // floor 12
  CHECK(items[4].rfind("5. 200 Ocean Ave Apt B", 0) == 0);     // under "Units"
  type_in(s.ui, "Search address or name", "kim");
  items = s.labels(Role::listitem);
  REQUIRE(items.size() == 1);
  CHECK(items[0].rfind("2. ", 0) == 0);
  press(s.ui, s.ui.frames(), Role::button, "Clear search");
  CHECK(s.labels(Role::listitem).size() == 6);
  press(s.ui, s.ui.frames(), Role::button, "Go to next door");
  CHECK(app::state().selected == 0);
}

TEST_CASE("the door: residents with age and language, earlier attempts, the script in the resident's language") {
  Shift s("door");
  s.type("Tess");
  app::select_door(1, false);
  CHECK(app::state().door_lang == "ko");  // Min Kim is listed first and the campaign has Korean
  auto texts = s.labels(Role::text);
  CHECK(has(texts, "Min Kim, 67 · Korean; Joe Kim"));
  CHECK(has(texts, "• Not home · Sam"));  // from the package's history
  press(s.ui, s.ui.frames(), Role::radio, "English");
  CHECK(app::state().door_lang == "en");
  press(s.ui, s.ui.frames(), Role::button, "Talked");
  press(s.ui, s.ui.frames(), Role::radio, "Min Kim (67) · Korean");
  CHECK(app::state().door_lang == "ko");  // who answered sets the script's language
  CHECK(find(s.ui.frames(), Role::checkbox, "OK to text"));
}

TEST_CASE("recording advances to the next door; skip moves on without a record; leaving unsafe marks the door") {
  Shift s("advance");
  s.type("Tess");
  app::select_door(0, false);
  press(s.ui, s.ui.frames(), Role::button, "Not home");
  CHECK(app::state().selected == 1);
  s.h.finish_puts();
  CHECK(s.h.status.rfind("Door 1: 10 Main St — Not home.", 0) == 0);  // the status says the door recorded
  press(s.ui, s.ui.frames(), Role::button, "Skip");
  CHECK(app::state().selected == 2);
  CHECK(app::state().session->door_status(1) == 0);
  press(s.ui, s.ui.frames(), Role::button, "Leaving: unsafe");
  CHECK(app::state().session->door_status(2) == canvass::status_index("inaccessible"));
  CHECK(app::state().session->package().doors[2].safety == "Canvasser left: felt unsafe");
  CHECK(app::state().selected == 3);
  s.h.finish_puts();
  bool door_set = false;
  for (auto& [k, v] : s.h.outbox) door_set = door_set || (v.find("door.set") != std::string::npos && v.find("felt unsafe") != std::string::npos);
  CHECK(door_set);
  // Skipped doors come last: from the end, the next door is the skipped one.
  for (int d : {3, 4, 5}) {
    app::select_door(d, false);
    app::record("not_home");
  }
  CHECK(app::state().selected == 1);
}

TEST_CASE("Help is one tap from every screen: organizer's phone, meeting place, shift end, FAQ") {
  Shift s("help");
  s.type("Tess");
  for (app::Tab t : {app::Tab::doors, app::Tab::door, app::Tab::script, app::Tab::settings}) {
    app::state().tab = t;
    CHECK(find(s.ui.frames(), Role::button, "Help"));
  }
  press(s.ui, s.ui.frames(), Role::button, "Help");
  const auto& help = s.ui.frames();
  CHECK(find(help, Role::heading, "Help"));
  CHECK(find(help, Role::text, "Oakwood Park"));
  CHECK(find(help, Role::text, "1:00 pm"));
  CHECK(find(help, Role::heading, "What does it cost?"));
  press(s.ui, help, Role::button, "Call your organizer: Maria · +1 310 555 0142");
  CHECK(s.h.called("call_phone +1 310 555 0142"));
  press(s.ui, s.ui.frames(), Role::button, "Back");
  CHECK_FALSE(app::state().help_open);
}

TEST_CASE("the bare page with no turf offers practice; the practice turf is marked on every screen") {
  Headless ui;
  RecordingHost h(fresh_dir("bare"));
  h.start();
  h.settle();
  CHECK(app::state().phase == app::Phase::no_link);
  CHECK_FALSE(h.called("http"));
  const auto& bare = ui.frames();
  CHECK(find(bare, Role::button, "Help"));
  press(ui, bare, Role::button, "Practice with made-up doors");
  CHECK(h.called("open_practice 1"));
  app::stop();
  app::start_sandbox(h, "en", app::Sandbox::practice, shift_package());
  for (app::Tab t : {app::Tab::doors, app::Tab::door, app::Tab::script, app::Tab::settings}) {
    app::state().tab = t;
    CHECK(find(ui.frames(), Role::heading, "Practice: nothing is saved or sent"));
  }
  press(ui, ui.frames(), Role::button, "Help");
  CHECK(find(ui.frames(), Role::heading, "Practice: nothing is saved or sent"));
  press(ui, ui.frames(), Role::button, "End practice");
  CHECK(h.called("open_practice 0"));
  app::stop();
}

TEST_CASE("2,000 doors: the list draws only what shows, and a frame stays cheap") {
  std::string doors;
  for (int i = 0; i < 2000; ++i) {
    if (i) doors += ",";
    int b = i / 8;
    // Long addresses: every door row wraps onto more lines, and every header is measured once.
    doors += door_json(i, std::to_string(1100 + b * 2) + " South Westmoreland Avenue", std::to_string(100 * (1 + (i % 8) / 4) + i % 4 + 1),
                       "b" + std::to_string(b));
  }
  std::string pkg = std::string(R"({"api":1,"campaign":{"id":"c1","name":"V","languages":["en"]},"turf":{"id":")") + kTurf +
                    R"(","name":"Big"},"doors":[)" + doors + R"(],"people":[],"script":{},"survey":[],"cursor":""})";
  Headless ui;
  RecordingHost h(fresh_dir("big"));
  app::start_sandbox(h, "en", app::Sandbox::practice, pkg);
  REQUIRE(app::state().session->package().doors.size() == 2000);
  // The first frame measures every address once for the rows' height (ui_walk.cpp layout_for).
  auto t_first = std::chrono::steady_clock::now();
  ui.frames(1);
  double first_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_first).count();
  MESSAGE("first walk list frame, 2,000 addresses measured: " << first_ms << " ms");
  CHECK(first_ms < 2000);
  ui.frames(2);
  auto t0 = std::chrono::steady_clock::now();
  const int n = 30;
  size_t items = 0;
  for (int k = 0; k < n; ++k) {
    ImGui::GetIO().MouseWheel = -1;  // keeps scrolling: every frame lays out new rows
    items = 0;
    for (auto& node : ui.frames(1).nodes) items += node.role == Role::listitem;
  }
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / n;
  MESSAGE("walk list frame with 2,000 doors: " << ms << " ms (native, no renderer)");
  // One height for every door row (the clipper's), with room for the address's two lines and the
  // status (the first and last rows on screen may be cut by the list's edges).
  std::vector<float> heights;
  ImGui::GetIO().DisplaySize = ImVec2(360, 1000);  // a tall phone: more rows on screen
  for (auto& node : ui.frames(2).nodes)
    if (node.role == Role::listitem && node.shown) heights.push_back(node.h);
  REQUIRE(heights.size() > 2);
  for (size_t k = 1; k + 1 < heights.size(); ++k) CHECK(heights[k] == heights[1]);
  CHECK(heights[1] >= 3 * ImGui::GetFontSize());
  // A search rebuilds the rows once (every door matched), then frames are cheap again.
  auto t1 = std::chrono::steady_clock::now();
  app::state().search = "westmoreland 1";
  ui.frames(1);
  double search_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t1).count();
  MESSAGE("first frame after a search over 2,000 doors: " << search_ms << " ms");
  CHECK(search_ms < 2000);
  CHECK(items > 0);
  CHECK(items < 40);  // only the rows on screen are drawn and mirrored
  CHECK(ms < 250);    // a liveness bound; the figure is printed above
  app::stop();
}

TEST_CASE("on mobile data the package's size is shown before the download, which waits for a tap") {
  Headless ui;
  RecordingHost h(fresh_dir("cellular"));
  h.package = shift_package();
  h.mobile_data = true;
  h.url_token = kToken;
  h.start();
  h.settle();
  CHECK(h.called("http HEAD /api/v1/canvass/package"));
  CHECK_FALSE(h.called("http GET /api/v1/canvass/package"));
  CHECK(app::state().phase == app::Phase::loading);
  CHECK(app::state().package_bytes == static_cast<int64_t>(shift_package().size()));
  const auto& t = ui.frames();
  bool size_shown = false;
  for (auto& n : t.nodes) size_shown = size_shown || n.label.find("MB to download on mobile data") != std::string::npos;
  CHECK(size_shown);
  press(ui, t, Role::button, "Download");
  h.settle();
  CHECK(h.called("http GET /api/v1/canvass/package"));
  CHECK(app::state().phase == app::Phase::ready);
  app::stop();
}

namespace {
// The button `label` as the next frame draws and mirrors it.
mirror::Node button_node(Headless& ui, const std::string& label) {
  const mirror::Node* n = find(ui.frames(), Role::button, label);
  REQUIRE_MESSAGE(n, "no button " << label);
  return *n;
}
ImVec2 centre_of(const mirror::Node& n) { return ImVec2(n.x + n.w / 2, n.y + n.h / 2); }
}  // namespace

TEST_CASE("a finger lifted on a one-tap result records at once, outside a frame, and only once") {
  Shift s("quick");
  s.type("Tess");
  app::select_door(0, false);
  auto centre = [&](const std::string& label) { return centre_of(button_node(s.ui, label)); };
  ImVec2 c = centre("Not home");
  size_t before = app::state().session->pending();
  // Landed and lifted on "Not home": recorded before any frame, and the panel is on the next door.
  CHECK(ui::quick_tap(c.x, c.y, c.x + 3, c.y + 2));
  CHECK(app::state().session->pending() == before + 1);
  CHECK(app::state().session->door_status(0) == canvass::status_index("not_home"));
  CHECK(app::state().selected == 1);
  // A second lift before the next frame is drawn is ImGui's again: one tap, one record.
  CHECK_FALSE(ui::quick_tap(c.x, c.y, c.x, c.y));
  // What ImGui hears of the taken tap (web platform: the press, then a cancel) presses nothing.
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = c;
  io.MouseDown[0] = true;
  s.ui.frames(1);
  io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
  io.MouseDown[0] = false;
  s.ui.frames(2);
  CHECK(app::state().session->pending() == before + 1);
  CHECK(app::state().selected == 1);
  // Landed on "Refused" but lifted outside it, or on "Talked" (which opens the survey): ImGui's.
  ImVec2 r = centre("Refused");
  CHECK_FALSE(ui::quick_tap(r.x, r.y, r.x, r.y + 200));
  ImVec2 t = centre("Talked");
  CHECK_FALSE(ui::quick_tap(t.x, t.y, t.x, t.y));
  CHECK(app::state().session->pending() == before + 1);
  // The next door's "Refused", drawn in the last frame, records for that door.
  CHECK(ui::quick_tap(r.x, r.y, r.x, r.y));
  CHECK(app::state().session->door_status(1) == canvass::status_index("refused"));
  CHECK(app::state().session->pending() == before + 2);
  s.h.finish_puts();
  // Help over the panel: nothing under the finger is a result button.
  app::open_help(true);
  s.ui.frames(2);
  CHECK_FALSE(ui::quick_tap(r.x, r.y, r.x, r.y));
}

TEST_CASE("a double tap on a one-tap result records once per tap, by finger and from the mirror") {
  Shift s("quick2");
  s.type("Tess");
  app::select_door(0, false);
  auto node = [&](const std::string& label) { return button_node(s.ui, label); };
  const mirror::Node nh = node("Not home");
  ImVec2 c(nh.x + nh.w / 2, nh.y + nh.h / 2);
  size_t before = app::state().session->pending();
  // Finger, twice before a frame is drawn: the first tap records door 0 at once; the second is
  // no fast tap (nothing is drawn for door 1 yet), so it is ImGui's: a press and a release in the
  // next frames, on door 1's "Not home" where that frame draws it: door 1, one record.
  REQUIRE(ui::quick_tap(c.x, c.y, c.x, c.y));
  CHECK(app::state().session->pending() == before + 1);
  CHECK_FALSE(ui::quick_tap(c.x, c.y, c.x, c.y));
  CHECK(app::state().session->pending() == before + 1);
  finger_tap(s.ui, node("Not home"));
  CHECK(app::state().session->pending() == before + 2);
  CHECK(app::state().session->door_status(0) == canvass::status_index("not_home"));
  CHECK(app::state().session->door_status(1) == canvass::status_index("not_home"));
  CHECK(app::state().selected == 2);
  // The mirror (keyboard, screen reader), twice before a frame: the first press records door 2
  // at once; the second is no fast press (nothing drawn for door 3 yet) and goes to the next
  // frame as any mirror press does, on door 3's "Not home" (same element id): door 3.
  const mirror::Node again = node("Not home");
  CHECK(again.id == nh.id);
  REQUIRE(ui::quick_activate(again.id));
  CHECK(app::state().session->pending() == before + 3);
  CHECK(app::state().session->door_status(2) == canvass::status_index("not_home"));
  CHECK(app::state().selected == 3);
  CHECK_FALSE(ui::quick_activate(again.id));
  mirror::activate(again.id);
  s.ui.frames(2);
  CHECK(app::state().session->pending() == before + 4);
  CHECK(app::state().session->door_status(3) == canvass::status_index("not_home"));
  // "Talked" opens the survey: never a fast press; nor an id no result button has.
  const mirror::Node talked = node("Talked");
  CHECK_FALSE(ui::quick_activate(talked.id));
  CHECK_FALSE(ui::quick_activate(12345));
  CHECK(app::state().session->pending() == before + 4);
  s.h.finish_puts();
}
