#include "api/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/json.hpp"

namespace tenantsync::api {
namespace {

std::string content_type_for(const std::filesystem::path& file) {
  const auto ext = file.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

bool read_file(const std::filesystem::path& file, std::string& out) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  out = buffer.str();
  return true;
}

}  // namespace

http::Response serve_static(const std::string& web_root, const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(web_root, ec);
  if (web_root.empty() || ec || !fs::exists(root / "index.html")) {
    return error_response(404, core::ErrorCode::dashboard_not_built,
                          "The dashboard is not built here; run scripts/run.sh (or scripts/build-web.sh).");
  }
  if (path.find("..") != std::string::npos)
    return error_response(404, core::ErrorCode::not_found, "No such file.");
  fs::path file = root / fs::path(path).relative_path();
  const bool is_asset = fs::path(path).has_extension();
  if (!is_asset || !fs::is_regular_file(file, ec)) {
    if (is_asset) return error_response(404, core::ErrorCode::not_found, "No such file: " + path);
    file = root / "index.html";  // a client-side route of the single-page app
  }
  http::Response res;
  if (!read_file(file, res.body))
    return error_response(404, core::ErrorCode::not_found, "No such file: " + path);
  res.content_type = content_type_for(file);
  // Vite fingerprints asset names, so they can be cached for good; index.html never.
  res.headers.emplace_back("Cache-Control",
                           path.starts_with("/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
  return res;
}

}  // namespace tenantsync::api
