// HttpLimits: every limit the transport enforces where input enters (STYLE rule 7).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace nubis::http {

struct HttpLimits {
  // Bytes of request line + headers; past it the request gets 431 and the connection closes.
  size_t header_limit_bytes = 16 * 1024;
  // Number of header fields; past it 431.
  size_t max_header_count = 100;
  // Time to receive a complete header once the first byte arrived (slowloris guard).
  std::chrono::milliseconds header_timeout{10000};
  // Time a keep-alive connection may sit idle between requests.
  std::chrono::milliseconds idle_timeout{60000};
  // Time to receive a body; bodies are also capped per route by the handler's bodyLimit().
  std::chrono::milliseconds body_timeout{60000};
  // Time to write a response.
  std::chrono::milliseconds write_timeout{30000};
  // After refusing a request (413, 400...) the rest of what the client sends is read and dropped
  // for up to this long / this many bytes before the close, so that a client still writing its
  // body sees the answer instead of a reset (nginx's lingering_close).
  std::chrono::milliseconds linger_timeout{5000};
  uint64_t linger_bytes = 64 * 1024 * 1024;
  // Concurrent connections per listener; further accepts are closed at once.
  size_t max_connections = 4096;
};

}  // namespace nubis::http
