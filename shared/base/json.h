// A small strict JSON value, parser and writer for the wire format and CLI output. Strict on
// purpose: valid UTF-8 only, bounded nesting and size, duplicate keys rejected, numbers kept
// exact when they are integers. Leaves out comments, NaN and anything else JSON does not allow.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shared/base/result.h"
#include "shared/base/utf8.h"

namespace doorstep::json {

class Value;
using Array = std::vector<Value>;
using Object = std::vector<std::pair<std::string, Value>>;  // keeps insertion order

class Value {
 public:
  enum class Type { null, boolean, integer, number, string, array, object };

  Value() = default;
  Value(std::nullptr_t) {}
  Value(bool b) : type_(Type::boolean), b_(b) {}
  Value(int v) : type_(Type::integer), i_(v) {}
  Value(long v) : type_(Type::integer), i_(v) {}
  Value(long long v) : type_(Type::integer), i_(v) {}
  Value(unsigned v) : type_(Type::integer), i_(v) {}
  Value(unsigned long v) : type_(Type::integer), i_(static_cast<int64_t>(v)) {}
  Value(unsigned long long v) : type_(Type::integer), i_(static_cast<int64_t>(v)) {}
  Value(double d) : type_(Type::number), d_(d) {}
  Value(const char* s) : type_(Type::string), s_(s) {}
  Value(std::string s) : type_(Type::string), s_(std::move(s)) {}
  Value(std::string_view s) : type_(Type::string), s_(s) {}
  Value(Array a) : type_(Type::array), a_(std::make_shared<Array>(std::move(a))) {}
  Value(Object o) : type_(Type::object), o_(std::make_shared<Object>(std::move(o))) {}

  static Value array() { return Value(Array{}); }
  static Value object() { return Value(Object{}); }

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::null; }
  bool is_bool() const { return type_ == Type::boolean; }
  bool is_integer() const { return type_ == Type::integer; }
  bool is_number() const { return type_ == Type::integer || type_ == Type::number; }
  bool is_string() const { return type_ == Type::string; }
  bool is_array() const { return type_ == Type::array; }
  bool is_object() const { return type_ == Type::object; }

  bool as_bool() const { return b_; }
  int64_t as_int() const { return type_ == Type::integer ? i_ : static_cast<int64_t>(d_); }
  double as_double() const { return type_ == Type::integer ? static_cast<double>(i_) : d_; }
  const std::string& as_string() const { return s_; }
  const Array& as_array() const;
  Array& as_array();
  const Object& as_object() const;
  Object& as_object();

  // Object access: find returns nullptr when absent; set replaces or appends.
  const Value* find(std::string_view key) const;
  Value& set(std::string key, Value v);
  // Array append.
  Value& push(Value v);
  size_t size() const;

  bool operator==(const Value& o) const;

 private:
  Type type_ = Type::null;
  bool b_ = false;
  int64_t i_ = 0;
  double d_ = 0;
  std::string s_;
  std::shared_ptr<Array> a_;   // shared_ptr keeps Value cheap to move; copies deep-copy on write
  std::shared_ptr<Object> o_;
  void unshare();
};

struct ParseLimits {
  size_t max_depth = 32;
  size_t max_bytes = 8u << 20;
  size_t max_string_bytes = 1u << 20;
};

// Parse a whole document. Errors carry Code::invalid_argument (or too_large) and a message with
// the byte offset.
Result<Value> parse(std::string_view text, const ParseLimits& limits = {});

// Compact serialisation (no spaces). indent > 0 pretty-prints.
std::string dump(const Value& v, int indent = 0);
// Appends dump(v) (compact) to out, without a string of its own.
void dump_append(std::string& out, const Value& v);
// dump(v).size() (compact), counted without writing the text.
size_t dumped_size(const Value& v);

// Appends a JSON string literal (quoted and escaped) to out.
void append_quoted(std::string& out, std::string_view s);

// True when s is valid UTF-8: shared/base/utf8.h's validator under the name server/ calls.
inline bool valid_utf8(std::string_view s) { return utf8::valid(s); }

}  // namespace doorstep::json
