#include <spdlog/spdlog.h>

#include "api/json.hpp"
#include "api/routes.hpp"

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
      throw ApiError(422, "validation_failed", "The field \"voice_api_key\" must not contain spaces or control characters.");
    }
  }
  return key;
}

std::string validated_base_url(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (!url.empty() && !url.starts_with("https://") && !url.starts_with("http://")) {
    throw ApiError(422, "validation_failed",
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
                if (key) {
                  const auto k = validated_key(*key);
                  next.voice_api_key_cipher = s.secrets.seal(k);
                  next.voice_key_last4 = k.size() > 4 ? k.substr(k.size() - 4) : k;
                }
                auto saved = s.store.put_settings(next, to_epoch_ms(s.clock.now()));
                if (!saved.ok()) throw_error(saved.error());
                spdlog::info("event=settings_saved tenant_id={} key_changed={}", ctx.session.tenant_id, key.has_value());
                return json_response(200, settings_json(next));
              }});
}

}  // namespace tenantsync::api
