#include "store/sqlite/dns_positions.h"

namespace nubis::store::sqlite {

DnsPositions::Rowids DnsPositions::find(const std::string& key, Generation generation) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  if (it->second->generation != generation) {
    clear();  // the database moved on: every entry is as stale as this one
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->rowids;
}

void DnsPositions::put(const std::string& key, Generation generation, Rowids rowids) {
  if (rowids == nullptr || rowids->size() < kMinRowids || rowids->size() > kMaxRowids) return;
  if (auto it = entries_.find(key); it != entries_.end()) {
    rowids_ -= it->second->rowids->size();
    lru_.erase(it->second);
    entries_.erase(it);
  }
  // Entries of an older generation can never be used again.
  if (!lru_.empty() && lru_.front().generation != generation) clear();
  evictTo(kMaxEntries - 1, kMaxRowids - rowids->size());
  rowids_ += rowids->size();
  lru_.push_front(Entry{key, generation, std::move(rowids)});
  entries_.emplace(key, lru_.begin());
}

void DnsPositions::clear() {
  lru_.clear();
  entries_.clear();
  rowids_ = 0;
}

void DnsPositions::evictTo(size_t entries, size_t rowids) {
  while (!lru_.empty() && (lru_.size() > entries || rowids_ > rowids)) {
    rowids_ -= lru_.back().rowids->size();
    entries_.erase(lru_.back().key);
    lru_.pop_back();
  }
}

}  // namespace nubis::store::sqlite
