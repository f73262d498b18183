// Strict decoding and encoding of the sync wire messages (see sync_protocol.h, docs/sync.md).
// Every check here is one a hostile or buggy client could trip, so each returns an Error with a
// stable code and a message naming the field; nothing asserts on input.
#include "shared/sync/sync_protocol.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <initializer_list>

#include "shared/base/hash.h"
#include "shared/base/ids.h"
#include "shared/base/model.h"

namespace doorstep::sync {

namespace {

constexpr std::array<std::string_view, 8> kKindNames = {"attempt.add", "signup.add",    "door.set",     "person.add",
                                                         "person.set",  "person.delete", "attempt.void", "attempt.amend"};
constexpr int64_t kMaxSeq = (int64_t(1) << 53) - 1;  // exact in a JS number
constexpr int64_t kMaxTimeMs = 4102444800000;         // 2100-01-01: later clocks are bogus

Error bad(std::string msg) { return make_error(Code::invalid_argument, std::move(msg)); }

// Fails on any key of `o` not in `allowed`: strictness keeps old and new builds honest.
Status only_keys(const json::Value& o, std::initializer_list<std::string_view> allowed, std::string_view where) {
  for (const auto& kv : o.as_object())
    if (std::find(allowed.begin(), allowed.end(), kv.first) == allowed.end())
      return bad("unknown field '" + kv.first + "' in " + std::string(where));
  return {};
}

Result<const json::Value*> need(const json::Value& o, std::string_view key, std::string_view where) {
  const json::Value* v = o.find(key);
  if (!v) return bad("missing field '" + std::string(key) + "' in " + std::string(where));
  return v;
}

Result<int64_t> get_int(const json::Value& o, std::string_view key, int64_t lo, int64_t hi, std::string_view where) {
  auto v = need(o, key, where);
  if (!v) return v.error();
  if (!(*v)->is_integer()) return bad("field '" + std::string(key) + "' must be an integer");
  int64_t i = (*v)->as_int();
  if (i < lo || i > hi) return bad("field '" + std::string(key) + "' out of range");
  return i;
}

Status check_string(const json::Value& v, std::string_view key, size_t max, const Limits& lim) {
  if (!v.is_string()) return bad("field '" + std::string(key) + "' must be a string");
  if (v.as_string().size() > std::min(max, lim.max_string)) return make_error(Code::too_large, "field '" + std::string(key) + "' too long");
  if (!utf8::valid(v.as_string())) return bad("field '" + std::string(key) + "' is not valid UTF-8");
  return {};
}

Result<std::string> get_string(const json::Value& o, std::string_view key, size_t max, const Limits& lim, std::string_view where) {
  auto v = need(o, key, where);
  if (!v) return v.error();
  if (auto s = check_string(**v, key, max, lim); !s) return s.error();
  return (*v)->as_string();
}

Status check_uuid(const json::Value& v, std::string_view key) {
  if (!v.is_string() || !is_uuid(v.as_string())) return bad("field '" + std::string(key) + "' must be a lowercase UUID");
  return {};
}

Status check_uuid_field(const json::Value& o, std::string_view key, bool required, bool nullable) {
  const json::Value* v = o.find(key);
  if (!v) return required ? Status(bad("missing field '" + std::string(key) + "'")) : Status();
  if (nullable && v->is_null()) return {};
  return check_uuid(*v, key);
}

Status check_opt_string(const json::Value& o, std::string_view key, size_t max, bool nullable, const Limits& lim) {
  const json::Value* v = o.find(key);
  if (!v || (nullable && v->is_null())) return {};
  return check_string(*v, key, max, lim);
}

Status check_opt_number(const json::Value& o, std::string_view key, double lo, double hi) {
  const json::Value* v = o.find(key);
  if (!v) return {};
  if (!v->is_number()) return bad("field '" + std::string(key) + "' must be a number");
  double d = v->as_double();
  if (!std::isfinite(d) || d < lo || d > hi) return bad("field '" + std::string(key) + "' out of range");
  return {};
}

bool is_token(std::string_view s, size_t max) {
  if (s.empty() || s.size() > max) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

Status check_answers(const json::Value& a, const Limits& lim) {
  if (!a.is_object()) return bad("field 'answers' must be an object");
  if (a.size() > 64) return make_error(Code::too_large, "too many answers");
  for (const auto& [k, v] : a.as_object()) {
    if (k.empty() || k.size() > 64) return bad("answer key must be 1-64 bytes");
    if (v.is_bool() || v.is_null()) continue;
    if (v.is_integer()) {
      if (v.as_int() < -1000000 || v.as_int() > 1000000) return bad("answer '" + k + "' out of range");
      continue;
    }
    if (v.is_string()) { TRY(check_string(v, "answers." + k, 2000, lim)); continue; }
    if (v.is_array()) {
      if (v.size() > 32) return make_error(Code::too_large, "answer '" + k + "' has too many choices");
      for (const auto& c : v.as_array()) TRY(check_string(c, "answers." + k, 200, lim));
      continue;
    }
    return bad("answer '" + k + "' has an unsupported type");
  }
  return {};
}

// Mutable fields per entity: name and how to check a value. null clears a field.
Status check_door_fields(const json::Value& set, const Limits& lim) {
  if (!set.is_object() || set.size() == 0) return bad("field 'set' must be a non-empty object");
  TRY(only_keys(set, {"status", "do_not_contact", "safety", "notes"}, "door fields"));
  if (auto* s = set.find("status"); s && !(s->is_string() && is_token(s->as_string(), 32)))
    return bad("door status must be a short lowercase token");
  if (auto* d = set.find("do_not_contact"); d && !d->is_bool()) return bad("do_not_contact must be a boolean");
  TRY(check_opt_string(set, "safety", 500, true, lim));
  TRY(check_opt_string(set, "notes", 2000, true, lim));
  return {};
}

Status check_person_fields(const json::Value& set, bool allow_empty, const Limits& lim) {
  if (!set.is_object() || (!allow_empty && set.size() == 0)) return bad("field 'set' must be a non-empty object");
  TRY(only_keys(set, {"first_name", "last_name", "phone", "email", "language", "do_not_contact", "safety", "door"},
                "person fields"));
  TRY(check_opt_string(set, "first_name", 100, true, lim));
  TRY(check_opt_string(set, "last_name", 100, true, lim));
  TRY(check_opt_string(set, "phone", 32, true, lim));
  TRY(check_opt_string(set, "email", 254, true, lim));
  TRY(check_opt_string(set, "safety", 500, true, lim));
  if (auto* l = set.find("language"); l && !l->is_null() && !(l->is_string() && l->as_string().size() <= 16 && !l->as_string().empty()))
    return bad("language must be a short tag");
  if (auto* d = set.find("do_not_contact"); d && !d->is_bool()) return bad("do_not_contact must be a boolean");
  TRY(check_uuid_field(set, "door", false, false));
  return {};
}

Status check_payload(Kind kind, const json::Value& p, const Limits& lim) {
  if (!p.is_object()) return bad("payload must be an object");
  // The size dump() would write, counted without writing it.
  if (json::dumped_size(p) > lim.max_payload_bytes) return make_error(Code::too_large, "payload too large");
  switch (kind) {
    case Kind::attempt_add: {
      TRY(only_keys(p, {"door", "person", "result", "answers", "notes", "lat", "lon", "accuracy_m", "canvasser",
                        "survey_version"},
                    "attempt.add"));
      TRY(check_uuid_field(p, "door", true, false));
      TRY(check_uuid_field(p, "person", false, true));
      auto r = need(p, "result", "attempt.add");
      if (!r) return r.error();
      if (!(*r)->is_string() || !attempt_result_from_name((*r)->as_string()))
        return bad("unknown attempt result");
      if (auto* a = p.find("answers")) TRY(check_answers(*a, lim));
      TRY(check_opt_string(p, "notes", 2000, false, lim));
      TRY(check_opt_string(p, "canvasser", 100, false, lim));
      TRY(check_opt_number(p, "lat", -90, 90));
      TRY(check_opt_number(p, "lon", -180, 180));
      TRY(check_opt_number(p, "accuracy_m", 0, 1e6));
      if ((p.find("lat") == nullptr) != (p.find("lon") == nullptr)) return bad("lat and lon come together");
      // The package's survey version the answers belong to (absent: an older phone, version unknown).
      if (auto* v = p.find("survey_version"); v && !(v->is_integer() && v->as_int() >= 0))
        return bad("survey_version must be a non-negative integer");
      return {};
    }
    case Kind::signup_add: {
      TRY(only_keys(p, {"door", "person", "name", "phone", "email", "consents", "notes"}, "signup.add"));
      TRY(check_uuid_field(p, "door", true, false));
      TRY(check_uuid_field(p, "person", false, true));
      TRY(check_opt_string(p, "name", 200, false, lim));
      TRY(check_opt_string(p, "phone", 32, false, lim));
      TRY(check_opt_string(p, "email", 254, false, lim));
      TRY(check_opt_string(p, "notes", 2000, false, lim));
      auto c = need(p, "consents", "signup.add");
      if (!c) return c.error();
      if (!(*c)->is_object()) return bad("consents must be an object");
      for (const auto& kv : (*c)->as_object()) {
        if (!consent_purpose_from_name(kv.first)) return bad("unknown consent purpose '" + kv.first + "'");
        if (!kv.second.is_bool()) return bad("consent '" + kv.first + "' must be a boolean");
      }
      return {};
    }
    case Kind::door_set: {
      TRY(only_keys(p, {"door", "set"}, "door.set"));
      TRY(check_uuid_field(p, "door", true, false));
      auto s = need(p, "set", "door.set");
      if (!s) return s.error();
      return check_door_fields(**s, lim);
    }
    case Kind::person_add: {
      TRY(only_keys(p, {"person", "door", "set"}, "person.add"));
      TRY(check_uuid_field(p, "person", true, false));
      TRY(check_uuid_field(p, "door", true, false));
      auto s = need(p, "set", "person.add");
      if (!s) return s.error();
      if (auto* d = (*s)->find("door")) { (void)d; return bad("person.add takes its door outside 'set'"); }
      return check_person_fields(**s, true, lim);
    }
    case Kind::person_set: {
      TRY(only_keys(p, {"person", "set"}, "person.set"));
      TRY(check_uuid_field(p, "person", true, false));
      auto s = need(p, "set", "person.set");
      if (!s) return s.error();
      return check_person_fields(**s, false, lim);
    }
    case Kind::person_delete: {
      TRY(only_keys(p, {"person"}, "person.delete"));
      return check_uuid_field(p, "person", true, false);
    }
    case Kind::attempt_void: {
      TRY(only_keys(p, {"attempt"}, "attempt.void"));
      return check_uuid_field(p, "attempt", true, false);
    }
    case Kind::attempt_amend: {
      // The same bounds as attempt.add's fields; an amend that changes nothing is refused.
      TRY(only_keys(p, {"attempt", "result", "answers", "notes"}, "attempt.amend"));
      TRY(check_uuid_field(p, "attempt", true, false));
      if (!p.find("result") && !p.find("answers") && !p.find("notes"))
        return bad("attempt.amend needs at least one of result, answers, notes");
      if (auto* r = p.find("result"); r && !(r->is_string() && attempt_result_from_name(r->as_string())))
        return bad("unknown attempt result");
      if (auto* a = p.find("answers")) TRY(check_answers(*a, lim));
      return check_opt_string(p, "notes", 2000, false, lim);
    }
  }
  return bad("unknown kind");
}

Result<int> get_version(const json::Value& v) {
  if (!v.is_object()) return bad("message must be a JSON object");
  auto ver = get_int(v, "v", INT32_MIN, INT32_MAX, "message");
  if (!ver) return ver.error();
  if (*ver < kMinProtocolVersion || *ver > kProtocolVersion)
    return make_error(Code::unsupported, "protocol version " + std::to_string(*ver) + " is not supported (this build speaks " +
                                             std::to_string(kMinProtocolVersion) + "-" + std::to_string(kProtocolVersion) + ")");
  return static_cast<int>(*ver);
}

Result<Mutation> decode_mutation_impl(const json::Value& m, const Limits& lim) {
  if (!m.is_object()) return bad("mutation must be an object");
  if (auto s = only_keys(m, {"seq", "id", "kind", "payload", "hlc", "at"}, "mutation"); !s) return s.error();
  Mutation out;
  auto seq = get_int(m, "seq", 1, kMaxSeq, "mutation");
  if (!seq) return seq.error();
  out.seq = *seq;
  auto id = get_string(m, "id", 36, lim, "mutation");
  if (!id) return id.error();
  out.id = *id;
  auto kind = get_string(m, "kind", 32, lim, "mutation");
  if (!kind) return kind.error();
  auto k = kind_from_name(*kind);
  if (!k) return bad("unknown mutation kind '" + *kind + "'");
  out.kind = *k;
  auto p = need(m, "payload", "mutation");
  if (!p) return p.error();
  out.payload = **p;
  auto hlc = get_string(m, "hlc", 96, lim, "mutation");
  if (!hlc) return hlc.error();
  out.hlc = *hlc;
  auto at = get_int(m, "at", 0, kMaxTimeMs, "mutation");
  if (!at) return at.error();
  out.at_ms = *at;
  if (auto s = validate_mutation(out, lim); !s) return s.error();
  return out;
}

// Canonical form for hashing: keys sorted, so a client that re-serialises a stored mutation in
// another key order (JavaScript, IndexedDB) is not mistaken for one that changed it.
void canonical(std::string& out, const json::Value& v) {
  if (v.is_object()) {
    std::vector<const std::pair<std::string, json::Value>*> kv;
    for (const auto& p : v.as_object()) kv.push_back(&p);
    std::sort(kv.begin(), kv.end(), [](auto* a, auto* b) { return a->first < b->first; });
    out += '{';
    for (size_t i = 0; i < kv.size(); ++i) {
      if (i) out += ',';
      json::append_quoted(out, kv[i]->first);
      out += ':';
      canonical(out, kv[i]->second);
    }
    out += '}';
  } else if (v.is_array()) {
    out += '[';
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) out += ',';
      canonical(out, v.as_array()[i]);
    }
    out += ']';
  } else {
    json::dump_append(out, v);
  }
}

json::Value rejected_json(const Rejected& r) {
  json::Value o = json::Value::object();
  o.set("seq", r.seq);
  o.set("code", std::string(code_name(r.code)));
  o.set("message", r.message);
  return o;
}

}  // namespace

