// Saving the script and survey (see survey_editor.h): decode with the turf package's codec, check
// the whole document, then write rows and a survey_version row in the caller's transaction.
#include "shared/canvass/survey_editor.h"

#include <map>
#include <set>

#include "shared/base/ids.h"
#include "shared/canvass/turf_package.h"
#include "shared/store/campaign_store.h"

namespace doorstep::canvass {
namespace {

constexpr size_t kMaxQuestions = 100, kMaxChoices = 50, kMaxSections = 100, kMaxLanguages = 16;
constexpr size_t kMaxLabel = 1000, kMaxTitle = 200, kMaxText = 8000;

Error bad(std::string msg) { return Error{Code::invalid_argument, std::move(msg)}; }

// Store ids are global (one table for every campaign): letters, digits, '_' and '-' only.
bool valid_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
      return false;
  return true;
}

bool valid_language(const std::string& l) {
  if (l.empty() || l.size() > 16) return false;
  for (char c : l)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-')) return false;
  return true;
}

Status check_labels(const std::map<std::string, std::string>& labels, const std::string& what) {
  if (labels.size() > kMaxLanguages) return bad(what + ": too many languages");
  for (const auto& [lang, text] : labels) {
    if (!valid_language(lang)) return bad(what + ": '" + lang + "' is not a language tag");
    if (text.size() > kMaxLabel) return bad(what + " (" + lang + "): at most 1000 bytes");
  }
  return {};
}

// The answers a branch may wait for, by kind.
bool answer_fits(const Question& q, const std::string& a) {
  if (q.kind == "yes_no") return a == "yes" || a == "no" || a == "true" || a == "false";
  if (q.kind == "scale_1_5") return a.size() == 1 && a[0] >= '1' && a[0] <= '5';
  if (q.kind == "free_text") return false;
  for (const auto& c : q.choices)
    if (c.id == a) return true;
  return false;
}

// Which campaign, if any, already owns this id in `table`.
Result<std::string> owner_of(store::Db& db, const char* sql, const std::string& id) {
  auto q = db.prepare(sql);
  if (!q) return q.error();
  q->bind(1, id);
  auto r = q->step();
  if (!r) return r.error();
  return *r ? q->text(0) : std::string();
}

struct Current {
  std::map<std::string, std::string> kinds;  // question id -> kind, live and deleted
  std::set<std::string> sections;
};

Result<Current> current(store::Db& db, std::string_view campaign_id) {
  Current out;
  auto q = db.prepare("SELECT id, kind FROM survey_question WHERE campaign_id=?1");
  if (!q) return q.error();
  q->bind(1, campaign_id);
  for (;;) {
    auto r = q->step();
    if (!r) return r.error();
    if (!*r) break;
    out.kinds[q->text(0)] = q->text(1);
  }
  auto s = db.prepare("SELECT id FROM script_section WHERE campaign_id=?1 AND deleted=0");
  if (!s) return s.error();
  s->bind(1, campaign_id);
  for (;;) {
    auto r = s->step();
    if (!r) return r.error();
    if (!*r) break;
    out.sections.insert(s->text(0));
  }
  return out;
}

json::Value document(int64_t version, const Script& script, const std::vector<Question>& survey) {
  json::Value o = json::Value::object();
  o.set("survey_version", version);
  o.set("script", encode_script(script));
  o.set("survey", encode_survey(survey));
  return o;
}

}  // namespace

Result<int64_t> current_survey_version(store::Db& db, std::string_view campaign_id) {
  auto q = db.prepare("SELECT coalesce(max(version), 0) FROM survey_version WHERE campaign_id=?1");
  if (!q) return q.error();
  q->bind(1, campaign_id);
  auto r = q->step();
  if (!r) return r.error();
  return q->int64(0);
}

