#include "service/crm_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/credential_text.hpp"
#include "core/error_code.hpp"
#include "service/errors.hpp"
#include "upstream/crm/stored_credentials.hpp"
#include "upstream/outbound_policy.hpp"

namespace tenantsync::service {
namespace {

// The answer to a Nango connection id that is not this tenant's, whatever the reason (unknown,
// another tenant's, untagged, not refreshable): one status, code and message, so that the
// answers reveal nothing about which ids exist.
Error no_such_nango_connection() {
  return make_error(core::ErrorCode::not_found, "No such Nango connection.");
}

Error nango_not_configured() {
  return make_error(core::ErrorCode::nango_not_configured,
                    "Nango is not configured on this server (TENANTSYNC_NANGO_SECRET_KEY).");
}

// A credential is refused before anything is stored or sent upstream when it could not be a
// token (core/credential_text.hpp).
std::optional<Error> refuse_credential_text(const char* field, const std::string& value) {
  if (core::is_credential_text(value)) return std::nullopt;
  return make_error(core::ErrorCode::validation_failed, core::credential_text_refusal(field));
}

// The field a request's secret came from.
const char* secret_field(core::CrmAuthKind kind) {
  switch (kind) {
    case core::CrmAuthKind::nango:
      return "nango_connection_id";
    case core::CrmAuthKind::access_token:
      return "access_token";
    case core::CrmAuthKind::refresh_token:
      return "refresh_token";
  }
  return "access_token";
}

// The connection to store and the credentials JSON its client starts with; a validation error
// when the request does not say how to reach the CRM.
Result<std::pair<store::CrmConnection, upstream::StoredCredentials>> draft_of(TenantId tenant_id,
                                                                              const ConnectCrm& request) {
  if (!request.provider) return invalid("The field \"provider\" must be hubspot or salesforce.");
  if (request.auth_kind) {
    if (auto refused = refuse_credential_text(secret_field(*request.auth_kind), request.secret))
      return *refused;
  }
  if (request.auth_kind == core::CrmAuthKind::nango && request.provider_config_key) {
    if (auto refused = refuse_credential_text("provider_config_key", *request.provider_config_key))
      return *refused;
  }
  store::CrmConnection draft;
  draft.tenant_id = tenant_id;
  draft.provider = *request.provider;
  draft.instance_url = request.instance_url;
  upstream::StoredCredentials credentials;
  if (request.auth_kind == core::CrmAuthKind::nango) {
    draft.auth_kind = core::CrmAuthKind::nango;
    draft.nango_connection_id = request.secret;
    draft.provider_config_key =
        request.provider_config_key.value_or(std::string(core::to_string(*request.provider)));
  } else if (request.auth_kind == core::CrmAuthKind::access_token) {
    draft.auth_kind = core::CrmAuthKind::access_token;
    credentials.access_token = request.secret;
  } else if (request.auth_kind == core::CrmAuthKind::refresh_token) {
    draft.auth_kind = core::CrmAuthKind::refresh_token;
    credentials.refresh_token = request.secret;
  } else {
    return invalid("Give one of \"nango_connection_id\", \"access_token\" or \"refresh_token\".");
  }
  if (request.provider == core::CrmProvider::salesforce &&
      draft.auth_kind == core::CrmAuthKind::access_token && draft.instance_url.empty())
    return invalid("The field \"instance_url\" is needed for a Salesforce access token.");
  credentials.instance_url = draft.instance_url;
  return std::pair{std::move(draft), std::move(credentials)};
}

}  // namespace

CrmService::CrmService(store::CrmConnectionStore& connections, store::RunHistory& runs,
                       const crypto::SecretBox& secrets, sync::Connectors& connectors, const Clock& clock,
                       SyncRuns& syncs, const UseCaseOptions& options)
    : connections_(connections),
      runs_(runs),
      secrets_(secrets),
      connectors_(connectors),
      clock_(clock),
      syncs_(syncs),
      max_connections_(options.tenant_max_crm_connections) {}

Result<ConnectedCrm> CrmService::connect(TenantId tenant_id, const ConnectCrm& request) {
  if (!syncs_.available()) return sync_unavailable();
  // Refused before the CRM is asked anything: each connection costs a run on every CRM tick.
  if (auto held = connections_.list_crm_connections(tenant_id); !held.ok()) {
    return held.error();
  } else if (max_connections_ > 0 && std::count_if(held->begin(), held->end(), [](const auto& c) {
                                       return c.active;
                                     }) >= max_connections_) {
    return make_error(core::ErrorCode::limit_exceeded,
                      "Limit crm_connections reached: this tenant already has " +
                          std::to_string(max_connections_) +
                          " active CRM connections. Disconnect one first.");
  }
  auto drafted = draft_of(tenant_id, request);
  if (!drafted.ok()) return drafted.error();
  auto& [draft, credentials] = *drafted;
  if (auto instance =
          upstream::check_crm_instance_url(draft.provider, draft.instance_url, connectors_.outbound_policy());
      !instance.ok())
    return instance.error();
  if (draft.auth_kind == core::CrmAuthKind::nango) {
    auto owned = check_nango_owner(tenant_id, draft);
    if (!owned.ok()) {
      if (owned.error().is(core::ErrorCode::not_found) ||
          owned.error().is(core::ErrorCode::nango_not_configured))
        return owned.error();
      ConnectedCrm answer;
      answer.unreachable = owned.error();
      answer.unreachable->message = "Nango could not be asked about the connection: " + owned.error().message;
      return answer;
    }
  }

  // The credentials are checked by asking the CRM which account they open.
  // A Nango connection holds no credentials of ours: Nango hands them out at each run.
  const std::string credentials_json =
      draft.auth_kind == core::CrmAuthKind::nango ? "" : upstream::to_json(credentials);
  auto session = connectors_.crm_check(draft, credentials_json);
  if (!session.ok()) return credentials_rejected(session.error().message);
  auto account = (*session)->client().get_account();
  if (!account.ok()) {
    const auto& e = account.error();
    if (core::is_upstream_failure(e.code) && !e.is(core::ErrorCode::upstream_not_found)) {
      ConnectedCrm answer;
      answer.unreachable =
          make_error(e.code, "The CRM could not be reached to check the credentials: " + e.message);
      return answer;
    }
    return credentials_rejected(e.message);
  }
  draft.provider_account_id = account->id;
  const std::string rotated = (*session)->updated_credentials_json();
  if (draft.auth_kind != core::CrmAuthKind::nango)
    draft.credentials_cipher = secrets_.seal(rotated.empty() ? credentials_json : rotated);

  auto saved = connections_.upsert_crm_connection(draft, clock_.now());
  if (!saved.ok()) return saved.error();
  spdlog::info("event=crm_connected tenant_id={} connection_id={} provider={} account_id={} auth={}",
               tenant_id, saved->id, core::to_string(saved->provider), saved->provider_account_id,
               core::to_string(saved->auth_kind));
  auto ticket =
      syncs_.request(tenant_id, core::RunTarget::crm(ConnectionId(saved->id)), core::RunTrigger::crm_connect);
  if (!ticket.ok()) return ticket.error();
  ConnectedCrm answer;
  answer.connection = status_of(*saved);
  answer.run_id = ticket->run.id;
  return answer;
}

Status CrmService::check_nango_owner(TenantId tenant_id, const store::CrmConnection& draft) {
  upstream::NangoApi* nango = connectors_.nango();
  if (nango == nullptr) return nango_not_configured();
  auto connection = nango->get_connection(draft.nango_connection_id, draft.provider_config_key, false);
  if (!connection.ok()) {
    // Nango's answers about the id itself (unknown, cannot be refreshed) are the one not_found;
    // the others (secret key, rate limit, outage) would be the same for every id.
    if (connection.error().is(core::ErrorCode::needs_reauth)) return no_such_nango_connection();
    return connection.error();
  }
  if (!upstream::nango_connection_names(*connection, upstream::nango_end_user(tenant_id))) {
    spdlog::warn("event=nango_connection_refused tenant_id={} reason=not_bound_to_tenant", tenant_id);
    return no_such_nango_connection();
  }
  return {};
}

Result<ConnectSession> CrmService::create_connect_session(TenantId tenant_id,
                                                          const ConnectSessionRequest& request) {
  if (!request.provider)
    return make_error(core::ErrorCode::validation_failed,
                      "The field \"provider\" must be hubspot or salesforce.");
  const std::string key =
      request.provider_config_key.value_or(std::string(core::to_string(*request.provider)));
  if (auto refused = refuse_credential_text("provider_config_key", key)) return *refused;
  upstream::NangoApi* nango = connectors_.nango();
  if (nango == nullptr) return nango_not_configured();
  auto created = nango->create_connect_session(upstream::NangoSessionRequest{
      .end_user = upstream::nango_end_user(tenant_id), .allowed_integrations = {key}});
  if (!created.ok()) return created.error();
  spdlog::info("event=nango_connect_session tenant_id={} provider_config_key={}", tenant_id, key);
  return ConnectSession{.token = created->token,
                        .expires_at_ms = created->expires_at_ms,
                        .connect_url = created->connect_link,
                        .api_url = nango->base_url(),
                        .provider_config_key = key};
}

Result<std::vector<ConnectionStatus>> CrmService::status(TenantId tenant_id) {
  auto list = connections_.list_crm_connections(tenant_id);
  if (!list.ok()) return list.error();
  std::vector<ConnectionStatus> out;
  for (const auto& c : *list) out.push_back(status_of(c));
  return out;
}

ConnectionStatus CrmService::status_of(const store::CrmConnection& c) {
  ConnectionStatus status{c, c.state, std::nullopt};
  if (!c.active) return status;
  auto latest = runs_.latest_run(c.tenant_id, core::RunTarget::crm(ConnectionId(c.id)));
  if (latest.ok() && latest->has_value() && !core::is_terminal((*latest)->state))
    status.state = core::ConnectionState::syncing;
  status.next_sync_at = syncs_.next_crm_sync();
  return status;
}

Result<std::vector<ConnectionSync>> CrmService::start_sync_now(TenantId tenant_id) {
  auto list = connections_.list_crm_connections(tenant_id);
  if (!list.ok()) return list.error();
  std::vector<store::CrmConnection> active;
  for (const auto& c : *list)
    if (c.active) active.push_back(c);
  return queue_connections(active, core::RunTrigger::manual);
}

Result<std::vector<ConnectionSync>> CrmService::start_sync_all() {
  auto list = connections_.list_active_crm_connections();
  if (!list.ok()) return list.error();
  auto results = queue_connections(*list, core::RunTrigger::cron);
  if (!results.ok()) return results;
  int refused = 0;
  for (const auto& r : *results)
    if (r.error) ++refused;
  spdlog::info("event=cron_sync_crm connections={} not_queued={}", results->size(), refused);
  return results;
}

Result<std::vector<ConnectionSync>> CrmService::queue_connections(
    const std::vector<store::CrmConnection>& connections, core::RunTrigger trigger) {
  if (!syncs_.available()) return sync_unavailable();
  std::vector<ConnectionSync> results;
  for (const auto& c : connections) {
    auto ticket = syncs_.request(c.tenant_id, core::RunTarget::crm(ConnectionId(c.id)), trigger);
    if (!ticket.ok()) {
      results.push_back({c, std::nullopt, ticket.error()});
      continue;
    }
    results.push_back({c, ticket->run, std::nullopt});
  }
  // Connections whose run could not be queued come first.
  std::stable_partition(results.begin(), results.end(),
                        [](const ConnectionSync& r) { return r.error.has_value(); });
  return results;
}

Result<std::vector<ConnectionSync>> CrmService::wait_for(std::vector<ConnectionSync> syncs) {
  const auto deadline = std::chrono::steady_clock::now() + syncs_.sync_wait();
  for (auto& sync : syncs) {
    if (!sync.run) continue;
    const auto left = std::max(
        std::chrono::milliseconds(0),
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
    auto run = syncs_.wait(sync.connection.tenant_id, sync.run->id, left);
    if (!run.ok()) return run.error();
    sync.run = *run;
  }
  return syncs;
}

Status CrmService::disconnect(TenantId tenant_id, ConnectionId connection_id) {
  auto c = connections_.find_crm_connection(tenant_id, connection_id);
  if (!c.ok()) return c.error();
  if (!c->has_value()) return make_error(core::ErrorCode::not_found, "No such CRM connection.");
  if (auto done = connections_.deactivate_crm_connection(tenant_id, connection_id, clock_.now());
      !done.ok())
    return done.error();
  spdlog::info("event=crm_disconnected tenant_id={} connection_id={}", tenant_id, connection_id);
  return {};
}

}  // namespace tenantsync::service
