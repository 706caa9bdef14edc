// HotCache: whole delivery responses (headers and bytes) of public variants, in memory, answered
// on the I/O thread with no database or disk access. The rendered-variant cache on disk
// (store::VariantCache) saves libvips work; this one saves everything else a warm request costs
// (four lookups, a file read, a thread hop). Entries carry the same tags as the disk cache and
// are purged with them, plus an account tag for config changes (TTL, flexible variants).
//
// Only responses that do not depend on who asks are kept: public images, 200s. Thread-safe.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace nubis::images {

struct Delivered;

class HotCache {
 public:
  HotCache(uint64_t max_bytes, uint64_t max_entry_bytes)
      : max_bytes_(max_bytes), max_entry_bytes_(max_entry_bytes) {}

  std::shared_ptr<const Delivered> get(const std::string& key);
  // Read before producing a value; put() drops the value if any purge happened since, so a
  // response rendered while its image was being deleted is never kept.
  uint64_t epoch() const;
  void put(const std::string& key, const std::vector<std::string>& tags,
           std::shared_ptr<const Delivered> value, uint64_t epoch_before);
  void purgeTag(const std::string& tag);
  uint64_t bytes() const;

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const Delivered> value;
    std::vector<std::string> tags;
    uint64_t size = 0;
  };
  using List = std::list<Entry>;
  void dropLocked(List::iterator it);

  const uint64_t max_bytes_, max_entry_bytes_;
  mutable std::mutex mu_;
  List lru_;  // front = most recently used
  std::unordered_map<std::string, List::iterator> index_;
  std::unordered_map<std::string, std::unordered_set<std::string>> by_tag_;  // tag -> keys
  uint64_t bytes_ = 0;
  uint64_t epoch_ = 0;  // purges so far
};

}  // namespace nubis::images