Result<json::Value> survey_document(store::Db& db, std::string_view campaign_id) {
  auto camp = store::get_campaign(db, campaign_id);
  if (!camp) return camp.error();
  auto q = db.prepare("SELECT version, body FROM survey_version WHERE campaign_id=?1 ORDER BY version DESC LIMIT 1");
  if (!q) return q.error();
  q->bind(1, campaign_id);
  auto r = q->step();
  if (!r) return r.error();
  if (*r) {
    auto body = json::parse(q->text(1));
    if (!body || !body->is_object()) return Error{Code::corrupt, "stored survey version unreadable"};
    body->set("survey_version", q->int64(0));
    return *body;
  }
  // Never saved in the editor (a seeded or imported campaign): what the store holds, as version 0.
  Script script;
  std::vector<Question> survey;
  auto qs = store::list_questions(db, campaign_id);
  if (!qs) return qs.error();
  for (const auto& x : *qs)
    if (!x.deleted) survey.push_back(question_from_store(x));
  auto langs = db.prepare("SELECT DISTINCT language FROM script_section WHERE campaign_id=?1 AND deleted=0 ORDER BY 1");
  if (!langs) return langs.error();
  langs->bind(1, campaign_id);
  for (;;) {
    auto s = langs->step();
    if (!s) return s.error();
    if (!*s) break;
    std::string lang = langs->text(0);
    auto secs = store::list_script(db, campaign_id, lang);
    if (!secs) return secs.error();
    for (const auto& sec : *secs)
      if (!sec.deleted) script[lang].push_back(section_from_store(sec));
  }
  return document(0, script, survey);
}

