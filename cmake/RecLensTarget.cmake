# reclens_add_library(NAME
#     SOURCES ...            private sources
#     PUBLIC_DEPS ...        dependencies visible to users of the library
#     PRIVATE_DEPS ...       implementation-only dependencies (e.g. torch for core libraries)
#     [LAYER core|ui])       which layer the library belongs to; checked by reclens_check_layers()
# Every library gets the project's warning set and C++20.
# -Wno-restrict: GCC 12 reports false -Wrestrict positives inside libstdc++'s std::string at -O3
# (GCC bug 105329); the warning stays on for other compilers.
set(RECLENS_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wno-unused-parameter)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  list(APPEND RECLENS_WARNINGS -Wno-restrict)
endif()

function(reclens_set_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE ${RECLENS_WARNINGS})
    if(RECLENS_WARNINGS_AS_ERRORS)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()

function(reclens_add_library name)
  cmake_parse_arguments(ARG "" "LAYER" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  target_compile_features(${name} PUBLIC cxx_std_20)
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  reclens_set_warnings(${name})
  if(ARG_LAYER)
    set_property(GLOBAL APPEND PROPERTY RECLENS_LAYER_${ARG_LAYER} ${name})
  endif()
endfunction()
