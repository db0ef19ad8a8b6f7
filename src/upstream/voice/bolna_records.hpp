#pragma once
// Pure parsing of Bolna response bodies into VoiceRecords: no I/O, so it is unit-tested and
// fuzzed on its own. Bad records become warnings; only an unreadable body is an error.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "upstream/voice/voice_client.hpp"

namespace tenantsync::upstream::bolna {

inline constexpr std::size_t kMaxNameBytes = 1024;
inline constexpr std::size_t kMaxFieldBytes = 4096;
inline constexpr std::size_t kMaxRawBytes = 64 * 1024;
inline constexpr std::size_t kMaxIdBytes = 256;
inline constexpr std::size_t kMaxWarnings = 50;
/// A transcript longer than this is cut (at a UTF-8 boundary) and flagged truncated.
inline constexpr std::size_t kMaxTranscriptBytes = 256 * 1024;
/// Extracted data, cost breakdown and telephony data: each kept whole up to this size.
inline constexpr std::size_t kMaxDetailPartBytes = 64 * 1024;

struct ExecutionPage {
  VoiceListing listing;
  bool has_more = false;
  std::optional<std::int64_t> page_number;  ///< the number Bolna gave the page, when it sent an integer
  std::optional<std::int64_t> total;        ///< Bolna's count of the whole listing, when it sent an integer
};

/// `GET /user/me`.
Result<VoiceAccount> parse_account(std::string_view body);
/// `GET /v2/agent/all`: a bare array, or `{data:[…]}` / `{agents:[…]}`.
Result<VoiceListing> parse_agents(std::string_view body);
/// `GET /phone-numbers/all`: a bare array or `{data:[…]}`.
Result<VoiceListing> parse_phone_numbers(std::string_view body);
/// `GET /batches/{agent_id}/all`: a bare array or `{data:[…]}`; rows without agent_id get `agent_id`.
Result<VoiceListing> parse_batches(std::string_view body, const std::string& agent_id);
/// `GET /v2/agent/{agent_id}/executions`: `{page_number, total, has_more, data:[…]}` (a bare array is
/// one last page).
Result<ExecutionPage> parse_execution_page(std::string_view body, const std::string& agent_id);
/// `GET /executions/{id}`: one execution with its transcript and the rest of its detail.
Result<ExecutionDetail> parse_execution_detail(std::string_view body);
/// The human message of an error body (`message`, `detail` or `error`; string or number), or empty.
std::string error_message(std::string_view body);
/// 16 lower-case hex digits of FNV-1a 64 over the record's normalized content.
std::string content_hash(const VoiceRecord& record);
/// The agent's webhook_url in an agent record as listed (top level, as AgentV2 lists its config,
/// or inside `agent_config`); empty when it has none.
std::string agent_webhook_url(std::string_view agent_json);
/// The body of `PATCH /v2/agent/{id}` that sets the agent's webhook_url, or removes it (null).
std::string agent_webhook_patch(const std::optional<std::string>& url);

}  // namespace tenantsync::upstream::bolna
