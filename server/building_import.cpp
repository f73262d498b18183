// Footprint import (see building_import.h).
#include "server/building_import.h"

#include <cmath>
#include <optional>

#include "shared/base/geo.h"
#include "shared/store/footprint_store.h"
#include "shared/tiles/clip.h"

namespace doorstep::server {

namespace {
constexpr double kSimplifyM = 0.3;  // footprint detail below this is not visible on a phone

// Douglas-Peucker in metres on a projection local to the footprint; rings that would collapse
// keep their original points.
geo::MultiPolygon simplified(const geo::MultiPolygon& mp) {
  const geo::Projection proj = geo::projection_for({{mp.bbox.min_lon, mp.bbox.min_lat}, {mp.bbox.max_lon, mp.bbox.max_lat}});
  geo::MultiPolygon out;
  for (const geo::Polygon& p : mp.polygons) {
    geo::Polygon q;
    for (const geo::Ring& r : p.rings) {
      tiles::Line l;
      for (const geo::Fix& f : r) {
        const geo::XY xy = proj.to_xy(f);
        l.push_back({xy.x, xy.y});
      }
      const tiles::Line s = tiles::simplify(l, kSimplifyM, true);
      if (s.size() < 3) {
        q.rings.push_back(r);
        continue;
      }
      geo::Ring back;
      for (const tiles::P& pt : s) back.push_back(proj.to_fix({pt.x, pt.y}));
      q.rings.push_back(std::move(back));
    }
    out.polygons.push_back(std::move(q));
  }
  out.finish();
  return out;
}

// Stores features in one transaction that first removes the campaign's previous footprints.
class Writer {
 public:
  Writer(store::Db& db, const std::string& campaign) : db_(db), campaign_(campaign) {}
  Status begin(BuildingImportReport& rep) {
    // The schema first: its migration is a transaction of its own.
    if (Status s = store::ensure_footprint_schema(db_); !s.ok()) return s;
    tx_.emplace(db_);
    if (!tx_->status().ok()) return tx_->status();
    auto n = store::clear_footprints(db_, campaign_);
    if (!n.ok()) return n.error();
    rep.replaced = *n;
    return Status::Ok();
  }
  Status add(const geo::MultiPolygon& mp, BuildingImportReport& rep) {
    auto id = store::add_footprint(db_, campaign_, simplified(mp));
    if (!id.ok()) return id.error();
    ++rep.footprints;
    return Status::Ok();
  }
  Status commit() { return tx_->commit(); }

 private:
  store::Db& db_;
  std::string campaign_;
  std::optional<store::Transaction> tx_;
};

Status check_campaign(store::Db& db, const std::string& campaign_id) {
  auto st = db.prepare("SELECT 1 FROM campaign WHERE id = ?1 AND deleted = 0");
  if (!st.ok()) return st.error();
  st->bind_all(campaign_id);
  auto r = st->step();
  if (!r.ok()) return r.error();
  if (!*r) return make_error(Code::not_found, "no campaign " + campaign_id);
  return Status::Ok();
}
}  // namespace

json::Value BuildingImportReport::to_json() const {
  json::Value v = json::Value::object();
  v.set("footprints", footprints);
  v.set("skipped", skipped);
  v.set("replaced", replaced);
  json::Value m = json::Value::object();
  m.set("doors", doors);
  m.set("inside", inside);
  m.set("near", near);
  m.set("without_footprint", clustered);
  v.set("matched", m);
  json::Value s = json::Value::array();
  for (const auto& sp : splits) {
    json::Value e = json::Value::object();
    e.set("address_key", sp.address_key);
    e.set("buildings", sp.parts);
    e.set("spread_m", std::round(sp.spread_m * 10) / 10);
    s.push(e);
  }
  v.set("split_addresses", s);
  return v;
}

Status match_campaign_doors(store::Db& db, const std::string& campaign_id, BuildingImportReport& rep) {
  auto doors = store::placed_doors(db, campaign_id);
  if (!doors.ok()) return doors.error();
  std::vector<footprints::DoorPoint> pts;
  for (const auto& d : *doors) pts.push_back({d.at, d.address_key});
  Status failed;
  const auto m = footprints::match_by_area(pts, [&](const geo::BBox& box) {
    std::vector<footprints::Footprint> out;
    auto fs = store::footprints_in(db, campaign_id, box);
    if (!fs.ok()) {
      failed = fs.error();
      return out;
    }
    for (auto& f : *fs) out.push_back({f.id, std::move(f.shape)});
    return out;
  });
  if (!failed.ok()) return failed;
  rep.doors = static_cast<int64_t>(pts.size());
  rep.inside = m.inside;
  rep.near = m.near;
  rep.clustered = m.clustered;
  rep.splits = m.splits;
  return Status::Ok();
}

Result<BuildingImportReport> import_buildings_geojson(store::Db& db, const std::string& campaign_id, std::string_view text) {
  if (Status s = check_campaign(db, campaign_id); !s.ok()) return s.error();
  size_t skipped = 0;
  auto fs = geo::features_from_geojson(text, &skipped);
  if (!fs.ok()) return make_error(Code::invalid_argument, "buildings: " + fs.error().message);
  if (fs->empty())
    return make_error(Code::invalid_argument, "buildings: no Polygon or MultiPolygon features (" + std::to_string(skipped) +
                                                  " others); the stored footprints are unchanged");
  BuildingImportReport rep;
  rep.skipped = static_cast<int64_t>(skipped);
  {
    Writer w(db, campaign_id);
    if (Status s = w.begin(rep); !s.ok()) return s.error();
    for (const auto& f : *fs)
      if (Status s = w.add(f.shape, rep); !s.ok()) return s.error();
    if (Status s = w.commit(); !s.ok()) return s.error();
  }
  if (Status s = match_campaign_doors(db, campaign_id, rep); !s.ok()) return s.error();
  return rep;
}

Result<BuildingImportReport> import_buildings_ndjson(store::Db& db, const std::string& campaign_id, std::istream& in) {
  if (Status s = check_campaign(db, campaign_id); !s.ok()) return s.error();
  BuildingImportReport rep;
  {
    Writer w(db, campaign_id);
    if (Status s = w.begin(rep); !s.ok()) return s.error();
    std::string line;
    for (int64_t n = 1; std::getline(in, line); ++n) {
      if (line.size() > kMaxNdjsonLine)
        return make_error(Code::too_large, "buildings: line " + std::to_string(n) + " is longer than 4 MiB");
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      size_t skipped = 0;
      auto fs = geo::features_from_geojson(line, &skipped);
      if (!fs.ok()) return make_error(Code::invalid_argument, "buildings: line " + std::to_string(n) + ": " + fs.error().message);
      rep.skipped += static_cast<int64_t>(skipped);
      for (const auto& f : *fs)
        if (Status s = w.add(f.shape, rep); !s.ok()) return s.error();
    }
    if (rep.footprints == 0)
      return make_error(Code::invalid_argument, "buildings: no Polygon or MultiPolygon features; the stored footprints are unchanged");
    if (Status s = w.commit(); !s.ok()) return s.error();
  }
  if (Status s = match_campaign_doors(db, campaign_id, rep); !s.ok()) return s.error();
  return rep;
}

}  // namespace doorstep::server
