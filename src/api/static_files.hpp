#pragma once
// Serves the built dashboard (web/dist): files by path, index.html for app routes.
#include <string>

#include "http/message.hpp"

namespace tenantsync::api {

http::Response serve_static(const std::string& web_root, const std::string& path);

}  // namespace tenantsync::api
