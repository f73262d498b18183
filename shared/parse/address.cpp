// US address normalisation: tokenise, then peel house number, unit, directionals and suffix
// off the ends, keeping at least one word as the street name (so "Harbor" and "Park" survive as
// names). Tables follow USPS Publication 28 (C1 suffixes, C2 unit designators).
#include "shared/parse/address.h"

#include <algorithm>
#include <unordered_map>
#include <vector>

namespace doorstep::address {

namespace {

// "ABBR PRIMARY VARIANT ..." per entry; the second word is the spelled-out form.
constexpr const char* kSuffixes[] = {
    "ALY ALLEY ALLEE ALLY", "ANX ANNEX ANEX ANNX", "ARC ARCADE", "AVE AVENUE AV AVEN AVENU AVN AVNUE",
    "BYU BAYOU BAYOO", "BCH BEACH", "BND BEND", "BLF BLUFF BLUF", "BLFS BLUFFS", "BTM BOTTOM BOT BOTTM",
    "BLVD BOULEVARD BOUL BOULV", "BR BRANCH BRNCH", "BRG BRIDGE BRDGE", "BRK BROOK", "BRKS BROOKS",
    "BG BURG", "BGS BURGS", "BYP BYPASS BYPA BYPAS BYPS", "CP CAMP CMP", "CYN CANYON CANYN CNYN",
    "CPE CAPE", "CSWY CAUSEWAY CAUSWA", "CTR CENTER CEN CENT CENTR CENTRE CNTER CNTR", "CTRS CENTERS",
    "CIR CIRCLE CIRC CIRCL CRCL CRCLE", "CIRS CIRCLES", "CLF CLIFF", "CLFS CLIFFS", "CLB CLUB",
    "CMN COMMON", "CMNS COMMONS", "COR CORNER", "CORS CORNERS", "CRSE COURSE", "CT COURT", "CTS COURTS",
    "CV COVE", "CVS COVES", "CRK CREEK", "CRES CRESCENT CRSENT CRSNT", "CRST CREST", "XING CROSSING CRSSNG",
    "XRD CROSSROAD", "XRDS CROSSROADS", "CURV CURVE", "DL DALE", "DM DAM", "DV DIVIDE DIV DVD",
    "DR DRIVE DRIV DRV", "DRS DRIVES", "EST ESTATE", "ESTS ESTATES", "EXPY EXPRESSWAY EXP EXPR EXPRESS EXPW",
    "EXT EXTENSION EXTN EXTNSN", "EXTS EXTENSIONS", "FALL FALL", "FLS FALLS", "FRY FERRY FRRY", "FLD FIELD",
    "FLDS FIELDS", "FLT FLAT", "FLTS FLATS", "FRD FORD", "FRDS FORDS", "FRST FOREST FORESTS", "FRG FORGE FORG",
    "FRGS FORGES", "FRK FORK", "FRKS FORKS", "FT FORT FRT", "FWY FREEWAY FREEWY FRWAY FRWY",
    "GDN GARDEN GARDN GRDEN GRDN", "GDNS GARDENS", "GTWY GATEWAY GATEWY GATWAY GTWAY", "GLN GLEN",
    "GLNS GLENS", "GRN GREEN", "GRNS GREENS", "GRV GROVE GROV", "GRVS GROVES", "HBR HARBOR HARB HARBR HRBOR",
    "HBRS HARBORS", "HVN HAVEN", "HTS HEIGHTS HT", "HWY HIGHWAY HIGHWY HIWAY HIWY HWAY", "HL HILL",
    "HLS HILLS", "HOLW HOLLOW HLLW HOLLOWS HOLWS", "INLT INLET", "IS ISLAND ISLND", "ISS ISLANDS ISLNDS",
    "ISLE ISLE ISLES", "JCT JUNCTION JCTION JCTN JUNCTN JUNCTON", "JCTS JUNCTIONS", "KY KEY", "KYS KEYS",
    "KNL KNOLL KNOL", "KNLS KNOLLS", "LK LAKE", "LKS LAKES", "LAND LAND", "LNDG LANDING LNDNG", "LN LANE",
    "LGT LIGHT", "LGTS LIGHTS", "LF LOAF", "LCK LOCK", "LCKS LOCKS", "LDG LODGE LDGE LODG", "LOOP LOOP LOOPS",
    "MALL MALL", "MNR MANOR", "MNRS MANORS", "MDW MEADOW", "MDWS MEADOWS MEDOWS", "MEWS MEWS", "ML MILL",
    "MLS MILLS", "MSN MISSION MISSN MSSN", "MTWY MOTORWAY", "MT MOUNT MNT", "MTN MOUNTAIN MNTAIN MNTN MOUNTIN MTIN",
    "MTNS MOUNTAINS", "NCK NECK", "ORCH ORCHARD ORCHRD", "OVAL OVAL OVL", "OPAS OVERPASS", "PARK PARK PRK PARKS",
    "PKWY PARKWAY PARKWY PKWAY PKY PARKWAYS PKWYS", "PASS PASS", "PSGE PASSAGE", "PATH PATH PATHS",
    "PIKE PIKE PIKES", "PNE PINE", "PNES PINES", "PL PLACE", "PLN PLAIN", "PLNS PLAINS", "PLZ PLAZA PLZA",
    "PT POINT", "PTS POINTS", "PRT PORT", "PRTS PORTS", "PR PRAIRIE PRR", "RADL RADIAL RAD RADIEL", "RAMP RAMP",
    "RNCH RANCH RANCHES RNCHS", "RPD RAPID", "RPDS RAPIDS", "RST REST", "RDG RIDGE RDGE", "RDGS RIDGES",
    "RIV RIVER RVR RIVR", "RD ROAD", "RDS ROADS", "RTE ROUTE", "ROW ROW", "RUE RUE", "RUN RUN", "SHL SHOAL",
    "SHLS SHOALS", "SHR SHORE SHOAR", "SHRS SHORES", "SKWY SKYWAY", "SPG SPRING SPNG SPRNG", "SPGS SPRINGS",
    "SPUR SPUR SPURS", "SQ SQUARE SQR SQRE SQU", "SQS SQUARES", "STA STATION STATN STN", "STRA STRAVENUE",
    "STRM STREAM STREME", "ST STREET STRT STR", "STS STREETS", "SMT SUMMIT SUMIT SUMITT", "TER TERRACE TERR",
    "TRWY THROUGHWAY", "TRCE TRACE TRACES", "TRAK TRACK TRACKS TRK TRKS", "TRFY TRAFFICWAY", "TRL TRAIL TRAILS TRLS",
    "TRLR TRAILER TRLRS", "TUNL TUNNEL TUNEL TUNLS TUNNELS TUNNL", "TPKE TURNPIKE TRNPK TURNPK",
    "UPAS UNDERPASS", "UN UNION", "UNS UNIONS", "VLY VALLEY VALLY VLLY", "VLYS VALLEYS", "VIA VIADUCT VDCT VIADCT",
    "VW VIEW", "VWS VIEWS", "VLG VILLAGE VILL VILLAG VILLG VILLIAGE", "VLGS VILLAGES", "VL VILLE",
    "VIS VISTA VIST VST VSTA", "WALK WALK WALKS", "WALL WALL", "WAY WAY WY", "WL WELL", "WLS WELLS"};

// Designators after which a value is required vs. those that stand alone (Pub 28 C2, '*').
constexpr const char* kUnitsWithValue[] = {
    "APT APARTMENT", "BLDG BUILDING", "DEPT DEPARTMENT", "FL FLOOR", "HNGR HANGAR", "KEY", "LOT",
    "PIER", "RM ROOM", "SLIP", "SPC SPACE", "STOP", "STE SUITE", "TRLR TRAILER", "UNIT"};
constexpr const char* kUnitsAlone[] = {"BSMT BASEMENT", "FRNT FRONT", "LBBY LOBBY", "LOWR LOWER",
                                       "OFC OFFICE", "PH PENTHOUSE", "REAR", "SIDE", "UPPR UPPER"};

struct Tables {
  std::unordered_map<std::string, std::string> suffix, suffix_word, dir, unit;
  std::unordered_map<std::string, bool> unit_alone;
  std::unordered_map<std::string, std::string> ordinal;
};

void add_entries(const char* entry, std::unordered_map<std::string, std::string>& map,
                 std::unordered_map<std::string, std::string>* primary) {
  std::string s(entry), abbr, first;
  size_t i = 0;
  int k = 0;
  while (i < s.size()) {
    size_t j = s.find(' ', i);
    if (j == std::string::npos) j = s.size();
    std::string w = s.substr(i, j - i);
    if (k == 0) abbr = w;
    if (k == 1 && primary) (*primary)[abbr] = w;
    map[w] = abbr;
    ++k;
    i = j + 1;
  }
}

const Tables& tables() {
  static const Tables t = [] {
    Tables x;
    for (const char* e : kSuffixes) add_entries(e, x.suffix, &x.suffix_word);
    for (const char* e : kUnitsWithValue) add_entries(e, x.unit, nullptr);
    for (const char* e : kUnitsAlone) {
      add_entries(e, x.unit, nullptr);
      std::string s(e);
      x.unit_alone[s.substr(0, s.find(' '))] = true;
    }
    x.unit["#"] = "#";
    const char* dirs[][2] = {{"N", "NORTH"}, {"S", "SOUTH"}, {"E", "EAST"}, {"W", "WEST"},
                             {"NE", "NORTHEAST"}, {"NW", "NORTHWEST"}, {"SE", "SOUTHEAST"}, {"SW", "SOUTHWEST"}};
    for (auto& d : dirs) {
      x.dir[d[0]] = d[0];
      x.dir[d[1]] = d[0];
    }
    const char* ord[][2] = {{"FIRST", "1ST"},   {"SECOND", "2ND"}, {"THIRD", "3RD"}, {"FOURTH", "4TH"},
                            {"FIFTH", "5TH"},   {"SIXTH", "6TH"},  {"SEVENTH", "7TH"}, {"EIGHTH", "8TH"},
                            {"NINTH", "9TH"},   {"TENTH", "10TH"}};
    for (auto& o : ord) x.ordinal[o[0]] = o[1];
    return x;
  }();
  return t;
}

std::string upper(std::string_view w) {
  std::string s(w);
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

std::string_view lookup(const std::unordered_map<std::string, std::string>& m, std::string_view w) {
  auto it = m.find(upper(w));
  return it == m.end() ? std::string_view() : std::string_view(it->second);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool has_digit(std::string_view s) {
  for (char c : s)
    if (is_digit(c)) return true;
  return false;
}

// Word-level spellings settled before any other rule looks at a word: FIFTH -> 5TH, NORTH -> N.
std::string norm_name_word(const std::string& w) {
  auto it = tables().ordinal.find(w);
  if (it != tables().ordinal.end()) return it->second;
  auto d = tables().dir.find(w);
  return d == tables().dir.end() ? w : d->second;
}

// Upper case; '.' and '\'' vanish inside words ("St." -> ST, "D'Alene" -> D ALENE keeps the
// Venice spelling "Coeur D Alene" comparable), other punctuation separates words, '#' is a word.
std::vector<std::string> tokenize(std::string_view raw) {
  std::string dotless;  // drop '.' first so no pair of bytes can meet after the word is built
  dotless.reserve(raw.size());
  for (char c : raw)
    if (c != '.') dotless += c;
  std::string_view line = dotless;
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(std::move(cur));
    cur.clear();
  };
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    unsigned char u = static_cast<unsigned char>(c);
    if (u == 0xC2 && i + 1 < line.size() && static_cast<unsigned char>(line[i + 1]) == 0xBD) {  // ½
      flush();
      out.push_back("1/2");
      ++i;
      continue;
    }
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if ((c >= 'A' && c <= 'Z') || is_digit(c) || c == '/' || c == '-' || u >= 0x80) {
      cur += c;
    } else if (c == '\'') {
      flush();
    } else if (c == '#') {
      flush();
      out.push_back("#");
    } else {
      flush();
    }
  }
  flush();
  // A dash at either end of a word is punctuation ("- Apt", "Main-").
  std::vector<std::string> clean;
  for (auto& w : out) {
    size_t a = 0, b = w.size();
    while (a < b && w[a] == '-') ++a;
    while (b > a && w[b - 1] == '-') --b;
    if (b > a) clean.push_back(norm_name_word(w.substr(a, b - a)));
  }
  return clean;
}

bool is_fraction(std::string_view w) {
  size_t s = w.find('/');
  if (s == std::string_view::npos || s == 0 || s + 1 >= w.size()) return false;
  for (size_t i = 0; i < w.size(); ++i)
    if (i != s && !is_digit(w[i])) return false;
  return true;
}

// "00123" -> "123", value 123; "123A" -> suffix A; "123-A" -> suffix A; "12-34" kept.
void set_number(Address& a, std::string_view w) {
  size_t i = 0;
  while (i < w.size() && is_digit(w[i])) ++i;
  std::string digits(w.substr(0, i));
  size_t z = 0;
  while (z + 1 < digits.size() && digits[z] == '0') ++z;
  digits = digits.substr(z);
  uint64_t v = 0;
  for (char c : digits) v = std::min<uint64_t>(v * 10 + static_cast<uint64_t>(c - '0'), 0xFFFFFFFFu);
  a.number_value = static_cast<uint32_t>(v);
  std::string_view rest = w.substr(i);
  bool dashed = false;
  while (!rest.empty() && rest[0] == '-') {
    rest.remove_prefix(1);
    dashed = true;
  }
  if (dashed && has_digit(rest)) {  // hyphenated number (Queens style): keep whole
    a.number = digits + "-" + upper(rest);
    return;
  }
  a.number = digits;
  if (!rest.empty() && is_fraction(rest)) {
    a.fraction = std::string(rest);
  } else if (!rest.empty()) {
    // ASCII letters only: a stray byte could pair with a later one into "½" when the key is read
    // again, and a digit would merge into the number ("1" + "1" -> "11"); either way the normal
    // form would not be a fixed point (fuzz_address found both).
    for (char c : upper(rest))
      if (c >= 'A' && c <= 'Z') a.number_suffix += c;
  }
}

std::string norm_unit_value(std::string_view v) {
  std::string s;
  // Unit values are ASCII letters, digits and '/' ("4B", "12", "1/2"); anything else is noise.
  for (char c : v) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if ((c >= 'A' && c <= 'Z') || is_digit(c) || c == '/') s += c;
  }
  s = norm_name_word(s);  // words joined into one may spell an ordinal: FOUR + TH
  bool numeric = !s.empty();
  for (char c : s) numeric = numeric && is_digit(c);
  if (numeric) {
    size_t z = 0;
    while (z + 1 < s.size() && s[z] == '0') ++z;
    s = s.substr(z);
  }
  return s;
}

bool looks_like_unit_value(std::string_view w) {
  return has_digit(w) || (w.size() == 1 && w[0] >= 'A' && w[0] <= 'Z') || w == "#";
}


std::string join(const std::vector<std::string>& v, size_t a, size_t b, const char* sep = " ") {
  std::string s;
  for (size_t i = a; i < b; ++i) {
    if (!s.empty()) s += sep;
    s += v[i];
  }
  return s;
}

// Street words (no number) -> predir, name, type, postdir, unit.
void parse_street_tokens(Address& a, std::vector<std::string> t) {
  const Tables& tb = tables();
  while (!t.empty() && t.front() == "#") t.erase(t.begin());  // "12 # Main": no unit before a street
  while (!t.empty() && t.back() == "#") t.pop_back();          // a '#' with no unit after it
  // Unit: an explicit designator after at least one street word; '#' anywhere after it.
  for (size_t i = 1; i < t.size(); ++i) {
    auto it = tb.unit.find(t[i]);
    if (it == tb.unit.end()) continue;
    bool alone = tb.unit_alone.count(it->second) > 0;
    bool value_follows = i + 1 < t.size() && looks_like_unit_value(t[i + 1]);
    bool ok = false;
    if (it->second == "#") {
      ok = i + 1 < t.size();
    } else if (!alone) {
      ok = value_follows;
    } else {
      // FRONT, REAR... only right after a suffix or directional, so "Ocean Front" stays a name.
      ok = i + 1 == t.size() && i >= 2 && (tb.suffix.count(t[i - 1]) || tb.dir.count(t[i - 1]));
    }
    if (!ok) continue;
    std::string v = join(t, i + 1, t.size(), "");
    std::string value = alone && v.empty() ? it->second : norm_unit_value(v);
    if (value.empty()) continue;  // "# ." is no unit
    a.unit_type = it->second;
    a.unit = value;
    t.resize(i);
    // "Apt Apt 4", "Apt # 4": a repeated designator or '#' before the unit is noise.
    while (t.size() > 1) {
      auto d = tb.unit.find(t.back());
      if (d == tb.unit.end() || (d->second != "#" && d->second != a.unit_type)) break;
      t.pop_back();
    }
    break;
  }
  // A bare trailing value after a suffix: "123 Main St 4B".
  if (a.unit.empty() && t.size() >= 3 && has_digit(t.back()) && tb.suffix.count(t[t.size() - 2])) {
    a.unit_type = "#";
    a.unit = norm_unit_value(t.back());
    t.pop_back();
  }
  size_t b = 0, e = t.size();
  if (e - b >= 2) {
    auto d = tb.dir.find(t[e - 1]);
    if (d != tb.dir.end()) {
      a.postdir = d->second;
      --e;
    }
  }
  if (e - b >= 2) {
    auto s = tb.suffix.find(t[e - 1]);
    if (s != tb.suffix.end()) {
      a.type = s->second;
      --e;
    }
  }
  if (e - b >= 2) {
    auto d = tb.dir.find(t[b]);
    if (d != tb.dir.end()) {
      a.predir = d->second;
      ++b;
    }
  }
  std::vector<std::string> name;
  for (size_t i = b; i < e; ++i) name.push_back(t[i]);
  a.name = join(name, 0, name.size());
}

void append(std::string& s, std::string_view part) {
  if (part.empty()) return;
  if (!s.empty()) s += ' ';
  s += part;
}

}  // namespace

