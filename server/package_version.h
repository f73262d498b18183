// The turf package's version as a link sees it: a short hash of what the package is built from
// and pulls do not carry (survey version, the turf's edits, campaign Help, languages and map cap,
// the link's expiry). Cheap enough for every pull; leaves out building the package itself.
#pragma once
#include <string>

#include "server/storage.h"
#include "shared/base/result.h"
#include "shared/store/store.h"

namespace doorstep::server {

// 16 lowercase hex digits; equal for two reads exactly when none of those inputs changed (a
// change of any of them gives another value, collisions aside). Opaque: phones compare it only.
Result<std::string> package_version(store::Db& db, const LinkRecord& link);

}  // namespace doorstep::server
