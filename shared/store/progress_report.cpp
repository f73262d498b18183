// The organizer's progress report (see progress_report.h): three read queries over
// attempt_effective (attempts as corrected, undone ones left out), turf and turf_door, run inside the caller's read transaction.
#include "shared/store/progress_report.h"

#include <algorithm>

namespace doorstep::store {

Result<ProgressReport> progress_report(Db& db, std::string_view campaign_id, int64_t cursor, int recent_limit) {
  ProgressReport out;
  {
    auto q = db.prepare(
        "SELECT count(*), count(DISTINCT door_id), count(DISTINCT CASE WHEN result='talked' THEN door_id END), "
        "coalesce(sum(distance_m < 100),0), coalesce(sum(distance_m >= 100 AND distance_m <= 300),0), "
        "coalesce(sum(distance_m > 300),0), coalesce(sum(distance_m IS NULL),0), coalesce(max(seq),0) "
        "FROM attempt_effective WHERE campaign_id=?1");
    if (!q) return q.error();
    q->bind(1, campaign_id);
    auto r = q->step();
    if (!r) return r.error();
    out.attempts = q->int64(0);
    out.doors_knocked = q->int64(1);
    out.contacts = q->int64(2);
    out.green = q->int64(3);
    out.orange = q->int64(4);
    out.red = q->int64(5);
    out.unknown = q->int64(6);
    out.cursor = std::max(cursor, q->int64(7));
  }
  {
    auto q = db.prepare(
        "SELECT t.id, t.name, "
        " (SELECT count(*) FROM turf_door td WHERE td.turf_id=t.id AND td.deleted=0), "
        " count(a.id), count(DISTINCT a.door_id), count(DISTINCT CASE WHEN a.result='talked' THEN a.door_id END), coalesce(max(a.client_ms),0) "
        "FROM turf t LEFT JOIN attempt_effective a ON a.turf_id=t.id WHERE t.campaign_id=?1 AND t.deleted=0 "
        "GROUP BY t.id ORDER BY t.name");
    if (!q) return q.error();
    q->bind(1, campaign_id);
    for (;;) {
      auto r = q->step();
      if (!r) return r.error();
      if (!*r) break;
      out.turfs.push_back(TurfProgress{q->text(0), q->text(1), q->int64(2), q->int64(3), q->int64(4), q->int64(5),
                                       q->int64(6)});
    }
  }
  {
    auto q = db.prepare(
        "SELECT seq, turf_id, door_id, result, client_ms, distance_m FROM attempt_effective "
        "WHERE campaign_id=?1 AND seq>?2 ORDER BY seq LIMIT ?3");
    if (!q) return q.error();
    q->bind(1, campaign_id).bind(2, cursor).bind(3, static_cast<int64_t>(recent_limit));
    for (;;) {
      auto r = q->step();
      if (!r) return r.error();
      if (!*r) break;
      RecentAttempt a;
      a.rowid = q->int64(0);
      a.turf_id = q->text(1);
      a.door_id = q->text(2);
      a.result = q->text(3);
      a.recorded_at = q->int64(4);
      if (!q->is_null(5)) a.distance_m = q->real(5);
      out.cursor = a.rowid;
      out.recent.push_back(std::move(a));
    }
  }
  return out;
}

}  // namespace doorstep::store
