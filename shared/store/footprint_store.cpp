// Footprint rows (see footprint_store.h).
#include "shared/store/footprint_store.h"

#include "shared/base/json.h"

namespace doorstep::store {

namespace {
const std::vector<Migration>& footprint_migrations() {
  static const std::vector<Migration> m = {
      {1, R"SQL(
CREATE TABLE footprint(
  row INTEGER PRIMARY KEY,
  campaign_id TEXT NOT NULL REFERENCES campaign(id),
  geometry TEXT NOT NULL,                  -- GeoJSON Polygon or MultiPolygon
  min_lon INTEGER NOT NULL, min_lat INTEGER NOT NULL, max_lon INTEGER NOT NULL, max_lat INTEGER NOT NULL  -- 1e-7 degree
);
CREATE INDEX footprint_area ON footprint(campaign_id, min_lat, max_lat);
)SQL"},
  };
  return m;
}
}  // namespace

// Readers never migrate (they may run inside a read transaction): no table yet means no footprints.
static bool have_table(Db& db) {
  auto v = schema_version(db, "footprints");
  return v.ok() && *v >= 1;
}

Status ensure_footprint_schema(Db& db) {
  auto v = schema_version(db, "footprints");
  if (v.ok() && *v >= static_cast<int>(footprint_migrations().size())) return Status::Ok();
  return migrate(db, "footprints", footprint_migrations());
}

Result<int64_t> clear_footprints(Db& db, const std::string& campaign_id) {
  if (!have_table(db)) return int64_t{0};
  auto st = db.prepare("DELETE FROM footprint WHERE campaign_id = ?1");
  if (!st.ok()) return st.error();
  if (Status s = st->bind_all(campaign_id).run(); !s.ok()) return s.error();
  return db.changes();
}

Result<std::string> add_footprint(Db& db, const std::string& campaign_id, const geo::MultiPolygon& shape) {
  auto st = db.cached_static(
      "INSERT INTO footprint(campaign_id, geometry, min_lon, min_lat, max_lon, max_lat) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!st.ok()) {
    if (Status s = ensure_footprint_schema(db); !s.ok()) return s.error();
    st = db.cached_static(
        "INSERT INTO footprint(campaign_id, geometry, min_lon, min_lat, max_lon, max_lat) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st.ok()) return st.error();
  }
  const geo::BBox& b = shape.bbox;
  (*st)->bind_all(campaign_id, json::dump(geo::to_geojson(shape)), b.min_lon, b.min_lat, b.max_lon, b.max_lat);
  if (Status s = (*st)->run(); !s.ok()) return s.error();
  return "fp" + std::to_string(db.last_insert_rowid());
}

Result<int64_t> count_footprints(Db& db, const std::string& campaign_id) {
  if (!have_table(db)) return int64_t{0};
  auto st = db.prepare("SELECT count(*) FROM footprint WHERE campaign_id = ?1");
  if (!st.ok()) return st.error();
  st->bind_all(campaign_id);
  auto r = st->step();
  if (!r.ok()) return r.error();
  return st->int64(0);
}

Result<std::vector<StoredFootprint>> footprints_in(Db& db, const std::string& campaign_id, const geo::BBox& box) {
  if (!have_table(db)) return std::vector<StoredFootprint>{};
  auto st = db.prepare(
      "SELECT row, geometry FROM footprint WHERE campaign_id = ?1 AND max_lat >= ?2 AND min_lat <= ?3 "
      "AND max_lon >= ?4 AND min_lon <= ?5 ORDER BY row");
  if (!st.ok()) return st.error();
  st->bind_all(campaign_id, box.min_lat, box.max_lat, box.min_lon, box.max_lon);
  std::vector<StoredFootprint> out;
  for (;;) {
    auto r = st->step();
    if (!r.ok()) return r.error();
    if (!*r) break;
    StoredFootprint f;
    f.id = "fp" + std::to_string(st->int64(0));
    f.geometry = st->text(1);
    auto v = json::parse(f.geometry);
    if (!v.ok()) return make_error(Code::corrupt, "footprint " + f.id + ": " + v.error().message);
    auto mp = geo::multipolygon_from_geojson(*v);
    if (!mp.ok()) return make_error(Code::corrupt, "footprint " + f.id + ": " + mp.error().message);
    f.shape = std::move(*mp);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace doorstep::store

namespace doorstep::store {

Result<std::vector<DoorPoint>> placed_doors(Db& db, const std::string& campaign_id) {
  auto st = db.prepare(
      "SELECT d.id, b.address_key, d.lat, d.lon FROM door d JOIN building b ON b.id = d.building_id "
      "WHERE d.campaign_id = ?1 AND d.deleted = 0 AND d.lat IS NOT NULL AND d.lon IS NOT NULL ORDER BY d.id");
  if (!st.ok()) return st.error();
  st->bind_all(campaign_id);
  std::vector<DoorPoint> out;
  for (;;) {
    auto r = st->step();
    if (!r.ok()) return r.error();
    if (!*r) break;
    out.push_back({st->text(0), st->text(1), geo::fix_of(st->real(2), st->real(3))});
  }
  return out;
}

}  // namespace doorstep::store
