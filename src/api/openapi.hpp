#pragma once
// The API's contract, OpenAPI 3.1: src/api/openapi.json, compiled into the binary at build time
// (cmake/EmbedOpenApi.cmake) and served at GET /api/openapi.json. A unit test keeps it and the
// route table listing the same routes; the functional tests check every answer against it.
#include <string_view>

namespace tenantsync::api {

/// The document's JSON text, as in src/api/openapi.json.
std::string_view openapi_document();

}  // namespace tenantsync::api
