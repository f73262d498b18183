// The canvasser's side of one link, as the phone runs it: the turf package, the doors' statuses,
// the attempts recorded here, the numbered outbox and the push/pull bookkeeping. Portable and
// I/O-free (the caller does fetch, IndexedDB and timers), so it runs and is tested natively.
// Leaves out the wire rules themselves (shared/sync_protocol.h) and all drawing.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/ids.h"
#include "shared/json.h"
#include "shared/result.h"
#include "shared/store.h"
#include "shared/sync_protocol.h"

namespace doorstep::canvass {

// Door statuses in the order the map colours them (web/map.js); 0 = not visited yet, then the
// attempt results of shared/model.h in their declaration order.
constexpr std::string_view kStatusNames[] = {"not_visited", "not_home", "talked",   "refused",  "moved",
                                             "inaccessible", "deceased", "wrong_address", "lit_drop", "come_back"};
uint8_t status_index(std::string_view name);  // unknown -> 0

struct Choice {
  std::string id;
  std::map<std::string, std::string> labels;
};
struct Question {
  std::string id, kind;  // kind: yes_no, single_choice, multiple_choice, scale_1_5, free_text
  std::map<std::string, std::string> labels;
  std::vector<Choice> choices;
};
struct Section {
  std::string id, title, text;
  std::string branch_question, branch_answer;  // shown only after this answer (empty: always)
};
struct Person {
  std::string id, door_id, first_name, last_name, language, party;
  int age = -1;
  std::vector<std::string> flags;
};
struct Door {
  std::string id, address, unit, building_id;
  double lat = 0, lon = 0;
  int order = 0;
  std::string package_status;
  std::vector<std::string> flags;
  std::vector<int> people;  // indexes into Package::people
};
struct Package {
  std::string campaign_id, campaign_name, time_zone, turf_id, turf_name, turf_polygon, link_id, cursor;
  std::vector<std::string> languages;
  int64_t expires_at = 0;
  std::vector<Door> doors;  // in walk order
  std::vector<Person> people;
  std::map<std::string, std::vector<Section>> script;  // language -> sections
  std::vector<Question> survey;
};

// Parses GET /api/v1/canvass/package (docs/api.md). Unknown fields are ignored (forward
// compatible); missing required ones are an error naming the field.
Result<Package> parse_package(std::string_view json_text);

// What a canvasser enters at a door.
struct AttemptInput {
  int door = -1;
  std::string person_id;  // optional
  std::string result;     // attempt result name (shared/model.h)
  std::map<std::string, json::Value> answers;
  std::string notes, canvasser;
  std::optional<double> lat, lon, accuracy_m;
};

struct LocalAttempt {
  std::string id, person_id, result, notes;
  int64_t seq = 0, at_ms = 0;
  bool saved = false, acked = false;
};

// What the caller should do after a push reply.
struct PushOutcome {
  bool sent_ok = false;       // the server acknowledged something or everything
  int64_t retry_in_ms = 0;    // > 0: try again after this long (backoff or Retry-After)
  bool resend_all = false;    // conflict: everything was renumbered under a new client id
  bool wipe = false;          // the link ended and the outbox is empty: wipe the turf
  std::string message;        // for the status line
};

// Creates or migrates the client tables (component "client") beside the core schema.
Status migrate_client(store::Db& db);

class Session {
 public:
  // Loads (or creates) the client state kept in `db`: client id, token, package, mutations.
  static Result<Session> open(store::Db db, int64_t now_ms);

  // A link token from the URL. A different token than the stored one starts a new client id
  // (the old link's unsent records stay in the outbox and are still pushed with its token).
  Status set_token(const std::string& token, int64_t now_ms);
  const std::string& token() const { return token_; }
  const std::string& client_id() const { return client_id_; }

  Status set_package(std::string_view json_text);  // stores it; local records stay
  bool has_package() const { return has_package_; }
  const Package& package() const { return pkg_; }
  uint8_t door_status(int door) const;
  std::vector<const LocalAttempt*> attempts_at(int door) const;
  int doors_done() const;  // doors with any result

  // Records an attempt: validates it, stores it in SQLite, and returns the mutation the caller
  // must put in the durable outbox (then call mark_saved).
  Result<sync::Mutation> record(const AttemptInput& in, int64_t now_ms);
  void mark_saved(int64_t seq, bool ok);
  // Start-up: mutations found in the durable outbox that SQLite does not have (a checkpoint was
  // lost) are put back. Returns how many were restored.
  Result<int> replay_outbox(std::string_view json_array);

  int64_t pending() const;   // recorded, not yet acknowledged
  int64_t unsaved() const;   // recorded, outbox write not confirmed yet
  int64_t acked_through() const { return acked_; }
  std::vector<sync::Mutation> unacked() const;

  // Push: the body to send (empty when nothing is pending), and the reply's handling.
  std::string push_body(size_t max_batch = 50) const;
  PushOutcome on_push_reply(int http_status, std::string_view body, int64_t now_ms);
  // Pull: the body to send, and the reply's handling (statuses of doors others visited).
  std::string pull_body() const;
  Result<bool> on_pull_reply(int http_status, std::string_view body);  // true: pull again (more)
  bool wipe_requested() const { return wipe_; }
  Status wipe();  // forgets the turf and the token (only when nothing is pending)

  store::Db& db() { return db_; }

 private:
  Session() = default;
  Status load();
  Status save_state(std::string_view key, std::string_view value);
  void apply_remote_status(const std::string& door_id, const std::string& status, const std::string& hlc);

  store::Db db_;
  std::string client_id_, token_;
  HlcClock clock_{""};
  int64_t next_seq_ = 1, acked_ = 0;
  int failures_ = 0;
  bool has_package_ = false, wipe_ = false;
  Package pkg_;
  std::map<std::string, int> door_index_;
  std::vector<std::vector<LocalAttempt>> attempts_;         // per door
  std::vector<std::pair<std::string, std::string>> remote_; // per door: status, hlc from others
  std::map<int64_t, std::pair<int, size_t>> by_seq_;         // seq -> (door, index in attempts_)
};

}  // namespace doorstep::canvass
