// Organizer routes for a campaign's data at county scale: the voter file (POST .../universe) and
// the reference address points (POST .../address-points) as raw bodies streamed to disk, checked
// whole, then imported in bounded units of work on the writer (other writes, canvasser pushes
// among them, run between units); the upload's progress (GET .../imports/current); the doors for
// the console's map (GET .../doors/map); the time zones a campaign may use. Leaves out the file
// formats (shared/parse, shared/io) and the HTTP transport (http.h).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "server/app.h"
#include "server/upload_temp.h"
#include "server/http_errors.h"
#include "server/imports.h"
#include "shared/base/ids.h"
#include "shared/io/export.h"
#include "shared/io/importer.h"
#include "shared/io/ref_points.h"
#include "shared/store/campaign_store.h"
#include "shared/store/door_map.h"
#include "shared/store/store.h"

namespace doorstep::server {

namespace {

using Req = http::Request;
using Res = http::Response;

constexpr size_t kChunk = 32u << 10;  // bytes per read of the spooled file
constexpr size_t kSlice = 4u << 10;   // bytes per push (a few dozen rows): a unit's time is checked after each

// text/csv, text/tab-separated-values, text/plain or application/octet-stream (parameters ignored).
Status upload_type(const Req& req) {
  std::string t = req.header("Content-Type");
  t = t.substr(0, t.find(';'));
  while (!t.empty() && t.back() == ' ') t.pop_back();
  for (char& c : t) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  for (const char* ok : {"text/csv", "text/tab-separated-values", "text/plain", "application/octet-stream"})
    if (t == ok) return Status::Ok();
  return Error{Code::unsupported, "Content-Type must be text/csv, text/tab-separated-values, text/plain or "
                                  "application/octet-stream (the file itself as the body)"};
}

// `&mapping=` as given, after a check that it is a JSON object of sensible size (the columns it
// names are checked against the file's header later).
Result<std::string> mapping_query(const Req& req) {
  std::string m = req.query_value("mapping");
  if (m.empty()) return m;
  if (m.size() > 16384) return Error{Code::invalid_argument, "mapping: longer than 16 KiB"};
  auto v = json::parse(m, json::ParseLimits{8, 16384, 4096});
  if (!v || !v->is_object()) return Error{Code::invalid_argument, "mapping: a JSON object {\"preset\", \"columns\"}"};
  return m;
}

// The body into DIR/uploads/<random>.part (upload_temp.h), counting bytes into the progress. A
// body cut off before its declared length is an error and leaves no file behind.
class Spool {
 public:
  explicit Spool(const std::string& uploads_dir) : file_(uploads_dir, ".part") {}
  Status receive(Req& req, Imports::Progress& p, uint64_t limit) {
    auto declared = req.content_length();
    if (declared && *declared > limit)
      return Error{Code::too_large, "the file is larger than this server takes (" + std::to_string(limit >> 20) + " MiB)"};
    p.bytes_total = declared.value_or(0);
    // The server has the whole body on disk already (RouteLimits::spool); this copies it into the
    // route's own file, which the check and the import read twice.
    auto n = req.body_to_file(file_.path(), limit);
    if (!n) {
      if (n.error().code == Code::too_large) return n.error();
      return Error{Code::invalid_argument, "the upload was cut off (" + n.error().message + "); nothing was imported"};
    }
    if (declared && *n != *declared)
      return Error{Code::invalid_argument, "the upload was cut off after " + std::to_string(*n) + " of " +
                                               std::to_string(*declared) + " bytes; nothing was imported"};
    if (*n == 0) return Error{Code::invalid_argument, "the body must hold the file"};
    p.bytes_received = *n;
    if (!declared) p.bytes_total = *n;
    return Status::Ok();
  }
  const std::string& path() const { return file_.path(); }

 private:
  UploadTemp file_;  // removed with the Spool: after the import, on failure, on an exception
};

// The file read in kChunk reads and handed out in slices of at most kSlice bytes, kept open (with
// the rest of the last read) across units of work.
class Chunks {
 public:
  explicit Chunks(const std::string& path) : f_(std::fopen(path.c_str(), "rb")), buf_(kChunk) {}
  ~Chunks() {
    if (f_) std::fclose(f_);
  }
  bool ok() const { return f_ != nullptr; }
  // The next slice; empty at the end of the file.
  std::string_view next() {
    if (pos_ == len_) {
      len_ = f_ ? std::fread(buf_.data(), 1, buf_.size(), f_) : 0;
      pos_ = 0;
    }
    size_t n = std::min(kSlice, len_ - pos_);
    std::string_view s(buf_.data() + pos_, n);
    pos_ += n;
    return s;
  }

