// Migration: one numbered schema step for SQLite, compiled in from
// src/store/migrations/sqlite/NNNN_name.sql by embed_migrations.cmake.
//
// Immutable data with static storage; safe from any thread.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace nubis::store::sqlite {

struct Migration {
  int64_t version;        // NNNN from the file name, strictly increasing
  std::string_view name;  // the rest of the file name, e.g. "initial"
  std::string_view sql;   // the whole file: one or more statements
};

// Every migration, in version order. Defined in the generated sqlite_migrations_data.cc.
std::span<const Migration> embeddedMigrations();

}  // namespace nubis::store::sqlite
