// Streaming CSV/TSV reader: UTF-8 validation/Windows-1252 fallback on the way in, then row
// framing with a 64-byte SWAR bitmask of special bytes (delimiter, CR, LF, quote). Quoted fields
// are unescaped in place, so every field is a view into the one buffer.
#include "shared/parse/csv.h"

#include "shared/base/utf8.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#elif defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace doorstep::csv {

namespace {

constexpr size_t kSlack = 64;  // zero bytes after the data so block scans never read past the end
[[maybe_unused]] constexpr uint64_t kOnes = 0x0101010101010101ull;
[[maybe_unused]] constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7Full;

// 0x80 in every byte of x equal to the byte repeated in pattern (exact: no false positives from
// borrows, unlike the classic haszero trick).
[[maybe_unused]] inline uint64_t eq_bytes(uint64_t x, uint64_t pattern) {
  uint64_t y = x ^ pattern;
  return ~(((y & kLow7) + kLow7) | y | kLow7);
}
// One bit per byte (the top bit of each), byte k -> bit k.
[[maybe_unused]] inline uint64_t movemask8(uint64_t t) { return ((t >> 7) * 0x0102040810204080ull) >> 56; }

inline unsigned ctz64(uint64_t m) { return static_cast<unsigned>(__builtin_ctzll(m)); }

// Windows-1252 0x80..0x9F; the five unassigned bytes map to the C1 controls, as WHATWG does.
constexpr uint16_t kCp1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

// Undo quoting of a raw quoted field (opening quote already skipped): "" -> ", the closing quote
// is dropped, anything after it is literal. Works in place because output never outgrows input.
size_t unquote_in_place(char* p, size_t n) {
  size_t r = 0, w = 0;
  bool in_quotes = true;
  while (r < n) {
    char c = p[r];
    if (in_quotes && c == '"') {
      if (r + 1 < n && p[r + 1] == '"') {
        p[w++] = '"';
        r += 2;
      } else {
        in_quotes = false;
        ++r;
      }
    } else {
      p[w++] = c;
      ++r;
    }
  }
  return w;
}

}  // namespace

std::string_view issue_kind_name(IssueKind k) {
  switch (k) {
    case IssueKind::ragged_row: return "ragged_row";
    case IssueKind::stray_quote: return "stray_quote";
    case IssueKind::unterminated_quote: return "unterminated_quote";
    case IssueKind::encoding: return "encoding";
    case IssueKind::bare_quote: return "bare_quote";
  }
  return "unknown";
}

Reader::Reader(Options opts) : opts_(opts) {
  enc_ = opts_.encoding == Encoding::windows1252 ? Encoding::windows1252 : Encoding::utf8;
  buf_.assign(kSlack + 4096, '\0');
  fields_.resize(64);
}

void Reader::append_utf8(const char* p, size_t n) {
  if (n == 0) return;
  if (buf_.size() < len_ + n + kSlack) buf_.resize(std::max(buf_.size() * 2, len_ + n + kSlack));
  std::memcpy(buf_.data() + len_, p, n);
  len_ += n;
}

