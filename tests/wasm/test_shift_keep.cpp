// What a shift keeps across a reload and takes back on undo (issue 15, items 3, 5 and 7), through
// the recorded-call host: skipped doors stay skipped after a relaunch and a package refresh (by
// door id) until a result; the undo of "leaving: unsafe" lifts the mark (phone and server) and the
// skip; at start-up a stored turf not on screen whose link ended with nothing to send goes.
#include <doctest/doctest.h>

#include "tests/wasm/host_double.h"
#include "tests/wasm/panels_harness.h"

using namespace doorstep;
using namespace doorstep::testing;

namespace {

// A new page load with `token` in the URL ("": the bare page), after the tab was killed; runs
// only what is due now (no clock moves), so a later task has not run yet.
void relaunch(RecordingHost& h, const std::string& token) {
  h.crash();
  h.calls.clear();
  h.map_layers = 0;
  h.url_token = token;
  h.start();
  for (int i = 0; i < 10; ++i) {
    h.finish_puts();
    h.finish_checkpoints();
    h.answer_all_http();
    h.advance(0);
  }
}

// The test package with its two doors in the other walk order (a refreshed package).
std::string swapped_package(const std::string& version) {
  std::string p = package_json();
  for (auto [from, to] : {std::pair<const char*, const char*>{"\"order\":2", "\"order\":9"}, {"\"order\":1", "\"order\":2"},
                          {"\"order\":9", "\"order\":1"}}) {
    auto at = p.find(from);
    REQUIRE(at != std::string::npos);
    p.replace(at, std::string(from).size(), to);
  }
  p.insert(p.find("\"api\":1,") + 8, R"("package_version":")" + version + R"(",)");
  return p;
}

}  // namespace

TEST_CASE("a skipped door stays skipped after a relaunch and a package refresh, until it gets a result") {
  Phone p("skipkeep");
  auto& h = p.h;
  REQUIRE(app::state().phase == app::Phase::ready);
  const std::string first = app::state().session->package().doors[0].id;
  app::select_door(0, false);
  app::skip_door();
  CHECK(app::state().selected == 1);
  CHECK(app::state().session->skipped(0));
  h.settle();
  relaunch(h, "");
  h.settle();
  REQUIRE(app::state().phase == app::Phase::ready);
  CHECK(app::state().session->skipped(0));
  REQUIRE(app::state().skipped.size() == 2);
  CHECK(app::state().skipped[0]);
  CHECK_FALSE(app::state().skipped[1]);
  app::state().selected = -1;
  app::next_door();  // skipped doors come last
  CHECK(app::state().selected == 1);

  // The organizer's new package lists the doors the other way round: the skip follows its door.
  h.package = swapped_package("00000000000000b3");
  h.package_version = "00000000000000b3";
  app::send_now();
  h.answer_all_http();
  h.answer_all_http();
  CHECK(h.stats["package_refreshed"] == 1);
  REQUIRE(app::state().session->package().doors[1].id == first);
  CHECK(app::state().session->skipped(1));
  CHECK_FALSE(app::state().session->skipped(0));
  CHECK(app::state().skipped[1]);
  CHECK_FALSE(app::state().skipped[0]);

  // A result at the door lifts the skip, and that too survives a relaunch.
  app::select_door(1, false);
  app::record("not_home");
  CHECK_FALSE(app::state().session->skipped(1));
  CHECK_FALSE(app::state().skipped[1]);
  h.settle();
  relaunch(h, "");
  h.settle();
  REQUIRE(app::state().phase == app::Phase::ready);
  for (int d : {0, 1}) CHECK_FALSE(app::state().session->skipped(d));
  CHECK(h.server_records() == 1);
}