std::string_view kind_name(Kind k) { return kKindNames[static_cast<size_t>(k)]; }

int kind_since_version(Kind k) { return k == Kind::attempt_void || k == Kind::attempt_amend ? 3 : 1; }

std::optional<Kind> kind_from_name(std::string_view s) {
  for (size_t i = 0; i < kKindNames.size(); ++i)
    if (kKindNames[i] == s) return static_cast<Kind>(i);
  return std::nullopt;
}

bool is_client_id(std::string_view s) {
  return s.size() == 32 && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

json::Value Mutation::to_json() const {
  json::Value o = json::Value::object();
  o.set("seq", seq);
  o.set("id", id);
  o.set("kind", std::string(kind_name(kind)));
  o.set("payload", payload);
  o.set("hlc", hlc);
  o.set("at", at_ms);
  return o;
}

std::string Mutation::content_hash() const {
  // seq is left out: the hash says what the mutation is, the seq says where it is.
  std::string c;
  canonical(c, payload);
  uint64_t h = hash::fnv1a(id, hash::kStoredOffset);
  h = hash::fnv1a("|", h);
  h = hash::fnv1a(kind_name(kind), h);
  h = hash::fnv1a("|", h);
  h = hash::fnv1a(c, h);
  h = hash::fnv1a("|" + hlc + "|" + std::to_string(at_ms), h);
  static const char* hex = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) s[static_cast<size_t>(i)] = hex[h & 15];
  return s;
}

