// Turfs side by side on one phone (issue 15 item 7, second half) through the recorded-call host:
// a second link opened while a turf is unfinished asks (the dialog, mirrored as a dialog with
// only its controls); "Keep both" loads the new turf beside the first, each turf's records go to
// the server under its own link's token once, the switcher and the bare page resume the turf used
// last; "Finish first" refuses while anything is unsent, then the new link loads in its place; a
// fourth turf is refused at the limit; a link that ends wipes only its own turf.
#include <doctest/doctest.h>

#include <set>

#include "tests/wasm/host_double.h"
#include "tests/wasm/panels_harness.h"
#include "wasm/i18n.h"

using namespace doorstep;
using namespace doorstep::testing;
using mirror::Role;

namespace {

// A new page load with `token` in the URL ("": the bare page), after the tab was killed.
void reopen(RecordingHost& h, const std::string& token) {
  h.crash();
  h.calls.clear();
  h.map_layers = 0;  // a new page: nothing drawn yet
  h.url_token = token;
  h.start();
  h.settle();
}

// Records one door "Not home" and lets its durable write complete.
void record_one(RecordingHost& h, int door) {
  app::select_door(door, false);
  app::record("not_home");
  h.finish_puts();
}

std::set<std::string> ids(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }

const app::StoredTurf* turf_named(const std::vector<app::StoredTurf>& turfs, const std::string& name) {
  for (const auto& t : turfs)
    if (t.name == name) return &t;
  return nullptr;
}

// Phone on link A (Walgrove) with one record sent and one unsent (offline), then link B opened.
struct TwoLinks {
  Headless ui;
  RecordingHost h;
  std::vector<std::string> a_records;  // attempt ids recorded on A
  explicit TwoLinks(const std::string& name) : h(fresh_dir(name)) {
    h.settings["canvasser"] = "Tess";
    h.url_token = kToken;
    h.start();
    h.settle();
    REQUIRE(app::state().phase == app::Phase::ready);
    record_one(h, 0);
    h.settle();
    REQUIRE(h.server_records() == 1);
    h.online = false;
    app::on_network_change(false);
    record_one(h, 1);
    h.settle();
    REQUIRE(app::state().session->pending() == 1);
    for (const auto* a : app::state().session->my_attempts()) a_records.push_back(a->id);
    reopen(h, kToken2);
  }
  ~TwoLinks() { app::stop(); }
  // "Keep both" with the network back: B's doors load and A's unsent record goes under A's link.
  void keep_both_online() {
    app::keep_both();
    h.online = true;
    app::on_network_change(true);
    h.settle();
    REQUIRE(app::state().session->package().turf_name == "Rose Court");
  }
};

}  // namespace

