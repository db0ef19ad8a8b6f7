#include "service/crm_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "service/errors.hpp"
#include "upstream/crm/stored_credentials.hpp"
#include "upstream/errors.hpp"

namespace tenantsync::service {
namespace {

// The connection to store and the credentials JSON its client starts with; a validation error
// when the request does not say how to reach the CRM.
Result<std::pair<store::CrmConnection, upstream::StoredCredentials>> draft_of(TenantId tenant_id,
                                                                              const ConnectCrm& request) {
  if (!request.provider) return invalid("The field \"provider\" must be hubspot or salesforce.");
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

  // The credentials are checked by asking the CRM which account they open.
  // A Nango connection holds no credentials of ours: Nango hands them out at each run.
  const std::string credentials_json =
      draft.auth_kind == core::CrmAuthKind::nango ? "" : upstream::to_json(credentials);
  auto session = connectors_.crm_check(draft, credentials_json);
  if (!session.ok()) return credentials_rejected(session.error().message);
  auto account = (*session)->client().get_account();
  if (!account.ok()) {
    const auto& e = account.error();
    if (e.code.starts_with("upstream_") && e.code != upstream::kErrNotFound) {
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
  status.next_sync_at_ms = syncs_.next_crm_sync();
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
  if (!c->has_value()) return make_error("not_found", "No such CRM connection.");
  if (auto done = connections_.deactivate_crm_connection(tenant_id, connection_id, clock_.now());
      !done.ok())
    return done.error();
  spdlog::info("event=crm_disconnected tenant_id={} connection_id={}", tenant_id, connection_id);
  return {};
}

}  // namespace tenantsync::service
