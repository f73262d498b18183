// `doorstep admin`: recovers organizer access from the server's console (whoever can run this can
// read the database anyway): list accounts, print a fresh one-time sign-in link, set a password,
// add an organizer, compact the file. Leaves out anything a signed-in admin can do in the app.
#include <cstdio>
#include <iostream>
#include <string>

#include "server/app.h"
#include "server/commands.h"
#include "server/options.h"
#include "shared/store/store.h"

namespace doorstep::cli {

int cmd_admin(int argc, char** argv) {
  Options o(argc, argv, {"data", "email", "role", "public-url"}, {"help"});
  const auto& pos = o.positional();
  if (!o.ok() || o.flag("help") || !o.get("data") || pos.size() != 1) {
    std::fprintf(stderr,
                 "%s%susage: doorstep admin --data DIR ACTION [--email E]\n"
                 "  list                         list accounts\n"
                 "  link [--email admin]         print a fresh one-time sign-in link\n"
                 "  password --email E           read a new password from stdin\n"
                 "  add --email E [--role organizer|admin]   create an account and print its link\n"
                 "  vacuum                       compact the database file (stop the server first)\n",
                 o.error().c_str(), o.ok() ? "" : "\n");
    return o.flag("help") ? 0 : 2;
  }
  server::AppConfig cfg;
  cfg.data_dir = *o.get("data");
  cfg.public_url = o.get_or("public-url", "");
  cfg.storage.readers = 1;
  auto app = server::App::open(cfg);
  if (!app) {
    std::fprintf(stderr, "doorstep admin: %s\n", app.error().message.c_str());
    return 1;
  }
  auto& a = **app;
  const std::string action = pos[0];
  const std::string email = server::Auth::normalise_email(o.get_or("email", "admin"));
  if (action == "list") {
    auto all = a.storage().accounts();
    if (!all) {
      std::fprintf(stderr, "doorstep admin: %s\n", all.error().message.c_str());
      return 1;
    }
    for (const auto& acc : *all)
      std::printf("%s  %-9s %s%s\n", acc.id.c_str(), acc.role.c_str(), acc.email.c_str(),
                  acc.disabled ? "  (disabled)" : acc.pwhash.empty() ? "  (no password yet)" : "");
    return 0;
  }
  if (action == "vacuum") {
    // Rewrites the whole file (purged pages included) and empties the write-ahead log.
    auto s = a.storage().exclusive([](store::Db& db) { return db.exec("VACUUM"); });
    if (s) s = server::forget_freed_bytes(a);
    if (!s) {
      std::fprintf(stderr, "doorstep admin: vacuum: %s\n", s.error().message.c_str());
      return 1;
    }
    std::printf("doorstep: database compacted\n");
    return 0;
  }
  if (action == "add") {
    auto acc = a.auth().create_account(email, o.get_or("role", "organizer"));
    if (!acc) {
      std::fprintf(stderr, "doorstep admin: %s\n", acc.error().message.c_str());
      return 1;
    }
    auto t = a.auth().new_signin_token(acc->id);
    if (!t) return 1;
    a.audit("console", "", "account.create", acc->id);
    std::printf("%s\n", a.signin_url(*t).c_str());
    return 0;
  }
  if (action == "link" || action == "password") {
    if (action == "link" && email == "admin" && a.storage().accounts().ok() && a.storage().accounts()->empty()) {
      auto first = a.first_start();
      if (!first || !*first) return 1;
      std::printf("%s\n", a.signin_url(**first).c_str());
      return 0;
    }
    auto acc = a.storage().account_by_email(email);
    if (!acc) {
      std::fprintf(stderr, "doorstep admin: no account %s (see: doorstep admin --data DIR list)\n", email.c_str());
      return 1;
    }
    if (action == "link") {
      auto t = a.auth().new_signin_token(acc->id);
      if (!t) {
        std::fprintf(stderr, "doorstep admin: %s\n", t.error().message.c_str());
        return 1;
      }
      a.audit("console", "", "account.signin_link", acc->id);
      std::printf("%s\n", a.signin_url(*t).c_str());
      return 0;
    }
    std::string pw;
    std::getline(std::cin, pw);
    if (auto s = a.auth().set_password(acc->id, pw); !s) {
      std::fprintf(stderr, "doorstep admin: %s\n", s.error().message.c_str());
      return 1;
    }
    a.audit("console", "", "account.password", acc->id);
    std::printf("doorstep: password set for %s\n", email.c_str());
    return 0;
  }
  std::fprintf(stderr, "doorstep admin: unknown action '%s'\n", action.c_str());
  return 2;
}

}  // namespace doorstep::cli
