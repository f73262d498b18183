// Organizer route for a campaign's building footprints: POST /api/v1/campaigns/{id}/buildings
// takes a GeoJSON FeatureCollection (application/geo+json or application/json, up to 64 MiB) or
// newline-delimited GeoJSON (application/x-ndjson or application/geo+json-seq, one Feature per
// line, streamed through a file), replaces the campaign's footprints and answers the import
// report (server/building_import.h). Leaves the matching and storing to building_import.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "server/app.h"
#include "server/upload_temp.h"
#include "server/building_import.h"
#include "server/http_errors.h"
#include "shared/base/ids.h"

namespace doorstep::server {

namespace {
constexpr size_t kMaxGeojsonBytes = 64u << 20;
constexpr uint64_t kMaxNdjsonBytes = 16ull << 30;  // "any size" within reason: a disk, not memory

bool has_prefix(const std::string& s, const char* p) { return s.rfind(p, 0) == 0; }
}  // namespace

void register_building_routes(App& app, http::Router& srv) {
  // Checked on the headers: a declared length past the NDJSON cap is refused before any byte is
  // read, and the body is spooled to disk as it arrives (the GeoJSON cap applies when it is read).
  http::RouteLimits upload;
  upload.max_body = kMaxNdjsonBytes;
  upload.spool = true;
  srv.post(R"(/api/v1/campaigns/([0-9a-f-]{36})/buildings)", guarded([&app](http::Request& req, http::Response& res) {
    auto c = require_session(app, req, res);
    if (!c) return;
    const std::string id = req.params[0];
    const std::string type = req.header("Content-Type");
    const bool ndjson = has_prefix(type, "application/x-ndjson") || has_prefix(type, "application/geo+json-seq");
    if (!ndjson && !has_prefix(type, "application/geo+json") && !has_prefix(type, "application/json"))
      return send_error(res, Code::invalid_argument,
                        "Content-Type: application/geo+json (a FeatureCollection) or application/x-ndjson (one Feature per line)");
    Result<BuildingImportReport> rep = Error{Code::internal, "not run"};
    if (ndjson) {
      // Streamed to a file in DIR/uploads, read line by line: never whole in memory; removed
      // however this ends (upload_temp.h).
      UploadTemp file(app.uploads_dir(), ".ndjson");
      const std::string& tmp = file.path();
      auto n = req.body_to_file(tmp, kMaxNdjsonBytes);
      if (!n) return send_error(res, n.error());
      std::ifstream in(tmp, std::ios::binary);
      Status s = app.storage().exclusive([&](store::Db& db) -> Status {
        rep = import_buildings_ndjson(db, id, in);
        return rep.ok() ? Status::Ok() : Status(rep.error());
      });
      in.close();
      if (!s) return send_error(res, s.error());
    } else {
      auto body = req.body(kMaxGeojsonBytes);
      if (!body) return send_error(res, body.error());
      Status s = app.storage().exclusive([&](store::Db& db) -> Status {
        rep = import_buildings_geojson(db, id, *body);
        return rep.ok() ? Status::Ok() : Status(rep.error());
      });
      if (!s) return send_error(res, s.error());
    }
    app.audit(c->account.id, id, "buildings.import", std::to_string(rep->footprints) + " footprints");
    send_json(res, rep->to_json());
  }), upload);
}

}  // namespace doorstep::server
