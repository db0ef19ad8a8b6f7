// The signed-in session: the token (kept in localStorage), the API client that sends it, and
// sign up / log in / log out. A 401 anywhere ends the session and shows the login page. A token
// opens one tenant; a person in several switches by getting a token for another one.

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { createApiClient, type ApiClient } from '../api/client';
import type { AuthResponse } from '../api/types';

const kTokenKey = 'tenantsync.token';
const kEmailKey = 'tenantsync.email';

export interface Session {
  token: string | null;
  email: string | null;
  api: ApiClient;
  /// Why the user was sent back to the login page, if it was not their choice.
  endedReason: string | null;
  signup(tenantName: string, email: string, password: string): Promise<void>;
  login(email: string, password: string): Promise<void>;
  /// Accepts a team invitation with a new password and signs the new member in.
  acceptInvitation(token: string, password: string): Promise<void>;
  /// Accepts a team invitation with the login signed in now; the session moves to the inviting tenant.
  joinWithCurrentLogin(token: string): Promise<void>;
  /// Opens another tenant the signed-in person belongs to.
  switchTenant(tenantId: number): Promise<void>;
  logout(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

function readStorage(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStorage(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // Private modes may refuse storage; the session then lasts until the tab closes.
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(() => readStorage(kTokenKey));
  const [email, setEmail] = useState<string | null>(() => readStorage(kEmailKey));
  const [endedReason, setEndedReason] = useState<string | null>(null);

  const clear = useCallback((reason: string | null) => {
    writeStorage(kTokenKey, null);
    setToken(null);
    setEndedReason(reason);
  }, []);

  useEffect(() => {
    // The stored token is every tab's: when another tab logs in, out or switches tenant, this tab
    // follows, rather than showing one tenant while its requests carry another's token.
    const follow = (e: StorageEvent) => {
      if (e.key !== null && e.key !== kTokenKey && e.key !== kEmailKey) return;
      setToken(readStorage(kTokenKey));
      setEmail(readStorage(kEmailKey));
    };
    window.addEventListener('storage', follow);
    return () => window.removeEventListener('storage', follow);
  }, []);

  const api = useMemo(
    () =>
      createApiClient({
        getToken: () => readStorage(kTokenKey),
        onUnauthorized: () => clear('Your session has ended. Please log in again.'),
      }),
    [clear],
  );

  const accept = useCallback((r: AuthResponse) => {
    writeStorage(kTokenKey, r.token);
    writeStorage(kEmailKey, r.user.email);
    setEmail(r.user.email);
    setEndedReason(null);
    setToken(r.token);
  }, []);

  const session = useMemo<Session>(
    () => ({
      token,
      email,
      api,
      endedReason,
      async signup(tenantName, mail, password) {
        accept(await api.post<AuthResponse>('/api/auth/signup', {
          tenant_name: tenantName, email: mail, password,
        }));
      },
      async login(mail, password) {
        accept(await api.post<AuthResponse>('/api/auth/login', { email: mail, password }));
      },
      async acceptInvitation(invitation, password) {
        accept(await api.post<AuthResponse>(`/api/team/invitations/${encodeURIComponent(invitation)}/accept`, {
          password,
        }));
      },
      async joinWithCurrentLogin(invitation) {
        // No password: the bearer token says who joins.
        accept(await api.post<AuthResponse>(`/api/team/invitations/${encodeURIComponent(invitation)}/accept`, {}));
      },
      async switchTenant(tenantId) {
        accept(await api.post<AuthResponse>('/api/auth/switch', { tenant_id: tenantId }));
      },
      async logout() {
        try {
          await api.post('/api/auth/logout');
        } catch {
          // Logging out locally matters more than telling the server.
        }
        clear(null);
      },
    }),
    [token, email, api, endedReason, accept, clear],
  );

  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