 private:
  std::FILE* f_;
  std::vector<char> buf_;
  size_t pos_ = 0, len_ = 0;
};

// Runs `unit` in exclusive units of work until it reports done; between units the writer is free.
Status in_units(App& app, const std::function<Result<bool>(store::Db&)>& unit) {
  for (;;) {
    bool done = false;
    auto s = app.storage().exclusive([&](store::Db& db) -> Status {
      auto r = unit(db);
      if (!r) return r.error();
      done = *r;
      return Status::Ok();
    });
    if (!s) return s;
    if (done) return Status::Ok();
  }
}

// Feeds the spooled file through `sink` (an Importer or a ref_points::Loader) in units of work on
// the writer: each unit pushes slices until import_batch_rows rows wait, import_unit_ms have passed,
// or (after import_yield_ms) a write() waits for the writer; it commits and lets the writes queued
// meanwhile (canvasser pushes among them) run before the next unit, so a push waits for about
// import_yield_ms plus a slice and a commit. open(db) makes the sink in the first unit and finish(sink)
// ends it in the last; on an error the sink is dropped inside the unit, so its open transaction
// rolls back on the writer.
// The units before the last commit with synchronous=NORMAL: no fsync of their own (it was half of a
// unit's time). That loses nothing acknowledged: the WAL is one file, so the next push's FULL commit
// (or the checkpoint) syncs the import's frames before its own. A power loss may drop the last
// units, which is what a crash mid-import leaves anyway: rows up to some unit, no import_run row,
// no report, and the same upload imports again (rows are upserts by their source key; replace's
// removals run only in the last unit). The last unit commits with FULL, so its report is durable;
// the writer's own settings (kWriterSettings, FULL) come back after every unit.
template <class Sink>
Status feed_in_units(App& app, Chunks& file, Imports::Progress& p, std::unique_ptr<Sink>& sink,
                     const std::function<Status(store::Db&)>& open, const std::function<Status(Sink&)>& finish) {
  const size_t batch = app.config().import_batch_rows;
  const auto budget = std::chrono::milliseconds(app.config().import_unit_ms);
  const auto yield_after = std::chrono::milliseconds(app.config().import_yield_ms);
  return in_units(app, [&](store::Db& db) -> Result<bool> {
    const auto start = std::chrono::steady_clock::now();
    auto fail = [&](Error e) -> Result<bool> {
      sink.reset();
      return e;
    };
    if (auto s = db.exec("PRAGMA synchronous=NORMAL"); !s) return fail(s.error());  // no transaction is open
    if (!sink)
      if (auto s = open(db); !s) return fail(s.error());
    for (;;) {
      std::string_view slice = file.next();
      if (slice.empty()) {
        // The pending rows first, so that FULL (refused inside a transaction) covers finish's commit.
        if (auto s = sink->commit(); !s) return fail(s.error());
        if (auto s = db.exec("PRAGMA synchronous=FULL"); !s) return fail(s.error());
        if (auto s = finish(*sink); !s) return fail(s.error());
        sink.reset();
        return true;
      }
      if (auto s = sink->push(slice); !s) return fail(s.error());
      const auto spent = std::chrono::steady_clock::now() - start;
      if (sink->rows_pending() >= batch || spent >= budget ||
          (spent >= yield_after && sink->rows_pending() > 0 && app.storage().writes_waiting())) {
        if (auto s = sink->commit(); !s) return fail(s.error());
        p.rows = sink->rows();
        return false;
      }
    }
  });
}

// Importer failures are about the file unless they are the server's own ("no preset matches" is
// not_found to the presets, but the campaign was found: the file is what is wrong).
Error as_file_error(Error e) {
  if (e.code == Code::internal || e.code == Code::io || e.code == Code::corrupt || e.code == Code::too_large ||
      e.code == Code::conflict || e.code == Code::rate_limited)
    return e;
  e.code = Code::invalid_argument;
  return e;
}

struct Upload {
  App& app;
  std::string campaign;
  std::shared_ptr<Imports::Progress> progress;
  bool ok = false;
  ~Upload() {
    if (progress) app.imports().finish(campaign, ok);
  }
};

Result<Campaign> campaign_of(App& app, const std::string& id) {
  Campaign c;
  auto s = app.storage().read([&](store::Db& db) -> Status {
    auto camp = store::get_campaign(db, id);
    if (!camp) return camp.error();
    c = *camp;
    return Status::Ok();
  });
  if (!s) return s.error();
  return c;
}

}  // namespace

void register_universe_routes(App& app, http::Router& srv) {
  // Uploads are spooled to disk by the server as they arrive (after the session was admitted on the
  // headers), up to max_upload_bytes; a body cut off never reaches the route.
  http::RouteLimits upload;
  upload.max_body = app.config().max_upload_bytes;
  upload.spool = true;

  srv.post(R"(/api/v1/campaigns/([0-9a-f-]{36})/universe)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string id = req.params[0];
    std::string preset = req.query_value("preset");
    if (preset.size() > 500) return send_error(res, Code::invalid_argument, "preset: too long");
    std::string replace = req.query_value("replace");
    if (!replace.empty() && replace != "true" && replace != "false")
      return send_error(res, Code::invalid_argument, "replace: true or false");
    auto mapping = mapping_query(req);
    if (!mapping) return send_error(res, mapping.error());
    if (auto s = upload_type(req); !s) return send_error(res, s.error());
    auto camp = campaign_of(app, id);
    if (!camp) return send_error(res, camp.error());
    auto started = app.imports().start(id, "universe");
    if (!started) return send_error(res, started.error());
    Upload up{app, id, *started};
    Imports::Progress& p = *up.progress;

    Spool spool(app.uploads_dir());
    if (auto s = spool.receive(req, p, app.config().max_upload_bytes); !s) return send_error(res, s.error());

    importer::Options o;
    o.campaign = camp->name;
    o.preset = preset;
    o.mapping = *mapping;
    o.replace = replace == "true";
    o.file_name = req.query_value("file_name").substr(0, 200);
    o.now_ms = app.now();
    o.node = "server";
    o.batch_rows = SIZE_MAX;  // this route commits every import_batch_rows itself, between units
    o.defer_indexes = false;
    o.big_wal = false;   // checkpoints along the way, inside the import's own units
    o.cache_kib = 8192;  // the writer's page cache while importing: memory stays flat at any file size
    p.phase = Imports::checking;
    auto rows = importer::precheck(spool.path(), [&o](const std::vector<std::string>& h) -> Status {
      auto m = importer::mapping_for(h, o);
      return m ? Status::Ok() : Status(m.error());
    });
    if (!rows) return send_error(res, as_file_error(rows.error()));

    p.phase = Imports::importing;
    Chunks file(spool.path());
    if (!file.ok()) return send_error(res, Code::io, "the spooled upload cannot be read");
    std::unique_ptr<ref_points::Points> points;
    std::unique_ptr<importer::Importer> imp;
    json::Value report;
    auto s = feed_in_units<importer::Importer>(
        app, file, p, imp,
        [&](store::Db& db) -> Status {
          points = std::make_unique<ref_points::Points>(db, id);
          if (!points->error()) return points->error();
          if (!points->empty()) o.points = points.get();
          imp = std::make_unique<importer::Importer>(db, o);
          return Status::Ok();
        },
        [&](importer::Importer& i) -> Status {
          auto r = i.finish();
          if (!r) return r.error();
          report = r->to_json();
          p.rows = r->rows;
          return Status::Ok();
        });
    points.reset();
    if (!s) return send_error(res, as_file_error(s.error()));
    up.ok = true;
    app.audit(c->account.id, id, "universe.import", std::to_string(p.bytes_received.load()) + " bytes");
    send_json(res, report);
  }), upload);

  srv.post(R"(/api/v1/campaigns/([0-9a-f-]{36})/address-points)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string id = req.params[0];
    auto mapping = mapping_query(req);
    if (!mapping) return send_error(res, mapping.error());
    if (auto s = upload_type(req); !s) return send_error(res, s.error());
    if (auto camp = campaign_of(app, id); !camp) return send_error(res, camp.error());
    auto started = app.imports().start(id, "address-points");
    if (!started) return send_error(res, started.error());
    Upload up{app, id, *started};
    Imports::Progress& p = *up.progress;

    Spool spool(app.uploads_dir());
    if (auto s = spool.receive(req, p, app.config().max_upload_bytes); !s) return send_error(res, s.error());
    p.phase = Imports::checking;
    const std::string& m = *mapping;
    auto rows = importer::precheck(spool.path(), [&m](const std::vector<std::string>& h) -> Status {
      auto r = ref_points::mapping_for(h, m);
      return r ? Status::Ok() : Status(r.error());
    });
    if (!rows) return send_error(res, as_file_error(rows.error()));

    p.phase = Imports::importing;
    Chunks file(spool.path());
    if (!file.ok()) return send_error(res, Code::io, "the spooled upload cannot be read");
    std::unique_ptr<ref_points::Loader> loader;
    json::Value report;
    std::string file_name = req.query_value("file_name").substr(0, 200);
    auto s = feed_in_units<ref_points::Loader>(
        app, file, p, loader,
        [&](store::Db& db) -> Status {
          loader = std::make_unique<ref_points::Loader>(db, id, m, file_name, app.now());
          return Status::Ok();
        },
        [&](ref_points::Loader& l) -> Status {
          auto r = l.finish();
          if (!r) return r.error();
          report = r->to_json();
          p.rows = r->rows;
          return Status::Ok();
        });
    if (!s) return send_error(res, as_file_error(s.error()));
    // The replaced set goes in bounded steps; then the campaign's waiting doors are placed.
    if (auto st = in_units(app, [](store::Db& db) -> Result<bool> {
          auto n = ref_points::cleanup(db, 10000);
          if (!n) return n.error();
          return *n == 0;
        });
        !st)
      return send_error(res, st.error());
    p.phase = Imports::placing;
    ref_points::PlaceReport placed;
    std::string after;
    Hlc hlc = app.next_hlc();
    if (auto st = in_units(app, [&](store::Db& db) -> Result<bool> {
          store::Transaction tx(db);
          if (!tx.status()) return tx.status().error();
          auto r = ref_points::place_unplaced(db, id, hlc, after, 2000);
          if (!r) return r.error();
          if (auto cs = tx.commit(); !cs) return cs.error();
          placed.add(*r);
          return r->done;
        });
        !st)
      return send_error(res, st.error());
    auto counted = app.storage().read([&](store::Db& db) -> Status {
      auto n = store::count_campaign(db, id);
      if (!n) return n.error();
      report.set("doors_unplaced", n->doors - n->geocoded_doors);
      return Status::Ok();
    });
    if (!counted) return send_error(res, counted.error());
    report.set("doors_placed", placed.placed);
    report.set("doors", placed.to_json());
    up.ok = true;
    app.audit(c->account.id, id, "points.import", std::to_string(p.bytes_received.load()) + " bytes");
    send_json(res, report);
  }), upload);

  srv.get(R"(/api/v1/campaigns/([0-9a-f-]{36})/imports/current)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    auto p = app.imports().current(req.params[0]);
    if (!p) {
      json::Value none = json::Value::object();
      none.set("bytes_received", 0);
      none.set("bytes_total", 0);
      none.set("rows", 0);
      none.set("running", false);
      return send_json(res, none);
    }
    send_json(res, p->to_json());
  }));

  srv.get(R"(/api/v1/campaigns/([0-9a-f-]{36})/doors/map)", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    std::string id = req.params[0];
    json::Value out;
    auto s = app.storage().read([&](store::Db& db) -> Status {
      if (auto camp = store::get_campaign(db, id); !camp) return camp.error();
      auto m = store::door_map(db, id);
      if (!m) return m.error();
      out = m->to_json();
      return Status::Ok();
    });
    if (!s) return send_error(res, s.error());
    send_json(res, out);
  }));

  srv.get("/api/v1/time-zones", guarded([&app](Req& req, Res& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    json::Value arr = json::Value::array();
    for (auto z : exporter::supported_zones()) arr.push(z);
    send_json(res, json::Value(json::Object{{"time_zones", arr}}));
  }));
}

}  // namespace doorstep::server
