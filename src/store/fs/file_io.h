// Small POSIX file helpers for the file stores: whole-file reads and writes, directory fsync,
// each failure as an ApiError::internal naming the operation, the path and errno's text.
//
// Stateless; safe from any thread (the callers own the paths' consistency).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace nubis::store::fsio {

// The whole file, or nullopt if it does not exist.
Result<std::optional<std::string>> readFile(const std::string& path);

// Writes bytes to a new unique file made from the mkstemp template (…XXXXXX, replaced in
// place), fsyncing it first when sync is set. On failure the file is gone again.
Status writeNewFile(std::string& path_template, std::string_view bytes, bool sync);

// fsync of a directory, so the entries created, renamed or removed in it are durable.
Status syncDir(const std::string& dir);

// mkdir(dir, 0700); an existing directory is fine. Reports whether it made it.
Result<bool> makeDir(const std::string& dir);

// rename(from, to), which replaces `to` atomically.
Status renameFile(const std::string& from, const std::string& to);

// unlink(path); a missing file is fine. Reports whether it removed one.
Result<bool> removeFile(const std::string& path);

// The entries of dir (not recursive, no "." or ".."), without throwing.
Result<std::vector<std::filesystem::path>> listDir(const std::string& dir);

ApiError ioError(std::string_view op, const std::string& path, int err);

}  // namespace nubis::store::fsio
