// Strict JSON parser and writer (see json.h). Recursive descent with an explicit depth bound.
#include "shared/base/json.h"

#include "shared/base/decimal.h"

#include <cmath>
#include <cstdio>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <unordered_set>

namespace doorstep::json {

const Array& Value::as_array() const {
  static const Array empty;
  return a_ ? *a_ : empty;
}
Array& Value::as_array() {
  unshare();
  return *a_;
}
const Object& Value::as_object() const {
  static const Object empty;
  return o_ ? *o_ : empty;
}
Object& Value::as_object() {
  unshare();
  return *o_;
}

void Value::unshare() {
  if (type_ == Type::array) {
    if (!a_) a_ = std::make_shared<Array>();
    else if (a_.use_count() > 1) a_ = std::make_shared<Array>(*a_);
  } else if (type_ == Type::object) {
    if (!o_) o_ = std::make_shared<Object>();
    else if (o_.use_count() > 1) o_ = std::make_shared<Object>(*o_);
  }
}

const Value* Value::find(std::string_view key) const {
  if (type_ != Type::object || !o_) return nullptr;
  for (auto& kv : *o_)
    if (kv.first == key) return &kv.second;
  return nullptr;
}

Value& Value::set(std::string key, Value v) {
  if (type_ != Type::object) *this = Value(Object{});
  auto& o = as_object();
  for (auto& kv : o)
    if (kv.first == key) return kv.second = std::move(v);
  o.emplace_back(std::move(key), std::move(v));
  return o.back().second;
}

Value& Value::push(Value v) {
  if (type_ != Type::array) *this = Value(Array{});
  auto& a = as_array();
  a.push_back(std::move(v));
  return a.back();
}

size_t Value::size() const {
  if (type_ == Type::array) return as_array().size();
  if (type_ == Type::object) return as_object().size();
  return 0;
}

bool Value::operator==(const Value& o) const {
  if (is_number() && o.is_number()) {
    if (is_integer() && o.is_integer()) return i_ == o.i_;
    return as_double() == o.as_double();
  }
  if (type_ != o.type_) return false;
  switch (type_) {
    case Type::null: return true;
    case Type::boolean: return b_ == o.b_;
    case Type::string: return s_ == o.s_;
    case Type::array: return as_array() == o.as_array();
    case Type::object: return as_object() == o.as_object();
    default: return false;
  }
}

namespace {

struct Parser {
  std::string_view t;
  size_t pos = 0;
  const ParseLimits& lim;
  std::string err;