TEST_CASE("a second link while a turf is unfinished: the dialog names it; Keep both; each turf's records under its own link, once") {
  TwoLinks p("keepboth");
  auto& h = p.h;
  REQUIRE(app::state().phase == app::Phase::choose_link);
  CHECK(h.url_token == kToken2);  // the new link stays in the address bar until it is chosen
  CHECK_FALSE(h.called("http GET /api/v1/canvass/package"));  // nothing of the new link yet
  CHECK(h.map_layers == 0);
  // The dialog is a dialog for screen readers: the mirror holds only its controls.
  const auto& t = p.ui.frames();
  CHECK(t.dialog == "Another turf is on this phone");
  CHECK(find(t, Role::text, "Walgrove: 0 doors left, 1 not yet sent"));
  CHECK(find(t, Role::button, "Finish Walgrove first"));
  CHECK(find(t, Role::button, "Keep both"));
  CHECK_FALSE(find(t, Role::button, "Help"));
  for (const auto& n : t.nodes) CHECK(n.role != Role::tab);
  CHECK(h.status == "Another turf is on this phone");

  press(p.ui, t, Role::button, "Keep both");
  h.settle();  // offline: B's package cannot come yet
  CHECK(app::state().phase == app::Phase::loading);
  CHECK(p.ui.frames().dialog.empty());
  CHECK(h.url_token.empty());  // B's token is stored (a checkpoint holds it), so it left the URL
  h.online = true;
  app::on_network_change(true);
  h.settle();
  REQUIRE(app::state().phase == app::Phase::ready);
  CHECK(app::state().session->package().turf_name == "Rose Court");
  CHECK(app::state().session->package().doors.size() == 2);
  CHECK(h.phone_files().size() == 2);  // one database file per turf
  record_one(h, 0);
  h.settle();
  std::string b_record = app::state().session->my_attempts().front()->id;

  // On the server: A's two records under A's link (turf), B's one under B's, each once.
  auto turfs = h.server_record_turfs();
  CHECK(turfs.size() == 3);
  for (const auto& id : p.a_records) CHECK(turfs[id] == kTurf);
  CHECK(turfs[b_record] == kTurf2);
  auto by_a = ids(h.pushed_by_token[kToken]), by_b = ids(h.pushed_by_token[kToken2]);
  for (const auto& id : p.a_records) CHECK_FALSE(by_b.count(id));
  CHECK(by_b.count(b_record));
  CHECK_FALSE(by_a.count(b_record));
  CHECK(h.stats["pending_all"] == 0);

  // The switcher (Settings) lists both, B on screen; a tap on A reloads the bare page once a
  // checkpoint holds the choice, and the bare page resumes A with its records.
  auto stored = app::stored_turfs();
  REQUIRE(stored.size() == 2);
  REQUIRE(turf_named(stored, "Walgrove"));
  CHECK_FALSE(turf_named(stored, "Walgrove")->active);
  CHECK(turf_named(stored, "Rose Court")->active);
  app::state().tab = app::Tab::settings;
  const auto& s = p.ui.frames();
  CHECK(find(s, Role::heading, "Turfs on this phone"));
  CHECK(find(s, Role::radio, "Rose Court: 1 doors left, 0 not yet sent"));
  press(p.ui, s, Role::radio, "Walgrove: 0 doors left, 0 not yet sent");
  CHECK_FALSE(h.called("reload_bare_page"));
  h.finish_checkpoints();
  CHECK(h.called("reload_bare_page"));
  reopen(h, "");
  REQUIRE(app::state().phase == app::Phase::ready);
  CHECK(app::state().session->package().turf_name == "Walgrove");
  CHECK(app::state().session->my_attempts().size() == 2);
  reopen(h, "");  // and again: the last used stays
  CHECK(app::state().session->package().turf_name == "Walgrove");
  // Opening B's link again goes straight to B (no question: it is stored).
  reopen(h, kToken2);
  REQUIRE(app::state().phase == app::Phase::ready);
  CHECK(app::state().session->package().turf_name == "Rose Court");
  CHECK(h.url_token.empty());
  CHECK(h.server_records() == 3);
}

TEST_CASE("Finish first: refused while a record is unsent, then finished, then the new link loads in its place") {
  TwoLinks p("finishfirst");
  auto& h = p.h;
  REQUIRE(app::state().phase == app::Phase::choose_link);
  app::finish_other_first();
  REQUIRE(app::state().phase == app::Phase::ready);
  CHECK(app::state().summary_open);
  CHECK(app::state().link_waiting);
  const auto& t = p.ui.frames();
  CHECK(find(t, Role::text, "Once you finish, your new link opens."));
  CHECK_FALSE(app::finish_shift());  // offline: 1 record unsent
  CHECK(app::state().finish_refused);
  CHECK(app::state().session->package().turf_name == "Walgrove");
  h.online = true;
  app::on_network_change(true);
  h.settle();
  REQUIRE(app::state().session->pending() == 0);
  CHECK(app::finish_shift());
  h.settle();
  REQUIRE(app::state().phase == app::Phase::ready);
  CHECK(app::state().session->package().turf_name == "Rose Court");
  CHECK_FALSE(app::state().link_waiting);
  CHECK(h.url_token.empty());
  CHECK(app::stored_turfs().size() == 1);
  CHECK(h.phone_files().size() == 1);  // the finished turf's file took the new link
  auto turfs = h.server_record_turfs();
  CHECK(turfs.size() == 2);
  for (const auto& id : p.a_records) CHECK(turfs[id] == kTurf);
  // Nothing of A stays in the stored file.
  h.finish_checkpoints();
  CHECK(h.durable_bytes().find("Zyxwvutsrqponm") == std::string::npos);
}

