// Bolna's account (GET /user/me) and the message of an error body: an account has an id and
// bounded fields, or the body is a stable error; an error message is bounded.
#include "upstream/voice/bolna_records.hpp"
#include "fuzz_support.hpp"

using namespace tenantsync;
namespace bolna = upstream::bolna;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = fuzz::text_of(data, size);
  auto account = bolna::parse_account(body);
  if (account.ok()) {
    fuzz::check(!account->id.empty(), "an account without an id");
    fuzz::check(account->id.size() <= bolna::kMaxIdBytes, "an account id over its bound");
    fuzz::check(account->name.size() <= bolna::kMaxNameBytes, "an account name over its bound");
    fuzz::check(account->email.size() <= bolna::kMaxNameBytes, "an account e-mail over its bound");
  } else {
    fuzz::check_error(account.error());
  }
  fuzz::check(bolna::error_message(body).size() <= bolna::kMaxNameBytes, "an error message over its bound");
  return 0;
}
