#include "auth/secrets.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace nubis::auth {

std::string SecretHasher::hash(std::string_view domain, std::string_view secret) const {
  std::string msg;
  msg.reserve(domain.size() + 1 + secret.size());
  msg.append(domain);
  msg.push_back('\0');
  msg.append(secret);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), pepper_.data(), static_cast<int>(pepper_.size()),
       reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), out, &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(len * 2);
  for (unsigned i = 0; i < len; ++i) {
    hex.push_back(kHex[out[i] >> 4]);
    hex.push_back(kHex[out[i] & 15]);
  }
  OPENSSL_cleanse(msg.data(), msg.size());
  return hex;
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Result<std::string> loadOrCreatePepper(const std::string& path, Random& rng) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    std::string buf(64, '\0');
    ssize_t n = ::read(fd, buf.data(), buf.size());
    ::close(fd);
    if (n != 32) return ApiError::internal("pepper file " + path + " is not 32 bytes");
    buf.resize(32);
    return buf;
  }
  if (errno != ENOENT)
    return ApiError::internal("cannot read " + path + ": " + std::strerror(errno));
  std::string pepper(32, '\0');
  rng.fill(reinterpret_cast<uint8_t*>(pepper.data()), pepper.size());
  std::string tmp = path + ".tmp";
  fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return ApiError::internal("cannot create " + tmp + ": " + std::strerror(errno));
  bool ok = ::write(fd, pepper.data(), pepper.size()) == 32 && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0)
    return ApiError::internal("cannot write " + path + ": " + std::strerror(errno));
  std::string dir =
      path.substr(0, path.find_last_of('/') == std::string::npos ? 1 : path.find_last_of('/'));
  int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return pepper;
}

}  // namespace nubis::auth
