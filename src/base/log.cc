#include "base/log.h"

#include <unistd.h>

#include <cstdio>

namespace nubis {

std::string jsonEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out;
}

void Logger::info(std::string_view event, std::string_view message) {
  write("{\"level\":\"info\",\"event\":\"" + jsonEscape(event) + "\",\"message\":\"" +
        jsonEscape(message) + "\"}");
}

void Logger::error(std::string_view event, std::string_view message) {
  write("{\"level\":\"error\",\"event\":\"" + jsonEscape(event) + "\",\"message\":\"" +
        jsonEscape(message) + "\"}");
}

void StderrLogger::write(std::string_view json_line) {
  if (!enabled_) return;
  std::string line(json_line);
  line.push_back('\n');
  // One write(2) keeps concurrent lines from interleaving.
  ssize_t rc = ::write(2, line.data(), line.size());
  (void)rc;
}

}  // namespace nubis
