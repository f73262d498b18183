// Membership per campaign and the route policy (see membership.h).
#include "server/membership.h"

#include <algorithm>
#include <array>

namespace doorstep::server {

const char* const kMembershipSql = R"sql(
CREATE TABLE srv_members(
  campaign_id TEXT NOT NULL, account_id TEXT NOT NULL, role TEXT NOT NULL,
  added_at INTEGER NOT NULL, added_by TEXT NOT NULL DEFAULT '',
  PRIMARY KEY(campaign_id, account_id));
CREATE INDEX srv_members_account ON srv_members(account_id);
INSERT OR IGNORE INTO srv_members(campaign_id, account_id, role, added_at, added_by)
  SELECT campaign_id, account_id, 'owner', min(at), 'migration' FROM srv_audit
  WHERE action='campaign.create' AND campaign_id IN (SELECT id FROM campaign) GROUP BY campaign_id, account_id;
)sql";

std::string_view to_name(Role r) {
  switch (r) {
    case Role::owner: return "owner";
    case Role::organizer: return "organizer";
    case Role::viewer: return "viewer";
    case Role::none: break;
  }
  return "";
}

std::optional<Role> role_from_name(std::string_view s) {
  for (Role r : {Role::owner, Role::organizer, Role::viewer})
    if (s == to_name(r)) return r;
  return std::nullopt;
}

namespace {

constexpr std::string_view kApi = "/api/v1/";

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-'; });
}

// "/api/v1/<collection>/<uuid><rest>" -> collection, id, rest; false for any other path.
bool split(std::string_view path, std::string_view& collection, std::string_view& id, std::string_view& rest) {
  if (path.substr(0, kApi.size()) != kApi) return false;
  path.remove_prefix(kApi.size());
  auto slash = path.find('/');
  if (slash == std::string_view::npos) return false;
  collection = path.substr(0, slash);
  id = path.substr(slash + 1, 36);
  if (!is_uuid(id)) return false;
  rest = path.substr(slash + 1 + 36);
  return rest.empty() || rest[0] == '/';
}

}  // namespace

Scope scope_of(std::string_view path) {
  path = path.substr(0, path.find('?'));
  std::string_view collection, id, rest;
  Scope s;
  if (!split(path, collection, id, rest)) return s;
  if (collection == "campaigns") s.kind = Scope::Kind::campaign;
  else if (collection == "turfs") s.kind = Scope::Kind::turf;
  else if (collection == "links") s.kind = Scope::Kind::link;
  else if (collection == "signups") s.kind = Scope::Kind::signup;
  else return s;
  s.id = std::string(id);
  return s;
}

Role role_needed(std::string_view method, std::string_view path) {
  path = path.substr(0, path.find('?'));
  std::string_view collection, id, rest;
  if (!split(path, collection, id, rest)) return Role::organizer;
  bool read = method == "GET" || method == "HEAD";
  if (collection == "campaigns") {
    if (rest == "/leave" && method == "POST") return Role::viewer;  // any member takes themselves off
    if (rest.rfind("/members", 0) == 0 || rest == "/settings" || rest == "/purge" || rest == "/audit") return Role::owner;
    static constexpr std::array<std::string_view, 7> kViewable = {"", "/turfs", "/progress", "/results",
                                                                  "/doors/map", "/imports/current", "/dashboard"};
    if (read && std::find(kViewable.begin(), kViewable.end(), rest) != kViewable.end()) return Role::viewer;
    return Role::organizer;
  }
  if (collection == "turfs" && read && (rest.empty() || rest == "/route")) return Role::viewer;
  return Role::organizer;
}

Result<std::string> campaign_of(store::Db& db, const Scope& s) {
  const char* sql = nullptr;
  switch (s.kind) {
    case Scope::Kind::campaign: sql = "SELECT id FROM campaign WHERE id=?1 AND deleted=0"; break;
    case Scope::Kind::turf: sql = "SELECT campaign_id FROM turf WHERE id=?1"; break;
    case Scope::Kind::link: sql = "SELECT campaign_id FROM srv_links WHERE id=?1"; break;
    case Scope::Kind::signup: sql = "SELECT campaign_id FROM signup WHERE id=?1"; break;
    case Scope::Kind::none: return Error{Code::not_found, "no campaign"};
  }
  auto q = db.prepare(sql);
  if (!q) return q.error();
  q->bind(1, s.id);
  auto r = q->step();
  if (!r) return r.error();
  if (!*r) return Error{Code::not_found, "not found"};
  return q->text(0);
}

