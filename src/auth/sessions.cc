#include "auth/sessions.h"

#include <algorithm>

#include "base/ids.h"
#include "base/text.h"

namespace nubis::auth {

namespace {
// Sessions and CSRF tokens are hashed in their own domains: neither can stand for the other, nor
// for an API token.
constexpr std::string_view kSessionDomain = "session";
constexpr std::string_view kCsrfDomain = "csrf";
}  // namespace

NewSession SessionStore::create(const std::string& user_id, int64_t now) {
  NewSession out;
  out.secret = ids::newTokenSecret(rng_);
  out.csrf = csrfFor(out.secret);
  Entry e{Session{user_id, now, now}};
  std::lock_guard lock(mu_);
  auto older = [](const auto& a, const auto& b) { return a.second.session.created < b.second.session.created; };
  size_t mine = 0;
  auto my_oldest = by_hash_.end();
  for (auto it = by_hash_.begin(); it != by_hash_.end(); ++it) {
    if (it->second.session.user_id != user_id) continue;
    ++mine;
    if (my_oldest == by_hash_.end() || older(*it, *my_oldest)) my_oldest = it;
  }
  if (mine >= kMaxPerUser) {
    by_hash_.erase(my_oldest);
  } else if (by_hash_.size() >= kMaxSessions) {
    by_hash_.erase(std::min_element(by_hash_.begin(), by_hash_.end(), older));
  }
  by_hash_[hasher_.hash(kSessionDomain, out.secret)] = std::move(e);
  return out;
}

SessionStore::Entry* SessionStore::live(std::string_view secret, int64_t now) {
  auto it = by_hash_.find(hasher_.hash(kSessionDomain, secret));
  if (it == by_hash_.end()) return nullptr;
  const Session& s = it->second.session;
  if (now - s.last_seen >= kIdle || now - s.created >= kAbsolute) {
    by_hash_.erase(it);
    return nullptr;
  }
  return &it->second;
}

std::optional<Session> SessionStore::find(std::string_view secret, int64_t now) {
  std::lock_guard lock(mu_);
  Entry* e = live(secret, now);
  if (e == nullptr) return std::nullopt;
  e->session.last_seen = now;
  return e->session;
}

std::string SessionStore::csrfFor(std::string_view secret) const {
  return hasher_.hash(kCsrfDomain, secret);
}

bool SessionStore::csrfMatches(std::string_view secret, std::string_view csrf, int64_t now) {
  const std::string expected = csrfFor(secret);
  std::lock_guard lock(mu_);
  return live(secret, now) != nullptr && constantTimeEquals(csrf, expected);
}

void SessionStore::destroy(std::string_view secret) {
  std::lock_guard lock(mu_);
  by_hash_.erase(hasher_.hash(kSessionDomain, secret));
}

void SessionStore::destroyUser(const std::string& user_id) {
  std::lock_guard lock(mu_);
  std::erase_if(by_hash_, [&](const auto& kv) { return kv.second.session.user_id == user_id; });
}

size_t SessionStore::size() const {
  std::lock_guard lock(mu_);
  return by_hash_.size();
}

void LoginThrottle::add(Failures& f, int limit, int64_t now) {
  while (!f.times.empty() && now - f.times.front() >= kWindow) f.times.pop_front();
  f.times.push_back(now);
  if (static_cast<int>(f.times.size()) >= limit) f.locked_until = now + kWindow;
}

bool LoginThrottle::locked(std::string_view email, std::string_view ip, int64_t now) {
  std::lock_guard lock(mu_);
  auto e = by_email_.find(text::asciiLower(email));
  if (e != by_email_.end() && now < e->second.locked_until) return true;
  auto i = by_ip_.find(std::string(ip));
  return i != by_ip_.end() && now < i->second.locked_until;
}

bool LoginThrottle::begin(std::string_view email, std::string_view ip, int64_t now) {
  std::lock_guard lock(mu_);
  const std::string key = text::asciiLower(email);
  if (auto e = by_email_.find(key); e != by_email_.end() && now < e->second.locked_until) return false;
  if (auto i = by_ip_.find(std::string(ip)); i != by_ip_.end() && now < i->second.locked_until) return false;
  // Bounded: past 100,000 keys, entries with nothing in the window and no lock left go; only if
  // that is not enough is the map dropped (a flood of distinct e-mails then frees its memory, but
  // a lock in force survives the ordinary case).
  for (auto* map : {&by_email_, &by_ip_}) {
    if (map->size() <= 100000) continue;
    std::erase_if(*map, [now](const auto& kv) {
      const Failures& f = kv.second;
      const bool recent = !f.times.empty() && now - f.times.back() < kWindow;
      return !recent && now >= f.locked_until;
    });
    if (map->size() > 100000) map->clear();
  }
  add(by_email_[key], kMaxFailures, now);
  add(by_ip_[std::string(ip)], kMaxFailuresPerIp, now);
  return true;
}

void LoginThrottle::succeeded(std::string_view email, std::string_view ip, int64_t began) {
  std::lock_guard lock(mu_);
  by_email_.erase(text::asciiLower(email));
  auto i = by_ip_.find(std::string(ip));
  if (i == by_ip_.end()) return;
  Failures& f = i->second;
  auto it = std::find(f.times.rbegin(), f.times.rend(), began);
  if (it == f.times.rend()) return;
  f.times.erase(std::next(it).base());
  if (f.locked_until == began + kWindow && static_cast<int>(f.times.size()) < kMaxFailuresPerIp) f.locked_until = 0;
}

}  // namespace nubis::auth
