#include "base/log.h"

#include <cerrno>
#include <chrono>

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

namespace {
constexpr size_t kFlushBytes = 16 * 1024;
constexpr auto kFlushEvery = std::chrono::milliseconds(200);

void writeAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // nowhere to report a failing log
    data += n;
    size -= static_cast<size_t>(n);
  }
}
}  // namespace

StderrLogger::StderrLogger(bool enabled, int fd) : enabled_(enabled), fd_(fd) {
  if (!enabled_) return;
  flusher_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stop_) {
      cv_.wait_for(lock, kFlushEvery);
      flushLocked();
    }
  });
}

StderrLogger::~StderrLogger() {
  if (flusher_.joinable()) {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    flusher_.join();
  }
  flush();
}

void StderrLogger::flushLocked() {
  if (buffer_.empty()) return;
  writeAll(fd_, buffer_.data(), buffer_.size());
  buffer_.clear();
}

void StderrLogger::flush() {
  std::lock_guard lock(mu_);
  flushLocked();
}

void StderrLogger::write(std::string_view json_line) {
  if (!enabled_) return;
  std::lock_guard lock(mu_);
  buffer_.append(json_line);
  buffer_.push_back('\n');
  flushLocked();
}

void StderrLogger::access(std::string_view json_line) {
  if (!enabled_) return;
  std::lock_guard lock(mu_);
  buffer_.append(json_line);
  buffer_.push_back('\n');
  if (buffer_.size() >= kFlushBytes) flushLocked();
}

}  // namespace nubis