TEST_CASE("the limit: a fourth turf is refused with a clear message, and nothing is dropped") {
  TwoLinks p("limit");
  auto& h = p.h;
  p.keep_both_online();
  // A third link (offline: its doors cannot download yet, but it holds a slot).
  h.online = false;
  const std::string third(32, 'c'), fourth(32, 'd');
  reopen(h, third);
  REQUIRE(app::state().phase == app::Phase::choose_link);
  app::keep_both();
  h.settle();
  CHECK(app::state().phase == app::Phase::loading);
  CHECK(h.phone_files().size() == 3);
  reopen(h, fourth);
  REQUIRE(app::state().phase == app::Phase::choose_link);
  app::keep_both();
  CHECK(app::state().phase == app::Phase::choose_link);
  CHECK(app::state().turf_limit);
  const auto& t = p.ui.frames();
  CHECK(find(t, Role::text, "This phone already holds 3 turfs, the most it keeps. Finish one of them first."));
  CHECK(h.phone_files().size() == 3);
  CHECK(h.url_token == fourth);
  CHECK(app::stored_turfs().size() == 3);
  // Spanish.
  i18n::set_language("es");
  const auto& es = p.ui.frames();
  CHECK(es.dialog == "Hay otro territorio en este teléfono");
  CHECK(find(es, Role::button, "Guardar los dos"));
  i18n::set_language("en");
  CHECK(h.server_records() == 2);  // A's two, each once (B and the third recorded nothing)
}

TEST_CASE("a link that ends wipes only its own turf: the one not on screen, then the one on screen") {
  TwoLinks p("ends");
  auto& h = p.h;
  app::keep_both();
  h.settle();
  // A (not on screen) holds an unsent record; its link is revoked; the network returns: the
  // record goes under A's token, and the server's wipe answer wipes A alone.
  h.revoked = true;
  h.revoked_at = h.now;
  h.online = true;
  app::on_network_change(true);
  h.settle();
  REQUIRE(app::state().phase == app::Phase::ready);
  CHECK(app::state().session->package().turf_name == "Rose Court");
  auto by_a = ids(h.pushed_by_token[kToken]);
  for (const auto& id : p.a_records) CHECK(by_a.count(id));
  for (const auto& id : p.a_records) CHECK_FALSE(ids(h.pushed_by_token[kToken2]).count(id));
  auto stored = app::stored_turfs();
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].name == "Rose Court");
  CHECK(h.called(std::string("drop_tile_cache ") + kTurf));
  CHECK_FALSE(h.called("drop_tile_caches"));
  CHECK_FALSE(h.called("map_clear"));  // the map shows B
  h.finish_checkpoints();
  CHECK(h.durable_bytes().find("Zyxwvutsrqponm") == std::string::npos);  // A's file (slot 0) lost its resident
  // B still records and sends.
  record_one(h, 1);
  h.settle();
  CHECK(ids(h.pushed_by_token[kToken2]).size() == 1);
  CHECK(h.server_record_turfs().size() >= 2);
}

TEST_CASE("the link on screen ends: only its turf goes, the other stays and the bare page resumes it") {
  TwoLinks p("ends_active");
  auto& h = p.h;
  p.keep_both_online();
  REQUIRE(h.stats["pending_all"] == 0);  // A's unsent record went under A's link
  h.revoked2 = true;
  app::send_now();  // nothing to send: a pull, answered 401 revoked
  h.settle();
  CHECK(app::state().phase == app::Phase::ended);
  CHECK(h.called(std::string("drop_tile_cache ") + kTurf2));
  CHECK_FALSE(h.called("drop_tile_caches"));
  auto stored = app::stored_turfs();
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].name == "Walgrove");
  reopen(h, "");
  REQUIRE(app::state().phase == app::Phase::ready);
  CHECK(app::state().session->package().turf_name == "Walgrove");
  CHECK(app::state().session->my_attempts().size() == 2);
}

TEST_CASE("a phone with one stored turf keeps it across the upgrade: one file, the bare page resumes it") {
  Phone p("oneturf");
  auto& h = p.h;
  record_one(h, 0);
  h.settle();
  CHECK(h.phone_files() == std::vector<std::string>{"phone.db"});
  reopen(h, "");
  REQUIRE(app::state().phase == app::Phase::ready);
  CHECK(app::state().session->package().turf_name == "Walgrove");
  CHECK(app::state().session->my_attempts().size() == 1);
  CHECK(app::stored_turfs().size() == 1);
  app::state().tab = app::Tab::settings;
  CHECK_FALSE(find(p.ui.frames(), Role::heading, "Turfs on this phone"));  // no switcher for one turf
}
