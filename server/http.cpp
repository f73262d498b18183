// The transport-independent parts of server/http.h: field lookup, bounded body reading (to a
// string or a file) and route matching. Leaves out sockets and parsing (http_server.cpp).
#include "server/http.h"

#include <cstdio>
#include <filesystem>

namespace doorstep::server::http {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

const std::string* find_field(const Fields& f, std::string_view name) {
  for (const auto& [k, v] : f)
    if (iequals(k, name)) return &v;
  return nullptr;
}

std::string Request::header(std::string_view name) const {
  const std::string* v = find_field(headers, name);
  return v ? *v : std::string();
}

std::string Request::query_value(std::string_view name) const {
  const std::string* v = find_field(query, name);
  return v ? *v : std::string();
}

std::optional<uint64_t> Request::content_length() const {
  const std::string* v = find_field(headers, "Content-Length");
  if (!v || v->empty() || v->size() > 19 || v->find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoull(*v);
}

Request::Answer Request::defer() {
  if (!deferrer_ || deferred_) return {};
  deferred_ = true;
  return deferrer_();
}

Result<std::string_view> Request::body(size_t limit) {
  if (body_) {
    if (body_->size() > limit) return Error{Code::too_large, "request body too large"};
    return std::string_view(*body_);
  }
  if (consumed_) return Error{Code::invalid_argument, "the body was already read"};
  if (auto n = content_length(); n && *n > limit) return Error{Code::too_large, "request body too large"};
  std::string out;
  char buf[16384];
  while (source_) {
    auto n = source_(buf, sizeof buf);
    if (!n) return n.error();
    if (*n == 0) break;
    if (out.size() + *n > limit) {
      consumed_ = true;
      return Error{Code::too_large, "request body too large"};
    }
    out.append(buf, *n);
  }
  body_ = std::move(out);
  return std::string_view(*body_);
}

Result<uint64_t> Request::body_to_file(const std::string& path, uint64_t limit) {
  if (body_ || consumed_) return Error{Code::invalid_argument, "the body was already read"};
  if (auto n = content_length(); n && *n > limit) return Error{Code::too_large, "request body too large"};
  consumed_ = true;
  std::FILE* f = std::fopen(path.c_str(), "wbx");
  if (!f) return Error{Code::io, "cannot create " + path};
  uint64_t total = 0;
  char buf[65536];
  Status st = Status::Ok();
  while (source_) {
    auto n = source_(buf, sizeof buf);
    if (!n) {
      st = n.error();
      break;
    }
    if (*n == 0) break;
    if (total + *n > limit) {
      st = Error{Code::too_large, "request body too large"};
      break;
    }
    if (std::fwrite(buf, 1, *n, f) != *n) {
      st = Error{Code::io, "cannot write " + path};
      break;
    }
    total += *n;
  }
  if (std::fclose(f) != 0 && st.ok()) st = Error{Code::io, "cannot write " + path};
  if (!st.ok()) {
    std::error_code ec;
    std::filesystem::remove(path, ec);
    return st.error();
  }
  return total;
}

Result<uint64_t> Request::body_chunks(uint64_t limit, const std::function<Status(std::string_view)>& fn) {
  if (body_ || consumed_) return Error{Code::invalid_argument, "the body was already read"};
  if (auto n = content_length(); n && *n > limit) return Error{Code::too_large, "request body too large"};
  consumed_ = true;
  uint64_t total = 0;
  std::string buf(65536, '\0');
  while (source_) {
    auto n = source_(buf.data(), buf.size());
    if (!n) return n.error();
    if (*n == 0) break;
    if (total + *n > limit) return Error{Code::too_large, "request body too large"};
    total += *n;
    if (auto s = fn(std::string_view(buf.data(), *n)); !s) return s.error();
  }
  return total;
}

void Response::set_header(std::string name, std::string value) {
  std::erase_if(headers, [&](const auto& f) { return iequals(f.first, name); });
  headers.emplace_back(std::move(name), std::move(value));
}

std::string Response::header(std::string_view name) const {
  const std::string* v = find_field(headers, name);
  return v ? *v : std::string();
}

void Response::set_content(std::string text, std::string content_type) {
  body = std::move(text);
  file_path.clear();
  file_offset = 0;
  file_length.reset();
  set_header("Content-Type", std::move(content_type));
}

void Response::send_file(std::string path, std::string content_type) {
  body.clear();
  file_path = std::move(path);
  set_header("Content-Type", std::move(content_type));
}

void Router::add(std::string method, std::string pattern, Handler h, RouteLimits limits) {
  std::regex re(pattern, std::regex::ECMAScript);
  routes_.push_back(Route{std::move(method), std::move(pattern), std::move(re), std::move(h), std::move(limits)});
}

const Route* Router::match(std::string_view method, const std::string& path, std::vector<std::string>& params) const {
  std::smatch m;
  for (const auto& r : routes_) {
    if (r.method != method) continue;
    if (!std::regex_match(path, m, r.re)) continue;
    params.clear();
    for (size_t i = 1; i < m.size(); ++i) params.push_back(m[i].str());
    return &r;
  }
  return nullptr;
}

}  // namespace doorstep::server::http
