// Upload registry (see imports.h).
#include "server/imports.h"

namespace doorstep::server {

const char* Imports::phase_name(int p) {
  static const char* names[] = {"receiving", "checking", "importing", "placing", "done", "failed"};
  return p >= 0 && p <= failed ? names[p] : "unknown";
}

json::Value Imports::Progress::to_json() const {
  json::Value o = json::Value::object();
  o.set("kind", kind);
  o.set("bytes_received", bytes_received.load());
  o.set("bytes_total", bytes_total.load());
  o.set("rows", rows.load());
  o.set("phase", phase_name(phase.load()));
  int p = phase.load();
  o.set("running", p != done && p != failed);
  return o;
}

Result<std::shared_ptr<Imports::Progress>> Imports::start(const std::string& campaign_id, const std::string& kind) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = by_campaign_.find(campaign_id);
  if (it != by_campaign_.end() && it->second.second)
    return Error{Code::conflict, "an upload into this campaign is still running; wait for its report"};
  if (running_ >= max_) return Error{Code::rate_limited, "too many uploads at once; try again in a minute"};
  auto p = std::make_shared<Progress>();
  p->kind = kind;
  by_campaign_[campaign_id] = {p, true};
  ++running_;
  return p;
}

void Imports::finish(const std::string& campaign_id, bool ok) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = by_campaign_.find(campaign_id);
  if (it == by_campaign_.end() || !it->second.second) return;
  it->second.second = false;
  it->second.first->phase = ok ? done : failed;
  --running_;
}

std::shared_ptr<Imports::Progress> Imports::current(const std::string& campaign_id) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = by_campaign_.find(campaign_id);
  return it == by_campaign_.end() ? nullptr : it->second.first;
}

}  // namespace doorstep::server
