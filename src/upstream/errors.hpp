#pragma once
// Stable error codes of upstream clients: the sync engine, the API and tests match on them.
namespace tenantsync::upstream {

inline constexpr const char* kErrTimeout = "upstream_timeout";
inline constexpr const char* kErrUnreachable = "upstream_unreachable";
inline constexpr const char* kErrTooLarge = "upstream_too_large";
inline constexpr const char* kErrKeyRejected = "key_rejected";
inline constexpr const char* kErrNotFound = "upstream_not_found";
inline constexpr const char* kErrRateLimited = "rate_limited";
inline constexpr const char* kErrUpstream = "upstream_error";
inline constexpr const char* kErrMalformed = "upstream_malformed";
/// The stored CRM credentials can no longer be used (refresh refused, Nango connection gone):
/// the user must reconnect the CRM; other connections go on.
inline constexpr const char* kErrNeedsReauth = "needs_reauth";

}  // namespace tenantsync::upstream