std::string_view street_type(std::string_view word) { return lookup(tables().suffix, word); }
std::string_view street_type_word(std::string_view abbr) { return lookup(tables().suffix_word, abbr); }
std::string_view directional(std::string_view word) { return lookup(tables().dir, word); }
std::string_view unit_designator(std::string_view word) { return lookup(tables().unit, word); }

Parity Address::parity() const {
  if (number.empty()) return Parity::none;
  return number_value % 2 ? Parity::odd : Parity::even;
}

std::string Address::building_key() const {
  std::string s = number;
  append(s, fraction);
  s += number_suffix;  // attached: 123A
  append(s, predir);
  append(s, name);
  append(s, type);
  append(s, postdir);
  return s;
}

std::string Address::door_key() const {
  std::string s = building_key();
  if (!unit.empty()) append(s, "#" + unit);
  return s;
}

std::string Address::street_key() const {
  std::string s;
  append(s, predir);
  append(s, name);
  append(s, type);
  append(s, postdir);
  return s;
}

std::string Address::loose_street_key() const {
  std::string s;
  append(s, predir);
  append(s, name);
  append(s, postdir);
  return s;
}

std::string Address::loose_building_key() const {
  std::string s = number;
  append(s, fraction);
  s += number_suffix;
  append(s, loose_street_key());
  return s;
}