Result<json::Value> save_survey(store::Db& db, std::string_view campaign_id, const SaveSurvey& in) {
  auto camp = store::get_campaign(db, campaign_id);
  if (!camp) return camp.error();
  if (!in.script.is_object()) return bad("script: an object of language -> sections");
  if (!in.survey.is_array()) return bad("survey: an array of questions");
  auto version = current_survey_version(db, campaign_id);
  if (!version) return version.error();
  if (in.base_version != *version)
    return Error{Code::conflict, "the survey was saved by someone else since you opened it (now version " +
                                     std::to_string(*version) + "); reload it"};
  if (in.survey.as_array().size() > kMaxQuestions) return bad("survey: at most 100 questions");
  std::vector<Question> survey = decode_survey(in.survey);
  if (survey.size() != in.survey.as_array().size()) return bad("survey: every question needs an id");
  Script script = decode_script(in.script);
  auto now = current(db, campaign_id);
  if (!now) return now.error();

  // ---- Check everything before writing anything --------------------------------------------
  std::map<std::string, const Question*> by_id;
  for (size_t i = 0; i < survey.size(); ++i) {
    const Question& q = survey[i];
    std::string what = "survey[" + std::to_string(i) + "]";
    if (!valid_id(q.id)) return bad(what + ".id: 1-64 letters, digits, '_' or '-'");
    if (!by_id.emplace(q.id, &q).second) return bad(what + ".id: '" + q.id + "' is used twice");
    if (!question_kind_from_name(q.kind)) return bad(what + ".kind: unknown kind '" + q.kind + "'");
    if (auto it = now->kinds.find(q.id); it != now->kinds.end() && it->second != q.kind)
      return bad(what + ": its kind changed from " + it->second + " to " + q.kind +
                 "; a question whose meaning changes needs a new id, so old answers are not read as new ones");
    auto owner = owner_of(db, "SELECT campaign_id FROM survey_question WHERE id=?1", q.id);
    if (!owner) return owner.error();
    if (!owner->empty() && *owner != campaign_id) return bad(what + ".id: taken; use a new id");
    if (auto st = check_labels(q.labels, what + ".labels"); !st) return st.error();
    bool choosy = q.kind == "single_choice" || q.kind == "multiple_choice";
    if (choosy && q.choices.size() < 2) return bad(what + ": a choice question needs at least 2 choices");
    if (q.choices.size() > kMaxChoices) return bad(what + ": at most 50 choices");
    std::set<std::string> cids;
    for (const auto& c : q.choices) {
      if (!valid_id(c.id)) return bad(what + ": choice id '" + c.id + "' must be 1-64 letters, digits, '_' or '-'");
      if (!cids.insert(c.id).second) return bad(what + ": choice '" + c.id + "' is used twice");
      if (auto st = check_labels(c.labels, what + " choice " + c.id); !st) return st.error();
    }
    if (q.van_name.size() > 100) return bad(what + ".export.column: at most 100 bytes");
  }
  if (script.size() > kMaxLanguages) return bad("script: at most 16 languages");
  std::set<std::string> section_ids;
  for (auto& [lang, sections] : script) {
    if (!valid_language(lang)) return bad("script: '" + lang + "' is not a language tag");
    if (sections.size() > kMaxSections) return bad("script." + lang + ": at most 100 sections");
    for (size_t i = 0; i < sections.size(); ++i) {
      Section& s = sections[i];
      std::string what = "script." + lang + "[" + std::to_string(i) + "]";
      if (s.id.empty()) s.id = new_uuid_v7(in.now_ms);
      if (!valid_id(s.id)) return bad(what + ".id: 1-64 letters, digits, '_' or '-'");
      if (!section_ids.insert(s.id).second) return bad(what + ".id: '" + s.id + "' is used twice");
      auto owner = owner_of(db, "SELECT campaign_id FROM script_section WHERE id=?1", s.id);
      if (!owner) return owner.error();
      if (!owner->empty() && *owner != campaign_id) return bad(what + ".id: taken; use a new id");
      if (s.title.size() > kMaxTitle) return bad(what + ".title: at most 200 bytes");
      if (s.text.size() > kMaxText) return bad(what + ".text: at most 8000 bytes");
      if (!s.branch_question.empty()) {
        auto q = by_id.find(s.branch_question);
        if (q == by_id.end()) return bad(what + ".branch: no question '" + s.branch_question + "' in the survey");
        if (!answer_fits(*q->second, s.branch_answer))
          return bad(what + ".branch: '" + s.branch_answer + "' is not an answer of question " + s.branch_question);
      }
    }
  }

  // ---- Write ---------------------------------------------------------------------------------
  const Hlc& hlc = in.hlc;
  int64_t pos = 0;
  for (const auto& q : survey) {
    auto sq = question_to_store(q);
    if (!sq) return sq.error();
    sq->campaign_id = std::string(campaign_id);
    sq->position = ++pos;
    sq->deleted = false;
    if (auto st = store::upsert_question(db, *sq, hlc); !st) return st.error();
  }
  for (const auto& [id, kind] : now->kinds) {
    if (by_id.count(id)) continue;
    if (auto w = store::write_field(db, "survey_question", id, "deleted", int64_t{1}, hlc); !w) return w.error();
  }
  for (const auto& [lang, sections] : script) {
    int64_t p = 0;
    for (const auto& s : sections) {
      ScriptSection row = section_to_store(s, lang);
      row.campaign_id = std::string(campaign_id);
      row.position = ++p;
      if (auto st = store::upsert_script_section(db, row, hlc); !st) return st.error();
    }
  }
  for (const auto& id : now->sections) {
    if (section_ids.count(id)) continue;
    if (auto w = store::write_field(db, "script_section", id, "deleted", int64_t{1}, hlc); !w) return w.error();
  }
  int64_t next = *version + 1;
  json::Value doc = document(next, script, survey);
  json::Value body = json::Value::object();
  body.set("script", *doc.find("script"));
  body.set("survey", *doc.find("survey"));
  auto ins = db.prepare("INSERT INTO survey_version(campaign_id, version, saved_ms, saved_by, body) VALUES(?1,?2,?3,?4,?5)");
  if (!ins) return ins.error();
  ins->bind_all(campaign_id, next, in.now_ms, in.saved_by, json::dump(body));
  if (auto st = ins->run(); !st) return st.error();
  return doc;
}

}  // namespace doorstep::canvass
