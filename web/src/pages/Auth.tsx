// Sign up and log in.

import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { errorText, Notice, Spinner } from '../components/common';
import { useSession } from '../state/session';

export function AuthPage() {
  const session = useSession();
  const [mode, setMode] = useState<'login' | 'signup'>('login');
  const [tenantName, setTenantName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (mode === 'signup' && !tenantName.trim()) return setError('Enter a name for your workspace.');
    if (!email.trim() || !password) return setError('Enter your e-mail address and password.');
    setBusy(true);
    try {
      if (mode === 'signup') await session.signup(tenantName.trim(), email.trim(), password);
      else await session.login(email.trim(), password);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'too_many_attempts' && err.retryAfterSeconds) {
        setError(`${err.message} Try again in ${err.retryAfterSeconds} seconds.`);
      } else {
        setError(errorText(err));
      }
    } finally {
      setBusy(false);
    }
  }

  const signup = mode === 'signup';
  return (
    <main className="auth" id="main">
      <div className="card auth-card">
        <p className="brand">tenantsync</p>
        <h1>{signup ? 'Create your workspace' : 'Log in'}</h1>
        {session.endedReason && !signup ? <Notice tone="warning">{session.endedReason}</Notice> : null}
        <form onSubmit={submit} noValidate>
          {signup ? (
            <div className="field">
              <label htmlFor="tenant-name">Workspace name</label>
              <input id="tenant-name" value={tenantName} onChange={(e) => setTenantName(e.target.value)}
                     autoComplete="organization" />
            </div>
          ) : null}
          <div className="field">
            <label htmlFor="email">E-mail</label>
            <input id="email" type="email" value={email} onChange={(e) => setEmail(e.target.value)}
                   autoComplete="email" />
          </div>
          <div className="field">
            <label htmlFor="password">Password</label>
            <input id="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)}
                   autoComplete={signup ? 'new-password' : 'current-password'} />
          </div>
          <div aria-live="polite">{error ? <Notice tone="error" testId="auth-error">{error}</Notice> : null}</div>
          <button type="submit" className="primary full" disabled={busy} data-testid="auth-submit">
            {busy ? <Spinner /> : null} {signup ? 'Sign up' : 'Log in'}
          </button>
        </form>
        <p className="switch">
          {signup ? 'Already have an account?' : 'New to tenantsync?'}{' '}
          <button type="button" className="link" onClick={() => { setMode(signup ? 'login' : 'signup'); setError(null); }}
                  data-testid="auth-switch">
            {signup ? 'Log in' : 'Sign up'}
          </button>
        </p>
      </div>
    </main>
  );
}
