// MemberService: account members and invites (API-SURFACE §4.3, §4.5 and the account members API
// the SDK exposes as client.accounts.members).
//
// An invite is a pending membership of the account, for an e-mail; it may name an e-mail that
// has no user yet, and a user created later with that e-mail finds it (store::claimInvites). The
// invited user accepts or rejects it (PATCH /user/invites/{id} or PUT /memberships/{id}); once
// accepted, the member acts in the account within its roles (auth/roles.h) through the same
// policy evaluator as every request. "Direct add" (status "accepted" on creation) needs an
// existing user, as on Cloudflare. An account always keeps one accepted Super Administrator.
//
// Every change that can alter what a credential reaches drops the authenticator's cache.
// Check-then-write rules (one membership per e-mail, the last Super Administrator) run inside a
// store transaction, so concurrent edits cannot break them.
// Thread-safety: stateless apart from its references; safe from any worker thread.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/errors.h"
#include "auth/authenticator.h"
#include "auth/principal.h"
#include "base/clock.h"
#include "base/random.h"
#include "base/result.h"
#include "store/store.h"

namespace nubis::identity {

// How long an invite stays open (Cloudflare's invitations expire after 7 days).
inline constexpr int64_t kInviteLifetimeMicros = 7LL * 24 * 3600 * 1000000;

class MemberService {
 public:
  MemberService(store::Store& store, auth::Authenticator& authn, const Clock& clock, Random& rng)
      : store_(store), authn_(authn), clock_(clock), rng_(rng) {}

  // ---- the account's side (/accounts/{account_id}/members)
  Result<std::vector<store::MembershipRow>> list(const std::string& account_id);
  Result<store::MembershipRow> get(const std::string& account_id, const std::string& member_id);
  // Body: email*, roles* (role ids, or {id} objects), status pending (default) | accepted.
  Result<store::MembershipRow> add(const auth::Principal& actor, const std::string& account_id,
                                   const boost::json::object& body);
  // Body: roles* (as for add).
  Result<store::MembershipRow> update(const std::string& account_id, const std::string& member_id,
                                      const boost::json::object& body);
  Status remove(const std::string& account_id, const std::string& member_id);

  // ---- the invited user's side (/user/invites, /memberships/{id})
  // Invites sent to the user (any status), oldest first.
  Result<std::vector<store::MembershipRow>> invitesOf(const std::string& user_id);
  Result<store::MembershipRow> invite(const std::string& user_id, const std::string& invite_id);
  // status: "accepted" | "rejected", for a pending invite or membership of the user's.
  Result<store::MembershipRow> respond(const std::string& user_id, const std::string& id,
                                       const boost::json::object& body, bool as_invite);
  // The user leaves the account (DELETE /memberships/{id}).
  Status leave(const std::string& user_id, const std::string& membership_id);

  // "pending" past its expiry reads "expired" (invites only).
  std::string inviteStatus(const store::MembershipRow& m) const;

 private:
  Result<store::MembershipRow> ownRow(const std::string& user_id, const std::string& id,
                                      api::Err not_found);
  store::Store& store_;
  auth::Authenticator& authn_;
  const Clock& clock_;
  Random& rng_;
};

}  // namespace nubis::identity
