# Every dependency is a Debian 12 package; scripts/install-deps.sh installs them.
find_package(Threads REQUIRED)
find_package(Boost 1.74 EXACT REQUIRED COMPONENTS system)
find_package(PkgConfig REQUIRED)
find_package(simdjson REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(CURL REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(PostgreSQL REQUIRED)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)
find_package(CLI11 QUIET)
find_package(tomlplusplus REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
find_library(PHONENUMBER_LIBRARY phonenumber REQUIRED)
find_path(PHONENUMBER_INCLUDE_DIR phonenumbers/phonenumberutil.h REQUIRED)

add_library(tenantsync_deps INTERFACE)
target_include_directories(tenantsync_deps INTERFACE ${PHONENUMBER_INCLUDE_DIR})
target_compile_definitions(tenantsync_deps INTERFACE
  BOOST_ASIO_NO_DEPRECATED BOOST_BEAST_USE_STD_STRING_VIEW SPDLOG_FMT_EXTERNAL)
target_link_libraries(tenantsync_deps INTERFACE
  Threads::Threads Boost::system simdjson::simdjson nlohmann_json::nlohmann_json CURL::libcurl
  SQLite::SQLite3 PostgreSQL::PostgreSQL spdlog::spdlog fmt::fmt tomlplusplus::tomlplusplus
  PkgConfig::SODIUM ${PHONENUMBER_LIBRARY})
if(TARGET CLI11::CLI11)
  target_link_libraries(tenantsync_deps INTERFACE CLI11::CLI11)
endif()
