// DnsPositions: the order of a listed DNS query, kept between requests so that paging through a
// large zone does not walk the zone again for every page.
//
// Why: Cloudflare's list answers every page with its total_count, and pages by number. In SQLite
// both are walks: count(*) visits every matching index entry (~10 ms for 100,000 records) and
// OFFSET visits every entry before the page (page 1,000 of 100,000: another ~12 ms). A client
// walking the zone (the SDK's `for await`) pays both on every page: O(n²) for the walk. Here one
// index-only walk collects the rowids of the whole result in order; the total is its size, and a
// page is 100 rowids looked up by primary key. Page 1 and page 1,000 cost the same.
//
// Freshness: an entry is used only while the database is as it was when the entry was made:
// the connection's total change count (every INSERT/UPDATE/DELETE through it, in any table) and
// PRAGMA data_version (commits by any other connection) both unchanged. Any write invalidates
// every entry: writes are rare next to the reads of a walk, and nothing can be served stale.
//
// Bounded: at most kMaxEntries queries and kMaxRowids rowids (8 bytes each) in total, least
// recently used first out. Thread-safety: none; the owner calls it under its mutex.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace nubis::store::sqlite {

class DnsPositions {
 public:
  static constexpr size_t kMaxEntries = 32;
  static constexpr size_t kMaxRowids = 4'000'000;  // 32 MB
  // Results smaller than this are cheap to walk each time and are not kept.
  static constexpr size_t kMinRowids = 1'000;

  using Generation = std::pair<int64_t, int64_t>;  // (total changes, data_version)
  using Rowids = std::shared_ptr<const std::vector<int64_t>>;

  // The rowids for `key` if they were made at `generation`; nullptr otherwise (a stale entry is
  // dropped).
  Rowids find(const std::string& key, Generation generation);
  void put(const std::string& key, Generation generation, Rowids rowids);
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string key;
    Generation generation;
    Rowids rowids;
  };
  void evictTo(size_t entries, size_t rowids);
  void clear();

  std::list<Entry> lru_;  // front: most recently used
  std::unordered_map<std::string, std::list<Entry>::iterator> entries_;
  size_t rowids_ = 0;
};

}  // namespace nubis::store::sqlite
