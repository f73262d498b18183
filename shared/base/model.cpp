// Stable text names of the model's enums. The arrays are indexed by the enum value; adding a value
// means appending to both the enum and its array (names are persisted, so none is ever reused).
#include "shared/base/model.h"

#include <array>

namespace doorstep {

namespace {
constexpr std::array<std::string_view, 9> kResults = {"not_home",     "talked",   "refused",
                                                      "moved",        "inaccessible", "deceased",
                                                      "wrong_address", "lit_drop", "come_back"};
constexpr std::array<std::string_view, 5> kKinds = {"yes_no", "single_choice", "multiple_choice",
                                                    "scale_1_5", "free_text"};
constexpr std::array<std::string_view, 5> kPurposes = {"call_me", "email_me", "volunteer", "join", "text_me"};
constexpr std::array<std::string_view, 5> kTurfStatus = {"draft", "open", "assigned", "done", "archived"};
constexpr std::array<std::string_view, 5> kGeocode = {"none", "source", "exact", "approximate",
                                                      "ambiguous"};

template <class E, size_t N>
std::string_view name_of(const std::array<std::string_view, N>& names, E v) {
  auto i = static_cast<size_t>(v);
  return i < N ? names[i] : std::string_view{};
}

template <class E, size_t N>
std::optional<E> from_name(const std::array<std::string_view, N>& names, std::string_view s) {
  for (size_t i = 0; i < N; ++i)
    if (names[i] == s) return static_cast<E>(i);
  return std::nullopt;
}

template <class E, size_t N>
std::vector<E> all_of() {
  std::vector<E> v;
  for (size_t i = 0; i < N; ++i) v.push_back(static_cast<E>(i));
  return v;
}
}  // namespace

std::string_view to_name(AttemptResult v) { return name_of(kResults, v); }
std::string_view to_name(QuestionKind v) { return name_of(kKinds, v); }
std::string_view to_name(ConsentPurpose v) { return name_of(kPurposes, v); }
std::string_view to_name(TurfStatus v) { return name_of(kTurfStatus, v); }
std::string_view to_name(GeocodeQuality v) { return name_of(kGeocode, v); }

std::optional<AttemptResult> attempt_result_from_name(std::string_view s) {
  return from_name<AttemptResult>(kResults, s);
}
std::optional<QuestionKind> question_kind_from_name(std::string_view s) {
  return from_name<QuestionKind>(kKinds, s);
}
std::optional<ConsentPurpose> consent_purpose_from_name(std::string_view s) {
  return from_name<ConsentPurpose>(kPurposes, s);
}
std::optional<TurfStatus> turf_status_from_name(std::string_view s) {
  return from_name<TurfStatus>(kTurfStatus, s);
}
std::optional<GeocodeQuality> geocode_quality_from_name(std::string_view s) {
  return from_name<GeocodeQuality>(kGeocode, s);
}

const std::vector<AttemptResult>& all_attempt_results() {
  static const auto v = all_of<AttemptResult, kResults.size()>();
  return v;
}
const std::vector<QuestionKind>& all_question_kinds() {
  static const auto v = all_of<QuestionKind, kKinds.size()>();
  return v;
}
const std::vector<ConsentPurpose>& all_consent_purposes() {
  static const auto v = all_of<ConsentPurpose, kPurposes.size()>();
  return v;
}

}  // namespace doorstep
