// libFuzzer target for shared/csv: arbitrary bytes under options chosen by the first byte.
// Checks invariants, not just crashes: any chunking gives the same header, rows and issues;
// every field is valid UTF-8; rows are numbered 1..n; a clean RFC 4180 parse survives a
// write-then-read round trip.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "shared/base/utf8.h"
#include "shared/parse/csv.h"

using namespace doorstep;

namespace {

struct Out {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> issues;
  bool ok = true;
  char delim = 0;
  bool quoting = false;
};

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_csv invariant broken: %s\n", what);
  __builtin_trap();
}

Out run(std::string_view data, const csv::Options& o, size_t chunk, size_t stride) {
  Out out;
  csv::Reader r(o);
  auto on_row = [&](const csv::Row& row) {
    if (row.number != out.rows.size() + 1) fail("row numbers not consecutive");
    std::vector<std::string> f;
    for (auto v : row.fields) {
      if (!utf8::valid(v)) fail("field not UTF-8");
      f.emplace_back(v);
    }
    out.rows.push_back(std::move(f));
  };
  size_t i = 0, k = 0;
  while (i < data.size() && out.ok) {
    size_t n = chunk + (k++ * stride) % 7;  // uneven chunk sizes
    if (!r.feed(data.substr(i, n), on_row).ok()) out.ok = false;
    i += n;
  }
  if (out.ok && !r.finish(on_row).ok()) out.ok = false;
  out.header = r.header();
  for (auto& is : r.issues())
    out.issues.push_back(std::string(csv::issue_kind_name(is.kind)) + ":" + std::to_string(is.row) + ":" +
                         std::to_string(is.column));
  out.delim = r.delimiter();
  out.quoting = r.quoting();
  return out;
}

std::string quote_all(const std::vector<std::string>& row, char delim) {
  std::string s;
  for (size_t i = 0; i < row.size(); ++i) {
    if (i) s += delim;
    s += '"';
    for (char c : row[i]) {
      if (c == '"') s += '"';
      s += c;
    }
    s += '"';
  }
  s += "\r\n";
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  uint8_t sel = data[0];
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  csv::Options o;
  static const char kDelims[] = {0, ',', '\t', ';'};
  o.delimiter = kDelims[sel & 3];
  o.quoting = (sel >> 2) & 1 ? csv::Quoting::auto_detect : ((sel >> 3) & 1 ? csv::Quoting::none : csv::Quoting::rfc4180);
  o.header = (sel >> 4) & 1;
  o.encoding = (sel >> 5) & 1 ? csv::Encoding::windows1252 : csv::Encoding::auto_detect;
  o.max_row_bytes = 4096;
  o.max_fields = 256;

  Out whole = run(text, o, text.size() + 1, 0);
  for (size_t chunk : {size_t(1), size_t(2), size_t(3), size_t(64) + (sel >> 6)}) {
    Out part = run(text, o, chunk, chunk + 1);
    if (part.ok != whole.ok) fail("chunking changed success");
    if (!whole.ok) continue;  // after a fatal error the delivered prefix may differ by chunking
    if (part.rows != whole.rows) fail("chunking changed rows");
    if (part.header != whole.header) fail("chunking changed header");
    if (part.issues != whole.issues) fail("chunking changed issues");
  }
  // Round trip: rows written back with every field quoted read back the same.
  if (whole.ok && whole.quoting && whole.issues.empty() && !whole.rows.empty() && o.header) {
    std::string again = quote_all(whole.header, whole.delim);
    for (auto& r : whole.rows) again += quote_all(r, whole.delim);
    csv::Options o2 = o;
    o2.delimiter = whole.delim;
    o2.quoting = csv::Quoting::rfc4180;
    o2.encoding = csv::Encoding::auto_detect;
    o2.max_row_bytes = 1 << 20;
    Out back = run(again, o2, 5, 3);
    if (!back.ok || back.rows != whole.rows || back.header != whole.header) fail("round trip changed rows");
  }
  return 0;
}
