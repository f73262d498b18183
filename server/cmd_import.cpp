// `doorstep import FILE --data DIR`: imports a voter or address-point file into DIR/doorstep.db
// and prints the report (one JSON object with --json). Exits non-zero only when nothing could be
// imported. Leaves the import itself to shared/importer (the browser runs the same code).
#include <cstdio>
#include <filesystem>
#include <string>

#include "server/commands.h"
#include "server/options.h"
#include "shared/io/importer.h"
#include "shared/base/json.h"
#include "shared/store/store.h"

namespace doorstep::cli {

int cmd_import(int argc, char** argv) {
  Options o(argc, argv, {"data", "preset", "geocode-with", "campaign"}, {"replace", "json", "help"});
  if (!o.ok() || o.flag("help") || o.positional().size() != 1 || !o.get("data")) {
    std::fprintf(stderr,
                 "%s%susage: doorstep import FILE --data DIR [--preset NAME] [--geocode-with POINTS]\n"
                 "                       [--campaign NAME] [--replace] [--json]\n"
                 "presets: california, van, nationbuilder, openaddresses, address_points,\n"
                 "         generic:field=Column,... (fields: source_id, first_name, last_name, address_line, zip, ...)\n",
                 o.error().c_str(), o.ok() ? "" : "\n");
    return o.flag("help") ? 0 : 2;
  }
  std::string dir = *o.get("data");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    std::fprintf(stderr, "doorstep import: cannot create %s: %s\n", dir.c_str(), ec.message().c_str());
    return 1;
  }
  auto db = store::Db::open((std::filesystem::path(dir) / "doorstep.db").string(), store::OpenOptions{.wal = true});
  if (!db) {
    std::fprintf(stderr, "doorstep import: %s (%s)\n", db.error().message.c_str(),
                 std::string(code_name(db.error().code)).c_str());
    return 1;
  }
  importer::Options io;
  io.preset = o.get_or("preset", "");
  io.geocode_with = o.get_or("geocode-with", "");
  io.campaign = o.get_or("campaign", io.campaign);
  io.replace = o.flag("replace");
  io.node = "cli-import";
  auto r = importer::import_file(db.value(), o.positional()[0], io);
  if (!r) {
    if (o.flag("json")) {
      json::Value v = json::Value::object();
      v.set("code", std::string(code_name(r.error().code)));
      v.set("message", r.error().message);
      v.set("rows", 0);
      std::printf("%s\n", json::dump(v).c_str());
    }
    std::fprintf(stderr, "doorstep import: %s\n", r.error().message.c_str());
    return 1;
  }
  const auto& rep = r.value();
  if (o.flag("json")) {
    std::printf("%s\n", json::dump(rep.to_json()).c_str());
  } else {
    std::printf("%s: %llu rows (%llu imported, %llu skipped) via preset %s in %.2f s\n", o.positional()[0].c_str(),
                static_cast<unsigned long long>(rep.rows), static_cast<unsigned long long>(rep.imported),
                static_cast<unsigned long long>(rep.skipped), rep.preset.c_str(), rep.seconds);
    std::printf("people %llu (added %llu, changed %llu, unchanged %llu, removed %llu)\n",
                static_cast<unsigned long long>(rep.people), static_cast<unsigned long long>(rep.added),
                static_cast<unsigned long long>(rep.changed), static_cast<unsigned long long>(rep.unchanged),
                static_cast<unsigned long long>(rep.removed));
    std::printf("doors %llu, buildings %llu, geocoded %llu (source %llu, exact %llu, approximate %llu, ambiguous %llu, "
                "unmatched %llu)\n",
                static_cast<unsigned long long>(rep.doors), static_cast<unsigned long long>(rep.buildings),
                static_cast<unsigned long long>(rep.geocoded), static_cast<unsigned long long>(rep.from_source),
                static_cast<unsigned long long>(rep.exact), static_cast<unsigned long long>(rep.approximate),
                static_cast<unsigned long long>(rep.ambiguous), static_cast<unsigned long long>(rep.unmatched));
    std::printf("errors %llu\n", static_cast<unsigned long long>(rep.errors_total));
    size_t shown = 0;
    for (const auto& e : rep.errors) {
      if (++shown > 20) {
        std::printf("  ... (--json lists them all)\n");
        break;
      }
      std::printf("  row %llu col %u %s: %s\n", static_cast<unsigned long long>(e.row), e.column, e.code.c_str(),
                  e.message.c_str());
    }
  }
  return rep.imported > 0 ? 0 : 1;
}

}  // namespace doorstep::cli