  bool fail(const char* what) {
    if (err.empty()) err = std::string(what) + " at byte " + std::to_string(pos);
    return false;
  }
  void ws() {
    while (pos < t.size() && (t[pos] == ' ' || t[pos] == '\t' || t[pos] == '\n' || t[pos] == '\r')) ++pos;
  }
  bool lit(std::string_view w) {
    if (t.substr(pos, w.size()) != w) return fail("invalid literal");
    pos += w.size();
    return true;
  }
  static void put_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) out += char(cp);
    else if (cp < 0x800) { out += char(0xC0 | (cp >> 6)); out += char(0x80 | (cp & 0x3F)); }
    else if (cp < 0x10000) { out += char(0xE0 | (cp >> 12)); out += char(0x80 | ((cp >> 6) & 0x3F)); out += char(0x80 | (cp & 0x3F)); }
    else { out += char(0xF0 | (cp >> 18)); out += char(0x80 | ((cp >> 12) & 0x3F)); out += char(0x80 | ((cp >> 6) & 0x3F)); out += char(0x80 | (cp & 0x3F)); }
  }
  bool hex4(uint32_t& v) {
    if (pos + 4 > t.size()) return fail("truncated \\u escape");
    v = 0;
    for (int k = 0; k < 4; ++k) {
      char c = t[pos++];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= c - '0';
      else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
      else return fail("bad \\u escape");
    }
    return true;
  }
  bool str(std::string& out) {
    ++pos;  // opening quote
    size_t start = pos;
    while (true) {
      if (pos >= t.size()) return fail("unterminated string");
      char c = t[pos];
      if (c == '"') { out.append(t.substr(start, pos - start)); ++pos; break; }
      if (static_cast<unsigned char>(c) < 0x20) return fail("control character in string");
      if (c != '\\') { ++pos; continue; }
      out.append(t.substr(start, pos - start));
      ++pos;
      if (pos >= t.size()) return fail("unterminated escape");
      char e = t[pos++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t cp;
          if (!hex4(cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t lo;
            if (t.substr(pos, 2) != "\\u") return fail("lone surrogate");
            pos += 2;
            if (!hex4(lo)) return false;
            if (lo < 0xDC00 || lo > 0xDFFF) return fail("lone surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return fail("lone surrogate");
          }
          put_utf8(out, cp);
          break;
        }
        default: return fail("bad escape");
      }
      start = pos;
      if (out.size() > lim.max_string_bytes) return fail("string too long");
    }
    if (out.size() > lim.max_string_bytes) return fail("string too long");
    if (!utf8::valid(out)) return fail("invalid UTF-8 in string");
    return true;
  }
  bool num(Value& v) {
    size_t s = pos;
    if (t[pos] == '-') ++pos;
    if (pos >= t.size()) return fail("bad number");
    if (t[pos] == '0') ++pos;
    else if (t[pos] >= '1' && t[pos] <= '9') while (pos < t.size() && isdigit((unsigned char)t[pos])) ++pos;
    else return fail("bad number");
    bool integer = true;
    if (pos < t.size() && t[pos] == '.') {
      integer = false;
      ++pos;
      if (pos >= t.size() || !isdigit((unsigned char)t[pos])) return fail("bad number");
      while (pos < t.size() && isdigit((unsigned char)t[pos])) ++pos;
    }
    if (pos < t.size() && (t[pos] == 'e' || t[pos] == 'E')) {
      integer = false;
      ++pos;
      if (pos < t.size() && (t[pos] == '+' || t[pos] == '-')) ++pos;
      if (pos >= t.size() || !isdigit((unsigned char)t[pos])) return fail("bad number");
      while (pos < t.size() && isdigit((unsigned char)t[pos])) ++pos;
    }
    std::string_view text = t.substr(s, pos - s);
    if (integer) {
      long long i = 0;
      auto r = std::from_chars(text.data(), text.data() + text.size(), i);
      if (r.ec == std::errc()) { v = Value(i); return true; }
      // Out of int64 range: keep as a double (callers validate ranges).
    }
    // The grammar was checked above; decimal::parse reads it as strtod would, without strtod's
    // soft-float cost in the wasm for the usual short numbers.
    auto parsed = decimal::parse(text);
    if (!parsed) return fail("bad number");
    double d = *parsed;
    if (!std::isfinite(d)) return fail("number out of range");
    v = Value(d);
    return true;
  }
  bool value(Value& v, size_t depth) {
    ws();
    if (pos >= t.size()) return fail("unexpected end");
    char c = t[pos];
    if (c == '{' || c == '[') {
      if (depth >= lim.max_depth) return fail("nesting too deep");
      ++pos;
      if (c == '[') {
        Array a;
        ws();
        if (pos < t.size() && t[pos] == ']') { ++pos; v = Value(std::move(a)); return true; }
        while (true) {
          a.emplace_back();
          if (!value(a.back(), depth + 1)) return false;
          ws();
          if (pos < t.size() && t[pos] == ',') { ++pos; continue; }
          if (pos < t.size() && t[pos] == ']') { ++pos; break; }
          return fail("expected , or ]");
        }
        v = Value(std::move(a));
        return true;
      }
      Object o;
      constexpr size_t kScanKeys = 16;
      std::unordered_set<std::string> seen;  // used once the object holds kScanKeys keys
      ws();
      if (pos < t.size() && t[pos] == '}') { ++pos; v = Value(std::move(o)); return true; }
      while (true) {
        ws();
        if (pos >= t.size() || t[pos] != '"') return fail("expected key");
        std::string key;
        if (!str(key)) return false;
        // Duplicate keys in linear time: a scan while the object is small, a hash set beyond
        // (4 MiB of distinct keys once cost a quadratic scan on an unauthenticated route).
        if (o.size() < kScanKeys) {
          for (auto& kv : o)
            if (kv.first == key) return fail("duplicate key");
          if (o.size() + 1 == kScanKeys)
            for (auto& kv : o) seen.insert(kv.first);
        } else if (seen.count(key)) {
          return fail("duplicate key");
        }
        if (o.size() + 1 >= kScanKeys) seen.insert(key);
        ws();
        if (pos >= t.size() || t[pos] != ':') return fail("expected :");
        ++pos;
        o.emplace_back(std::move(key), Value());
        if (!value(o.back().second, depth + 1)) return false;
        ws();
        if (pos < t.size() && t[pos] == ',') { ++pos; continue; }
        if (pos < t.size() && t[pos] == '}') { ++pos; break; }
        return fail("expected , or }");
      }
      v = Value(std::move(o));
      return true;
    }
    if (c == '"') {
      std::string s;
      if (!str(s)) return false;
      v = Value(std::move(s));
      return true;
    }
    if (c == 't') { if (!lit("true")) return false; v = Value(true); return true; }
    if (c == 'f') { if (!lit("false")) return false; v = Value(false); return true; }
    if (c == 'n') { if (!lit("null")) return false; v = Value(); return true; }
    if (c == '-' || (c >= '0' && c <= '9')) return num(v);
    return fail("unexpected character");
  }
};

#if !defined(__cpp_lib_to_chars)
// Shortest form that reads back to the same double: a standard library without to_chars for
// double (the libc++ of Emscripten 3.1.6) gets printf's %.*g at increasing precision.
void append_double(std::string& out, double d) {
  // Short decimals (coordinates, money) by integer arithmetic: printf and strtod run in soft-float.
  if (decimal::append_shortest_g(out, d)) return;
  char buf[40];
  for (int prec = 1; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  out += buf;
}
#else
// Appends `d` (finite) as the %.*g branch above writes it: the fewest significant digits that read back
// to the same double, in printf's %g layout with that precision. std::to_chars gives those digits
// (its shortest round trip is the same digit string but for one case below); the layout is %g's:
// exponent form when the exponent is below -4 or at least the number of digits.
void append_double(std::string& out, double d) {
  char sci[32];
  char* end = std::to_chars(sci, sci + sizeof sci, d, std::chars_format::scientific).ptr;
  const char* p = sci + (sci[0] == '-');
  char digits[20];
  int n = 0;
  for (; *p != 'e'; ++p)
    if (*p != '.') digits[n++] = *p;
  int exp = 0;
  for (const char* q = p + 2; q < end; ++q) exp = exp * 10 + (*q - '0');
  if (p[1] == '-') exp = -exp;
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  if ((bits & 0xfffffffffffffULL) == 0 && ((bits >> 52) & 0x7ff) > 1) {
    // A power of two: the gap below it is half the gap above, so the shortest string that reads
    // back may not be the nearest one of that length, which is what %.*g writes. The old loop,
    // from the shortest length up, with to_chars' %.*g (the same output as printf's).
    for (int prec = n;; ++prec) {
      char buf[40];
      char* e = std::to_chars(buf, buf + sizeof buf - 1, d, std::chars_format::general, prec).ptr;
      *e = '\0';
      if (prec >= 17 || std::strtod(buf, nullptr) == d) {
        out.append(buf, e);
        return;
      }
    }
  }
  if (exp < -4 || exp >= n) {
    out.append(sci, end);
    return;
  }
  if (sci[0] == '-') out += '-';
  if (exp < 0) {
    out += "0.";
    out.append(static_cast<size_t>(-exp - 1), '0');
    out.append(digits, static_cast<size_t>(n));
    return;
  }
  out.append(digits, static_cast<size_t>(exp + 1));
  if (n > exp + 1) {
    out += '.';
    out.append(digits + exp + 1, static_cast<size_t>(n - exp - 1));
  }
}
#endif

void dump_to(std::string& out, const Value& v, int indent, int level) {
  auto nl = [&](int l) {
    if (indent <= 0) return;
    out += '\n';
    out.append(static_cast<size_t>(indent * l), ' ');
  };
  switch (v.type()) {
    case Value::Type::null: out += "null"; break;
    case Value::Type::boolean: out += v.as_bool() ? "true" : "false"; break;
    case Value::Type::integer: out += std::to_string(v.as_int()); break;
    case Value::Type::number: {
      double d = v.as_double();
      if (!std::isfinite(d)) { out += "null"; break; }
      append_double(out, d);
      break;
    }
    case Value::Type::string: append_quoted(out, v.as_string()); break;
    case Value::Type::array: {
      out += '[';
      bool first = true;
      for (auto& e : v.as_array()) {
        if (!first) out += ',';
        first = false;
        nl(level + 1);
        dump_to(out, e, indent, level + 1);
      }
      if (!v.as_array().empty()) nl(level);
      out += ']';
      break;
    }
    case Value::Type::object: {
      out += '{';
      bool first = true;
      for (auto& kv : v.as_object()) {
        if (!first) out += ',';
        first = false;
        nl(level + 1);
        append_quoted(out, kv.first);
        out += indent > 0 ? ": " : ":";
        dump_to(out, kv.second, indent, level + 1);
      }
      if (!v.as_object().empty()) nl(level);
      out += '}';
      break;
    }
  }
}

}  // namespace

Result<Value> parse(std::string_view text, const ParseLimits& limits) {
  if (text.size() > limits.max_bytes)
    return make_error(Code::too_large, "JSON document larger than " + std::to_string(limits.max_bytes) + " bytes");
  Parser p{text, 0, limits, {}};
  Value v;
  if (!p.value(v, 0)) return make_error(Code::invalid_argument, "invalid JSON: " + p.err);
  p.ws();
  if (p.pos != text.size()) return make_error(Code::invalid_argument, "invalid JSON: trailing data at byte " + std::to_string(p.pos));
  return v;
}

void append_quoted(std::string& out, std::string_view s) {
  out += '"';
  size_t i = 0;
  while (i < s.size()) {
    // The run of characters that need no escape goes in whole (a per-character append was a
    // hot spot of the sync endpoint, which writes ids, hashes and payloads).
    size_t j = i;
    while (j < s.size()) {
      auto c = static_cast<unsigned char>(s[j]);
      if (c < 0x20 || c == '"' || c == '\\') break;
      ++j;
    }
    out.append(s.data() + i, j - i);
    if (j == s.size()) break;
    i = j + 1;
    char ch = s[j];
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

std::string dump(const Value& v, int indent) {
  std::string out;
  dump_to(out, v, indent, 0);
  return out;
}

void dump_append(std::string& out, const Value& v) { dump_to(out, v, 0, 0); }

namespace {
size_t quoted_size(std::string_view s) {
  size_t n = 2;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') n += 2;
    else if (c < 0x20) n += 6;  // \u00XX
    else n += 1;
  }
  return n;
}
}  // namespace

size_t dumped_size(const Value& v) {
  switch (v.type()) {
    case Value::Type::null: return 4;
    case Value::Type::boolean: return v.as_bool() ? 4 : 5;
    case Value::Type::integer: {
      int64_t i = v.as_int();
      uint64_t u = i < 0 ? 0 - static_cast<uint64_t>(i) : static_cast<uint64_t>(i);
      size_t n = i < 0 ? 2 : 1;
      while (u >= 10) {
        u /= 10;
        ++n;
      }
      return n;
    }
    case Value::Type::number: {  // rare in payloads: written out, as dump does
      if (!std::isfinite(v.as_double())) return 4;
      std::string t;
      append_double(t, v.as_double());
      return t.size();
    }
    case Value::Type::string: return quoted_size(v.as_string());
    case Value::Type::array: {
      const auto& a = v.as_array();
      size_t n = 2 + (a.empty() ? 0 : a.size() - 1);
      for (const auto& e : a) n += dumped_size(e);
      return n;
    }
    case Value::Type::object: {
      const auto& o = v.as_object();
      size_t n = 2 + (o.empty() ? 0 : o.size() - 1);
      for (const auto& kv : o) n += quoted_size(kv.first) + 1 + dumped_size(kv.second);
      return n;
    }
  }
  return 0;
}

}  // namespace doorstep::json
