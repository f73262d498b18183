// Tests for the phone's sync you can see and the end of the shift (issue 15 items 6 and 7) through
// the recorded-call host: "saved" only after the outbox write, a full storage never saying saved and
// retrying, the reasons sending fails, the first download retried with backoff, the second tab
// taking over, the summary's counts, and "finish" refused while anything is unsent.
#include <doctest/doctest.h>

#include <filesystem>

#include "tests/wasm/host_double.h"
#include "wasm/app.h"
#include "wasm/ui_widgets.h"

using namespace doorstep;
using testing::RecordingHost;

namespace {

std::string fresh_dir(const std::string& name) {
  auto d = std::filesystem::temp_directory_path() / ("doorstep-sync-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  return d.string();
}

void boot(RecordingHost& h) {
  h.url_token = testing::kToken;
  h.start();
  h.settle();
  REQUIRE(app::state().phase == app::Phase::ready);
}

// The package with a 1-5 support question beside the yes/no one.
std::string package_with_support() {
  std::string p = testing::package_json();
  std::string q1 = R"({"id":"q1","kind":"yes_no","labels":{"en":"Support Medicare for All?"}})";
  auto at = p.find(q1);
  REQUIRE(at != std::string::npos);
  p.replace(at, q1.size(), q1 + R"(,{"id":"sup","kind":"scale_1_5","labels":{"en":"How much do you support it?"},)" +
                               R"("choices":[{"id":"1","labels":{"en":"1"}},{"id":"2","labels":{"en":"2"}},{"id":"3","labels":{"en":"3"}},)" +
                               R"({"id":"4","labels":{"en":"4"}},{"id":"5","labels":{"en":"5"}}]})");
  return p;
}

}  // namespace

TEST_CASE("saved only after the outbox callback: the status says Saving until the durable write completes") {
  RecordingHost h(fresh_dir("saved"));
  boot(h);
  app::select_door(0, false);
  app::record("not_home");
  CHECK(h.status.find("Saving") != std::string::npos);
  CHECK(h.status.find("Saved on phone") == std::string::npos);
  CHECK(h.status.find("Recorded") == std::string::npos);
  CHECK(h.status.find("1 not yet sent") != std::string::npos);
  h.finish_puts();
  CHECK(h.status.find("Saved on phone") != std::string::npos);
  app::stop();
}

TEST_CASE("storage full: a QuotaExceededError never says saved; the record stays and its write is retried") {
  RecordingHost h(fresh_dir("quota"));
  boot(h);
  h.online = false;
  app::on_network_change(false);
  h.put_error = "QuotaExceededError";
  app::select_door(0, false);
  app::record("not_home");
  h.finish_puts(false);
  CHECK(app::state().sync.trouble == app::Trouble::storage_full);
  CHECK(h.status.find("Saved on phone") == std::string::npos);
  CHECK(h.status.find("storage full") != std::string::npos);
  CHECK(h.stats["unsaved"] == 1);
  CHECK(app::state().session->pending() == 1);  // still in SQLite and in the session's outbox
  // Retried with a delay, still failing, then space is freed.
  size_t puts = h.count("outbox_put");
  h.advance(2000);
  CHECK(h.count("outbox_put") == puts + 1);
  h.finish_puts(false);
  h.advance(3000);
  CHECK(h.count("outbox_put") == puts + 1);  // the delay grows
  h.advance(1000);
  CHECK(h.count("outbox_put") == puts + 2);
  h.put_error.clear();
  h.finish_puts(true);
  CHECK(h.status.find("Saved on phone") != std::string::npos);
  CHECK(h.stats["unsaved"] == 0);
  CHECK(app::state().sync.trouble != app::Trouble::storage_full);
  h.online = true;
  app::on_network_change(true);
  h.settle();
  CHECK(h.server_records() == 1);
  app::stop();
}

TEST_CASE("the reason sending fails: offline, server trouble, then the last sync time and Send now") {
  RecordingHost h(fresh_dir("reasons"));
  boot(h);
  CHECK(app::state().sync.last_sync_ms > 0);  // the package's pull answered
  h.online = false;
  app::select_door(0, false);
  app::record("not_home");
  h.finish_puts();
  h.advance(0);
  h.answer_all_http();
  CHECK(app::state().sync.trouble == app::Trouble::offline);
  CHECK(ui::sync_summary().find("1 not yet sent — Offline") != std::string::npos);
  h.online = true;
  h.fail_status = 503;
  app::send_now();
  h.advance(0);
  h.answer_all_http();
  CHECK(app::state().sync.trouble == app::Trouble::server);
  CHECK(ui::sync_summary().find("Server trouble") != std::string::npos);
  // "Send now" does not wait out the backoff.
  h.fail_status = 0;
  REQUIRE(h.requests.empty());
  app::send_now();
  h.advance(0);
  REQUIRE_FALSE(h.requests.empty());
  int64_t before = app::state().sync.last_sync_ms;
  h.now += 60000;
  h.answer_all_http();
  CHECK(h.server_records() == 1);
  CHECK(app::state().sync.trouble == app::Trouble::none);
  CHECK(app::state().sync.last_sync_ms > before);
  CHECK(ui::sync_summary().find("All sent") != std::string::npos);
  app::stop();
}

TEST_CASE("an ended link is a reason too, and the records wait for it") {
  RecordingHost h(fresh_dir("ended"));
  boot(h);
  h.online = false;
  app::select_door(0, false);
  app::record("not_home");
  h.finish_puts();
  h.settle();
  h.online = true;
  h.fail_status = 401;
  app::send_now();
  h.advance(0);
  h.answer_all_http();
  CHECK(app::state().sync.trouble == app::Trouble::link_ended);
  CHECK(ui::sync_summary().find("Link ended") != std::string::npos);
  CHECK(app::state().session->pending() == 1);
  app::stop();
}

TEST_CASE("first load offline: retried with a growing delay, says offline, and loads when the network returns") {
  RecordingHost h(fresh_dir("firstload"));
  h.url_token = testing::kToken;
  h.online = false;
  h.start();
  h.advance(0);
  h.finish_checkpoints();
  h.answer_all_http();
  CHECK(app::state().phase == app::Phase::loading);
  CHECK(app::state().load_failures == 1);
  CHECK(h.status.find("offline") != std::string::npos);
  CHECK(h.status.find("Loading") == std::string::npos);
  size_t gets = h.count("http GET /api/v1/canvass/package");
  h.advance(2000);
  CHECK(h.count("http GET /api/v1/canvass/package") == gets + 1);
  h.answer_all_http();
  h.advance(3000);
  CHECK(h.count("http GET /api/v1/canvass/package") == gets + 1);  // 4 s this time
  h.advance(1000);
  CHECK(h.count("http GET /api/v1/canvass/package") == gets + 2);
  h.answer_all_http();
  CHECK(app::state().load_failures == 3);
  // The network returns: at once, without waiting for the next try.
  h.online = true;
  app::on_network_change(true);
  h.answer_all_http();
  h.advance(0);
  CHECK(app::state().phase == app::Phase::ready);
  CHECK(h.stats["doors"] == 2);
  app::stop();
}

TEST_CASE("a second tab waits for the writer lock and takes over when the first one closes") {
  RecordingHost h(fresh_dir("takeover"));
  boot(h);
  app::select_door(0, false);
  app::record("not_home");
  h.finish_puts();  // durable in the outbox; the first tab closes before its push
  h.crash();
  h.lock_elsewhere = true;
  h.start();
  h.settle();
  CHECK(app::state().phase == app::Phase::other_tab);
  CHECK(h.status.find("takes over") != std::string::npos);
  CHECK_FALSE(h.called("http POST"));
  h.release_lock();
  h.settle();
  CHECK(app::state().phase == app::Phase::ready);
  CHECK(h.server_records() == 1);
  CHECK(app::state().session->door_status(0) == canvass::status_index("not_home"));
  app::stop();
}

TEST_CASE("the shift summary: doors, contacts, sign-ups and the support spread from this phone's records") {
  RecordingHost h(fresh_dir("summary"));
  h.package = package_with_support();
  boot(h);
  app::select_door(0, false);
  app::state().draft.answers["sup"] = json::Value("5");
  app::state().draft.signup.name = "Ana";
  app::state().draft.signup.volunteer = true;
  app::save_draft();
  app::select_door(1, false);
  app::record("not_home");
  app::select_door(1, false);
  app::state().draft.answers["sup"] = json::Value("2");
  app::save_draft();
  h.settle();
  auto sum = app::shift_summary();
  CHECK(sum.doors == 2);
  CHECK(sum.contacts == 2);
  CHECK(sum.signups == 1);
  CHECK(sum.support_question == "sup");
  CHECK(sum.support[4] == 1);
  CHECK(sum.support[1] == 1);
  CHECK(sum.support[0] + sum.support[2] + sum.support[3] == 0);
  // The same after a reload: counted from the stored history, not this run's memory.
  h.crash();
  h.start();
  h.settle();
  auto again = app::shift_summary();
  CHECK(again.doors == 2);
  CHECK(again.signups == 1);
  app::stop();
}

TEST_CASE("finish is refused while anything is unsent, saying so, then wipes once everything is sent") {
  RecordingHost h(fresh_dir("finish"));
  boot(h);
  h.online = false;
  app::on_network_change(false);
  app::select_door(0, false);
  app::record("not_home");
  h.settle();
  app::open_summary(true);
  CHECK_FALSE(app::finish_shift());
  CHECK(app::state().finish_refused);
  CHECK(app::state().session->has_package());
  CHECK(app::state().phase == app::Phase::ready);
  CHECK(h.map_layers > 0);
  h.online = true;
  app::on_network_change(true);
  h.settle();
  REQUIRE(h.server_records() == 1);
  CHECK(app::finish_shift());
  CHECK(app::state().phase == app::Phase::ended);
  CHECK(app::state().finished);
  CHECK_FALSE(app::state().session->has_package());
  CHECK(h.map_layers == 0);
  h.settle();
  CHECK(h.durable_bytes().find("Zyxwvutsrqponm") == std::string::npos);
  CHECK(h.status.find("Shift finished") != std::string::npos);
  app::stop();
}

TEST_CASE("undo of the last record for 10 s: voided, sent, the door back to knock; then the button goes") {
  RecordingHost h(fresh_dir("undo"));
  boot(h);
  app::select_door(0, false);
  app::record("not_home");
  h.finish_puts();
  CHECK(app::state().selected == 1);  // advanced
  CHECK(app::can_undo());
  app::undo_last();
  CHECK(app::state().selected == 0);  // back at the undone door
  CHECK(app::state().session->door_status(0) == 0);
  CHECK_FALSE(app::can_undo());
  h.settle();
  CHECK(h.stats["pending"] == 0);
  // The next record's Undo is gone after 10 s (one timer, one redraw).
  app::record("refused");
  h.finish_puts();
  CHECK(app::can_undo());
  int frames = h.frames_requested;
  h.advance(10001);
  CHECK_FALSE(app::can_undo());
  CHECK(h.frames_requested > frames);
  app::stop();
}

TEST_CASE("a correction from the door's history replaces the result; it stays at the door; cancel changes nothing") {
  RecordingHost h(fresh_dir("amend"));
  boot(h);
  app::select_door(0, false);
  app::record("not_home");
  h.settle();
  app::select_door(0, false);
  auto hist = app::state().session->attempts_at(0);
  REQUIRE(hist.size() == 1);
  std::string id = hist[0]->id;
  app::start_amend(id);
  app::cancel_amend();
  CHECK(app::state().amending.empty());
  app::start_amend(id);
  CHECK(app::state().amending == id);
  app::record("refused");
  CHECK(app::state().selected == 0);  // a correction does not advance
  CHECK(app::state().amending.empty());
  CHECK(app::state().session->door_status(0) == canvass::status_index("refused"));
  h.settle();
  CHECK(h.stats["pending"] == 0);
  auto again = app::state().session->attempts_at(0);
  REQUIRE(again.size() == 1);
  CHECK(again[0]->result == "refused");
  CHECK(again[0]->amended);
  CHECK(app::shift_summary().doors == 1);
  app::stop();
}

TEST_CASE("offline past the link's end and its grace: the turf leaves the phone, unsent records stay and still go out") {
  RecordingHost h(fresh_dir("expired"));
  const int64_t end = testing::kStart + 8ll * 3600 * 1000;  // the link ends 8 hours into the shift
  h.package = testing::package_json();
  h.package.insert(1, R"("link":{"id":"l1","expires_at":)" + std::to_string(end) + "},");
  boot(h);
  REQUIRE(app::state().session->package().expires_at == end);
  h.online = false;
  app::on_network_change(false);
  app::select_door(0, false);
  app::record("not_home");
  h.finish_puts();
  h.settle();
  REQUIRE(app::state().session->pending() == 1);
  // Within the grace nothing changes; past it the slow timer's next tick ends the turf.
  h.now = end + 71ll * 3600 * 1000;
  h.advance(61000);
  CHECK(app::state().session->has_package());
  h.now = end + 73ll * 3600 * 1000;
  h.advance(61000);
  CHECK(app::state().phase == app::Phase::ended);
  CHECK_FALSE(app::state().session->has_package());
  CHECK(app::state().session->pending() == 1);  // the record still waits to be sent
  CHECK(app::state().session->link_ended());
  CHECK(h.map_layers == 0);
  CHECK(h.status.find("1 not yet sent") != std::string::npos);
  h.settle();
  CHECK(h.durable_bytes().find("Zyxwvutsrqponm") == std::string::npos);  // no resident's name stays
  // A reload keeps it ended (not "Loading your doors"), the record still waiting.
  h.crash();
  h.start();
  h.settle();
  CHECK(app::state().phase == app::Phase::ended);
  CHECK(app::state().session->pending() == 1);
  // Back online: the server takes the record (kept for review: it came after the end) and the
  // phone forgets the rest, the token too.
  h.online = true;
  app::on_network_change(true);
  h.settle();
  CHECK(app::state().session->pending() == 0);
  CHECK(app::state().session->token().empty());
  app::stop();
}
