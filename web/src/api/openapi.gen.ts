// Generated from src/api/openapi.json by web/scripts/api-types.mjs (npm run gen:api); do not edit.
/* eslint-disable */
export interface paths {
    "/api/agents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["listAgents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/agents/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getAgent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/archive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["listArchive"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/archive/{resource}/{id}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["restore"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["listAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/logout-all": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["logoutAll"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/signup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["signup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/switch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description Opens another tenant the person belongs to: a new token for it. The request's own token stays valid for its tenant. */
        post: operations["switchTenant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/tenants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The tenants the signed-in person belongs to (a person may be a member of several), with the role in each. */
        get: operations["myTenants"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/campaigns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["listCampaigns"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/campaigns/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getCampaign"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["listChanges"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/connect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["crmConnect"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/connect-session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["crmConnectSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/connections/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["crmDisconnect"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["crmStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/crm/sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["crmSync"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/cron/sync-crm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["cronSyncCrm"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["events"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/executions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["listCalls"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/executions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getCall"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/executions/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["exportCalls"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/leads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["listLeads"];
        put?: never;
        post: operations["createLead"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/leads/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getLead"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/leads/{id}/calls": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["leadCalls"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/leads/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["exportLeads"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["openapi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/phone-numbers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["listPhoneNumbers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/stats/agents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["statsAgents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/stats/calls": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["statsCalls"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/stats/leads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["statsLeads"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sync/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["listRuns"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sync/runs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sync/runs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["cancelRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/sync/runs/{id}/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["confirmRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/team/invitations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["listInvitations"];
        put?: never;
        post: operations["invite"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/team/invitations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["revokeInvitation"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/team/invitations/{token}/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The invitation a link accepts: the inviting tenant's name, the invited e-mail and the role; unknown, used and expired tokens answer the same 404. */
        get: operations["previewInvitation"];
        put?: never;
        /** @description With {password}: creates the invited person's login. With a bearer token of an existing login and no password ({} or an empty body): adds that login to the inviting tenant (the login's e-mail must be the invited one). Either way the answer is a session in the inviting tenant. */
        post: operations["acceptInvitation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/team/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["listMembers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/team/members/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["removeMember"];
        options?: never;
        head?: never;
        patch: operations["changeMemberRole"];
        trace?: never;
    };
    "/api/tenant": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["deleteTenant"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tenant/call-webhook/agents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** @description With the tenant's consent, points the webhook_url of every agent of the voice account at the tenant's call-webhook URL (enabled: true) or removes it again (enabled: false), through the voice platform's API (PATCH /v2/agent/{id}). An agent whose webhook_url is another URL keeps it unless replace_others is true; removing only clears URLs of this server. One outcome per agent; an agent the platform refused is reported as failed and the others still change. Audited. */
        post: operations["setAgentsCallWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tenant/hook-token/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["rotateHookToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tenant/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getSettings"];
        put: operations["putSettings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tenant/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["summary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/tenant/sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["syncNow"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["listWebhooks"];
        put?: never;
        post: operations["createWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getWebhook"];
        put?: never;
        post?: never;
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        patch: operations["updateWebhook"];
        trace?: never;
    };
    "/api/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/{id}/deliveries/{delivery}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["redeliverWebhookDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["rotateWebhookSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/hooks/bolna/{token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["bolnaHook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/hooks/hubspot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["hubspotHook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["metrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AgentStats: {
            agent_id: components["schemas"]["TextOrNull"];
            average_cost: components["schemas"]["NumberOrNull"];
            average_duration_s: components["schemas"]["NumberOrNull"];
            calls: number;
            id: components["schemas"]["IdOrNull"];
            name: components["schemas"]["TextOrNull"];
        };
        AgentWebhookOutcome: {
            agent_id: string;
            message?: string;
            name: string;
            /**
             * @description set: the agent now sends its calls here; already_set: it did; replaced: another webhook URL was replaced (replace_others); kept_other: the agent sends its calls to another URL, left as it is; cleared: this URL was removed; not_set: the agent had no webhook URL of ours; failed: the voice platform refused or did not answer (message).
             * @enum {string}
             */
            outcome: "set" | "already_set" | "replaced" | "kept_other" | "cleared" | "not_set" | "failed";
            /** @description The agent's webhook URL before, when it was another one (kept_other, replaced). */
            previous_url?: string | null;
        };
        AgentWebhookReport: {
            agents: components["schemas"]["AgentWebhookOutcome"][];
            call_webhook_url: string;
            changed: number;
            enabled: boolean;
            failed: number;
            kept_other: number;
            unchanged: number;
        };
        AuditEntry: {
            action: string;
            actor: {
                email: string;
                /** @description null where nobody was signed in (a failed login) */
                id: components["schemas"]["IdOrNull"];
            };
            address: string;
            at: components["schemas"]["TimeOrNull"];
            /** @description what, by action (docs/api.md, "Audit log"); never a secret */
            detail: Record<string, never>;
            id: components["schemas"]["Id"];
        };
        AuditPage: {
            items: components["schemas"]["AuditEntry"][];
            next: components["schemas"]["Cursor"];
        };
        AuthAnswer: {
            expires_in: number;
            tenant_id: components["schemas"]["Id"];
            token: string;
            user: components["schemas"]["User"];
        };
        Call: {
            agent: components["schemas"]["Ref"];
            campaign: null | components["schemas"]["Ref"];
            cost: components["schemas"]["NumberOrNull"];
            direction: components["schemas"]["TextOrNull"];
            duration_s: components["schemas"]["NumberOrNull"];
            from_e164: components["schemas"]["TextOrNull"];
            from_number: components["schemas"]["TextOrNull"];
            to_e164: components["schemas"]["TextOrNull"];
            to_number: components["schemas"]["TextOrNull"];
        } & components["schemas"]["MirrorItem"];
        CallDetail: {
            cost_breakdown: unknown;
            /** @description the platform's JSON as sent, or {_truncated_bytes} past 64 KiB */
            extracted_data: unknown;
            fetched_at: components["schemas"]["TimeOrNull"];
            recording_url: components["schemas"]["TextOrNull"];
            telephony_data: unknown;
            transcript: string;
            transcript_bytes: number;
            transcript_truncated: boolean;
        };
        CallStats: {
            average_cost: components["schemas"]["NumberOrNull"];
            average_duration_s: components["schemas"]["NumberOrNull"];
            by_status: {
                [key: string]: number;
            };
            calls: number;
            total_cost: components["schemas"]["NumberOrNull"];
        };
        CampaignProgress: {
            calls_mirrored: number;
            done_fraction: number | null;
            platform_status_counts: unknown;
            total_contacts: unknown;
            valid_contacts: unknown;
        };
        Change: {
            object: {
                id: components["schemas"]["Id"];
                /** @enum {unknown} */
                kind: "lead" | "agent" | "phone_number" | "campaign" | "execution" | "run";
                /** @description lead.merged: the CRM id of the contact this lead's contact was merged into */
                merged_into?: string;
                /** @description a lead's */
                source?: components["schemas"]["TextOrNull"];
                /** @description a run's */
                state?: components["schemas"]["TextOrNull"];
                /** @description a mirror row's */
                status?: components["schemas"]["TextOrNull"];
                upstream_id: components["schemas"]["TextOrNull"];
            };
            occurred_at: components["schemas"]["Time"];
            seq: number;
            /** @description lead.created, lead.merged, execution.updated, run.finished, ... */
            type: string;
        };
        ChangePage: {
            has_more: boolean;
            items: components["schemas"]["Change"][];
            /** @description pass back as `cursor`; on an empty page, the cursor given */
            next_cursor: string;
        };
        CrmConnection: {
            account_id?: string;
            active?: boolean;
            auth_kind?: string;
            id: components["schemas"]["Id"];
            last_sync?: Record<string, never> | null;
            next_sync_at?: components["schemas"]["TimeOrNull"];
            provider: components["schemas"]["CrmProvider"];
            rate_limited_until?: components["schemas"]["TimeOrNull"];
            /** @enum {unknown} */
            state: "connected" | "syncing" | "needs_reauth" | "error" | "rate_limited";
            state_message?: components["schemas"]["TextOrNull"];
        };
        /** @enum {unknown} */
        CrmProvider: "hubspot" | "salesforce";
        CrmSyncAnswer: {
            results: Record<string, never>[];
            success: boolean;
        };
        /** @description null on the last page */
        Cursor: string | null;
        DaysBySource: {
            days: {
                by_source: {
                    [key: string]: number;
                };
                day: string;
                total: number;
            }[];
            from: components["schemas"]["Time"];
            to: components["schemas"]["Time"];
        };
        DaysByStatus: {
            days: {
                by_status: {
                    [key: string]: number;
                };
                day: string;
                total: number;
            }[];
            from: components["schemas"]["Time"];
            to: components["schemas"]["Time"];
        };
        Error: {
            error: string;
            message: string;
        };
        Id: number;
        IdOrNull: number | null;
        Invitation: {
            created_at: components["schemas"]["TimeOrNull"];
            email: string;
            expires_at: components["schemas"]["TimeOrNull"];
            id: components["schemas"]["Id"];
            invited_by: components["schemas"]["Id"];
            role: components["schemas"]["Role"];
        };
        InvitationPreview: {
            email: string;
            expires_at: components["schemas"]["TimeOrNull"];
            role: components["schemas"]["Role"];
            tenant_name: string;
        };
        IssuedInvitation: {
            /** @description the dashboard's page for the link: /#/accept-invitation/<token> */
            accept_path: string;
            /** @description the one-time token, in this answer only */
            token: string;
        } & components["schemas"]["Invitation"];
        Lead: {
            created_at: components["schemas"]["TimeOrNull"];
            crm_archived_at: components["schemas"]["TimeOrNull"];
            crm_connection_id: components["schemas"]["IdOrNull"];
            crm_description: components["schemas"]["TextOrNull"];
            crm_id: components["schemas"]["TextOrNull"];
            crm_last_activity_at: components["schemas"]["TimeOrNull"];
            crm_owner: components["schemas"]["TextOrNull"];
            crm_owner_email: components["schemas"]["TextOrNull"];
            crm_provider: components["schemas"]["TextOrNull"];
            crm_stage: components["schemas"]["TextOrNull"];
            crm_status: components["schemas"]["TextOrNull"];
            email: components["schemas"]["TextOrNull"];
            id: components["schemas"]["Id"];
            /** @enum {unknown} */
            match_reason: "crm_id" | "phone" | "email" | "new" | "manual" | null;
            name: string;
            phone_e164: components["schemas"]["TextOrNull"];
            phone_raw: components["schemas"]["TextOrNull"];
            phone_valid: boolean;
            /** @enum {unknown} */
            source: "crm" | "manual";
            updated_at: components["schemas"]["TimeOrNull"];
        };
        LeadDetail: {
            lineage: {
                created_run: components["schemas"]["LineageRun"];
                crm_connection: null | {
                    active?: boolean;
                    id: components["schemas"]["Id"];
                    provider: string;
                    provider_account_id?: string | null;
                    state?: string;
                };
                crm_id: components["schemas"]["TextOrNull"];
                match_reason: components["schemas"]["TextOrNull"];
                /** @enum {unknown} */
                source: "crm" | "manual";
                updated_run: components["schemas"]["LineageRun"];
            };
        } & components["schemas"]["Lead"];
        LeadPage: {
            items: components["schemas"]["Lead"][];
            next: components["schemas"]["Cursor"];
        };
        LineageRun: null | {
            created_at: components["schemas"]["TimeOrNull"];
            finished_at: components["schemas"]["TimeOrNull"];
            id: components["schemas"]["Id"];
            state: components["schemas"]["RunState"];
            target: string;
            trigger: string;
        };
        Me: {
            tenant: {
                default_region: string;
                id: components["schemas"]["Id"];
                name: string;
            };
            user: {
                role: components["schemas"]["Role"];
            } & components["schemas"]["User"];
        };
        Member: {
            created_at: components["schemas"]["TimeOrNull"];
            email: string;
            id: components["schemas"]["Id"];
            role: components["schemas"]["Role"];
        };
        Membership: {
            /** @description the tenant of the token the request was made with */
            current: boolean;
            name: string;
            role: components["schemas"]["Role"];
            tenant_id: components["schemas"]["Id"];
        };
        MirrorItem: {
            agent_id: components["schemas"]["TextOrNull"];
            archive_reason?: string;
            archive_run?: components["schemas"]["IdOrNull"];
            archived_at?: components["schemas"]["TimeOrNull"];
            batch_id: components["schemas"]["TextOrNull"];
            created_at: components["schemas"]["TimeOrNull"];
            fields: Record<string, never>;
            first_seen_at: components["schemas"]["TimeOrNull"];
            first_seen_run?: components["schemas"]["IdOrNull"];
            id: components["schemas"]["Id"];
            last_seen_run?: components["schemas"]["IdOrNull"];
            name: string;
            resource: components["schemas"]["ResourceName"];
            status: string;
            updated_at: components["schemas"]["TimeOrNull"];
            upstream_account_id: string;
            upstream_id: string;
        };
        NumberOrNull: number | null;
        OpenedCall: {
            detail: null | components["schemas"]["CallDetail"];
            detail_error: null | {
                code: string;
                message: string;
            };
            /** @enum {unknown} */
            detail_source: "voice_platform" | "cache" | null;
        } & components["schemas"]["Call"];
        Ref: {
            id: components["schemas"]["IdOrNull"];
            name: components["schemas"]["TextOrNull"];
            upstream_id: components["schemas"]["TextOrNull"];
        };
        ResourceCounts: {
            archived?: number;
            created?: number;
            restored?: number;
            total?: number;
            unchanged?: number;
            updated?: number;
        };
        /** @enum {unknown} */
        ResourceName: "agents" | "phone_numbers" | "campaigns" | "executions";
        /**
         * @description a member's role; each may do what the ones before it may
         * @enum {unknown}
         */
        Role: "viewer" | "member" | "admin" | "owner";
        Run: {
            counts: Record<string, never> | null;
            created_at: components["schemas"]["TimeOrNull"];
            dry_run: boolean;
            duration_ms: number | null;
            error: null | Record<string, never>;
            finished_at: components["schemas"]["TimeOrNull"];
            id: components["schemas"]["Id"];
            plan?: unknown;
            plan_id?: string | null;
            progress: Record<string, never> | null;
            started_at: components["schemas"]["TimeOrNull"];
            state: components["schemas"]["RunState"];
            target: string;
            trigger: string;
            upstream_account_id?: string | null;
            warnings: components["schemas"]["RunWarning"][];
        };
        RunPage: {
            items: components["schemas"]["Run"][];
            next: components["schemas"]["Cursor"];
        };
        /** @enum {unknown} */
        RunState: "queued" | "running" | "succeeded" | "failed" | "held" | "cancelled";
        RunWarning: {
            code: string;
            message: string;
            resource: string | null;
        };
        Settings: {
            default_region: string;
            sync?: {
                result?: unknown;
                run_id?: components["schemas"]["IdOrNull"];
                state?: string;
            };
            voice_account_id: string;
            voice_api_key_set: boolean;
            voice_base_url: string;
            voice_key_last4: string;
        };
        Summary: {
            counts: {
                [key: string]: number;
            };
            last_sync: Record<string, never> | null;
            running_run_id: components["schemas"]["IdOrNull"];
            /** @enum {unknown} */
            sync_state: "idle" | "running" | "failed" | "held" | "warning";
        };
        SyncAnswer: {
            deleted?: number;
            dry_run?: boolean;
            error?: string;
            message: string;
            plan?: unknown;
            plan_id?: string | null;
            resources?: {
                [key: string]: components["schemas"]["ResourceCounts"];
            };
            run_id?: components["schemas"]["IdOrNull"];
            state?: string;
            success: boolean;
            warnings?: components["schemas"]["RunWarning"][];
            would_delete?: number;
        };
        SyncRequest: {
            confirm_plan?: string;
            dry_run?: boolean;
        };
        TextOrNull: string | null;
        /**
         * Format: date-time
         * @description ISO-8601 UTC time
         */
        Time: string;
        /**
         * Format: date-time
         * @description ISO-8601 UTC time
         */
        TimeOrNull: string | null;
        User: {
            email: string;
            id: components["schemas"]["Id"];
        };
        Webhook: {
            active: boolean;
            created_at: components["schemas"]["TimeOrNull"];
            events: string[];
            id: components["schemas"]["Id"];
            updated_at: components["schemas"]["TimeOrNull"];
            url: string;
        };
        WebhookDelivery: {
            attempts: number;
            /** @description the JSON sent */
            body: unknown;
            created_at: components["schemas"]["TimeOrNull"];
            delivered_at: components["schemas"]["TimeOrNull"];
            /** @description X-Tenantsync-Delivery */
            delivery_id: string;
            id: components["schemas"]["Id"];
            last_error: components["schemas"]["TextOrNull"];
            last_status: number | null;
            /** @description null unless pending */
            next_attempt_at: components["schemas"]["TimeOrNull"];
            retry_until: components["schemas"]["TimeOrNull"];
            seq: number;
            /** @enum {unknown} */
            state: "pending" | "succeeded" | "failed";
            type: string;
        };
        /** @description types or kinds as in the change feed (lead.created, execution.*, *) */
        WebhookEvents: string[];
        WebhookWithSecret: {
            /** @description whsec_ + 64 hex; in this answer only */
            secret: string;
        } & components["schemas"]["Webhook"];
    };
    responses: {
        /** @description A session token. */
        Auth: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["AuthAnswer"];
            };
        };
        /** @description A page of calls, newest first. */
        CallPage: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    items: components["schemas"]["Call"][];
                    next: components["schemas"]["Cursor"];
                };
            };
        };
        /** @description An error: a stable code and a sentence saying what to do. */
        Error: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description A page of mirror rows, newest first. */
        MirrorPage: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    items: components["schemas"]["MirrorItem"][];
                    next: components["schemas"]["Cursor"];
                };
            };
        };
        /** @description The tenant's settings. */
        Settings: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Settings"];
            };
        };
        /** @description The sync's answer. */
        SyncAnswer: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["SyncAnswer"];
            };
        };
        /** @description A failed or held sync ({success: false, ...}) or an error. */
        SyncAnswerOrError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["SyncAnswer"] | components["schemas"]["Error"];
            };
        };
    };
    parameters: {
        /** @description the `next` of the previous page */
        cursor: string;
        /** @description ISO-8601 time, inclusive */
        from: string;
        /** @description tenantsync's id of the row (a number; others are 404) */
        id: string;
        limit: number;
        /** @description ISO-8601 time, exclusive */
        to: string;
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listAgents: {
        parameters: {
            query?: {
                agent_id?: string;
                /** @description the `next` of the previous page */
                cursor?: components["parameters"]["cursor"];
                /** @description ISO-8601 time, inclusive */
                from?: components["parameters"]["from"];
                limit?: components["parameters"]["limit"];
                status?: string;
                /** @description ISO-8601 time, exclusive */
                to?: components["parameters"]["to"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["MirrorPage"];
            default: components["responses"]["Error"];
        };
    };
    getAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description tenantsync's id of the row (a number; others are 404) */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The agent, its numbers, campaigns, recent calls and call statistics. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        call_stats: components["schemas"]["CallStats"];
                        campaigns: components["schemas"]["MirrorItem"][];
                        phone_numbers: components["schemas"]["MirrorItem"][];
                        recent_calls: components["schemas"]["Call"][];
                    } & components["schemas"]["MirrorItem"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    listArchive: {
        parameters: {
            query?: {
                /** @description the `next` of the previous page */
                cursor?: components["parameters"]["cursor"];
                limit?: components["parameters"]["limit"];
                resource?: components["schemas"]["ResourceName"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["MirrorPage"];
            default: components["responses"]["Error"];
        };
    };
    restore: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description tenantsync's id of the row (a number; others are 404) */
                id: components["parameters"]["id"];
                resource: components["schemas"]["ResourceName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Restored. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        item: components["schemas"]["MirrorItem"];
                        /** @constant */
                        restored: true;
                    };
                };
            };
            default: components["responses"]["Error"];
        };
    };
    listAudit: {
        parameters: {
            query?: {
                action?: string;
                /** @description a user id */
                actor?: number;
                /** @description the `next` of the previous page */
                cursor?: string;
                /** @description ISO-8601 time, inclusive */
                from?: components["parameters"]["from"];
                limit?: components["parameters"]["limit"];
                /** @description ISO-8601 time, exclusive */
                to?: components["parameters"]["to"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Audit entries, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPage"];
                };
            };
            400: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    email: string;
                    password: string;
                };
            };
        };
        responses: {
            200: components["responses"]["Auth"];
            401: components["responses"]["Error"];
            422: components["responses"]["Error"];
            429: components["responses"]["Error"];
            503: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The token no longer works. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            default: components["responses"]["Error"];
        };
    };
    logoutAll: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every token of the user revoked. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        revoked: number;
                    };
                };
            };
            default: components["responses"]["Error"];
        };
    };
    me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user and the tenant. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Me"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    signup: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    email: string;
                    password: string;
                    tenant_name: string;
                };
            };
        };
        responses: {
            201: components["responses"]["Auth"];
            400: components["responses"]["Error"];
            403: components["responses"]["Error"];
            409: components["responses"]["Error"];
            422: components["responses"]["Error"];
            429: components["responses"]["Error"];
            503: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    switchTenant: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    tenant_id: components["schemas"]["Id"];
                };
            };
        };
        responses: {
            200: components["responses"]["Auth"];
            404: components["responses"]["Error"];
            422: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    myTenants: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The memberships, by tenant id. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Membership"][];
                    };
                };
            };
            default: components["responses"]["Error"];
        };
    };
    listCampaigns: {
        parameters: {
            query?: {
                agent_id?: string;
                /** @description the `next` of the previous page */
                cursor?: components["parameters"]["cursor"];
                /** @description ISO-8601 time, inclusive */
                from?: components["parameters"]["from"];
                limit?: components["parameters"]["limit"];
                status?: string;
                /** @description ISO-8601 time, exclusive */
                to?: components["parameters"]["to"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["MirrorPage"];
            default: components["responses"]["Error"];
        };
    };
    getCampaign: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description tenantsync's id of the row (a number; others are 404) */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The campaign, its progress, call statistics and recent calls. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        call_stats: components["schemas"]["CallStats"];
                        progress: components["schemas"]["CampaignProgress"];
                        recent_calls: components["schemas"]["Call"][];
                    } & components["schemas"]["MirrorItem"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    listChanges: {
        parameters: {
            query?: {
                /** @description the `next_cursor` of the previous page (absent or 0: from the oldest kept) */
                cursor?: string;
                limit?: number;
                /** @description comma-separated types or kinds (lead.created,execution.*; * or absent: all) */
                types?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tenant's changes after the cursor, in order of seq. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChangePage"];
                };
            };
            400: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    crmConnect: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    access_token?: string;
                    instance_url?: string;
                    nango_connection_id?: string;
                    provider: components["schemas"]["CrmProvider"];
                    provider_config_key?: string;
                    refresh_token?: string;
                };
            };
        };
        responses: {
            /** @description Connected; the first sync runs. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        connection: components["schemas"]["CrmConnection"];
                        run_id: components["schemas"]["IdOrNull"];
                    };
                };
            };
            default: components["responses"]["Error"];
        };
    };
    crmConnectSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    provider: components["schemas"]["CrmProvider"];
                    provider_config_key?: string;
                };
            };
        };
        responses: {
            /** @description A Nango connect session. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        api_url: string;
                        connect_url: string;
                        expires_at?: string | null;
                        provider_config_key: string;
                        token: string;
                    };
                };
            };
            default: components["responses"]["Error"];
        };
    };
    crmDisconnect: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description tenantsync's id of the row (a number; others are 404) */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Disconnected; its leads stay. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            default: components["responses"]["Error"];
        };
    };
    crmStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tenant's CRM connections. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        connections: components["schemas"]["CrmConnection"][];
                    };
                };
            };
            default: components["responses"]["Error"];
        };
    };
    crmSync: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One result per active connection. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CrmSyncAnswer"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    cronSyncCrm: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every active connection of every tenant synced. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        connections: number;
                        failed: number;
                        results: Record<string, never>[];
                        success: boolean;
                    };
                };
            };
            default: components["responses"]["Error"];
        };
    };
    events: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Server-sent events of the tenant. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            default: components["responses"]["Error"];
        };
    };
    listCalls: {
        parameters: {
            query?: {
                /** @description upstream agent id */
                agent_id?: string;
                /** @description upstream campaign (batch) id */
                batch_id?: string;
                /** @description the `next` of the previous page */
                cursor?: components["parameters"]["cursor"];
                /** @description ISO-8601 time, inclusive */
                from?: components["parameters"]["from"];
                limit?: components["parameters"]["limit"];
                /** @description id, agent or batch id, or a number in any format */
                q?: string;
                status?: string;
                /** @description ISO-8601 time, exclusive */
                to?: components["parameters"]["to"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["CallPage"];
            400: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    getCall: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description tenantsync's id of the row (a number; others are 404) */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The call and its detail (fetched on first open, cached after), or why it could not be fetched. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenedCall"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    exportCalls: {
        parameters: {
            query?: {
                /** @description upstream agent id */
                agent_id?: string;
                /** @description upstream campaign (batch) id */
                batch_id?: string;
                /** @description csv (default) or JSON Lines */
                format?: "csv" | "jsonl";
                /** @description ISO-8601 time, inclusive */
                from?: components["parameters"]["from"];
                /** @description id, agent or batch id, or a number in any format */
                q?: string;
                status?: string;
                /** @description ISO-8601 time, exclusive */
                to?: components["parameters"]["to"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every call matching the filters, streamed (chunked), with Content-Disposition: attachment. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/x-ndjson": string;
                    "text/csv": string;
                };
            };
            400: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    listLeads: {
        parameters: {
            query?: {
                archived?: "true" | "false";
                connection_id?: number;
                /** @description the `next` of the previous page */
                cursor?: components["parameters"]["cursor"];
                limit?: components["parameters"]["limit"];
                order?: "desc" | "asc";
                owner?: string;
                /** @description name, e-mail or phone (any format) */
                q?: string;
                sort?: "created_at" | "updated_at" | "last_activity_at";
                source?: "crm" | "manual";
                stage?: string;
                status?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of leads. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LeadPage"];
                };
            };
            400: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    createLead: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    email?: string;
                    name?: string;
                    phone?: string;
                };
            };
        };
        responses: {
            /** @description The lead. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Lead"];
                };
            };
            /** @description A lead with the same phone or e-mail exists (lead_exists, with the lead). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        lead?: components["schemas"]["Lead"];
                    } & components["schemas"]["Error"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    getLead: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description tenantsync's id of the row (a number; others are 404) */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The lead and its lineage. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LeadDetail"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    leadCalls: {
        parameters: {
            query?: {
                /** @description the `next` of the previous page */
                cursor?: components["parameters"]["cursor"];
                limit?: components["parameters"]["limit"];
            };
            header?: never;
            path: {
                /** @description tenantsync's id of the row (a number; others are 404) */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["CallPage"];
            default: components["responses"]["Error"];
        };
    };
    exportLeads: {
        parameters: {
            query?: {
                archived?: "true" | "false";
                connection_id?: number;
                /** @description csv (default) or JSON Lines */
                format?: "csv" | "jsonl";
                order?: "desc" | "asc";
                owner?: string;
                /** @description name, e-mail or phone (any format) */
                q?: string;
                sort?: "created_at" | "updated_at" | "last_activity_at";
                source?: "crm" | "manual";
                stage?: string;
                status?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every lead matching the filters, streamed (chunked), with Content-Disposition: attachment. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/x-ndjson": string;
                    "text/csv": string;
                };
            };
            400: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    openapi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description This document. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
        };
    };
    listPhoneNumbers: {
        parameters: {
            query?: {
                agent_id?: string;
                /** @description the `next` of the previous page */
                cursor?: components["parameters"]["cursor"];
                /** @description ISO-8601 time, inclusive */
                from?: components["parameters"]["from"];
                limit?: components["parameters"]["limit"];
                status?: string;
                /** @description ISO-8601 time, exclusive */
                to?: components["parameters"]["to"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["MirrorPage"];
            default: components["responses"]["Error"];
        };
    };
    statsAgents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Calls, average duration and cost per agent. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        agents: components["schemas"]["AgentStats"][];
                    };
                };
            };
            default: components["responses"]["Error"];
        };
    };
    statsCalls: {
        parameters: {
            query?: {
                /** @description ISO-8601 time, inclusive */
                from?: components["parameters"]["from"];
                /** @description ISO-8601 time, exclusive */
                to?: components["parameters"]["to"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Calls per UTC day by status. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DaysByStatus"];
                };
            };
            400: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    statsLeads: {
        parameters: {
            query?: {
                /** @description ISO-8601 time, inclusive */
                from?: components["parameters"]["from"];
                /** @description ISO-8601 time, exclusive */
                to?: components["parameters"]["to"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Leads created per UTC day by source. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DaysBySource"];
                };
            };
            400: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    listRuns: {
        parameters: {
            query?: {
                /** @description the `next` of the previous page */
                cursor?: components["parameters"]["cursor"];
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Runs, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunPage"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    getRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description tenantsync's id of the row (a number; others are 404) */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The run with its plan. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Run"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    cancelRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description tenantsync's id of the row (a number; others are 404) */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cancelled run. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Run"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    confirmRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description tenantsync's id of the row (a number; others are 404) */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    plan_id?: string;
                };
            };
        };
        responses: {
            200: components["responses"]["SyncAnswer"];
            202: components["responses"]["SyncAnswer"];
            default: components["responses"]["SyncAnswerOrError"];
        };
    };
    listInvitations: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Pending invitations, newest first, without tokens. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Invitation"][];
                    };
                };
            };
            default: components["responses"]["Error"];
        };
    };
    invite: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    email: string;
                    role: components["schemas"]["Role"];
                };
            };
        };
        responses: {
            /** @description The invitation with its one-time token (in this answer only). */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IssuedInvitation"];
                };
            };
            403: components["responses"]["Error"];
            409: components["responses"]["Error"];
            422: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    revokeInvitation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description tenantsync's id of the row (a number; others are 404) */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    previewInvitation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the invitation's one-time token */
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The pending invitation. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvitationPreview"];
                };
            };
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    acceptInvitation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the invitation's one-time token */
                token: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    password?: string;
                };
            };
        };
        responses: {
            201: components["responses"]["Auth"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
            422: components["responses"]["Error"];
            503: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    listMembers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tenant's members, oldest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Member"][];
                    };
                };
            };
            default: components["responses"]["Error"];
        };
    };
    removeMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description tenantsync's id of the row (a number; others are 404) */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed; every token of the member stops working. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    changeMemberRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description tenantsync's id of the row (a number; others are 404) */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    role: components["schemas"]["Role"];
                };
            };
        };
        responses: {
            /** @description The member with the new role. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Member"];
                };
            };
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
            422: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    deleteTenant: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    password: string;
                };
            };
        };
        responses: {
            /** @description The tenant and every row of it erased. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            403: components["responses"]["Error"];
            422: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    setAgentsCallWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    enabled: boolean;
                    /** @default false */
                    replace_others?: boolean;
                };
            };
        };
        responses: {
            /** @description What happened to each agent. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentWebhookReport"];
                };
            };
            422: components["responses"]["Error"];
            502: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    rotateHookToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new call-webhook URL; the old one answers 404 from now on. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        call_webhook_url: string;
                    };
                };
            };
            default: components["responses"]["Error"];
        };
    };
    getSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tenant's settings and its call-webhook URL. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description the tenant's Bolna call-webhook URL (POST /hooks/bolna/{token}) */
                        call_webhook_url: string;
                    } & components["schemas"]["Settings"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    putSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    default_region?: string;
                    voice_api_key?: string;
                    voice_base_url?: string;
                };
            };
        };
        responses: {
            200: components["responses"]["Settings"];
            default: components["responses"]["Error"];
        };
    };
    summary: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Counts and the last sync. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Summary"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    syncNow: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["SyncRequest"];
            };
        };
        responses: {
            200: components["responses"]["SyncAnswer"];
            202: components["responses"]["SyncAnswer"];
            default: components["responses"]["SyncAnswerOrError"];
        };
    };
    listWebhooks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tenant's webhooks, without secrets. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Webhook"][];
                    };
                };
            };
            default: components["responses"]["Error"];
        };
    };
    createWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description default ["*"] */
                    events?: components["schemas"]["WebhookEvents"];
                    url: string;
                };
            };
        };
        responses: {
            /** @description The webhook with its secret (in this answer only). */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookWithSecret"];
                };
            };
            422: components["responses"]["Error"];
            429: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    getWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the webhook's id (a number; others are 404) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The webhook, without its secret. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    deleteWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the webhook's id (a number; others are 404) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted, with its delivery log. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        deleted: true;
                    };
                };
            };
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    updateWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the webhook's id (a number; others are 404) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    active?: boolean;
                    events?: components["schemas"]["WebhookEvents"];
                    url?: string;
                };
            };
        };
        responses: {
            /** @description The changed webhook. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            404: components["responses"]["Error"];
            422: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                /** @description the `next_before` of the previous page */
                before?: number;
                limit?: number;
            };
            header?: never;
            path: {
                /** @description the webhook's id (a number; others are 404) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The webhook's deliveries, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["WebhookDelivery"][];
                        /** @description null on the last page */
                        next_before: string | null;
                    };
                };
            };
            400: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    redeliverWebhookDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the delivery's id (a number; others are 404) */
                delivery: string;
                /** @description the webhook's id (a number; others are 404) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The delivery, pending and due now. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDelivery"];
                };
            };
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    rotateWebhookSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the webhook's id (a number; others are 404) */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The webhook with its new secret (in this answer only). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookWithSecret"];
                };
            };
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process serves. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "ok";
                    };
                };
            };
        };
    };
    bolnaHook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the tenant's hook token (ts_ + 43 base64url characters), the credential */
                token: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    agent_id: string;
                    id: string;
                };
            };
        };
        responses: {
            /** @description The execution written into the call log (or found equal or older). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        execution_id: string;
                        /** @enum {unknown} */
                        outcome: "created" | "updated" | "unchanged" | "stale";
                    };
                };
            };
            400: components["responses"]["Error"];
            404: components["responses"]["Error"];
            413: components["responses"]["Error"];
            422: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    hubspotHook: {
        parameters: {
            query?: never;
            header: {
                /** @description ms since the epoch; at most 5 minutes away */
                "X-HubSpot-Request-Timestamp": string;
                /** @description HubSpot's v3 signature, the credential */
                "X-HubSpot-Signature-v3": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    eventId: number;
                    objectId: number;
                    portalId: number;
                    subscriptionType: string;
                }[];
            };
        };
        responses: {
            /** @description The events queued (the answer does not wait for HubSpot reads). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        duplicates: number;
                        ignored: number;
                        over_limit: number;
                        queued: number;
                        unknown_portal: number;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            413: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    metrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text format. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
        };
    };
    ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The database answers. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {unknown} */
                        database: "sqlite" | "postgresql";
                        /** @constant */
                        status: "ready";
                    };
                };
            };
            /** @description The database is unreachable. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: string;
                        message: string;
                        /** @constant */
                        status: "unavailable";
                    };
                };
            };
        };
    };
}
