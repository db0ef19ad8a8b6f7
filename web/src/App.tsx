// The shell: the login page when signed out; otherwise the navigation, the tenant switcher and
// the current page.

import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import type { Operation } from './api/leastRoles';
import type { Me, Role } from './api/types';
import { Notice, Spinner } from './components/common';
import { TenantSwitcher } from './components/TenantSwitcher';
import { href, useRoute, type PageName } from './lib/route';
import { AcceptInvitationPage } from './pages/AcceptInvitation';
import { AgentDetailPage } from './pages/AgentDetail';
import { AgentsPage } from './pages/Agents';
import { ArchivePage } from './pages/Archive';
import { AuditPage } from './pages/Audit';
import { AuthPage } from './pages/Auth';
import { CallDetailPage } from './pages/CallDetail';
import { CallsPage } from './pages/Calls';
import { CampaignDetailPage } from './pages/CampaignDetail';
import { CampaignsPage } from './pages/Campaigns';
import { DashboardPage } from './pages/Dashboard';
import { HistoryPage } from './pages/History';
import { LeadDetailPage } from './pages/LeadDetail';
import { LeadsPage } from './pages/Leads';
import { NumbersPage } from './pages/Numbers';
import { SettingsPage } from './pages/Settings';
import { TeamPage } from './pages/Team';
import { WebhooksPage } from './pages/Webhooks';
import { LiveProvider, useLive } from './state/live';
import { canCall, RoleContext } from './state/role';
import { SessionProvider, useSession } from './state/session';
import { SummaryProvider } from './state/summary';

// The Charts page carries Chart.js (about half of the dashboard's code): it is loaded when first
// opened, so the other pages start without it.
const ChartsPage = lazy(() => import('./pages/Charts').then((m) => ({ default: m.ChartsPage })));

/// `needs`: for a page a viewer may not read, the operation it reads.
const kNav: { page: PageName; label: string; needs?: Operation }[] = [
  { page: 'dashboard', label: 'Dashboard' },
  { page: 'calls', label: 'Calls' },
  { page: 'leads', label: 'Leads' },
  { page: 'agents', label: 'Agents' },
  { page: 'numbers', label: 'Numbers' },
  { page: 'campaigns', label: 'Campaigns' },
  { page: 'charts', label: 'Charts' },
  { page: 'settings', label: 'Settings' },
  { page: 'history', label: 'Sync history' },
  { page: 'archive', label: 'Archive' },
  { page: 'team', label: 'Team' },
  { page: 'audit', label: 'Audit log', needs: 'listAudit' },
  { page: 'webhooks', label: 'Webhooks', needs: 'listWebhooks' },
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
  const route = useRoute();
  if (route.page === 'accept-invitation' && route.param) return <AcceptInvitationPage token={route.param} />;
  if (!token) return <AuthPage />;
  // A new token (another tenant, or a joined one) starts everything afresh: who I am, my role,
  // the live stream and every page's data belong to the token's tenant.
  return (
    <LiveProvider key={token}>
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

  const role = me?.user.role ?? null;
  return (
    <RoleContext.Provider value={role}>
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
              {kNav.filter((n) => !n.needs || canCall(role, n.needs)).map((n) => (
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
            <TenantSwitcher />
            <span className="muted small" data-testid="who">
              {me ? `${me.tenant.name} · ${me.user.email}` : email ?? ''}
            </span>
            {role ? <span className="badge" data-testid="my-role">{role}</span> : null}
            <button type="button" onClick={() => void logout()} data-testid="logout">Log out</button>
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {route.page === 'dashboard' ? <DashboardPage /> : null}
        {route.page === 'calls' ? (route.param ? <CallDetailPage key={route.param} id={route.param} /> : <CallsPage query={route.query} />) : null}
        {route.page === 'leads' ? (route.param ? <LeadDetailPage key={route.param} id={route.param} /> : <LeadsPage query={route.query} />) : null}
        {route.page === 'agents' ? (route.param ? <AgentDetailPage key={route.param} id={route.param} /> : <AgentsPage />) : null}
        {route.page === 'numbers' ? <NumbersPage /> : null}
        {route.page === 'campaigns' ? (route.param ? <CampaignDetailPage key={route.param} id={route.param} /> : <CampaignsPage />) : null}
        {route.page === 'charts' ? (
          <Suspense fallback={<Spinner label="Loading the charts" />}>
            <ChartsPage />
          </Suspense>
        ) : null}
        {route.page === 'settings' ? <SettingsPage /> : null}
        {route.page === 'history' ? <HistoryPage runId={route.param} /> : null}
        {route.page === 'archive' ? <ArchivePage /> : null}
        {route.page === 'team' ? <TeamPage /> : null}
        {route.page === 'audit' ? <ForRole role={role} needs="listAudit"><AuditPage /></ForRole> : null}
        {route.page === 'webhooks' ? <ForRole role={role} needs="listWebhooks"><WebhooksPage /></ForRole> : null}
      </main>
    </RoleContext.Provider>
  );
}

/// A page the role may not read: nothing while the role loads, then a sentence instead of a page
/// of errors (after a switch to a tenant where the role is lower, say).
function ForRole({ role, needs, children }: { role: Role | null; needs: Operation; children: ReactNode }) {
  if (canCall(role, needs)) return children;
  if (!role) return null;
  return (
    <div className="page">
      <Notice testId="page-not-for-role">Your role in this tenant ({role}) cannot open this page.</Notice>
    </div>
  );
}
