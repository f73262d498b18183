// Streaming CSV/TSV reader for voter files and address points: feed byte chunks of any size, pull
// rows as string_views into one reusable buffer (never the whole file, no per-field allocation).
// Leaves out writing CSV, type conversion and column mapping (the importer's presets do that).
//
// Rules: RFC 4180 quoting in CSV mode (a quote inside an unquoted field is literal and
// reported), a header row whose quote never closes is a fatal error (it would swallow the file),
// no quoting at all in TSV mode, CRLF/LF/CR line ends, a UTF-8 BOM is dropped, the delimiter is
// detected from the header line unless given. Rows and columns count from 1; row 1 is the first
// data row after the header (the header is row 0). Blank lines are skipped and counted. Ragged
// rows are still delivered and reported with row and column.
//
// Encoding: the input is validated as UTF-8 while it streams. At the first invalid byte the reader
// reports an `encoding` warning and decodes that byte and everything after it as Windows-1252
// (transcoded to UTF-8), so the rows handed out are always valid UTF-8. Rows delivered before the
// first invalid byte were valid UTF-8 and stay as they were; a caller that wants one decoding for
// the whole file re-reads it with Options::encoding = windows1252 (the warning names the row).
// Deciding per file up front would mean holding the whole file, which the reader never does.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/result.h"

namespace doorstep::csv {

// auto_detect and utf8 behave alike (UTF-8 with the fallback above); windows1252 forces it.
enum class Encoding : uint8_t { auto_detect, utf8, windows1252 };
enum class Quoting : uint8_t { auto_detect, rfc4180, none };  // auto: none for tab, rfc4180 otherwise

struct Options {
  char delimiter = 0;  // 0: detect from the header line (tab, comma, semicolon, pipe; comma if none)
  Quoting quoting = Quoting::auto_detect;
  Encoding encoding = Encoding::auto_detect;
  bool header = true;                     // first row names the columns (row 0)
  size_t max_row_bytes = 16u << 20;       // a longer row (e.g. a runaway quote) is a fatal error
  size_t max_fields = 8192;
  size_t max_issues_kept = 100000;        // beyond this only the counts grow (issues_total())
};

// What went wrong in one row. Stable names (issue_kind_name) travel into import reports.
enum class IssueKind : uint8_t {
  ragged_row,          // column = first missing column, or first extra column
  stray_quote,         // text after a closing quote; kept literally
  unterminated_quote,  // quote still open at end of input; the field runs to the end
  encoding,            // first byte that is not UTF-8; decoding switched to Windows-1252
  bare_quote,          // a quote inside an unquoted field (4"5); kept literally
};
std::string_view issue_kind_name(IssueKind k);

struct Issue {
  uint64_t row = 0;     // data row (1 = first after header; 0 = header)
  uint32_t column = 0;  // 1-based; 0 when the issue concerns no column
  IssueKind kind = IssueKind::ragged_row;
  std::string message;
};

struct Row {
  uint64_t number = 0;  // data row number (0 for the header row)
  uint64_t line = 0;    // physical line (1-based) where the row starts, for messages
  std::span<const std::string_view> fields;
  size_t size() const { return fields.size(); }
  std::string_view operator[](size_t i) const { return i < fields.size() ? fields[i] : std::string_view(); }
};

struct Stats {
  uint64_t bytes_in = 0;       // raw bytes fed
  uint64_t rows = 0;           // data rows delivered
  uint64_t fields = 0;
  uint64_t quoted_fields = 0;
  uint64_t blank_lines = 0;
  uint64_t transcoded_bytes = 0;  // input bytes decoded as Windows-1252
};

class Reader {
 public:
  explicit Reader(Options opts = {});

  // Pull API: push() bytes, then call next() until it returns false; after close(), next()
  // drains the last row. Views in a Row stay valid until the next push/next/close call.
  // push() fails (too_large / invalid_argument) when a row breaks a limit; the reader is then
  // unusable, since nothing after the bad row can be framed reliably.
  Status push(std::string_view bytes);
  void close();
  bool next(Row& out);

  // Push API: feed a chunk and receive every row it completes (the header is not delivered).
  Status feed(std::string_view bytes, const std::function<void(const Row&)>& on_row);
  Status finish(const std::function<void(const Row&)>& on_row);

  // Valid once the header row has been read (or the first row, when Options::header is false).
  const std::vector<std::string>& header() const { return header_; }
  bool has_header() const { return header_done_; }
  char delimiter() const { return delim_; }
  bool quoting() const { return quoting_; }
  Encoding encoding() const { return enc_; }  // utf8 or windows1252 once known
  const std::vector<Issue>& issues() const { return issues_; }
  uint64_t issues_total() const { return issues_total_; }
  const Stats& stats() const { return stats_; }
  const Status& error() const { return error_; }

 private:
  void append_utf8(const char* p, size_t n);
  void append_cp1252(const char* p, size_t n);
  void ingest(const char* p, size_t n);
  bool detect_dialect();
  bool parse_row();  // one row from pos_; false when more input is needed
  uint64_t special_mask(size_t block) const;
  uint64_t mask_from(size_t from);
  size_t next_quote(size_t from, uint64_t& lines);
  [[gnu::noinline]] bool grow_fields(size_t n);
  void add_issue(uint64_t row, uint32_t col, IssueKind k, std::string msg);
  bool deliver(Row& out);

  Options opts_;
  std::string buf_;        // decoded UTF-8, bytes [pos_, len_) unread; 64 zero bytes of slack after len_
  size_t len_ = 0;
  size_t pos_ = 0;
  bool closed_ = false;
  bool started_ = false;   // BOM handled and dialect fixed
  bool bom_done_ = false;
  size_t hdr_scan_ = 0;     // header line searched up to here (delimiter detection)
  char delim_ = 0;
  bool quoting_ = true;
  Encoding enc_ = Encoding::auto_detect;
  bool switched_ = false;  // auto mode fell back to Windows-1252
  char carry_[4] = {};     // an incomplete UTF-8 sequence at the end of the last push
  size_t carry_n_ = 0;
  size_t retry_at_ = 0;    // do not re-scan an incomplete row before len_ reaches this
  uint64_t line_ = 1;
  uint64_t row_no_ = 0;
  bool header_done_ = false;
  bool pending_switch_issue_ = false;
  uint64_t switch_offset_ = 0;  // input byte offset of the first invalid byte
  size_t switch_pos_ = 0;       // the same place in buf_
  std::vector<std::string> header_;
  std::vector<std::string_view> fields_;  // [0, nfields_) is the current row
  size_t nfields_ = 0;
  static constexpr size_t kNoBlock = ~static_cast<size_t>(0);
  size_t blk_ = kNoBlock;  // start of the 64-byte block whose special-byte mask is in mask_
  uint64_t mask_ = 0;
  std::vector<uint32_t> unescape_;  // field indexes needing "" -> " in place
  std::vector<Issue> issues_;
  uint64_t issues_total_ = 0;
  Stats stats_;
  Status error_;
  // Row framing results of the last parse_row().
  uint64_t row_line_ = 0;
  bool row_stray_ = false;
  uint32_t row_stray_col_ = 0;
  bool row_unterminated_ = false;
  uint32_t row_unterminated_col_ = 0;
  bool row_bare_ = false;
  uint32_t row_bare_col_ = 0;
};

// Reads a whole file in 1 MiB chunks through a Reader. on_row gets every data row.
Result<Stats> read_file(const std::string& path, const Options& opts,
                        const std::function<void(const Reader&, const Row&)>& on_row,
                        std::vector<Issue>* issues = nullptr);

}  // namespace doorstep::csv
