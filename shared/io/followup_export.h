// Exports of sign-ups for membership and texting tools: a generic CSV for one consent purpose,
// Action Network's upload layout (email list: email_me) and NationBuilder's people import (join).
// Each holds only sign-ups that granted the export's purpose, and of those only the contact
// fields their consents cover. Leaves out sending the files anywhere.
#pragma once
#include <string>
#include <string_view>

#include "shared/base/model.h"
#include "shared/base/result.h"
#include "shared/io/export.h"
#include "shared/store/store.h"

namespace doorstep::exporter {

// signup_id,created,name,first_name,last_name,phone,email,address,status,assigned_to + one column
// per consent purpose.
Result<std::string> followup_csv(store::Db& db, std::string_view campaign_id, ConsentPurpose purpose,
                                 ExportStats* stats = nullptr);
// email,first_name,last_name,address,mobile_number (only with text_me): sign-ups with email_me
// and an email address (Action Network matches people by email and uploads only opted-in people).
Result<std::string> action_network_csv(store::Db& db, std::string_view campaign_id, ExportStats* stats = nullptr);
// external_id,first_name,last_name,email,email_opt_in,phone_number,mobile_number,mobile_opt_in,
// is_volunteer,tag_list: sign-ups with join (phone only with call_me, mobile only with text_me,
// email only with email_me).
Result<std::string> nationbuilder_csv(store::Db& db, std::string_view campaign_id, ExportStats* stats = nullptr);

}  // namespace doorstep::exporter
