// VariantCache: rendered variants on local disk, a size-bounded LRU cache with tag purges.
//
// A cache, not a store: nothing is fsynced, and open() wipes what an earlier run left (the
// in-memory index is the truth, and it starts empty). Files are root/<sha256(key)> (keys may
// hold '/' and anything else); an index in memory maps key -> file, size, tags.
//
// Tags name what an entry was made from, so a change can drop every entry derived from it:
// "img:<account>/<id>" on image delete or access change, "var:<account>/<name>" on variant
// update or delete. A render that started before a purge and puts after it re-inserts what the
// purge meant to drop; keys that carry a version of their inputs (e.g. the variant's modified
// time) make such an entry unreachable instead of stale.
//
// Errors are not reported: a failed write is a miss later, a failed read is a miss now.
//
// Thread-safety: safe from any thread. One mutex guards the index; file contents are written
// (to a tmp file) and read outside it, and renamed into place under it. Calls block on disk I/O.
#pragma once

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/result.h"

namespace nubis::store {

class VariantCache {
 public:
  // Creates root if needed and removes the cache files (and tmp files) an earlier run left
  // there; other files are left alone. max_bytes bounds the sum of cached sizes.
  static Result<std::unique_ptr<VariantCache>> open(const std::string& root, uint64_t max_bytes);
  VariantCache(const VariantCache&) = delete;
  VariantCache& operator=(const VariantCache&) = delete;

  // The cached bytes, making key the most recently used; nullopt on a miss.
  std::optional<std::string> get(const std::string& key);
  // Caches bytes under key (replacing any entry and its tags), then evicts least recently used
  // entries until the total fits max_bytes. Bytes larger than max_bytes are not cached (and an
  // older entry for key is dropped).
  void put(const std::string& key, std::vector<std::string> tags, std::string_view bytes);
  // Drops every entry tagged tag.
  void purgeTag(const std::string& tag);

  uint64_t bytes() const;  // sum of the cached entries' sizes
  size_t entries() const;  // number of cached entries
  const std::string& root() const { return root_; }

 private:
  VariantCache(std::string root, uint64_t max_bytes)
      : root_(std::move(root)), max_bytes_(max_bytes) {}

  struct Entry {
    std::string file;
    uint64_t size = 0;
    std::vector<std::string> tags;
    std::list<std::string>::iterator lru;  // position in lru_
  };
  using Entries = std::unordered_map<std::string, Entry>;

  // Removes the entry, its file and its tag links. mu_ held.
  void dropLocked(Entries::iterator it);

  // Constant after construction.
  const std::string root_;
  const uint64_t max_bytes_;

  std::atomic<uint64_t> tmp_seq_{0};  // names tmp files uniquely within this process

  mutable std::mutex mu_;
  // State below is guarded by mu_.
  std::list<std::string> lru_;  // keys, most recently used first
  Entries entries_;
  std::unordered_map<std::string, std::unordered_set<std::string>> tags_;  // tag -> keys
  uint64_t bytes_ = 0;
};

}  // namespace nubis::store
