// Paper tallies: results written on a printed handout and typed in by an organizer, stored as
// attempts of the turf that count like phone records, marked device "paper" (never a phone's
// sync client id). Leaves out sign-ups from paper (their consent must be asked, not transcribed)
// and telling phones: the door's status is written for the next package, not pushed to pulls.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/ids.h"
#include "shared/base/result.h"
#include "shared/store/store.h"

namespace doorstep::store {

inline constexpr const char* kPaperDevice = "paper";

struct PaperEntry {
  std::string door_id, result;     // result: a model.h AttemptResult name
  std::string answers_json = "{}"; // {"<question id>": answer}
};

// Checks every entry first (door in the turf now or once, known result, answers an object) and
// writes nothing on any error; then one attempt per entry, at now_ms. Returns the count.
Result<int64_t> record_paper_tally(Db& db, std::string_view turf_id, const std::string& canvasser,
                                   const std::vector<PaperEntry>& entries, int64_t now_ms, const Hlc& hlc);

}  // namespace doorstep::store
