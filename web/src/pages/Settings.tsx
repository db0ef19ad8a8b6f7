// Settings: the voice API key (masked once saved), the white-label base URL, the default phone
// region, the call-webhook URL (which admins can set on every agent at once), and the Billing &
// Plan card. Below admin the voice settings are facts, not a form.

import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { TenantSettings } from '../api/types';
import { AgentsCallWebhook } from '../components/AgentsCallWebhook';
import { BillingCard } from '../components/BillingCard';
import { errorText, Notice, Spinner } from '../components/common';
import { VoiceSettingsFacts } from '../components/VoiceSettingsFacts';
import { maskedKey } from '../lib/format';
import { useCanCall } from '../state/role';
import { useSession } from '../state/session';
import { useSummary } from '../state/summary';

// The tenant's call-webhook URL: Bolna POSTs each call's status changes there when it is set as an
// agent's webhook_url. The token in it is the credential, so it can be rotated. Admins can also have
// tenantsync set it on (or take it off) every agent through the Bolna API instead of by hand.
function CallWebhookCard({ url, voiceKeySet, onRotated }: {
  url?: string;
  /** undefined while the settings load. */
  voiceKeySet?: boolean;
  onRotated: (url: string) => void;
}) {
  const { api } = useSession();
  const canRotate = useCanCall('rotateHookToken');
  const canSetAgents = useCanCall('setAgentsCallWebhook');
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function copy() {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      setNote('Copied.');
    } catch {
      setNote('Select the URL and copy it.');
    }
  }

  async function rotate() {
    if (!window.confirm('Rotate the call-webhook URL? The old URL stops working at once; agents that use it must get the new one.')) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post<{ call_webhook_url: string }>('/api/tenant/hook-token/rotate');
      if (answer) onRotated(answer.call_webhook_url);
      setNote('A new URL was made; the old one no longer works.');
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="call-webhook-title">
      <h2 id="call-webhook-title">Call webhook</h2>
      <p className="hint">
        Set this URL as the <span className="mono">webhook_url</span> of your Bolna agents
        {canSetAgents ? ' (by hand, or with the buttons below)' : ''}: calls then reach tenantsync
        within seconds instead of at the next sync. Keep it secret; {canRotate ? 'rotate it if it leaks' : 'an admin can rotate it if it leaks'}.
      </p>
      <input readOnly className="mono" value={url ?? ''} aria-label="Call webhook URL" data-testid="call-webhook-url" onFocus={(e) => e.target.select()} />
      <div className="actions">
        <button type="button" onClick={copy} disabled={!url} data-testid="call-webhook-copy">Copy</button>
        {canRotate ? (
          <button type="button" onClick={rotate} disabled={!url || busy} data-testid="call-webhook-rotate">
            {busy ? <Spinner /> : null} Rotate
          </button>
        ) : null}
      </div>
      <div aria-live="polite">
        {note ? <Notice tone="success">{note}</Notice> : null}
        {error ? <Notice tone="error">{error}</Notice> : null}
      </div>
      {/* Until the URL is known there is nothing to point the agents at: treated as still loading. */}
      {canSetAgents ? <AgentsCallWebhook voiceKeySet={url ? voiceKeySet : undefined} /> : null}
    </section>
  );
}

