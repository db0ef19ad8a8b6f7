#include "http/router.hpp"

#include <gtest/gtest.h>

#include <initializer_list>

#include "http/message.hpp"

namespace tenantsync::http {
namespace {

struct TestRoute {
  std::string method;
  std::string pattern;
  int id = 0;
};

Router<TestRoute> router_of(std::initializer_list<TestRoute> routes,
                            HeadRequests head = HeadRequests::as_get) {
  Router<TestRoute> router(head);
  for (const auto& route : routes) router.add(route);
  return router;
}

TEST(SplitPath, DropsEmptySegments) {
  EXPECT_EQ(split_path("/a/b/"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(split_path("//a//b"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(split_path("/").empty());
  EXPECT_TRUE(split_path("").empty());
}

TEST(Router, MatchesLiteralsAndNamesParameters) {
  const auto router = router_of(
      {{"GET", "/api/runs", 1}, {"GET", "/api/runs/{id}", 2}, {"POST", "/api/runs/{id}/cancel", 3}});

  auto match = router.match("GET", "/api/runs/42");
  ASSERT_EQ(match.outcome, MatchOutcome::found);
  EXPECT_EQ(match.route->id, 2);
  EXPECT_EQ(match.params, (PathParams{{"id", "42"}}));
  EXPECT_EQ(router.match("POST", "/api/runs/42/cancel/").route->id, 3);
  EXPECT_EQ(router.match("GET", "/api/runs/42/x").outcome, MatchOutcome::not_found);
  EXPECT_EQ(router.match("GET", "/api").outcome, MatchOutcome::not_found);
}

TEST(Router, WrongMethodListsTheAllowedOnesOnce) {
  const auto router = router_of({{"GET", "/api/leads", 1},
                                 {"POST", "/api/leads", 2},
                                 {"POST", "/api/leads", 3},
                                 {"DELETE", "/api/leads/{id}", 4}});

  auto match = router.match("PUT", "/api/leads");
  EXPECT_EQ(match.outcome, MatchOutcome::method_not_allowed);
  EXPECT_EQ(match.route, nullptr);
  EXPECT_EQ(match.allowed_methods, (std::vector<std::string>{"GET", "POST"}));
  EXPECT_EQ(router.match("POST", "/api/leads").route->id, 2);  // the first of equal routes

  auto missing = router.match("GET", "/api/leads/7");
  EXPECT_EQ(missing.outcome, MatchOutcome::method_not_allowed);
  EXPECT_EQ(missing.params, (PathParams{{"id", "7"}}));
}

TEST(Router, LiteralSegmentsBeatParametersWhateverTheOrder) {
  const auto router = router_of({{"GET", "/contacts/{id}", 1},
                                 {"POST", "/contacts/generate", 2},
                                 {"GET", "/a/{x}/c", 3},
                                 {"GET", "/a/b/{y}", 4}});

  EXPECT_EQ(router.match("GET", "/contacts/7").route->id, 1);
  EXPECT_EQ(router.match("POST", "/contacts/generate").route->id, 2);
  // The literal path is its own resource: GET on it is 405, not the {id} route.
  EXPECT_EQ(router.match("GET", "/contacts/generate").outcome, MatchOutcome::method_not_allowed);
  EXPECT_EQ(router.match("GET", "/a/b/c").route->id, 4);
}

TEST(Router, HeadIsGetUnlessExact) {
  const auto as_get = router_of({{"GET", "/x", 1}});
  EXPECT_EQ(as_get.match("HEAD", "/x").outcome, MatchOutcome::found);

  const auto exact = router_of({{"GET", "/x", 1}}, HeadRequests::exact);
  const auto match = exact.match("HEAD", "/x");
  EXPECT_EQ(match.outcome, MatchOutcome::method_not_allowed);
  EXPECT_EQ(match.allowed_methods, (std::vector<std::string>{"GET"}));
}

TEST(Router, StarAcceptsEveryMethod) {
  const auto router = router_of({{"*", "/health", 1}}, HeadRequests::exact);
  for (const char* method : {"GET", "HEAD", "POST", "DELETE", "BREW"})
    EXPECT_EQ(router.match(method, "/health").outcome, MatchOutcome::found) << method;
}

TEST(MatchPath, OnePatternAgainstOnePath) {
  PathParams params;
  EXPECT_TRUE(match_path("/v2/agent/{agent}/executions", "/v2/agent/a-1/executions", &params));
  EXPECT_EQ(params.at("agent"), "a-1");
  EXPECT_FALSE(match_path("/v2/agent/{agent}/executions", "/v2/agent/executions"));
}

TEST(BearerToken, SchemeInAnyCaseTokenTrimmed) {
  Request request;
  EXPECT_EQ(bearer_token(request), "");
  request.headers["authorization"] = "Bearer abc";
  EXPECT_EQ(bearer_token(request), "abc");
  request.headers["authorization"] = "bearer abc  ";
  EXPECT_EQ(bearer_token(request), "abc");
  request.headers["authorization"] = "Bearer ";
  EXPECT_EQ(bearer_token(request), "");
  request.headers["authorization"] = "Basic abc";
  EXPECT_EQ(bearer_token(request), "");
}

}  // namespace
}  // namespace tenantsync::http
