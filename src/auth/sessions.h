// Dashboard sign-in state (issue 6): browser sessions and the throttle on failed sign-ins.
// The HTTP side (cookie, CSRF header, the sign-in route) is the dashboard's; this is the pure
// part: what a session is, how long it lives, and when sign-in is refused.
//
// A session is a random 256-bit secret, sent to the browser once in an HttpOnly cookie and kept
// here only as its keyed hash (like API tokens: a leak of this map leaks no usable cookie). Each
// session's CSRF token is a keyed hash of its secret in a domain of its own (nothing to store,
// the same in every tab, useless without the cookie and not derivable from it without the
// pepper); state-changing calls must echo it in a header, which a cross-site page cannot read. Sessions end after kIdle without use or
// kAbsolute after sign-in, whichever first, on sign-out, and for every session of a user when
// that user's password or key changes. They live in memory: a restart signs everyone out.
//
// LoginThrottle: kMaxFailures failed sign-ins for one e-mail (or kMaxFailuresPerIp from one
// address) within kWindow lock further attempts for that e-mail (address) for kWindow from the
// failure that reached the limit; a success clears the e-mail's count. The e-mail is counted whether or not a user has it,
// so the lockout says nothing about which e-mails exist.
//
// Thread-safety: every method is safe from any thread (one mutex each).
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "auth/secrets.h"
#include "base/random.h"

namespace nubis::auth {

struct Session {
  std::string user_id;
  int64_t created = 0;    // micros
  int64_t last_seen = 0;  // micros
};

struct NewSession {
  std::string secret;  // the cookie's value: shown once
  std::string csrf;    // its CSRF token (csrfFor(secret))
};

class SessionStore {
 public:
  static constexpr int64_t kIdle = 12LL * 3600 * 1000000;
  static constexpr int64_t kAbsolute = 7LL * 24 * 3600 * 1000000;
  // Past this many live sessions the oldest is ended (a flood of sign-ins cannot grow memory);
  // past kMaxPerUser of one user, that user's oldest (so one user's sign-in loop cannot end
  // everyone else's sessions).
  static constexpr size_t kMaxSessions = 10000;
  static constexpr size_t kMaxPerUser = 20;

  SessionStore(const SecretHasher& hasher, Random& rng) : hasher_(hasher), rng_(rng) {}

  NewSession create(const std::string& user_id, int64_t now);
  // The live session for a cookie value (its last use moves to `now`); nullopt when unknown or
  // expired (an expired one is ended).
  std::optional<Session> find(std::string_view secret, int64_t now);
  // The CSRF token of the session whose cookie value is `secret`.
  std::string csrfFor(std::string_view secret) const;
  // Whether `csrf` is the live session's CSRF token (constant time).
  bool csrfMatches(std::string_view secret, std::string_view csrf, int64_t now);
  void destroy(std::string_view secret);
  void destroyUser(const std::string& user_id);
  size_t size() const;

 private:
  struct Entry {
    Session session;
  };
  // Requires mu_. The entry for a cookie value if live at `now`; ends it if expired.
  Entry* live(std::string_view secret, int64_t now);

  const SecretHasher& hasher_;
  Random& rng_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> by_hash_;
};

class LoginThrottle {
 public:
  static constexpr int kMaxFailures = 5;
  static constexpr int kMaxFailuresPerIp = 20;
  static constexpr int64_t kWindow = 15LL * 60 * 1000000;

  // One sign-in attempt at `now`: false when the e-mail or the address is locked. Otherwise the
  // attempt is counted as a failure at once, in the same step as the check, so parallel guesses
  // cannot all pass the check before any of them is counted; a success gives it back.
  bool begin(std::string_view email, std::string_view ip, int64_t now);
  // The attempt begun at `began` succeeded: the e-mail's failures are cleared, and the address's
  // count (and a lock that attempt alone set) given back.
  void succeeded(std::string_view email, std::string_view ip, int64_t began);
  // Whether a sign-in for `email` from `ip` is refused now.
  bool locked(std::string_view email, std::string_view ip, int64_t now);

 private:
  struct Failures {
    std::deque<int64_t> times;  // within the window, oldest first
    int64_t locked_until = 0;
  };
  // Requires mu_.
  static void add(Failures& f, int limit, int64_t now);

  std::mutex mu_;
  std::unordered_map<std::string, Failures> by_email_, by_ip_;
};

}  // namespace nubis::auth
