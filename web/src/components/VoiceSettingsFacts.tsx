// The voice platform's settings as facts, for a role that may read them but not change them: the
// saved key's last four characters stay visible, so a viewer can still tell which key is in use.

import type { TenantSettings } from '../api/types';
import { maskedKey } from '../lib/format';

export function VoiceSettingsFacts({ settings }: { settings: TenantSettings | null }) {
  if (!settings) return null;
  return (
    <>
      <dl className="facts" data-testid="voice-settings-facts">
        <dt>Voice API key</dt>
        <dd>
          {settings.voice_api_key_set
            ? <span className="mono" data-testid="voice-key-masked">{maskedKey(settings.voice_key_last4)}</span>
            : 'No key saved yet'}
        </dd>
        <dt>White-label base URL</dt>
        <dd className={settings.voice_base_url ? 'mono' : undefined}>{settings.voice_base_url || 'Bolna itself'}</dd>
        <dt>Default phone region</dt>
        <dd>{settings.default_region || '—'}</dd>
      </dl>
      <p className="hint">An admin of this tenant can change these.</p>
    </>
  );
}
