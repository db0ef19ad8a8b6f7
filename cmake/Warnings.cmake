function(tenantsync_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(TENANTSYNC_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(TENANTSYNC_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                                              -fno-sanitize-recover=undefined)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
  # The fuzz build (fuzz/, build/fuzz, clang only): every library is instrumented for libFuzzer's
  # coverage and checked by ASan and UBSan; only the fuzz targets link libFuzzer's main.
  if(TENANTSYNC_FUZZ)
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link,address,undefined
                                              -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
  # The ThreadSanitizer build (build/tsan): the threaded tests only (tests/CMakeLists.txt).
  if(TENANTSYNC_TSAN)
    target_compile_options(${target} PRIVATE -fsanitize=thread -fno-omit-frame-pointer)
    # GCC warns that ThreadSanitizer does not model std::atomic_thread_fence, which Boost.Asio
    # uses in its own queues (src/http/server.cpp); Asio's handoffs also go through mutexes,
    # which it does see. tests/tsan.supp would name a false positive from it.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
      target_compile_options(${target} PRIVATE -Wno-tsan)
    endif()
    target_link_options(${target} PRIVATE -fsanitize=thread)
  endif()
endfunction()
