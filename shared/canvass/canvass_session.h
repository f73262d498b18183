// The canvasser's side of one link, as the phone runs it: the turf package, the doors' statuses,
// the attempts recorded here, the numbered outbox and the push/pull bookkeeping. Portable and
// I/O-free (the caller does fetch, IndexedDB and timers), so it runs and is tested natively.
// Leaves out the wire rules themselves (shared/sync/sync_protocol.h, shared/canvass/turf_package.h)
// and all drawing.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/ids.h"
#include "shared/base/json.h"
#include "shared/base/result.h"
#include "shared/canvass/turf_package.h"
#include "shared/store/store.h"
#include "shared/sync/sync_client.h"
#include "shared/sync/sync_protocol.h"

namespace doorstep::canvass {

// Door statuses in the order the map colours them (web/map.js); 0 = not visited yet, then the
// attempt results of shared/model.h in their declaration order.
constexpr std::string_view kStatusNames[] = {"not_visited", "not_home", "talked",   "refused",  "moved",
                                             "inaccessible", "deceased", "wrong_address", "lit_drop", "come_back"};
uint8_t status_index(std::string_view name);  // unknown -> 0

// What a canvasser enters at a door.
struct AttemptInput {
  int door = -1;
  std::string person_id;  // optional
  std::string result;     // attempt result name (shared/model.h)
  std::map<std::string, json::Value> answers;
  std::string notes, canvasser;
  std::optional<double> lat, lon, accuracy_m;
};

// A sign-up taken at the door: contact details and consent per purpose (nothing is assumed).
struct SignupInput {
  int door = -1;
  std::string person_id, name, phone, email, notes;
  bool call = false, email_me = false, volunteer = false, join = false, text_me = false;
  bool empty() const {
    return name.empty() && phone.empty() && email.empty() && !call && !email_me && !volunteer && !join && !text_me;
  }
};

// One of this phone's attempts. result, notes and answers show the latest correction.
struct LocalAttempt {
  std::string id, person_id, result, notes;
  int64_t at_ms = 0;
  bool saved = false, acked = false;
  bool voided = false;   // undone (attempt.void): kept in the list, counts for nothing
  bool amended = false;  // corrected at least once (attempt.amend)
  int door = -1;         // index in package().doors
  std::map<std::string, json::Value> answers;
};

// A correction of one of this phone's attempts: each field that is set replaces the recorded one
// (an empty notes string or answers map clears it); at least one must be set.
struct AmendInput {
  std::string attempt_id;
  std::optional<std::string> result;
  std::optional<std::map<std::string, json::Value>> answers;
  std::optional<std::string> notes;
};

// What the caller should do after a push reply.
struct PushOutcome {
  bool acked = false;         // the server acknowledged something
  bool renumbered = false;    // conflict: the outbox moved to a new client id (mirror it again)
  bool wipe = false;          // the link ended and the outbox is empty: wipe the turf
  std::string message;        // for the status line
};

// How the phone opens a turf's file: its only connection (store::OpenOptions::sole_connection),
// holding the session's and the outbox's tables only (Session::open migrates them), not the
// campaign's core schema, which the phone never reads (its migrations were a first visit's
// longest task, ~250 ms at 4x CPU).
store::OpenOptions turf_file_options();

// Creates or migrates the client tables (component "client") beside the core and sync schemas.
Status migrate_client(store::Db& db);
// The same, one migration a call (the sync ones, then the client's): true when one was applied
// (call again), false when every table is current. The phone spreads a first visit's migrations
// over tasks with it, so that none holds a cheap phone's main thread for long.
Result<bool> migrate_client_step(store::Db& db);

// The canvasser's side of one link. Numbering, acknowledgement, conflict and backoff are the sync
// engine's (sync::SyncClient over the sync_outbox tables); this class adds the turf package, the
// local history of records (kept after acknowledgement, for the door's history and statuses) and
// the statuses pulled from other canvassers.
class Session {
 public:
  // Loads (or creates) the client state kept in `db`.
  static Result<std::unique_ptr<Session>> open(store::Db db, int64_t now_ms);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // A link token from the URL. A different token than the stored one starts over with a new
  // client id once nothing is waiting to be sent (until then the new token is kept aside).
  Status set_token(const std::string& token, int64_t now_ms);
  const std::string& token() const { return token_; }
  const std::string& client_id() const;
  // When this link was last on screen (a phone may keep several turfs: the bare page resumes the
  // one used last). 0 until mark_used() ran once.
  int64_t last_used_ms() const { return last_used_ms_; }
  Status mark_used(int64_t now_ms);

