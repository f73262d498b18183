// Tests for wasm/app (the phone's controller) through a recorded-call double of its host: start-up,
// record -> durable -> push -> ack -> trim, offline, a conflict after a lost checkpoint, the wipe
// (nothing personal left in the stored file), a crash between each step losing nothing that the
// phone said was saved, and a new package applied between doors. The server side is the real sync
// code on real SQLite files.
#include <doctest/doctest.h>

#include <filesystem>

#include "tests/wasm/host_double.h"
#include "wasm/app.h"

using namespace doorstep;
using testing::RecordingHost;

namespace {

std::string fresh_dir(const std::string& name) {
  auto d = std::filesystem::temp_directory_path() / ("doorstep-phone-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  return d.string();
}

// A record whose durable outbox write completed.
void record_saved(RecordingHost& h, int door, const char* result) {
  app::select_door(door, false);
  app::record(result);
  h.finish_puts();
}

// Start-up on a link, settled: the package is shown.
void boot(RecordingHost& h) {
  h.url_token = testing::kToken;
  h.start();
  h.settle();
  REQUIRE(app::state().phase == app::Phase::ready);
}

size_t index_of(const std::vector<std::string>& calls, const std::string& prefix, size_t from = 0) {
  for (size_t i = from; i < calls.size(); ++i)
    if (calls[i].rfind(prefix, 0) == 0) return i;
  return calls.size();
}

}  // namespace

TEST_CASE("start-up: storage, the token leaves the address bar only once it is durable, then the package") {
  RecordingHost h(fresh_dir("startup"));
  h.url_token = testing::kToken;
  h.start();
  CHECK(h.calls[1] == "storage_start");
  // One step per task (a phone stays responsive): the file opens, the session reads it next.
  CHECK_FALSE(h.called("checkpoint"));
  h.advance(0);
  CHECK(h.called("checkpoint"));
  CHECK_FALSE(h.called("clear_link_from_url"));  // the checkpoint holding the token is not done yet
  CHECK(h.called("http GET /api/v1/canvass/package"));
  h.finish_checkpoints();
  CHECK(h.called("clear_link_from_url"));
  h.answer_http();
  CHECK_FALSE(h.called("map_show"));  // stored in this task, drawn in the next
  h.advance(0);
  CHECK(app::state().phase == app::Phase::ready);
  CHECK(h.called("map_show 2"));
  CHECK(h.stats["doors"] == 2);
  CHECK(h.map_labels.find("2301 Walgrove Ave") != std::string::npos);
  app::stop();
}

TEST_CASE("no link: says so and asks nothing of the server") {
  RecordingHost h(fresh_dir("nolink"));
  h.start();
  h.settle();
  CHECK(app::state().phase == app::Phase::no_link);
  CHECK_FALSE(h.called("http"));
  CHECK(h.status.find("link") != std::string::npos);
  app::stop();
}

TEST_CASE("record -> durable -> push -> ack -> trim, in that order") {
  RecordingHost h(fresh_dir("order"));
  boot(h);
  h.calls.clear();
  app::select_door(0, false);
  app::record("not_home");
  // Not saved yet: the status does not say so, and nothing is pushed before the outbox write.
  CHECK(h.puts.size() == 1);
  CHECK(h.status.find("Saved on phone") == std::string::npos);
  h.advance(5000);
  CHECK_FALSE(h.called("http POST /api/v1/canvass/push"));
  h.finish_puts();
  CHECK(h.status.find("Saved on phone") != std::string::npos);
  CHECK(h.stats["unsaved"] == 0);
  CHECK(h.stats["pending"] == 1);
  h.advance(0);
  REQUIRE(h.called("http POST /api/v1/canvass/push"));
  h.answer_http();
  CHECK(h.server_records() == 1);
  CHECK(h.stats["pending"] == 0);
  // The durable outbox entry stays until a checkpoint holding the acknowledgement completed.
  CHECK(h.outbox.size() == 1);
  h.advance(600);
  CHECK(h.outbox.size() == 1);
  CHECK_FALSE(h.called("outbox_remove_through"));
  h.finish_checkpoints();
  CHECK(h.outbox.empty());
  size_t put = index_of(h.calls, "outbox_put"), push = index_of(h.calls, "http POST /api/v1/canvass/push"),
         cp = index_of(h.calls, "checkpoint", push), trim = index_of(h.calls, "outbox_remove_through");
  CHECK(put < push);
  CHECK(push < cp);
  CHECK(cp < trim);
  CHECK(trim < h.calls.size());
  app::stop();
}

TEST_CASE("offline: records wait, nothing is lost, and go once the network returns") {
  RecordingHost h(fresh_dir("offline"));
  boot(h);
  h.online = false;
  app::on_network_change(false);
  app::select_door(0, false);
  app::record("not_home");
  app::select_door(1, false);
  app::record("refused");
  h.settle();
  CHECK(h.stats["pending"] == 2);
  CHECK(h.server_records() == 0);
  CHECK(h.status.find("2 not yet sent") != std::string::npos);
  h.online = true;
  app::on_network_change(true);
  h.settle();
  CHECK(h.server_records() == 2);
  CHECK(h.stats["pending"] == 0);
  CHECK(h.outbox.empty());
  app::stop();
}

TEST_CASE("a crash between any two steps loses nothing the phone said was saved, and duplicates nothing") {
  // The steps of one record's life; the crash falls after the first `k` of them.
  for (int k = 0; k <= 6; ++k) {
    CAPTURE(k);
    RecordingHost h(fresh_dir("crash" + std::to_string(k)));
    boot(h);
    bool saved = false;
    auto step = [&](int i) {
      switch (i) {
        case 0: app::select_door(0, false); app::record("not_home"); break;
        case 1: h.finish_puts(); saved = true; break;
        case 2: h.advance(0); break;                 // the push goes out
        case 3: h.answer_http(); break;              // the server applies and acknowledges
        case 4: h.advance(2000); break;              // the checkpoint after the ack starts
        case 5: h.finish_checkpoints(); break;       // ... and completes; the outbox is trimmed
        default: h.settle(); break;
      }
    };
    for (int i = 0; i < k; ++i) step(i);
    h.crash();
    h.start();  // the same link, from the stored state (the token is in the database)
    h.settle();
    CHECK(app::state().phase == app::Phase::ready);
    if (saved) {
      CHECK(h.server_records() == 1);
      CHECK(app::state().session->door_status(0) == canvass::status_index("not_home"));
    } else {
      CHECK(h.server_records() <= 1);
    }
    CHECK(h.stats["pending"] == 0);
    CHECK(h.outbox.empty());
    app::stop();
  }
}

TEST_CASE("conflict: storage rolled back under a sent record; the new record is renumbered and both arrive once") {
  RecordingHost h(fresh_dir("conflict"));
  boot(h);
  h.keep_durable_copy("before.db");
  record_saved(h, 0, "not_home");
  h.settle();  // sent, acknowledged, checkpointed, trimmed
  REQUIRE(h.server_records() == 1);
  REQUIRE(h.outbox.empty());
  std::string first_client = app::state().session->client_id();
  h.roll_back_durable("before.db");
  h.crash();
  h.start();
  h.settle();
  // The rolled-back phone numbers its next record 1 again, with other content: a conflict.
  record_saved(h, 1, "refused");
  h.settle();
  CHECK(h.server_records() == 2);
  CHECK(h.stats["pending"] == 0);
  CHECK(h.outbox.empty());
  // The outbox moved to a new client id, and the old scope's durable entries went once a
  // checkpoint held the new numbering.
  CHECK(app::state().session->client_id() != first_client);
  CHECK(h.called("outbox_clear"));
  app::stop();
}

TEST_CASE("wipe: a revoked link clears the map, the package and the token; no name stays in the stored file") {
  RecordingHost h(fresh_dir("wipe"));
  boot(h);
  h.settle();
  REQUIRE(h.durable_bytes().find("Zyxwvutsrqponm") != std::string::npos);  // the resident is stored
  record_saved(h, 0, "not_home");
  h.revoked = true;
  h.revoked_at = h.now;
  h.settle();
  CHECK(h.server_records() == 1);  // what was recorded before the end still arrives
  CHECK(h.called("map_clear"));
  CHECK(h.map_layers == 0);
  CHECK(app::state().phase == app::Phase::ended);
  CHECK_FALSE(app::state().session->has_package());
  CHECK(app::state().session->token().empty());
  h.settle();
  CHECK(h.durable_bytes().find("Zyxwvutsrqponm") == std::string::npos);
  CHECK(h.durable_bytes().find("2301 Walgrove") == std::string::npos);
  // A reload stays ended: nothing to show, nothing sent.
  h.crash();
  size_t before = h.calls.size();
  h.start();
  h.settle();
  CHECK(app::state().phase != app::Phase::ready);
  CHECK(index_of(h.calls, "http", before) == h.calls.size());
  app::stop();
}

TEST_CASE("font letters: a stored package's are in the next start's first atlas, and a wipe forgets them") {
  RecordingHost h(fresh_dir("letters"));
  h.package = testing::package_json();
  const std::string ana = "\"first_name\":\"Ana\"";
  h.package.replace(h.package.find(ana), ana.size(), "\"first_name\":\"Łucja\"");  // "Łucja"
  boot(h);
  CHECK(h.font_sample.find("Ł") != std::string::npos);
  CHECK(h.settings["atlas_letters"].find("Ł") != std::string::npos);  // letters only, no name
  CHECK(h.settings["atlas_letters"].find("ucja") == std::string::npos);
  // The next start asks for its fonts before storage is open: the stored turf's letters are in
  // that first request, so showing the package asks for no other glyphs.
  h.crash();
  h.start();
  REQUIRE(h.font_requests > 0);
  CHECK(h.font_sample.find("Ł") != std::string::npos);
  h.settle();
  REQUIRE(app::state().phase == app::Phase::ready);
  CHECK(h.font_sample.find("Ł") != std::string::npos);
  // The turf ends (the one wipe every ending calls): the letters go with it.
  app::wipe();
  CHECK(app::state().phase == app::Phase::ended);
  CHECK(h.settings["atlas_letters"].empty());
  app::stop();
  // Practice shows its own package's letters and keeps none for the next start.
  app::start_sandbox(h, "en", app::Sandbox::practice, h.package);
  REQUIRE(app::state().phase == app::Phase::ready);
  CHECK(h.font_sample.find("Ł") != std::string::npos);
  CHECK(h.settings["atlas_letters"].empty());
  app::stop();
}

TEST_CASE("wipe keeps the outbox while records are still unsent") {
  RecordingHost h(fresh_dir("wipe-unsent"));
  boot(h);
  h.online = false;
  record_saved(h, 0, "not_home");
  CHECK_FALSE(app::wipe());
  CHECK(h.map_layers == 0);
  CHECK(h.outbox.size() == 1);
  CHECK(app::state().session->pending() == 1);
  app::stop();
}

TEST_CASE("a pull naming a new package version: fetched in the background, applied between doors, never mid-entry") {
  RecordingHost h(fresh_dir("refresh"));
  boot(h);
  h.calls.clear();
  app::send_now();  // a pull naming no version (an older server): nothing to fetch
  h.answer_all_http();
  CHECK(h.called("http POST /api/v1/canvass/pull"));
  CHECK_FALSE(h.called("http GET /api/v1/canvass/package"));

  // The organizer saved a survey: the server's package gains a question and a version.
  std::string next = testing::package_json();
  next.insert(next.find("\"api\":1,") + 8, R"("package_version":"00000000000000b2","survey_version":2,)");
  next.replace(next.find(R"("survey":[)") + 10, 0, R"({"id":"q_early","kind":"yes_no","labels":{"en":"Vote early?"}},)");
  h.package = next;
  h.package_version = "00000000000000b2";

  // Mid-entry at the first door: the pull names the version, the package is fetched but waits.
  app::select_door(0, false);
  app::state().draft.result = "talked";
  app::state().draft.notes = "dog";
  app::send_now();
  h.answer_all_http();
  CHECK(h.called("http GET /api/v1/canvass/package"));
  CHECK(app::state().session->package().survey.size() == 1);
  CHECK(app::state().session->package_outdated());
  CHECK(h.stats.count("package_refreshed") == 0);
  CHECK(app::state().draft.notes == "dog");  // the entry is untouched

  // The record ends the entry; moving on to the next door brings the new package in.
  app::record("not_home");
  h.finish_puts();
  const auto& pkg = app::state().session->package();
  CHECK(pkg.package_version == "00000000000000b2");
  REQUIRE(pkg.survey.size() == 2);
  CHECK(pkg.survey[0].id == "q_early");
  CHECK_FALSE(app::state().session->package_outdated());
  CHECK(h.stats["package_refreshed"] == 1);
  REQUIRE(app::state().selected >= 0);
  CHECK(pkg.doors[static_cast<size_t>(app::state().selected)].id == testing::kDoor2);  // the next door, by id
  CHECK(app::state().session->attempts_at(0).size() == 1);  // the record stays with its door
  h.settle();
  CHECK(h.stats["pending"] == 0);
  CHECK(h.server_records() == 1);
  app::stop();
}
