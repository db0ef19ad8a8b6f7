// GET /api/openapi.json: the contract, open to anyone (it describes the API, it holds no data).
#include <string>

#include "api/openapi.hpp"
#include "api/routes.hpp"

namespace tenantsync::api {

void add_openapi_routes(Router& router) {
  router.add({"GET", "/api/openapi.json", Access::open, [](RequestContext&) {
                http::Response res;
                res.content_type = "application/json";
                res.body = std::string(openapi_document());
                return res;
              }});
}

}  // namespace tenantsync::api
