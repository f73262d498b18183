// `doorstep export --data DIR --format van|attempts|signups|turfs [--campaign NAME] [--out FILE]`:
// writes one export of a campaign from DIR/doorstep.db to FILE or stdout. Leaves the formats to
// shared/export (the browser offers the same downloads).
#include <cstdio>
#include <filesystem>
#include <string>

#include "server/commands.h"
#include "server/options.h"
#include "shared/store/campaign_store.h"
#include "shared/io/export.h"
#include "shared/store/store.h"

namespace doorstep::cli {

int cmd_export(int argc, char** argv) {
  Options o(argc, argv, {"data", "format", "out", "campaign"}, {"help"});
  if (!o.ok() || o.flag("help") || !o.get("data") || !o.get("format") || !o.positional().empty()) {
    std::fprintf(stderr,
                 "%s%susage: doorstep export --data DIR --format van|attempts|signups|turfs [--campaign NAME]\n"
                 "                       [--out FILE]\n"
                 "  --campaign defaults to the only campaign in the database\n",
                 o.error().c_str(), o.ok() ? "" : "\n");
    return o.flag("help") ? 0 : 2;
  }
  std::string path = (std::filesystem::path(*o.get("data")) / "doorstep.db").string();
  auto db = store::Db::open(path, store::OpenOptions{.create = false, .wal = true});
  if (!db) {
    std::fprintf(stderr, "doorstep export: %s\n", db.error().message.c_str());
    return 1;
  }
  auto campaigns = store::list_campaigns(db.value());
  if (!campaigns) {
    std::fprintf(stderr, "doorstep export: %s\n", campaigns.error().message.c_str());
    return 1;
  }
  std::string campaign_id;
  auto want = o.get("campaign");
  for (const auto& c : campaigns.value())
    if (!want || c.name == *want || c.id == *want) {
      if (!campaign_id.empty() && !want) {
        std::fprintf(stderr, "doorstep export: several campaigns; choose one with --campaign NAME\n");
        return 2;
      }
      campaign_id = c.id;
    }
  if (campaign_id.empty()) {
    std::fprintf(stderr, "doorstep export: no such campaign\n");
    return 1;
  }
  std::string fmt = *o.get("format");
  exporter::ExportStats st;
  Result<std::string> out = make_error(Code::invalid_argument, "unknown format '" + fmt + "' (van, attempts, signups, turfs)");
  if (fmt == "van") out = exporter::van_csv(db.value(), campaign_id, &st);
  else if (fmt == "attempts") out = exporter::attempts_csv(db.value(), campaign_id, &st);
  else if (fmt == "signups") out = exporter::signups_csv(db.value(), campaign_id, &st);
  else if (fmt == "turfs") out = exporter::turfs_geojson(db.value(), campaign_id, &st);
  if (!out) {
    std::fprintf(stderr, "doorstep export: %s\n", out.error().message.c_str());
    return out.error().code == Code::invalid_argument ? 2 : 1;
  }
  std::FILE* f = stdout;
  if (auto file = o.get("out")) {
    f = std::fopen(file->c_str(), "wb");
    if (!f) {
      std::fprintf(stderr, "doorstep export: cannot write %s\n", file->c_str());
      return 1;
    }
  }
  bool ok = std::fwrite(out->data(), 1, out->size(), f) == out->size();
  if (f != stdout) ok = std::fclose(f) == 0 && ok;
  else std::fflush(stdout);
  if (!ok) {
    std::fprintf(stderr, "doorstep export: write failed\n");
    return 1;
  }
  std::fprintf(stderr, "doorstep export: %llu rows%s\n", static_cast<unsigned long long>(st.rows),
               st.skipped ? (" (" + std::to_string(st.skipped) + " skipped: no VAN ID)").c_str() : "");
  return 0;
}

}  // namespace doorstep::cli
