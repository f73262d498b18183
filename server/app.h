// The endpoint application: opens DIR/doorstep.db (WAL; pushes acknowledged only after a durable
// commit), holds storage, auth, rate limits, the clock and the server's HLC, and registers every
// /api/v1 route on an HttpServer. Also the request helpers the route files share (strict JSON body,
// unknown-field rejection, error answers). Leaves out the HTTP transport (http.h, http_server.h) and the
// sync rules (shared/sync_server.h).
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "server/auth.h"
#include "server/http.h"
#include "server/membership.h"
#include "server/imports.h"
#include "server/rate_limit.h"
#include "server/storage.h"
#include "server/tile_store.h"
#include "shared/base/ids.h"
#include "shared/base/json.h"
#include "shared/base/result.h"
#include "shared/sync/sync_protocol.h"

namespace doorstep::canvass {
struct Package;
}

namespace doorstep::store {
class Db;
}


namespace doorstep::server {

struct AppConfig {
  std::string data_dir;            // holds doorstep.db (created on first start)
  bool secure_cookies = false;     // served over TLS, directly or behind a TLS proxy
  std::string public_url;          // base of printed links, e.g. "https://canvass.example.org"
  int64_t link_grace_ms = 72ll * 3600 * 1000;        // records made while valid still accepted
  int64_t default_link_ttl_ms = 30ll * 24 * 3600 * 1000;
  int64_t max_link_ttl_ms = 365ll * 24 * 3600 * 1000;
  Quota::Config link_quota;        // per link and hour: 3,000 mutations, 8 MiB of push bodies
  Auth::Config auth;               // sessions, passwords, sign-in rates (per account, address, server)
  size_t max_body_bytes = 4u << 20;
  uint64_t max_upload_bytes = 1ull << 30;  // a voter or points file (LA County's is about 1 GB)
  size_t import_batch_rows = 10000;        // rows per transaction of an upload at most; the writer is free between
  int import_unit_ms = 40;                 // and time per transaction at most (what a canvasser push may wait)
  int import_yield_ms = 8;                 // a transaction ends after this long once another write (a push) waits
  size_t max_json_depth = 32;
  sync::Limits limits;             // batch size and per-field limits of the wire format
  std::function<int64_t()> clock;  // unix ms; empty = system clock (tests move time)
  SqliteStorage::Options storage;
};

class App {
 public:
  static Result<std::unique_ptr<App>> open(AppConfig cfg);
  ~App();

  // Registers /api/v1/... (health stays in http_server.cpp).
  void register_routes(http::Router& srv);

  // First start: when no account exists, creates "admin" and returns its one-time sign-in token.
  Result<std::optional<std::string>> first_start();
  std::string signin_url(const std::string& token, const std::string& host = "") const;
  std::string link_url(const std::string& token, const std::string& host = "") const;
  // The public URL once the port is known (doorstep serve: http(s)://--host:port unless
  // --public-url was given). Links, sign-in links and the Origin check use it, never the Host
  // header; `host` above is only a fallback for an App with no public URL (in-process tools).
  void set_default_public_url(const std::string& url);
  // "scheme://host[:port]" of the public URL, "" when none is set.
  std::string public_origin() const;

  // DIR/uploads: every upload temp file (upload_temp.h; doorstep serve spools bodies there too).
  std::string uploads_dir() const;
  Storage& storage() { return *storage_; }
  TileStore& tiles() { return *tiles_; }  // the base map: archives in DIR/tiles/, opened at start
  Auth& auth() { return *auth_; }
  RateLimiter& token_limiter() { return token_limiter_; }
  Imports& imports() { return imports_; }  // uploads in progress (api_universe.cpp)
  Quota& link_quota() { return link_quota_; }
  const AppConfig& config() const { return cfg_; }
  int64_t now() const { return cfg_.clock(); }
  Hlc next_hlc();  // the server's clock for organizer writes and imports
  void audit(const std::string& account_id, const std::string& campaign_id, const std::string& action,
             const std::string& detail);
  // Retention: purges the personal data of every campaign whose retention_days (> 0) have passed
  // since its last attempt (or its creation), once. Returns how many campaigns were purged.
  Result<int> purge_expired();

