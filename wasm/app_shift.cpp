// The end of a shift (see app.h): the summary of this phone's records on the turf (doors, contacts,
// sign-ups, the spread of the survey's 1-5 support question) read from the local history, and
// "finish", which wipes the turf only once nothing is waiting to be sent (and then opens a second
// link that waited for it: the second-link dialog's "Finish first"). Leaves out drawing
// (wasm/ui_shift.cpp) and the wipe itself (wasm/app.cpp).
#include <map>
#include <set>

#include "shared/base/json.h"
#include "wasm/app.h"

namespace doorstep::app {

namespace {

std::string text_of(const json::Value* o, std::string_view key) {
  const json::Value* v = o ? o->find(key) : nullptr;
  return v && v->is_string() ? v->as_string() : std::string();
}

// A 1-5 answer as the survey stores it ("3" or 3); 0 when it is not one.
int scale_value(const json::Value* v) {
  if (!v) return 0;
  int n = 0;
  if (v->is_string() && v->as_string().size() == 1) n = v->as_string()[0] - '0';
  else if (v->is_number()) n = static_cast<int>(v->as_int());
  return n >= 1 && n <= 5 ? n : 0;
}

}  // namespace

ShiftSummary shift_summary() {
  ShiftSummary out;
  auto& s = state();
  if (!s.session || !s.session->has_package()) return out;
  const auto& pkg = s.session->package();
  std::string qid;
  for (const auto& q : pkg.survey)
    if (q.kind == "scale_1_5") {
      qid = q.id;
      out.support_question = q.id;
      break;
    }
  // This phone's attempts as corrected, without the undone ones (newest first: the first answer
  // met per door is its latest).
  std::set<std::string> doors, talked;
  std::map<int, int> support;  // door -> latest answer
  for (const auto* a : s.session->my_attempts()) {
    if (a->voided || a->door < 0) continue;
    doors.insert(std::to_string(a->door));
    if (a->result == "talked") talked.insert(std::to_string(a->door));
    if (qid.empty() || support.count(a->door)) continue;
    auto it = a->answers.find(qid);
    if (int n = it == a->answers.end() ? 0 : scale_value(&it->second)) support[a->door] = n;
  }
  // Sign-ups are records of their own (signup.add) in the local history.
  if (auto q = s.session->db().prepare("SELECT body FROM client_mutation"); q) {
    while (true) {
      auto r = q->step();
      if (!r || !*r) break;
      auto body = json::parse(q->text(0));
      if (body && text_of(&*body, "kind") == "signup.add") ++out.signups;
    }
  }
  out.doors = static_cast<int>(doors.size());
  out.contacts = static_cast<int>(talked.size());
  for (auto& [door, n] : support) ++out.support[n - 1];
  return out;
}

bool finish_shift() {
  auto& s = state();
  if (!s.session) return false;
  if (s.session->pending() > 0 || s.session->unsaved() > 0) {
    s.finish_refused = true;  // the summary says how many are waiting, and why
    send_now();
    return false;
  }
  s.finish_refused = false;
  s.summary_open = false;
  s.finished = true;  // before the wipe: the end screen and the status element thank, not "link ended"
  if (wipe()) {
    open_waiting_link();  // "Finish first" in the second-link dialog: that link loads now
    return true;
  }
  s.finished = false;
  return false;
}

}  // namespace doorstep::app
