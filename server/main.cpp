// Entry point of the `doorstep` binary: picks a subcommand and hands it the remaining arguments.
// Subcommands are listed here once; each parses its own options.
#include <cstdio>
#include <cstring>

#include "server/commands.h"

namespace {

struct Command {
  const char* name;
  int (*run)(int, char**);
  const char* help;
};

const Command kCommands[] = {
    {"serve", doorstep::cli::cmd_serve, "run the sync endpoint and serve the web app"},
    {"import", doorstep::cli::cmd_import, "import a voter or address file into the data folder"},
    {"export", doorstep::cli::cmd_export, "export results (VAN, attempts, sign-ups, turfs)"},
    {"route", doorstep::cli::cmd_route, "walk order for a TSPLIB instance or a CSV of doors"},
    {"cut", doorstep::cli::cmd_cut, "cut a CSV of doors into turfs of a target size"},
    {"backup", doorstep::cli::cmd_backup, "copy the live database (SQLite online backup)"},
    {"restore", doorstep::cli::cmd_restore, "put a backup in place (server stopped)"},
    {"admin", doorstep::cli::cmd_admin, "recover organizer access from the console"},
    {"demo", doorstep::cli::cmd_demo, "seed the demo campaign (Venice, six languages) and print links"},
    {"tiles", doorstep::cli::cmd_tiles, "build a base-map tile archive (PMTiles or MBTiles) or show one"},
};

void usage() {
  std::fprintf(stderr, "usage: doorstep COMMAND [options]   (doorstep COMMAND --help for details)\n\ncommands:\n");
  for (const auto& c : kCommands) std::fprintf(stderr, "  %-8s %s\n", c.name, c.help);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    usage();
    return argc < 2 ? 2 : 0;
  }
  for (const auto& c : kCommands)
    if (!std::strcmp(argv[1], c.name)) return c.run(argc - 1, argv + 1);
  std::fprintf(stderr, "doorstep: unknown command '%s'\n", argv[1]);
  usage();
  return 2;
}
