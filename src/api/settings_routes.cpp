#include <spdlog/spdlog.h>

#include "api/json.hpp"
#include "api/routes.hpp"
#include "api/run_json.hpp"
#include "sync/engine.hpp"

namespace tenantsync::api {
namespace {

constexpr std::size_t kMaxKeyLength = 512;

Json settings_json(const store::TenantSettings& s) {
  return {{"voice_api_key_set", !s.voice_api_key_cipher.empty()},
          {"voice_key_last4", s.voice_key_last4},
          {"voice_base_url", s.voice_base_url},
          {"voice_account_id", s.voice_account_id},
          {"default_region", s.default_region}};
}

std::string validated_key(const std::string& key) {
  if (key.empty() || key.size() > kMaxKeyLength) {
    throw ApiError(422, "validation_failed", "The field \"voice_api_key\" must be 1 to 512 characters.");
  }
  for (unsigned char c : key) {
    if (c <= ' ' || c == 0x7f) {
      throw ApiError(422, "validation_failed",
                     "The field \"voice_api_key\" must not contain spaces or control characters.");
    }
  }
  return key;
}

std::string validated_base_url(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (!url.empty() && !url.starts_with("https://") && !url.starts_with("http://")) {
    throw ApiError(
        422, "validation_failed",
        "The field \"voice_base_url\" must be an https:// URL (or empty for the default Bolna API).");
  }
  return url;
}

std::string validated_region(std::string region) {
  for (auto& c : region) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (region.size() != 2 || !std::isalpha(static_cast<unsigned char>(region[0])) ||
      !std::isalpha(static_cast<unsigned char>(region[1]))) {
    throw ApiError(422, "validation_failed",
                   "The field \"default_region\" must be a two-letter ISO country code such as US or GB.");
  }
  return region;
}

// Asks the voice platform who the key belongs to (GET /user/me). A rejected key answers 422
// with the platform's reason; an unreachable platform 502: either way nothing is saved.
std::string account_of_key(Services& s, const store::TenantSettings& next, const std::string& key) {
  auto& connectors = s.engine->connectors();
  const std::string base =
      next.voice_base_url.empty() ? connectors.default_voice_base_url() : next.voice_base_url;
  auto client = connectors.voice(sync::VoiceEndpoint{base, key}, nullptr);
  auto account = client->get_account();
  if (!account.ok()) {
    const auto& e = account.error();
    if (e.code == "key_rejected") throw ApiError(422, "key_rejected", e.message);
    throw ApiError(502, e.code,
                   "The key could not be checked: " + e.message + " It was not saved; try again.");
  }
  return account->id;
}

}  // namespace

void add_settings_routes(Router& router, Services& s) {
  router.add({"GET", "/api/tenant/settings", Access::user, [&s](RequestContext& ctx) {
                auto settings = s.store.get_settings(ctx.session.tenant_id);
                if (!settings.ok()) throw_error(settings.error());
                return json_response(200, settings_json(*settings));
              }});

  router.add({"PUT", "/api/tenant/settings", Access::user, [&s](RequestContext& ctx) {
                const auto body = parse_object_body(ctx.request);
                const auto key = optional_string(body, "voice_api_key");
                const auto base_url = optional_string(body, "voice_base_url");
                const auto region = optional_string(body, "default_region");
                auto current = s.store.get_settings(ctx.session.tenant_id);
                if (!current.ok()) throw_error(current.error());
                store::TenantSettings next = *current;
                if (base_url) next.voice_base_url = validated_base_url(*base_url);
                if (region) next.default_region = validated_region(*region);
                std::optional<std::string> plain_key;
                if (key) {
                  plain_key = validated_key(*key);
                  next.voice_api_key_cipher = s.secrets.seal(*plain_key);
                  next.voice_key_last4 =
                      plain_key->size() > 4 ? plain_key->substr(plain_key->size() - 4) : *plain_key;
                } else if (base_url && next.voice_base_url != current->voice_base_url &&
                           !current->voice_api_key_cipher.empty()) {
                  // Another white-label with the same key: check it there too.
                  auto opened = s.secrets.open(current->voice_api_key_cipher);
                  if (opened.ok()) plain_key = *opened;
                }
                const bool check_key = plain_key.has_value() && s.engine != nullptr;
                if (check_key) next.voice_account_id = account_of_key(s, next, *plain_key);
                auto saved = s.store.put_settings(next, to_epoch_ms(s.clock.now()));
                if (!saved.ok()) throw_error(saved.error());
                spdlog::info("event=settings_saved tenant_id={} key_changed={} account_id={}",
                             ctx.session.tenant_id, key.has_value(), next.voice_account_id);
                Json answer = settings_json(next);
                if (check_key) {
                  // A new key (or URL) syncs at once, so the counts are right without a click.
                  auto ticket = s.engine->request(ctx.session.tenant_id, sync::kVoiceTarget, "key_change");
                  if (ticket.ok() && ticket->joined && ticket->run.state == "running") {
                    // That run reads with the old key: let it end, then sync with the new one.
                    (void)s.engine->wait(ctx.session.tenant_id, ticket->run.id, s.options.sync_wait);
                    ticket = s.engine->request(ctx.session.tenant_id, sync::kVoiceTarget, "key_change");
                  }
                  if (ticket.ok()) {
                    auto run =
                        s.engine->wait(ctx.session.tenant_id, ticket->run.id, s.options.key_change_wait);
                    const store::SyncRun& r = run.ok() ? *run : ticket->run;
                    answer["sync"] = {
                        {"run_id", r.id}, {"state", r.state}, {"result", sync_result(r).second}};
                  }
                }
                return json_response(200, answer);
              }});
}

}  // namespace tenantsync::api