std::string Address::line() const {
  std::string s = building_key();
  if (!unit.empty()) {
    append(s, unit_type == "#" || unit_type.empty() ? "#" : unit_type);
    if (unit != unit_type) append(s, unit);
  }
  return s;
}

Address parse(std::string_view line) {
  Address a;
  std::vector<std::string> t = tokenize(line);
  size_t i = 0;
  if (i < t.size() && is_digit(t[i][0])) {
    set_number(a, t[i]);
    ++i;
    while (i < t.size() && t[i] == "#") ++i;
    if (i < t.size() && is_fraction(t[i]) && a.fraction.empty() && a.number_suffix.empty() &&
        a.number.find('-') == std::string::npos)
      a.fraction = t[i++];
    while (i < t.size() && t[i] == "#") ++i;  // "12 # Main": no unit before a street
    // "123 B Main St": a lone letter that is not a directional, with street words after it.
    if (i + 1 < t.size() && a.number_suffix.empty() && a.fraction.empty() && a.number.find('-') == std::string::npos &&
        t[i].size() == 1 && t[i][0] >= 'A' && t[i][0] <= 'Z' && !tables().dir.count(t[i]) &&
        !tables().unit.count(t[i + 1]))
      a.number_suffix = t[i++];
  }
  parse_street_tokens(a, std::vector<std::string>(t.begin() + static_cast<long>(i), t.end()));
  return a;
}

