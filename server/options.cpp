// Command-line option reader (see options.h).
#include "server/options.h"

namespace doorstep::cli {

Options::Options(int argc, char** argv, std::set<std::string> value_opts, std::set<std::string> flag_opts) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) != 0 || a == "--") {
      positional_.push_back(a);
      continue;
    }
    std::string name = a.substr(2), value;
    bool has_inline = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_inline = true;
    }
    if (value_opts.count(name)) {
      if (!has_inline) {
        if (i + 1 >= argc) { error_ = "option --" + name + " needs a value"; return; }
        value = argv[++i];
      }
      values_[name] = value;
      all_values_[name].push_back(value);
    } else if (flag_opts.count(name) && !has_inline) {
      flags_.insert(name);
    } else {
      error_ = "unknown option --" + name;
      return;
    }
  }
}

std::optional<std::string> Options::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> Options::all(const std::string& name) const {
  auto it = all_values_.find(name);
  return it == all_values_.end() ? std::vector<std::string>{} : it->second;
}

std::string Options::get_or(const std::string& name, const std::string& dflt) const {
  auto v = get(name);
  return v ? *v : dflt;
}

}  // namespace doorstep::cli
