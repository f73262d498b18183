// Streaming importer (see importer.h). One pass: each row is mapped, normalised, placed and
// upserted; doors and buildings are remembered by key hash for the run so a door costs one
// lookup; rows go to SQLite in large transactions with cached statements. Memory grows with the
// number of distinct doors and people (hashes and ids), never with the file.
#include "shared/io/importer.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <vector>

#include "shared/base/decimal.h"
#include "shared/parse/address.h"
#include "shared/store/campaign_store.h"
#include "shared/parse/csv.h"
#include "shared/parse/geocode.h"
#include "shared/base/csprng.h"
#include "shared/base/hash.h"
#include "shared/base/ids.h"
#include "shared/parse/presets.h"

namespace doorstep::importer {

using presets::Field;

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

uint64_t hash64(std::string_view s) {
  // FNV-1a then half of murmur3's finaliser: fast and well spread for keys of a few dozen bytes.
  // Synthetic source ids are made of it and stored, so it must not change.
  uint64_t h = hash::fnv1a(s, hash::kStoredOffset);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return h;
}

// Record ids without a system call per id: UUIDv7 (RFC 9562) whose 62 rand_b bits are fresh from
// a ChaCha20 stream for every id, so one id tells nothing about another, while time and rand_a
// count up (rand_a is a 12-bit counter; every 4,096 ids the time part steps 1 ms ahead). Ids made
// in one import then sort in creation order, so the primary-key B-trees grow at their right edge
// instead of splitting pages at random.
class IdMaker {
 public:
  std::string next(int64_t ms) {
    std::array<uint8_t, 16> r{};
    stream_.fill(r.data() + 8, 8);  // rand_b (uuid_v7 overwrites the two variant bits)
    r[6] = static_cast<uint8_t>((counter_ >> 8) & 0x0F);
    r[7] = static_cast<uint8_t>(counter_);
    int64_t t = ms + static_cast<int64_t>(counter_ >> 12);
    ++counter_;
    return uuid_v7(t, r);
  }

 private:
  csprng::Stream stream_;
  uint64_t counter_ = 0;
};

std::optional<double> parse_double(std::string_view s) {
  s = trim(s);
  if (s.empty() || s.size() > 40) return std::nullopt;
  // Plain decimals (a voter file's coordinates) skip strtod, which is slow in the wasm.
  if (auto v = decimal::parse_fast(s)) return v;
  char buf[48];
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = 0;
  char* end = nullptr;
  double v = std::strtod(buf, &end);
  if (end != buf + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string zip5(std::string_view z) {
  z = trim(z);
  if (z.size() < 5) return {};
  for (size_t i = 0; i < 5; ++i)
    if (z[i] < '0' || z[i] > '9') return {};
  return std::string(z.substr(0, 5));
}

// Set of 64-bit key hashes with open addressing: one flat array instead of a node per entry
// (a million people cost 16 MB, not ~50). 0 marks an empty slot, so 0 itself is remapped.
class HashSet {
 public:
  bool insert(uint64_t h) {
    if (h == 0) h = 1;
    if ((size_ + 1) * 2 > slots_.size()) grow();
    size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      if (slots_[i] == h) return false;
      if (slots_[i] == 0) {
        slots_[i] = h;
        ++size_;
        return true;
      }
    }
  }
  bool contains(uint64_t h) const {
    if (h == 0) h = 1;
    if (slots_.empty()) return false;
    size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      if (slots_[i] == h) return true;
      if (slots_[i] == 0) return false;
    }
  }

 private:
  void grow() {
    std::vector<uint64_t> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, 0);
    size_ = 0;
    for (uint64_t h : old)
      if (h) insert(h);
  }
  std::vector<uint64_t> slots_;
  size_t size_ = 0;
};

