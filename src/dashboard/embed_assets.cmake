# Turns the dashboard's files in DIR (index.html, *.js, *.css) into OUTPUT, a C++ source that
# defines nubis::dashboard::embeddedAssets() over raw string literals: the binary serves them
# without reading the source tree. Run as: cmake -DDIR=... -DOUTPUT=... -P embed_assets.cmake
if(NOT DIR OR NOT OUTPUT)
  message(FATAL_ERROR "embed_assets.cmake: DIR and OUTPUT are required")
endif()
file(GLOB files "${DIR}/*")
list(SORT files)
set(body "")
foreach(file IN LISTS files)
  get_filename_component(name "${file}" NAME)
  if(NOT name MATCHES "^[a-z0-9_-]+\\.(html|js|css|svg)$")
    message(FATAL_ERROR "dashboard asset ${file}: the name must be lower_case.(html|js|css|svg)")
  endif()
  set(type "text/plain; charset=utf-8")
  if(name MATCHES "\\.html$")
    set(type "text/html; charset=utf-8")
  elseif(name MATCHES "\\.js$")
    set(type "text/javascript; charset=utf-8")
  elseif(name MATCHES "\\.css$")
    set(type "text/css; charset=utf-8")
  elseif(name MATCHES "\\.svg$")
    set(type "image/svg+xml")
  endif()
  file(READ "${file}" content)
  string(FIND "${content}" ")nubis_asset\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "dashboard asset ${file} contains the raw-string delimiter )nubis_asset\"")
  endif()
  string(APPEND body "    {\"${name}\", \"${type}\", R\"nubis_asset(${content})nubis_asset\"},\n")
endforeach()
file(WRITE "${OUTPUT}" "// Generated from src/dashboard/assets/ by embed_assets.cmake. Do not edit.
#include \"dashboard/assets.h\"

namespace nubis::dashboard {

std::span<const Asset> embeddedAssets() {
  static constexpr Asset kAssets[] = {
${body}  };
  return kAssets;
}

}  // namespace nubis::dashboard
")
