#include "store/fs/variant_cache.h"

#include <unistd.h>

#include <filesystem>
#include <system_error>
#include <utility>

#include "store/fs/file_io.h"
#include "store/fs/sha256.h"

namespace nubis::store {
namespace {

constexpr std::string_view kTmpPrefix = "tmp-";

// Names this cache writes: 64 hex (an entry) or tmp-* (a write in progress).
bool isCacheFile(const std::string& name) {
  return isSha256Hex(name) || name.compare(0, kTmpPrefix.size(), kTmpPrefix) == 0;
}

}  // namespace

Result<std::unique_ptr<VariantCache>> VariantCache::open(const std::string& root,
                                                         uint64_t max_bytes) {
  std::error_code ec;
  // open() deletes files: never under a root that is not a distinct directory.
  const std::filesystem::path abs = std::filesystem::absolute(root, ec);
  if (root.empty() || ec || abs == abs.root_path()) {
    return ApiError::internal("variant cache: open: refusing root \"" + root + "\"");
  }
  std::filesystem::create_directories(abs, ec);
  if (ec) return fsio::ioError("create_directories", root, ec.value());
  auto listed = fsio::listDir(root);
  if (!listed) return std::move(listed).error();
  for (const std::filesystem::path& p : *listed) {
    if (!isCacheFile(p.filename().string())) continue;
    auto removed = fsio::removeFile(p.string());
    if (!removed) return std::move(removed).error();
  }
  return std::unique_ptr<VariantCache>(new VariantCache(root, max_bytes));
}

std::optional<std::string> VariantCache::get(const std::string& key) {
  std::string file;
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    file = it->second.file;
  }
  // Read outside the lock. Files are replaced by rename and an open file keeps its contents, so
  // this reads one whole version; if an eviction or purge unlinked it first, it is a miss.
  auto bytes = fsio::readFile(file);
  if (!bytes || !bytes->has_value()) return std::nullopt;
  return std::move(**bytes);
}

void VariantCache::put(const std::string& key, std::vector<std::string> tags,
                       std::string_view bytes) {
  if (bytes.size() > max_bytes_) {
    std::lock_guard lock(mu_);
    if (auto it = entries_.find(key); it != entries_.end()) dropLocked(it);
    return;
  }
  std::string tmp = root_ + "/" + std::string(kTmpPrefix) + std::to_string(tmp_seq_++) + "-XXXXXX";
  if (!fsio::writeNewFile(tmp, bytes, /*sync=*/false)) return;  // a miss later, nothing more
  const std::string file = root_ + "/" + sha256Hex(key);

  std::lock_guard lock(mu_);
  if (!fsio::renameFile(tmp, file)) {
    (void)fsio::removeFile(tmp);
    return;
  }
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    lru_.push_front(key);
    it = entries_.emplace(key, Entry{file, 0, {}, lru_.begin()}).first;
  } else {
    // The file was just replaced; unlink the old tag links and size, keep the list node.
    for (const std::string& tag : it->second.tags) {
      auto t = tags_.find(tag);
      if (t == tags_.end()) continue;
      t->second.erase(key);
      if (t->second.empty()) tags_.erase(t);
    }
    bytes_ -= it->second.size;
    lru_.splice(lru_.begin(), lru_, it->second.lru);
  }
  Entry& e = it->second;
  e.size = bytes.size();
  e.tags = std::move(tags);
  for (const std::string& tag : e.tags) tags_[tag].insert(key);
  bytes_ += e.size;
  // The new entry is at the front and fits on its own, so this stops before reaching it.
  while (bytes_ > max_bytes_ && !lru_.empty()) dropLocked(entries_.find(lru_.back()));
}

void VariantCache::purgeTag(const std::string& tag) {
  std::lock_guard lock(mu_);
  auto t = tags_.find(tag);
  if (t == tags_.end()) return;
  // Copied: dropLocked edits tags_, which may erase this very set.
  const std::vector<std::string> keys(t->second.begin(), t->second.end());
  for (const std::string& key : keys) {
    if (auto it = entries_.find(key); it != entries_.end()) dropLocked(it);
  }
}

void VariantCache::dropLocked(Entries::iterator it) {
  Entry& e = it->second;
  (void)fsio::removeFile(e.file);  // a leftover file is only disk space until the next open()
  for (const std::string& tag : e.tags) {
    auto t = tags_.find(tag);
    if (t == tags_.end()) continue;
    t->second.erase(it->first);
    if (t->second.empty()) tags_.erase(t);
  }
  bytes_ -= e.size;
  lru_.erase(e.lru);
  entries_.erase(it);
}

uint64_t VariantCache::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

size_t VariantCache::entries() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace nubis::store
