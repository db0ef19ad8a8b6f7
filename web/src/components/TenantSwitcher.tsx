// The header's tenant switcher, for a person who belongs to several tenants: each tenant with the
// role there; choosing one opens it (a new token, and the app reloads everything for it). With one
// tenant there is nothing to switch to, so nothing shows.

import { useEffect, useState } from 'react';
import type { Membership } from '../api/contract';
import { href, useRoute } from '../lib/route';
import { useSession } from '../state/session';
import { errorText } from './common';

export interface TenantChoice {
  value: string;
  label: string;
}

/// The switcher's options, or null when there is no other tenant to switch to.
export function tenantChoices(memberships: Membership[]): TenantChoice[] | null {
  if (memberships.length < 2) return null;
  return memberships.map((m) => ({ value: String(m.tenant_id), label: `${m.name} · ${m.role}` }));
}

export function TenantSwitcher() {
  const { api, switchTenant } = useSession();
  const route = useRoute();
  const [memberships, setMemberships] = useState<Membership[]>([]);
  const [switching, setSwitching] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    // The switcher is an extra: without the list the header is as it was for one tenant.
    api.get<{ items: Membership[] }>('/api/auth/tenants')
      .then((r) => live && setMemberships(r.items ?? []))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [api]);

  const choices = tenantChoices(memberships);
  if (!choices) return null;
  const current = memberships.find((m) => m.current);

  async function choose(value: string) {
    const target = memberships.find((m) => String(m.tenant_id) === value);
    if (!target || target.current) return;
    setSwitching(true);
    setError(null);
    try {
      await switchTenant(target.tenant_id);
      // A record open now belongs to the tenant left behind: keep the page, drop the record.
      if (route.param || Object.keys(route.query).length) window.location.hash = href(route.page);
    } catch (e) {
      setError(errorText(e));
      setSwitching(false);
    }
  }

  return (
    <span className="tenant-switcher">
      <select aria-label="Tenant" value={current ? String(current.tenant_id) : ''} disabled={switching}
              onChange={(e) => void choose(e.target.value)} data-testid="tenant-switcher">
        {choices.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
      </select>
      {error ? <span role="alert" className="small error-text" data-testid="tenant-switch-error"> {error}</span> : null}
    </span>
  );
}
