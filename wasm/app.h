// The canvasser app's controller and its state as the panels see it: the session (turf, doors,
// records), what is selected, sync status, the actions a tap can trigger, and the events the page
// reports. Plain C++ over host::Host (no emscripten), so the policy and the panels are tested
// natively; the browser's host is wasm/js_host.cpp.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "shared/canvass/canvass_session.h"
#include "wasm/host.h"

namespace doorstep::app {

enum class Tab { doors, door, script, settings };

// choose_link: a second link was opened while another turf is unfinished on this phone; the
// canvasser picks "finish it first" or "keep both" (nothing of either turf is shown meanwhile).
enum class Phase { starting, no_link, loading, ready, ended, storage_error, other_tab, choose_link };

// At most this many turfs are kept on one phone (one database file each); a further link is
// refused until one of them is finished.
constexpr int kMaxTurfs = 3;

// A turf kept on this phone, as the switcher and the second-link dialog name it.
struct StoredTurf {
  int slot = 0;          // its database file (0: the file phones had before turfs were kept side by side)
  std::string name;      // the turf's name ("" once its link ended and only unsent records stay)
  int doors_left = 0;    // doors with no result yet
  int64_t unsent = 0;    // records not yet on the server
  bool active = false;   // the one on screen
  bool ended = false;    // its link ended (only unsent records stay); else no name yet: still loading
};

// Why the last attempt to send (or to keep) records did not work, as the sync bar says it.
enum class Trouble { none, offline, link_ended, server, storage_full };

struct SyncView {
  bool online = true;
  bool sending = false;
  int64_t pending = 0;   // recorded, not yet on the server
  int64_t unsaved = 0;   // outbox write in flight (or failed and waiting for its retry)
  std::string last_error;
  Trouble trouble = Trouble::none;
  int64_t last_sync_ms = 0;  // when the server last answered a push or pull (0: not this run)
};

// The end-of-shift summary: this phone's records on the turf.
struct ShiftSummary {
  int doors = 0;     // doors with a result recorded here
  int contacts = 0;  // doors where someone was talked to
  int signups = 0;
  std::string support_question;  // the survey's 1-5 support question's id ("" when it has none)
  int support[5] = {0, 0, 0, 0, 0};  // doors whose latest answer to it is 1..5
};

// Draft of the attempt being entered at the selected door.
struct Draft {
  std::string result;  // empty: nothing picked yet
  std::string person_id;
  std::map<std::string, json::Value> answers;
  std::string notes;
  canvass::SignupInput signup;  // recorded with the talk when anything is filled in
  std::string new_resident;     // a name being typed for "+ New resident"
};

enum class Sandbox { off, practice, preview };

struct State {
  Phase phase = Phase::starting;
  Sandbox sandbox = Sandbox::off;  // a package held in memory; nothing stored, nothing sent
  Tab tab = Tab::doors;
  int selected = -1;
  bool scroll_to_selected = false;
  Draft draft;
  SyncView sync;
  std::string canvasser;        // first name: asked at the first open, remembered, sent with records
  bool asking_name = false;     // the name dialog is open
  std::string name_draft;       // what the name dialog's field holds until OK
  std::string door_lang;        // the script's and survey's language at this door ("": the app's)
  std::vector<bool> skipped;    // doors skipped (the session's, kept in the turf's file)
  std::string search;           // the walk list's filter (address or name)
  bool help_open = false;       // the Help screen instead of the tabs
  int recorded_door = -1;       // the door the last record was for (the status line says it)
  int64_t package_bytes = -1;   // on mobile data: the package's size, shown before the download
  bool confirm_download = false;  // waiting for "Download" (mobile data)
  bool show_map = true;
  int text_size = 0;            // index into kTextSizes (Settings: three steps), remembered
  bool high_contrast = false;   // Settings, remembered
  bool style_dirty = true;      // the panel applies text size and contrast before its next frame
  bool cjk_font = false;
  bool summary_open = false;    // the end-of-shift summary instead of the tabs
  bool finished = false;        // "finish" wiped the turf: the end screen thanks the canvasser
  bool finish_refused = false;  // "finish" was tapped while records were unsent (the summary says so)
  int load_failures = 0;        // first package download: failed tries so far (retried with backoff)
  std::string undo_attempt;     // the last record, undoable until undo_until (10 s)
  int64_t undo_until = 0;
  std::string amending;         // the attempt being corrected at the selected door ("": none)
  std::string flash;  // a short confirmation ("Saved on phone"), only once the outbox write is durable
  int64_t flash_until = 0;
  canvass::Session* session = nullptr;  // null until storage is ready
  // The second-link dialog (Phase::choose_link): the stored turf it names, and whether "Keep
  // both" was refused because the phone already holds kMaxTurfs turfs.
  StoredTurf other_turf;
  bool turf_limit = false;
  bool link_waiting = false;  // "Finish first" was chosen: the new link opens once this turf is finished
};

// Text sizes in CSS px (Settings: "Normal", "Large", "Largest").
constexpr float kTextSizes[] = {17.f, 20.f, 23.f};
float text_px();

State& state();

// Actions the panels call.
void select_door(int index, bool from_map);
void record(const std::string& result);  // one tap for every result but "talked"
void save_draft();                       // "talked": after survey and notes
void next_door();
void set_language(const std::string& code);
// Text fields (typed in place, see ui_widgets.h text_field): each input event sets the value.
void set_notes(const std::string& text);
void set_answer(const std::string& question_id, const std::string& text);  // free-text survey answers
void set_signup(const std::string& field, const std::string& text);  // "name", "phone" or "email"
void set_search(const std::string& text);
void ask_name();                 // the first-open dialog (Enter confirms)
void answer_name(bool ok);       // its OK (or Enter) and "Not now"
// `text` cut to at most max_bytes on a UTF-8 character boundary.
std::string cut_utf8(const std::string& text, size_t max_bytes);
void set_canvasser(const std::string& name);  // remembered on this device
// Letters typed into a field that the font atlas lacks (a name's "Ł", Armenian in a note): they
// join the atlas (rebuilt before the next frame). The atlas holds the UI's and the package's
// letters only, so that the first frame rasterises no whole alphabet nobody uses.
void want_letters(const std::string& text);
void set_door_language(const std::string& code);  // one tap at the door
void pick_resident(const std::string& person_id);  // "who answered": the script follows their language
void skip_door();    // on to the next door without a record (the door stays to knock)
void leave_unsafe();  // marks the door unsafe (the organizer sees it), records it, moves on
void clear_search();
void open_help(bool open);
void open_practice(bool on);
void call_organizer();
// The script or survey is about to show in the door's language: its font (Korean, Chinese) is
// fetched now if it is not here yet. Only then: selecting a door costs no download.
void need_door_font();
void download_package();  // "Download" on mobile data, after the size was shown  // the Help screen's organizer phone (a tel: link)  // practice turf (sandbox) from the start screen, and back
// The script's text for this phone: "___" becomes the canvasser's name.
std::string with_name(const std::string& text);
void add_resident();  // a person not on the list: the name typed in draft.new_resident, then picked
void toggle_map();
void undo_last();                // "Undo" within 10 s of a record: voids it, back to its door
bool can_undo();
// "Correct" in the door's history: the next result (or Save after the survey) corrects that
// record of this phone instead of adding one; cancel_amend() leaves it as it was.
void start_amend(const std::string& attempt_id);
void cancel_amend();
void send_now();                 // the sync bar's "Send now": push (and pull) at once, no backoff
void retry_load();               // "Try again" on the loading screen after a failed download
void open_summary(bool open);    // the end-of-shift summary
ShiftSummary shift_summary();
// "Finish": wipes the turf from this phone when everything is sent; refuses (and says so) while
// anything is unsent. True when it wiped.
bool finish_shift();
// Turfs side by side. stored_turfs() lists every turf kept here with its link (the active one
// included); switch_turf() makes another the one on screen (a reload of the bare page, which
// resumes the turf used last). In the second-link dialog, finish_other_first() opens the stored
// turf's end-of-shift summary (the new link loads once it is finished) and keep_both() downloads
// the new link's turf beside it (refused at kMaxTurfs).
std::vector<StoredTurf> stored_turfs();
void switch_turf(int slot);
void finish_other_first();
void keep_both();
// After "finish" wiped the turf: the link opened meanwhile ("Finish first") loads in its place.
void open_waiting_link();
void set_text_size(int step);  // 0, 1 or 2
void set_high_contrast(bool on);
int64_t now_ms();
// A tap recorded outside a frame (ui::quick_tap): the map's part of the record (door colour,
// selection, route, a quiet position read) waits until flush_map_work(), once the durable write
// answered or a short while passed, so the main thread is free for that answer first.
void defer_map_work();
void flush_map_work();
// Publishes where the last drawn item is on screen under `key` (CSS px), for the end-to-end tests:
// window.doorstepUi[key] = [x, y, w, h].
void note_item(const char* key);

// The one wipe: the turf's package, its people, the local history, the token and every map layer
// go; outbox entries not yet acknowledged stay until they are sent (then the server's answer
// wipes again). Every path that ends a turf calls it: finish, a revoked or expired link, the
// server's wipe request. False when something is still waiting to be sent.
bool wipe();

// ---- Life cycle and page events.
// Starts the controller on `host`: storage, then the database, the link token and the package.
void start(host::Host& host, const std::string& language);
// Sandbox mode (organizer preview, canvasser practice): runs `package_json` from an in-memory
// database with no storage, no outbox, no lock and no sync, under a visible banner. Nothing it
// does reaches a server or the phone's storage.
void start_sandbox(host::Host& host, const std::string& language, Sandbox kind, const std::string& package_json);
// Forgets everything in memory, as a killed tab does (callbacks still pending are ignored).
void stop();
void on_network_change(bool online);
void on_hidden();  // the page is hidden or about to be frozen: last chance to persist
void on_door_tap(int index);

}  // namespace doorstep::app
