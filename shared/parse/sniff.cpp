// The console's look at a file's first rows (see sniff.h): one csv::Reader over the bytes, then
// presets::detect / presets::from_json, then each preview row through the chosen mapping.
#include "shared/parse/sniff.h"

#include <string>
#include <vector>

#include "shared/parse/address.h"
#include "shared/parse/csv.h"
#include "shared/parse/presets.h"

namespace doorstep::sniff {

using presets::Field;

namespace {

std::string delimiter_name(char d) {
  switch (d) {
    case '\t': return "tab";
    case ',': return "comma";
    case ';': return "semicolon";
    case '|': return "pipe";
  }
  return std::string(1, d);
}

}  // namespace

json::Value inspect(std::string_view head, const json::Value& mapping, const Options& opts) {
  json::Value out = json::Value::object();
  json::Value fields = json::Value::array();
  for (size_t i = 0; i < presets::kFieldCount; ++i) fields.push(presets::field_name(static_cast<Field>(i)));
  json::Value names = json::Value::array();
  for (auto n : presets::preset_names()) names.push(n);
  out.set("fields", std::move(fields));
  out.set("presets", std::move(names));
  out.set("error", "");

  csv::Reader reader;
  std::vector<std::vector<std::string>> rows;
  std::vector<uint64_t> numbers;
  csv::Row r;
  auto take = [&] {
    while (rows.size() < opts.max_rows && reader.next(r)) {
      rows.emplace_back(r.fields.begin(), r.fields.end());
      numbers.push_back(r.number);
    }
  };
  Status st = reader.push(head);
  if (st) take();
  if (st && opts.complete) {
    reader.close();
    take();
  }
  if (!st || !reader.error().ok()) {
    out.set("error", (!st ? st.error() : reader.error().error()).message);
    return out;
  }
  if (!reader.has_header()) {
    out.set("error", head.empty() ? "the file is empty" : "no complete header line in the first bytes");
    return out;
  }
  out.set("delimiter", delimiter_name(reader.delimiter()));
  out.set("quoting", reader.quoting());
  out.set("encoding", reader.encoding() == csv::Encoding::windows1252 ? "windows-1252" : "utf-8");
  json::Value header = json::Value::array();
  for (const auto& h : reader.header()) header.push(h);
  out.set("header", std::move(header));
  json::Value issues = json::Value::array();
  for (const auto& is : reader.issues()) {
    if (!opts.complete && is.kind == csv::IssueKind::unterminated_quote) continue;  // cut by the slice
    json::Value o = json::Value::object();
    o.set("row", is.row);
    o.set("column", is.column);
    o.set("code", csv::issue_kind_name(is.kind));
    o.set("message", is.message);
    issues.push(std::move(o));
  }
  out.set("issues", std::move(issues));

  auto detected = presets::detect(reader.header());
  out.set("detected", detected ? detected->name() : std::string());
  auto m = mapping.is_null() ? detected : presets::from_json(reader.header(), mapping);
  if (!m) {
    out.set("error", m.error().message);
    return out;
  }
  out.set("mapping", presets::to_json(*m, reader.header()));
  out.set("has_people", m->has_people);

  json::Value preview = json::Value::array();
  std::vector<std::string_view> views;
  for (size_t i = 0; i < rows.size(); ++i) {
    views.assign(rows[i].begin(), rows[i].end());
    csv::Row row;
    row.number = numbers[i];
    row.fields = std::span<const std::string_view>(views.data(), views.size());
    json::Value cells = json::Value::array();
    for (const auto& c : rows[i]) cells.push(c);
    json::Value mapped = json::Value::object();
    for (size_t f = 0; f < presets::kFieldCount; ++f) {
      auto field = static_cast<Field>(f);
      if (m->has(field)) mapped.set(std::string(presets::field_name(field)), presets::cell(*m, row, field));
    }
    json::Value o = json::Value::object();
    o.set("row", row.number);
    o.set("cells", std::move(cells));
    o.set("mapped", std::move(mapped));
    o.set("address", presets::address_of(*m, row).door_key());
    o.set("language", presets::normalise_language(presets::cell(*m, row, Field::language)));
    preview.push(std::move(o));
  }
  out.set("rows", std::move(preview));
  return out;
}

}  // namespace doorstep::sniff
