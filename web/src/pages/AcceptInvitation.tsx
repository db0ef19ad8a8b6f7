// Accepting an invitation (#/accept-invitation/<token>): the invited person chooses a password;
// the account is created in the inviting tenant and signed in.

import { useState, type FormEvent } from 'react';
import { errorText, Notice } from '../components/common';
import { useSession } from '../state/session';

export function AcceptInvitationPage({ token }: { token: string }) {
  const { acceptInvitation } = useSession();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await acceptInvitation(token, password);
      window.location.hash = '#/dashboard';
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="auth" id="main">
      <h1>Join the team</h1>
      <form onSubmit={submit} aria-label="Accept the invitation">
        <label>Choose a password (at least 8 characters){' '}
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} minLength={8}
                 required autoComplete="new-password" data-testid="accept-password" />
        </label>
        <button type="submit" disabled={busy} data-testid="accept-submit">Accept the invitation</button>
      </form>
      {error ? <Notice tone="error" testId="accept-error">{error}</Notice> : null}
    </main>
  );
}