bool Mutation::operator==(const Mutation& o) const {
  return seq == o.seq && id == o.id && kind == o.kind && payload == o.payload && hlc == o.hlc && at_ms == o.at_ms;
}

json::Value Change::to_json() const {
  json::Value o = json::Value::object();
  o.set("entity", entity);
  o.set("id", id);
  if (!field.empty()) {
    o.set("field", field);
    o.set("value", value);
  } else {
    o.set("record", record);
  }
  o.set("hlc", hlc);
  return o;
}

bool Change::operator==(const Change& o) const {
  return entity == o.entity && id == o.id && field == o.field && value == o.value && hlc == o.hlc && record == o.record;
}

Status validate_mutation(const Mutation& m, const Limits& lim) {
  if (m.seq < 1 || m.seq > kMaxSeq) return bad("seq out of range");
  if (!is_uuid(m.id)) return bad("mutation id must be a lowercase UUID");
  auto h = Hlc::parse(m.hlc);
  if (!h || h->node.empty() || h->node.size() > 64 || !utf8::valid(h->node) || h->wall_ms > kMaxTimeMs)
    return bad("hlc is not a valid clock stamp");
  if (m.at_ms < 0 || m.at_ms > kMaxTimeMs) return bad("at out of range");
  return check_payload(m.kind, m.payload, lim);
}