TEST_CASE("undo of leaving unsafe: the attempt is voided, the phone's and the server's mark go, the door is no longer skipped") {
  Phone p("unsafeundo");
  auto& h = p.h;
  REQUIRE(app::state().phase == app::Phase::ready);
  const std::string d0 = app::state().session->package().doors[0].id, d1 = app::state().session->package().doors[1].id;
  app::select_door(0, false);
  app::leave_unsafe();
  h.finish_puts();
  CHECK(app::state().session->skipped(0));
  CHECK(app::state().session->package().doors[0].safety == "Canvasser left: felt unsafe");
  // The mark reaches the server before the undo (both orders end the same: last writer wins).
  h.advance(0);
  h.answer_all_http();
  h.finish_puts();
  CHECK(h.server_field("door", d0, "safety") == R"("Canvasser left: felt unsafe")");
  REQUIRE(app::can_undo());
  app::undo_last();
  CHECK(app::state().selected == 0);
  CHECK(app::state().session->door_status(0) == 0);
  CHECK(app::state().session->package().doors[0].safety.empty());
  CHECK(std::find(app::state().session->package().doors[0].flags.begin(), app::state().session->package().doors[0].flags.end(),
                  "safety") == app::state().session->package().doors[0].flags.end());
  CHECK_FALSE(app::state().session->skipped(0));
  CHECK_FALSE(app::state().skipped[0]);
  h.settle();
  CHECK(h.stats["pending"] == 0);
  CHECK(h.server_field("door", d0, "safety") == "null");
  // Another record's undo leaves the next door's safety alone (it was never marked).
  app::select_door(1, false);
  app::record("refused");
  h.finish_puts();
  app::undo_last();
  h.settle();
  CHECK(h.server_field("door", d1, "safety").empty());
  relaunch(h, "");
  h.settle();
  CHECK_FALSE(app::state().session->skipped(0));
}

TEST_CASE("start-up: a stored turf not on screen whose link ended with nothing to send goes, after the first screen") {
  Phone p("storedend");
  auto& h = p.h;
  h.settings["canvasser"] = "Tess";
  app::select_door(0, false);
  app::record("not_home");
  h.settle();
  REQUIRE(h.server_records() == 1);
  // A second link, kept beside the first: B on screen, A stored with nothing to send.
  relaunch(h, kToken2);
  REQUIRE(app::state().phase == app::Phase::choose_link);
  app::keep_both();
  h.settle();
  REQUIRE(app::state().session->package().turf_name == "Rose Court");
  REQUIRE(h.stats["pending_all"] == 0);
  // A's link is revoked; the bare page resumes B. The first screen is B's, drawn before A is asked.
  h.revoked = true;
  h.revoked_at = h.now;
  relaunch(h, "");
  REQUIRE(app::state().phase == app::Phase::ready);
  CHECK(app::state().session->package().turf_name == "Rose Court");
  CHECK(h.called("map_show 2"));
  CHECK(app::stored_turfs().size() == 2);
  CHECK_FALSE(h.called(std::string("drop_tile_cache ") + kTurf));
  h.settle();  // the later task: one pull for A, answered 401 revoked
  auto stored = app::stored_turfs();
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].name == "Rose Court");
  CHECK(h.called(std::string("drop_tile_cache ") + kTurf));
  CHECK_FALSE(h.called("map_clear"));  // the map shows B
  CHECK_FALSE(h.called("drop_tile_caches"));
  h.finish_checkpoints();
  CHECK(h.durable_bytes().find("Zyxwvutsrqponm") == std::string::npos);  // A's file (slot 0) lost its resident
  // B goes on as before.
  app::select_door(0, false);
  app::record("not_home");
  h.settle();
  CHECK(h.server_records() == 2);
}

TEST_CASE("start-up: a stored turf whose link still runs stays after the check") {
  Phone p("storedlive");
  auto& h = p.h;
  h.settings["canvasser"] = "Tess";
  relaunch(h, kToken2);
  app::keep_both();
  h.settle();
  REQUIRE(app::state().session->package().turf_name == "Rose Court");
  relaunch(h, "");
  h.settle();
  CHECK(app::stored_turfs().size() == 2);  // A's pull answered 200: kept
  CHECK(app::state().session->package().turf_name == "Rose Court");
}