Address parse_street(std::string_view number, std::string_view street, std::string_view unit) {
  Address a = parse(std::string(number) + " " + std::string(street));
  if (!unit.empty() && a.unit.empty()) {
    std::vector<std::string> u = tokenize(unit);
    if (!u.empty() && tables().unit.count(u[0]) && u.size() > 1) {
      a.unit_type = tables().unit.at(u[0]);
      a.unit = norm_unit_value(join(u, 1, u.size(), ""));
    } else {
      a.unit_type = "#";
      a.unit = norm_unit_value(join(u, 0, u.size(), ""));
    }
    if (a.unit.empty()) a.unit_type.clear();
  }
  return a;
}

Address from_parts(const Parts& p) {
  Address a;
  std::vector<std::string> num = tokenize(p.number);
  if (!num.empty() && is_digit(num[0][0])) {
    set_number(a, num[0]);
    if (num.size() > 1 && is_fraction(num[1])) a.fraction = num[1];
  }
  std::vector<std::string> fr = tokenize(p.fraction);
  if (!fr.empty() && is_fraction(fr[0])) a.fraction = fr[0];
  std::string sfx = norm_unit_value(p.number_suffix);  // same cleaning: drop '-', spaces
  if (!sfx.empty()) a.number_suffix = sfx;
  auto dir = [](std::string_view w) {
    std::string u = upper(w);
    std::string_view d = directional(u);
    return d.empty() ? join(tokenize(u), 0, tokenize(u).size()) : std::string(d);
  };
  a.predir = dir(p.predir);
  a.postdir = dir(p.postdir);
  std::vector<std::string> nm = tokenize(p.name);
  std::vector<std::string> ty = tokenize(p.type);
  if (!ty.empty()) {
    std::string_view s = street_type(ty[0]);
    a.type = s.empty() ? join(ty, 0, ty.size()) : std::string(s);
  } else if (nm.size() >= 2 && tables().suffix.count(nm.back())) {
    // Files that leave StreetType empty often put it in the name: "WALGROVE AVE".
    a.type = tables().suffix.at(nm.back());
    nm.pop_back();
  }
  a.name = join(nm, 0, nm.size());
  a.unit = norm_unit_value(p.unit);
  if (!a.unit.empty()) {
    std::vector<std::string> ut = tokenize(p.unit_type);
    std::string_view d = ut.empty() ? std::string_view() : unit_designator(ut[0]);
    a.unit_type = !d.empty() ? std::string(d) : ut.empty() ? std::string("#") : join(ut, 0, ut.size());
  }
  return a;
}

}  // namespace doorstep::address
