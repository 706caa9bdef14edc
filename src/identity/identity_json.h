// JSON shapes of the user, accounts and memberships (API-SURFACE.md §4.2, §4.4, §4.5).
#pragma once

#include <boost/json/object.hpp>

#include "store/rows.h"

namespace nubis::identity {

boost::json::object userJson(const store::UserRow& u);
boost::json::object accountJson(const store::AccountRow& a);
boost::json::object membershipJson(const store::MembershipRow& m, const store::AccountRow& a);

}  // namespace nubis::identity
