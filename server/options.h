// Tiny command-line option reader shared by the subcommands: --name VALUE and --flag forms,
// with a clear error for unknown or incomplete options; a value option given twice keeps both
// (all()), get() answers the last.
#pragma once
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace doorstep::cli {

class Options {
 public:
  // value_opts take an argument; flag_opts do not. Anything else that starts with -- is an error.
  Options(int argc, char** argv, std::set<std::string> value_opts, std::set<std::string> flag_opts);
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  std::optional<std::string> get(const std::string& name) const;  // the last value given
  std::vector<std::string> all(const std::string& name) const;    // every value, in order (repeatable options)
  std::string get_or(const std::string& name, const std::string& dflt) const;
  bool flag(const std::string& name) const { return flags_.count(name) > 0; }
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::string> values_;
  std::map<std::string, std::vector<std::string>> all_values_;
  std::set<std::string> flags_;
  std::vector<std::string> positional_;
  std::string error_;
};

}  // namespace doorstep::cli
