// The purge (see purge.h). The sync tables are append-only by trigger; a purge is the one
// sanctioned rewrite, so the triggers are dropped and restored (from their own stored SQL) inside
// the caller's transaction.
#include "shared/sync/purge.h"

#include <string>
#include <vector>

namespace doorstep::sync {

Result<int64_t> purge_personal_data(store::Db& db, std::string_view campaign_id) {
  auto q = db.prepare(
      "UPDATE person SET first_name='', middle_name='', last_name='', suffix='', birth_date='', age=NULL, "
      "phone='', email='', van_id='', state_id='', safety='', source_key=source || ':purged:' || id "
      "WHERE campaign_id=?1 AND "
      "(first_name<>'' OR middle_name<>'' OR last_name<>'' OR phone<>'' OR email<>'' OR birth_date<>'' OR "
      "age IS NOT NULL OR van_id<>'' OR state_id<>'' OR safety<>'' OR source_key NOT LIKE '%:purged:%')");
  if (!q) return q.error();
  q->bind(1, campaign_id);
  if (auto s = q->run(); !s) return s.error();
  int64_t people = db.changes();
  auto s2 = db.prepare("UPDATE signup SET name='', phone='', email='' WHERE campaign_id=?1");
  if (!s2) return s2.error();
  s2->bind(1, campaign_id);
  if (auto s = s2->run(); !s) return s.error();
  // The same personal data also lives in the sync tables (field values, record payloads and the
  // change log) and in attempt notes. Those tables are append-only by trigger; a purge is the one
  // sanctioned rewrite, so the triggers are dropped and restored (from their own stored SQL) inside
  // this transaction.
  std::vector<std::string> triggers;
  {
    auto t = db.prepare(
        "SELECT name, sql FROM sqlite_master WHERE type='trigger' AND name IN "
        "('attempt_append_only','attempt_edit_append_only','sync_record_append_only')");
    if (!t) return t.error();
    std::vector<std::string> names;
    for (;;) {
      auto r = t->step();
      if (!r) return r.error();
      if (!*r) break;
      names.push_back(t->text(0));
      triggers.push_back(t->text(1));
    }
    for (const auto& n : names)
      if (auto st = db.exec("DROP TRIGGER \"" + n + "\""); !st) return st.error();
  }
  // Free text (safety notes, door notes) may name people too; import reports quote rows; a
  // rejected mutation is kept whole for review, so its payload goes entirely.
  static const char* kScrub[] = {
      "UPDATE attempt SET notes='' WHERE campaign_id=?1 AND notes<>''",
      "UPDATE attempt_edit SET notes='' WHERE campaign_id=?1 AND notes<>''",  // corrections (attempt.amend)
      "UPDATE sync_field SET value='\"\"' WHERE entity='attempt' AND field='notes' AND "
      "id IN (SELECT id FROM attempt WHERE campaign_id=?1)",
      "UPDATE door SET safety='' WHERE campaign_id=?1 AND safety<>''",
      "UPDATE import_run SET report='{}', file_name='' WHERE campaign_id=?1",
      "UPDATE sync_field SET value='\"\"' WHERE entity='person' AND field IN "
      "('first_name','last_name','phone','email','safety') AND id IN (SELECT id FROM person WHERE campaign_id=?1)",
      "UPDATE sync_field SET value='\"\"' WHERE entity='door' AND field IN ('safety','notes') AND "
      "id IN (SELECT id FROM door WHERE campaign_id=?1)",
      "UPDATE sync_record SET payload='{}' WHERE rejected<>'' AND turf_id IN (SELECT id FROM turf WHERE campaign_id=?1)",
      "UPDATE sync_record SET payload=json_remove(payload,'$.name','$.phone','$.email','$.notes') "
      "WHERE turf_id IN (SELECT id FROM turf WHERE campaign_id=?1) AND json_valid(payload)",
      "UPDATE sync_change SET body=json_set(body,'$.value','') WHERE turf_id IN "
      "(SELECT id FROM turf WHERE campaign_id=?1) AND json_valid(body) AND "
      "((json_extract(body,'$.entity')='person' AND json_extract(body,'$.field') IN "
      "('first_name','last_name','phone','email','safety')) OR "
      "(json_extract(body,'$.entity')='door' AND json_extract(body,'$.field') IN ('safety','notes')) OR "
      "(json_extract(body,'$.entity')='attempt' AND json_extract(body,'$.field')='notes'))",
      "UPDATE sync_change SET body=json_remove(body,'$.record.name','$.record.phone','$.record.email',"
      "'$.record.notes') WHERE turf_id IN (SELECT id FROM turf WHERE campaign_id=?1) AND json_valid(body) AND "
      "json_type(body,'$.record')='object'",
  };
  for (const char* sql : kScrub) {
    auto u = db.prepare(sql);
    if (!u) return u.error();
    u->bind(1, campaign_id);
    if (auto st = u->run(); !st) return st.error();
  }
  for (const auto& t : triggers)
    if (auto st = db.exec(t); !st) return st.error();

  return people;
}

}  // namespace doorstep::sync
