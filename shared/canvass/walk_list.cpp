// The walk list's rows, search and door language (see walk_list.h).
#include "shared/canvass/walk_list.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace doorstep::canvass::walk_list {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool digit(char c) { return c >= '0' && c <= '9'; }

std::string trim(std::string s) {
  size_t b = s.find_first_not_of(" ,#"), e = s.find_last_not_of(" ,#");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == ',') {
      if (!cur.empty()) out.push_back(lower(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(lower(cur));
  return out;
}

// "zh-TW" -> {"zh", "hant"}: the language and its script, the script implied by the region for
// Chinese (the two written forms are what a reader needs; regions do not matter for the others).
std::pair<std::string, std::string> lang_script(std::string_view tag) {
  std::string t = lower(tag);
  for (char& c : t)
    if (c == '_') c = '-';
  size_t dash = t.find('-');
  std::string lang = t.substr(0, dash), script;
  // Other codes for the same written language: Filipino is written as Tagalog (a phone set to
  // Filipino says "fil-PH"), Cantonese speakers read Traditional Chinese ("yue-HK").
  if (lang == "fil") lang = "tl";
  const bool cantonese = lang == "yue";
  if (cantonese) lang = "zh";
  while (dash != std::string::npos) {
    size_t next = t.find('-', dash + 1);
    std::string sub = t.substr(dash + 1, next == std::string::npos ? std::string::npos : next - dash - 1);
    if (sub.size() == 4) script = sub;
    else if (lang == "zh" && script.empty() && (sub == "tw" || sub == "hk" || sub == "mo")) script = "hant";
    else if (lang == "zh" && script.empty() && (sub == "cn" || sub == "sg")) script = "hans";
    dash = next;
  }
  if (cantonese && script.empty()) script = "hant";
  return {lang, script};
}

}  // namespace

int floor_of(std::string_view unit) {
  size_t i = 0;
  while (i < unit.size() && !digit(unit[i])) ++i;  // "#", "Apt ", "Unit "
  std::string p = trim(lower(unit.substr(0, i)));
  if (!p.empty() && p != "apt" && p != "unit" && p != "ste" && p != "suite" && p != "apt." && p != "no." && p != "rm")
    return -1;
  size_t j = i;
  while (j < unit.size() && digit(unit[j])) ++j;
  if (j != unit.size()) return -1;  // "12A", "3-B": no floor from these
  size_t n = j - i;
  if (n != 3 && n != 4) return -1;
  int v = 0;
  for (size_t k = i; k < j - 2; ++k) v = v * 10 + (unit[k] - '0');
  return v;
}

std::string building_address(const PackageDoor& d) {
  std::string a = d.address;
  if (d.unit.empty()) return a;
  // The display address ends with the unit ("... Apt 2", "... #2", "... 2"): cut it and its word.
  if (a.size() > d.unit.size() && lower(a.substr(a.size() - d.unit.size())) == lower(d.unit)) {
    std::string rest = trim(a.substr(0, a.size() - d.unit.size()));
    std::vector<std::string> w = words(rest);
    if (!w.empty() && (w.back() == "apt" || w.back() == "unit" || w.back() == "ste" || w.back() == "suite" ||
                       w.back() == "apt." || w.back() == "#" || w.back() == "no.")) {
      size_t cut = lower(rest).rfind(w.back());
      rest = trim(rest.substr(0, cut));
    }
    if (!rest.empty()) return rest;
  }
  return a;
}

std::string street_of(const PackageDoor& d) {
  std::string a = building_address(d);
  size_t i = 0;
  if (i < a.size() && digit(a[i])) {
    while (i < a.size() && a[i] != ' ') ++i;  // "1319", "12A"
    while (i < a.size() && a[i] == ' ') ++i;
    if (a.compare(i, 3, "1/2") == 0) i += 3;  // "1319 1/2 Walgrove Ave"
    std::string s = trim(a.substr(i));
    if (!s.empty()) return s;
  }
  return a;
}

std::vector<Row> rows(const Package& p, const std::vector<int>& order, const std::vector<bool>& shown) {
  std::vector<int> list;
  for (int i : order)
    if (i >= 0 && static_cast<size_t>(i) < p.doors.size() && (shown.empty() || (static_cast<size_t>(i) < shown.size() && shown[i])))
      list.push_back(i);
  std::vector<Row> out;
  std::string street;
  auto building_of = [&](int i) {
    const auto& d = p.doors[i];
    return d.building_id.empty() ? "addr:" + lower(building_address(d)) : d.building_id;
  };
  for (size_t k = 0; k < list.size();) {
    const PackageDoor& d = p.doors[list[k]];
    std::string s = street_of(d);
    if (out.empty() || lower(s) != lower(street)) {
      street = s;
      out.push_back({Row::Kind::street, -1, -1, s});
    }
    // The run of doors of this building (consecutive in the visiting order).
    size_t end = k + 1;
    std::string b = building_of(list[k]);
    while (end < list.size() && building_of(list[end]) == b) ++end;
    if (end - k == 1) {
      out.push_back({Row::Kind::door, list[k], -1, ""});
      k = end;
      continue;
    }
    out.push_back({Row::Kind::building, -1, -1, building_address(d)});
    std::map<int, std::vector<int>> floors;  // floor -> doors in walk order
    std::vector<int> others;
    for (size_t m = k; m < end; ++m) {
      int f = floor_of(p.doors[list[m]].unit);
      if (f >= 0) floors[f].push_back(list[m]);
      else others.push_back(list[m]);
    }
    if (floors.empty()) {
      // No floors to tell: the building's doors as they are walked.
      for (int i : others) out.push_back({Row::Kind::door, i, -1, ""});
    } else {
      for (auto& [f, doors] : floors) {
        out.push_back({Row::Kind::floor, -1, f, ""});
        for (int i : doors) out.push_back({Row::Kind::door, i, -1, ""});
      }
      if (!others.empty()) {
        out.push_back({Row::Kind::units, -1, -1, ""});
        for (int i : others) out.push_back({Row::Kind::door, i, -1, ""});
      }
    }
    k = end;
  }
  return out;
}

bool matches(const Package& p, int door, std::string_view query) {
  if (door < 0 || static_cast<size_t>(door) >= p.doors.size()) return false;
  const PackageDoor& d = p.doors[door];
  std::string hay = lower(d.address) + " " + lower(d.unit);
  for (int pi : d.people)
    if (pi >= 0 && static_cast<size_t>(pi) < p.people.size())
      hay += " " + lower(p.people[pi].first_name) + " " + lower(p.people[pi].last_name);
  for (const std::string& w : words(query))
    if (hay.find(w) == std::string::npos) return false;
  return true;
}

std::string match_language(std::string_view wanted, const std::vector<std::string>& available) {
  if (wanted.empty()) return "";
  const auto [wl, ws] = lang_script(wanted);
  for (const auto& a : available)
    if (lower(a) == lower(wanted)) return a;
  for (const auto& a : available) {
    auto [al, as] = lang_script(a);
    if (al == wl && as == ws && !ws.empty()) return a;
  }
  for (const auto& a : available)
    if (lower(a) == wl) return a;
  for (const auto& a : available) {
    auto [al, as] = lang_script(a);
    // Another written form is no match when the reader's is known ("zh-Hant" does not serve
    // a "zh-Hans" reader better than the bare "zh" above would).
    if (al == wl && (ws.empty() || as.empty())) return a;
  }
  return "";
}

std::string pick_language(const std::vector<std::string>& phone, const std::vector<std::string>& offered,
                          std::string_view fallback) {
  for (const auto& l : phone)
    if (auto m = match_language(l, offered); !m.empty()) return m;
  return std::string(fallback);
}

std::string door_language(const Package& p, int door, int person) {
  if (door < 0 || static_cast<size_t>(door) >= p.doors.size()) return "";
  auto lang_of = [&](int pi) -> std::string {
    if (pi < 0 || static_cast<size_t>(pi) >= p.people.size()) return "";
    return match_language(p.people[pi].language, p.languages);
  };
  if (auto l = lang_of(person); !l.empty()) return l;
  for (int pi : p.doors[door].people)
    if (auto l = lang_of(pi); !l.empty()) return l;
  return "";
}

}  // namespace doorstep::canvass::walk_list