// Map from 64-bit key hash to a dense index, open addressing: lookups touch one flat array
// instead of chasing a node per entry (the door lookup was the importer's top cache miss).
class HashIndex {
 public:
  static constexpr uint32_t kNone = 0xffffffffu;
  uint32_t find(uint64_t h) const {
    if (h == 0) h = 1;
    if (keys_.empty()) return kNone;
    size_t mask = keys_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      if (keys_[i] == h) return vals_[i];
      if (keys_[i] == 0) return kNone;
    }
  }
  void insert(uint64_t h, uint32_t v) {
    if (h == 0) h = 1;
    if ((size_ + 1) * 2 > keys_.size()) grow();
    size_t mask = keys_.size() - 1;
    size_t i = h & mask;
    while (keys_[i] != 0 && keys_[i] != h) i = (i + 1) & mask;
    if (keys_[i] == 0) ++size_;
    keys_[i] = h;
    vals_[i] = v;
  }

 private:
  void grow() {
    std::vector<uint64_t> ok = std::move(keys_);
    std::vector<uint32_t> ov = std::move(vals_);
    keys_.assign(ok.empty() ? 1024 : ok.size() * 2, 0);
    vals_.assign(keys_.size(), 0);
    size_ = 0;
    for (size_t i = 0; i < ok.size(); ++i)
      if (ok[i]) insert(ok[i], ov[i]);
  }
  std::vector<uint64_t> keys_;
  std::vector<uint32_t> vals_;
  size_t size_ = 0;
};

struct DoorSeen {
  std::string id;
  GeocodeQuality quality = GeocodeQuality::none;
  bool has_coords = false;
};

}  // namespace

struct Importer::Impl {
  store::Db& db;
  Options opts;
  csv::Reader reader;
  std::optional<presets::Mapping> mapping;
  Status fatal;
  Report report;
  Hlc hlc;
  int64_t started_ms = 0;
  std::chrono::steady_clock::time_point t0;
  IdMaker ids;
  std::unique_ptr<store::Transaction> tx;
  size_t rows_in_tx = 0;
  bool campaign_ready = false;
  bool indexes_deferred = false;  // dropped at the start, rebuilt in finish() (or on the next open)
  std::unique_ptr<geocode::Index> own_index;        // --geocode-with: the file, in memory
  const geocode::PointSource* geocoder = nullptr;  // what doors are geocoded against
  std::string geocode_detail;  // how the last lookup went, for the report

  HashIndex building_index;                  // building key hash -> index in building_ids
  std::vector<std::string> building_ids;
  HashIndex door_index;                      // door key hash -> index in doors
  std::vector<DoorSeen> doors;
  HashSet people_seen;                                    // source key hashes in this file

  Impl(store::Db& d, Options o) : db(d), opts(std::move(o)) {}
  ~Impl() {
    if (indexes_deferred) {  // an import that failed half-way: put the indexes back now
      tx.reset();
      db.exec(store::core_deferrable_indexes_create());
    }
  }

  void error(uint64_t row, uint32_t column, std::string_view code, std::string message) {
    ++report.errors_total;
    if (report.errors.size() < opts.max_errors_kept)
      report.errors.push_back(RowError{row, column, std::string(code), std::move(message)});
  }

  std::string_view get(const csv::Row& r, Field f) const { return presets::cell(*mapping, r, f); }
  uint32_t col(Field f) const { return static_cast<uint32_t>(mapping->column_of(f) + 1); }

  Status begin() {
    if (opts.points) {
      geocoder = opts.points;
    } else if (!opts.geocode_with.empty()) {
      own_index = std::make_unique<geocode::Index>();
      auto g = own_index->load_csv(opts.geocode_with);
      if (!g) return g.error();
      geocoder = own_index.get();
    }
    t0 = std::chrono::steady_clock::now();
    started_ms = opts.now_ms ? opts.now_ms
                             : std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
    hlc = Hlc{started_ms, 0, opts.node};
    // Bulk settings: a big page cache for the index B-trees; WAL databases already run
    // synchronous=NORMAL (store::OpenOptions::wal), which keeps commits cheap but durable on power loss
    // up to the last checkpoint.
    // Fewer WAL checkpoints: with the default (every 1,000 pages) the hot index pages are copied
    // back into the database file again and again. 65,536 pages caps the WAL near 256 MB; in one
    // run of bench_import the 1M-row import went from 10.55 s to 9.65 s. finish() restores it.
    if (opts.big_wal)
      if (auto s = db.exec("PRAGMA wal_autocheckpoint=65536"); !s) return s;
    return db.exec("PRAGMA cache_size=-" + std::to_string(opts.cache_kib));
  }

