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
  // Concurrent connections per listener; further accepts are closed at once.
  size_t max_connections = 4096;
};

}  // namespace nubis::http
