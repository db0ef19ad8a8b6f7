# One static library per module, and the layer table of docs/architecture.md enforced by the
# compiler, not only by the linker.
#
# Each module gets a folder of its own, ${PROJECT_BINARY_DIR}/layers/<module>/, holding one
# symbolic link per module it may see (itself and everything below it, transitively), named after
# that module and pointing at src/<module>. That folder is the module's only include path into
# src/, so `#include "sync/engine.hpp"` in src/store/ is "No such file or directory": there is no
# layers/store/sync. Dependents get the folders of their dependencies through the usual usage
# requirements, which never show more than their own closure. The test layers_check
# (cmake/CheckLayers.cmake) proves it for every pair of modules.

set(TENANTSYNC_LAYERS_DIR ${PROJECT_BINARY_DIR}/layers)
# Links are recreated at every configure, so a dependency removed from the table disappears.
file(REMOVE_RECURSE ${TENANTSYNC_LAYERS_DIR})

# tenantsync_module(<name> [DIR <folder>] [FLAT] [DEPS <module>...] [SOURCES <file>...])
# Declares the library tenantsync_<name> from every .cpp under DIR (default src/<name>) except
# tests and main.cpp (globbed: a new file needs no CMake edit). DEPS are modules declared before
# it (so there can be no cycle). FLAT: the module's own headers are
# included without a folder prefix (the simulator's), so DIR itself is its public include path.
function(tenantsync_module name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "FLAT" "DIR" "DEPS;SOURCES")
  if(NOT arg_DIR)
    set(arg_DIR ${PROJECT_SOURCE_DIR}/src/${name})
  endif()

  set(closure ${name})
  foreach(dep ${arg_DEPS})
    get_property(dep_closure GLOBAL PROPERTY TENANTSYNC_CLOSURE_${dep})
    if(NOT dep_closure)
      message(FATAL_ERROR "module ${name}: depends on ${dep}, which is not declared before it")
    endif()
    list(APPEND closure ${dep_closure})
  endforeach()
  list(REMOVE_DUPLICATES closure)
  list(SORT closure)
  set_property(GLOBAL PROPERTY TENANTSYNC_CLOSURE_${name} ${closure})
  set_property(GLOBAL PROPERTY TENANTSYNC_DIR_${name} ${arg_DIR})
  set_property(GLOBAL APPEND PROPERTY TENANTSYNC_MODULES ${name})

  set(layer ${TENANTSYNC_LAYERS_DIR}/${name})
  file(MAKE_DIRECTORY ${layer})
  foreach(visible ${closure})
    if(IS_DIRECTORY ${PROJECT_SOURCE_DIR}/src/${visible})
      file(CREATE_LINK ${PROJECT_SOURCE_DIR}/src/${visible} ${layer}/${visible} SYMBOLIC)
    endif()
  endforeach()

  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${arg_DIR}/*.cpp)
  list(FILTER sources EXCLUDE REGEX "(_test|_pgtest|/main)\\.cpp$")
  add_library(tenantsync_${name} STATIC ${sources} ${arg_SOURCES})
  target_include_directories(tenantsync_${name} PUBLIC ${layer})
  if(arg_FLAT)
    target_include_directories(tenantsync_${name} PUBLIC ${arg_DIR})
  endif()
  list(TRANSFORM arg_DEPS PREPEND tenantsync_)
  target_link_libraries(tenantsync_${name} PUBLIC ${arg_DEPS})
  tenantsync_warnings(tenantsync_${name})
endfunction()

# Fails the configure when a folder of src/ is no module: its files would be built into nothing.
function(tenantsync_check_modules)
  get_property(modules GLOBAL PROPERTY TENANTSYNC_MODULES)
  file(GLOB entries RELATIVE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/src/*)
  foreach(entry ${entries})
    if(IS_DIRECTORY ${PROJECT_SOURCE_DIR}/src/${entry} AND NOT entry IN_LIST modules)
      message(FATAL_ERROR "src/${entry}/ is not a module: add it to the layer table in CMakeLists.txt "
                          "and docs/architecture.md")
    endif()
  endforeach()
endfunction()

# Writes what cmake/CheckLayers.cmake needs: every module, what it may see, and the include
# path its library really compiles with (read from the target, so the test checks the build).
function(tenantsync_write_layers_spec file)
  get_property(modules GLOBAL PROPERTY TENANTSYNC_MODULES)
  set(content "set(MODULES ${modules})\nset(IMPLICIT ${CMAKE_CXX_IMPLICIT_INCLUDE_DIRECTORIES})\n")
  foreach(module ${modules})
    get_property(closure GLOBAL PROPERTY TENANTSYNC_CLOSURE_${module})
    get_property(dir GLOBAL PROPERTY TENANTSYNC_DIR_${module})
    string(APPEND content "set(CLOSURE_${module} ${closure})\n" "set(DIR_${module} ${dir})\n"
      "set(INCLUDES_${module} \"$<JOIN:$<TARGET_PROPERTY:tenantsync_${module},INCLUDE_DIRECTORIES>,;>\")\n")
  endforeach()
  file(GENERATE OUTPUT ${file} CONTENT "${content}")
endfunction()