Result<Mutation> decode_mutation(const json::Value& v, const Limits& lim) { return decode_mutation_impl(v, lim); }

Result<PushRequest> decode_push_request(const json::Value& v, const Limits& lim) {
  auto ver = get_version(v);
  if (!ver) return ver.error();
  if (auto s = *ver >= 2 ? only_keys(v, {"v", "client_id", "mutations", "recorded_through"}, "push request")
                         : only_keys(v, {"v", "client_id", "mutations"}, "push request");
      !s)
    return s.error();
  PushRequest r;
  r.v = *ver;
  if (v.find("recorded_through")) {
    auto rt = get_int(v, "recorded_through", 0, kMaxSeq, "push request");
    if (!rt) return rt.error();
    r.recorded_through = *rt;
  }
  auto cid = get_string(v, "client_id", 32, lim, "push request");
  if (!cid) return cid.error();
  if (!is_client_id(*cid)) return bad("client_id must be 32 lowercase hex characters");
  r.client_id = *cid;
  auto ms = need(v, "mutations", "push request");
  if (!ms) return ms.error();
  if (!(*ms)->is_array()) return bad("mutations must be an array");
  if ((*ms)->size() > lim.max_batch) return make_error(Code::too_large, "batch larger than " + std::to_string(lim.max_batch));
  for (const auto& m : (*ms)->as_array()) {
    auto d = decode_mutation_impl(m, lim);
    if (!d) {
      Error e = d.error();
      e.message = "mutation " + std::to_string(r.mutations.size()) + ": " + e.message;
      return e;
    }
    // A released version never changes: a kind newer than the request's version is unknown to it.
    if (kind_since_version(d->kind) > *ver)
      return bad("mutation " + std::to_string(r.mutations.size()) + ": kind '" + std::string(kind_name(d->kind)) +
                 "' needs protocol version " + std::to_string(kind_since_version(d->kind)));
    if (!r.mutations.empty() && d->seq != r.mutations.back().seq + 1) return bad("mutations must have consecutive seq");
    r.mutations.push_back(std::move(*d));
  }
  return r;
}

