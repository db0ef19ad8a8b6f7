// The one source of the counts that Settings (Billing & Plan) and the Dashboard both show:
// GET /api/tenant/summary, refreshed by live events, with a slow fallback refresh.

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Summary, SummaryEvent } from '../api/types';
import { useSession } from './session';
import { useLiveEvent } from './live';

/// The fallback refresh for when events are lost; events do the real work.
export const kFallbackRefreshMs = 30_000;

export interface SummaryState {
  summary: Summary | null;
  error: string | null;
  loading: boolean;
  refresh(): Promise<void>;
}

const SummaryContext = createContext<SummaryState | null>(null);

export function SummaryProvider({ children }: { children: ReactNode }) {
  const { api } = useSession();
  const [summary, setSummary] = useState<Summary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);

  const refresh = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const s = await api.get<Summary>('/api/tenant/summary');
      // Answers can arrive out of order; only the newest request's answer counts.
      if (mine !== seq.current) return;
      setSummary(s);
      setError(null);
    } catch (e) {
      if (mine !== seq.current) return;
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, [api]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), kFallbackRefreshMs);
    return () => clearInterval(timer);
  }, [refresh]);

  useLiveEvent<SummaryEvent>('summary', (d) => {
    if (d?.counts) setSummary((s) => (s ? { ...s, counts: d.counts } : s));
    void refresh();
  });
  useLiveEvent('run.started', () => void refresh());
  useLiveEvent('run.finished', () => void refresh());

  const value = useMemo(() => ({ summary, error, loading, refresh }), [summary, error, loading, refresh]);
  return <SummaryContext.Provider value={value}>{children}</SummaryContext.Provider>;
}

export function useSummary(): SummaryState {
  const s = useContext(SummaryContext);
  if (!s) throw new Error('useSummary outside SummaryProvider');
  return s;
}