namespace {

Result<int64_t> member_count(store::Db& db, const std::string& campaign_id, const char* role_filter) {
  auto q = db.prepare(role_filter ? "SELECT count(*) FROM srv_members WHERE campaign_id=?1 AND role=?2"
                                  : "SELECT count(*) FROM srv_members WHERE campaign_id=?1");
  if (!q) return q.error();
  q->bind(1, campaign_id);
  if (role_filter) q->bind(2, std::string(role_filter));
  auto r = q->step();
  if (!r) return r.error();
  return q->int64(0);
}

}  // namespace

Result<Role> role_in(store::Db& db, const std::string& campaign_id, const std::string& account_id, bool is_admin) {
  auto q = db.prepare("SELECT role FROM srv_members WHERE campaign_id=?1 AND account_id=?2");
  if (!q) return q.error();
  q->bind(1, campaign_id).bind(2, account_id);
  auto r = q->step();
  if (!r) return r.error();
  if (*r) return role_from_name(q->text(0)).value_or(Role::none);
  if (!is_admin) return Role::none;
  auto n = member_count(db, campaign_id, nullptr);
  if (!n) return n.error();
  return *n == 0 ? Role::owner : Role::none;
}

Result<std::vector<Member>> members(store::Db& db, const std::string& campaign_id) {
  auto q = db.prepare(
      "SELECT m.account_id, coalesce(a.email,''), m.role, m.added_at, m.added_by FROM srv_members m "
      "LEFT JOIN srv_accounts a ON a.id=m.account_id WHERE m.campaign_id=?1 ORDER BY m.added_at, a.email");
  if (!q) return q.error();
  q->bind(1, campaign_id);
  std::vector<Member> out;
  for (;;) {
    auto r = q->step();
    if (!r) return r.error();
    if (!*r) break;
    out.push_back(Member{q->text(0), q->text(1), role_from_name(q->text(2)).value_or(Role::none), q->int64(3), q->text(4)});
  }
  return out;
}

Status set_member(store::Db& db, const std::string& campaign_id, const std::string& account_id, Role role,
                  const std::string& by, int64_t now_ms) {
  if (role == Role::none) return Error{Code::invalid_argument, "role: owner, organizer or viewer"};
  auto current = role_in(db, campaign_id, account_id, false);
  if (!current) return current.error();
  if (*current == Role::owner && role != Role::owner) {
    auto owners = member_count(db, campaign_id, "owner");
    if (!owners) return owners.error();
    if (*owners <= 1) return Error{Code::conflict, "a campaign keeps at least one owner: add another owner first"};
  }
  auto q = db.prepare(
      "INSERT INTO srv_members(campaign_id, account_id, role, added_at, added_by) VALUES(?1, ?2, ?3, ?4, ?5) "
      "ON CONFLICT(campaign_id, account_id) DO UPDATE SET role=excluded.role");
  if (!q) return q.error();
  q->bind(1, campaign_id).bind(2, account_id).bind(3, std::string(to_name(role))).bind(4, now_ms).bind(5, by);
  return q->run();
}

Status remove_member(store::Db& db, const std::string& campaign_id, const std::string& account_id) {
  auto current = role_in(db, campaign_id, account_id, false);
  if (!current) return current.error();
  if (*current == Role::none) return Error{Code::not_found, "not a member of this campaign"};
  if (*current == Role::owner) {
    auto owners = member_count(db, campaign_id, "owner");
    if (!owners) return owners.error();
    if (*owners <= 1) return Error{Code::conflict, "a campaign keeps at least one owner: add another owner first"};
  }
  auto q = db.prepare("DELETE FROM srv_members WHERE campaign_id=?1 AND account_id=?2");
  if (!q) return q.error();
  q->bind(1, campaign_id).bind(2, account_id);
  return q->run();
}

Result<std::vector<std::string>> campaigns_of(store::Db& db, const std::string& account_id, bool is_admin) {
  auto q = db.prepare(
      "SELECT c.id FROM campaign c WHERE c.deleted=0 AND (EXISTS(SELECT 1 FROM srv_members m WHERE m.campaign_id=c.id "
      "AND m.account_id=?1) OR (?2 AND NOT EXISTS(SELECT 1 FROM srv_members m WHERE m.campaign_id=c.id))) ORDER BY c.name");
  if (!q) return q.error();
  q->bind(1, account_id).bind(2, int64_t(is_admin ? 1 : 0));
  std::vector<std::string> out;
  for (;;) {
    auto r = q->step();
    if (!r) return r.error();
    if (!*r) break;
    out.push_back(q->text(0));
  }
  return out;
}

}  // namespace doorstep::server
