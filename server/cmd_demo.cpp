// `doorstep demo`: seeds the demo campaign (Medicare for All, Venice) into a data folder: the
// campaign, its script and survey in six languages from assets/demo/campaign.json, the invented
// voter file geocoded offline against real Venice address points, automatic turfs in walking
// order, one canvasser link per turf, the demo area's building footprints (so every package
// carries them) and its base map (DATA/tiles/demo.pmtiles, built by the project's tiler when
// missing). Idempotent: a seeded folder is left as it is, and --links prints fresh links (tokens
// are stored only as hashes, so old ones cannot be shown).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "server/app.h"
#include "server/building_import.h"
#include "server/commands.h"
#include "server/links.h"
#include "server/options.h"
#include "server/tile_build.h"
#include "server/turf_builder.h"
#include "shared/canvass/turf_package.h"
#include "shared/store/campaign_store.h"
#include "shared/store/footprint_store.h"
#include "shared/base/ids.h"
#include "shared/io/importer.h"
#include "shared/base/json.h"

namespace doorstep::cli {

namespace {

Result<json::Value> read_json(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return make_error(Code::not_found, "cannot read " + path);
  std::stringstream ss;
  ss << f.rdbuf();
  return json::parse(ss.str());
}

std::string str(const json::Value& o, std::string_view k) {
  auto* v = o.find(k);
  return v && v->is_string() ? v->as_string() : "";
}

// Campaign, script and survey from the JSON description (the turf package's script/survey shape,
// shared/canvass/turf_package.h, plus the organizer-side van_name).
Status seed_campaign(store::Db& db, server::App& app, const json::Value& spec, Campaign& out) {
  auto c = store::ensure_campaign(db, str(spec, "name"), app.next_hlc(), app.now(), str(spec, "time_zone"));
  if (!c) return c.error();
  out = *c;
  std::map<std::string, std::string> qids;  // demo key -> stored id
  int64_t pos = 0;
  const json::Value* survey = spec.find("survey");
  for (const auto& q : survey ? canvass::decode_survey(*survey) : std::vector<canvass::Question>{}) {
    auto sq = canvass::question_to_store(q);
    if (!sq) return make_error(Code::invalid_argument, "demo survey: " + sq.error().message);
    sq->id = new_uuid_v7(app.now());
    qids[q.id] = sq->id;
    sq->campaign_id = c->id;
    sq->position = ++pos;
    if (auto st = store::upsert_question(db, *sq, app.next_hlc()); !st) return st;
  }
  const json::Value* script = spec.find("script");
  for (const auto& [lang, sections] : script ? canvass::decode_script(*script) : canvass::Script{}) {
    int64_t p = 0;
    for (const auto& s : sections) {
      ScriptSection sec = canvass::section_to_store(s, lang);
      sec.id = new_uuid_v7(app.now());
      sec.campaign_id = c->id;
      sec.position = ++p;
      if (!s.branch_question.empty()) sec.branch_question_id = qids[s.branch_question];
      if (auto st = store::upsert_script_section(db, sec, app.next_hlc()); !st) return st;
    }
  }
  return {};
}

}  // namespace

// The demo area's footprints into the campaign; false (after a message) on failure.
static bool import_demo_footprints(store::Db& db, const std::string& assets, const std::string& campaign_id, json::Value& out) {
  auto text = server::read_file(assets + "/venice_buildings.geojson");
  if (!text) {
    std::fprintf(stderr, "doorstep demo: %s\n", text.error().message.c_str());
    return false;
  }
  auto b = server::import_buildings_geojson(db, campaign_id, *text);
  if (!b) {
    std::fprintf(stderr, "doorstep demo: buildings: %s\n", b.error().message.c_str());
    return false;
  }
  out.set("buildings", b->to_json());
  return true;
}

int cmd_demo(int argc, char** argv) {
  Options o(argc, argv, {"data", "base-url", "assets"}, {"json", "links", "help"});
  if (!o.ok() || o.flag("help") || !o.get("data")) {
    std::fprintf(stderr, "%s%susage: doorstep demo --data DIR [--base-url URL] [--assets DIR] [--links] [--json]\n",
                 o.error().c_str(), o.ok() ? "" : "\n");
    return o.flag("help") ? 0 : 2;
  }
  std::string assets = o.get_or("assets", DOORSTEP_ASSETS_DIR);
  server::AppConfig cfg;
  cfg.data_dir = *o.get("data");
  cfg.public_url = o.get_or("base-url", "http://127.0.0.1:8080");
  while (!cfg.public_url.empty() && cfg.public_url.back() == '/') cfg.public_url.pop_back();
  auto app = server::App::open(cfg);
  if (!app) {
    std::fprintf(stderr, "doorstep demo: %s\n", app.error().message.c_str());
    return 1;
  }
  auto spec = read_json(assets + "/campaign.json");
  if (!spec) {
    std::fprintf(stderr, "doorstep demo: %s\n", spec.error().message.c_str());
    return 1;
  }
  std::string db_path = cfg.data_dir + "/doorstep.db";
  json::Value out = json::Value::object();
  std::string campaign_id;
  std::string signin;
  {
    // Campaign data goes through its own connection: the importer runs its own transactions.
    store::OpenOptions oo;
    oo.wal = true;
    auto db = store::Db::open(db_path, oo);
    if (!db) {
      std::fprintf(stderr, "doorstep demo: %s\n", db.error().message.c_str());
      return 1;
    }
    auto existing = store::list_campaigns(*db);
    if (!existing) {
      std::fprintf(stderr, "doorstep demo: %s\n", existing.error().message.c_str());
      return 1;
    }
    for (auto& c : *existing)
      if (c.name == str(*spec, "name")) campaign_id = c.id;
    if (campaign_id.empty()) {
      Campaign c;
      if (auto st = seed_campaign(*db, **app, *spec, c); !st) {
        std::fprintf(stderr, "doorstep demo: %s\n", st.error().message.c_str());
        return 1;
      }
      campaign_id = c.id;
      importer::Options io;
      io.campaign = c.name;
      io.geocode_with = assets + "/venice_points.csv";
      io.file_name = "voters_ca.tsv";
      io.now_ms = (*app)->now();
      auto rep = importer::import_file(*db, assets + "/voters_ca.tsv", io);
      if (!rep) {
        std::fprintf(stderr, "doorstep demo: import: %s\n", rep.error().message.c_str());
        return 1;
      }
      out.set("import", rep->to_json());
      // Footprints before turfs, so doors are grouped by the building they stand in.
      if (!import_demo_footprints(*db, assets, campaign_id, out)) return 1;
      auto target = spec->find("target_doors");
      auto turfs = server::build_turfs(*db, **app, campaign_id, target ? static_cast<int>(target->as_int()) : 40);
      if (!turfs) {
        std::fprintf(stderr, "doorstep demo: turfs: %s\n", turfs.error().message.c_str());
        return 1;
      }
    } else if (auto n = store::count_footprints(*db, campaign_id); n && *n == 0) {
      // A folder seeded before the demo had footprints gets them now (its turfs stay as cut).
      if (!import_demo_footprints(*db, assets, campaign_id, out)) return 1;
    }
  }
  if (auto first = (*app)->first_start(); first && *first) signin = (*app)->signin_url(**first);

  // The base map: `doorstep serve` serves any archive in DATA/tiles/, so nothing else is needed.
  const std::string tiles_dir = cfg.data_dir + "/tiles", archive = tiles_dir + "/demo.pmtiles";
  if (std::ifstream(archive).good() == false) {
    std::error_code ec;
    std::filesystem::create_directories(tiles_dir, ec);
    server::BasemapFiles files;
    files.buildings = {assets + "/venice_buildings.geojson"};
    files.addresses = assets + "/venice_points.csv";
    files.outlines = {assets + "/demo_outlines.geojson"};
    tiles::TilerOptions topts;
    topts.name = "Doorstep demo: Venice, Los Angeles";
    topts.attribution = "LA County GIS via osmlab/labuildings, US Census, LA Times";  // one line on a phone
    auto rep = server::build_basemap(files, archive, topts);
    if (!rep) {
      std::fprintf(stderr, "doorstep demo: base map: %s\n", rep.error().message.c_str());
      return 1;
    }
    out.set("tiles", rep->to_json());
  }

  // Links: one per turf when the folder was just seeded or when asked.
  json::Value turfs_out = json::Value::array(), links_out = json::Value::array();
  Status st = (*app)->storage().read([&](store::Db& db) -> Status {
    auto turfs = store::list_turfs(db, campaign_id);
    if (!turfs) return turfs.error();
    for (auto& t : *turfs) {
      if (t.deleted) continue;
      auto stops = store::turf_walk_list(db, t.id);
      if (!stops) return stops.error();
      json::Value jt = json::Value::object();
      jt.set("id", t.id);
      jt.set("name", t.name);
      jt.set("doors", static_cast<int64_t>(stops->size()));
      turfs_out.push(jt);
    }
    return {};
  });
  if (!st) {
    std::fprintf(stderr, "doorstep demo: %s\n", st.error().message.c_str());
    return 1;
  }
  bool fresh = out.find("import") != nullptr;
  // The canvassers' Help (organizer's phone, meeting place, shift end, FAQ) from campaign.json.
  if (const json::Value* help = spec->find("help"); fresh && help) {
    if (auto st2 = (*app)->storage().write([&](store::Db& db) {
          return server::set_campaign_help(db, campaign_id, canvass::decode_help(*help));
        });
        !st2) {
      std::fprintf(stderr, "doorstep demo: %s\n", st2.error().message.c_str());
      return 1;
    }
  }
  if (fresh || o.flag("links")) {
    int n = 0;
    for (auto& t : turfs_out.as_array()) {
      auto link = server::create_link((*app)->storage(), campaign_id, str(t, "id"), "Demo canvasser " + std::to_string(++n),
                                      "demo", (*app)->now(), 30ll * 24 * 3600 * 1000);
      if (!link) {
        std::fprintf(stderr, "doorstep demo: link: %s\n", link.error().message.c_str());
        return 1;
      }
      json::Value jl = json::Value::object();
      jl.set("turf_id", str(t, "id"));
      jl.set("turf", str(t, "name"));
      jl.set("token", link->token);
      jl.set("url", (*app)->link_url(link->token));
      links_out.push(jl);
    }
  }
  out.set("campaign_id", campaign_id);
  out.set("turfs", turfs_out);
  out.set("links", links_out);
  if (!signin.empty()) out.set("admin_signin_url", signin);
  if (o.flag("json")) {
    std::printf("%s\n", json::dump(out).c_str());
    return 0;
  }
  if (auto* imp = out.find("import"))
    std::printf("demo: imported %lld people at %lld doors (%lld placed by offline geocoding)\n",
                static_cast<long long>(imp->find("people")->as_int()), static_cast<long long>(imp->find("doors")->as_int()),
                static_cast<long long>(imp->find("geocoded")->as_int()));
  if (auto* b = out.find("buildings"))
    std::printf("demo: %lld building footprints; %lld of %lld doors in or beside one\n",
                static_cast<long long>(b->find("footprints")->as_int()),
                static_cast<long long>(b->find("matched")->find("inside")->as_int() + b->find("matched")->find("near")->as_int()),
                static_cast<long long>(b->find("matched")->find("doors")->as_int()));
  if (auto* t = out.find("tiles"))
    std::printf("demo: base map %s (%lld tiles, %lld bytes)\n", t->find("path")->as_string().c_str(),
                static_cast<long long>(t->find("tiles")->as_int()), static_cast<long long>(t->find("bytes")->as_int()));
  std::printf("demo: %zu turfs\n", turfs_out.size());
  if (!signin.empty()) std::printf("demo: organizer sign-in (one use): %s\n", signin.c_str());
  for (auto& l : links_out.as_array())
    std::printf("demo: canvasser link for %s: %s\n", str(l, "turf").c_str(), str(l, "url").c_str());
  return 0;
}

}  // namespace doorstep::cli
