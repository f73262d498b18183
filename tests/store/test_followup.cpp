// Tests for shared/store/followup: the queue holds only sign-ups that granted the purpose, keeps
// each one's follow-up state, and refuses unknown statuses and sign-ups.
#include <doctest/doctest.h>

#include "shared/base/ids.h"
#include "shared/store/campaign_store.h"
#include "shared/store/followup.h"

using namespace doorstep;
using namespace doorstep::store;

TEST_CASE("the follow-up queue of a purpose holds only sign-ups that granted it, with their state") {
  Db db = std::move(Db::open(":memory:").value());
  Hlc h{1000, 0, "server"};
  auto c = ensure_campaign(db, "Follow", h, 1000).value();
  auto add = [&](const char* name, std::vector<Consent> consents, int64_t ms) {
    Signup s;
    s.id = new_uuid_v7(ms);
    s.campaign_id = c.id;
    s.name = name;
    s.phone = "310-555-0100";
    s.created_ms = ms;
    s.consents = std::move(consents);
    REQUIRE(upsert_signup(db, s, h).ok());
    return s.id;
  };
  std::string texts = add("Ana Rivera", {{ConsentPurpose::text_me, true}}, 2000);
  add("Bo Lee", {{ConsentPurpose::text_me, false}, {ConsentPurpose::call_me, true}}, 3000);
  add("Cy", {}, 4000);
  auto q = followup_queue(db, c.id, ConsentPurpose::text_me);
  REQUIRE(q.ok());
  REQUIRE(q->size() == 1);
  CHECK(q->at(0).signup.name == "Ana Rivera");
  CHECK(q->at(0).status == "new");
  CHECK(followup_queue(db, c.id, std::nullopt)->size() == 3);
  CHECK(followup_queue(db, c.id, ConsentPurpose::call_me)->size() == 1);

  CHECK(set_followup(db, texts, std::string("texted"), std::string("Lee"), 5000).value() == c.id);
  CHECK(set_followup(db, texts, std::nullopt, std::string("Sam"), 6000).ok());  // status kept
  q = followup_queue(db, c.id, ConsentPurpose::text_me);
  CHECK(q->at(0).status == "texted");
  CHECK(q->at(0).assigned_to == "Sam");
  CHECK(q->at(0).updated_ms == 6000);
  CHECK(set_followup(db, texts, std::string("maybe"), std::nullopt, 7000).error().code == Code::invalid_argument);
  CHECK(set_followup(db, new_uuid_v7(1), std::string("called"), std::nullopt, 7000).error().code == Code::not_found);
  CHECK(followup_queue(db, c.id, ConsentPurpose::text_me)->at(0).status == "texted");  // a refused change kept nothing
}