void Reader::append_cp1252(const char* p, size_t n) {
  if (n == 0) return;
  stats_.transcoded_bytes += n;
  if (buf_.size() < len_ + 3 * n + kSlack) buf_.resize(std::max(buf_.size() * 2, len_ + 3 * n + kSlack));
  char* w = buf_.data() + len_;
  for (size_t i = 0; i < n; ++i) {
    unsigned char c = static_cast<unsigned char>(p[i]);
    uint32_t cp = c < 0x80 ? c : (c < 0xA0 ? kCp1252High[c - 0x80] : c);
    if (cp < 0x80) {
      *w++ = static_cast<char>(cp);
    } else if (cp < 0x800) {
      *w++ = static_cast<char>(0xC0 | (cp >> 6));
      *w++ = static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      *w++ = static_cast<char>(0xE0 | (cp >> 12));
      *w++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      *w++ = static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  len_ = static_cast<size_t>(w - buf_.data());
}

void Reader::ingest(const char* p, size_t n) {
  if (enc_ == Encoding::windows1252) {
    append_cp1252(p, n);
    return;
  }
  auto switch_here = [&](uint64_t input_offset) {
    enc_ = Encoding::windows1252;
    switched_ = true;
    pending_switch_issue_ = true;
    switch_offset_ = input_offset;
    switch_pos_ = len_;
  };
  // Complete a sequence cut by the previous chunk.
  if (carry_n_ > 0) {
    char tmp[8];
    std::memcpy(tmp, carry_, carry_n_);
    size_t take = std::min<size_t>(n, 4 - carry_n_);
    std::memcpy(tmp + carry_n_, p, take);
    bool partial;
    size_t v = utf8::valid_prefix(reinterpret_cast<const unsigned char*>(tmp), carry_n_ + take, &partial);
    if (v > 0) {  // the carried sequence completed; v may reach past it, consume only its bytes
      unsigned char c0 = static_cast<unsigned char>(carry_[0]);
      size_t len = c0 >= 0xF0 ? 4 : c0 >= 0xE0 ? 3 : 2;
      size_t used = len - carry_n_;
      append_utf8(tmp, len);
      p += used;
      n -= used;
      carry_n_ = 0;
    } else if (partial) {
      std::memcpy(carry_ + carry_n_, p, take);
      carry_n_ += take;
      return;
    } else {
      switch_here(stats_.bytes_in - n - carry_n_);
      size_t cn = carry_n_;
      carry_n_ = 0;
      append_cp1252(carry_, cn);
      append_cp1252(p, n);
      return;
    }
  }
  bool partial;
  size_t v = utf8::valid_prefix(reinterpret_cast<const unsigned char*>(p), n, &partial);
  append_utf8(p, v);
  if (v == n) return;
  if (partial) {
    carry_n_ = n - v;
    std::memcpy(carry_, p + v, carry_n_);
    return;
  }
  switch_here(stats_.bytes_in - (n - v));
  append_cp1252(p + v, n - v);
}

Status Reader::push(std::string_view bytes) {
  if (!error_.ok()) return error_;
  if (closed_) return make_error(Code::invalid_argument, "csv: push after close");
  // Drop consumed bytes first so memory stays bounded by one chunk plus one partial row.
  if (pos_ > 0) {
    std::memmove(buf_.data(), buf_.data() + pos_, len_ - pos_);
    len_ -= pos_;
    retry_at_ = retry_at_ > pos_ ? retry_at_ - pos_ : 0;
    switch_pos_ = switch_pos_ > pos_ ? switch_pos_ - pos_ : 0;
    hdr_scan_ = hdr_scan_ > pos_ ? hdr_scan_ - pos_ : 0;
    pos_ = 0;
  }
  stats_.bytes_in += bytes.size();
  blk_ = kNoBlock;
  ingest(bytes.data(), bytes.size());
  std::memset(buf_.data() + len_, 0, kSlack);
  return Status::Ok();
}

void Reader::close() {
  if (closed_) return;
  if (carry_n_ > 0) {  // a sequence cut by the end of the file is not UTF-8
    if (pos_ > 0) {
      std::memmove(buf_.data(), buf_.data() + pos_, len_ - pos_);
      len_ -= pos_;
      switch_pos_ = switch_pos_ > pos_ ? switch_pos_ - pos_ : 0;
      hdr_scan_ = hdr_scan_ > pos_ ? hdr_scan_ - pos_ : 0;
      pos_ = 0;
    }
    if (enc_ != Encoding::windows1252) {
      enc_ = Encoding::windows1252;
      switched_ = true;
      pending_switch_issue_ = true;
      switch_offset_ = stats_.bytes_in - carry_n_;
      switch_pos_ = len_;
    }
    size_t cn = carry_n_;
    carry_n_ = 0;
    blk_ = kNoBlock;
    append_cp1252(carry_, cn);
    std::memset(buf_.data() + len_, 0, kSlack);
  }
  closed_ = true;
}

void Reader::add_issue(uint64_t row, uint32_t col, IssueKind k, std::string msg) {
  ++issues_total_;
  if (issues_.size() < opts_.max_issues_kept) issues_.push_back(Issue{row, col, k, std::move(msg)});
}

// BOM, then delimiter and quoting from the first physical line.
bool Reader::detect_dialect() {
  static constexpr unsigned char kBom[3] = {0xEF, 0xBB, 0xBF};
  if (!bom_done_) {  // once only: a second BOM is content
    size_t avail = len_ - pos_;
    size_t cmp = std::min<size_t>(avail, 3);
    bool bom_prefix = std::memcmp(buf_.data() + pos_, kBom, cmp) == 0;
    if (bom_prefix && avail < 3 && !closed_) return false;
    if (bom_prefix && avail >= 3) pos_ += 3;
    bom_done_ = true;
  }
  if (opts_.delimiter != 0) {
    delim_ = opts_.delimiter;
  } else {
    size_t e = std::max(pos_, hdr_scan_);  // resume: 1-byte pushes stay linear
    while (e < len_ && buf_[e] != '\n' && buf_[e] != '\r') ++e;
    hdr_scan_ = e;
    if (e == len_ && !closed_) {
      if (len_ - pos_ > opts_.max_row_bytes) {
        error_ = make_error(Code::too_large, "csv: header line longer than max_row_bytes");
      }
      return false;
    }
    size_t counts[4] = {};
    static constexpr char kCands[4] = {'\t', ',', ';', '|'};
    bool inq = false;
    for (size_t i = pos_; i < e; ++i) {
      char c = buf_[i];
      if (c == '"') inq = !inq;
      if (inq) continue;
      for (int k = 0; k < 4; ++k) counts[k] += c == kCands[k];
    }
    int best = 1;  // comma when the header has a single column
    for (int k = 0; k < 4; ++k) {
      if (counts[k] > counts[best]) best = k;
    }
    delim_ = kCands[best];
  }
  quoting_ = opts_.quoting == Quoting::auto_detect ? delim_ != '\t' : opts_.quoting == Quoting::rfc4180;
  started_ = true;
  return true;
}

// One bit per byte of the 64-byte block at `block` that is the delimiter, CR, LF or (when
// quoting) '"'. Vector instructions where the compiler targets them (SSE2 on x86-64, simd128 on
// wasm with -msimd128), else 64-bit SWAR; all three give identical masks.
uint64_t Reader::special_mask(size_t block) const {
  const char* p = buf_.data() + block;
  const char q = quoting_ ? '"' : delim_;
#if defined(__SSE2__)
  const __m128i d = _mm_set1_epi8(delim_), nl = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'),
                qq = _mm_set1_epi8(q);
  uint64_t m = 0;
  for (int k = 0; k < 4; ++k) {
    __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    __m128i t = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, d), _mm_cmpeq_epi8(x, nl)),
                             _mm_or_si128(_mm_cmpeq_epi8(x, cr), _mm_cmpeq_epi8(x, qq)));
    m |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(t))) << (16 * k);
  }
  return m;
