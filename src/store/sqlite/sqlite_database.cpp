#include "store/sqlite/sqlite_database.hpp"

#include <filesystem>
#include <system_error>

#include "store/sql/errors.hpp"
#include "store/sqlite/sqlite_connection.hpp"

namespace tenantsync::store::sqlite {
namespace {

sql::ConnectionPool::Factory factory(const std::string& path, ConnectionOptions options) {
  return [path, options]() -> Result<std::unique_ptr<sql::Connection>> {
    Result<std::unique_ptr<SqliteConnection>> opened = SqliteConnection::open(path, options);
    if (!opened.ok()) return opened.error();
    return std::unique_ptr<sql::Connection>(std::move(opened).value());
  };
}

}  // namespace

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::open(const std::string& path,
                                                             const DatabaseOptions& options) {
  const bool in_memory = path == ":memory:";
  if (!in_memory && path.rfind("file:", 0) != 0) {
    const std::filesystem::path folder = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!folder.empty()) std::filesystem::create_directories(folder, ec);
    if (ec) return sql::db_error("cannot create the folder '" + folder.string() + "': " + ec.message());
  }
  ConnectionOptions writer_options{options.busy_timeout_ms, false};
  auto writer = std::make_unique<sql::ConnectionPool>(factory(path, writer_options), 1, options.acquire_timeout);
  {
    // Open the writer now: it creates the file and switches it to WAL before any reader opens,
    // and a bad path fails here rather than on the first request.
    Result<sql::PooledConnection> first = writer->acquire();
    if (!first.ok()) return first.error();
  }
  std::unique_ptr<sql::ConnectionPool> readers;
  if (!in_memory) {
    ConnectionOptions reader_options{options.busy_timeout_ms, true};
    readers = std::make_unique<sql::ConnectionPool>(factory(path, reader_options), options.readers,
                                                    options.acquire_timeout);
  }
  return std::make_unique<SqliteDatabase>(std::move(writer), std::move(readers));
}

Result<sql::PooledConnection> SqliteDatabase::acquire(sql::Access access) {
  if (access == sql::Access::read && readers_) return readers_->acquire();
  return writer_->acquire();
}

}  // namespace tenantsync::store::sqlite