  Status ensure_tx() {
    if (tx && rows_in_tx < opts.batch_rows) return {};
    if (tx) {
      if (auto s = tx->commit(); !s) return s;
      tx.reset();
    }
    tx = std::make_unique<store::Transaction>(db);
    rows_in_tx = 0;
    if (!tx->status()) return tx->status();
    if (!campaign_ready) {
      // First import into an empty database: build the door/person lookup indexes once at the
      // end instead of inserting into them row by row. Nobody can be reading rows that do not exist.
      bool fresh = false;
      {
        auto empty = db.prepare("SELECT NOT EXISTS(SELECT 1 FROM person) AND NOT EXISTS(SELECT 1 FROM door)");
        if (!empty) return empty.error();
        auto er = empty->step();
        if (!er) return er.error();
        fresh = empty->int64(0) != 0;
      }  // finalised: DROP INDEX refuses to run while a statement is open
      if (fresh && opts.defer_indexes) {
        db.reset_cached();  // the caller's cached statements may still be open on this connection
        if (auto s = db.exec(store::core_deferrable_indexes_drop()); !s) return s;
        indexes_deferred = true;
      }
      auto c = store::ensure_campaign(db, opts.campaign, hlc, started_ms);
      if (!c) return c.error();
      report.campaign_id = c->id;
      campaign_ready = true;
    }
    return {};
  }

  Status choose_mapping() {
    const auto& header = reader.header();
    auto m = mapping_for(header, opts);
    if (!m) return m.error();
    mapping = m.value();
    report.preset = mapping->name();
    return {};
  }

  address::Address row_address(const csv::Row& r) const { return presets::address_of(*mapping, r); }

  // Returns the door for this row, creating building and door on first sight; nullptr on error.
  const DoorSeen* place_door(const csv::Row& r, const address::Address& a, const std::string& zip) {
    std::string bkey = a.building_key() + "|" + zip;
    std::string dkey = a.door_key() + "|" + zip;
    uint64_t dh = hash64(dkey);
    if (uint32_t i = door_index.find(dh); i != HashIndex::kNone) {
      if (!mapping->has_people) ++report.same_door;
      return &doors[i];
    }

    DoorSeen seen;
    std::optional<double> lat, lon;
    if (mapping->has(Field::lat) && mapping->has(Field::lon)) {
      auto la = get(r, Field::lat), lo = get(r, Field::lon);
      if (!la.empty() || !lo.empty()) {
        lat = parse_double(la);
        lon = parse_double(lo);
        bool valid = lat && lon && std::fabs(*lat) <= 90 && std::fabs(*lon) <= 180 && !(*lat == 0 && *lon == 0);
        if (!valid) {
          error(r.number, col(Field::lat), "bad_coordinates",
                "coordinates '" + std::string(la) + "," + std::string(lo) + "' are not a place");
          lat.reset();
          lon.reset();
        } else {
          seen.quality = GeocodeQuality::source;
        }
      }
    }
    if (!lat && geocoder) {
      auto hit = geocode::locate(*geocoder, a);
      switch (hit.quality) {
        case geocode::Quality::exact: seen.quality = GeocodeQuality::exact; break;
        case geocode::Quality::approximate: seen.quality = GeocodeQuality::approximate; break;
        case geocode::Quality::ambiguous: seen.quality = GeocodeQuality::ambiguous; break;
        case geocode::Quality::unmatched: seen.quality = GeocodeQuality::none; break;
      }
      if (hit.placed()) {
        lat = hit.lat;
        lon = hit.lon;
      }
    }
    seen.has_coords = lat.has_value();
    switch (seen.quality) {
      case GeocodeQuality::source: ++report.from_source; break;
      case GeocodeQuality::exact: ++report.exact; break;
      case GeocodeQuality::approximate: ++report.approximate; break;
      case GeocodeQuality::ambiguous: ++report.ambiguous; break;
      case GeocodeQuality::none:
        if (geocoder) ++report.unmatched;
        break;
    }
    if (seen.has_coords) ++report.geocoded;

    uint64_t bh = hash64(bkey);
    uint32_t bi = building_index.find(bh);
    if (bi == HashIndex::kNone) {
      Building b;
      b.id = ids.next(started_ms);
      b.campaign_id = report.campaign_id;
      b.address_key = bkey;
      b.address = a.building_key();
      b.city = std::string(get(r, Field::city));
      b.state = std::string(get(r, Field::state));
      b.zip = zip;
      b.lat = lat;
      b.lon = lon;
      auto u = store::upsert_building(db, b, hlc);
      if (!u) {
        fatal = u.error();
        return nullptr;
      }
      bi = static_cast<uint32_t>(building_ids.size());
      building_ids.push_back(u->id);
      building_index.insert(bh, bi);
      ++report.buildings;
    }
    Door d;
    d.id = ids.next(started_ms);
    d.campaign_id = report.campaign_id;
    d.building_id = building_ids[bi];
    d.address_key = dkey;
    d.address = a.door_key();
    d.unit = a.unit;
    d.lat = lat;
    d.lon = lon;
    d.geocode = seen.quality;
    auto u = store::upsert_door(db, d, hlc);
    if (!u) {
      fatal = u.error();
      return nullptr;
    }
    seen.id = u->id;
    ++report.doors;
    if (!mapping->has_people) {
      if (u->inserted) ++report.added;
      else if (u->changed) ++report.changed;
      else ++report.unchanged;
    }
    door_index.insert(dh, static_cast<uint32_t>(doors.size()));
    doors.push_back(std::move(seen));
    return &doors.back();
  }

