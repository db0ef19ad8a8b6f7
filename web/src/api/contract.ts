// The API's shapes the browsing pages read, named from the types generated out of the API's
// contract (openapi.gen.ts, from src/api/openapi.json), so a change of the contract that a page
// does not follow fails `tsc`.
import type { components, operations } from './openapi.gen';

type Schemas = components['schemas'];

export type MirrorItem = Schemas['MirrorItem'];
export type Call = Schemas['Call'];
export type OpenedCall = Schemas['OpenedCall'];
export type CallDetail = Schemas['CallDetail'];
export type CallStats = Schemas['CallStats'];
export type CampaignProgress = Schemas['CampaignProgress'];
export type LeadRow = Schemas['Lead'];
export type LeadDetail = Schemas['LeadDetail'];
export type LineageRun = Schemas['LineageRun'];
export type DaysByStatus = Schemas['DaysByStatus'];
export type DaysBySource = Schemas['DaysBySource'];
export type AgentStats = Schemas['AgentStats'];
export type CrmConnectionRow = Schemas['CrmConnection'];
/** One tenant the signed-in person belongs to (GET /api/auth/tenants). */
export type Membership = Schemas['Membership'];
/** Where an invitation link leads (GET /api/team/invitations/{token}/accept). */
export type InvitationPreview = Schemas['InvitationPreview'];
/** What POST /api/tenant/call-webhook/agents did to each agent of the voice account. */
export type AgentWebhookReport = Schemas['AgentWebhookReport'];
export type AgentWebhookOutcome = Schemas['AgentWebhookOutcome'];
export type AgentWebhookRequest = operations['setAgentsCallWebhook']['requestBody']['content']['application/json'];
export type AgentDetail = MirrorItem & {
  phone_numbers: MirrorItem[];
  campaigns: MirrorItem[];
  recent_calls: Call[];
  call_stats: CallStats;
};
export type CampaignDetail = MirrorItem & { progress: CampaignProgress; call_stats: CallStats; recent_calls: Call[] };

export interface PageOf<T> {
  items: T[];
  next: string | null;
}

/** GET /api/events' `executions.changed`: a Bolna webhook brought a call in or changed one. */
export interface ExecutionsChangedEvent {
  execution_id: string;
  outcome: 'created' | 'updated';
  status: string;
}