 private:
  explicit App(AppConfig cfg);
  AppConfig cfg_;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<Auth> auth_;
  std::unique_ptr<TileStore> tiles_;
  RateLimiter token_limiter_;
  Imports imports_;
  Quota link_quota_;
  std::mutex hlc_mu_;
  HlcClock hlc_;
};

// ---- Shared by the route files ------------------------------------------------------------------

using http::Handler;
// Wraps a handler so an unexpected exception becomes a logged-once 500 {code:"internal"} rather
// than a dropped connection; bad input never reaches this (handlers answer 4xx first).
Handler guarded(Handler h);

// The request body as strict JSON: Content-Type application/json, within the size limit, valid
// UTF-8, bounded nesting, an object at the top. Errors are 4xx-coded.
// max_bytes: 0 = the configured body limit; sign-in routes pass kSignInMaxBody.
Result<json::Value> json_body(const App& app, http::Request& req, size_t max_bytes = 0);
constexpr size_t kSignInMaxBody = 4096;  // unauthenticated bodies are capped before parsing
// A query parameter as a non-negative integer in [lo, hi]; absent or empty -> dflt.
Result<int64_t> int_query(const http::Request& req, const char* name, int64_t lo, int64_t hi, int64_t dflt);
// Rejects members of `obj` not in `allowed` (invalid_argument naming the first one).
Status only_fields(const json::Value& obj, std::initializer_list<const char*> allowed);
// Typed member access with a field name in every message. Absent optional members -> fallback.
Result<std::string> str_field(const json::Value& obj, const char* name, bool required, size_t max_len = 4096,
                              const std::string& fallback = "");
Result<int64_t> int_field(const json::Value& obj, const char* name, bool required, int64_t lo, int64_t hi,
                          int64_t fallback = 0);
Result<double> num_field(const json::Value& obj, const char* name, bool required, double lo, double hi,
                         double fallback = 0);

// sync::purge_personal_data (shared/sync/purge.h) and the record that the campaign was purged, in
// the caller's transaction. Returns the number of people blanked.
Result<int64_t> purge_personal_data(store::Db& db, const std::string& campaign_id, int64_t now_ms);
// After a purge's commit: the WAL checkpointed into the database and truncated, so the old page
// images that still held the data are gone from both files (secure_delete zeroed the freed space).
Status forget_freed_bytes(App& app);

void register_canvass_routes(App& app, http::Router& srv);   // api_canvass.cpp
// The server's base map (tile URL, attribution, zoom, cache cap) into a package (api_canvass.cpp).
void add_base_map(App& app, canvass::Package& pkg, int64_t cache_mb);
// Organizer routes (session cookie + CSRF), by resource:
void register_auth_routes(App& app, http::Router& srv);      // api_auth.cpp: sign-in and accounts
void register_campaign_routes(App& app, http::Router& srv);  // api_campaigns.cpp: campaigns, universe
void register_turf_routes(App& app, http::Router& srv);      // api_turfs.cpp
void register_link_routes(App& app, http::Router& srv);      // api_links.cpp
void register_progress_routes(App& app, http::Router& srv);  // api_progress.cpp: progress, exports, audit, purge
void register_universe_routes(App& app, http::Router& srv);  // api_universe.cpp: uploads, progress of them, door map
void register_building_routes(App& app, http::Router& srv);  // api_buildings.cpp: footprints
void register_tile_routes(App& app, http::Router& srv);      // api_tiles.cpp: the base map, outside /api/
void register_survey_routes(App& app, http::Router& srv);    // api_survey.cpp: the script and survey editor
void register_followup_routes(App& app, http::Router& srv);  // api_followup.cpp: sign-up queue, membership exports
void register_paper_routes(App& app, http::Router& srv);     // api_paper.cpp: paper tallies
void register_member_routes(App& app, http::Router& srv);    // api_members.cpp: members, account admin
void register_rejected_routes(App& app, http::Router& srv);  // api_rejected.cpp: records kept for review
// Ends every session of the account but the one with this cookie value (password change).
Status end_other_sessions(App& app, const std::string& account_id, const std::string& keep_session_token);

// The signed-in organizer behind a request: session cookie, and for state-changing methods the
// CSRF header and same-origin checks. Answers the error itself and returns nullopt when refused.
// For a path that names a campaign, turf, link or sign-up, the account must also be a member of
// its campaign with the role the route needs (membership.h role_needed): 403 otherwise, 404 when
// the record does not exist.
struct Caller {
  Account account;
  OrganizerSession session;
  std::string campaign_id;  // the campaign the path names ("" for account-level routes)
  Role role = Role::none;   // the account's role there
};
std::optional<Caller> require_session(App& app, const http::Request& req, http::Response& res);
// An Origin header (when sent) names the public URL's origin (or, with none set, the Host).
bool same_origin_as_public(const App& app, const http::Request& req);
// The value of one cookie in a Cookie header ("" when absent).
std::string cookie_value(const std::string& header, const std::string& name);
// Body limits of the routes (checked on the headers, before any body byte is read).
constexpr uint64_t kSignInBodyLimit = 4096;
constexpr uint64_t kPushBodyLimit = 1u << 20;
constexpr uint64_t kPullBodyLimit = 16384;
constexpr uint64_t kOrganizerBodyLimit = 1u << 20;  // JSON bodies of organizer routes (turf polygons)

}  // namespace doorstep::server