  void row(const csv::Row& r) {
    if (!fatal.ok()) return;
    ++report.rows;
    if (!mapping) {
      if (auto s = choose_mapping(); !s) {
        fatal = s;
        return;
      }
    }
    if (auto s = ensure_tx(); !s) {
      fatal = s;
      return;
    }
    ++rows_in_tx;

    address::Address a = row_address(r);
    if (a.number.empty() || a.name.empty()) {
      Field f = mapping->has(Field::street_name) ? Field::street_name
                : mapping->has(Field::street)    ? Field::street
                                                 : Field::address_line;
      error(r.number, col(f), "no_address", "no street address in this row; row skipped");
      ++report.skipped;
      return;
    }

    std::string source_key;
    if (mapping->has_people) {
      std::string_view sid = get(r, Field::source_id);
      std::string synthetic;
      if (sid.empty() && !mapping->has(Field::source_id)) {
        // Generic files without an id column: name + address stands in for the id, so re-importing
        // the same file still matches.
        char buf[24];
        std::snprintf(buf, sizeof buf, "%016llx",
                      static_cast<unsigned long long>(hash64(std::string(get(r, Field::first_name)) + "|" +
                                                             std::string(get(r, Field::last_name)) + "|" +
                                                             a.door_key())));
        synthetic = buf;
        sid = synthetic;
      }
      if (sid.empty()) {
        error(r.number, col(Field::source_id), "missing_id", "no source id in this row; row skipped");
        ++report.skipped;
        return;
      }
      source_key = mapping->name() + ":" + std::string(sid);
      if (!people_seen.insert(hash64(source_key))) {
        error(r.number, col(Field::source_id), "duplicate_id",
              "source id " + std::string(sid) + " appeared earlier in this file; row skipped");
        ++report.skipped;
        return;
      }
    }

    std::string zip = zip5(get(r, Field::zip));
    const DoorSeen* door = place_door(r, a, zip);
    if (!door) return;
    if (door->quality == GeocodeQuality::ambiguous)
      error(r.number, 0, "geocode_ambiguous", "reference points for " + a.door_key() + " are far apart; not placed");
    else if (geocoder && door->quality == GeocodeQuality::none)
      error(r.number, 0, "geocode_unmatched", "no reference point for " + a.door_key());

    if (mapping->has_people) {
      Person p;
      p.id = ids.next(started_ms);
      p.campaign_id = report.campaign_id;
      p.door_id = door->id;
      p.source_key = std::move(source_key);
      p.van_id = std::string(get(r, Field::van_id));
      p.state_id = std::string(get(r, Field::state_id));
      p.first_name = std::string(get(r, Field::first_name));
      p.middle_name = std::string(get(r, Field::middle_name));
      p.last_name = std::string(get(r, Field::last_name));
      p.suffix = std::string(get(r, Field::suffix));
      if (auto dob = get(r, Field::birth_date); !dob.empty()) {
        p.birth_date = presets::normalise_date(dob);
        if (p.birth_date.empty())
          error(r.number, col(Field::birth_date), "bad_value", "birth date '" + std::string(dob) + "' not understood");
      }
      if (auto age = get(r, Field::age); !age.empty()) {
        auto v = parse_double(age);
        if (v && *v >= 0 && *v < 150 && *v == std::floor(*v)) p.age = static_cast<int32_t>(*v);
        else error(r.number, col(Field::age), "bad_value", "age '" + std::string(age) + "' not understood");
      }
      p.party = std::string(get(r, Field::party));
      p.language = presets::normalise_language(get(r, Field::language));
      if (mapping->has(Field::phone)) {
        p.phone = presets::normalise_phone(get(r, Field::phone));
      } else if (mapping->has(Field::phone_area)) {
        std::string ph = std::string(get(r, Field::phone_area)) + std::string(get(r, Field::phone_exchange)) +
                         std::string(get(r, Field::phone_number));
        p.phone = presets::normalise_phone(ph);
      }
      p.email = std::string(get(r, Field::email));
      p.do_not_contact = presets::truthy(get(r, Field::do_not_contact));
      auto u = store::upsert_person(db, p, hlc);
      if (!u) {
        fatal = u.error();
        return;
      }
      ++report.people;
      if (u->inserted) ++report.added;
      else if (u->changed) ++report.changed;
      else ++report.unchanged;
    }
    ++report.imported;
  }

