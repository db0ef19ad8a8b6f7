// Hash routes (#/settings, #/history/42): the server only has to serve index.html at `/`.

import { useEffect, useState } from 'react';

export type PageName = 'dashboard' | 'settings' | 'history' | 'archive' | 'webhooks';

export interface Route {
  page: PageName;
  param: string | null;
}

const kPages: PageName[] = ['dashboard', 'settings', 'history', 'archive', 'webhooks'];

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const page = (kPages as string[]).includes(parts[0] ?? '') ? (parts[0] as PageName) : 'dashboard';
  return { page, param: parts[1] ? decodeURIComponent(parts[1]) : null };
}

export function href(page: PageName, param?: string | number): string {
  return param === undefined ? `#/${page}` : `#/${page}/${encodeURIComponent(String(param))}`;
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
