#pragma once
// What the sync engine needs from a voice platform (Bolna and its white-labels): the
// account behind the key and complete listings of each resource, as plain records.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/error_code.hpp"
#include "core/result.hpp"

namespace tenantsync::upstream {

struct VoiceAccount {
  std::string id;
  std::string name;
  std::string email;
};

struct VoiceRecord {
  std::string upstream_id;
  std::string name;
  std::string status;
  std::string agent_id;
  std::string batch_id;
  std::int64_t created_at_ms = 0;  ///< 0 when absent or unparseable
  std::int64_t updated_at_ms = 0;
  std::string fields_json;   ///< normalized subset, compact JSON with sorted keys
  std::string raw_json;      ///< the record as received (compact)
  std::string content_hash;  ///< 16 hex digits over fields, name, status and links
};

struct VoiceListing {
  std::vector<VoiceRecord> records;
  std::vector<std::string> warnings;  ///< skipped records and odd fields; never fatal
};

/// What the platform tells about one execution beyond its listing row, for the call's page.
/// Bounded: the transcript is cut at kMaxTranscriptBytes (transcript_truncated), and a JSON part
/// over its bound is replaced by {"_truncated_bytes": size}.
struct ExecutionDetail {
  std::string transcript;
  std::int64_t transcript_bytes = 0;  ///< the transcript's size as sent
  bool transcript_truncated = false;
  std::string recording_url;
  std::string extracted_data_json = "null";  ///< compact JSON values as sent (null when absent)
  std::string cost_breakdown_json = "null";
  std::string telephony_data_json = "null";
  /// The execution itself read as a listing row is (status, batch, numbers, duration, cost): the
  /// detail carries what a trimmed listing row leaves out. nullopt when it has no usable id.
  std::optional<VoiceRecord> record;
};

/// Called once per page read; returning an error stops the listing with that error.
using PageCallback = std::function<Status(VoiceListing&& page, int page_number)>;

class VoiceClient {
 public:
  virtual ~VoiceClient() = default;
  /// The account behind the API key.
  virtual Result<VoiceAccount> get_account() = 0;
  /// Every agent of the account.
  virtual Result<VoiceListing> list_agents() = 0;
  /// Every phone number of the account.
  virtual Result<VoiceListing> list_phone_numbers() = 0;
  /// Every batch (campaign) of one agent.
  virtual Result<VoiceListing> list_batches(const std::string& agent_id) = 0;
  /// Executions of one agent created in [from, to], page by page (pages numbered from 1
  /// across the whole call). Any failed page fails the whole listing.
  virtual Status list_executions(const std::string& agent_id, TimePoint from, TimePoint to,
                                 const PageCallback& on_page) = 0;
  /// One execution's detail (transcript, recording, extracted data, costs, telephony data).
  virtual Result<ExecutionDetail> get_execution(const std::string& execution_id) = 0;
  /// Sets the agent's webhook_url (where the platform POSTs each call's status changes), or
  /// removes it (nullopt). The one write tenantsync makes upstream, on a person's explicit consent.
  virtual Status set_agent_webhook(const std::string& agent_id, const std::optional<std::string>& url) = 0;
};

/// Splits [from, to] into consecutive windows of at most `width` (the last may be shorter);
/// empty when to < from.
std::vector<std::pair<TimePoint, TimePoint>> split_windows(TimePoint from, TimePoint to,
                                                           std::chrono::milliseconds width);

}  // namespace tenantsync::upstream
