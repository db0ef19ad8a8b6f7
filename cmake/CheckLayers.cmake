# The test layers_check: proves that the layer table is enforced by the compiler.
# cmake -DCXX=<compiler> -DSPEC=<layers_spec.cmake> -DSRC=<src folder> -DWORK=<scratch folder>
#       -P CheckLayers.cmake
#
# For every module M and every folder N of src/, preprocesses `#include "N/<a header of N>"` as a
# file of M would be (in M's folder, with the include path M's library is built with). It must
# succeed when M may see N and fail with "No such file" when it may not. Only the preprocessor
# runs, so the whole check takes seconds.
cmake_minimum_required(VERSION 3.20)  # script mode: the policies of the project
include(${SPEC})
set(ENV{LC_ALL} C)  # the compiler's messages are matched below
file(MAKE_DIRECTORY ${WORK})
file(GLOB targets RELATIVE ${SRC} ${SRC}/*)
list(SORT targets)

set(failures "")
set(checked 0)
foreach(module ${MODULES})
  set(flags "")
  foreach(dir ${INCLUDES_${module}})
    if(NOT dir IN_LIST IMPLICIT)  # as CMake leaves them out of the real compile
      list(APPEND flags -I${dir})
    endif()
  endforeach()
  foreach(target ${targets})
    if(NOT IS_DIRECTORY ${SRC}/${target})
      continue()
    endif()
    file(GLOB_RECURSE headers RELATIVE ${SRC} ${SRC}/${target}/*.hpp)
    list(SORT headers)
    list(GET headers 0 header)
    set(probe ${WORK}/${module}_includes_${target}.cpp)
    file(WRITE ${probe} "#include \"${header}\"\n")
    # Read from stdin in the module's folder, so quoted includes resolve as in a file of it.
    execute_process(COMMAND ${CXX} -std=c++20 -x c++ -E -o /dev/null ${flags} -
                    INPUT_FILE ${probe} WORKING_DIRECTORY ${DIR_${module}}
                    RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
    math(EXPR checked "${checked} + 1")
    if(target IN_LIST CLOSURE_${module})
      if(NOT rc EQUAL 0)
        string(APPEND failures "${module} may include ${header}, but it does not compile:\n${err}\n")
      endif()
    elseif(rc EQUAL 0)
      string(APPEND failures "${module} must not see ${target}, yet it includes ${header}\n")
    elseif(NOT err MATCHES "${header}: No such file")
      string(APPEND failures "${module} including ${header} failed for another reason:\n${err}\n")
    endif()
  endforeach()
endforeach()

# A relative path would walk around the include folders: src/store/x.cpp could reach
# "../sync/engine.hpp". No file of src/ uses one.
file(GLOB_RECURSE sources ${SRC}/*.cpp ${SRC}/*.hpp)
foreach(source ${sources})
  file(STRINGS ${source} escapes REGEX "^[ \t]*#[ \t]*include[ \t]*\"\\.\\./")
  if(escapes)
    string(APPEND failures "${source}: a relative include leaves its module: ${escapes}\n")
  endif()
endforeach()

if(failures)
  message(FATAL_ERROR "layers_check: the build does not enforce the layer table:\n${failures}")
endif()
message(STATUS "layers_check: ${checked} module pairs as the layer table says")
