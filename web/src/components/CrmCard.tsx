// Connect CRM (HubSpot or Salesforce, through Nango's Connect UI or by token; admins), the
// connections with their state, last and next sync, and Refresh CRM (members) with progress and
// results.

import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import type {
  CrmConnection, CrmConnectRequest, CrmConnectSession, CrmProvider, CrmSyncResult, RunFinishedEvent,
} from '../api/types';
import { describeCrmTotals, describeProgress, errorMessage, formatRelative } from '../lib/format';
import { openConnectUi } from '../lib/nango';
import { useLive, useLiveEvent } from '../state/live';
import { useCanCall } from '../state/role';
import { useSession } from '../state/session';
import { EmptyState, errorText, Notice, Spinner, useNow } from './common';

const kProviderNames: Record<CrmProvider, string> = { hubspot: 'HubSpot', salesforce: 'Salesforce' };

const kStateLabels: Record<CrmConnection['state'], string> = {
  connected: 'Connected',
  syncing: 'Syncing',
  needs_reauth: 'Needs reconnecting',
  error: 'Error',
  rate_limited: 'Rate-limited',
};

function providerName(p: string): string {
  return kProviderNames[p as CrmProvider] ?? p;
}

interface Props {
  /// Called when a connect or a refresh may have brought new leads.
  onLeadsMayHaveChanged(): void;
}

