// Who may do what in a campaign: membership per campaign (owner, organizer, viewer), the role each
// organizer route needs (a pure policy read from the method and path), and the campaign a
// turf, link or sign-up id belongs to. Runs inside the storage's units of work (table
// srv_members). Leaves out sessions and HTTP answers (app.cpp require_session applies this).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/result.h"
#include "shared/store/store.h"

namespace doorstep::server {

// Ordered: a higher role may do everything a lower one may.
enum class Role { none = 0, viewer = 1, organizer = 2, owner = 3 };
std::string_view to_name(Role r);
std::optional<Role> role_from_name(std::string_view s);  // "owner" | "organizer" | "viewer"

// Server migration 4: srv_members, with the creator of each existing campaign (from the audit
// log's campaign.create) as its owner.
extern const char* const kMembershipSql;

// What an organizer route touches: the campaign, turf, link or sign-up its path names.
struct Scope {
  enum class Kind { none, campaign, turf, link, signup } kind = Kind::none;
  std::string id;
};
Scope scope_of(std::string_view path);
// The least role a request needs. owner: members, settings, purge, the audit log; viewer: reading
// the campaign, its turfs, progress, results and the doors map (no names, no exports), and leaving it;
// organizer: everything else (imports, turfs, links, the script and survey, exports, follow-up).
Role role_needed(std::string_view method, std::string_view path);

// The campaign a scope's id belongs to; not_found when there is no such record.
Result<std::string> campaign_of(store::Db& db, const Scope& s);

struct Member {
  std::string account_id, email;
  Role role = Role::none;
  int64_t added_at = 0;
  std::string added_by;
};
// The account's role in the campaign. A campaign with no members yet (made on the command line)
// is its admins' own: an admin gets owner there until someone is added.
Result<Role> role_in(store::Db& db, const std::string& campaign_id, const std::string& account_id, bool is_admin);
Result<std::vector<Member>> members(store::Db& db, const std::string& campaign_id);
// Adds or changes a member. Refuses (failed_precondition) to leave a campaign without an owner.
Status set_member(store::Db& db, const std::string& campaign_id, const std::string& account_id, Role role,
                  const std::string& by, int64_t now_ms);
Status remove_member(store::Db& db, const std::string& campaign_id, const std::string& account_id);
// Campaign ids where the account is a member (or, for an admin, every campaign with no members).
Result<std::vector<std::string>> campaigns_of(store::Db& db, const std::string& account_id, bool is_admin);

}  // namespace doorstep::server
