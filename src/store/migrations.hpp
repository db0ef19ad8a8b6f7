#pragma once
// Versioned SQL migrations, one folder per backend under src/store/migrations/,
// files NNNN_name.sql, embedded into the binary at build time (cmake/EmbedMigrations.cmake).
#include <string>
#include <vector>

namespace tenantsync::store {

struct Migration {
  std::string backend;  ///< "sqlite" or "postgresql" (the folder name)
  int version;          ///< from the NNNN prefix
  std::string name;     ///< file name without extension
  std::string sql;
};

/// All embedded migrations, sorted by backend then version.
const std::vector<Migration>& embedded_migrations();

}  // namespace tenantsync::store