  // Stores it; local records, the outbox and other canvassers' pulled statuses stay (kept by door
  // id: records of doors the new package lacks stay stored and sent, just not shown).
  Status set_package(std::string_view json_text);
  bool has_package() const { return has_package_; }
  const Package& package() const { return pkg_; }
  uint8_t door_status(int door) const;
  // The visiting sequence (door indices): the package's walk order, with "come back later" doors
  // moved to where revisiting them costs the fewest extra metres (shared/walk_order.h).
  const std::vector<int>& visit_order() const { return order_; }
  // The next door to knock after `door`: the first later one in visit_order() that is not
  // visited yet or asked to come back; -1 when none is left.
  int next_door(int door) const;
  // This phone's attempts at `door`, oldest first, without the voided ones.
  std::vector<const LocalAttempt*> attempts_at(int door) const;
  // Every attempt this phone recorded (of the doors in the package), newest first, voided ones
  // included and flagged: the list a correction is chosen from.
  std::vector<const LocalAttempt*> my_attempts() const;
  int doors_done() const;  // doors with any result

  // Records an attempt: validates it, stores it durably in SQLite (outbox and history), and
  // returns the mutation for the caller's second durable copy (the browser's IndexedDB outbox).
  Result<sync::Mutation> record(const AttemptInput& in, int64_t now_ms);
  // A resident who is not on the list, met at the door (kind person.add): a new id, shown at the
  // door from now on. Returns the mutation; its payload's "person" is the new person's id.
  Result<sync::Mutation> add_person(int door, const std::string& first_name, const std::string& last_name,
                                    const std::string& language, int64_t now_ms);
  // The canvasser left a door feeling unsafe: its safety note becomes `note` (kind door.set, which
  // the organizer's door list and every other phone of the turf see), here at once.
  Result<sync::Mutation> mark_unsafe(int door, const std::string& note, int64_t now_ms);
  // Its undo: the door's safety note goes back to `previous` (kind door.set again, the field's
  // last writer wins on the server; "" is sent as null, which clears the note).
  Result<sync::Mutation> unmark_unsafe(int door, const std::string& previous, int64_t now_ms);
  // Doors the canvasser skipped ("skip", "leaving: unsafe"): knocked last. Kept by door id in
  // client_state, so a reload and a refreshed package keep them; a record at the door lifts it.
  bool skipped(int door) const;
  Status set_skipped(int door, bool on);
  // Undo (kind attempt.void) and correction (kind attempt.amend) of one of this phone's own
  // attempts, stored durably like record(). The door's status follows the attempts that remain (a
  // voided "come back later" no longer moves the door). Errors: not_found (no attempt of this
  // phone has that id), conflict (already voided), invalid_argument (nothing to change, an
  // unknown result, answers or notes out of bounds).
  Result<sync::Mutation> void_attempt(const std::string& attempt_id, int64_t now_ms);
  Result<sync::Mutation> amend_attempt(const AmendInput& in, int64_t now_ms);
  // Records a sign-up the same way (kind signup.add); its consents travel per purpose.
  Result<sync::Mutation> record_signup(const SignupInput& in, int64_t now_ms);
  void mark_saved(const std::string& mutation_id, bool ok);
  // Start-up: mutations found in the browser's outbox that SQLite lost (its last checkpoint did
  // not reach the disk) are recorded again under their own ids; the server skips any it holds.
  Result<int> replay_outbox(std::string_view json_array, int64_t now_ms);

