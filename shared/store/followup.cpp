// Follow-up queue (see followup.h) over signup, consent, door and followup.
#include "shared/store/followup.h"

#include <algorithm>

#include "shared/store/campaign_store.h"

namespace doorstep::store {

const std::vector<std::string_view>& followup_statuses() {
  static const std::vector<std::string_view> v = {"new", "called", "texted", "joined", "not_interested"};
  return v;
}

Result<std::vector<FollowupItem>> followup_queue(Db& db, std::string_view campaign_id,
                                                 std::optional<ConsentPurpose> purpose) {
  auto all = list_signups(db, campaign_id);
  if (!all) return all.error();
  auto q = db.prepare(
      "SELECT coalesce(f.status,'new'), coalesce(f.assigned_to,''), coalesce(f.updated_ms,0),"
      " coalesce((SELECT d.address FROM door d WHERE d.id=?2),'') "
      "FROM (SELECT 1) LEFT JOIN followup f ON f.signup_id=?1");
  if (!q) return q.error();
  std::vector<FollowupItem> out;
  for (auto& s : *all) {
    if (purpose && std::none_of(s.consents.begin(), s.consents.end(),
                                [&](const Consent& c) { return c.purpose == *purpose && c.granted; }))
      continue;
    q->reset();
    q->bind(1, s.id).bind(2, s.door_id);
    auto r = q->step();
    if (!r) return r.error();
    FollowupItem it;
    it.status = q->text(0);
    it.assigned_to = q->text(1);
    it.updated_ms = q->int64(2);
    it.address = q->text(3);
    it.signup = std::move(s);
    out.push_back(std::move(it));
  }
  return out;
}

Result<std::string> set_followup(Db& db, std::string_view signup_id, const std::optional<std::string>& status,
                                 const std::optional<std::string>& assigned_to, int64_t now_ms) {
  if (status && std::find(followup_statuses().begin(), followup_statuses().end(), *status) == followup_statuses().end())
    return make_error(Code::invalid_argument, "status: one of new, called, texted, joined, not_interested");
  auto c = db.prepare("SELECT campaign_id FROM signup WHERE id=?1 AND deleted=0");
  if (!c) return c.error();
  c->bind(1, signup_id);
  auto found = c->step();
  if (!found) return found.error();
  if (!*found) return make_error(Code::not_found, "no such sign-up");
  std::string campaign = c->text(0);
  auto q = db.prepare(
      "INSERT INTO followup(signup_id, status, assigned_to, updated_ms) VALUES(?1, coalesce(?2,'new'), coalesce(?3,''), ?4) "
      "ON CONFLICT(signup_id) DO UPDATE SET status=coalesce(?2,status), assigned_to=coalesce(?3,assigned_to), updated_ms=?4");
  if (!q) return q.error();
  q->bind(1, signup_id).bind(4, now_ms);
  if (status) q->bind(2, *status); else q->bind(2, nullptr);
  if (assigned_to) q->bind(3, *assigned_to); else q->bind(3, nullptr);
  if (auto s = q->run(); !s) return s.error();
  return campaign;
}

}  // namespace doorstep::store
