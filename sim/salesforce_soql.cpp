#include "salesforce_soql.hpp"

#include <cctype>

#include "core/time_format.hpp"
#include "sim_http.hpp"

namespace tenantsync::sim::salesforce {
namespace {

struct Token {
  enum Kind { kWord, kString, kComma, kOperator, kParen } kind;
  std::string text;
};

bool word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == ':' || c == '+' ||
         c == '-';
}

ProtocolError malformed(const std::string& message) { return make_error("MALFORMED_QUERY", message); }

Result<std::vector<Token>> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == ',') {
      tokens.push_back({Token::kComma, ","});
      ++i;
    } else if (c == '(' || c == ')') {
      tokens.push_back({Token::kParen, std::string(1, c)});
      ++i;
    } else if (c == '=' || c == '<' || c == '>' || c == '!') {
      std::size_t j = i;
      while (j < text.size() && (text[j] == '=' || text[j] == '<' || text[j] == '>' || text[j] == '!')) ++j;
      tokens.push_back({Token::kOperator, std::string(text.substr(i, j - i))});
      i = j;
    } else if (c == '\'') {
      std::string value;
      std::size_t j = i + 1;
      bool closed = false;
      for (; j < text.size(); ++j) {
        if (text[j] == '\\' && j + 1 < text.size()) {
          value.push_back(text[++j]);
        } else if (text[j] == '\'') {
          closed = true;
          break;
        } else {
          value.push_back(text[j]);
        }
      }
      if (!closed) return malformed("unterminated string literal");
      tokens.push_back({Token::kString, std::move(value)});
      i = j + 1;
    } else if (word_char(c)) {
      std::size_t j = i;
      while (j < text.size() && word_char(text[j])) ++j;
      tokens.push_back({Token::kWord, std::string(text.substr(i, j - i))});
      i = j;
    } else {
      return malformed(std::string("unexpected character '") + c + "'");
    }
  }
  return tokens;
}

bool keyword(const Token& token, std::string_view word) {
  if (token.kind != Token::kWord || token.text.size() != word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(token.text[i])) != word[i]) return false;
  return true;
}

ProtocolError no_such_column(const std::string& field, const std::string& object) {
  return make_error("INVALID_FIELD", "No such column '" + field + "' on entity '" + object +
                                         "'. If you are attempting to use a custom field, be sure to "
                                         "append the '__c' after the custom field name.");
}

Result<Value> literal_for(const Token& token, const std::string& field) {
  Value value;
  if (token.kind == Token::kWord && keyword(token, "NULL")) return value;
  const FieldType type = field_type(field);
  const std::string type_name = type == FieldType::kDateTime  ? "dateTime"
                                : type == FieldType::kDate    ? "date"
                                : type == FieldType::kBoolean ? "boolean"
                                                              : "string";
  const ProtocolError wrong_type = malformed(
      "value of filter criterion for field '" + field + "' must be of type " + type_name +
      (type == FieldType::kString || type == FieldType::kId ? " and should be enclosed in quotes"
                                                            : " and should not be enclosed in quotes"));
  value.null = false;
  switch (type) {
    case FieldType::kDateTime: {
      if (token.kind != Token::kWord || token.text.find('T') == std::string::npos) return wrong_type;
      const auto parsed = parse_iso8601(token.text);
      if (!parsed) return wrong_type;
      value.number = to_epoch_ms(*parsed);
      return value;
    }
    case FieldType::kDate:
      if (token.kind != Token::kWord || token.text.size() != 10 || !parse_iso8601(token.text))
        return wrong_type;
      value.text = token.text;
      return value;
    case FieldType::kBoolean:
      if (keyword(token, "TRUE") || keyword(token, "FALSE")) {
        value.number = keyword(token, "TRUE") ? 1 : 0;
        return value;
      }
      return wrong_type;
    default:
      if (token.kind != Token::kString) return wrong_type;
      value.text = token.text;
      return value;
  }
}

}  // namespace

