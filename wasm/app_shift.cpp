// The end of a shift (see app.h): the summary of this phone's records on the turf (doors, contacts,
// sign-ups, the spread of the survey's 1-5 support question) read from the local history, and
// "finish", which wipes the turf only once nothing is waiting to be sent. Leaves out drawing
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
  // Every record of this phone in time order; a void drops an attempt, an amend changes it.
  struct Visit {
    std::string door, result;
    json::Value answers;
    bool voided = false;
  };
  std::map<std::string, Visit> visits;  // by attempt id
  std::vector<std::string> order;
  auto q = s.session->db().prepare("SELECT id, door_id, body FROM client_mutation ORDER BY at_ms, seq");
  if (!q) return out;
  while (true) {
    auto r = q->step();
    if (!r || !*r) break;
    auto body = json::parse(q->text(2));
    if (!body) continue;
    std::string kind = text_of(&*body, "kind");
    const json::Value* p = body->find("payload");
    if (kind == "attempt.add") {
      Visit v{q->text(1), text_of(p, "result"), p && p->find("answers") ? *p->find("answers") : json::Value::object()};
      visits[q->text(0)] = v;
      order.push_back(q->text(0));
    } else if (kind == "signup.add") {
      ++out.signups;
    } else if (kind == "attempt.void") {
      if (auto it = visits.find(text_of(p, "attempt")); it != visits.end()) it->second.voided = true;
    } else if (kind == "attempt.amend") {
      if (auto it = visits.find(text_of(p, "attempt")); it != visits.end()) {
        if (std::string res = text_of(p, "result"); !res.empty()) it->second.result = res;
        if (const json::Value* a = p->find("answers")) it->second.answers = *a;
      }
    }
  }
  std::set<std::string> doors, talked;
  std::map<std::string, int> support;  // door -> latest answer
  for (const auto& id : order) {
    const Visit& v = visits[id];
    if (v.voided) continue;
    doors.insert(v.door);
    if (v.result == "talked") talked.insert(v.door);
    if (!qid.empty())
      if (int n = scale_value(v.answers.is_object() ? v.answers.find(qid) : nullptr)) support[v.door] = n;
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
  if (wipe()) return true;
  s.finished = false;
  return false;
}

}  // namespace doorstep::app
