// Tests for shared/io/followup_export: each layout holds only sign-ups that granted its purpose,
// and of those only the contact fields their consents cover.
#include <doctest/doctest.h>

#include <string>

#include "shared/base/ids.h"
#include "shared/io/followup_export.h"
#include "shared/store/campaign_store.h"

using namespace doorstep;
using namespace doorstep::exporter;

TEST_CASE("sign-up exports: text_me, Action Network (email_me) and NationBuilder (join) hold only consenting people") {
  store::Db db = std::move(store::Db::open(":memory:").value());
  Hlc h{1000, 0, "server"};
  auto c = store::ensure_campaign(db, "Exports", h, 1000).value();
  auto add = [&](const char* name, const char* email, std::vector<Consent> consents, int64_t ms) {
    Signup s;
    s.id = new_uuid_v7(ms);
    s.campaign_id = c.id;
    s.name = name;
    s.phone = "+13105550100";
    s.email = email;
    s.created_ms = ms;
    s.consents = std::move(consents);
    REQUIRE(store::upsert_signup(db, s, h).ok());
  };
  add("Ana María Rivera", "ana@example.org",
      {{ConsentPurpose::text_me, true}, {ConsentPurpose::email_me, true}, {ConsentPurpose::join, true}}, 2000);
  add("Bo Lee", "bo@example.org", {{ConsentPurpose::text_me, false}, {ConsentPurpose::email_me, true}}, 3000);
  add("Cy", "", {{ConsentPurpose::email_me, true}}, 4000);  // no email: nothing for Action Network

  ExportStats st;
  auto text = followup_csv(db, c.id, ConsentPurpose::text_me, &st);
  REQUIRE(text.ok());
  CHECK(st.rows == 1);
  CHECK(text->find("Ana María Rivera") != std::string::npos);
  CHECK(text->find("Bo Lee") == std::string::npos);
  CHECK(text->find(",Ana María,Rivera,") != std::string::npos);
  CHECK(text->find("'+13105550100") != std::string::npos);  // a leading + is neutralised for spreadsheets

  auto an = action_network_csv(db, c.id, &st);
  REQUIRE(an.ok());
  CHECK(an->rfind("email,first_name,last_name,address,mobile_number\r\n", 0) == 0);
  CHECK(st.rows == 2);
  CHECK(st.skipped == 1);
  CHECK(an->find("ana@example.org,Ana María,Rivera,,'+13105550100\r\n") != std::string::npos);
  CHECK(an->find("bo@example.org,Bo,Lee,,\r\n") != std::string::npos);  // no text_me: no mobile number

  auto nb = nationbuilder_csv(db, c.id, &st);
  REQUIRE(nb.ok());
  CHECK(st.rows == 1);
  CHECK(nb->find("Bo") == std::string::npos);
  CHECK(nb->find(",Ana María,Rivera,ana@example.org,Y,,'+13105550100,Y,N,doorstep\r\n") != std::string::npos);

  CHECK(followup_csv(db, new_uuid_v7(1), ConsentPurpose::join).error().code == Code::not_found);
}
