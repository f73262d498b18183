// Exports (see export.h). Time zones: fixed standard offsets plus the US DST rule in force for
// the date (2007+: second Sunday of March to first Sunday of November, 02:00 local; 1987-2006:
// first Sunday of April to last Sunday of October). Dates before 1987 use the 1987 rule.
#include "shared/io/export.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>

#include "shared/store/campaign_store.h"
#include "shared/base/json.h"

namespace doorstep::exporter {

namespace {

struct Zone {
  std::string_view name;
  int32_t std_offset_min;
  bool dst;
};
constexpr std::array<Zone, 12> kZones = {{
    {"America/Los_Angeles", -480, true},
    {"America/Denver", -420, true},
    {"America/Phoenix", -420, false},
    {"America/Chicago", -360, true},
    {"America/New_York", -300, true},
    {"America/Detroit", -300, true},
    {"America/Boise", -420, true},
    {"America/Indiana/Indianapolis", -300, true},
    {"America/Anchorage", -540, true},
    {"Pacific/Honolulu", -600, false},
    {"America/Puerto_Rico", -240, false},
    {"UTC", 0, false},
}};

const Zone* find_zone(std::string_view name) {
  for (const auto& z : kZones)
    if (z.name == name) return &z;
  return nullptr;
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Howard Hinnant's civil-date algorithms (proleptic Gregorian, days since 1970-01-01).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = floor_div(y, 400);
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}
void civil_from_days(int64_t z, int32_t& y, int32_t& m, int32_t& d) {
  z += 719468;
  const int64_t era = floor_div(z, 146097);
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  d = static_cast<int32_t>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int32_t>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int32_t>(yoe + era * 400 + (m <= 2));
}
int64_t weekday(int64_t days) { return ((days % 7) + 7 + 4) % 7; }  // 0 = Sunday; 1970-01-01 was a Thursday

int64_t nth_sunday(int64_t y, int64_t m, int n) {
  int64_t first = days_from_civil(y, m, 1);
  return first + (7 - weekday(first)) % 7 + 7 * (n - 1);
}
int64_t last_sunday(int64_t y, int64_t m, int64_t last_day) {
  int64_t last = days_from_civil(y, m, last_day);
  return last - weekday(last);
}

bool in_dst(const Zone& z, int64_t unix_ms) {
  if (!z.dst) return false;
  const int64_t std_ms = unix_ms + int64_t{z.std_offset_min} * 60000;
  int32_t y, m, d;
  civil_from_days(floor_div(std_ms, 86400000), y, m, d);
  int64_t start_day, end_day;
  if (y >= 2007) {
    start_day = nth_sunday(y, 3, 2);
    end_day = nth_sunday(y, 11, 1);
  } else {
    start_day = nth_sunday(y, 4, 1);
    end_day = last_sunday(y, 10, 31);
  }
  // Both switches in local standard time: on at 02:00 standard, off at 02:00 daylight = 01:00 standard.
  const int64_t start = start_day * 86400000 + 2 * 3600000;
  const int64_t end = end_day * 86400000 + 1 * 3600000;
  return std_ms >= start && std_ms < end;
}

std::string csv_quote(std::string_view s) {
  bool needs = s.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!needs) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string opt_number(const std::optional<double>& v, int decimals) {
  return v ? number_cell(*v, decimals) : std::string();
}

// The English (else first) label set of a question.
const QuestionLabel* english(const SurveyQuestion& q) {
  for (const auto& l : q.labels)
    if (l.language == "en") return &l;
  return q.labels.empty() ? nullptr : &q.labels.front();
}

std::string question_header(const SurveyQuestion& q) {
  if (!q.van_name.empty()) return q.van_name;
  if (auto l = english(q); l && !l->label.empty()) return l->label;
  return q.id;
}

std::string choice_label(const SurveyQuestion& q, const std::string& key) {
  const QuestionLabel* l = english(q);
  for (size_t i = 0; i < q.choices.size(); ++i)
    if (q.choices[i] == key && l && i < l->choice_labels.size() && !l->choice_labels[i].empty())
      return l->choice_labels[i];
  return key;
}

// One answer as a cell: numbers for the 1-5 scale, text (neutralised) for everything else.
std::string answer_cell(const SurveyQuestion& q, const json::Value* a) {
  if (!a || a->is_null()) return {};
  switch (q.kind) {
    case QuestionKind::yes_no:
      if (a->is_bool()) return a->as_bool() ? "Yes" : "No";
      if (a->is_string()) return text_cell(a->as_string() == "yes" ? "Yes" : a->as_string() == "no" ? "No" : a->as_string());
      return {};
    case QuestionKind::scale_1_5:
      if (a->is_number()) return number_cell(a->as_int());
      return a->is_string() ? text_cell(a->as_string()) : std::string();
    case QuestionKind::single_choice:
      return a->is_string() ? text_cell(choice_label(q, a->as_string())) : std::string();
    case QuestionKind::multiple_choice: {
      if (!a->is_array()) return a->is_string() ? text_cell(choice_label(q, a->as_string())) : std::string();
      std::string joined;
      for (const auto& x : a->as_array())
        if (x.is_string()) joined += (joined.empty() ? "" : "; ") + choice_label(q, x.as_string());
      return text_cell(joined);
    }
    case QuestionKind::free_text:
      return a->is_string() ? text_cell(a->as_string()) : std::string();
  }
  return {};
}

std::vector<std::string> answer_cells(const std::vector<SurveyQuestion>& qs, const std::string& answers_json) {
  std::vector<std::string> out;
  auto parsed = json::parse(answers_json);
  const json::Value* obj = parsed && parsed->is_object() ? &parsed.value() : nullptr;
  for (const auto& q : qs) out.push_back(answer_cell(q, obj ? obj->find(q.id) : nullptr));
  return out;
}

std::string full_name(const Person& p) {
  std::string n = p.first_name;
  if (!p.last_name.empty()) n += (n.empty() ? "" : " ") + p.last_name;
  return n;
}

}  // namespace

// ---- Time zones ----------------------------------------------------------------------------------
bool supported_zone(std::string_view zone) { return find_zone(zone) != nullptr; }

const std::vector<std::string_view>& supported_zones() {
  static const std::vector<std::string_view> v = [] {
    std::vector<std::string_view> out;
    for (const auto& z : kZones) out.push_back(z.name);
    return out;
  }();
  return v;
}

Result<int32_t> utc_offset_minutes(std::string_view zone, int64_t unix_ms) {
  const Zone* z = find_zone(zone);
  if (!z)
    return make_error(Code::unsupported, "time zone '" + std::string(zone) +
                                             "' is not in Doorstep's table (US zones and UTC; see export.h)");
  return z->std_offset_min + (in_dst(*z, unix_ms) ? 60 : 0);
}

Result<LocalTime> to_local(std::string_view zone, int64_t unix_ms) {
  auto off = utc_offset_minutes(zone, unix_ms);
  if (!off) return off.error();
  int64_t local_ms = unix_ms + int64_t{off.value()} * 60000;
  int64_t days = floor_div(local_ms, 86400000);
  int64_t ms_of_day = local_ms - days * 86400000;
  LocalTime t{};
  civil_from_days(days, t.year, t.month, t.day);
  t.hour = static_cast<int32_t>(ms_of_day / 3600000);
  t.minute = static_cast<int32_t>(ms_of_day / 60000 % 60);
  t.second = static_cast<int32_t>(ms_of_day / 1000 % 60);
  return t;
}

Result<std::string> van_date(std::string_view zone, int64_t unix_ms) {
  auto t = to_local(zone, unix_ms);
  if (!t) return t.error();
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d/%02d/%04d", t->month, t->day, t->year);
  return std::string(buf);
}

Result<std::string> local_timestamp(std::string_view zone, int64_t unix_ms) {
  auto t = to_local(zone, unix_ms);
  if (!t) return t.error();
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", t->year, t->month, t->day, t->hour, t->minute);
  return std::string(buf);
}

Result<int64_t> next_local_time(std::string_view zone, int64_t now_ms, int hour, int minute) {
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59)
    return make_error(Code::invalid_argument, "time of day: hours 0-23, minutes 0-59");
  auto now_off = utc_offset_minutes(zone, now_ms);
  if (!now_off) return now_off.error();
  int64_t local_now = now_ms + int64_t{*now_off} * 60000;
  int64_t day = floor_div(local_now, 86400000);
  for (int64_t d = day; d <= day + 1; ++d) {
    int64_t local = d * 86400000 + (int64_t{hour} * 60 + minute) * 60000;
    // The offset at the target instant (not now's): the evening may be across a DST change.
    auto guess = utc_offset_minutes(zone, local - int64_t{*now_off} * 60000);
    if (!guess) return guess.error();
    int64_t utc = local - int64_t{*guess} * 60000;
    if (utc >= now_ms) return utc;
  }
  return make_error(Code::internal, "no such local time within a day");
}

