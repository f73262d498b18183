// Organizers by campaign over real loopback HTTP: the creator owns a campaign; owners add members
// by email (an unknown email gets a one-time link), change and remove them, never leaving a
// campaign without an owner; each role reaches only what it may (viewer: no names, no exports);
// an organizer of campaign A cannot read, export or purge B; the admin sees names and counts and
// adds themselves only through an audited route; disabling an account ends its sessions at once;
// a password change needs the old one and ends other sessions. Also the pure route policy.
#include "server/membership.h"
#include "tests/server/fixture.h"

using namespace doorstep;
using server::Role;

namespace {

struct Who {
  std::string id;
  fixture::Organizer org;
};

fixture::Organizer from_signin(httplib::Client& cli, const std::string& url) {
  auto p = url.find("#signin=");
  REQUIRE(p != std::string::npos);
  auto r = cli.Post("/api/v1/auth/link", R"({"token":")" + url.substr(p + 8) + R"("})", "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  std::string sc = r->get_header_value("Set-Cookie");
  fixture::Organizer o;
  o.cookie = sc.substr(11, sc.find(';') - 11);
  o.csrf = fixture::parse(r->body).find("csrf_token")->as_string();
  return o;
}

int post(httplib::Client& cli, const fixture::Organizer& o, const std::string& path, const std::string& body,
         std::string* out = nullptr) {
  auto r = cli.Post(path, o.headers(), body, "application/json");
  REQUIRE(r);
  if (out) *out = r->body;
  return r->status;
}

int get(httplib::Client& cli, const fixture::Organizer& o, const std::string& path, std::string* out = nullptr) {
  auto r = cli.Get(path, o.headers(false));
  REQUIRE(r);
  if (out) *out = r->body;
  return r->status;
}

std::string create_campaign(httplib::Client& cli, const fixture::Organizer& o, const std::string& name) {
  std::string body;
  REQUIRE(post(cli, o, "/api/v1/campaigns", R"({"name":")" + name + R"("})", &body) == 200);
  auto v = fixture::parse(body);
  CHECK(v.find("campaign")->find("role")->as_string() == "owner");
  return v.find("campaign")->find("id")->as_string();
}

// Adds `email` to the campaign with `role`; returns the new account's session when a link came back.
Who add_member(httplib::Client& cli, const fixture::Organizer& owner, const std::string& campaign,
               const std::string& email, const std::string& role) {
  std::string body;
  REQUIRE(post(cli, owner, "/api/v1/campaigns/" + campaign + "/members",
               R"({"email":")" + email + R"(","role":")" + role + R"("})", &body) == 200);
  auto v = fixture::parse(body);
  Who w;
  w.id = v.find("member")->find("account_id")->as_string();
  CHECK(v.find("member")->find("role")->as_string() == role);
  if (const auto* url = v.find("signin_url")) w.org = from_signin(cli, url->as_string());
  return w;
}

}  // namespace

TEST_CASE("route policy: scope from the path, the least role per route") {
  using server::role_needed;
  using server::Scope;
  using server::scope_of;
  const std::string c = "/api/v1/campaigns/01234567-89ab-7def-8123-456789abcdef";
  CHECK(scope_of(c).kind == Scope::Kind::campaign);
  CHECK(scope_of(c + "/progress?x=1").id == "01234567-89ab-7def-8123-456789abcdef");
  CHECK(scope_of("/api/v1/turfs/01234567-89ab-7def-8123-456789abcdef/walklist").kind == Scope::Kind::turf);
  CHECK(scope_of("/api/v1/links/01234567-89ab-7def-8123-456789abcdef/revoke").kind == Scope::Kind::link);
  CHECK(scope_of("/api/v1/signups/01234567-89ab-7def-8123-456789abcdef/followup").kind == Scope::Kind::signup);
  CHECK(scope_of("/api/v1/campaigns").kind == Scope::Kind::none);
  CHECK(scope_of("/api/v1/campaigns/not-a-uuid/progress").kind == Scope::Kind::none);
  CHECK(scope_of("/api/v1/campaigns/01234567-89ab-7def-8123-456789abcdefX").kind == Scope::Kind::none);
  CHECK(role_needed("GET", c) == Role::viewer);
  CHECK(role_needed("GET", c + "/progress") == Role::viewer);
  CHECK(role_needed("GET", c + "/turfs") == Role::viewer);
  CHECK(role_needed("POST", c + "/turfs") == Role::organizer);
  CHECK(role_needed("GET", c + "/export/van") == Role::organizer);
  CHECK(role_needed("GET", c + "/signups") == Role::organizer);
  CHECK(role_needed("POST", c + "/purge") == Role::owner);
  CHECK(role_needed("POST", c + "/settings") == Role::owner);
  CHECK(role_needed("GET", c + "/members") == Role::owner);
  CHECK(role_needed("POST", c + "/leave") == Role::viewer);
  CHECK(role_needed("GET", c + "/leave") == Role::organizer);
  CHECK(role_needed("GET", c + "/audit") == Role::owner);
  CHECK(role_needed("GET", c + "/something/new") == Role::organizer);  // unknown routes: not for viewers
  CHECK(role_needed("GET", "/api/v1/turfs/01234567-89ab-7def-8123-456789abcdef/walklist") == Role::organizer);
}

TEST_CASE("membership: owners, organizers and viewers; campaign A's organizer cannot touch B") {
  fixture::Server s;
  auto admin = fixture::sign_in_admin(s);
  auto cli = s.client();
  std::string a = create_campaign(cli, admin, "Campaign A");

  // An unknown email gets an account and a one-time link for the owner to pass on.
  Who bob = add_member(cli, admin, a, "Bob@Example.org", "organizer");
  REQUIRE_FALSE(bob.org.cookie.empty());
  Who carol = add_member(cli, admin, a, "carol@example.org", "viewer");
  REQUIRE_FALSE(carol.org.cookie.empty());
  std::string b = create_campaign(cli, bob.org, "Campaign B");

  std::string body;
  REQUIRE(get(cli, bob.org, "/api/v1/campaigns", &body) == 200);
  auto list = fixture::parse(body).find("campaigns")->as_array();
  REQUIRE(list.size() == 2);
  REQUIRE(get(cli, carol.org, "/api/v1/campaigns", &body) == 200);
  list = fixture::parse(body).find("campaigns")->as_array();
  REQUIRE(list.size() == 1);
  CHECK(list[0].find("role")->as_string() == "viewer");
  CHECK(list[0].find("id")->as_string() == a);

  // The admin is not a member of B: its people, exports and purge are out of reach.
  CHECK(get(cli, admin, "/api/v1/campaigns/" + b) == 403);
  CHECK(get(cli, admin, "/api/v1/campaigns/" + b + "/progress") == 403);
  CHECK(get(cli, admin, "/api/v1/campaigns/" + b + "/export/attempts") == 403);
  CHECK(post(cli, admin, "/api/v1/campaigns/" + b + "/purge", R"({"confirm":"Campaign B"})") == 403);
  // Neither is the viewer of A.
  CHECK(get(cli, carol.org, "/api/v1/campaigns/" + b + "/progress") == 403);
  // The admin sees every campaign's name and counts, and whether they are a member.
  REQUIRE(get(cli, admin, "/api/v1/admin/campaigns", &body) == 200);
  auto all = fixture::parse(body).find("campaigns")->as_array();
  REQUIRE(all.size() == 2);
  for (const auto& x : all) {
    CHECK(x.find("people") != nullptr);
    CHECK(x.find("role")->as_string() == (x.find("id")->as_string() == a ? "owner" : ""));
  }
  CHECK(get(cli, bob.org, "/api/v1/admin/campaigns") == 403);
  // ... and adds themselves, audited in the campaign's log (which its owner reads).
  CHECK(post(cli, admin, "/api/v1/campaigns/" + b + "/members/self", "{}") == 200);
  CHECK(get(cli, admin, "/api/v1/campaigns/" + b + "/progress") == 200);
  CHECK(post(cli, bob.org, "/api/v1/campaigns/" + b + "/members/self", "{}") == 403);
  REQUIRE(get(cli, bob.org, "/api/v1/campaigns/" + b + "/audit", &body) == 200);
  CHECK(body.find("member.self") != std::string::npos);

  // Viewer: dashboard and turf map; no names (walk lists, sign-ups), no exports, no changes.
  CHECK(get(cli, carol.org, "/api/v1/campaigns/" + a) == 200);
  CHECK(get(cli, carol.org, "/api/v1/campaigns/" + a + "/progress") == 200);
  CHECK(get(cli, carol.org, "/api/v1/campaigns/" + a + "/turfs") == 200);
  CHECK(get(cli, carol.org, "/api/v1/campaigns/" + a + "/export/attempts") == 403);
  CHECK(get(cli, carol.org, "/api/v1/campaigns/" + a + "/signups") == 403);
  CHECK(post(cli, carol.org, "/api/v1/campaigns/" + a + "/turfs/auto", R"({"target_doors":10})") == 403);
  // Organizer: the work, but not members, settings or purge.
  CHECK(get(cli, bob.org, "/api/v1/campaigns/" + a + "/export/attempts") == 200);
  CHECK(get(cli, bob.org, "/api/v1/campaigns/" + a + "/members") == 403);
  CHECK(post(cli, bob.org, "/api/v1/campaigns/" + a + "/settings", R"({"retention_days":30})") == 403);
  CHECK(post(cli, bob.org, "/api/v1/campaigns/" + a + "/purge", R"({"confirm":"Campaign A"})") == 403);
  CHECK(post(cli, bob.org, "/api/v1/campaigns/" + a + "/members", R"({"email":"x@example.org","role":"owner"})") == 403);

  // Owners: list, change, remove; the last owner stays.
  REQUIRE(get(cli, admin, "/api/v1/campaigns/" + a + "/members", &body) == 200);
  auto listed = fixture::parse(body);
  CHECK(listed.find("members")->as_array().size() == 3);
  std::string admin_id;
  for (const auto& m : listed.find("members")->as_array())
    if (m.find("email")->as_string() == "admin") admin_id = m.find("account_id")->as_string();
  REQUIRE_FALSE(admin_id.empty());
  CHECK(post(cli, admin, "/api/v1/campaigns/" + a + "/members/" + admin_id + "/remove", "{}") == 409);
  CHECK(post(cli, admin, "/api/v1/campaigns/" + a + "/members", R"({"email":"admin","role":"viewer"})") == 409);
  CHECK(post(cli, admin, "/api/v1/campaigns/" + a + "/members", R"({"email":"nobody","role":"viewer"})") == 400);
  CHECK(post(cli, admin, "/api/v1/campaigns/" + a + "/members", R"({"email":"carol@example.org","role":"boss"})") == 400);
  CHECK(post(cli, admin, "/api/v1/campaigns/" + a + "/members", R"({"email":"carol@example.org","role":"owner","x":1})") == 400);
  // Promoting carol to owner (an existing account: no new link) lets admin step down.
  REQUIRE(post(cli, admin, "/api/v1/campaigns/" + a + "/members", R"({"email":"carol@example.org","role":"owner"})", &body) == 200);
  CHECK(fixture::parse(body).find("signin_url") == nullptr);
  CHECK(post(cli, carol.org, "/api/v1/campaigns/" + a + "/members/" + bob.id + "/remove", "{}") == 200);
  CHECK(get(cli, bob.org, "/api/v1/campaigns/" + a + "/progress") == 403);
  // Leaving: a member takes themselves off (audited); a non-member has nothing to leave; the only
  // owner left cannot go.
  Who dan = add_member(cli, carol.org, a, "dan@example.org", "viewer");
  CHECK(get(cli, dan.org, "/api/v1/campaigns/" + a + "/progress") == 200);
  CHECK(post(cli, dan.org, "/api/v1/campaigns/" + a + "/leave", "{}") == 200);
  CHECK(get(cli, dan.org, "/api/v1/campaigns/" + a + "/progress") == 403);
  CHECK(post(cli, dan.org, "/api/v1/campaigns/" + a + "/leave", "{}") == 403);
  REQUIRE(get(cli, carol.org, "/api/v1/campaigns/" + a + "/audit", &body) == 200);
  CHECK(body.find("member.leave") != std::string::npos);
  CHECK(post(cli, admin, "/api/v1/campaigns/" + a + "/leave", "{}") == 200);  // carol is owner too
  CHECK(post(cli, carol.org, "/api/v1/campaigns/" + a + "/leave", "{}") == 409);
  // Records of another campaign named by id: turfs, links and sign-ups resolve to their campaign.
  CHECK(get(cli, carol.org, "/api/v1/turfs/01234567-89ab-7def-8123-456789abcdef/walklist") == 404);
}

TEST_CASE("a campaign made on the command line is its admins' until an owner is added") {
  fixture::SeededServer ss;  // seeded straight into the database: no members
  auto cli = ss.s.client();
  const std::string c = "/api/v1/campaigns/" + ss.seeded.campaign;
  CHECK(get(cli, ss.org, c + "/progress") == 200);
  CHECK(get(cli, ss.org, "/api/v1/turfs/" + ss.seeded.turf_a + "/walklist") == 200);
  Who dana = add_member(cli, ss.org, ss.seeded.campaign, "dana@example.org", "organizer");
  // The admin became an owner when someone was added, so nobody is locked out.
  std::string body;
  REQUIRE(get(cli, ss.org, c + "/members", &body) == 200);
  auto ms = fixture::parse(body).find("members")->as_array();
  REQUIRE(ms.size() == 2);
  CHECK(get(cli, dana.org, "/api/v1/turfs/" + ss.seeded.turf_a + "/walklist") == 200);
  // A second admin-less organizer account sees nothing here.
  Who eve = add_member(cli, ss.org, create_campaign(cli, ss.org, "Other"), "eve@example.org", "owner");
  CHECK(get(cli, eve.org, c + "/progress") == 403);
  CHECK(get(cli, eve.org, "/api/v1/turfs/" + ss.seeded.turf_a + "/walklist") == 403);
}

TEST_CASE("disabling an account ends its sessions at once; a password change needs the old one") {
  fixture::Server s;
  auto admin = fixture::sign_in_admin(s);
  auto cli = s.client();
  std::string a = create_campaign(cli, admin, "Campaign A");
  Who bob = add_member(cli, admin, a, "bob@example.org", "organizer");
  CHECK(get(cli, bob.org, "/api/v1/auth/me") == 200);
  CHECK(post(cli, bob.org, "/api/v1/accounts/" + bob.id + "/disable", "{}") == 403);  // admins only
  CHECK(post(cli, admin, "/api/v1/accounts/" + bob.id + "/disable", "{}") == 200);
  CHECK(get(cli, bob.org, "/api/v1/auth/me") == 401);
  CHECK(get(cli, bob.org, "/api/v1/campaigns/" + a + "/progress") == 401);
  CHECK(post(cli, admin, "/api/v1/accounts/" + bob.id + "/enable", "{}") == 200);
  CHECK(get(cli, bob.org, "/api/v1/auth/me") == 401);  // the ended session stays ended

  // First password after a one-time link: no old one. Changing it needs the old one and ends the
  // account's other sessions, not this one.
  CHECK(post(cli, admin, "/api/v1/auth/password", R"({"password":"first long password"})") == 200);
  auto second = cli.Post("/api/v1/auth/signin", R"({"email":"admin","password":"first long password"})", "application/json");
  REQUIRE(second);
  REQUIRE(second->status == 200);
  std::string sc = second->get_header_value("Set-Cookie");
  fixture::Organizer other;
  other.cookie = sc.substr(11, sc.find(';') - 11);
  other.csrf = fixture::parse(second->body).find("csrf_token")->as_string();
  CHECK(get(cli, other, "/api/v1/auth/me") == 200);
  CHECK(post(cli, admin, "/api/v1/auth/password", R"({"password":"second long password"})") == 400);
  CHECK(post(cli, admin, "/api/v1/auth/password", R"({"password":"second long password","old_password":"wrong one"})") == 403);
  CHECK(post(cli, admin, "/api/v1/auth/password",
             R"({"password":"second long password","old_password":"first long password"})") == 200);
  CHECK(get(cli, admin, "/api/v1/auth/me") == 200);
  CHECK(get(cli, other, "/api/v1/auth/me") == 401);
}