Result<PushResponse> decode_push_response(const json::Value& v, const Limits& lim) {
  auto ver = get_version(v);
  if (!ver) return ver.error();
  if (auto s = only_keys(v, {"v", "client_id", "code", "acked_through", "rejected", "wipe_after_flush", "server_ms"},
                         "push response");
      !s)
    return s.error();
  PushResponse r;
  r.v = *ver;
  auto cid = get_string(v, "client_id", 32, lim, "push response");
  if (!cid) return cid.error();
  r.client_id = *cid;
  auto code = get_string(v, "code", 32, lim, "push response");
  if (!code) return code.error();
  auto c = code_from_name(*code);
  if (!c || (*c != Code::ok && *c != Code::gap && *c != Code::conflict)) return bad("push response code must be ok, gap or conflict");
  r.code = *c;
  auto at = get_int(v, "acked_through", 0, kMaxSeq, "push response");
  if (!at) return at.error();
  r.acked_through = *at;
  auto ms = get_int(v, "server_ms", 0, kMaxTimeMs, "push response");
  if (!ms) return ms.error();
  r.server_ms = *ms;
  auto w = need(v, "wipe_after_flush", "push response");
  if (!w) return w.error();
  if (!(*w)->is_bool()) return bad("wipe_after_flush must be a boolean");
  r.wipe_after_flush = (*w)->as_bool();
  auto rej = need(v, "rejected", "push response");
  if (!rej) return rej.error();
  if (!(*rej)->is_array() || (*rej)->size() > lim.max_batch) return bad("rejected must be a short array");
  for (const auto& e : (*rej)->as_array()) {
    if (!e.is_object()) return bad("rejected entry must be an object");
    if (auto s = only_keys(e, {"seq", "code", "message"}, "rejected entry"); !s) return s.error();
    Rejected x;
    auto seq = get_int(e, "seq", 1, kMaxSeq, "rejected entry");
    if (!seq) return seq.error();
    x.seq = *seq;
    auto cn = get_string(e, "code", 32, lim, "rejected entry");
    if (!cn) return cn.error();
    auto cc = code_from_name(*cn);
    if (!cc) return bad("unknown code in rejected entry");
    x.code = *cc;
    auto msg = get_string(e, "message", 500, lim, "rejected entry");
    if (!msg) return msg.error();
    x.message = *msg;
    r.rejected.push_back(std::move(x));
  }
  return r;
}

