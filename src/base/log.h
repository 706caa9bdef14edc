// Logger: one JSON object per line on stderr. Passed in; never a global.
//
// Callers must not put secrets in fields: the access log records token ids, never values.
// Thread-safety: write() and access() are safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include <condition_variable>
#include <mutex>
#include <thread>

namespace nubis {

class Logger {
 public:
  virtual ~Logger() = default;
  // `json_line` is a complete JSON object without the trailing newline.
  virtual void write(std::string_view json_line) = 0;
  // An access-log line: may be buffered briefly (see StderrLogger); write() by default.
  virtual void access(std::string_view json_line) { write(json_line); }
  void info(std::string_view event, std::string_view message);
  void error(std::string_view event, std::string_view message);
};

// Event lines go out at once, one write(2) each. Access lines are gathered and written in one
// write(2) when 16 KiB have built up or 200 ms have passed, as nginx's `access_log ... buffer=`
// does: a write(2) per request cost a sixth of the server's time under load. A crash loses at
// most those 200 ms of access lines; event lines flush the buffer first, so order is kept.
class StderrLogger final : public Logger {
 public:
  explicit StderrLogger(bool enabled = true, int fd = 2);
  ~StderrLogger() override;
  StderrLogger(const StderrLogger&) = delete;
  StderrLogger& operator=(const StderrLogger&) = delete;
  void write(std::string_view json_line) override;
  void access(std::string_view json_line) override;
  // Writes out buffered access lines now.
  void flush();

 private:
  void flushLocked();
  bool enabled_;
  int fd_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::string buffer_;
  bool stop_ = false;
  std::thread flusher_;
};

// Escapes a string for inclusion inside JSON quotes.
std::string jsonEscape(std::string_view s);

}  // namespace nubis
