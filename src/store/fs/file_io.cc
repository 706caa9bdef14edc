#include "store/fs/file_io.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace nubis::store::fsio {

ApiError ioError(std::string_view op, const std::string& path, int err) {
  return ApiError::internal("file store: " + std::string(op) + " " + path + ": " +
                            std::strerror(err));
}

Result<std::optional<std::string>> readFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return ioError("open", path, errno);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return ioError("fstat", path, err);
  }
  std::string out;
  out.resize(static_cast<size_t>(st.st_size));
  size_t got = 0;
  // Reads to EOF rather than trusting st_size alone, so a file that changed size since fstat
  // is still read whole.
  for (;;) {
    if (got == out.size()) out.resize(out.size() + 4096);
    ssize_t n = ::read(fd, out.data() + got, out.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return ioError("read", path, err);
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  out.resize(got);
  return std::optional<std::string>(std::move(out));
}

Status writeNewFile(std::string& path_template, std::string_view bytes, bool sync) {
  int fd = ::mkostemp(path_template.data(), O_CLOEXEC);
  if (fd < 0) return ioError("mkstemp", path_template, errno);
  auto fail = [&](std::string_view op, int err) -> Status {
    ::close(fd);
    ::unlink(path_template.c_str());
    return ioError(op, path_template, err);
  };
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("write", errno);
    }
    done += static_cast<size_t>(n);
  }
  if (sync && ::fsync(fd) != 0) return fail("fsync", errno);
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(path_template.c_str());
    return ioError("close", path_template, err);
  }
  return Ok{};
}

Status syncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ioError("open dir", dir, errno);
  if (::fsync(fd) != 0) {
    int err = errno;
    ::close(fd);
    return ioError("fsync dir", dir, err);
  }
  ::close(fd);
  return Ok{};
}

Result<bool> makeDir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0700) == 0) return true;
  if (errno != EEXIST) return ioError("mkdir", dir, errno);
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) return ioError("stat", dir, errno);
  if (!S_ISDIR(st.st_mode)) return ioError("mkdir", dir, ENOTDIR);
  return false;
}

Result<std::vector<std::filesystem::path>> listDir(const std::string& dir) {
  std::error_code ec;
  std::vector<std::filesystem::path> out;
  std::filesystem::directory_iterator it(dir, ec);
  for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    out.push_back(it->path());
  }
  if (ec) return ioError("list", dir, ec.value());
  return out;
}

Status renameFile(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return ioError("rename to " + to, from, errno);
  return Ok{};
}

Result<bool> removeFile(const std::string& path) {
  if (::unlink(path.c_str()) == 0) return true;
  if (errno == ENOENT) return false;
  return ioError("unlink", path, errno);
}

}  // namespace nubis::store::fsio