  size_t pending() const;    // recorded, not yet acknowledged
  int64_t unsaved() const;   // recorded, second copy not confirmed yet
  const std::vector<sync::Mutation>& outbox() const;
  int64_t acked_through() const { return sync_->meta().acked_through; }

  // Push: the body to send now ("" when nothing is due), then the answer. next_push_ms() says
  // when to ask again (after a backoff, or now).
  std::string push_body(int64_t now_ms);
  PushOutcome on_push_reply(int http_status, std::string_view body, int64_t now_ms);
  int64_t next_push_ms() const;
  void retry_now() { sync_->retry_now(); }  // the network is back: no waiting out the backoff
  // Pull: the body to send, and the reply's handling (statuses of doors others visited).
  std::string pull_body();
  Result<bool> on_pull_reply(int http_status, std::string_view body, int64_t now_ms);  // true: more
  // A pull answer named a package version other than the stored package's: fetch the package
  // again (the caller applies it with set_package between doors). Cleared by set_package.
  bool package_outdated() const { return package_outdated_; }
  // A 401 answer to package or pull: revoked/expired (with "wipe": true) ask for a wipe once the
  // outbox is empty; wipe_requested() says when. Other answers change nothing.
  Status on_link_reply(int http_status, std::string_view body);
  bool wipe_requested() const;
  // The link ended (the server said so, or forget_package() ran): true until wipe().
  bool link_ended() const;
  Status wipe();  // forgets the turf and the token (only when nothing is pending)
  // What an ended link may still keep while records wait to be sent: the package (doors, people,
  // map), the door history and the statuses pulled from others go; the token and the unsent
  // outbox stay so that they still reach the server (wipe() removes the rest once they did).
  Status forget_package();
  // The link's end plus `grace_ms` has passed on this phone's clock (false without a package or
  // an expiry): offline, the phone forgets the turf then, as the server would have told it.
  bool ended_offline(int64_t now_ms, int64_t grace_ms) const {
    return has_package_ && pkg_.expires_at > 0 && now_ms > pkg_.expires_at + grace_ms;
  }

  store::Db& db() { return db_; }

 private:
  Session() = default;
  Status load();
  Status open_sync();
  Status save_state(std::string_view key, std::string_view value);
  Status remember(const sync::Mutation& m, bool saved);
  LocalAttempt* find_mine(const std::string& attempt_id);
  // Applies a stored attempt.void / attempt.amend payload to the local history.
  void apply_edit(sync::Kind kind, const json::Value& payload);
  // After an edit of an attempt at `door`: "come back later" moves the door, or gives its place back.
  void after_edit(int door, bool was_come_back);
  void apply_remote_status(const std::string& door_id, const std::string& status, const std::string& hlc);
  // Another canvasser's undo ("voided") or corrected result of an attempt in a door's history.
  void apply_remote_edit(const std::string& attempt_id, const std::string& field, const json::Value& value);
  void mark_acked();

  store::Db db_;
  std::unique_ptr<sync::SqliteOutbox> outbox_store_;
  std::unique_ptr<sync::SyncClient> sync_;
  std::string token_, device_;
  int64_t last_used_ms_ = 0;
  bool has_package_ = false;
  bool package_outdated_ = false;
  Package pkg_;
  sync::PullRequest last_pull_;
  std::map<std::string, int> door_index_;
  std::vector<std::vector<LocalAttempt>> attempts_;          // per door
  std::vector<std::pair<std::string, std::string>> remote_;  // per door: status, hlc from others
  std::vector<int> order_;
  std::set<std::string> skipped_;  // door ids
  Status save_skipped();
  // door.set of the door's safety note ("" is sent as null), applied here at once.
  Result<sync::Mutation> set_safety(int door, const std::string& note, int64_t now_ms);
  // The door's safety note and flag as the walk list and door screen show them ("" clears).
  void show_safety(int door, const std::string& note);
  void come_back_later(int door);
  void add_local_person(const json::Value& person_add_payload);
};

}  // namespace doorstep::canvass
