// The shell: the login page when signed out; otherwise the navigation and the current page.

import { useEffect, useState } from 'react';
import type { Me } from './api/types';
import { href, useRoute, type PageName } from './lib/route';
import { ArchivePage } from './pages/Archive';
import { AuthPage } from './pages/Auth';
import { DashboardPage } from './pages/Dashboard';
import { HistoryPage } from './pages/History';
import { SettingsPage } from './pages/Settings';
import { WebhooksPage } from './pages/Webhooks';
import { LiveProvider, useLive } from './state/live';
import { SessionProvider, useSession } from './state/session';
import { SummaryProvider } from './state/summary';

const kNav: { page: PageName; label: string }[] = [
  { page: 'dashboard', label: 'Dashboard' },
  { page: 'settings', label: 'Settings' },
  { page: 'history', label: 'Sync history' },
  { page: 'archive', label: 'Archive' },
  { page: 'webhooks', label: 'Webhooks' },
];

export function App() {
  return (
    <SessionProvider>
      <Gate />
    </SessionProvider>
  );
}

function Gate() {
  const { token } = useSession();
  if (!token) return <AuthPage />;
  return (
    <LiveProvider>
      <SummaryProvider>
        <Shell />
      </SummaryProvider>
    </LiveProvider>
  );
}

function Shell() {
  const { api, email, logout } = useSession();
  const live = useLive();
  const route = useRoute();
  const [me, setMe] = useState<Me | null>(null);

  useEffect(() => {
    api.get<Me>('/api/auth/me').then(setMe).catch(() => undefined);
  }, [api]);

  useEffect(() => {
    const label = kNav.find((n) => n.page === route.page)?.label ?? 'Dashboard';
    document.title = `${label} · tenantsync`;
  }, [route.page]);

  return (
    <>
      <a className="skip" href="#main" onClick={(e) => {
        // The hash is the route, so move focus by hand instead of following the link.
        e.preventDefault();
        document.getElementById('main')?.focus();
      }}>Skip to content</a>
      <header className="topbar">
        <div className="topbar-inner">
          <span className="brand">tenantsync</span>
          <nav aria-label="Main">
            <ul>
              {kNav.map((n) => (
                <li key={n.page}>
                  <a href={href(n.page)} aria-current={route.page === n.page ? 'page' : undefined}
                     data-testid={`nav-${n.page}`}>
                    {n.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div className="who">
            <span className={`live live-${live.status}`} title={live.status === 'open' ? 'Live updates on' : 'Live updates reconnecting'}
                  data-testid="live-status" data-state={live.status}>
              <span className="sr-only">{live.status === 'open' ? 'Live updates on' : 'Live updates reconnecting'}</span>
            </span>
            <span className="muted small" data-testid="who">
              {me ? `${me.tenant.name} · ${me.user.email}` : email ?? ''}
            </span>
            <button type="button" onClick={() => void logout()} data-testid="logout">Log out</button>
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {route.page === 'dashboard' ? <DashboardPage /> : null}
        {route.page === 'settings' ? <SettingsPage /> : null}
        {route.page === 'history' ? <HistoryPage runId={route.param} /> : null}
        {route.page === 'archive' ? <ArchivePage /> : null}
        {route.page === 'webhooks' ? <WebhooksPage /> : null}
      </main>
    </>
  );
}
