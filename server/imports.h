// Uploads in progress, one per campaign: what GET .../imports/current reports (bytes received of
// the declared total, rows imported, the phase), a cap on uploads at once (each spools a file to
// disk), and the spool folder. Leaves out the import itself (shared/io/importer, ref_points) and
// HTTP (api_universe.cpp).
#pragma once
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "shared/base/json.h"
#include "shared/base/result.h"

namespace doorstep::server {

class Imports {
 public:
  struct Progress {
    std::string kind;  // "universe" or "address-points"
    std::atomic<uint64_t> bytes_received{0}, bytes_total{0}, rows{0};
    std::atomic<int> phase{0};  // index into phase_name()
    json::Value to_json() const;
  };
  enum Phase { receiving = 0, checking, importing, placing, done, failed };
  static const char* phase_name(int p);

  explicit Imports(size_t max_at_once = 2) : max_(max_at_once) {}
  // A new upload for the campaign: conflict when one is running for it, rate_limited when
  // max_at_once are running. The progress stays readable after finish() until the next start().
  Result<std::shared_ptr<Progress>> start(const std::string& campaign_id, const std::string& kind);
  void finish(const std::string& campaign_id, bool ok);
  // The campaign's running (or last) upload; nullptr when there was none since the server started.
  std::shared_ptr<Progress> current(const std::string& campaign_id) const;

 private:
  mutable std::mutex mu_;
  size_t max_, running_ = 0;
  std::map<std::string, std::pair<std::shared_ptr<Progress>, bool>> by_campaign_;  // progress, running
};

}  // namespace doorstep::server
