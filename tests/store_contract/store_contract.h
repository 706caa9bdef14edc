// StoreContractTest: the one parameterized GoogleTest suite that every Store implementation
// (SQLite now, PostgreSQL later) must pass; it is the executable form of the contract in
// src/store/store.h.
//
// An implementation instantiates it with a factory that opens its Store over a directory:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContractTest,
//                            ::testing::Values(StoreImpl{"sqlite", &openSqlite}),
//                            storeImplName);
//
// Each test gets a fresh, empty directory (removed afterwards) and calls the factory with it;
// reopen() drops the store and calls the factory again with the same directory, so whatever a
// store keeps there must survive. An implementation whose state lives elsewhere (PostgreSQL)
// derives its database or schema name from the directory and starts it empty on first use.
// The factory reports its own failure (ADD_FAILURE with the detail) and returns nullptr.
//
// Thread-safety: a GoogleTest fixture; the concurrency test starts its own threads.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "store/store.h"

namespace nubis::store::contract {

using StoreFactory = std::function<std::unique_ptr<Store>(const std::string& dir)>;

struct StoreImpl {
  std::string name;  // a valid GoogleTest name part: letters, digits, '_'
  StoreFactory open;
};

inline void PrintTo(const StoreImpl& impl, std::ostream* os) { *os << impl.name; }
inline std::string storeImplName(const ::testing::TestParamInfo<StoreImpl>& info) {
  return info.param.name;
}

class StoreContractTest : public ::testing::TestWithParam<StoreImpl> {
 protected:
  void SetUp() override;
  void TearDown() override;

  Store& store() { return *store_; }
  const std::filesystem::path& dir() const { return dir_; }
  // Closes the store and opens it again over the same directory.
  void reopen();

 private:
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

}  // namespace nubis::store::contract