export function SettingsPage() {
  const { api } = useSession();
  const { refresh } = useSummary();
  const canChange = useCanCall('putSettings');
  const [settings, setSettings] = useState<TenantSettings | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [key, setKey] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [region, setRegion] = useState('');
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  function adopt(s: TenantSettings) {
    // PUT answers without the call-webhook URL (only GET has it): keep the one already shown, or
    // the card would go blank after every save.
    setSettings((shown) => ({ ...s, call_webhook_url: s.call_webhook_url ?? shown?.call_webhook_url }));
    setBaseUrl(s.voice_base_url ?? '');
    setRegion(s.default_region ?? '');
  }

  useEffect(() => {
    let live = true;
    api.get<TenantSettings>('/api/tenant/settings')
      .then((s) => live && adopt(s))
      .catch((e) => live && setLoadError(errorText(e)));
    return () => {
      live = false;
    };
  }, [api]);

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setSaved(null);
    const body: Record<string, string> = {};
    if (key.trim()) body.voice_api_key = key.trim();
    if (settings && baseUrl.trim() !== (settings.voice_base_url ?? '')) body.voice_base_url = baseUrl.trim();
    const r = region.trim().toUpperCase();
    if (settings && r !== (settings.default_region ?? '')) {
      if (!/^[A-Z]{2}$/.test(r)) {
        setError('The default phone region must be a two-letter country code, such as US or GB.');
        return;
      }
      body.default_region = r;
    }
    if (!Object.keys(body).length) {
      setSaved('Nothing to save: no field was changed.');
      return;
    }
    setSaving(true);
    try {
      const s = await api.put<TenantSettings>('/api/tenant/settings', body);
      adopt(s);
      setKey('');
      setSaved(!s.sync ? 'Settings saved.'
        : s.sync.state === 'succeeded' ? 'Settings saved, and your voice account is synced.'
          : 'Settings saved. The new key started a sync; its progress shows in Billing & Plan.');
      void refresh();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'key_rejected') {
        setError(`The voice platform rejected this key: ${err.message}`);
      } else {
        setError(`Could not save the settings: ${errorText(err)}`);
      }
    } finally {
      setSaving(false);
    }
  }

  return (
    <div className="page">
      <h1>Settings</h1>
      <div className="grid">
        <section className="card" aria-labelledby="voice-title">
          <h2 id="voice-title">Voice platform</h2>
          {loadError ? <Notice tone="error">Could not load the settings: {loadError}</Notice> : null}
          {canChange ? (
            <form onSubmit={save} noValidate>
              <div className="field">
                <label htmlFor="voice-key">Voice API key</label>
                {settings?.voice_api_key_set ? (
                  <p className="hint" id="voice-key-hint">
                    Saved key: <span className="mono" data-testid="voice-key-masked">{maskedKey(settings.voice_key_last4)}</span>.
                    Enter a new key to replace it.
                  </p>
                ) : (
                  <p className="hint" id="voice-key-hint">No key saved yet. Paste the API key of your Bolna account.</p>
                )}
                <input
                  id="voice-key"
                  name="voice_api_key"
                  type="password"
                  autoComplete="off"
                  spellCheck={false}
                  value={key}
                  onChange={(e) => setKey(e.target.value)}
                  aria-describedby="voice-key-hint"
                  placeholder={settings?.voice_api_key_set ? 'New key' : 'bn-…'}
                />
              </div>
              <div className="field">
                <label htmlFor="voice-base-url">White-label base URL</label>
                <p className="hint" id="voice-base-url-hint">Leave empty to use Bolna itself.</p>
                <input
                  id="voice-base-url"
                  name="voice_base_url"
                  type="url"
                  inputMode="url"
                  value={baseUrl}
                  onChange={(e) => setBaseUrl(e.target.value)}
                  aria-describedby="voice-base-url-hint"
                  placeholder="https://api.example.com"
                />
              </div>
              <div className="field">
                <label htmlFor="default-region">Default phone region</label>
                <p className="hint" id="default-region-hint">Two-letter country code used for numbers without a + prefix.</p>
                <input
                  id="default-region"
                  name="default_region"
                  value={region}
                  maxLength={2}
                  autoCapitalize="characters"
                  onChange={(e) => setRegion(e.target.value.toUpperCase())}
                  aria-describedby="default-region-hint"
                  className="short"
                />
              </div>
              <div className="actions">
                <button type="submit" className="primary" disabled={saving || !settings} data-testid="settings-save">
                  {saving ? <Spinner /> : null} Save
                </button>
              </div>
              <div aria-live="polite">
                {saved ? <Notice tone="success" testId="settings-saved">{saved}</Notice> : null}
                {error ? <Notice tone="error" testId="settings-error">{error}</Notice> : null}
              </div>
            </form>
          ) : <VoiceSettingsFacts settings={settings} />}
        </section>
        <CallWebhookCard
          url={settings?.call_webhook_url}
          voiceKeySet={settings?.voice_api_key_set}
          onRotated={(url) => settings && setSettings({ ...settings, call_webhook_url: url })}
        />
        <BillingCard />
      </div>
    </div>
  );
}