#elif defined(__wasm_simd128__)
  const v128_t d = wasm_i8x16_splat(delim_), nl = wasm_i8x16_splat('\n'), cr = wasm_i8x16_splat('\r'),
               qq = wasm_i8x16_splat(q);
  uint64_t m = 0;
  for (int k = 0; k < 4; ++k) {
    v128_t x = wasm_v128_load(p + 16 * k);
    v128_t t = wasm_v128_or(wasm_v128_or(wasm_i8x16_eq(x, d), wasm_i8x16_eq(x, nl)),
                            wasm_v128_or(wasm_i8x16_eq(x, cr), wasm_i8x16_eq(x, qq)));
    m |= static_cast<uint64_t>(wasm_i8x16_bitmask(t)) << (16 * k);
  }
  return m;
#else
  const uint64_t d = kOnes * static_cast<unsigned char>(delim_);
  const uint64_t nl = kOnes * '\n', cr = kOnes * '\r', qq = kOnes * static_cast<unsigned char>(q);
  uint64_t m = 0;
  for (int w = 0; w < 8; ++w) {
    uint64_t x;
    std::memcpy(&x, p + 8 * w, 8);
    uint64_t t = eq_bytes(x, d) | eq_bytes(x, nl) | eq_bytes(x, cr) | eq_bytes(x, qq);
    m |= movemask8(t) << (8 * w);
  }
  return m;
