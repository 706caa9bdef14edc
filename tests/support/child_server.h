// ChildServer: the real `nubis` binary as a child process on a data dir, for the tests that must
// kill it with SIGKILL and start it again (durability). start() waits until /readyz answers.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace nubis::testing {

// The whole file ("" when missing).
std::string readFile(const std::string& path);

class ChildServer {
 public:
  // `extra_args` follow `serve --data-dir DIR --listen 127.0.0.1:0 --delivery-listen 127.0.0.1:0
  // --rate-limit off --access-log off`; stdout and stderr go to `log`.
  ChildServer(std::string binary, std::string dir, std::string log,
              std::vector<std::string> extra_args, std::chrono::seconds ready_within);
  ~ChildServer() { kill9(); }
  ChildServer(const ChildServer&) = delete;
  ChildServer& operator=(const ChildServer&) = delete;

  // Starts and waits until /readyz answers 200. Returns "" or what went wrong (with the log).
  std::string start();
  void kill9();
  // SIGTERM; the exit status, or -1 when it did not exit within `limit`.
  int terminate(std::chrono::seconds limit);
  uint16_t port() const { return port_; }

 private:
  std::string binary_, dir_, log_;
  std::vector<std::string> extra_args_;
  std::chrono::seconds ready_within_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
};

}  // namespace nubis::testing
