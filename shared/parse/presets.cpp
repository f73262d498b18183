// Preset tables and detection (see presets.h). Column names come from
// tests/data/formats/voter_file_layouts.md; each preset lists the columns that identify it
// (required) and every column it maps, so a file with extra or reordered columns still works.
#include "shared/parse/presets.h"

#include <cctype>
#include <cstdint>
#include <cstdio>

namespace doorstep::presets {

namespace {

constexpr std::array<std::string_view, kFieldCount> kFieldNames = {
    "source_id", "van_id", "state_id", "first_name", "middle_name", "last_name", "suffix",
    "birth_date", "age", "party", "language", "phone", "email", "do_not_contact",
    "address_line", "address_line2",
    "house_number", "house_fraction", "number_suffix", "predir", "street_name", "street_type", "postdir",
    "street", "unit_type", "unit", "city", "state", "zip", "lat", "lon",
    "phone_area", "phone_exchange", "phone_number"};

struct Col {
  Field field;
  std::vector<std::string_view> names;  // first one present wins
};
struct Preset {
  Kind kind;
  std::vector<std::string_view> required;
  std::vector<Col> cols;
  bool has_people;
};

const std::vector<Preset>& presets() {
  static const std::vector<Preset> p = {
      {Kind::california,
       {"RegistrantID", "AddressNumber", "StreetName"},
       {{Field::source_id, {"RegistrantID"}},
        {Field::state_id, {"RegistrantID"}},
        {Field::last_name, {"LastName"}},
        {Field::first_name, {"FirstName"}},
        {Field::middle_name, {"MiddleName"}},
        {Field::suffix, {"Suffix"}},
        {Field::house_number, {"AddressNumber"}},
        {Field::house_fraction, {"HouseFractionNumber"}},
        {Field::number_suffix, {"AddressNumberSuffix"}},
        {Field::predir, {"StreetDirPrefix"}},
        {Field::street_name, {"StreetName"}},
        {Field::street_type, {"StreetType"}},
        {Field::postdir, {"StreetDirSuffix"}},
        {Field::unit_type, {"UnitType"}},
        {Field::unit, {"UnitNumber"}},
        {Field::city, {"City"}},
        {Field::state, {"State"}},
        {Field::zip, {"Zip"}},
        {Field::phone_area, {"Phone1Area"}},
        {Field::phone_exchange, {"Phone1Exchange"}},
        {Field::phone_number, {"Phone1NumberPart"}},
        {Field::email, {"Email"}},
        {Field::language, {"Language"}},
        {Field::birth_date, {"DOB"}},
        {Field::party, {"PartyCode"}}},
       true},
      {Kind::van,
       {"Voter File VANID|VANID"},
       {{Field::source_id, {"Voter File VANID", "VANID"}},
        {Field::van_id, {"Voter File VANID", "VANID"}},
        {Field::state_id, {"StateFileID"}},
        {Field::last_name, {"LastName"}},
        {Field::first_name, {"FirstName"}},
        {Field::middle_name, {"MiddleName"}},
        {Field::suffix, {"Suffix"}},
        {Field::age, {"Age"}},
        {Field::party, {"Party"}},
        {Field::address_line, {"Address", "vAddress"}},
        {Field::city, {"City"}},
        {Field::state, {"State"}},
        {Field::zip, {"Zip5"}},
        {Field::lat, {"Latitude"}},
        {Field::lon, {"Longitude"}},
        {Field::phone, {"Cell Phone", "Pref Phone", "HomePhone"}}},
       true},
      {Kind::nationbuilder,
       {"nationbuilder_id"},
       {{Field::source_id, {"nationbuilder_id"}},
        {Field::van_id, {"van_id"}},
        {Field::state_id, {"state_file_id"}},
        {Field::first_name, {"first_name"}},
        {Field::middle_name, {"middle_name"}},
        {Field::last_name, {"last_name"}},
        {Field::suffix, {"suffix"}},
        {Field::email, {"email1", "email"}},
        {Field::phone, {"mobile_number", "phone_number"}},
        {Field::address_line, {"registered_address1", "primary_address1", "address_address1"}},
        {Field::address_line2, {"registered_address2", "primary_address2", "address_address2"}},
        {Field::city, {"registered_city", "primary_city", "address_city"}},
        {Field::state, {"registered_state", "primary_state", "address_state"}},
        {Field::zip, {"registered_zip", "primary_zip", "address_zip"}},
        {Field::do_not_contact, {"do_not_contact"}}},
       true},
      {Kind::openaddresses,
       {"LON", "LAT", "NUMBER", "STREET"},
       {{Field::source_id, {"HASH", "ID"}},
        {Field::lon, {"LON"}},
        {Field::lat, {"LAT"}},
        {Field::house_number, {"NUMBER"}},
        {Field::street, {"STREET"}},
        {Field::unit, {"UNIT"}},
        {Field::city, {"CITY"}},
        {Field::state, {"REGION"}},
        {Field::zip, {"POSTCODE"}}},
       false},
      {Kind::address_points,
       {"lat", "lon", "housenumber", "street"},
       {{Field::source_id, {"osm_id"}},
        {Field::lat, {"lat"}},
        {Field::lon, {"lon"}},
        {Field::house_number, {"housenumber"}},
        {Field::street, {"street"}},
        {Field::unit, {"unit"}},
        {Field::city, {"city"}},
        {Field::zip, {"postcode"}}},
       false},
  };
  return p;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequal(std::string_view a, std::string_view b) {
  a = trim(a);
  b = trim(b);
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

int find_col(const std::vector<std::string>& header, std::string_view name) {
  for (size_t i = 0; i < header.size(); ++i)
    if (iequal(header[i], name)) return static_cast<int>(i);
  return -1;
}

Mapping empty_mapping(Kind k) {
  Mapping m;
  m.kind = k;
  m.column.fill(-1);
  return m;
}

// A required entry may list alternatives separated by '|' ("Voter File VANID|VANID").
bool has_required(const std::vector<std::string>& header, std::string_view r) {
  while (true) {
    size_t bar = r.find('|');
    if (find_col(header, r.substr(0, bar)) >= 0) return true;
    if (bar == std::string_view::npos) return false;
    r.remove_prefix(bar + 1);
  }
}

std::optional<Mapping> try_preset(const Preset& p, const std::vector<std::string>& header) {
  for (auto r : p.required)
    if (!has_required(header, r)) return std::nullopt;
  Mapping m = empty_mapping(p.kind);
  m.has_people = p.has_people;
  for (const auto& c : p.cols)
    for (auto n : c.names)
      if (int i = find_col(header, n); i >= 0) {
        m.column[static_cast<size_t>(c.field)] = i;
        break;
      }
  return m;
}

}  // namespace

std::string_view field_name(Field f) {
  auto i = static_cast<size_t>(f);
  return i < kFieldCount ? kFieldNames[i] : std::string_view{};
}

std::optional<Field> field_from_name(std::string_view name) {
  for (size_t i = 0; i < kFieldCount; ++i)
    if (kFieldNames[i] == name) return static_cast<Field>(i);
  return std::nullopt;
}

std::string_view kind_name(Kind k) {
  switch (k) {
    case Kind::california: return "california";
    case Kind::van: return "van";
    case Kind::nationbuilder: return "nationbuilder";
    case Kind::openaddresses: return "openaddresses";
    case Kind::address_points: return "address_points";
    case Kind::generic: return "generic";
  }
  return "generic";
}

Result<Mapping> detect(const std::vector<std::string>& header) {
  for (const auto& p : presets())
    if (auto m = try_preset(p, header)) return *m;
  return make_error(Code::not_found,
                    "no preset matches this header; choose one with --preset "
                    "(california, van, nationbuilder, openaddresses, address_points, generic:field=Column,...)");
}

Result<Mapping> by_name(std::string_view name, const std::vector<std::string>& header, std::string_view spec) {
  if (name.substr(0, 8) == "generic:") {
    spec = name.substr(8);
    name = "generic";
  }
  if (name != "generic") {
    for (const auto& p : presets())
      if (kind_name(p.kind) == name) {
        auto m = try_preset(p, header);
        if (!m) {
          std::string need;
          for (auto r : p.required)
            if (!has_required(header, r)) need += (need.empty() ? "" : ", ") + std::string(r);
          return make_error(Code::invalid_argument, "preset " + std::string(name) + " needs the column(s) " + need);
        }
        return *m;
      }
    return make_error(Code::invalid_argument, "unknown preset '" + std::string(name) + "'");
  }
  Mapping m = empty_mapping(Kind::generic);
  bool any_address = false, any_person = false;
  while (!spec.empty()) {
    size_t comma = spec.find(',');
    std::string_view pair = spec.substr(0, comma);
    spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos)
      return make_error(Code::invalid_argument, "generic mapping wants field=Column, got '" + std::string(pair) + "'");
    auto f = field_from_name(trim(pair.substr(0, eq)));
    if (!f) return make_error(Code::invalid_argument, "unknown field '" + std::string(trim(pair.substr(0, eq))) + "'");
    int c = find_col(header, pair.substr(eq + 1));
    if (c < 0) return make_error(Code::invalid_argument, "no column '" + std::string(trim(pair.substr(eq + 1))) + "' in the header");
    m.column[static_cast<size_t>(*f)] = c;
    if (*f == Field::address_line || *f == Field::street || *f == Field::street_name) any_address = true;
    if (*f == Field::first_name || *f == Field::last_name || *f == Field::source_id) any_person = true;
  }
  if (!any_address)
    return make_error(Code::invalid_argument, "generic mapping needs an address: address_line, street or street_name");
  m.has_people = any_person;
  return m;
}

Result<Mapping> from_json(const std::vector<std::string>& header, const json::Value& spec) {
  if (!spec.is_object()) return make_error(Code::invalid_argument, "mapping: a JSON object {\"preset\", \"columns\"}");
  for (const auto& [k, v] : spec.as_object())
    if (k != "preset" && k != "columns") return make_error(Code::invalid_argument, "mapping: unknown member '" + k + "'");
  std::string preset;
  if (const json::Value* p = spec.find("preset"); p && !p->is_null()) {
    if (!p->is_string()) return make_error(Code::invalid_argument, "mapping: preset must be a name");
    preset = p->as_string();
  }
  Mapping m;
  bool generic = preset == "generic";
  if (generic) {
    m = empty_mapping(Kind::generic);
    m.has_people = false;
  } else {
    Result<Mapping> base = preset.empty() ? detect(header) : by_name(preset, header);
    if (!base) {
      if (!preset.empty() || !spec.find("columns")) return base.error();
      m = empty_mapping(Kind::generic);  // nothing detected: the columns below are the whole mapping
      m.has_people = false;
      generic = true;
    } else {
      m = *base;
    }
  }
  if (const json::Value* cols = spec.find("columns"); cols && !cols->is_null()) {
    if (!cols->is_object()) return make_error(Code::invalid_argument, "mapping: columns must map fields to column names");
    for (const auto& [name, col] : cols->as_object()) {
      auto f = field_from_name(name);
      if (!f) return make_error(Code::invalid_argument, "mapping: unknown field '" + name + "'");
      int c = -1;
      if (col.is_string() && !col.as_string().empty()) {
        c = find_col(header, col.as_string());
        if (c < 0) return make_error(Code::invalid_argument, "mapping: no column '" + col.as_string() + "' in the header (field " + name + ")");
      } else if (!col.is_null() && !col.is_string()) {
        return make_error(Code::invalid_argument, "mapping: field " + name + " must name a column");
      }
      m.column[static_cast<size_t>(*f)] = c;
      if (generic && c >= 0 && (*f == Field::first_name || *f == Field::last_name || *f == Field::source_id))
        m.has_people = true;
    }
  }
  if (!m.has(Field::address_line) && !m.has(Field::street) && !m.has(Field::street_name))
    return make_error(Code::invalid_argument, "mapping needs an address column: address_line, street or street_name");
  return m;
}

json::Value to_json(const Mapping& m, const std::vector<std::string>& header) {
  json::Value cols = json::Value::object();
  for (size_t i = 0; i < kFieldCount; ++i) {
    int c = m.column[i];
    if (c >= 0 && static_cast<size_t>(c) < header.size()) cols.set(std::string(kFieldNames[i]), header[static_cast<size_t>(c)]);
  }
  json::Value o = json::Value::object();
  o.set("preset", m.name());
  o.set("columns", std::move(cols));
  return o;
}

std::vector<std::string_view> preset_names() {
  std::vector<std::string_view> out;
  for (const auto& p : presets()) out.push_back(kind_name(p.kind));
  out.push_back("generic");
  return out;
}

std::string_view cell(const Mapping& m, const csv::Row& r, Field f) {
  int c = m.column_of(f);
  return c >= 0 ? trim(r[static_cast<size_t>(c)]) : std::string_view{};
}

address::Address address_of(const Mapping& m, const csv::Row& r) {
  auto get = [&](Field f) { return cell(m, r, f); };
  if (m.has(Field::street_name)) {
    address::Parts p;
    p.number = get(Field::house_number);
    p.fraction = get(Field::house_fraction);
    p.number_suffix = get(Field::number_suffix);
    p.predir = get(Field::predir);
    p.name = get(Field::street_name);
    p.type = get(Field::street_type);
    p.postdir = get(Field::postdir);
    p.unit_type = get(Field::unit_type);
    p.unit = get(Field::unit);
    return address::from_parts(p);
  }
  if (m.has(Field::street)) return address::parse_street(get(Field::house_number), get(Field::street), get(Field::unit));
  std::string line(get(Field::address_line));
  auto l2 = get(Field::address_line2);
  if (!l2.empty()) line += " " + std::string(l2);
  return address::parse(line);
}

std::string normalise_date(std::string_view s) {
  s = trim(s);
  auto digits = [](std::string_view d) {
    for (char c : d)
      if (c < '0' || c > '9') return false;
    return !d.empty();
  };
  auto build = [](int y, int mo, int d) -> std::string {
    if (y < 1850 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > 31) return {};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, mo, d);
    return buf;
  };
  auto num = [](std::string_view d) {
    int v = 0;
    for (char c : d) v = v * 10 + (c - '0');
    return v;
  };
  if (s.size() == 8 && digits(s)) return build(num(s.substr(0, 4)), num(s.substr(4, 2)), num(s.substr(6, 2)));
  if (s.size() == 10 && s[4] == '-' && s[7] == '-' && digits(s.substr(0, 4)) && digits(s.substr(5, 2)) &&
      digits(s.substr(8, 2)))
    return build(num(s.substr(0, 4)), num(s.substr(5, 2)), num(s.substr(8, 2)));
  size_t a = s.find('/');
  size_t b = a == std::string_view::npos ? a : s.find('/', a + 1);
  if (b != std::string_view::npos) {
    auto m = s.substr(0, a), d = s.substr(a + 1, b - a - 1), y = s.substr(b + 1);
    if (digits(m) && digits(d) && digits(y) && m.size() <= 2 && d.size() <= 2 && y.size() == 4)
      return build(num(y), num(m), num(d));
  }
  return {};
}

std::string normalise_language(std::string_view s) {
  std::string low;
  for (char c : s) {
    if (c == ' ' && low.empty()) continue;
    low += static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
  }
  while (!low.empty() && low.back() == ' ') low.pop_back();
  static const std::pair<const char*, const char*> kNames[] = {
      {"english", "en"},   {"eng", "en"},       {"spanish", "es"},  {"espaÃ±ol", "es"}, {"spa", "es"},
      {"korean", "ko"},    {"kor", "ko"},       {"chinese", "zh"},  {"mandarin", "zh"},       {"cantonese", "zh"},
      {"chi", "zh"},       {"armenian", "hy"},  {"arm", "hy"},      {"tagalog", "tl"},        {"filipino", "tl"},
      {"tgl", "tl"},       {"vietnamese", "vi"}, {"japanese", "ja"}, {"russian", "ru"},        {"farsi", "fa"},
      {"persian", "fa"},   {"thai", "th"},      {"khmer", "km"},    {"hindi", "hi"},          {"arabic", "ar"}};
  for (auto& [name, code] : kNames)
    if (low == name) return code;
  // "es-MX", "zh_Hant": the primary subtag.
  if (auto cut = low.find_first_of("-_"); cut != std::string::npos && cut >= 2 && cut <= 3) return low.substr(0, cut);
  return low;
}

std::string normalise_phone(std::string_view s) {
  std::string d;
  for (char c : s)
    if (c >= '0' && c <= '9') d += c;
  if (d.size() == 11 && d[0] == '1') d.erase(0, 1);
  return d.size() == 10 ? d : std::string();
}

bool truthy(std::string_view s) {
  s = trim(s);
  for (std::string_view t : {"true", "yes", "y", "1", "x"})
    if (iequal(s, t)) return true;
  return false;
}

}  // namespace doorstep::presets
