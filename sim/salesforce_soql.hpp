#pragma once
// The SOQL subset the simulator understands: what the tenantsync connector and jsforce send.
//   SELECT f1, f2, Owner.Name FROM Lead|Contact|Organization
//     [WHERE <field> <op> <literal> [AND ...]] [ORDER BY f [ASC|DESC], ...] [LIMIT n]
// Literals: unquoted datetimes (2026-01-01T00:00:00Z), dates, true/false, null, 'strings'.
// OR, parentheses, sub-queries, date functions and NULLS FIRST|LAST are refused as MALFORMED_QUERY.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "salesforce_records.hpp"
#include "sim_result.hpp"

namespace tenantsync::sim::salesforce {

struct Condition {
  std::string field;  ///< canonical
  std::string op;     ///< = != < <= > >=
  Value literal;
};

struct OrderKey {
  std::string field;  ///< canonical
  bool descending = false;
};

struct Query {
  std::string object;               ///< canonical: Lead, Contact or Organization
  std::vector<std::string> fields;  ///< canonical, in SELECT order
  std::vector<Condition> where;     ///< ANDed
  std::vector<OrderKey> order;
  std::optional<long long> limit;
};

/// Parses SOQL; errors carry Salesforce's errorCode (MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE).
Result<Query> parse_soql(std::string_view text);
/// True when the record passes every WHERE condition.
bool matches(const Record& record, const Query& query, const Users& users);
/// Strict-weak "a before b" in the query's ORDER BY (then Id, so pages are stable).
bool ordered_before(const Record& a, const Record& b, const Query& query, const Users& users);

}  // namespace tenantsync::sim::salesforce
