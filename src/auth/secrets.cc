#include "auth/secrets.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace nubis::auth {

SecretHasher::SecretHasher(std::string pepper) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  EVP_MAC_CTX* ctx = mac ? EVP_MAC_CTX_new(mac) : nullptr;
  EVP_MAC_free(mac);  // the context holds its own reference
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                         OSSL_PARAM_construct_end()};
  if (!ctx || EVP_MAC_init(ctx, reinterpret_cast<const unsigned char*>(pepper.data()),
                           pepper.size(), params) != 1) {
    EVP_MAC_CTX_free(ctx);
    OPENSSL_cleanse(pepper.data(), pepper.size());
    throw std::runtime_error("OpenSSL: cannot set up HMAC-SHA-256");
  }
  OPENSSL_cleanse(pepper.data(), pepper.size());
  keyed_.reset(ctx, EVP_MAC_CTX_free);
}

std::string SecretHasher::hash(std::string_view domain, std::string_view secret) const {
  std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx(EVP_MAC_CTX_dup(keyed_.get()),
                                                               EVP_MAC_CTX_free);
  unsigned char out[EVP_MAX_MD_SIZE];
  size_t len = 0;
  static constexpr unsigned char kSep = 0;
  if (!ctx ||
      EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(domain.data()),
                     domain.size()) != 1 ||
      EVP_MAC_update(ctx.get(), &kSep, 1) != 1 ||
      EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size()) != 1 ||
      EVP_MAC_final(ctx.get(), out, &len, sizeof out) != 1)
    throw std::runtime_error("OpenSSL: HMAC-SHA-256 failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(len * 2);
  for (size_t i = 0; i < len; ++i) {
    hex.push_back(kHex[out[i] >> 4]);
    hex.push_back(kHex[out[i] & 15]);
  }
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