  Status remove_missing() {
    auto q = db.prepare("SELECT id, source_key FROM person WHERE campaign_id=?1 AND source=?2 AND deleted=0");
    if (!q) return q.error();
    q->bind_all(report.campaign_id, mapping->name());
    std::vector<std::string> gone;
    for (;;) {
      auto r = q->step();
      if (!r) return r.error();
      if (!r.value()) break;
      if (!people_seen.contains(hash64(q->text_view(1)))) gone.push_back(q->text(0));
    }
    for (const auto& id : gone) {
      // A tombstone, not a delete: attempts keep pointing at this person id.
      auto w = store::write_field(db, "person", id, "deleted", int64_t{1}, hlc);
      if (!w) return w.error();
      if (w.value()) ++report.removed;
    }
    return {};
  }
};

double Report::match_rate() const {
  uint64_t needed = exact + approximate + ambiguous + unmatched;
  return needed ? static_cast<double>(exact + approximate) / static_cast<double>(needed) : 0.0;
}

json::Value Report::to_json() const {
  json::Value v = json::Value::object();
  v.set("campaign_id", campaign_id);
  v.set("preset", preset);
  v.set("rows", rows);
  v.set("imported", imported);
  v.set("skipped", skipped);
  v.set("people", people);
  v.set("doors", doors);
  v.set("buildings", buildings);
  v.set("geocoded", geocoded);
  json::Value g = json::Value::object();
  g.set("from_source", from_source);
  g.set("exact", exact);
  g.set("approximate", approximate);
  g.set("ambiguous", ambiguous);
  g.set("unmatched", unmatched);
  g.set("match_rate", match_rate());
  v.set("geocode", std::move(g));
  v.set("added", added);
  v.set("changed", changed);
  v.set("unchanged", unchanged);
  v.set("removed", removed);
  v.set("same_door", same_door);
  v.set("bytes", bytes);
  v.set("seconds", seconds);
  v.set("errors_total", errors_total);
  json::Value errs = json::Value::array();
  for (const auto& e : errors) {
    json::Value o = json::Value::object();
    o.set("row", e.row);
    o.set("column", e.column);
    o.set("code", e.code);
    o.set("message", e.message);
    errs.push(std::move(o));
  }
  v.set("errors", std::move(errs));
  return v;
}

Importer::Importer(store::Db& db, Options opts) : impl_(std::make_unique<Impl>(db, std::move(opts))) {
  impl_->fatal = impl_->begin();
}
Importer::~Importer() = default;

Status Importer::push(std::string_view bytes) {
  auto& m = *impl_;
  if (!m.fatal) return m.fatal;
  m.report.bytes += bytes.size();
  auto s = m.reader.feed(bytes, [&](const csv::Row& r) { m.row(r); });
  if (!s) m.fatal = s;
  return m.fatal;
}

size_t Importer::rows_pending() const { return impl_->tx ? impl_->rows_in_tx : 0; }

uint64_t Importer::rows() const { return impl_->report.rows; }

Status Importer::commit() {
  auto& m = *impl_;
  if (!m.fatal || !m.tx) return m.fatal;
  if (auto s = m.tx->commit(); !s) return s;
  m.tx.reset();
  m.rows_in_tx = 0;
  return m.fatal;
}