#endif
}

// Bits for special bytes at or after `from` within from's 64-byte block. The block's mask is
// cached across rows: in-place unquoting only rewrites bytes before pos_, which no later scan
// asks about, and push() drops the cache.
inline uint64_t Reader::mask_from(size_t from) {
  size_t bb = from & ~static_cast<size_t>(63);
  if (bb != blk_) {
    blk_ = bb;
    mask_ = special_mask(bb);
  }
  return mask_ & (~0ull << (from - bb));
}

// Out of the hot loop: more room for fields, or the max_fields error.
bool Reader::grow_fields(size_t n) {
  if (n >= opts_.max_fields) {
    error_ = make_error(Code::too_large, "csv: row " + std::to_string(row_no_ + 1) + " has more than " +
                                             std::to_string(opts_.max_fields) + " fields");
    return false;
  }
  fields_.resize(std::min(opts_.max_fields, fields_.size() * 2 + 16));
  return true;
}

// Position of the next quote at or after `from` (len_ if none), counting line breaks passed.
size_t Reader::next_quote(size_t from, uint64_t& lines) {
  const char* b = buf_.data();
  uint64_t m = mask_from(from);
  for (;;) {
    while (m == 0) {
      blk_ += 64;
      if (blk_ >= len_) return len_;
      mask_ = special_mask(blk_);
      m = mask_;
    }
    size_t s = blk_ + ctz64(m);
    m &= m - 1;
    if (s >= len_) return len_;
    char c = b[s];
    if (c == '"') return s;
    if (c == '\n' || (c == '\r' && b[s + 1] != '\n')) ++lines;
  }
}

