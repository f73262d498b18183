// Column presets for the files organizers bring: California's statewide voter file, a VAN list
// export, a NationBuilder people export, OpenAddresses and the LA address-point layout, or a
// generic mapping the user chooses. Detected from the header; maps a row to canonical fields.
// Leaves out reading (shared/parse/csv.h), address normalisation (shared/parse/address.h) and storage.
#pragma once
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/json.h"
#include "shared/parse/address.h"
#include "shared/parse/csv.h"
#include "shared/base/result.h"

namespace doorstep::presets {

// Canonical fields. Address comes either as parts (California, like address::Parts), as one line
// (VAN, NationBuilder, generic `address`), or as number + street (OpenAddresses, address points).
enum class Field : uint8_t {
  source_id, van_id, state_id,
  first_name, middle_name, last_name, suffix,
  birth_date, age, party, language, phone, email, do_not_contact,
  address_line, address_line2,
  house_number, house_fraction, number_suffix, predir, street_name, street_type, postdir,
  street,  // whole street ("N Main St") with the number in house_number
  unit_type, unit,
  city, state, zip,
  lat, lon,
  phone_area, phone_exchange, phone_number,  // California splits phones into three columns
  count_
};
inline constexpr size_t kFieldCount = static_cast<size_t>(Field::count_);
std::string_view field_name(Field f);
std::optional<Field> field_from_name(std::string_view name);

enum class Kind : uint8_t { california, van, nationbuilder, openaddresses, address_points, generic };
std::string_view kind_name(Kind k);  // "california", "van", "nationbuilder", "openaddresses", "address_points", "generic"

struct Mapping {
  Kind kind = Kind::generic;
  std::array<int, kFieldCount> column{};  // 0-based column index per field, -1 when absent
  bool has_people = true;                 // false: address-only files (doors without people)
  int column_of(Field f) const { return column[static_cast<size_t>(f)]; }
  bool has(Field f) const { return column_of(f) >= 0; }
  std::string name() const { return std::string(kind_name(kind)); }
};

// Picks the preset whose required columns are all in `header` (names compared case-insensitively,
// surrounding spaces ignored: VAN's "Pref Phone " keeps its space). Code::not_found when none fits.
Result<Mapping> detect(const std::vector<std::string>& header);

// A named preset for this header (the --preset option). For "generic", `spec` lists
// field=Column pairs separated by commas, e.g. "first_name=First,last_name=Last,address_line=Addr,
// zip=ZIP". Unknown preset, unknown field or a column missing from the header -> invalid_argument.
Result<Mapping> by_name(std::string_view name, const std::vector<std::string>& header, std::string_view spec = {});

// A chosen column mapping (the console's mapping editor; `&mapping=` on the universe upload), as
// JSON: {"preset":"california","columns":{"language":"LanguageName","phone_area":""}}. "preset" is
// the starting point (absent or "": detected from the header; "generic": nothing mapped); each
// member of "columns" maps a field to a header column by name, "" or null unmaps it. The result
// must still name an address (address_line, street or street_name). Errors name the field/column.
Result<Mapping> from_json(const std::vector<std::string>& header, const json::Value& spec);
// The mapping in that shape: its preset and every mapped field with its column's header name.
json::Value to_json(const Mapping& m, const std::vector<std::string>& header);
// Every preset name, in detection order, then "generic".
std::vector<std::string_view> preset_names();

// One row read through a mapping: a field's trimmed cell ("" when unmapped), and the row's address
// from whichever address columns the mapping has (parts, number + street, or one line).
std::string_view cell(const Mapping& m, const csv::Row& r, Field f);
address::Address address_of(const Mapping& m, const csv::Row& r);

// Canonical date "YYYY-MM-DD" from 19840312, 1984-03-12, 03/12/1984 or 3/12/1984; "" when not a date.
std::string normalise_date(std::string_view s);
// Digits of a US phone number (10 digits, a leading 1 dropped); "" when it is not one.
std::string normalise_phone(std::string_view s);
// Preferred language as a BCP 47 primary tag: "SPANISH", "Español", "es-MX" -> "es". Names voter
// files use for LA's languages are known; anything else is kept as given (trimmed, lower case).
std::string normalise_language(std::string_view s);
// Truthy cell values in exports: true, yes, y, 1, x (case-insensitive).
bool truthy(std::string_view s);

}  // namespace doorstep::presets