export function CrmCard({ onLeadsMayHaveChanged }: Props) {
  const { api } = useSession();
  const live = useLive();
  const now = useNow();
  const canConnect = useCanCall('crmConnect');
  const canRefresh = useCanCall('crmSync');
  const [connections, setConnections] = useState<CrmConnection[] | null>(null);
  const [statusError, setStatusError] = useState<string | null>(null);
  const [showForm, setShowForm] = useState(false);
  const [refreshing, setRefreshing] = useState(false);
  const [result, setResult] = useState<{ text: string; errors: string[] } | null>(null);
  const [refreshError, setRefreshError] = useState<string | null>(null);
  const [connected, setConnected] = useState<string | null>(null);

  const loadStatus = useCallback(async () => {
    try {
      const r = await api.get<{ connections: CrmConnection[] }>('/api/crm/status');
      setConnections(r.connections ?? []);
      setStatusError(null);
    } catch (e) {
      setStatusError(errorText(e));
    }
  }, [api]);

  useEffect(() => {
    void loadStatus();
  }, [loadStatus]);

  useLiveEvent<{ target: string }>('run.started', (d) => {
    if (d.target?.startsWith('crm')) void loadStatus();
  });
  useLiveEvent<RunFinishedEvent>('run.finished', (d) => {
    if (!d.target?.startsWith('crm')) return;
    setConnected((c) => (c && c.endsWith('Importing contacts…')
      ? c.replace('Importing contacts…', d.state === 'succeeded' ? 'Contacts imported.' : 'The first import did not finish; see the connection below.')
      : c));
    void loadStatus();
    onLeadsMayHaveChanged();
  });

  async function refreshCrm() {
    setRefreshing(true);
    setResult(null);
    setRefreshError(null);
    try {
      const r = await api.post<{ success: boolean; results: CrmSyncResult[] }>('/api/crm/sync');
      const results = r.results ?? [];
      const errors = results
        .filter((x) => x.error)
        .map((x) => `${providerName(x.provider)}: ${errorMessage(x.error)}`);
      setResult({ text: describeCrmTotals(results), errors });
    } catch (e) {
      setRefreshError(`Refresh failed: ${errorText(e)}`);
    } finally {
      setRefreshing(false);
      void loadStatus();
      onLeadsMayHaveChanged();
    }
  }

  const hasConnections = !!connections && connections.length > 0;
  return (
    <section className="card" aria-labelledby="crm-title" data-testid="crm-card">
      <div className="card-head">
        <h2 id="crm-title">CRM</h2>
        <div className="actions">
          {canConnect ? (
            <button type="button" onClick={() => setShowForm((v) => !v)} aria-expanded={showForm}
                    aria-controls="crm-connect-form" data-testid="crm-connect-toggle">
              Connect CRM
            </button>
          ) : null}
          {canRefresh ? (
            <button type="button" className="primary" onClick={refreshCrm}
                    disabled={refreshing || !hasConnections} data-testid="crm-refresh">
              {refreshing ? <Spinner /> : null} Refresh CRM
            </button>
          ) : null}
        </div>
      </div>
      {showForm && canConnect ? (
        <ConnectForm
          onConnected={(provider) => {
            setShowForm(false);
            setConnected(`${providerName(provider)} connected. Importing contacts…`);
            void loadStatus();
            onLeadsMayHaveChanged();
            // Without the live stream nothing announces the first import; look once more.
            if (live.status !== 'open') setTimeout(onLeadsMayHaveChanged, 2000);
          }}
        />
      ) : null}
      <div aria-live="polite">
        {connected ? <Notice tone="success" testId="crm-connected">{connected}</Notice> : null}
        {refreshing ? (
          <p className="muted" data-testid="crm-progress">
            <Spinner /> Refreshing CRM contacts: {describeProgress(live.crmProgress?.phase === 'start' ? null : live.crmProgress)}
          </p>
        ) : null}
        {result ? (
          <Notice tone={result.errors.length ? 'warning' : 'success'} testId="crm-result">
            <strong>CRM refreshed: {result.text}</strong>
            {result.errors.map((e) => <span key={e} className="block">{e}</span>)}
          </Notice>
        ) : null}
        {refreshError ? <Notice tone="error" testId="crm-result">{refreshError}</Notice> : null}
      </div>
      {statusError ? <Notice tone="error">Could not load the CRM connections: {statusError}</Notice> : null}
      {connections && !connections.length ? (
        <EmptyState title="No CRM connected">
          {canConnect ? 'Connect' : 'An admin of this tenant can connect'} HubSpot or Salesforce to bring its contacts in as leads.
        </EmptyState>
      ) : null}
      {hasConnections ? (
        <ul className="connections">
          {connections.map((c) => (
            <li key={String(c.id)} data-testid="crm-connection" data-state={c.state}>
              <div>
                <strong>{providerName(c.provider)}</strong>{' '}
                <span className="muted">{c.account_id}</span>
              </div>
              <div>
                <span className={`badge badge-${c.state}`}>{kStateLabels[c.state] ?? c.state}</span>
                {c.state_message ? <span className="muted"> {c.state_message}</span> : null}
              </div>
              <div className="muted small">
                Last sync {formatRelative(c.last_sync?.at, now)}
                {c.last_sync && !c.last_sync.error
                  ? ` (${c.last_sync.created} created, ${c.last_sync.updated} updated, ${c.last_sync.unchanged} unchanged)`
                  : null}
                {c.last_sync?.error ? <span className="error-text"> failed: {c.last_sync.error}</span> : null}
                {c.next_sync_at ? ` · next sync ${formatRelative(c.next_sync_at, now)}` : null}
                {c.rate_limited_until ? ` · rate-limited until ${new Date(c.rate_limited_until).toLocaleTimeString()}` : null}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function ConnectForm({ onConnected }: { onConnected(provider: CrmProvider): void }) {
  const { api } = useSession();
  const [provider, setProvider] = useState<CrmProvider>('hubspot');
  const [method, setMethod] = useState<'nango' | 'token'>('nango');
  const [accessToken, setAccessToken] = useState('');
  const [refreshToken, setRefreshToken] = useState('');
  const [instanceUrl, setInstanceUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function connect(body: CrmConnectRequest) {
    try {
      await api.post('/api/crm/connect', body);
      onConnected(body.provider);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'credentials_rejected') {
        setError(`${providerName(body.provider)} rejected these credentials: ${err.message}`);
      } else {
        setError(`Could not connect: ${errorText(err)}`);
      }
    }
  }

  // Nango's Connect UI, for a connect session the server created for this tenant; the connection
  // it makes is then connected here (the server checks that Nango bound it to this tenant).
  async function connectWithNango() {
    setBusy(true);
    let session: CrmConnectSession;
    try {
      session = await api.post<CrmConnectSession>('/api/crm/connect-session', { provider });
    } catch (err) {
      setError(`Could not start Nango: ${errorText(err)}`);
      setBusy(false);
      return;
    }
    let connecting = false;
    openConnectUi(session, {
      onConnected: (connection) => {
        connecting = true;
        void connect({
          provider,
          nango_connection_id: connection.connectionId,
          provider_config_key: connection.providerConfigKey,
        }).finally(() => setBusy(false));
      },
      onClosed: () => {
        if (!connecting) setBusy(false);
      },
      onError: (message) => setError(`Nango could not connect ${providerName(provider)}: ${message}`),
    });
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (method === 'nango') return connectWithNango();
    const body: CrmConnectRequest = { provider };
    if (!accessToken.trim() && !refreshToken.trim()) {
      return setError('Enter an access token or a refresh token.');
    }
    if (accessToken.trim()) body.access_token = accessToken.trim();
    if (refreshToken.trim()) body.refresh_token = refreshToken.trim();
    if (provider === 'salesforce') {
      if (!instanceUrl.trim()) {
        return setError('Enter the Salesforce instance URL, such as https://yourorg.my.salesforce.com.');
      }
      body.instance_url = instanceUrl.trim();
    }
    setBusy(true);
    try {
      await connect(body);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form id="crm-connect-form" className="subform" onSubmit={submit} noValidate aria-label="Connect a CRM">
      <div className="row">
        <div className="field">
          <label htmlFor="crm-provider">Provider</label>
          <select id="crm-provider" value={provider} onChange={(e) => setProvider(e.target.value as CrmProvider)}>
            <option value="hubspot">HubSpot</option>
            <option value="salesforce">Salesforce</option>
          </select>
        </div>
        <fieldset className="field">
          <legend>Connect with</legend>
          <label className="inline">
            <input type="radio" name="crm-method" value="nango" checked={method === 'nango'}
                   onChange={() => setMethod('nango')} /> Nango (sign in to the CRM)
          </label>
          <label className="inline">
            <input type="radio" name="crm-method" value="token" checked={method === 'token'}
                   onChange={() => setMethod('token')} /> Token
          </label>
        </fieldset>
      </div>
      {method === 'token' ? (
        <div className="row">
          <div className="field">
            <label htmlFor="crm-access-token">Access token</label>
            <input id="crm-access-token" type="password" value={accessToken} autoComplete="off"
                   onChange={(e) => setAccessToken(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="crm-refresh-token">Refresh token (optional)</label>
            <input id="crm-refresh-token" type="password" value={refreshToken} autoComplete="off"
                   onChange={(e) => setRefreshToken(e.target.value)} />
          </div>
        </div>
      ) : null}
      {provider === 'salesforce' && method === 'token' ? (
        <div className="field">
          <label htmlFor="crm-instance-url">Salesforce instance URL</label>
          <input id="crm-instance-url" type="url" value={instanceUrl} placeholder="https://yourorg.my.salesforce.com"
                 onChange={(e) => setInstanceUrl(e.target.value)} />
        </div>
      ) : null}
      {error ? <Notice tone="error" testId="crm-connect-error">{error}</Notice> : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy} data-testid="crm-connect-submit">
          {busy ? <Spinner /> : null} {method === 'nango' ? 'Connect with Nango' : 'Connect'}
        </button>
      </div>
    </form>
  );
}
