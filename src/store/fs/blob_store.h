// BlobStore: original image bytes on the local filesystem, content-addressed by SHA-256.
//
// Layout under root: originals/ab/cd/<hash> (ab, cd = the hash's first two byte pairs, so no
// directory grows past 256 entries of directories) and tmp/ for writes in progress.
//
// Durability: put() returns only after the bytes and every directory entry leading to them are
// fsynced (tmp file + fsync + rename + fsync of the directory, and of each new parent), so a
// hash the caller then stores in the database survives a crash. A crash mid-put leaves at most
// a file in tmp/, which open() removes; never a partial file under originals/.
//
// Callers own reference counting (ImageStore::countBlobRefs) and must serialize put() against
// remove() of the same hash; concurrent put()s of the same bytes are fine.
//
// Thread-safety: safe from any thread; calls block on disk I/O (run them on the worker pool).
// One root belongs to one BlobStore at a time (open() clears tmp/).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "base/result.h"

namespace nubis::store {

class BlobStore {
 public:
  // Creates root (and its missing parents), root/originals and root/tmp; removes files left in
  // root/tmp by an earlier run.
  static Result<std::unique_ptr<BlobStore>> open(const std::string& root);
  BlobStore(const BlobStore&) = delete;
  BlobStore& operator=(const BlobStore&) = delete;

  // Stores bytes and returns their lowercase hex SHA-256. Idempotent: when a file of that hash
  // and size is already there, it is kept (and its directory synced) instead of rewritten.
  Result<std::string> put(std::string_view bytes);
  // The whole file, or nullopt if absent. hash must be 64 lowercase hex characters (checked
  // before any path is built; anything else is an error).
  Result<std::optional<std::string>> get(std::string_view hash);
  // Deletes the file (durably); a missing one is fine. hash is checked as for get().
  Status remove(std::string_view hash);

  const std::string& root() const { return root_; }

 private:
  explicit BlobStore(std::string root);

  // originals/ab/cd/<hash> for a validated hash.
  std::string pathFor(std::string_view hash) const;
  // Creates dir if needed and fsyncs parent, once per directory per BlobStore.
  Status ensureDir(const std::string& dir, const std::string& parent);

  // Constant after construction.
  const std::string root_, originals_, tmp_;

  std::mutex dirs_mu_;
  // Directories known to exist durably; guarded by dirs_mu_. Holding the mutex through the
  // mkdir and the parent's fsync means no put can pass a directory another put is still
  // making durable. At most 256 + 65,536 entries.
  std::unordered_set<std::string> durable_dirs_;
};

}  // namespace nubis::store
