// Logger: one JSON object per line on stderr. Passed in; never a global.
//
// Callers must not put secrets in fields: the access log records token ids, never values.
// Thread-safety: write() is safe from any thread (one write(2) per line).
#pragma once

#include <string>
#include <string_view>

namespace nubis {

class Logger {
 public:
  virtual ~Logger() = default;
  // `json_line` is a complete JSON object without the trailing newline.
  virtual void write(std::string_view json_line) = 0;
  void info(std::string_view event, std::string_view message);
  void error(std::string_view event, std::string_view message);
};

class StderrLogger final : public Logger {
 public:
  explicit StderrLogger(bool enabled = true) : enabled_(enabled) {}
  void write(std::string_view json_line) override;

 private:
  bool enabled_;
};

// Escapes a string for inclusion inside JSON quotes.
std::string jsonEscape(std::string_view s);

}  // namespace nubis
