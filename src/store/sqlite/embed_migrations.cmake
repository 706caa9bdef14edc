# Turns the numbered migrations in DIR (NNNN_name.sql) into OUTPUT, a C++ source that defines
# nubis::store::sqlite::embeddedMigrations() over raw string literals, so the binary never reads
# the source tree at run time. Run as: cmake -DDIR=... -DOUTPUT=... -P embed_migrations.cmake
if(NOT DIR OR NOT OUTPUT)
  message(FATAL_ERROR "embed_migrations.cmake: DIR and OUTPUT are required")
endif()

file(GLOB files "${DIR}/*.sql")
list(SORT files)

set(body "")
set(last_version 0)
foreach(file IN LISTS files)
  get_filename_component(base "${file}" NAME_WE)
  if(NOT base MATCHES "^([0-9][0-9][0-9][0-9])_([a-z0-9_]+)$")
    message(FATAL_ERROR "migration ${file}: the name must be NNNN_lower_snake.sql")
  endif()
  set(name "${CMAKE_MATCH_2}")
  math(EXPR version "${CMAKE_MATCH_1}")  # drops the leading zeros
  if(NOT version GREATER last_version)
    message(FATAL_ERROR "migration ${file}: version ${version} is not above ${last_version}")
  endif()
  set(last_version ${version})
  file(READ "${file}" sql)
  string(FIND "${sql}" ")nubis_sql\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "migration ${file} contains the raw-string delimiter )nubis_sql\"")
  endif()
  string(APPEND body "    {${version}, \"${name}\", R\"nubis_sql(${sql})nubis_sql\"},\n")
endforeach()
if(last_version EQUAL 0)
  message(FATAL_ERROR "embed_migrations.cmake: no migrations in ${DIR}")
endif()

set(text "// Generated from src/store/migrations/sqlite/*.sql by embed_migrations.cmake. Do not edit.
#include \"store/sqlite/migrations.h\"

namespace nubis::store::sqlite {

std::span<const Migration> embeddedMigrations() {
  static constexpr Migration kMigrations[] = {
${body}  };
  return kMigrations;
}

}  // namespace nubis::store::sqlite
")

file(WRITE "${OUTPUT}" "${text}")
