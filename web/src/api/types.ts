// Shapes of the tenantsync HTTP API (notes/api-contract.md); only the fields the UI reads.

export type Role = 'owner' | 'admin' | 'member' | 'viewer';

export interface User {
  id: string | number;
  email: string;
  /// Set by GET /api/auth/me.
  role?: Role;
}

export interface Member {
  id: number;
  email: string;
  role: Role;
  created_at: string;
}

export interface Invitation {
  id: number;
  email: string;
  role: Role;
  invited_by: number;
  created_at: string;
  expires_at: string;
  /// Only in the answer that creates it: the one-time link's token.
  token?: string;
  accept_path?: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: { id: number | null; email: string };
  address: string;
  action: string;
  detail: Record<string, unknown>;
}

export interface AuthResponse {
  token: string;
  tenant_id: string | number;
  user: User;
}

export interface Me {
  user: User;
  tenant: { id: string | number; name: string; default_region: string };
}

export interface TenantSettings {
  voice_api_key_set: boolean;
  voice_key_last4: string;
  voice_base_url: string;
  default_region: string;
  voice_account_id: string;
  /** POST target for the account's Bolna agents (webhook_url); the token in it is a credential. */
  call_webhook_url?: string;
  sync?: { run_id: string | number; state: RunState };
}

export type ResourceName = 'agents' | 'phone_numbers' | 'campaigns' | 'executions';
export const kVoiceResources: ResourceName[] = ['agents', 'phone_numbers', 'campaigns', 'executions'];

export interface Counts {
  agents: number;
  phone_numbers: number;
  campaigns: number;
  executions: number;
  leads: number;
}

/// 'warning': the last sync was applied, but some resources could not be read (last_sync.not_read).
export type SyncState = 'idle' | 'running' | 'failed' | 'held' | 'warning';

/// One warning of a run: a resource not read completely (code: why), or a note about records
/// (code 'record_warning').
export interface RunWarning {
  resource: string | null;
  code: string;
  message: string;
}
export type RunState = 'queued' | 'running' | 'succeeded' | 'failed' | 'held' | 'cancelled';

export interface LastSync {
  run_id: string | number;
  state: RunState;
  trigger: string;
  started_at: string | null;
  finished_at: string | null;
  deleted: number | null;
  /// The server sends the run's {code, message}; older answers had a plain code.
  error: ApiErrorBody | string | null;
  message: string | null;
  /// The resources the last sync could not read (it applied the others).
  not_read?: RunWarning[];
}

export interface Summary {
  counts: Counts;
  last_sync: LastSync | null;
  sync_state: SyncState;
  running_run_id: string | number | null;
}

export interface ResourceCounts {
  created?: number;
  updated?: number;
  archived?: number;
  restored?: number;
  unchanged?: number;
  total?: number;
}

export interface PlanItem {
  id?: string | number;
  upstream_id: string;
  name: string;
  reason?: string;
}

export interface ResourcePlan {
  archive?: PlanItem[];
  create?: PlanItem[];
  update?: PlanItem[];
  restore?: PlanItem[];
}

export interface Plan {
  resources: Partial<Record<string, ResourcePlan>>;
}

/// Body of POST /api/tenant/sync and POST /api/sync/runs/{id}/confirm, whatever its status.
export interface SyncResponse {
  success: boolean;
  message?: string;
  error?: string;
  deleted?: number;
  run_id?: string | number;
  state?: RunState;
  plan_id?: string;
  plan?: Plan;
  resources?: Partial<Record<string, ResourceCounts>>;
  warnings?: RunWarning[];
}

export interface Progress {
  phase: string;
  resource: string;
  pages: number;
  records: number;
  planned?: number;
  applied?: number;
}

export interface Run {
  id: string | number;
  target: string;
  trigger: string;
  state: RunState;
  dry_run: boolean;
  created_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  counts: Partial<Record<string, ResourceCounts>> | null;
  error: { code: string; message: string } | null;
  warnings: RunWarning[];
  progress: Progress | null;
  plan?: Plan | null;
}

export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface ArchiveItem {
  resource: ResourceName;
  id: string | number;
  upstream_id: string;
  name: string;
  archived_at: string | null;
  archive_reason: 'removed_upstream' | 'account_switched' | string;
  archive_run: string | number | null;
}

export type CrmProvider = 'hubspot' | 'salesforce';

export interface CrmConnection {
  id: string | number;
  provider: CrmProvider;
  account_id: string;
  active: boolean;
  state: 'connected' | 'syncing' | 'needs_reauth' | 'error' | 'rate_limited';
  state_message: string | null;
  rate_limited_until: string | null;
  last_sync: {
    at: string | null;
    created: number;
    updated: number;
    unchanged: number;
    error: string | null;
  } | null;
  next_sync_at: string | null;
}

export interface CrmConnectRequest {
  provider: CrmProvider;
  nango_connection_id?: string;
  provider_config_key?: string;
  access_token?: string;
  refresh_token?: string;
  instance_url?: string;
}

/// POST /api/crm/connect-session: a Nango connect session for Connect UI.
export interface CrmConnectSession {
  token: string;
  expires_at: string | null;
  connect_url: string;
  api_url: string;
  provider_config_key: string;
}

/// One connection's answer in POST /api/crm/sync. A connection whose run could not start has no
/// run_id or counts; `error` is {code, message} (a plain string is accepted too).
export interface CrmSyncResult {
  connection_id: string | number;
  provider: CrmProvider;
  run_id?: string | number | null;
  created?: number;
  updated?: number;
  unchanged?: number;
  error: ApiErrorBody | string | null;
}

export interface ApiErrorBody {
  code: string;
  message: string;
}

export interface Lead {
  id: string | number;
  name: string | null;
  email: string | null;
  phone_e164: string | null;
  phone_raw: string | null;
  phone_valid: boolean;
  source: 'crm' | 'manual';
  crm_provider: string | null;
  crm_owner: string | null;
  crm_owner_email: string | null;
  crm_status: string | null;
  crm_stage: string | null;
  crm_last_activity_at: string | null;
  created_at: string | null;
  updated_at: string | null;
}

/// Events of GET /api/events, by name.
export interface RunStartedEvent { run_id: string | number; target: string; trigger: string }
export interface RunProgressEvent extends Progress { run_id: string | number; target: string }
export interface RunFinishedEvent {
  run_id: string | number;
  target: string;
  state: RunState;
  counts: Partial<Record<string, ResourceCounts>> | null;
  error: { code: string; message: string } | string | null;
}
export interface SummaryEvent { counts: Counts }
export interface LeadsChangedEvent { created: number; updated: number }
