#include "store/fs/blob_store.h"

#include <sys/stat.h>

#include <cerrno>
#include <filesystem>
#include <future>
#include <system_error>
#include <utility>

#include "store/fs/file_io.h"
#include "store/fs/sha256.h"

namespace nubis::store {
namespace {

// From this size a put hashes on a second thread while it writes (see put()).
constexpr size_t kParallelHashBytes = 256 * 1024;

ApiError invalidHash(std::string_view op, std::string_view hash) {
  // The value itself is not echoed: it may be anything a client sent.
  return ApiError::internal("blob store: " + std::string(op) +
                            ": refused a content hash that is not 64 lowercase hex characters"
                            " (length " +
                            std::to_string(hash.size()) + ")");
}

}  // namespace

BlobStore::BlobStore(std::string root)
    : root_(std::move(root)), originals_(root_ + "/originals"), tmp_(root_ + "/tmp") {}

Result<std::unique_ptr<BlobStore>> BlobStore::open(const std::string& root) {
  if (root.empty()) return ApiError::internal("blob store: open: empty root");
  std::error_code ec;
  const std::filesystem::path rootPath(root);
  std::filesystem::create_directories(rootPath, ec);
  if (ec) return fsio::ioError("create_directories", root, ec.value());
  std::unique_ptr<BlobStore> store(new BlobStore(root));
  for (const std::string* dir : {&store->originals_, &store->tmp_}) {
    auto made = fsio::makeDir(*dir);
    if (!made) return std::move(made).error();
  }
  // A crash mid-put leaves only tmp files: never referenced, safe to drop.
  auto stale = fsio::listDir(store->tmp_);
  if (!stale) return std::move(stale).error();
  for (const std::filesystem::path& p : *stale) {
    std::filesystem::remove_all(p, ec);
    if (ec) return fsio::ioError("remove stale tmp", p.string(), ec.value());
  }
  // root's entries (originals, tmp) and root's own entry in its parent.
  if (auto st = fsio::syncDir(root); !st) return std::move(st).error();
  // "a/b/" names b as much as "a/b" does; its entry lives in a.
  std::filesystem::path abs = std::filesystem::absolute(rootPath, ec).lexically_normal();
  if (!abs.has_filename()) abs = abs.parent_path();
  const std::filesystem::path parent = abs.parent_path();
  if (!ec && !parent.empty()) {
    if (auto st = fsio::syncDir(parent.string()); !st) return std::move(st).error();
  }
  return store;
}

std::string BlobStore::pathFor(std::string_view hash) const {
  std::string path = originals_;
  path.append("/").append(hash.substr(0, 2)).append("/").append(hash.substr(2, 2));
  path.append("/").append(hash);
  return path;
}

Status BlobStore::ensureDir(const std::string& dir, const std::string& parent) {
  std::lock_guard lock(dirs_mu_);
  if (durable_dirs_.count(dir) != 0) return Ok{};
  auto made = fsio::makeDir(dir);
  if (!made) return std::move(made).error();
  // Synced even when the directory already existed: it may have been made by a run that
  // crashed before syncing it, and this costs one fsync per directory per process.
  if (auto st = fsio::syncDir(parent); !st) return st;
  durable_dirs_.insert(dir);
  return Ok{};
}

Result<std::string> BlobStore::put(std::string_view bytes) {
  // The hash names the file, so only the rename needs it: it is computed while the bytes go to
  // the temporary file and its fsync waits on the disk (5 MB: 3 ms of hashing hidden behind
  // ~10 ms of write + fsync). Small blobs are hashed here: a thread costs more than they do.
  std::future<std::string> hashing;
  if (bytes.size() >= kParallelHashBytes) {
    try {
      hashing = std::async(std::launch::async, [bytes] { return sha256Hex(bytes); });
    } catch (const std::system_error&) {
      // No thread to be had: hash below, in line.
    }
  }
  std::string tmp = tmp_ + "/put-XXXXXX";
  Status written = fsio::writeNewFile(tmp, bytes, /*sync=*/true);
  const std::string hash = hashing.valid() ? hashing.get() : sha256Hex(bytes);
  if (!written) return std::move(written).error();

  auto keep = [&]() -> Result<std::string> {
    const std::string level1 = originals_ + "/" + hash.substr(0, 2);
    const std::string level2 = level1 + "/" + hash.substr(2, 2);
    const std::string path = level2 + "/" + hash;
    if (auto st = ensureDir(level1, originals_); !st) return std::move(st).error();
    if (auto st = ensureDir(level2, level1); !st) return std::move(st).error();
    struct stat existing {};
    if (::stat(path.c_str(), &existing) == 0 && S_ISREG(existing.st_mode) &&
        static_cast<uint64_t>(existing.st_size) == bytes.size()) {
      // Already there, written whole (files only appear by rename after an fsync); the copy
      // just written goes. Its directory entry may still be on its way to disk if a concurrent
      // put just renamed it, so sync it before reporting success.
      (void)fsio::removeFile(tmp);
      if (auto st = fsio::syncDir(level2); !st) return std::move(st).error();
      return hash;
    }
    if (auto st = fsio::renameFile(tmp, path); !st) return std::move(st).error();
    if (auto st = fsio::syncDir(level2); !st) return std::move(st).error();
    return hash;
  };
  Result<std::string> kept = keep();
  if (!kept) (void)fsio::removeFile(tmp);  // after a failed rename it is still there
  return kept;
}

Result<std::optional<std::string>> BlobStore::get(std::string_view hash) {
  if (!isSha256Hex(hash)) return invalidHash("get", hash);
  return fsio::readFile(pathFor(hash));
}

Status BlobStore::remove(std::string_view hash) {
  if (!isSha256Hex(hash)) return invalidHash("remove", hash);
  const std::string path = pathFor(hash);
  auto removed = fsio::removeFile(path);
  if (!removed) return std::move(removed).error();
  if (!*removed) return Ok{};
  // Durable, so a crash cannot bring back bytes whose last reference is gone.
  return fsio::syncDir(path.substr(0, path.size() - hash.size() - 1));
}

}  // namespace nubis::store
