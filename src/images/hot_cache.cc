#include "images/hot_cache.h"

#include <algorithm>

#include "images/delivery.h"

namespace nubis::images {

std::shared_ptr<const Delivered> HotCache::get(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->value;
}

uint64_t HotCache::epoch() const {
  std::lock_guard lock(mu_);
  return epoch_;
}

void HotCache::put(const std::string& key, const std::vector<std::string>& tags,
                   std::shared_ptr<const Delivered> value, uint64_t epoch_before) {
  uint64_t size = value->body.size() + key.size() + 256;
  for (const auto& [k, v] : value->headers) size += k.size() + v.size();
  if (size > max_entry_bytes_ || size > max_bytes_) return;
  std::lock_guard lock(mu_);
  if (epoch_ != epoch_before) return;
  if (auto it = index_.find(key); it != index_.end()) dropLocked(it->second);
  lru_.push_front(Entry{key, std::move(value), tags, size});
  index_[key] = lru_.begin();
  for (const auto& t : tags) by_tag_[t].insert(key);
  bytes_ += size;
  while (bytes_ > max_bytes_ && !lru_.empty()) dropLocked(std::prev(lru_.end()));
}

void HotCache::dropLocked(List::iterator it) {
  for (const auto& t : it->tags) {
    auto bt = by_tag_.find(t);
    if (bt == by_tag_.end()) continue;
    bt->second.erase(it->key);
    if (bt->second.empty()) by_tag_.erase(bt);
  }
  bytes_ -= it->size;
  index_.erase(it->key);
  lru_.erase(it);
}

void HotCache::purgeTag(const std::string& tag) {
  std::lock_guard lock(mu_);
  ++epoch_;
  auto bt = by_tag_.find(tag);
  if (bt == by_tag_.end()) return;
  std::vector<std::string> keys(bt->second.begin(), bt->second.end());  // dropLocked edits it
  for (const auto& k : keys)
    if (auto it = index_.find(k); it != index_.end()) dropLocked(it->second);
}

uint64_t HotCache::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

}  // namespace nubis::images
