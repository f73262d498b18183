// Reference points in SQLite (see ref_points.h). A set is one upload: rows are filed under the
// loose building key (alt=0) and, for typed addresses, the key with the type spelled into the
// name (alt=1), exactly as geocode::Index files them; anchors are built from the alt=0 rows read
// back in key order, one building at a time, so memory stays bounded however large the set is.
#include "shared/io/ref_points.h"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "shared/parse/address.h"
#include "shared/parse/csv.h"
#include "shared/parse/presets.h"
#include "shared/store/campaign_store.h"

namespace doorstep::ref_points {

using presets::Field;

namespace {

constexpr const char* kGeocodeV1 = R"SQL(
CREATE TABLE ref_set(
  id INTEGER PRIMARY KEY,
  campaign_id TEXT NOT NULL,
  state TEXT NOT NULL,                 -- loading, current, old
  points INTEGER NOT NULL DEFAULT 0,
  file_name TEXT NOT NULL DEFAULT '',
  loaded_ms INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ref_set_campaign ON ref_set(campaign_id, state);
CREATE TABLE ref_point(
  set_id INTEGER NOT NULL,
  alt INTEGER NOT NULL,
  key TEXT NOT NULL,
  lat REAL NOT NULL, lon REAL NOT NULL,
  type TEXT NOT NULL DEFAULT '', unit TEXT NOT NULL DEFAULT '',
  whole INTEGER NOT NULL, number INTEGER NOT NULL
);
CREATE INDEX ref_point_key ON ref_point(set_id, alt, key);
CREATE TABLE ref_anchor(
  set_id INTEGER NOT NULL,
  street_key TEXT NOT NULL,
  number INTEGER NOT NULL,
  type TEXT NOT NULL DEFAULT '',
  lat REAL NOT NULL, lon REAL NOT NULL
);
CREATE INDEX ref_anchor_street ON ref_anchor(set_id, street_key, number);
)SQL";

const std::vector<store::Migration>& migrations() {
  static const std::vector<store::Migration> m = {{1, kGeocodeV1}};
  return m;
}

std::optional<double> number(std::string_view s) {
  if (s.empty() || s.size() > 40) return std::nullopt;
  char buf[48];
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = 0;
  char* end = nullptr;
  double v = std::strtod(buf, &end);
  if (end != buf + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Status migrate(store::Db& db) { return store::migrate(db, "geocode", migrations()); }

Result<presets::Mapping> mapping_for(const std::vector<std::string>& header, const std::string& mapping_json) {
  Result<presets::Mapping> m = Error{Code::internal, ""};
  if (!mapping_json.empty()) {
    auto spec = json::parse(mapping_json, json::ParseLimits{8, 64u << 10, 4096});
    if (!spec) return Error{Code::invalid_argument, "mapping: not JSON (" + spec.error().message + ")"};
    m = presets::from_json(header, *spec);
  } else {
    m = presets::detect(header);
    if (!m)
      return Error{Code::invalid_argument,
                   "no reference layout matches this header: OpenAddresses (LON,LAT,NUMBER,STREET), the LA "
                   "address-point layout (lat,lon,housenumber,street) or a column mapping"};
  }
  if (!m) return m.error();
  if (!m->has(Field::lat) || !m->has(Field::lon))
    return Error{Code::invalid_argument, "reference points need lat and lon columns (layout " + m->name() + ")"};
  return m;
}

json::Value LoadReport::to_json() const {
  json::Value o = json::Value::object();
  o.set("preset", preset);
  o.set("rows", rows);
  o.set("points", points);
  o.set("skipped", skipped);
  o.set("anchors", anchors);
  o.set("bytes", bytes);
  o.set("errors_total", errors_total);
  json::Value errs = json::Value::array();
  for (const auto& e : errors)
    errs.push(json::Value(json::Object{{"row", json::Value(e.row)}, {"code", json::Value(e.code)}, {"message", json::Value(e.message)}}));
  o.set("errors", std::move(errs));
  return o;
}

struct Loader::Impl {
  store::Db& db;
  std::string campaign, mapping_json, file_name;
  int64_t now_ms;
  csv::Reader reader;
  std::optional<presets::Mapping> mapping;
  std::unique_ptr<store::Transaction> tx;
  int64_t set = 0;
  uint64_t pending = 0;
  bool finished = false;
  Status fatal;
  LoadReport report;

  Impl(store::Db& d, std::string c, std::string m, std::string f, int64_t now)
      : db(d), campaign(std::move(c)), mapping_json(std::move(m)), file_name(std::move(f)), now_ms(now ? now : wall_ms()) {}

  void problem(uint64_t row, const char* code, std::string msg) {
    ++report.errors_total;
    if (report.errors.size() < 1000) report.errors.push_back(Problem{row, code, std::move(msg)});
  }

  Status open_tx() {
    if (tx) return Status::Ok();
    tx = std::make_unique<store::Transaction>(db);
    if (!tx->status()) {
      Status s = tx->status();
      tx.reset();
      return s;
    }
    if (set == 0) {
      auto ins = db.prepare("INSERT INTO ref_set(campaign_id, state, file_name, loaded_ms) VALUES(?1, 'loading', ?2, ?3)");
      if (!ins) return ins.error();
      ins->bind_all(campaign, file_name, now_ms);
      if (auto s = ins->run(); !s) return s;
      set = db.last_insert_rowid();
    }
    return Status::Ok();
  }

  Status choose_mapping() {
    auto m = mapping_for(reader.header(), mapping_json);
    if (!m) return m.error();
    mapping = *m;
    report.preset = m->name();
    return Status::Ok();
  }

  Status insert(const address::Address& a, bool alt, const std::string& key, double lat, double lon) {
    auto st = db.cached_static("INSERT INTO ref_point(set_id, alt, key, lat, lon, type, unit, whole, number) "
                               "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!st) return st.error();
    (*st)->bind_all(set, alt, key, lat, lon, alt ? std::string() : a.type, a.unit,
                    a.fraction.empty() && a.number_suffix.empty(), static_cast<int64_t>(a.number_value));
    return (*st)->run();
  }

  void row(const csv::Row& r) {
    if (!fatal) return;
    ++report.rows;
    if (!mapping) {
      if (auto s = choose_mapping(); !s) {
        fatal = s;
        return;
      }
    }
    if (auto s = open_tx(); !s) {
      fatal = s;
      return;
    }
    auto la = presets::cell(*mapping, r, Field::lat), lo = presets::cell(*mapping, r, Field::lon);
    auto lat = number(la), lon = number(lo);
    if (!lat || !lon || std::fabs(*lat) > 90 || std::fabs(*lon) > 180 || (*lat == 0 && *lon == 0)) {
      ++report.skipped;
      problem(r.number, "bad_coordinates", "coordinates '" + std::string(la) + "," + std::string(lo) + "' are not a place");
      return;
    }
    address::Address a = presets::address_of(*mapping, r);
    if (a.number.empty() || a.name.empty()) {
      ++report.skipped;
      problem(r.number, "no_address", "no house number and street in this row; skipped");
      return;
    }
    if (auto s = insert(a, false, a.loose_building_key(), *lat, *lon); !s) {
      fatal = s;
      return;
    }
    if (std::string alt = geocode::alt_key(a); !alt.empty()) {
      if (auto s = insert(a, true, alt, *lat, *lon); !s) {
        fatal = s;
        return;
      }
    }
    ++report.points;
    ++pending;
  }

  // One anchor per whole-number building whose points are one place (as geocode::Index does).
  Status anchors() {
    auto q = db.prepare("SELECT key, lat, lon, type, unit, whole, number FROM ref_point WHERE set_id=?1 AND alt=0 ORDER BY key");
    if (!q) return q.error();
    q->bind(1, set);
    auto ins = db.prepare("INSERT INTO ref_anchor(set_id, street_key, number, type, lat, lon) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    if (!ins) return ins.error();
    std::string key;
    std::vector<RefPoint> group;
    auto flush = [&]() -> Status {
      RefPoint anchor;
      size_t sp = key.find(' ');
      if (group.empty() || sp == std::string::npos || !geocode::anchor_of(group, geocode::Options{}.same_place_m, anchor))
        return Status::Ok();
      ins->bind_all(set, key.substr(sp + 1), static_cast<int64_t>(anchor.number), anchor.type, anchor.lat, anchor.lon);
      ++report.anchors;
      return ins->run();
    };
    for (;;) {
      auto r = q->step();
      if (!r) return r.error();
      if (!*r) break;
      if (q->text_view(0) != key) {
        if (auto s = flush(); !s) return s;
        key = q->text(0);
        group.clear();
      }
      group.push_back(RefPoint{q->real(1), q->real(2), q->text(3), q->text(4), q->int64(5) != 0,
                               static_cast<uint32_t>(q->int64(6))});
    }
    return flush();
  }
};

Loader::Loader(store::Db& db, std::string campaign_id, std::string mapping_json, std::string file_name, int64_t now_ms)
    : impl_(std::make_unique<Impl>(db, std::move(campaign_id), std::move(mapping_json), std::move(file_name), now_ms)) {}

Loader::~Loader() {
  if (!impl_->finished && impl_->tx) {
    impl_->tx->rollback();  // the open batch goes; committed batches wait for cleanup()
    impl_->tx.reset();
  }
  if (!impl_->finished && impl_->set) {
    if (auto up = impl_->db.prepare("UPDATE ref_set SET state='old' WHERE id=?1")) {
      up->bind(1, impl_->set);
      (void)up->run();
    }
  }
}

Status Loader::push(std::string_view bytes) {
  auto& m = *impl_;
  if (!m.fatal) return m.fatal;
  m.report.bytes += bytes.size();
  auto s = m.reader.feed(bytes, [&](const csv::Row& r) { m.row(r); });
  if (!s && m.fatal) m.fatal = s;
  return m.fatal;
}

uint64_t Loader::rows_pending() const { return impl_->pending; }

uint64_t Loader::rows() const { return impl_->report.rows; }

Status Loader::commit() {
  auto& m = *impl_;
  if (!m.tx) return m.fatal;
  if (auto s = m.tx->commit(); !s) return s;
  m.tx.reset();
  m.pending = 0;
  return m.fatal;
}

Result<LoadReport> Loader::finish() {
  auto& m = *impl_;
  if (m.fatal) {
    auto s = m.reader.finish([&](const csv::Row& r) { m.row(r); });
    if (!s && m.fatal) m.fatal = s;
  }
  if (!m.fatal) return m.fatal.error();
  if (!m.mapping) {
    if (!m.reader.has_header()) return Error{Code::invalid_argument, "the file is empty"};
    if (auto s = m.choose_mapping(); !s) return s.error();
  }
  for (const auto& is : m.reader.issues())
    m.problem(is.row, std::string(csv::issue_kind_name(is.kind)).c_str(), is.message);
  if (m.report.points == 0) return Error{Code::invalid_argument, "no usable reference point in the file (" +
                                                                      std::to_string(m.report.rows) + " rows read)"};
  if (auto s = m.open_tx(); !s) return s.error();
  if (auto s = m.anchors(); !s) return s.error();
  auto old = m.db.prepare("UPDATE ref_set SET state='old' WHERE campaign_id=?1 AND state='current'");
  if (!old) return old.error();
  old->bind(1, m.campaign);
  if (auto s = old->run(); !s) return s.error();
  auto cur = m.db.prepare("UPDATE ref_set SET state='current', points=?2 WHERE id=?1");
  if (!cur) return cur.error();
  cur->bind_all(m.set, static_cast<int64_t>(m.report.points));
  if (auto s = cur->run(); !s) return s.error();
  if (auto s = m.tx->commit(); !s) return s.error();
  m.tx.reset();
  m.finished = true;
  return m.report;
}

Result<uint64_t> cleanup(store::Db& db, uint64_t limit) {
  auto q = db.prepare("SELECT id FROM ref_set WHERE state='old' LIMIT 1");
  if (!q) return q.error();
  auto r = q->step();
  if (!r) return r.error();
  if (!*r) return uint64_t{0};
  int64_t set = q->int64(0);
  q->reset();
  uint64_t deleted = 0;
  for (const char* sql : {"DELETE FROM ref_point WHERE rowid IN (SELECT rowid FROM ref_point WHERE set_id=?1 LIMIT ?2)",
                          "DELETE FROM ref_anchor WHERE rowid IN (SELECT rowid FROM ref_anchor WHERE set_id=?1 LIMIT ?2)"}) {
    auto d = db.prepare(sql);
    if (!d) return d.error();
    d->bind_all(set, static_cast<int64_t>(limit - deleted));
    if (auto s = d->run(); !s) return s.error();
    deleted += static_cast<uint64_t>(db.changes());
    if (deleted >= limit) return deleted;
  }
  auto gone = db.prepare("DELETE FROM ref_set WHERE id=?1");
  if (!gone) return gone.error();
  gone->bind(1, set);
  if (auto s = gone->run(); !s) return s.error();
  return deleted + 1;
}

Points::Points(store::Db& db, std::string_view campaign_id) : db_(db) {
  auto q = db.prepare("SELECT id, points FROM ref_set WHERE campaign_id=?1 AND state='current'");
  if (!q) {
    error_ = q.error();
    return;
  }
  q->bind(1, campaign_id);
  auto r = q->step();
  if (!r) {
    error_ = r.error();
    return;
  }
  if (*r) {
    set_ = q->int64(0);
    points_ = static_cast<uint64_t>(q->int64(1));
  }
}

const std::vector<RefPoint>& Points::find(const std::string& key, bool alt) const {
  buf_.clear();
  if (!set_) return buf_;
  auto st = db_.cached_static("SELECT lat, lon, type, unit, whole, number FROM ref_point WHERE set_id=?1 AND alt=?2 AND key=?3");
  if (!st) {
    if (error_) error_ = st.error();
    return buf_;
  }
  store::Stmt& q = **st;
  q.bind_all(set_, alt, key);
  for (;;) {
    auto r = q.step();
    if (!r) {
      if (error_) error_ = r.error();
      break;
    }
    if (!*r) break;
    buf_.push_back(RefPoint{q.real(0), q.real(1), q.text(2), q.text(3), q.int64(4) != 0, static_cast<uint32_t>(q.int64(5))});
  }
  q.reset();
  return buf_;
}

const std::vector<RefPoint>& Points::street(const std::string& street_key) const {
  buf_.clear();
  if (!set_) return buf_;
  auto st = db_.cached_static("SELECT lat, lon, type, number FROM ref_anchor WHERE set_id=?1 AND street_key=?2 ORDER BY number");
  if (!st) {
    if (error_) error_ = st.error();
    return buf_;
  }
  store::Stmt& q = **st;
  q.bind_all(set_, street_key);
  for (;;) {
    auto r = q.step();
    if (!r) {
      if (error_) error_ = r.error();
      break;
    }
    if (!*r) break;
    buf_.push_back(RefPoint{q.real(0), q.real(1), q.text(2), std::string(), true, static_cast<uint32_t>(q.int64(3))});
  }
  q.reset();
  return buf_;
}

void PlaceReport::add(const PlaceReport& o) {
  doors += o.doors;
  placed += o.placed;
  exact += o.exact;
  approximate += o.approximate;
  ambiguous += o.ambiguous;
  unmatched += o.unmatched;
  done = o.done;
}

json::Value PlaceReport::to_json() const {
  json::Value o = json::Value::object();
  o.set("doors", doors);
  o.set("placed", placed);
  o.set("exact", exact);
  o.set("approximate", approximate);
  o.set("ambiguous", ambiguous);
  o.set("unmatched", unmatched);
  return o;
}

Result<PlaceReport> place_unplaced(store::Db& db, std::string_view campaign_id, const Hlc& hlc, std::string& after,
                                   size_t batch) {
  PlaceReport rep;
  Points points(db, campaign_id);
  if (!points.error()) return points.error().error();
  struct Waiting {
    std::string id, building_id, address_key, address;
  };
  std::vector<Waiting> doors;
  {
    auto q = db.prepare("SELECT id, building_id, address_key, address FROM door WHERE campaign_id=?1 AND deleted=0 "
                        "AND lat IS NULL AND id > ?2 ORDER BY id LIMIT ?3");
    if (!q) return q.error();
    q->bind_all(campaign_id, after, static_cast<int64_t>(batch));
    for (;;) {
      auto r = q->step();
      if (!r) return r.error();
      if (!*r) break;
      doors.push_back(Waiting{q->text(0), q->text(1), q->text(2), q->text(3)});
    }
  }
  rep.done = doors.size() < batch;
  if (!doors.empty()) after = doors.back().id;
  if (points.empty()) {
    rep.done = true;
    return rep;
  }
  for (const auto& w : doors) {
    ++rep.doors;
    // The door's address is its normalised key ("1500 1/2 N WALGROVE AVE #4B"), which reads back as itself.
    geocode::Match m = geocode::locate(points, address::parse(w.address));
    if (!points.error()) return points.error().error();
    Door d;
    d.campaign_id = std::string(campaign_id);
    d.building_id = w.building_id;
    d.address_key = w.address_key;
    switch (m.quality) {
      case geocode::Quality::exact: ++rep.exact; d.geocode = GeocodeQuality::exact; break;
      case geocode::Quality::approximate: ++rep.approximate; d.geocode = GeocodeQuality::approximate; break;
      case geocode::Quality::ambiguous: ++rep.ambiguous; continue;
      case geocode::Quality::unmatched: ++rep.unmatched; continue;
    }
    d.lat = m.lat;
    d.lon = m.lon;
    auto u = store::upsert_door(db, d, hlc);
    if (!u) return u.error();
    ++rep.placed;
  }
  return rep;
}

}  // namespace doorstep::ref_points
