// Tests for shared/csv: csv-spectrum conformance, quoting, line ends, BOM, TSV, ragged rows,
// encoding fallback, limits, and that chunk boundaries never change the rows.
#include <doctest/doctest.h>

#include "tests/fixtures.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "shared/base/utf8.h"
#include "shared/parse/csv.h"
#include "shared/base/json.h"

using namespace doorstep;
using Rows = std::vector<std::vector<std::string>>;

namespace {

struct Parsed {
  std::vector<std::string> header;
  Rows rows;
  std::vector<csv::Issue> issues;
  char delimiter = 0;
  csv::Encoding encoding{};
  csv::Stats stats;
  bool ok = true;
};

// Feeds `text` in chunks of `chunk` bytes (0 = all at once).
Parsed parse(std::string_view text, size_t chunk = 0, csv::Options opts = {}) {
  Parsed p;
  csv::Reader r(opts);
  auto on_row = [&](const csv::Row& row) {
    CHECK(row.number == p.rows.size() + 1);
    p.rows.emplace_back(row.fields.begin(), row.fields.end());
  };
  if (chunk == 0) chunk = text.size() + 1;
  for (size_t i = 0; i < text.size(); i += chunk) {
    if (!r.feed(text.substr(i, chunk), on_row).ok()) p.ok = false;
  }
  if (!r.finish(on_row).ok()) p.ok = false;
  p.header = r.header();
  p.issues = r.issues();
  p.delimiter = r.delimiter();
  p.encoding = r.encoding();
  p.stats = r.stats();
  return p;
}

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("csv passes csv-spectrum at every chunk size") {
  const std::string dir = std::string(DOORSTEP_SOURCE_DIR) + "/node_modules/csv-spectrum/";
  const char* names[] = {"comma_in_quotes", "empty",    "empty_crlf",   "escaped_quotes",
                         "json",            "location_coordinates",    "newlines",
                         "newlines_crlf",   "quotes_and_newlines", "simple", "simple_crlf", "utf8"};
  int passed = 0;
  for (std::string name : names) {
    CAPTURE(name);
    std::string text = slurp(dir + "csvs/" + name + ".csv");
    std::string expected_text = slurp(dir + "json/" + name + ".json");
    if (text.empty() || expected_text.empty()) {
      MESSAGE("csv-spectrum not installed under node_modules; skipped");
      return;
    }
    auto expected = json::parse(expected_text);
    REQUIRE(expected.ok());
    // Upstream's location_coordinates.json is wrong twice (csv-spectrum 2.0.0): it is a bare
    // object instead of a list of rows, and it expects phone 1234567890 while the CSV holds
    // 2095257564. We patch both in the expectation, not in the parser.
    if (expected->is_object()) *expected = json::Value(json::Array{*expected});
    for (size_t chunk : {size_t(0), size_t(1), size_t(2), size_t(3), size_t(7), size_t(64)}) {
      CAPTURE(chunk);
      Parsed p = parse(text, chunk);
      REQUIRE(p.ok);
      REQUIRE(p.rows.size() == expected->size());
      if (name == "location_coordinates") {
        // 37°36'37.8"N: the seconds sign is a bare quote in an unquoted field, kept and reported.
        REQUIRE(p.issues.size() == 1);
        CHECK(p.issues[0].kind == csv::IssueKind::bare_quote);
        CHECK(p.issues[0].column == 2);
      } else {
        CHECK(p.issues.empty());
      }
      for (size_t i = 0; i < p.rows.size(); ++i) {
        const json::Value& obj = expected->as_array()[i];
        REQUIRE(obj.size() == p.header.size());
        for (size_t c = 0; c < p.header.size(); ++c) {
          const json::Value* want = obj.find(p.header[c]);
          REQUIRE(want);
          std::string w = want->as_string();
          if (name == "location_coordinates" && p.header[c] == "Contact Phone Number") w = "2095257564";
          CHECK(p.rows[i][c] == w);
        }
      }
    }
    ++passed;
  }
  CHECK(passed == 12);
}

TEST_CASE("csv handles quoting, literal quotes and all line ends") {
  Parsed p = parse("a,b,c\r\n\"x,1\",\"he said \"\"hi\"\"\",3\r2,4\"5,6\n\"multi\r\nline\",,\"\"\n");
  REQUIRE(p.rows.size() == 3);
  CHECK(p.rows[0] == std::vector<std::string>{"x,1", "he said \"hi\"", "3"});
  CHECK(p.rows[1] == std::vector<std::string>{"2", "4\"5", "6"});  // quote inside unquoted field
  CHECK(p.rows[2] == std::vector<std::string>{"multi\r\nline", "", ""});
  CHECK(p.stats.quoted_fields == 4);
  // Kept, but no longer silently (issue 12): the bare quote is reported with its row and column.
  REQUIRE(p.issues.size() == 1);
  CHECK(p.issues[0].kind == csv::IssueKind::bare_quote);
  CHECK(p.issues[0].row == 2);
  CHECK(p.issues[0].column == 2);
}

TEST_CASE("regression: a quote error in the header row is reported, not imported as 0 rows (issue 12)") {
  for (size_t chunk : {size_t(0), size_t(1), size_t(3)}) {
    Parsed p = parse("foo,\"bar,baz\n1,2,3\n", chunk);
    CHECK_FALSE(p.ok);
    CHECK(p.rows.empty());
  }
  csv::Reader r;
  csv::Row row;
  REQUIRE(r.push("foo,\"bar,baz\n1,2,3\n").ok());
  r.close();
  CHECK_FALSE(r.next(row));
  CHECK(r.error().error().message == "csv: the header row (line 1) has a quote in column 2 that is never closed");
  // A bare quote in a header name is kept and reported as the header's (row 0).
  Parsed q = parse("na\"me,b\n1,2\n");
  CHECK(q.header == std::vector<std::string>{"na\"me", "b"});
  REQUIRE(q.issues.size() == 1);
  CHECK(q.issues[0].kind == csv::IssueKind::bare_quote);
  CHECK(q.issues[0].row == 0);
  CHECK(q.issues[0].column == 1);
}

TEST_CASE("csv drops a BOM, detects the delimiter and reads TSV without quoting") {
  Parsed p = parse("\xEF\xBB\xBFName\tStreet\n\"Ann\tMain \"St\"\n");
  CHECK(p.delimiter == '\t');
  CHECK(p.header == std::vector<std::string>{"Name", "Street"});
  REQUIRE(p.rows.size() == 1);
  CHECK(p.rows[0] == std::vector<std::string>{"\"Ann", "Main \"St\""});
  CHECK(parse("a;b;c\n1;2;3\n").delimiter == ';');
  CHECK(parse("a|b\n1|2\n").delimiter == '|');
  CHECK(parse("\"a;b\",c\n").delimiter == ',');  // delimiters inside quotes do not count
  // The BOM split across chunks is still recognised.
  Parsed q = parse("\xEF\xBB\xBFid\n7\n", 1);
  CHECK(q.header == std::vector<std::string>{"id"});
  CHECK(q.rows == Rows{{"7"}});
  // Only the first BOM is dropped, however the header line arrives (found by fuzz_csv).
  for (size_t chunk : {size_t(0), size_t(1), size_t(4)}) {
    Parsed two = parse("\xEF\xBB\xBF\xEF\xBB\xBFid\n7\n", chunk);
    CHECK(two.header == std::vector<std::string>{"\xEF\xBB\xBFid"});
  }
}

TEST_CASE("csv reports ragged rows with row and column and still delivers them") {
  Parsed p = parse("a,b,c\n1,2,3\n4,5\n\n6,7,8,9\n10,11,12");
  REQUIRE(p.rows.size() == 4);  // the blank line is skipped and counted, never a data row
  CHECK(p.stats.blank_lines == 1);
  CHECK(p.rows[1] == std::vector<std::string>{"4", "5"});
  REQUIRE(p.issues.size() == 2);
  CHECK(p.issues[0].kind == csv::IssueKind::ragged_row);
  CHECK(p.issues[0].row == 2);
  CHECK(p.issues[0].column == 3);
  CHECK(p.issues[1].row == 3);
  CHECK(p.issues[1].column == 4);
  CHECK(p.issues[1].message.find("line 5") != std::string::npos);
  CHECK(p.rows[3] == std::vector<std::string>{"10", "11", "12"});
}

TEST_CASE("csv reports stray and unterminated quotes without losing text") {
  Parsed p = parse("a,b\n\"x\"y,2\n3,\"open\nstill");
  REQUIRE(p.rows.size() == 2);
  CHECK(p.rows[0] == std::vector<std::string>{"xy", "2"});
  CHECK(p.rows[1] == std::vector<std::string>{"3", "open\nstill"});
  REQUIRE(p.issues.size() == 2);
  CHECK(p.issues[0].kind == csv::IssueKind::stray_quote);
  CHECK(p.issues[0].row == 1);
  CHECK(p.issues[0].column == 1);
  CHECK(p.issues[1].kind == csv::IssueKind::unterminated_quote);
  CHECK(p.issues[1].row == 2);
  CHECK(p.issues[1].column == 2);
}

TEST_CASE("csv falls back to Windows-1252 at the first invalid byte, at any chunking") {
  // Row 1 is valid UTF-8 (é as C3 A9); row 2 holds cp1252 bytes: 0xE9 (é), 0x93/0x94 (curly quotes).
  std::string text = "name,city\nJos\xC3\xA9,LA\nRen\xE9\x93,\x94x\n";
  for (size_t chunk : {size_t(0), size_t(1), size_t(5)}) {
    Parsed p = parse(text, chunk);
    REQUIRE(p.rows.size() == 2);
    CHECK(p.encoding == csv::Encoding::windows1252);
    CHECK(p.rows[0][0] == "Jos\xC3\xA9");                 // delivered before the switch, as UTF-8
    CHECK(p.rows[1][0] == "Ren\xC3\xA9\xE2\x80\x9C");     // é and U+201C
    CHECK(p.rows[1][1] == "\xE2\x80\x9Dx");               // U+201D
    REQUIRE(p.issues.size() == 1);
    CHECK(p.issues[0].kind == csv::IssueKind::encoding);
    CHECK(p.issues[0].row == 2);
    CHECK(p.issues[0].message.find("byte 22") != std::string::npos);
    for (auto& r : p.rows)
      for (auto& f : r) CHECK(utf8::valid(f));
  }
  // Forced Windows-1252 decodes every byte that way, with no warning.
  csv::Options o;
  o.encoding = csv::Encoding::windows1252;
  Parsed f = parse(text, 0, o);
  CHECK(f.rows[0][0] == "Jos\xC3\x83\xC2\xA9");
  CHECK(f.issues.empty());
  // A sequence cut by the end of the file is not UTF-8 either.
  Parsed cut = parse("a\nx\xC3", 1);
  CHECK(cut.rows == Rows{{"x\xC3\x83"}});
  CHECK(cut.issues.size() == 1);
}

TEST_CASE("csv gives the same rows for every chunking of a mixed file") {
  std::string text = "id,note,city\n";
  for (int i = 0; i < 300; ++i) {
    text += std::to_string(i) + ",";
    if (i % 3 == 0) text += "\"q \"\"" + std::to_string(i) + "\"\"\r\nnext\"";
    else text += "plain" + std::to_string(i);
    text += i % 5 == 0 ? ",LA\r\n" : i % 7 == 0 ? ",SF\r" : ",NY\n";
  }
  Parsed whole = parse(text);
  REQUIRE(whole.rows.size() == 300);
  CHECK(whole.rows[3][1] == "q \"3\"\r\nnext");
  for (size_t chunk : {size_t(1), size_t(2), size_t(13), size_t(63), size_t(64), size_t(65), size_t(4096)}) {
    CAPTURE(chunk);
    Parsed p = parse(text, chunk);
    CHECK(p.rows == whole.rows);
    CHECK(p.issues.size() == whole.issues.size());
  }
}

TEST_CASE("csv enforces limits instead of growing without bound") {
  csv::Options o;
  o.max_row_bytes = 1000;
  std::string text = "a,b\n1,\"" + std::string(5000, 'x');
  csv::Reader r(o);
  Status st = r.feed(text, [](const csv::Row&) {});
  CHECK_FALSE(st.ok());
  CHECK(st.error().code == Code::too_large);
  csv::Options f;
  f.max_fields = 10;
  Parsed p = parse("a\n" + std::string(20, ','), 0, f);
  CHECK_FALSE(p.ok);
}

TEST_CASE("csv read_file streams the Venice address points") {
  size_t rows = 0;
  std::string first_street;
  std::vector<csv::Issue> issues;
  auto st = csv::read_file(fixtures::path("la/venice_addresses.csv"), {},
                           [&](const csv::Reader& r, const csv::Row& row) {
                             if (rows++ == 0) first_street = std::string(row[6]);
                             CHECK(row.size() == r.header().size());
                           },
                           &issues);
  REQUIRE(st.ok());
  CHECK(rows == 13296);
  CHECK(st->rows == 13296);
  CHECK(first_street == "Walgrove");
  CHECK(issues.empty());
  CHECK_FALSE(csv::read_file("/nonexistent/x.csv", {}, [](const csv::Reader&, const csv::Row&) {}).ok());
}
