// Upload temp files: every one lives in DIR/uploads (0700, beside the database; doorstep serve
// spools request bodies there too), is removed when its owner is done with it, failure included,
// and the folder is emptied at start of whatever a crash left behind. Leaves out receiving a body
// (http.h body_to_file) and what the files hold.
#pragma once
#include <string>

namespace doorstep::server {

// A new, not yet created file name in `uploads_dir` (random, ending in `suffix`); the file, if any
// was made, is removed when this goes out of scope: after use, on an error answer, on an exception.
class UploadTemp {
 public:
  UploadTemp(const std::string& uploads_dir, const std::string& suffix);
  ~UploadTemp();
  UploadTemp(const UploadTemp&) = delete;
  UploadTemp& operator=(const UploadTemp&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Makes `dir` (0700) when missing and removes every file in it: run at start, when no upload can
// be in progress. Returns how many were removed.
int remove_stale_uploads(const std::string& dir);

}  // namespace doorstep::server
