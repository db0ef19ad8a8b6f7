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
    target_link_options(${target} PRIVATE -fsanitize=thread)
  endif()
endfunction()
