#pragma once
// Plain HTTP request/response values. Only src/http/server.cpp knows Beast; routers,
// handlers, the API and the simulator work on these (keeps Beast in one translation unit).
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tenantsync::http {

struct Request {
  std::string method;                             ///< "GET", "POST", ...
  std::string target;                             ///< raw target, path and query
  std::string path;                               ///< decoded path without the query
  std::multimap<std::string, std::string> query;  ///< decoded query parameters
  std::map<std::string, std::string> headers;     ///< names lower-cased
  std::string body;
  std::string remote_address;
  std::string request_id;

  /// Header value by lower-case name, or empty.
  std::string_view header(const std::string& lower_name) const;
  /// First query parameter of that name.
  std::optional<std::string> query_param(const std::string& name) const;
};

/// A push-based stream of server-sent event chunks, for responses that stay open.
class EventSink {
 public:
  virtual ~EventSink() = default;
  /// Queues one already-formatted chunk ("event: x\ndata: y\n\n"); false once the client is gone.
  virtual bool push(std::string chunk) = 0;
  virtual bool closed() const = 0;
};

struct Response;
/// Delivers the final answer of a deferred response; call it once, from any thread.
using Respond = std::function<void(Response)>;

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  /// When set, the response is a text/event-stream: headers are sent, then this is called
  /// once with a sink the producer keeps and pushes to; the stream ends when the client leaves,
  /// the server stops, or the sink's owner drops it.
  std::function<void(std::shared_ptr<EventSink>)> on_stream;
  /// When set, the answer is not ready yet (it waits for a sync run, or for an upstream to check
  /// a key): the server calls this once, on the handler's thread, and it must return at once,
  /// having handed `respond` to work elsewhere that calls it with the final response. The
  /// connection waits for that without holding a handler thread. The other fields are unused.
  std::function<void(Respond respond)> deferred;
  /// When set, the body is streamed (an export of a million rows): the headers are sent with
  /// chunked transfer encoding, then this is called again and again, on the handler pool, each
  /// call returning the next piece of the body, until it returns an empty string. The server
  /// writes each piece before asking for the next, so memory holds one piece however long the
  /// body. A piece that throws ends the connection without the last chunk (the client sees a
  /// truncated body, not a complete one). `body` is unused.
  std::function<std::string()> body_pieces;
  /// Label for metrics (the route pattern, not the raw path, to keep cardinality bounded).
  std::string route_label;
};

/// Handles one request. Runs on the server's blocking pool, never on an I/O thread.
using Handler = std::function<Response(const Request&)>;

/// The final answer of `response`: itself, or for a deferred one what its work answers, waited
/// for on this thread; a streamed body is read whole into `body`. For in-process callers (tests);
/// the server never blocks on one.
Response await_response(Response response);

/// The token of "Authorization: Bearer <token>" (the scheme in any case), or empty.
std::string bearer_token(const Request& request);

/// Percent-decodes a URL component ('+' as space when form_encoded).
std::string url_decode(std::string_view text, bool form_encoded = true);
std::string url_encode(std::string_view text);
/// Splits "a=1&b=2" into decoded pairs.
std::multimap<std::string, std::string> parse_query(std::string_view query);

}  // namespace tenantsync::http
