// Team: the members and their roles, pending invitations, and inviting someone by e-mail. An
// invitation is a one-time link shown once, here, to copy and pass on (no mail is sent). Owners
// also find here the deletion of the whole tenant.

import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { Invitation, Member, Role } from '../api/types';
import { EmptyState, errorText, Notice, Spinner } from '../components/common';
import { roleAtLeast, useRole } from '../state/role';
import { useSession } from '../state/session';

const kRoles: Role[] = ['viewer', 'member', 'admin', 'owner'];

export function TeamPage() {
  const { api } = useSession();
  // Known roles only: the team's controls wait for GET /api/auth/me.
  const role = useRole();
  const canManage = roleAtLeast(role, 'admin');
  const isOwner = roleAtLeast(role, 'owner');
  const [members, setMembers] = useState<Member[] | null>(null);
  const [invitations, setInvitations] = useState<Invitation[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [link, setLink] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setMembers((await api.get<{ items: Member[] }>('/api/team/members')).items);
      if (canManage) setInvitations((await api.get<{ items: Invitation[] }>('/api/team/invitations')).items);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }, [api, canManage]);

  useEffect(() => {
    void load();
  }, [load]);

  async function act(what: () => Promise<unknown>) {
    setError(null);
    try {
      await what();
      await load();
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <div className="page">
      <h1>Team</h1>
      {error ? <Notice tone="error" testId="team-error">{error}</Notice> : null}
      <section className="card wide" aria-labelledby="members-title">
        <h2 id="members-title">Members</h2>
        {!members ? <p className="muted"><Spinner /> Loading…</p> : null}
        {members ? (
          <div className="table-wrap">
            <table className="table" data-testid="members">
              <thead>
                <tr>
                  <th scope="col">E-mail</th>
                  <th scope="col">Role</th>
                  {canManage ? <th scope="col"><span className="sr-only">Actions</span></th> : null}
                </tr>
              </thead>
              <tbody>
                {members.map((m) => (
                  <tr key={m.id} data-testid="member-row" data-email={m.email}>
                    <td>{m.email}</td>
                    <td>
                      {canManage && (isOwner || m.role !== 'owner') ? (
                        <select aria-label={`Role of ${m.email}`} value={m.role} data-testid="member-role"
                                onChange={(e) => void act(() => api.patch(`/api/team/members/${m.id}`, { role: e.target.value }))}>
                          {kRoles.filter((r) => isOwner || r !== 'owner').map((r) => <option key={r} value={r}>{r}</option>)}
                        </select>
                      ) : <span data-testid="member-role-text">{m.role}</span>}
                    </td>
                    {canManage ? (
                      <td>
                        {isOwner || m.role !== 'owner' ? (
                          <button type="button" data-testid="member-remove"
                                  onClick={() => void act(() => api.del(`/api/team/members/${m.id}`))}>
                            Remove
                          </button>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>

      {canManage ? (
        <section className="card wide" aria-labelledby="invite-title">
          <h2 id="invite-title">Invitations</h2>
          <InviteForm onInvited={(inv) => {
            setLink(`${window.location.origin}/#/accept-invitation/${inv.token}`);
            void load();
          }} />
          {link ? (
            <Notice tone="info" testId="invite-link">
              Send this link to the person you invited; it works once, for 7 days, and is not shown again:{' '}
              <code data-testid="invite-link-text">{link}</code>{' '}
              <button type="button" data-testid="invite-copy"
                      onClick={() => void navigator.clipboard?.writeText(link).catch(() => undefined)}>
                Copy link
              </button>
            </Notice>
          ) : null}
          {invitations.length ? (
            <ul className="plain" data-testid="invitations">
              {invitations.map((i) => (
                <li key={i.id} data-testid="invitation-row">
                  {i.email} · {i.role} · expires {new Date(i.expires_at).toLocaleDateString()}{' '}
                  <button type="button" onClick={() => void act(() => api.del(`/api/team/invitations/${i.id}`))}>
                    Withdraw
                  </button>
                </li>
              ))}
            </ul>
          ) : <EmptyState title="No pending invitations" />}
        </section>
      ) : null}

      {isOwner ? <DeleteTenant /> : null}
    </div>
  );
}

function InviteForm({ onInvited }: { onInvited(inv: Invitation): void }) {
  const { api } = useSession();
  const isOwner = useRole() === 'owner';
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onInvited(await api.post<Invitation>('/api/team/invitations', { email: email.trim(), role }));
      setEmail('');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="subform" onSubmit={submit} aria-label="Invite someone">
      <div className="row">
        <label>E-mail <input type="email" value={email} onChange={(e) => setEmail(e.target.value)}
                              required data-testid="invite-email" /></label>
        <label>Role{' '}
          <select value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="invite-role">
            {kRoles.filter((r) => isOwner || r !== 'owner').map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </label>
        <button type="submit" disabled={busy} data-testid="invite-submit">Invite</button>
      </div>
      {error ? <Notice tone="error">{error}</Notice> : null}
    </form>
  );
}

function DeleteTenant() {
  const { api, logout } = useSession();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!window.confirm('Delete the tenant with every lead, call, member and setting? This cannot be undone.')) return;
    try {
      await api.del('/api/tenant', { password });
      await logout().catch(() => undefined);
    } catch (err) {
      setError(errorText(err));
    }
  }

  return (
    <section className="card wide danger" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete the tenant</h2>
      <form onSubmit={submit} className="subform" aria-label="Delete the tenant">
        <label>Your password <input type="password" value={password} onChange={(e) => setPassword(e.target.value)}
                                    required autoComplete="current-password" data-testid="delete-password" /></label>
        <button type="submit" className="danger" data-testid="delete-tenant">Delete everything</button>
      </form>
      {error ? <Notice tone="error">{error}</Notice> : null}
    </section>
  );
}
