// One query per attribute source, joined in memory by door id (door_map.h). Values are folded into
// per-attribute dictionaries as rows stream, so memory is a few bytes per door plus the values.
#include "shared/store/door_map.h"

#include <cmath>
#include <functional>
#include <unordered_map>

namespace doorstep::store {

namespace {

struct Dict {
  std::unordered_map<std::string, uint16_t> index;
  std::vector<std::string> values;
  uint16_t code(std::string_view v) {
    auto it = index.find(std::string(v));
    if (it != index.end()) return it->second;
    if (values.size() >= 65535) return 0;  // more distinct values than a map legend shows: fold into the first
    auto c = static_cast<uint16_t>(values.size());
    values.emplace_back(v);
    index.emplace(std::string(v), c);
    return c;
  }
};

// Support on a 1-5 question's answer as stored in attempt.answers: a number or its text.
std::string support_of(const json::Value& answers, const std::string& question) {
  if (question.empty() || !answers.is_object()) return {};
  const json::Value* v = answers.find(question);
  if (!v) return {};
  if (v->is_number()) return std::to_string(v->as_int());
  if (v->is_string()) return v->as_string();
  return {};
}

}  // namespace

Result<DoorMap> door_map(Db& db, std::string_view campaign_id) {
  DoorMap out;
  std::unordered_map<std::string, uint32_t> at;  // door id -> index
  Dict party, language, support, result, turf;
  std::vector<uint16_t> pc, lc, sc, rc, tc;
  const uint16_t none_p = party.code(""), none_l = language.code(""), none_s = support.code(""),
                 none_r = result.code(""), out_t = turf.code("not in a turf"), in_t = turf.code("in a turf");
  {
    auto q = db.prepare("SELECT id, lat, lon FROM door WHERE campaign_id=?1 AND deleted=0");
    if (!q) return q.error();
    q->bind(1, campaign_id);
    for (;;) {
      auto r = q->step();
      if (!r) return r.error();
      if (!*r) break;
      if (q->is_null(1) || q->is_null(2)) {
        ++out.unplaced;
        continue;
      }
      at.emplace(q->text(0), static_cast<uint32_t>(out.lat.size()));
      out.lat.push_back(std::round(q->real(1) * 1e6) / 1e6);
      out.lon.push_back(std::round(q->real(2) * 1e6) / 1e6);
    }
  }
  size_t n = out.lat.size();
  pc.assign(n, none_p);
  lc.assign(n, none_l);
  sc.assign(n, none_s);
  rc.assign(n, none_r);
  tc.assign(n, out_t);
  auto each = [&](const char* sql, const std::function<void(Stmt&, uint32_t)>& fn) -> Status {
    auto q = db.prepare(sql);
    if (!q) return q.error();
    q->bind(1, campaign_id);
    for (;;) {
      auto r = q->step();
      if (!r) return r.error();
      if (!*r) break;
      auto it = at.find(std::string(q->text_view(0)));
      if (it != at.end()) fn(*q, it->second);
    }
    return Status::Ok();
  };
  // The first resident by id (ids sort in import order) speaks for the door.
  std::vector<bool> seen(n, false);
  out.people.assign(n, 0);
  if (auto st = each("SELECT door_id, party, language, do_not_contact FROM person WHERE campaign_id=?1 AND deleted=0 "
           "AND door_id IS NOT NULL ORDER BY door_id, id",
           [&](Stmt& q, uint32_t i) {
             if (!q.int64(3) && out.people[i] < UINT16_MAX) ++out.people[i];
             if (seen[i]) return;
             seen[i] = true;
             pc[i] = party.code(q.text_view(1));
             lc[i] = language.code(q.text_view(2));
           });
      !st)
    return st.error();
  if (auto st = each("SELECT td.door_id FROM turf_door td JOIN turf t ON t.id = td.turf_id "
           "WHERE t.campaign_id=?1 AND t.deleted=0 AND t.status<>'archived' AND td.deleted=0",
           [&](Stmt&, uint32_t i) { tc[i] = in_t; });
      !st)
    return st.error();
  std::string question;
  {
    auto q = db.prepare("SELECT id FROM survey_question WHERE campaign_id=?1 AND deleted=0 AND kind='scale_1_5' "
                        "ORDER BY position LIMIT 1");
    if (!q) return q.error();
    q->bind(1, campaign_id);
    auto r = q->step();
    if (!r) return r.error();
    if (*r) question = q->text(0);
  }
  // Attempts in time order: the last one seen per door is the latest; support keeps the latest answer.
  if (auto st = each("SELECT door_id, result, answers FROM attempt_effective WHERE campaign_id=?1 ORDER BY client_ms, id",
           [&](Stmt& q, uint32_t i) {
             rc[i] = result.code(q.text_view(1));
             if (question.empty()) return;
             auto a = json::parse(q.text_view(2));
             if (!a) return;
             std::string s = support_of(*a, question);
             if (!s.empty()) sc[i] = support.code(s);
           });
      !st)
    return st.error();
  auto add = [&](const char* name, Dict& d, std::vector<uint16_t>& codes) {
    out.attributes.push_back(DoorMap::Attribute{name, std::move(d.values), std::move(codes)});
  };
  add("party", party, pc);
  add("language", language, lc);
  add("support", support, sc);
  add("result", result, rc);
  add("turf", turf, tc);
  return out;
}

json::Value DoorMap::to_json() const {
  json::Value o = json::Value::object();
  o.set("count", static_cast<uint64_t>(lat.size()));
  o.set("unplaced", unplaced);
  json::Array la, lo;
  la.reserve(lat.size());
  lo.reserve(lon.size());
  for (double v : lat) la.emplace_back(v);
  for (double v : lon) lo.emplace_back(v);
  o.set("lat", json::Value(std::move(la)));
  o.set("lon", json::Value(std::move(lo)));
  json::Array pe;
  pe.reserve(people.size());
  for (uint16_t v : people) pe.emplace_back(static_cast<int>(v));
  o.set("people", json::Value(std::move(pe)));
  json::Value attrs = json::Value::object();
  for (const auto& a : attributes) {
    json::Array values, codes;
    for (const auto& v : a.values) values.emplace_back(v);
    codes.reserve(a.codes.size());
    for (uint16_t c : a.codes) codes.emplace_back(static_cast<int>(c));
    attrs.set(a.name, json::Value(json::Object{{"values", json::Value(std::move(values))}, {"codes", json::Value(std::move(codes))}}));
  }
  o.set("attributes", std::move(attrs));
  return o;
}

}  // namespace doorstep::store