// Frames one row starting at pos_. Unquoted fields cost one bit of the special-byte mask each;
// the hot state lives in locals because stores into fields_ could alias members.
bool Reader::parse_row() {
  unescape_.clear();
  row_stray_ = row_unterminated_ = row_bare_ = false;
  const char* b = buf_.data();
  const char D = delim_;
  const size_t len = len_;
  size_t start = pos_;  // start of the current field
  size_t end;           // where the next row starts
  uint64_t lines = 1;
  uint64_t m = mask_from(start);
  size_t blk = blk_;
  uint64_t full = mask_;
  std::string_view* fp = fields_.data();
  size_t n = 0;
  size_t cap = std::min(fields_.size(), opts_.max_fields);
  auto push = [&](const char* p, size_t k) -> bool {
    if (n == cap) [[unlikely]] {
      if (!grow_fields(n)) return false;
      fp = fields_.data();
      cap = std::min(fields_.size(), opts_.max_fields);
    }
    fp[n++] = std::string_view(p, k);
    return true;
  };
  // Line end at s (CR or LF): sets `end`, false when a CR is the last byte so far (maybe CRLF).
  auto line_end = [&](size_t s) -> bool {
    if (b[s] == '\r') {
      if (s + 1 >= len && !closed_) return false;
      end = s + 1 < len && b[s + 1] == '\n' ? s + 2 : s + 1;
    } else {
      end = s + 1;
    }
    return true;
  };
  for (;;) {
    while (m == 0) {
      blk += 64;
      if (blk >= len) {  // no terminator: the row runs to the end of the input
        if (!closed_) return false;
        if (!push(b + start, len - start)) return false;
        end = len;
        goto done;
      }
      full = special_mask(blk);
      m = full;
    }
    {
      size_t s = blk + ctz64(m);
      m &= m - 1;
      char c = b[s];
      if (c == D) {
        if (!push(b + start, s - start)) return false;
        start = s + 1;
        continue;
      }
      if (c != '"') {  // CR or LF
        if (!push(b + start, s - start)) return false;
        if (!line_end(s)) return false;
        goto done;
      }
      if (s != start) {  // a quote inside an unquoted field is literal, and reported
        if (!row_bare_) {
          row_bare_ = true;
          row_bare_col_ = static_cast<uint32_t>(n + 1);
        }
        continue;
      }
      // Quoted field: find the closing quote, skipping "" pairs (member cache in use here).
      blk_ = blk;
      mask_ = full;
      size_t open = s, q = s + 1, t;
      bool needs_unquote = false;
      for (;;) {
        t = next_quote(q, lines);
        if (t >= len) break;
        if (t + 1 >= len && !closed_) return false;  // "" or closing quote: need the next byte
        if (t + 1 < len && b[t + 1] == '"') {
          needs_unquote = true;
          q = t + 2;
          continue;
        }
        break;
      }
      ++stats_.quoted_fields;
      if (t >= len) {
        if (!closed_) return false;
        row_unterminated_ = true;
        row_unterminated_col_ = static_cast<uint32_t>(n + 1);
        unescape_.push_back(static_cast<uint32_t>(n));
        if (!push(b + open + 1, len - open - 1)) return false;
        end = len;
        goto done;
      }
      size_t e = t + 1;  // the terminator after the field
      if (e < len && b[e] != D && b[e] != '\n' && b[e] != '\r') {
        // Text after the closing quote: kept literally up to the field's end.
        if (!row_stray_) {
          row_stray_ = true;
          row_stray_col_ = static_cast<uint32_t>(n + 1);
        }
        while (e < len && b[e] != D && b[e] != '\n' && b[e] != '\r') ++e;
        if (e >= len && !closed_) return false;
        unescape_.push_back(static_cast<uint32_t>(n));
        if (!push(b + open + 1, e - open - 1)) return false;
      } else {
        if (needs_unquote) unescape_.push_back(static_cast<uint32_t>(n));
        if (!push(b + open + 1, t - open - 1)) return false;
      }
      if (e >= len) {
        if (!closed_) return false;
        end = len;
        goto done;
      }
      if (b[e] != D) {
        if (!line_end(e)) return false;
        goto done;
      }
      start = e + 1;
      m = mask_from(start);
      blk = blk_;
      full = mask_;
    }
  }
done:
  blk_ = blk;
  mask_ = full;
  nfields_ = n;
  pos_ = end;
  row_line_ = line_;
  line_ += lines;
  return true;
}

