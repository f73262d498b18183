// The turf package and the script/survey codec (see turf_package.h and docs/api.md).
#include "shared/canvass/turf_package.h"

#include <algorithm>

#include "shared/route/footprints.h"
#include "shared/store/campaign_store.h"
#include "shared/store/footprint_store.h"
#include "shared/sync/sync_server.h"

namespace doorstep::canvass {

namespace {

std::string str(const json::Value& o, std::string_view key) {
  const json::Value* v = o.find(key);
  return v && v->is_string() ? v->as_string() : std::string();
}

std::map<std::string, std::string> labels_of(const json::Value* v) {
  std::map<std::string, std::string> out;
  if (v && v->is_object())
    for (auto& [k, s] : v->as_object())
      if (s.is_string()) out[k] = s.as_string();
  return out;
}

json::Value labels_json(const std::map<std::string, std::string>& labels) {
  json::Value o = json::Value::object();
  for (const auto& [lang, text] : labels) o.set(lang, text);
  return o;
}

std::vector<std::string> strings(const json::Value* v) {
  std::vector<std::string> out;
  if (v && v->is_array())
    for (auto& s : v->as_array())
      if (s.is_string()) out.push_back(s.as_string());
  return out;
}

json::Value strings_json(const std::vector<std::string>& v) {
  json::Value a = json::Value::array();
  for (const auto& s : v) a.push(s);
  return a;
}

Error missing(std::string_view what) {
  return make_error(Code::invalid_argument, "turf package: missing or invalid " + std::string(what));
}

// Each located door to the footprint it stands in or beside (within 30 m); the rest grouped by
// their address points. Fills the doors' building_id and the package's buildings.
Status match_buildings(store::Db& db, const std::string& campaign_id, Package& p) {
  std::vector<footprints::DoorPoint> pts;
  std::vector<size_t> which;
  geo::BBox box;
  for (size_t i = 0; i < p.doors.size(); ++i) {
    if (!p.doors[i].located) continue;
    pts.push_back({geo::fix_of(p.doors[i].lat, p.doors[i].lon), p.doors[i].building_id});
    box.add(pts.back().at);
    which.push_back(i);
  }
  if (pts.empty()) return Status::Ok();
  constexpr int64_t kGrow = 600;  // 1e-7 degree: a little over 30 m either way at any US latitude
  box.min_lon -= kGrow, box.min_lat -= kGrow, box.max_lon += kGrow, box.max_lat += kGrow;
  auto stored = store::footprints_in(db, campaign_id, box);
  if (!stored.ok()) return stored.error();
  std::vector<footprints::Footprint> fps;
  std::map<std::string, const std::string*> geometry;
  for (auto& f : *stored) fps.push_back({f.id, f.shape});
  for (auto& f : *stored) geometry[f.id] = &f.geometry;
  const footprints::Matching m = footprints::match(pts, fps);
  std::map<std::string, int> units;
  for (size_t k = 0; k < which.size(); ++k) {
    p.doors[which[k]].building_id = m.building_of[k];
    if (m.how[k] != footprints::How::clustered) ++units[m.building_of[k]];
  }
  for (const auto& [id, n] : units) p.buildings.push_back({id, n, *geometry.at(id)});
  return Status::Ok();
}

}  // namespace

// ---- Script and survey --------------------------------------------------------------------------

json::Value encode_script(const Script& script) {
  json::Value out = json::Value::object();
  for (const auto& [lang, sections] : script) {
    json::Value arr = json::Value::array();
    for (const auto& s : sections) {
      json::Value js = json::Value::object();
      js.set("id", s.id);
      js.set("title", s.title);
      js.set("text", s.text);
      if (!s.branch_question.empty()) {
        json::Value b = json::Value::object();
        b.set("question", s.branch_question);
        b.set("answer", s.branch_answer);
        js.set("branch", b);
      }
      arr.push(std::move(js));
    }
    out.set(lang, arr);
  }
  return out;
}

Script decode_script(const json::Value& v) {
  Script out;
  if (!v.is_object()) return out;
  for (auto& [lang, secs] : v.as_object()) {
    if (!secs.is_array()) continue;
    auto& list = out[lang];
    for (auto& sec : secs.as_array()) {
      Section x{str(sec, "id"), str(sec, "title"), str(sec, "text"), "", ""};
      if (auto* b = sec.find("branch"); b && b->is_object()) {
        x.branch_question = str(*b, "question");
        x.branch_answer = str(*b, "answer");
      }
      list.push_back(std::move(x));
    }
  }
  return out;
}

json::Value encode_survey(const std::vector<Question>& survey) {
  json::Value out = json::Value::array();
  for (const auto& q : survey) {
    json::Value jq = json::Value::object();
    jq.set("id", q.id);
    jq.set("kind", q.kind);
    jq.set("labels", labels_json(q.labels));
    json::Value choices = json::Value::array();
    for (const auto& c : q.choices) {
      json::Value ch = json::Value::object();
      ch.set("id", c.id);
      ch.set("labels", labels_json(c.labels));
      choices.push(std::move(ch));
    }
    jq.set("choices", choices);
    if (!q.van_name.empty()) jq.set("van_name", q.van_name);
    if (!q.van_name.empty() || !q.van_question_id.empty() || !q.van_responses.empty()) {
      json::Value ex = json::Value::object();
      ex.set("column", q.van_name);
      ex.set("van_question_id", q.van_question_id);
      ex.set("van_responses", labels_json(q.van_responses));
      jq.set("export", ex);
    }
    out.push(std::move(jq));
  }
  return out;
}

std::vector<Question> decode_survey(const json::Value& v) {
  std::vector<Question> out;
  if (!v.is_array()) return out;
  for (auto& q : v.as_array()) {
    Question qq{str(q, "id"), str(q, "kind"), labels_of(q.find("labels")), {}, str(q, "van_name"), "", {}};
    if (auto* ex = q.find("export"); ex && ex->is_object()) {
      if (auto* col = ex->find("column"); col && col->is_string()) qq.van_name = col->as_string();
      qq.van_question_id = str(*ex, "van_question_id");
      qq.van_responses = labels_of(ex->find("van_responses"));
    }
    if (auto* ch = q.find("choices"); ch && ch->is_array())
      for (auto& c : ch->as_array()) qq.choices.push_back({str(c, "id"), labels_of(c.find("labels"))});
    if (!qq.id.empty()) out.push_back(std::move(qq));
  }
  return out;
}

Question question_from_store(const SurveyQuestion& q) {
  Question out;
  out.id = q.id;
  out.kind = std::string(to_name(q.kind));
  out.van_name = q.van_name;
  for (const auto& lb : q.labels) out.labels[lb.language] = lb.label;
  for (size_t i = 0; i < q.choices.size(); ++i) {
    Choice c{q.choices[i], {}};
    for (const auto& lb : q.labels)
      if (i < lb.choice_labels.size()) c.labels[lb.language] = lb.choice_labels[i];
    out.choices.push_back(std::move(c));
  }
  return out;
}

Section section_from_store(const ScriptSection& s) {
  return Section{s.id, s.title, s.body, s.branch_question_id, s.branch_question_id.empty() ? "" : s.branch_answer};
}

Result<SurveyQuestion> question_to_store(const Question& q) {
  auto kind = question_kind_from_name(q.kind);
  if (!kind) return make_error(Code::invalid_argument, "survey question " + q.id + ": unknown kind " + q.kind);
  SurveyQuestion out;
  out.id = q.id;
  out.kind = *kind;
  out.van_name = q.van_name;
  for (const auto& c : q.choices) out.choices.push_back(c.id);
  for (const auto& [lang, text] : q.labels) {
    QuestionLabel ql{lang, text, {}};
    for (const auto& c : q.choices) {
      auto it = c.labels.find(lang);
      ql.choice_labels.push_back(it != c.labels.end() ? it->second : c.id);
    }
    out.labels.push_back(std::move(ql));
  }
  return out;
}

ScriptSection section_to_store(const Section& s, std::string_view language) {
  ScriptSection out;
  out.id = s.id;
  out.language = std::string(language);
  out.title = s.title;
  out.body = s.text;
  out.branch_question_id = s.branch_question;
  out.branch_answer = s.branch_answer;
  return out;
}

// ---- Help (campaign.help) ---------------------------------------------------------------------

json::Value encode_help(const PackageHelp& h) {
  json::Value o = json::Value::object();
  o.set("organizer_name", h.organizer_name);
  o.set("organizer_phone", h.organizer_phone);
  o.set("meeting_place", h.meeting_place);
  o.set("shift_end", h.shift_end);
  json::Value faq = json::Value::object();
  for (const auto& [lang, entries] : h.faq) {
    json::Value arr = json::Value::array();
    for (const auto& e : entries) {
      json::Value je = json::Value::object();
      je.set("q", e.q);
      je.set("a", e.a);
      arr.push(std::move(je));
    }
    faq.set(lang, arr);
  }
  o.set("faq", faq);
  return o;
}

PackageHelp decode_help(const json::Value& v) {
  PackageHelp h;
  if (!v.is_object()) return h;
  h.organizer_name = str(v, "organizer_name");
  h.organizer_phone = str(v, "organizer_phone");
  h.meeting_place = str(v, "meeting_place");
  h.shift_end = str(v, "shift_end");
  if (auto* faq = v.find("faq"); faq && faq->is_object())
    for (auto& [lang, entries] : faq->as_object()) {
      if (!entries.is_array()) continue;
      auto& list = h.faq[lang];
      for (auto& e : entries.as_array())
        if (e.is_object() && !(str(e, "q").empty() && str(e, "a").empty())) list.push_back({str(e, "q"), str(e, "a")});
    }
  return h;
}

// ---- The package --------------------------------------------------------------------------------

std::string first_name_of(std::string_view canvasser) { return sync::canvasser_first_name(canvasser); }

Result<Package> build_package(store::Db& db, const PackageSource& src) {
  auto campaign = store::get_campaign(db, src.campaign_id);
  if (!campaign) return campaign.error();
  auto turfs = store::list_turfs(db, src.campaign_id);
  if (!turfs) return turfs.error();
  const Turf* turf = nullptr;
  for (const auto& t : *turfs)
    if (t.id == src.turf_id) turf = &t;
  if (!turf || turf->deleted) return Error{Code::not_found, "this link's turf no longer exists"};

  Package p;
  p.campaign_id = campaign->id;
  p.campaign_name = campaign->name;
  p.time_zone = campaign->time_zone;
  p.turf_id = turf->id;
  p.turf_name = turf->name;
  p.link_id = src.link_id;
  p.expires_at = src.expires_at;
  {
    // The languages the campaign's script or survey is written in.
    auto q = db.prepare(
        "SELECT language FROM script_section WHERE campaign_id=?1 AND deleted=0 UNION "
        "SELECT l.language FROM survey_label l JOIN survey_question q ON q.id=l.question_id "
        "WHERE q.campaign_id=?1 AND q.deleted=0 ORDER BY 1");
    if (!q) return q.error();
    q->bind(1, src.campaign_id);
    for (;;) {
      auto r = q->step();
      if (!r) return r.error();
      if (!*r) break;
      p.languages.push_back(q->text(0));
    }
  }
  if (p.languages.empty()) p.languages.push_back("en");
  if (!turf->polygon_geojson.empty()) {
    auto poly = json::parse(turf->polygon_geojson);
    if (!poly) return Error{Code::corrupt, "stored JSON unreadable"};
    p.turf_polygon = json::dump(*poly);
  }

  auto walk = store::turf_walk_list(db, turf->id);
  if (!walk) return walk.error();
  // Door status is a synced field; read it with its value rather than through the Door struct.
  auto status = db.prepare("SELECT status FROM door WHERE id=?1");
  if (!status) return status.error();
  auto history = db.prepare(
      "SELECT result, client_ms, canvasser, id FROM attempt_effective WHERE door_id=?1 AND campaign_id=?2 ORDER BY client_ms, id");
  if (!history) return history.error();
  for (const auto& stop : *walk) {
    const Door& d = stop.door;
    PackageDoor pd;
    pd.id = d.id;
    pd.located = d.lat && d.lon;
    pd.lat = d.lat.value_or(0);
    pd.lon = d.lon.value_or(0);
    pd.address = d.address;
    pd.unit = d.unit;
    pd.building_id = d.building_id;
    pd.order = static_cast<int>(p.doors.size()) + 1;
    pd.package_status = "not_visited";
    status->bind(1, d.id);
    auto r = status->step();
    if (!r) return r.error();
    if (*r && !status->text(0).empty()) pd.package_status = status->text(0);
    status->reset();
    history->bind(1, d.id).bind(2, src.campaign_id);
    for (;;) {
      auto h = history->step();
      if (!h) return h.error();
      if (!*h) break;
      pd.history.push_back(PackageAttempt{history->text(0), first_name_of(history->text(2)), history->int64(1), history->text(3)});
    }
    history->reset();
    if (!d.safety.empty()) pd.flags.push_back("safety");
    pd.safety = d.safety;
    for (const auto& per : stop.people) {
      PackagePerson pp;
      pp.id = per.id;
      pp.door_id = d.id;
      pp.first_name = per.first_name;
      pp.last_name = per.last_name;
      pp.language = per.language;
      pp.age = per.age ? static_cast<int>(*per.age) : -1;
      pp.party = per.party;
      if (!per.safety.empty()) pp.flags.push_back("safety");
      pp.safety = per.safety;
      pd.people.push_back(static_cast<int>(p.people.size()));
      p.people.push_back(std::move(pp));
    }
    p.doors.push_back(std::move(pd));
  }

  if (Status s = match_buildings(db, src.campaign_id, p); !s.ok()) return s.error();

  for (const auto& lang : p.languages) {
    auto secs = store::list_script(db, src.campaign_id, lang);
    if (!secs) return secs.error();
    auto& list = p.script[lang];
    for (const auto& s : *secs)
      if (!s.deleted) list.push_back(section_from_store(s));
  }
  auto qs = store::list_questions(db, src.campaign_id);
  if (!qs) return qs.error();
  for (const auto& q : *qs) {
    if (q.deleted) continue;
    p.survey.push_back(question_from_store(q));
    p.survey.back().van_name.clear();  // the VAN column name is the organizer's, not the phone's
  }

  if (auto q = db.prepare("SELECT coalesce(max(version), 0) FROM survey_version WHERE campaign_id=?1"); q) {
    q->bind(1, src.campaign_id);
    auto r = q->step();
    if (!r) return r.error();
    p.survey_version = q->int64(0);
  } else {
    return q.error();
  }

  // The cursor as of this snapshot, so the first pull returns only what changed after it.
  if (auto q = db.prepare("SELECT coalesce(max(version), 0) FROM sync_change WHERE turf_id=?1"); q) {
    q->bind(1, turf->id);
    auto r = q->step();
    if (r && *r) p.cursor = std::to_string(q->int64(0));
  }
  return p;
}

json::Value encode_package(const Package& p) {
  json::Value c = json::Value::object();
  c.set("id", p.campaign_id);
  c.set("name", p.campaign_name);
  c.set("languages", strings_json(p.languages));
  c.set("time_zone", p.time_zone);
  if (!p.help.empty()) c.set("help", encode_help(p.help));  // absent when the organizer set none

  json::Value t = json::Value::object();
  t.set("id", p.turf_id);
  t.set("name", p.turf_name);
  json::Value poly;
  if (!p.turf_polygon.empty())
    if (auto v = json::parse(p.turf_polygon)) poly = std::move(*v);
  t.set("polygon", poly);

  json::Value l = json::Value::object();
  l.set("id", p.link_id);
  l.set("expires_at", p.expires_at);

  json::Value doors = json::Value::array(), people = json::Value::array();
  for (const auto& d : p.doors) {
    json::Value jd = json::Value::object();
    jd.set("id", d.id);
    jd.set("lat", d.located ? json::Value(d.lat) : json::Value());
    jd.set("lon", d.located ? json::Value(d.lon) : json::Value());
    jd.set("address", d.address);
    jd.set("unit", d.unit);
    jd.set("building_id", d.building_id);
    jd.set("order", static_cast<int64_t>(d.order));
    jd.set("status", d.package_status);
    jd.set("flags", strings_json(d.flags));
    jd.set("safety", d.safety);
    json::Value hist = json::Value::array();
    for (const auto& h : d.history) {
      json::Value jh = json::Value::object();
      jh.set("result", h.result);
      jh.set("at", h.at);
      jh.set("canvasser", h.canvasser);
      if (!h.id.empty()) jh.set("id", h.id);
      hist.push(std::move(jh));
    }
    jd.set("history", hist);
    doors.push(std::move(jd));
  }
  for (const auto& per : p.people) {
    json::Value jp = json::Value::object();
    jp.set("id", per.id);
    jp.set("door_id", per.door_id);
    jp.set("first_name", per.first_name);
    jp.set("last_name", per.last_name);
    jp.set("language", per.language);
    jp.set("age", per.age >= 0 ? json::Value(static_cast<int64_t>(per.age)) : json::Value());
    jp.set("party", per.party);
    jp.set("flags", strings_json(per.flags));
    jp.set("safety", per.safety);
    people.push(std::move(jp));
  }

  json::Value out = json::Value::object();
  out.set("api", 1);
  out.set("campaign", c);
  out.set("turf", t);
  out.set("link", l);
  out.set("doors", doors);
  out.set("people", people);
  out.set("script", encode_script(p.script));
  out.set("survey", encode_survey(p.survey));
  json::Value buildings = json::Value::array();
  for (const auto& b : p.buildings) {
    json::Value jb = json::Value::object();
    jb.set("id", b.id);
    jb.set("units", static_cast<int64_t>(b.units));
    json::Value g;
    if (auto v = json::parse(b.geometry)) g = std::move(*v);
    jb.set("geometry", g);
    buildings.push(std::move(jb));
  }
  out.set("buildings", buildings);
  if (!p.map.tiles.empty()) {
    json::Value m = json::Value::object();
    m.set("tiles", p.map.tiles);
    m.set("attribution", p.map.attribution);
    m.set("min_zoom", static_cast<int64_t>(p.map.min_zoom));
    m.set("max_zoom", static_cast<int64_t>(p.map.max_zoom));
    m.set("cache_max_bytes", p.map.cache_max_bytes);
    out.set("map", m);
  }
  out.set("survey_version", p.survey_version);
  if (!p.package_version.empty()) out.set("package_version", p.package_version);  // set by the server
  out.set("cursor", p.cursor);
  return out;
}

Result<Package> decode_package(const json::Value& v) {
  Package p;
  const json::Value* c = v.find("campaign");
  const json::Value* t = v.find("turf");
  const json::Value* doors = v.find("doors");
  if (!c || !c->is_object()) return missing("campaign");
  if (!t || !t->is_object()) return missing("turf");
  if (!doors || !doors->is_array()) return missing("doors");
  p.campaign_id = str(*c, "id");
  p.campaign_name = str(*c, "name");
  p.time_zone = str(*c, "time_zone");
  p.languages = strings(c->find("languages"));
  if (p.languages.empty()) p.languages = {"en"};
  if (auto* h = c->find("help")) p.help = decode_help(*h);
  p.turf_id = str(*t, "id");
  p.turf_name = str(*t, "name");
  if (auto* poly = t->find("polygon"); poly && poly->is_object()) p.turf_polygon = json::dump(*poly);
  if (auto* l = v.find("link"); l && l->is_object()) {
    p.link_id = str(*l, "id");
    if (auto* e = l->find("expires_at"); e && e->is_number()) p.expires_at = e->as_int();
  }
  if (auto* cur = v.find("cursor")) p.cursor = cur->is_string() ? cur->as_string() : json::dump(*cur);
  // Absent from servers before survey versions: 0.
  if (auto* sv = v.find("survey_version"); sv && sv->is_integer()) p.survey_version = sv->as_int();
  if (auto* pv = v.find("package_version"); pv && pv->is_string()) p.package_version = pv->as_string();  // else ""
  for (auto& d : doors->as_array()) {
    PackageDoor door;
    door.id = str(d, "id");
    auto* lat = d.find("lat");
    auto* lon = d.find("lon");
    if (door.id.empty() || !lat || !lon || !lat->is_number() || !lon->is_number()) return missing("door id/lat/lon");
    door.lat = lat->as_double();
    door.lon = lon->as_double();
    door.address = str(d, "address");
    door.unit = str(d, "unit");
    door.building_id = str(d, "building_id");
    door.package_status = str(d, "status");
    door.safety = str(d, "safety");
    door.flags = strings(d.find("flags"));
    if (auto* o = d.find("order"); o && o->is_number()) door.order = static_cast<int>(o->as_int());
    if (auto* hs = d.find("history"); hs && hs->is_array())
      for (auto& h : hs->as_array()) {
        const json::Value* at = h.find("at");
        door.history.push_back(
            PackageAttempt{str(h, "result"), str(h, "canvasser"), at && at->is_number() ? at->as_int() : 0, str(h, "id")});
      }
    p.doors.push_back(std::move(door));
  }
  std::stable_sort(p.doors.begin(), p.doors.end(),
                   [](const PackageDoor& a, const PackageDoor& b) { return a.order < b.order; });
  std::map<std::string, int> index;
  for (size_t i = 0; i < p.doors.size(); ++i) index[p.doors[i].id] = static_cast<int>(i);
  if (auto* people = v.find("people"); people && people->is_array()) {
    for (auto& o : people->as_array()) {
      PackagePerson per;
      per.id = str(o, "id");
      per.door_id = str(o, "door_id");
      per.first_name = str(o, "first_name");
      per.last_name = str(o, "last_name");
      per.language = str(o, "language");
      per.party = str(o, "party");
      per.safety = str(o, "safety");
      per.flags = strings(o.find("flags"));
      if (auto* a = o.find("age"); a && a->is_number()) per.age = static_cast<int>(a->as_int());
      auto it = index.find(per.door_id);
      if (per.id.empty() || it == index.end()) continue;  // a person must live at a door of this turf
      p.doors[it->second].people.push_back(static_cast<int>(p.people.size()));
      p.people.push_back(std::move(per));
    }
  }
  if (auto* s = v.find("script")) p.script = decode_script(*s);
  if (auto* s = v.find("survey")) p.survey = decode_survey(*s);
  if (auto* bs = v.find("buildings"); bs && bs->is_array()) {
    for (auto& o : bs->as_array()) {
      PackageBuilding b;
      b.id = str(o, "id");
      const json::Value* g = o.find("geometry");
      if (b.id.empty() || !g || !g->is_object()) continue;  // nothing to draw
      if (auto* u = o.find("units"); u && u->is_number()) b.units = static_cast<int>(u->as_int());
      b.geometry = json::dump(*g);
      p.buildings.push_back(std::move(b));
    }
  }
  if (auto* m = v.find("map"); m && m->is_object()) {
    p.map.tiles = str(*m, "tiles");
    p.map.attribution = str(*m, "attribution");
    if (auto* z = m->find("min_zoom"); z && z->is_number()) p.map.min_zoom = static_cast<int>(z->as_int());
    if (auto* z = m->find("max_zoom"); z && z->is_number()) p.map.max_zoom = static_cast<int>(z->as_int());
    if (auto* b = m->find("cache_max_bytes"); b && b->is_number()) p.map.cache_max_bytes = b->as_int();
  }
  return p;
}

Result<Package> parse_package(std::string_view text) {
  json::ParseLimits lim;
  lim.max_bytes = 64u << 20;  // a big turf with its script is still far below this
  auto doc = json::parse(text, lim);
  if (!doc) return doc.error();
  return decode_package(*doc);
}

}  // namespace doorstep::canvass
