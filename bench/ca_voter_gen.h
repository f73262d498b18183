// Deterministic generator of a California-statewide-format voter file (tab-separated, all 61
// VRD columns, header row) for the CSV benchmarks, shared by the native bench and the wasm one so
// both parse identical bytes. Leaves out realism beyond plausible field lengths; no quotes at all.
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>

namespace bench {

struct GenStats {
  uint64_t rows = 0, bytes = 0, quotes = 0;
};

inline const char* ca_header() {
  return "CountyCode\tRegistrantID\tExtractDate\tLastName\tFirstName\tMiddleName\tSuffix\tAddressNumber\t"
         "HouseFractionNumber\tAddressNumberSuffix\tStreetDirPrefix\tStreetName\tStreetType\tStreetDirSuffix\t"
         "UnitType\tUnitNumber\tCity\tState\tZip\tPhone1Area\tPhone1Exchange\tPhone1NumberPart\tPhone2Area\t"
         "Phone2Exchange\tPhone2NumberPart\tPhone3Area\tPhone3Exchange\tPhone3NumberPart\tPhone4Area\t"
         "Phone4Exchange\tPhone4NumberPart\tEmail\tMailingAddressLine1\tMailingAddressLine2\t"
         "MailingAddressLine3\tMailingCity\tMailingState\tMailingZip5\tMailingCountry\tLanguage\tDOB\tGender\t"
         "PartyCode\tStatus\tRegistrationDate\tPrecinct\tPrecinctNumber\tRegistrationMethodCode\tPlaceOfBirth\t"
         "NamePrefix\tNonStandardAddress\tVoterStatusReasonCodeDesc\tAssistanceRequestFlag\tVbmVoterType\t"
         "EmsVoterId\tPrecinctId\tUSCongressionalDistrict\tStateSenate\tStateAssembly\tMunicipality\t"
         "CountySupervisoral\n";
}

// Appends rows [first, first+count) to out; row i is a pure function of i.
inline void ca_rows(uint64_t first, uint64_t count, std::string& out) {
  static const char* last[] = {"GARCIA", "SMITH", "NGUYEN", "KIM", "LOPEZ", "JOHNSON", "HERNANDEZ", "LEE",
                               "MARTINEZ", "BROWN", "PARK", "DAVIS", "RODRIGUEZ", "WILSON", "CHEN", "MORALES"};
  static const char* first_n[] = {"MARIA", "JAMES", "LINH", "JOSE", "SARAH", "DAVID", "ANA", "MIN",
                                  "ROBERT", "SOFIA", "JOHN", "ELENA", "KEVIN", "ROSA", "ANNA", "LUIS"};
  static const char* street[] = {"WALGROVE", "VENICE", "ROSE", "ABBOT KINNEY", "PACIFIC", "INDIANA",
                                 "BROOKS", "PENMAR", "SUNSET", "VERNON", "LINCOLN", "MAIN", "CALIFORNIA",
                                 "PALMS", "WASHINGTON", "OCEAN FRONT"};
  static const char* type[] = {"AVE", "BLVD", "AVE", "BLVD", "AVE", "AVE", "AVE", "AVE",
                               "AVE", "AVE", "BLVD", "ST", "AVE", "BLVD", "BLVD", "WALK"};
  static const char* middle[] = {"A", "B", "C", "D", "E", "J", "L", "M"};
  static const char* party[] = {"DEM", "DEM", "DEM", "REP", "NPP", "NPP", "GRN", "LIB"};
  char tmp[512];
  for (uint64_t i = first; i < first + count; ++i) {
    uint64_t h = i * 0x9E3779B97F4A7C15ull;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 32;
    unsigned s = static_cast<unsigned>(h % 16);
    bool apt = (h >> 8) % 5 == 0;
    bool phone = (h >> 12) % 5 == 0;
    bool spanish = (h >> 14) % 5 == 0;
    bool half = (h >> 16) % 40 == 0;
    int n = std::snprintf(
        tmp, sizeof tmp,
        "19\t%llu\t20261101\t%s\t%s\t%s\t\t%u\t%s\t\t\t%s\t%s\t\t%s\t%s\tVENICE\tCA\t9029%u\t%s\t%s\t%s\t"
        "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t%s\t19%02u%02u%02u\t%c\t%s\tA\t20%02u0%u15\t%u\t\t\t\t\t\t\t\t\t\t\t\t"
        "\t\t\t\n",
        static_cast<unsigned long long>(10000000 + i), last[(h >> 20) % 16], first_n[(h >> 24) % 16],
        (h >> 28) % 4 == 0 ? middle[(h >> 30) % 8] : "", static_cast<unsigned>(100 + (h >> 32) % 2900),
        half ? "1/2" : "", street[s], type[s], apt ? "APT" : "",
        apt ? std::to_string(1 + (h >> 36) % 30).c_str() : "", static_cast<unsigned>((h >> 40) % 2),
        phone ? "310" : "", phone ? "555" : "", phone ? std::to_string(1000 + (h >> 44) % 9000).c_str() : "",
        spanish ? "SPA" : "", static_cast<unsigned>(30 + (h >> 48) % 70), static_cast<unsigned>(1 + (h >> 52) % 12),
        static_cast<unsigned>(1 + (h >> 56) % 28), (h >> 60) % 2 ? 'F' : 'M', party[(h >> 5) % 8],
        static_cast<unsigned>((h >> 9) % 25), static_cast<unsigned>(1 + (h >> 13) % 9),
        static_cast<unsigned>(9000 + (h >> 17) % 900));
    out.append(tmp, static_cast<size_t>(n));
  }
}

// The same text as CSV with every non-numeric field quoted (as many exporters write it), CRLF.
// Converts whole lines of tab-separated text, which never contains quotes or commas itself.
inline void tsv_to_quoted_csv(const std::string& tsv, std::string& out) {
  size_t start = 0;
  bool first_field = true;
  for (size_t i = 0; i <= tsv.size(); ++i) {
    char c = i < tsv.size() ? tsv[i] : '\n';
    if (c != '\t' && c != '\n') continue;
    if (i == tsv.size() && start == i) break;
    bool numeric = true;
    for (size_t k = start; k < i; ++k) numeric = numeric && tsv[k] >= '0' && tsv[k] <= '9';
    if (!first_field) out += ',';
    if (numeric) {
      out.append(tsv, start, i - start);
    } else {
      out += '"';
      out.append(tsv, start, i - start);
      out += '"';
    }
    first_field = c == '\n';
    if (c == '\n') out += "\r\n";
    start = i + 1;
  }
}

inline GenStats write_ca_voter_file(const std::string& path, uint64_t rows) {
  GenStats g;
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return g;
  std::string buf = ca_header();
  for (uint64_t i = 0; i < rows; i += 8192) {
    uint64_t n = rows - i < 8192 ? rows - i : 8192;
    ca_rows(i, n, buf);
    std::fwrite(buf.data(), 1, buf.size(), f);
    g.bytes += buf.size();
    for (char c : buf) g.quotes += c == '"';
    buf.clear();
  }
  std::fclose(f);
  g.rows = rows;
  return g;
}

}  // namespace bench
