// The base map, outside /api/: GET /tiles/{z}/{x}/{y}.mvt (or .png, ... as the archive holds) from
// the archives in DIR/tiles/ (server/tile_store.h), with Cache-Control: public, max-age=86400 and
// the archive's Content-Encoding; a tile the archive lacks within its zooms is 204 (nothing to
// draw), anything else 404. GET /tiles.json describes the base map (TileJSON 3.0). No session:
// tiles hold nothing personal. Leaves reading archives to shared/tiles.
#include <cstdlib>

#include "server/app.h"
#include "server/http_errors.h"
#include "server/tile_store.h"

namespace doorstep::server {

void register_tile_routes(App& app, http::Router& srv) {
  srv.get(R"(/tiles/([0-9]{1,2})/([0-9]{1,8})/([0-9]{1,8})\.([a-z]{3,4}))", guarded([&app](http::Request& req, http::Response& res) {
    TileStore& store = app.tiles();
    const int z = std::atoi(req.params[0].c_str());
    const long long x = std::atoll(req.params[1].c_str()), y = std::atoll(req.params[2].c_str());
    std::string ext = req.params[3] == "pbf" ? "mvt" : req.params[3];
    if (z > tiles::kMaxZoom || x >= (1ll << z) || y >= (1ll << z))
      return send_error(res, Code::not_found, "no such tile");
    const auto range = store.zoom_range(ext);
    if (!range) return send_error(res, Code::not_found, "no ." + ext + " base map on this server");
    auto t = store.get(tiles::TileId{z, static_cast<uint32_t>(x), static_cast<uint32_t>(y)}, ext);
    if (!t) return send_error(res, t.error());
    res.set_header("Cache-Control", "public, max-age=86400");
    if (!t->has_value()) {
      if (z < range->first || z > range->second) return send_error(res, Code::not_found, "no such tile");
      res.status = 204;  // within the map's zooms but empty there: draw nothing, ask no more
      return;
    }
    if (!(*t)->content_encoding.empty()) res.set_header("Content-Encoding", (*t)->content_encoding);
    res.set_content(std::move((*t)->data), (*t)->content_type);
  }));
  srv.get(R"(/tiles\.json)", guarded([&app](http::Request&, http::Response& res) {
    auto tj = app.tiles().tilejson();
    if (!tj) return send_error(res, Code::not_found, "no base map on this server");
    res.set_header("Cache-Control", "no-cache");
    send_json(res, *tj);
  }));
}

}  // namespace doorstep::server
