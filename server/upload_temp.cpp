// Upload temp files (see upload_temp.h).
#include "server/upload_temp.h"

#include <filesystem>

#include "server/auth.h"

namespace doorstep::server {

namespace fs = std::filesystem;

UploadTemp::UploadTemp(const std::string& uploads_dir, const std::string& suffix) {
  std::error_code ec;
  fs::create_directories(uploads_dir, ec);
  path_ = (fs::path(uploads_dir) / (new_secret_hex() + suffix)).string();
}

UploadTemp::~UploadTemp() {
  std::error_code ec;
  fs::remove(path_, ec);
}

int remove_stale_uploads(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  int n = 0;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code fec;
    if (it->is_regular_file(fec) && fs::remove(it->path(), fec)) ++n;
  }
  return n;
}

}  // namespace doorstep::server
