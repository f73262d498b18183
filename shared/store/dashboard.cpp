// The dashboard's figures (see dashboard.h): one scan of the campaign's attempts in record order,
// plus small queries for turf sizes, sign-ups, unsafe doors and the survey's 1-5 questions, all
// inside the caller's read transaction.
#include "shared/store/dashboard.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "shared/base/json.h"

namespace doorstep::store {
namespace {

constexpr double kFarM = 300;           // recorded farther than this from the door
constexpr int64_t kFastMs = 30000;      // less than this between two doors
constexpr double kHighRate = 0.9;       // contact rate at or above this...
constexpr int64_t kHighRateDoors = 15;  // ...over at least this many doors

struct Row {
  std::string id, door, result, answers, name, client, turf, address;
  int64_t at = 0, server_at = 0;
  std::optional<double> distance;
};

using Key = std::pair<std::string, std::string>;  // (link id, canvasser name)

struct Acc {
  std::set<std::string> doors, contacted;
  int64_t attempts = 0, signups = 0, last = 0;
  std::vector<const Row*> far, fast;
};

// "2", 2 and 2.0 all answer 2; anything outside 1-5 is no answer.
int scale_value(const json::Value* v) {
  if (!v) return 0;
  int64_t n = 0;
  if (v->is_number()) n = v->as_int();
  else if (v->is_string() && v->as_string().size() == 1) n = v->as_string()[0] - '0';
  return n >= 1 && n <= 5 ? static_cast<int>(n) : 0;
}

FlagRecord record_of(const Row& r) {
  return FlagRecord{r.id, r.door, r.address, r.result, r.at, r.distance};
}

// Runs `sql` with ?1 = the campaign and calls `row(stmt)` for every row.
template <class F>
Status each_row(Db& db, std::string_view sql, std::string_view campaign_id, F&& row) {
  auto q = db.prepare(sql);
  if (!q) return q.error();
  q->bind(1, campaign_id);
  for (;;) {
    auto r = q->step();
    if (!r) return r.error();
    if (!*r) return Status::Ok();
    row(*q);
  }
}

Result<std::vector<std::string>> scale_questions(Db& db, std::string_view campaign_id) {
  std::vector<std::string> out;
  auto s = each_row(db, "SELECT id FROM survey_question WHERE campaign_id=?1 AND kind='scale_1_5' AND deleted=0 ORDER BY position",
                    campaign_id, [&](Stmt& q) { out.push_back(q.text(0)); });
  if (!s) return s.error();
  return out;
}

}  // namespace

Result<Dashboard> dashboard(Db& db, std::string_view campaign_id, const std::vector<CrewLink>& links,
                            const std::map<std::string, std::string>& client_link) {
  Dashboard out;
  std::vector<Row> rows;
  auto s = each_row(db,
                    "SELECT a.id, a.door_id, a.result, a.answers, a.canvasser, a.device, a.client_ms, a.server_ms,"
                    " a.distance_m, a.turf_id, coalesce(d.address,'') "
                    "FROM attempt_effective a LEFT JOIN door d ON d.id=a.door_id WHERE a.campaign_id=?1 ORDER BY a.seq",
                    campaign_id, [&](Stmt& q) {
                      Row x;
                      x.id = q.text(0);
                      x.door = q.text(1);
                      x.result = q.text(2);
                      x.answers = q.text(3);
                      x.name = q.text(4);
                      x.client = q.text(5);
                      x.at = q.int64(6);
                      x.server_at = q.int64(7);
                      x.distance = q.opt_real(8);
                      x.turf = q.text(9);
                      x.address = q.text(10);  // the display form, unit included
                      rows.push_back(std::move(x));
                    });
  if (!s) return s.error();
  auto link_of = [&](const Row& r) -> std::string {
    auto it = client_link.find(r.client);
    return it == client_link.end() ? std::string() : it->second;
  };
  std::map<std::string, const CrewLink*> by_link;
  for (const auto& l : links) by_link[l.id] = &l;

  // Per (link, name): doors, contacts, far records; per phone: records in time order for "fast".
  std::map<Key, Acc> acc;
  std::map<std::string, std::vector<const Row*>> by_client;
  std::map<std::string, int> latest_support;  // door -> latest 1-5 answer
  auto scale = scale_questions(db, campaign_id);
  if (!scale) return scale.error();
  for (const auto& r : rows) {
    Acc& a = acc[{link_of(r), r.name}];
    a.doors.insert(r.door);
    if (r.result == "talked") a.contacted.insert(r.door);
    ++a.attempts;
    a.last = std::max(a.last, r.at);
    if (r.distance && *r.distance > kFarM) a.far.push_back(&r);
    by_client[r.client].push_back(&r);
    if (!scale->empty() && r.answers.size() > 2) {
      auto v = json::parse(r.answers);
      if (v && v->is_object())
        for (const auto& qid : *scale)
          if (int n = scale_value(v->find(qid))) latest_support[r.door] = n;
    }
  }
  for (auto& [client, list] : by_client) {
    std::stable_sort(list.begin(), list.end(), [](const Row* x, const Row* y) { return x->at < y->at; });
    std::set<const Row*> fast;
    for (size_t i = 1; i < list.size(); ++i)
      if (list[i]->door != list[i - 1]->door && list[i]->at - list[i - 1]->at < kFastMs) {
        fast.insert(list[i - 1]);
        fast.insert(list[i]);
      }
    for (const Row* r : list)
      if (fast.count(r)) acc[{link_of(*r), r->name}].fast.push_back(r);
  }
  for (const auto& [door, n] : latest_support) ++out.support[n - 1];

  // Sign-ups count for whoever recorded the latest attempt at that door by the sign-up's time.
  std::map<std::string, std::vector<const Row*>> at_door;
  for (const auto& r : rows) at_door[r.door].push_back(&r);
  s = each_row(db, "SELECT door_id, created_ms FROM signup WHERE campaign_id=?1 AND deleted=0", campaign_id,
               [&](Stmt& q) {
                 ++out.signups;
                 auto it = at_door.find(q.text(0));
                 if (it == at_door.end()) return;
                 int64_t when = q.int64(1);
                 const Row* best = nullptr;
                 for (const Row* x : it->second)
                   if (x->at <= when + kFastMs && (!best || x->at >= best->at)) best = x;
                 if (!best) best = it->second.front();
                 ++acc[{link_of(*best), best->name}].signups;
               });
  if (!s) return s.error();

  for (auto& [key, a] : acc) {
    CanvasserRow c;
    c.link_id = key.first;
    c.name = key.second;
    if (auto it = by_link.find(key.first); it != by_link.end()) {
      c.label = it->second->label;
      c.turf_id = it->second->turf_id;
    }
    c.doors_knocked = static_cast<int64_t>(a.doors.size());
    c.attempts = a.attempts;
    c.contacts = static_cast<int64_t>(a.contacted.size());
    c.signups = a.signups;
    c.last_attempt_at = a.last;
    out.canvassers.push_back(c);
    auto flag = [&](std::string kind, std::string message, const std::vector<const Row*>& rs) {
      QualityFlag f{std::move(kind), c.link_id, c.label, c.name, std::move(message), {}};
      for (const Row* r : rs) f.records.push_back(record_of(*r));
      out.flags.push_back(std::move(f));
    };
    if (!a.far.empty())
      flag("far", std::to_string(a.far.size()) + " records more than 300 m from the door", a.far);
    if (!a.fast.empty())
      flag("fast", std::to_string(a.fast.size()) + " records less than 30 s from the previous door", a.fast);
    if (c.doors_knocked >= kHighRateDoors && c.contacts >= kHighRate * static_cast<double>(c.doors_knocked))
      flag("contact_rate",
           "contact rate " + std::to_string(100 * c.contacts / c.doors_knocked) + "% over " +
               std::to_string(c.doors_knocked) + " doors",
           {});
  }
  std::sort(out.canvassers.begin(), out.canvassers.end(), [](const CanvasserRow& x, const CanvasserRow& y) {
    return std::tie(x.label, x.name, x.link_id) < std::tie(y.label, y.name, y.link_id);
  });

  // Roster: each link's own records, and how far its turf is done by anyone.
  std::map<std::string, std::pair<int64_t, std::set<std::string>>> turf_doors;  // turf -> (size, knocked)
  s = each_row(db,
               "SELECT t.id, (SELECT count(*) FROM turf_door td WHERE td.turf_id=t.id AND td.deleted=0) "
               "FROM turf t WHERE t.campaign_id=?1",
               campaign_id, [&](Stmt& q) { turf_doors[q.text(0)].first = q.int64(1); });
  if (!s) return s.error();
  std::map<std::string, int64_t> last_record;
  for (const auto& r : rows) {
    turf_doors[r.turf].second.insert(r.door);
    std::string l = link_of(r);
    if (!l.empty()) last_record[l] = std::max(last_record[l], r.server_at);
  }
  for (const auto& l : links) {
    RosterRow x{l.id, l.label, l.turf_id, l.opened_at, l.downloaded_at, last_record[l.id], 0, 0, false};
    if (auto it = turf_doors.find(l.turf_id); it != turf_doors.end()) {
      x.doors = it->second.first;
      x.doors_knocked = static_cast<int64_t>(it->second.second.size());
    }
    x.finished = x.doors > 0 && x.doors_knocked >= x.doors;
    out.roster.push_back(x);
  }

  s = each_row(db,
               "SELECT d.id, coalesce((SELECT td.turf_id FROM turf_door td WHERE td.door_id=d.id AND td.deleted=0"
               " LIMIT 1),''), d.address, d.safety FROM door d "
               "WHERE d.campaign_id=?1 AND d.deleted=0 AND d.safety<>'' ORDER BY d.address, d.unit",
               campaign_id, [&](Stmt& q) {
                 out.unsafe.push_back(UnsafeDoor{q.text(0), q.text(1), q.text(2), q.text(3)});
               });
  if (!s) return s.error();
  return out;
}

Result<std::vector<DoorResult>> door_results(Db& db, std::string_view campaign_id) {
  // The latest standing attempt per door by arrival (record order under SQLite's single writer);
  // voided attempts are not in attempt_effective, so an undone visit leaves the door as before.
  std::vector<DoorResult> out;
  auto s = each_row(db,
                    "SELECT a.door_id, a.result, a.client_ms, d.lat, d.lon FROM attempt_effective a JOIN door d ON d.id=a.door_id "
                    "WHERE a.campaign_id=?1 AND d.lat IS NOT NULL AND d.lon IS NOT NULL AND a.seq = "
                    "(SELECT max(b.rowid) FROM attempt b WHERE b.door_id=a.door_id AND NOT EXISTS("
                    "SELECT 1 FROM attempt_edit v WHERE v.attempt_id=b.id AND v.kind='void')) ORDER BY d.id",
                    campaign_id, [&](Stmt& q) {
                      out.push_back(DoorResult{q.text(0), q.text(1), q.real(3), q.real(4), q.int64(2)});
                    });
  if (!s) return s.error();
  return out;
}

}  // namespace doorstep::store
