// The `doorstep` binary's subcommands. Each lives in its own cmd_*.cpp; main.cpp only dispatches.
#pragma once

namespace doorstep::cli {

int cmd_serve(int argc, char** argv);   // cmd_serve.cpp: HTTP endpoint + web app
int cmd_import(int argc, char** argv);  // cmd_import.cpp
int cmd_export(int argc, char** argv);  // cmd_export.cpp
int cmd_route(int argc, char** argv);   // cmd_route.cpp
int cmd_cut(int argc, char** argv);     // cmd_cut.cpp
int cmd_backup(int argc, char** argv);  // cmd_backup.cpp (backup and restore)
int cmd_restore(int argc, char** argv);
int cmd_admin(int argc, char** argv);   // cmd_admin.cpp
int cmd_demo(int argc, char** argv);    // cmd_demo.cpp: seeds the demo campaign
int cmd_tiles(int argc, char** argv);   // cmd_tiles.cpp: base-map tile archives

}  // namespace doorstep::cli