Result<Query> parse_soql(std::string_view text) {
  auto tokens = tokenize(text);
  if (!tokens) return tokens.error();
  const std::vector<Token>& t = *tokens;
  std::size_t i = 0;
  auto at_end = [&] { return i >= t.size(); };
  if (at_end() || !keyword(t[i], "SELECT")) return malformed("a query starts with SELECT");
  ++i;

  std::vector<std::string> raw_fields;
  while (true) {
    if (at_end() || t[i].kind != Token::kWord || keyword(t[i], "FROM"))
      return malformed("expected a field name after SELECT or ','");
    raw_fields.push_back(t[i++].text);
    if (!at_end() && t[i].kind == Token::kComma) {
      ++i;
      continue;
    }
    break;
  }
  if (at_end() || !keyword(t[i], "FROM")) return malformed("expected FROM after the field list");
  ++i;
  if (at_end() || t[i].kind != Token::kWord) return malformed("expected an object name after FROM");
  Query query;
  const auto object = canonical_object(t[i].text);
  if (!object)
    return make_error("INVALID_TYPE", "sObject type '" + t[i].text +
                                          "' is not supported. If you are attempting to use a custom "
                                          "object, be sure to append the '__c' after the entity name.");
  query.object = *object;
  ++i;
  for (const auto& raw : raw_fields) {
    const auto field = canonical_field(query.object, raw);
    if (!field) return no_such_column(raw, query.object);
    query.fields.push_back(*field);
  }

  if (!at_end() && keyword(t[i], "WHERE")) {
    ++i;
    while (true) {
      if (at_end() || t[i].kind != Token::kWord)
        return malformed("expected a field after WHERE or AND (the simulator has no parentheses)");
      const auto field = canonical_field(query.object, t[i].text);
      if (!field) return no_such_column(t[i].text, query.object);
      ++i;
      if (at_end() || t[i].kind != Token::kOperator) return malformed("expected a comparison operator");
      std::string op = t[i].text == "<>" ? "!=" : t[i].text;
      if (op != "=" && op != "!=" && op != "<" && op != "<=" && op != ">" && op != ">=")
        return malformed("unknown operator " + t[i].text);
      ++i;
      if (at_end()) return malformed("expected a value after " + op);
      auto literal = literal_for(t[i], *field);
      if (!literal) return literal.error();
      if (literal->null && op != "=" && op != "!=") return malformed("null compares only with = or !=");
      query.where.push_back({*field, op, *literal});
      ++i;
      if (!at_end() && keyword(t[i], "AND")) {
        ++i;
        continue;
      }
      if (!at_end() && keyword(t[i], "OR")) return malformed("OR is not in the simulator's SOQL subset");
      break;
    }
  }

  if (!at_end() && keyword(t[i], "ORDER")) {
    ++i;
    if (at_end() || !keyword(t[i], "BY")) return malformed("expected BY after ORDER");
    ++i;
    while (true) {
      if (at_end() || t[i].kind != Token::kWord) return malformed("expected a field after ORDER BY");
      const auto field = canonical_field(query.object, t[i].text);
      if (!field) return no_such_column(t[i].text, query.object);
      ++i;
      OrderKey key{*field, false};
      if (!at_end() && (keyword(t[i], "ASC") || keyword(t[i], "DESC")))
        key.descending = keyword(t[i++], "DESC");
      query.order.push_back(key);
      if (!at_end() && t[i].kind == Token::kComma) {
        ++i;
        continue;
      }
      break;
    }
  }

  if (!at_end() && keyword(t[i], "LIMIT")) {
    ++i;
    const auto limit = at_end() ? std::nullopt : parse_integer(t[i].text);
    if (!limit || *limit < 0) return malformed("LIMIT takes a non-negative integer");
    query.limit = *limit;
    ++i;
  }
  if (!at_end())
    return malformed("unexpected token '" + t[i].text + "' (the simulator's SOQL subset is SELECT … FROM … " +
                     "[WHERE … AND …] [ORDER BY …] [LIMIT n])");
  return query;
}

bool matches(const Record& record, const Query& query, const Users& users) {
  for (const auto& condition : query.where) {
    const Value value = field_value(record, condition.field, users);
    const auto& op = condition.op;
    if (condition.literal.null) {
      if ((op == "=") != value.null) return false;
      continue;
    }
    if (value.null) {
      if (op != "!=") return false;  // null is neither less nor greater than a value
      continue;
    }
    const int c = compare(value, condition.literal, field_type(condition.field));
    const bool pass = op == "="    ? c == 0
                      : op == "!=" ? c != 0
                      : op == "<"  ? c < 0
                      : op == "<=" ? c <= 0
                      : op == ">"  ? c > 0
                                   : c >= 0;
    if (!pass) return false;
  }
  return true;
}

bool ordered_before(const Record& a, const Record& b, const Query& query, const Users& users) {
  for (const auto& key : query.order) {
    const int c =
        compare(field_value(a, key.field, users), field_value(b, key.field, users), field_type(key.field));
    if (c != 0) return key.descending ? c > 0 : c < 0;
  }
  return a.id < b.id;
}

}  // namespace tenantsync::sim::salesforce