Result<Report> Importer::finish() {
  auto& m = *impl_;
  if (m.fatal) {
    auto s = m.reader.finish([&](const csv::Row& r) { m.row(r); });
    if (!s && m.fatal) m.fatal = s;
  }
  if (!m.fatal) return m.fatal.error();
  if (!m.mapping) {
    if (!m.reader.has_header()) return make_error(Code::invalid_argument, "the file is empty");
    if (auto s = m.choose_mapping(); !s) return s.error();
  }
  if (auto s = m.ensure_tx(); !s) return s.error();
  for (const auto& is : m.reader.issues())
    m.error(is.row, is.column, csv::issue_kind_name(is.kind), is.message);
  if (m.reader.issues_total() > m.reader.issues().size())
    m.report.errors_total += m.reader.issues_total() - m.reader.issues().size();
  if (m.opts.replace && m.mapping->has_people)
    if (auto s = m.remove_missing(); !s) return s.error();
  m.report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - m.t0).count();
  // Keep the history row small: counts and the first errors only.
  Report brief = m.report;
  if (brief.errors.size() > 100) brief.errors.resize(100);
  auto ins = m.db.prepare("INSERT INTO import_run(id, campaign_id, source, file_name, started_ms, finished_ms, report) "
                          "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!ins) return ins.error();
  ins->bind_all(m.ids.next(m.started_ms), m.report.campaign_id, m.report.preset, m.opts.file_name, m.started_ms,
                m.started_ms + static_cast<int64_t>(m.report.seconds * 1000), json::dump(brief.to_json()));
  if (auto s = ins->run(); !s) return s.error();
  if (m.indexes_deferred) {
    if (auto s = m.db.exec(store::core_deferrable_indexes_create()); !s) return s.error();
  }
  if (auto s = m.tx->commit(); !s) return s.error();
  m.indexes_deferred = false;
  m.tx.reset();
  if (m.opts.big_wal) (void)m.db.exec("PRAGMA wal_autocheckpoint=1000");  // back to SQLite's default (see begin())
  m.report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - m.t0).count();
  return m.report;
}

Result<presets::Mapping> mapping_for(const std::vector<std::string>& header, const Options& opts) {
  if (opts.mapping.empty()) return opts.preset.empty() ? presets::detect(header) : presets::by_name(opts.preset, header);
  auto spec = json::parse(opts.mapping, json::ParseLimits{8, 64u << 10, 4096});
  if (!spec) return Error{Code::invalid_argument, "mapping: not JSON (" + spec.error().message + ")"};
  return presets::from_json(header, *spec);
}

Result<uint64_t> precheck(const std::string& path, const std::function<Status(const std::vector<std::string>&)>& header_ok) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return make_error(Code::not_found, "cannot open " + path);
  csv::Reader reader;
  std::vector<char> buf(1u << 20);
  csv::Row row;
  Status st;
  uint64_t offset = 0;
  bool header_checked = false;
  auto drain = [&]() -> Status {
    while (reader.next(row)) {
      if (!header_checked) {
        header_checked = true;
        if (auto s = header_ok(reader.header()); !s) return s;
      }
    }
    return reader.error();
  };
  for (;;) {
    size_t n = std::fread(buf.data(), 1, buf.size(), f);
    if (n == 0) break;
    if (const void* nul = std::memchr(buf.data(), 0, n)) {
      uint64_t at = offset + static_cast<uint64_t>(static_cast<const char*>(nul) - buf.data());
      st = make_error(Code::invalid_argument, "the file is not text (a NUL byte at byte " + std::to_string(at) +
                                                  "): upload the CSV or TSV file itself");
      break;
    }
    offset += n;
    if (st = reader.push(std::string_view(buf.data(), n)); !st) break;
    if (st = drain(); !st) break;
  }
  bool read_error = std::ferror(f) != 0;
  std::fclose(f);
  if (read_error) return make_error(Code::io, "read error on " + path);
  if (st) {
    reader.close();
    st = drain();
  }
  if (!st) return st.error();
  if (!reader.has_header()) return make_error(Code::invalid_argument, "the file is empty");
  if (!header_checked)
    if (auto s = header_ok(reader.header()); !s) return s.error();
  return reader.stats().rows;
}

Result<Report> import_file(store::Db& db, const std::string& path, const Options& opts) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return make_error(Code::not_found, "cannot open " + path);
  Options o = opts;
  if (o.file_name.empty()) {
    auto slash = path.find_last_of('/');
    o.file_name = slash == std::string::npos ? path : path.substr(slash + 1);
  }
  Importer imp(db, o);
  std::vector<char> buf(1u << 20);
  Status st;
  for (;;) {
    size_t n = std::fread(buf.data(), 1, buf.size(), f);
    if (n == 0) break;
    st = imp.push(std::string_view(buf.data(), n));
    if (!st) break;
  }
  bool read_error = std::ferror(f) != 0;
  std::fclose(f);
  if (read_error) return make_error(Code::io, "read error on " + path);
  if (!st) return st.error();
  return imp.finish();
}

}  // namespace doorstep::importer
