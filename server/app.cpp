// The endpoint application (see app.h): opening the data folder, first start, shared request
// helpers and the organizer session check. Route handlers live in the api_*.cpp files. Nothing
// here logs bodies, tokens or personal data.
#include "server/app.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <sys/stat.h>
#include <thread>

#include "server/http_errors.h"
#include "server/server_log.h"
#include "server/upload_temp.h"
#include "shared/store/store.h"
#include "shared/io/ref_points.h"
#include "shared/sync/purge.h"

namespace doorstep::server {

namespace {

int64_t system_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool starts_with_ci(const std::string& s, const char* prefix) {
  size_t n = std::char_traits<char>::length(prefix);
  if (s.size() < n) return false;
  for (size_t i = 0; i < n; ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

}  // namespace

std::string cookie_value(const std::string& header, const std::string& name) {
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string part = header.substr(pos, end - pos);
    size_t b = part.find_first_not_of(' ');
    if (b != std::string::npos) part = part.substr(b);
    if (part.size() > name.size() && part.compare(0, name.size(), name) == 0 && part[name.size()] == '=')
      return part.substr(name.size() + 1);
    pos = end + 1;
  }
  return {};
}


App::App(AppConfig cfg) : cfg_(std::move(cfg)), token_limiter_(RateLimiter::Config{20, 1000, 15 * 60 * 1000, 60 * 60 * 1000, 200000}), link_quota_(cfg_.link_quota), hlc_("server") {
  if (!cfg_.clock) cfg_.clock = system_ms;
}

App::~App() = default;

Result<std::unique_ptr<App>> App::open(AppConfig cfg) {
  std::unique_ptr<App> app(new App(std::move(cfg)));
  // Voter data: the folder, the database, its WAL, backups and upload spools are the server
  // account's alone (0700 folders, 0600 files), made so from the start and mended if they were not.
  ::umask(077);
  std::error_code ec;
  std::filesystem::create_directories(app->cfg_.data_dir, ec);
  if (ec) return Error{Code::io, "cannot create data folder " + app->cfg_.data_dir + ": " + ec.message()};
  namespace fs = std::filesystem;
  fs::permissions(app->cfg_.data_dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  for (const char* f : {"doorstep.db", "doorstep.db-wal", "doorstep.db-shm"})
    if (fs::exists(fs::path(app->cfg_.data_dir) / f, ec))
      fs::permissions(fs::path(app->cfg_.data_dir) / f, fs::perms::owner_read | fs::perms::owner_write,
                      fs::perm_options::replace, ec);
  // Upload temp files live in DIR/uploads; any there now were left by a crash or a kill
  // mid-upload (nobody is uploading yet).
  if (int n = remove_stale_uploads(app->uploads_dir()); n > 0)
    std::fprintf(stderr, "doorstep: removed %d stale upload temp file(s) from %s\n", n, app->uploads_dir().c_str());
  auto st = SqliteStorage::open((std::filesystem::path(app->cfg_.data_dir) / "doorstep.db").string(), app->cfg_.storage);
  if (!st) return st.error();
  app->storage_ = std::move(*st);
  // The campaigns' reference address points (shared/io/ref_points), kept beside the core tables.
  if (auto m = app->storage_->exclusive([](store::Db& db) { return ref_points::migrate(db); }); !m) return m.error();
  app->auth_ = std::make_unique<Auth>(*app->storage_, app->cfg_.clock, app->cfg_.auth);
  app->tiles_ = TileStore::open((std::filesystem::path(app->cfg_.data_dir) / "tiles").string());
  for (const auto& p : app->tiles_->problems()) std::fprintf(stderr, "doorstep: tiles: %s (skipped)\n", p.c_str());
  return app;
}

std::string App::uploads_dir() const { return (std::filesystem::path(cfg_.data_dir) / "uploads").string(); }

Result<std::optional<std::string>> App::first_start() { return auth_->ensure_admin(); }

std::string App::signin_url(const std::string& token, const std::string& host) const {
  std::string base = cfg_.public_url;
  if (base.empty()) base = (cfg_.secure_cookies ? "https://" : "http://") + (host.empty() ? "127.0.0.1" : host);
  return base + "/#signin=" + token;
}

void App::set_default_public_url(const std::string& url) {
  if (cfg_.public_url.empty()) cfg_.public_url = url;
  while (!cfg_.public_url.empty() && cfg_.public_url.back() == '/') cfg_.public_url.pop_back();
}

std::string App::public_origin() const {
  const std::string& u = cfg_.public_url;
  auto p = u.find("://");
  if (p == std::string::npos) return "";
  auto slash = u.find('/', p + 3);
  return slash == std::string::npos ? u : u.substr(0, slash);
}

bool same_origin_as_public(const App& app, const http::Request& req) {
  std::string origin = req.header("Origin");
  if (origin.empty()) return true;  // same-origin GETs and non-browser clients send none
  std::string expected = app.public_origin();
  if (!expected.empty()) return origin == expected;
  auto p = origin.find("://");
  return (p == std::string::npos ? origin : origin.substr(p + 3)) == req.header("Host");
}

std::string App::link_url(const std::string& token, const std::string& host) const {
  std::string base = cfg_.public_url;
  if (base.empty()) base = (cfg_.secure_cookies ? "https://" : "http://") + (host.empty() ? "127.0.0.1" : host);
  return base + "/#t=" + token;
}

Hlc App::next_hlc() {
  std::lock_guard<std::mutex> l(hlc_mu_);
  return hlc_.tick(now());
}

void App::audit(const std::string& account_id, const std::string& campaign_id, const std::string& action,
                const std::string& detail) {
  if (auto s = storage_->audit(AuditEntry{0, now(), account_id, campaign_id, action, detail}); !s)
    log_message("doorstep: audit write failed: " + s.error().message);
}

Result<int64_t> purge_personal_data(store::Db& db, const std::string& campaign_id, int64_t now_ms) {
  auto people = sync::purge_personal_data(db, campaign_id);
  if (!people) return people.error();
  if (auto s = mark_purged(db, campaign_id, now_ms); !s) return s.error();
  return people;
}

Result<int> App::purge_expired() {
  std::vector<std::pair<std::string, int64_t>> due;  // campaign, people purged
  int64_t t = now();
  auto s = storage_->write([&](store::Db& db) -> Status {
    auto ids = campaigns_due_for_purge(db, t);
    if (!ids) return ids.error();
    for (const auto& id : *ids) {
      auto n = purge_personal_data(db, id, t);
      if (!n) return n.error();
      due.emplace_back(id, *n);
    }
    return Status::Ok();
  });
  if (!s) return s.error();
  if (!due.empty())
    if (auto f = forget_freed_bytes(*this); !f) return f.error();
  for (const auto& [id, n] : due) audit("retention", id, "campaign.purge", std::to_string(n) + " people (retention)");
  return static_cast<int>(due.size());
}

void App::register_routes(http::Router& srv) {
  http::Router all;
  register_canvass_routes(*this, all);
  register_auth_routes(*this, all);
  register_campaign_routes(*this, all);
  register_turf_routes(*this, all);
  register_link_routes(*this, all);
  register_progress_routes(*this, all);
  register_universe_routes(*this, all);
  register_building_routes(*this, all);
  register_tile_routes(*this, all);
  register_survey_routes(*this, all);
  register_followup_routes(*this, all);
  register_paper_routes(*this, all);
  register_member_routes(*this, all);
  register_rejected_routes(*this, all);
  // Every organizer route checks the session (and for writes the CSRF header) on the headers,
  // before its body is read; the canvasser routes check their token the same way, and sign-in
  // routes carry their own checks. The handlers check again: admission never replaces them.
  for (http::Route r : all.routes()) {
    bool public_route = r.pattern.rfind("/api/v1/canvass/", 0) == 0 || r.pattern == "/api/v1/auth/signin" ||
                        r.pattern == "/api/v1/auth/link" || r.pattern.rfind("/tiles", 0) == 0;
    if (!public_route && !r.limits.admit)
      r.limits.admit = [this](const http::Request& req, http::Response& res) {
        return require_session(*this, req, res).has_value();
      };
    if (!public_route && !r.limits.max_body) r.limits.max_body = kOrganizerBodyLimit;
    srv.add(r.method, r.pattern, r.handler, r.limits);
  }
}

// ---- request helpers --------------------------------------------------------------------------

Handler guarded(Handler h) {
  return [h = std::move(h)](http::Request& req, http::Response& res) {
    try {
      h(req, res);
    } catch (const std::exception& e) {
      log_message("doorstep: internal error on " + req.method + ": " + e.what());
      send_error(res, Code::internal, "internal error");
    } catch (...) {
      send_error(res, Code::internal, "internal error");
    }
  };
}

Result<json::Value> json_body(const App& app, http::Request& req, size_t max_bytes) {
  std::string ct = req.header("Content-Type");
  if (!starts_with_ci(ct, "application/json"))
    return Error{Code::invalid_argument, "Content-Type must be application/json"};
  if (max_bytes == 0) max_bytes = app.config().max_body_bytes;
  auto text = req.body(max_bytes);
  if (!text) return text.error();
  json::ParseLimits lim;
  lim.max_depth = app.config().max_json_depth;
  lim.max_bytes = max_bytes;
  auto v = json::parse(*text, lim);
  if (!v) return v.error();
  if (!v->is_object()) return Error{Code::invalid_argument, "the body must be a JSON object"};
  return v;
}

Result<int64_t> int_query(const http::Request& req, const char* name, int64_t lo, int64_t hi, int64_t dflt) {
  std::string v = req.query_value(name);
  if (v.empty()) return dflt;
  if (v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos)
    return Error{Code::invalid_argument, std::string(name) + ": a non-negative integer"};
  int64_t n = std::stoll(v);
  if (n < lo || n > hi) return Error{Code::invalid_argument, std::string(name) + ": out of range"};
  return n;
}

Status only_fields(const json::Value& obj, std::initializer_list<const char*> allowed) {
  if (!obj.is_object()) return Error{Code::invalid_argument, "expected an object"};
  for (const auto& [k, v] : obj.as_object()) {
    bool ok = false;
    for (const char* a : allowed) ok = ok || k == a;
    if (!ok) {
      std::string shown = json::valid_utf8(k) && k.size() <= 64 ? k : "(unprintable)";
      return Error{Code::invalid_argument, "unknown field \"" + shown + "\""};
    }
  }
  return Status::Ok();
}

Result<std::string> str_field(const json::Value& obj, const char* name, bool required, size_t max_len,
                              const std::string& fallback) {
  const json::Value* v = obj.find(name);
  if (!v) {
    if (required) return Error{Code::invalid_argument, std::string(name) + ": required"};
    return fallback;
  }
  if (!v->is_string()) return Error{Code::invalid_argument, std::string(name) + ": must be a string"};
  if (v->as_string().size() > max_len)
    return Error{Code::invalid_argument, std::string(name) + ": longer than " + std::to_string(max_len) + " bytes"};
  return v->as_string();
}

Result<int64_t> int_field(const json::Value& obj, const char* name, bool required, int64_t lo, int64_t hi,
                          int64_t fallback) {
  const json::Value* v = obj.find(name);
  if (!v) {
    if (required) return Error{Code::invalid_argument, std::string(name) + ": required"};
    return fallback;
  }
  if (!v->is_integer()) return Error{Code::invalid_argument, std::string(name) + ": must be an integer"};
  if (v->as_int() < lo || v->as_int() > hi)
    return Error{Code::invalid_argument,
                 std::string(name) + ": must be between " + std::to_string(lo) + " and " + std::to_string(hi)};
  return v->as_int();
}

Status forget_freed_bytes(App& app) {
  return app.storage().exclusive([](store::Db& db) -> Status {
    // A reader still inside a snapshot can keep a checkpoint from finishing; try a few times.
    for (int k = 0; k < 20; ++k) {
      auto q = db.prepare("PRAGMA wal_checkpoint(TRUNCATE)");
      if (!q) return q.error();
      auto r = q->step();
      if (!r) return r.error();
      if (*r && q->int64(0) == 0) return Status::Ok();  // column 0: 1 when blocked
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return Error{Code::io, "the purge is committed, but the write-ahead log could not be emptied yet; it will be at the next checkpoint"};
  });
}

Result<double> num_field(const json::Value& obj, const char* name, bool required, double lo, double hi,
                         double fallback) {
  const json::Value* v = obj.find(name);
  if (!v) {
    if (required) return Error{Code::invalid_argument, std::string(name) + ": required"};
    return fallback;
  }
  if (!v->is_number()) return Error{Code::invalid_argument, std::string(name) + ": must be a number"};
  double d = v->as_double();
  if (!(d >= lo && d <= hi)) {
    char msg[160];
    std::snprintf(msg, sizeof msg, "%s: must be between %g and %g", name, lo, hi);
    return Error{Code::invalid_argument, msg};
  }
  return d;
}

std::optional<Caller> require_session(App& app, const http::Request& req, http::Response& res) {
  std::string token = cookie_value(req.header("Cookie"), "ds_session");
  auto s = app.auth().session(token);
  if (!s) {
    send_error(res, s.error());
    return std::nullopt;
  }
  bool changes_state = req.method != "GET" && req.method != "HEAD" && req.method != "OPTIONS";
  if (changes_state) {
    // Same-origin checks first (a browser always sends these on cross-site requests), then the
    // synchroniser token, which a forged request cannot know.
    std::string site = req.header("Sec-Fetch-Site");
    if (!site.empty() && site != "same-origin" && site != "none") {
      send_error(res, Code::forbidden, "cross-site request refused");
      return std::nullopt;
    }
    if (!same_origin_as_public(app, req)) {
      send_error(res, Code::forbidden, "cross-origin request refused");
      return std::nullopt;
    }
    if (!secrets_equal(req.header("X-CSRF-Token"), s->second.csrf)) {
      send_error(res, Code::forbidden, "missing or wrong X-CSRF-Token");
      return std::nullopt;
    }
  }
  Caller caller{s->first, s->second, "", Role::none};
  Scope scope = scope_of(req.path);
  if (scope.kind == Scope::Kind::none) return caller;
  bool admin = caller.account.role == "admin";
  auto st = app.storage().read([&](store::Db& db) -> Status {
    auto c = campaign_of(db, scope);
    if (!c) return c.error();
    caller.campaign_id = *c;
    auto r = role_in(db, *c, caller.account.id, admin);
    if (!r) return r.error();
    caller.role = *r;
    return Status::Ok();
  });
  if (!st) {
    send_error(res, st.error().code == Code::not_found ? Error{Code::not_found, "not found"} : st.error());
    return std::nullopt;
  }
  Role need = role_needed(req.method, req.path);
  // The server's admin may add themselves to any campaign (the route audits it), never more.
  bool self_add = admin && req.method == "POST" && scope.kind == Scope::Kind::campaign &&
                  req.path.size() > 13 && req.path.compare(req.path.size() - 13, 13, "/members/self") == 0;
  if (caller.role < need && !self_add) {
    send_error(res, Code::forbidden,
               caller.role == Role::none ? std::string("not a member of this campaign")
                                         : "a campaign " + std::string(to_name(caller.role)) + " cannot do this (needs " +
                                               std::string(to_name(need)) + ")");
    return std::nullopt;
  }
  return caller;
}

}  // namespace doorstep::server