// ---- Cells -------------------------------------------------------------------------------------
void append_row(std::string& out, const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) out += ',';
    out += cells[i];
  }
  out += "\r\n";
}

std::string text_cell(std::string_view s) {
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'))
    return csv_quote("'" + std::string(s));
  return csv_quote(s);
}

std::string number_cell(double v, int decimals) {
  if (!std::isfinite(v)) return {};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

std::string number_cell(int64_t v) { return std::to_string(v); }

// ---- VAN ------------------------------------------------------------------------------------------
std::string_view van_result(AttemptResult r) {
  switch (r) {
    case AttemptResult::talked: return "Canvassed";
    case AttemptResult::not_home:
    case AttemptResult::come_back:
    case AttemptResult::lit_drop: return "Not Home";
    case AttemptResult::refused: return "Refused";
    case AttemptResult::moved:
    case AttemptResult::wrong_address: return "Moved";
    case AttemptResult::inaccessible: return "Inaccessible";
    case AttemptResult::deceased: return "Deceased";
  }
  return "Not Home";
}

Result<std::string> van_csv(store::Db& db, std::string_view campaign_id, ExportStats* stats) {
  auto c = store::get_campaign(db, campaign_id);
  if (!c) return c.error();
  auto qs = store::list_questions(db, campaign_id);
  if (!qs) return qs.error();
  auto attempts = store::list_attempts(db, campaign_id);
  if (!attempts) return attempts.error();
  ExportStats st;
  std::string out;
  std::vector<std::string> header = {"VAN ID", "Date Contacted", "Phone", "Canvass Result"};
  for (const auto& q : qs.value()) header.push_back(text_cell(question_header(q)));
  append_row(out, header);
  for (const auto& a : attempts.value()) {
    std::vector<Person> people;
    if (!a.person_id.empty()) {
      // Joined by campaign: an attempt never exports a person of another campaign.
      auto p = store::get_person(db, a.person_id);
      if (p && p->campaign_id == campaign_id) people.push_back(p.value());
    } else {
      auto ps = store::people_at_door(db, a.door_id);
      if (!ps) return ps.error();
      people = std::move(ps.value());
    }
    auto date = van_date(c->time_zone, a.client_ms);
    if (!date) return date.error();
    auto answers = answer_cells(qs.value(), a.answers_json);
    for (const auto& p : people) {
      if (p.do_not_contact) continue;
      if (p.van_id.empty()) {
        ++st.skipped;
        continue;
      }
      std::vector<std::string> row = {text_cell(p.van_id), date.value(), text_cell(p.phone),
                                      std::string(van_result(a.result))};
      row.insert(row.end(), answers.begin(), answers.end());
      append_row(out, row);
      ++st.rows;
    }
  }
  if (stats) *stats = st;
  return out;
}

Result<std::string> attempts_csv(store::Db& db, std::string_view campaign_id, ExportStats* stats) {
  auto c = store::get_campaign(db, campaign_id);
  if (!c) return c.error();
  auto qs = store::list_questions(db, campaign_id);
  if (!qs) return qs.error();
  auto attempts = store::list_attempts(db, campaign_id);
  if (!attempts) return attempts.error();
  ExportStats st;
  std::string out;
  std::vector<std::string> header = {"attempt_id", "local_time", "result", "door_id", "address", "person_id",
                                     "person_name", "van_id", "canvasser", "device", "client_ms", "server_ms",
                                     "lat", "lon", "accuracy_m", "distance_m", "off_turf", "notes"};
  for (const auto& q : qs.value()) header.push_back(text_cell(question_header(q)));
  append_row(out, header);
  std::map<std::string, Door> doors;
  for (const auto& a : attempts.value()) {
    auto it = doors.find(a.door_id);
    if (it == doors.end()) {
      auto d = store::get_door(db, a.door_id);
      it = doors.emplace(a.door_id, d && d->campaign_id == campaign_id ? d.value() : Door{}).first;
    }
    Person p;
    if (!a.person_id.empty())
      if (auto got = store::get_person(db, a.person_id); got && got->campaign_id == campaign_id) p = got.value();
    auto when = local_timestamp(c->time_zone, a.client_ms);
    if (!when) return when.error();
    std::vector<std::string> row = {
        text_cell(a.id),          when.value(),        std::string(to_name(a.result)),
        text_cell(a.door_id),     text_cell(it->second.address),
        text_cell(a.person_id),   text_cell(full_name(p)), text_cell(p.van_id),
        text_cell(a.canvasser),   text_cell(a.device),  number_cell(a.client_ms),
        number_cell(a.server_ms), opt_number(a.lat, 7), opt_number(a.lon, 7),
        opt_number(a.accuracy_m, 1), opt_number(a.distance_m, 1), a.off_turf ? "1" : "0",
        text_cell(a.notes)};
    auto answers = answer_cells(qs.value(), a.answers_json);
    row.insert(row.end(), answers.begin(), answers.end());
    append_row(out, row);
    ++st.rows;
  }
  if (stats) *stats = st;
  return out;
}

Result<std::string> signups_csv(store::Db& db, std::string_view campaign_id, ExportStats* stats) {
  auto c = store::get_campaign(db, campaign_id);
  if (!c) return c.error();
  auto sus = store::list_signups(db, campaign_id);
  if (!sus) return sus.error();
  ExportStats st;
  std::string out;
  std::vector<std::string> header = {"signup_id", "created", "name", "phone", "email", "pledge", "address", "person_id"};
  for (auto p : all_consent_purposes()) header.emplace_back(to_name(p));
  append_row(out, header);
  for (const auto& s : sus.value()) {
    std::string address;
    if (!s.door_id.empty())
      if (auto d = store::get_door(db, s.door_id); d && d->campaign_id == campaign_id) address = d->address;
    auto when = local_timestamp(c->time_zone, s.created_ms);
    if (!when) return when.error();
    std::vector<std::string> row = {text_cell(s.id),    when.value(),       text_cell(s.name),
                                    text_cell(s.phone), text_cell(s.email), text_cell(s.pledge),
                                    text_cell(address), text_cell(s.person_id)};
    for (auto p : all_consent_purposes()) {
      std::string cell;  // blank: never asked
      for (const auto& k : s.consents)
        if (k.purpose == p) cell = k.granted ? "yes" : "no";
      row.push_back(cell);
    }
    append_row(out, row);
    ++st.rows;
  }
  if (stats) *stats = st;
  return out;
}

Result<std::string> turfs_geojson(store::Db& db, std::string_view campaign_id, ExportStats* stats) {
  auto turfs = store::list_turfs(db, campaign_id);
  if (!turfs) return turfs.error();
  ExportStats st;
  json::Array features;
  for (const auto& t : turfs.value()) {
    auto stops = store::turf_walk_list(db, t.id);
    if (!stops) return stops.error();
    json::Value f = json::Value::object();
    f.set("type", "Feature");
    auto geom = json::parse(t.polygon_geojson);
    f.set("geometry", geom && geom->is_object() ? geom.value() : json::Value());
    json::Value props = json::Value::object();
    props.set("id", t.id);
    props.set("kind", "turf");
    props.set("name", t.name);
    props.set("status", std::string(to_name(t.status)));
    props.set("doors", stops->size());
    f.set("properties", std::move(props));
    features.push_back(std::move(f));
    ++st.rows;
    for (const auto& s : stops.value()) {
      json::Value d = json::Value::object();
      d.set("type", "Feature");
      if (s.door.lat && s.door.lon) {
        json::Value g = json::Value::object();
        g.set("type", "Point");
        g.set("coordinates", json::Array{json::Value(*s.door.lon), json::Value(*s.door.lat)});
        d.set("geometry", std::move(g));
      } else {
        d.set("geometry", json::Value());
      }
      json::Value p = json::Value::object();
      p.set("kind", "door");
      p.set("turf_id", t.id);
      p.set("position", s.position);
      p.set("door_id", s.door.id);
      p.set("address", s.door.address);
      json::Array names;
      for (const auto& person : s.people) names.emplace_back(full_name(person));
      p.set("people", json::Value(std::move(names)));
      d.set("properties", std::move(p));
      features.push_back(std::move(d));
    }
  }
  json::Value fc = json::Value::object();
  fc.set("type", "FeatureCollection");
  fc.set("features", json::Value(std::move(features)));
  if (stats) *stats = st;
  return json::dump(fc);
}

}  // namespace doorstep::exporter