bool Reader::next(Row& out) {
  for (;;) {
    if (!error_.ok()) return false;
    if (!started_ && !detect_dialect()) return false;
    if (pos_ >= len_) return false;
    if (!closed_ && len_ < retry_at_) return false;
    size_t row_start = pos_;
    uint64_t quoted_before = stats_.quoted_fields;
    if (!parse_row()) {
      stats_.quoted_fields = quoted_before;
      if (!error_.ok()) return false;
      if (len_ - pos_ > opts_.max_row_bytes) {
        error_ = make_error(Code::too_large, "csv: row " + std::to_string(row_no_ + 1) + " (line " +
                                                 std::to_string(line_) + ") is longer than " +
                                                 std::to_string(opts_.max_row_bytes) + " bytes");
        return false;
      }
      // Re-scan only once the pending bytes have doubled: linear time even for 1-byte pushes.
      retry_at_ = len_ + std::max<size_t>(len_ - pos_, 1);
      return false;
    }
    retry_at_ = 0;
    for (uint32_t k : unescape_) {
      std::string_view f = fields_[k];  // NOLINT: k < nfields_
      char* p = buf_.data() + (f.data() - buf_.data());
      fields_[k] = std::string_view(p, unquote_in_place(p, f.size()));
    }
    bool encoding_here = pending_switch_issue_ && switch_pos_ < pos_ && switch_pos_ >= row_start;
    if (pending_switch_issue_ && switch_pos_ < row_start) encoding_here = true;  // defensive
    bool blank = nfields_ == 1 && fields_[0].empty() && unescape_.empty() &&
                 !(quoting_ && buf_[row_start] == '"');
    bool is_header = !header_done_ && opts_.header && !blank;
    uint64_t number = is_header || blank ? row_no_ : row_no_ + 1;
    if (encoding_here) {
      pending_switch_issue_ = false;
      add_issue(number, 0, IssueKind::encoding,
                "not valid UTF-8 at byte " + std::to_string(switch_offset_) + " (line " +
                    std::to_string(row_line_) + "); read from there on as Windows-1252");
    }
    if (blank) {
      ++stats_.blank_lines;
      continue;
    }
    if (is_header) {
      if (row_unterminated_) {  // the rest of the file went into the header: nothing can be read
        error_ = make_error(Code::invalid_argument,
                            "csv: the header row (line " + std::to_string(row_line_) + ") has a quote in column " +
                                std::to_string(row_unterminated_col_) + " that is never closed");
        return false;
      }
      if (row_stray_)
        add_issue(0, row_stray_col_, IssueKind::stray_quote, "header: text after a closing quote, kept as is (line " +
                                                                 std::to_string(row_line_) + ")");
      if (row_bare_)
        add_issue(0, row_bare_col_, IssueKind::bare_quote, "header: a quote inside an unquoted name, kept as is (line " +
                                                               std::to_string(row_line_) + ")");
      header_done_ = true;
      header_.assign(fields_.begin(), fields_.begin() + static_cast<long>(nfields_));
      continue;
    }
    if (!header_done_) {  // no header: the first row fixes the width
      header_done_ = true;
      header_.assign(nfields_, std::string());
    }
    ++row_no_;
    ++stats_.rows;
    stats_.fields += nfields_;
    if (nfields_ != header_.size()) {
      uint32_t col = static_cast<uint32_t>(std::min(nfields_, header_.size()) + 1);
      add_issue(row_no_, col, IssueKind::ragged_row,
                "row has " + std::to_string(nfields_) + " fields, header has " +
                    std::to_string(header_.size()) + " (line " + std::to_string(row_line_) + ")");
    }
    if (row_stray_) {
      add_issue(row_no_, row_stray_col_, IssueKind::stray_quote,
                "text after a closing quote, kept as is (line " + std::to_string(row_line_) + ")");
    }
    if (row_bare_) {
      add_issue(row_no_, row_bare_col_, IssueKind::bare_quote,
                "a quote inside an unquoted field, kept as is (line " + std::to_string(row_line_) + ")");
    }
    if (row_unterminated_) {
      add_issue(row_no_, row_unterminated_col_, IssueKind::unterminated_quote,
                "quoted field still open at end of input (line " + std::to_string(row_line_) + ")");
    }
    out.number = row_no_;
    out.line = row_line_;
    out.fields = std::span<const std::string_view>(fields_.data(), nfields_);
    return true;
  }
}

Status Reader::feed(std::string_view bytes, const std::function<void(const Row&)>& on_row) {
  Status st = push(bytes);
  if (!st.ok()) return st;
  Row r;
  while (next(r)) on_row(r);
  return error_;
}

Status Reader::finish(const std::function<void(const Row&)>& on_row) {
  close();
  Row r;
  while (next(r)) on_row(r);
  return error_;
}

Result<Stats> read_file(const std::string& path, const Options& opts,
                        const std::function<void(const Reader&, const Row&)>& on_row,
                        std::vector<Issue>* issues) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return make_error(Code::io, "csv: cannot open " + path);
  Reader reader(opts);
  std::vector<char> chunk(1u << 20);
  Row r;
  Status st;
  for (;;) {
    size_t n = std::fread(chunk.data(), 1, chunk.size(), f);
    if (n == 0) break;
    st = reader.push(std::string_view(chunk.data(), n));
    if (!st.ok()) break;
    while (reader.next(r)) on_row(reader, r);
    if (!reader.error().ok()) break;
  }
  bool read_error = std::ferror(f) != 0;
  std::fclose(f);
  if (read_error) return make_error(Code::io, "csv: read error in " + path);
  if (st.ok() && reader.error().ok()) {
    reader.close();
    while (reader.next(r)) on_row(reader, r);
  }
  if (issues) *issues = reader.issues();
  if (!reader.error().ok()) return reader.error().error();
  if (!st.ok()) return st.error();
  return reader.stats();
}

}  // namespace doorstep::csv
