// Accepting an invitation (#/accept-invitation/<token>). Signed in, the person joins the inviting
// tenant with the login they have (the server checks it is the invited e-mail); otherwise they
// choose a password and a new login is made. Either way they land on the inviting tenant's
// dashboard.

import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { InvitationPreview } from '../api/contract';
import { errorText, Notice, Spinner } from '../components/common';
import { href } from '../lib/route';
import { useSession } from '../state/session';

/// What a failed accept means for the person, in words they can act on.
export function acceptErrorText(e: unknown): string {
  if (!(e instanceof ApiError)) return errorText(e);
  if (e.code === 'email_taken') {
    return 'An account with this e-mail already exists. Log in with it, then open this link again to join with that login.';
  }
  if (e.code === 'already_member') {
    return 'You are already a member of this tenant: open it with the tenant switcher at the top of the dashboard.';
  }
  if (e.status === 401) {
    return 'Your sign-in has ended. Log in again and open this link again to join with that login, '
      + 'or choose a password below if you have no account yet.';
  }
  if (e.status === 404) return 'This invitation link is unknown, already used or expired: ask for a new one.';
  // invitation_email_mismatch among others: the server says whom to sign in as.
  return `Could not join: ${e.message}`;
}

function isCode(e: unknown, code: string): boolean {
  return e instanceof ApiError && e.code === code;
}

export function AcceptInvitationPage({ token }: { token: string }) {
  const session = useSession();
  const signedIn = !!session.token;
  const [password, setPassword] = useState('');
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // Where the link leads, read before the click; a link that is unknown, used or expired says so
  // at once instead of after a password is chosen.
  const [preview, setPreview] = useState<InvitationPreview | null>(null);
  useEffect(() => {
    let current = true;
    session.api
      .get<InvitationPreview>(`/api/team/invitations/${encodeURIComponent(token)}/accept`)
      .then((p) => { if (current) setPreview(p); })
      .catch((err: unknown) => { if (current) setFailure(err); });
    return () => { current = false; };
  }, [session.api, token]);

  async function run(accept: () => Promise<void>) {
    setBusy(true);
    setFailure(null);
    try {
      await accept();
      window.location.hash = href('dashboard');
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    void run(() => session.acceptInvitation(token, password));
  }

  const email = session.email;
  return (
    <main className="auth" id="main">
      <div className="card auth-card">
        <h1>{preview ? `Join ${preview.tenant_name}` : 'Join the team'}</h1>
        {preview ? (
          <p data-testid="accept-preview">
            Invitation for <strong>{preview.email}</strong> as <strong>{preview.role}</strong>.
          </p>
        ) : null}
        {preview && signedIn && email && email !== preview.email ? (
          <Notice tone="warning" testId="accept-other-email">
            You are signed in as {email}, but this invitation is for {preview.email}: log out and accept
            with that address, or ask for an invitation to yours.
          </Notice>
        ) : null}
        {signedIn ? (
          <section aria-label="Join with your login">
            <p>
              {email ? <>You are signed in as <strong data-testid="accept-signed-in-as">{email}</strong>. </> : 'You are signed in. '}
              Join with this login: you keep the tenants you are in and can switch between them.
            </p>
            <div className="actions">
              <button type="button" className="primary" disabled={busy} data-testid="accept-join"
                      onClick={() => void run(() => session.joinWithCurrentLogin(token))}>
                {busy ? <Spinner /> : null} {email ? `Join as ${email}` : 'Join with this login'}
              </button>
              <button type="button" className="link" disabled={busy} data-testid="accept-log-out"
                      onClick={() => void session.logout()}>
                Not you? Log out to accept with another e-mail
              </button>
            </div>
          </section>
        ) : (
          <form onSubmit={submit} aria-label="Accept the invitation">
            <label>Choose a password (at least 8 characters){' '}
              <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} minLength={8}
                     required autoComplete="new-password" data-testid="accept-password" />
            </label>
            <button type="submit" disabled={busy} data-testid="accept-submit">Accept the invitation</button>
          </form>
        )}
        {failure ? (
          <Notice tone="error" testId="accept-error">
            {acceptErrorText(failure)}
            {isCode(failure, 'email_taken') ? <> <a href={href('dashboard')} data-testid="accept-log-in">Log in</a></> : null}
          </Notice>
        ) : null}
      </div>
    </main>
  );
}