Result<PullRequest> decode_pull_request(const json::Value& v, const Limits& lim) {
  auto ver = get_version(v);
  if (!ver) return ver.error();
  if (auto s = *ver >= 2 ? only_keys(v, {"v", "cursor", "limit", "client_id", "recorded_through"}, "pull request")
                         : only_keys(v, {"v", "cursor", "limit"}, "pull request");
      !s)
    return s.error();
  PullRequest r;
  r.v = *ver;
  if (v.find("client_id")) {
    auto cid = get_string(v, "client_id", 32, lim, "pull request");
    if (!cid) return cid.error();
    if (!is_client_id(*cid)) return bad("client_id must be 32 lowercase hex characters");
    r.client_id = *cid;
  }
  if (v.find("recorded_through")) {
    auto rt = get_int(v, "recorded_through", 0, kMaxSeq, "pull request");
    if (!rt) return rt.error();
    r.recorded_through = *rt;
  }
  if (v.find("cursor")) {
    auto c = get_string(v, "cursor", 128, lim, "pull request");
    if (!c) return c.error();
    r.cursor = *c;
  }
  if (v.find("limit")) {
    auto l = get_int(v, "limit", 1, static_cast<int64_t>(lim.max_changes), "pull request");
    if (!l) return l.error();
    r.limit = *l;
  } else {
    r.limit = std::min<int64_t>(500, static_cast<int64_t>(lim.max_changes));
  }
  return r;
}

Result<PullResponse> decode_pull_response(const json::Value& v, const Limits& lim) {
  auto ver = get_version(v);
  if (!ver) return ver.error();
  if (auto s = *ver >= 4 ? only_keys(v, {"v", "changes", "cursor", "more", "package_version"}, "pull response")
                         : only_keys(v, {"v", "changes", "cursor", "more"}, "pull response");
      !s)
    return s.error();
  PullResponse r;
  r.v = *ver;
  if (v.find("package_version")) {
    auto pv = get_string(v, "package_version", 64, lim, "pull response");
    if (!pv) return pv.error();
    r.package_version = *pv;
  }
  auto c = get_string(v, "cursor", 128, lim, "pull response");
  if (!c) return c.error();
  r.cursor = *c;
  auto more = need(v, "more", "pull response");
  if (!more) return more.error();
  if (!(*more)->is_bool()) return bad("more must be a boolean");
  r.more = (*more)->as_bool();
  auto ch = need(v, "changes", "pull response");
  if (!ch) return ch.error();
  if (!(*ch)->is_array() || (*ch)->size() > lim.max_changes) return bad("changes must be an array within the limit");
  for (const auto& e : (*ch)->as_array()) {
    if (!e.is_object()) return bad("change must be an object");
    if (auto s = only_keys(e, {"entity", "id", "field", "value", "record", "hlc"}, "change"); !s) return s.error();
    Change x;
    auto ent = get_string(e, "entity", 32, lim, "change");
    if (!ent) return ent.error();
    x.entity = *ent;
    auto id = get_string(e, "id", 64, lim, "change");
    if (!id) return id.error();
    x.id = *id;
    auto hlc = get_string(e, "hlc", 96, lim, "change");
    if (!hlc) return hlc.error();
    x.hlc = *hlc;
    if (e.find("field")) {
      auto f = get_string(e, "field", 64, lim, "change");
      if (!f) return f.error();
      if (f->empty()) return bad("change field must not be empty");
      x.field = *f;
      auto val = need(e, "value", "change");
      if (!val) return val.error();
      x.value = **val;
      if (e.find("record")) return bad("a change has either field/value or record");
    } else {
      auto rec = need(e, "record", "change");
      if (!rec) return rec.error();
      if (!(*rec)->is_object()) return bad("record must be an object");
      x.record = **rec;
      if (e.find("value")) return bad("value without field");
    }
    r.changes.push_back(std::move(x));
  }
  return r;
}

