// The OpenAPI document (src/api/openapi.json) and the route table describe the same API: every
// route (method + pattern) is in the document and every operation of the document is a route,
// with the same access (open, cron secret, or a bearer token with the least role `x-least-role`). A route added without its contract, or
// a contract left behind by a removed route, fails here.
#include "api/openapi.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "api/api.hpp"
#include "api/json.hpp"
#include "api/metrics.hpp"
#include "core/login_throttle.hpp"
#include "crypto/crypto.hpp"
#include "service/use_cases.hpp"
#include "store/store.hpp"
#include "support/fake_connectors.hpp"
#include "support/temp_store.hpp"
#include "sync/engine.hpp"

namespace tenantsync::api {
namespace {

const std::set<std::string> kMethods{"get", "put", "post", "delete", "patch", "head", "options"};

std::string upper(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// "open", "cron" or the least role ("viewer" … "owner"), as the route table says.
std::string access_name(Access access) {
  switch (access) {
    case Access::open:
      return "open";
    case Access::cron:
      return "cron";
    case Access::viewer:
      return "viewer";
    case Access::member:
      return "member";
    case Access::admin:
      return "admin";
    case Access::owner:
      return "owner";
  }
  return "?";
}

// The access an operation declares: its own `security`, else the document's (bearer); a bearer
// operation names its least role in `x-least-role`.
std::string declared_access(const Json& operation) {
  const bool bearer = !operation.contains("security") ||
                      (!operation["security"].empty() && operation["security"][0].contains("bearer"));
  if (bearer) return operation.value("x-least-role", std::string("(no x-least-role)"));
  const Json& security = operation["security"];
  if (security.empty()) return "open";
  if (security[0].contains("cron")) return "cron";
  return "?";
}

class OpenApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(testing_support::open_temp_store("ts-openapi-", dir_, store_, secrets_));
    engine_ = std::make_unique<sync::SyncEngine>(sync::SyncStores::of(*store_), clock_, *secrets_,
                                                 connectors_, events_, sync::EngineOptions{});
    use_cases_ = std::make_unique<service::UseCases>(
        service::Wiring::of(*store_, clock_, *secrets_, connectors_, engine_.get()),
        service::UseCaseOptions{});
    api_ = std::make_unique<Api>(Services{Stores::of(*store_),
                                          *use_cases_,
                                          clock_,
                                          metrics_,
                                          throttle_,
                                          signup_throttle_,
                                          passwords_,
                                          ApiOptions{},
                                          {},
                                          &events_});
    document_ = Json::parse(openapi_document());
  }
  void TearDown() override {
    api_.reset();
    use_cases_.reset();
    engine_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  FakeClock clock_;
  Metrics metrics_;
  core::LoginThrottle throttle_;
  core::LoginThrottle signup_throttle_;
  crypto::PasswordHasher passwords_{crypto::PasswordCost::minimal, 2, std::chrono::seconds(10)};
  std::unique_ptr<crypto::SecretBox> secrets_;
  sync::test::FakeConnectors connectors_;
  sync::EventBus events_;
  std::unique_ptr<sync::SyncEngine> engine_;
  std::unique_ptr<service::UseCases> use_cases_;
  std::unique_ptr<Api> api_;
  Json document_;
};

TEST_F(OpenApiTest, IsOpenApi31) {
  EXPECT_EQ(document_.value("openapi", ""), "3.1.0");
  ASSERT_TRUE(document_.contains("paths"));
  ASSERT_TRUE(document_["components"]["securitySchemes"].contains("bearer"));
}

TEST_F(OpenApiTest, DocumentAndRouterListTheSameRoutesWithTheSameAccess) {
  std::map<std::string, std::string> routes;  // "GET /api/leads/{id}" -> access
  for (const auto& route : api_->router().routes())
    routes[route.method + " " + route.pattern] = access_name(route.access);

  std::map<std::string, std::string> documented;
  for (const auto& [path, item] : document_["paths"].items())
    for (const auto& [method, operation] : item.items())
      if (kMethods.contains(method)) documented[upper(method) + " " + path] = declared_access(operation);

  for (const auto& [route, access] : routes) {
    auto found = documented.find(route);
    if (found == documented.end()) {
      ADD_FAILURE() << route << " is a route but not in src/api/openapi.json";
      continue;
    }
    EXPECT_EQ(found->second, access) << route
                                     << ": the document and the route table differ on who may call it";
  }
  for (const auto& [route, access] : documented)
    EXPECT_TRUE(routes.contains(route)) << route << " is in src/api/openapi.json but is no route";
}

TEST_F(OpenApiTest, EveryOperationHasAnIdAnAnswerAndItsPathParameters) {
  std::set<std::string> ids;
  const Json& shared = document_["components"]["parameters"];
  for (const auto& [path, item] : document_["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      if (!kMethods.contains(method)) continue;
      const std::string where = upper(method) + " " + path;
      const std::string id = operation.value("operationId", "");
      EXPECT_FALSE(id.empty()) << where;
      EXPECT_TRUE(ids.insert(id).second) << where << ": operationId " << id << " is used twice";
      bool success = false;
      for (const auto& [status, answer] : operation["responses"].items()) success |= status.starts_with("2");
      EXPECT_TRUE(success) << where << " documents no 2xx answer";
      // Every {name} of the path is a declared path parameter.
      std::set<std::string> declared;
      for (const auto& p : operation.value("parameters", Json::array())) {
        Json param = p;
        if (p.contains("$ref"))
          param = shared[p["$ref"].get<std::string>().substr(std::string("#/components/parameters/").size())];
        if (param.value("in", "") == "path") declared.insert(param.value("name", ""));
      }
      for (std::size_t open = path.find('{'); open != std::string::npos; open = path.find('{', open + 1)) {
        const std::string name = path.substr(open + 1, path.find('}', open) - open - 1);
        EXPECT_TRUE(declared.contains(name)) << where << " does not declare its path parameter " << name;
      }
    }
  }
}

TEST_F(OpenApiTest, ServedWithoutAuthAsJson) {
  http::Request req;
  req.method = "GET";
  req.path = "/api/openapi.json";
  req.target = req.path;
  req.remote_address = "127.0.0.1";
  const auto res = http::await_response(api_->handle(req));
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.content_type, "application/json");
  EXPECT_EQ(Json::parse(res.body), document_);
}

}  // namespace
}  // namespace tenantsync::api
