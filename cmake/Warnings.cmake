# Warnings for our own code; warnings-as-errors unless NUBIS_WERROR=OFF.
set(NUBIS_WARNINGS -Wall -Wextra -Wpedantic -Wnon-virtual-dtor
    -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wno-unused-parameter -Wno-missing-field-initializers)
# GCC 12 reports a false mismatched-new-delete on Asio coroutine frames.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  list(APPEND NUBIS_WARNINGS -Wno-mismatched-new-delete)
endif()
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  list(APPEND NUBIS_WARNINGS -Wshadow=local)
endif()
if(NUBIS_WERROR)
  list(APPEND NUBIS_WARNINGS -Werror)
endif()
add_compile_options("$<$<COMPILE_LANGUAGE:CXX>:${NUBIS_WARNINGS}>")