json::Value encode(const PushRequest& r) {
  json::Value o = json::Value::object();
  o.set("v", r.v);
  o.set("client_id", r.client_id);
  json::Value a = json::Value::array();
  for (const auto& m : r.mutations) a.push(m.to_json());
  o.set("mutations", std::move(a));
  if (r.v >= 2 && r.recorded_through > 0) o.set("recorded_through", r.recorded_through);
  return o;
}

json::Value encode(const PushResponse& r) {
  json::Value o = json::Value::object();
  o.set("v", r.v);
  o.set("client_id", r.client_id);
  o.set("code", std::string(code_name(r.code)));
  o.set("acked_through", r.acked_through);
  json::Value a = json::Value::array();
  for (const auto& x : r.rejected) a.push(rejected_json(x));
  o.set("rejected", std::move(a));
  o.set("wipe_after_flush", r.wipe_after_flush);
  o.set("server_ms", r.server_ms);
  return o;
}

json::Value encode(const PullRequest& r) {
  json::Value o = json::Value::object();
  o.set("v", r.v);
  o.set("cursor", r.cursor);
  o.set("limit", r.limit);
  if (r.v >= 2 && !r.client_id.empty()) o.set("client_id", r.client_id);
  if (r.v >= 2 && r.recorded_through > 0) o.set("recorded_through", r.recorded_through);
  return o;
}

json::Value encode(const PullResponse& r) {
  json::Value o = json::Value::object();
  o.set("v", r.v);
  json::Value a = json::Value::array();
  for (const auto& c : r.changes) a.push(c.to_json());
  o.set("changes", std::move(a));
  o.set("cursor", r.cursor);
  o.set("more", r.more);
  if (r.v >= 4 && !r.package_version.empty()) o.set("package_version", r.package_version);
  return o;
}

namespace {
json::ParseLimits wire_limits(const Limits& lim) {
  json::ParseLimits p;
  p.max_depth = 8;  // request > mutations > mutation > payload > answers > choices, plus slack
  p.max_bytes = lim.max_batch * (lim.max_payload_bytes + 512) + 1024;
  p.max_string_bytes = lim.max_string;
  return p;
}
}  // namespace

Result<PushRequest> parse_push_request(std::string_view body, const Limits& lim) {
  auto pl = wire_limits(lim);
  if (body.size() > pl.max_bytes) return make_error(Code::too_large, "request body too large");
  auto v = json::parse(body, pl);
  if (!v) return v.error();
  return decode_push_request(*v, lim);
}

Result<PullRequest> parse_pull_request(std::string_view body, const Limits& lim) {
  auto pl = wire_limits(lim);
  pl.max_bytes = 4096;
  if (body.size() > pl.max_bytes) return make_error(Code::too_large, "request body too large");
  auto v = json::parse(body, pl);
  if (!v) return v.error();
  return decode_pull_request(*v, lim);
}

}  // namespace doorstep::sync
