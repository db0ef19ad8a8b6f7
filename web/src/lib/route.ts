// Hash routes (#/settings, #/history/42, #/calls?agent_id=a1): the server only has to serve
// index.html at `/`. The query part carries a list page's filters, so a filtered list is a link.

import { useEffect, useState } from 'react';

export type PageName =
  | 'dashboard' | 'calls' | 'leads' | 'agents' | 'numbers' | 'campaigns' | 'charts'
  | 'settings' | 'history' | 'archive' | 'team' | 'audit' | 'accept-invitation' | 'webhooks';

export interface Route {
  page: PageName;
  param: string | null;
  /// The filters after `?` (empty when none).
  query: Record<string, string>;
}

const kPages: PageName[] = [
  'dashboard', 'calls', 'leads', 'agents', 'numbers', 'campaigns', 'charts', 'settings', 'history', 'archive',
  'team', 'audit', 'accept-invitation', 'webhooks',
];

export function parseRoute(hash: string): Route {
  const body = hash.replace(/^#\/?/, '');
  const mark = body.indexOf('?');
  const pathPart = mark < 0 ? body : body.slice(0, mark);
  const query: Record<string, string> = {};
  if (mark >= 0) new URLSearchParams(body.slice(mark + 1)).forEach((v, k) => { query[k] = v; });
  const parts = pathPart.split('/').filter(Boolean);
  const page = (kPages as string[]).includes(parts[0] ?? '') ? (parts[0] as PageName) : 'dashboard';
  return { page, param: parts[1] ? decodeURIComponent(parts[1]) : null, query };
}

/// A link to a page, a record of it, or a filtered list (empty filter values are left out).
export function href(page: PageName, param?: string | number | null, query?: Record<string, string | undefined>): string {
  let out = param === undefined || param === null ? `#/${page}` : `#/${page}/${encodeURIComponent(String(param))}`;
  const q = queryString(query ?? {});
  if (q) out += `?${q}`;
  return out;
}

/// `a=1&b=2` from the values that are set.
export function queryString(values: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  return params.toString();
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
