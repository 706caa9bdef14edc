#include "child_server.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "test_server.h"

extern char** environ;

namespace nubis::testing {
namespace json = boost::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {
json::value parseJson(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return ec ? json::value() : v;
}
}  // namespace

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

ChildServer::ChildServer(std::string binary, std::string dir, std::string log,
                         std::vector<std::string> extra_args, std::chrono::seconds ready_within)
    : binary_(std::move(binary)),
      dir_(std::move(dir)),
      log_(std::move(log)),
      extra_args_(std::move(extra_args)),
      ready_within_(ready_within) {}

std::string ChildServer::start() {
  std::error_code ec;
  fs::remove(dir_ + "/server.json", ec);
  std::vector<std::string> args = {binary_, "serve", "--data-dir", dir_, "--listen",
                                   "127.0.0.1:0", "--delivery-listen", "127.0.0.1:0",
                                   "--rate-limit", "off", "--access-log", "off"};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  int rc = posix_spawn(&pid_, binary_.c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return "posix_spawn failed: " + std::string(strerror(rc));
  const auto deadline = Clock::now() + ready_within_;
  while (Clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return "server exited at start; log:\n" + readFile(log_);
    }
    json::value info = parseJson(readFile(dir_ + "/server.json"));
    if (info.is_object() && info.at("pid").to_number<int64_t>() == pid_) {
      std::string base(info.at("api_base_url").as_string());
      port_ = static_cast<uint16_t>(std::stoi(base.substr(base.rfind(':') + 1)));
      HttpConnection c(port_);
      if (c.request("GET", "/readyz").status == 200) return "";
    }
    std::this_thread::sleep_for(10ms);
  }
  return "server not ready within " + std::to_string(ready_within_.count()) + " s; log:\n" + readFile(log_);
}

void ChildServer::kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

int ChildServer::terminate(std::chrono::seconds limit) {
  ::kill(pid_, SIGTERM);
  const auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(10ms);
  }
  return -1;
}

}  // namespace nubis::testing
