// The tenant's live event stream, shared by every page: subscribe to an event by name, and read
// the latest progress of the running voice and CRM syncs.

import {
  createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode,
} from 'react';
import { openEventStream, type StreamStatus } from '../lib/events';
import type { RunFinishedEvent, RunProgressEvent, RunStartedEvent } from '../api/types';
import { useSession } from './session';

type Listener = (data: unknown) => void;

export interface Live {
  status: StreamStatus;
  /// Latest progress of the running voice sync, or null when none runs.
  voiceProgress: RunProgressEvent | null;
  /// Latest progress of a running CRM sync, or null.
  crmProgress: RunProgressEvent | null;
  subscribe(event: string, listener: Listener): () => void;
}

const LiveContext = createContext<Live | null>(null);

function isCrm(target: string | undefined): boolean {
  return !!target && target.startsWith('crm');
}

export function LiveProvider({ children }: { children: ReactNode }) {
  const { token, api } = useSession();
  const [status, setStatus] = useState<StreamStatus>('closed');
  const [voiceProgress, setVoiceProgress] = useState<RunProgressEvent | null>(null);
  const [crmProgress, setCrmProgress] = useState<RunProgressEvent | null>(null);
  const listeners = useRef(new Map<string, Set<Listener>>());

  const dispatch = useCallback((name: string, data: unknown) => {
    for (const l of listeners.current.get(name) ?? []) l(data);
  }, []);

  useEffect(() => {
    if (!token) return undefined;
    return openEventStream({
      url: '/api/events',
      getToken: () => token,
      onStatus: setStatus,
      // Asking /me with the dead token lets the API client end the session the usual way.
      onUnauthorized: () => void api.get('/api/auth/me').catch(() => undefined),
      onEvent: (e) => {
        let data: unknown = null;
        try {
          data = JSON.parse(e.data);
        } catch {
          return;
        }
        if (e.event === 'run.started') {
          const d = data as RunStartedEvent;
          const blank = { run_id: d.run_id, target: d.target, phase: 'start', resource: '', pages: 0, records: 0 };
          if (isCrm(d.target)) setCrmProgress(blank);
          else setVoiceProgress(blank);
        } else if (e.event === 'run.progress') {
          const d = data as RunProgressEvent;
          if (isCrm(d.target)) setCrmProgress(d);
          else setVoiceProgress(d);
        } else if (e.event === 'run.finished') {
          const d = data as RunFinishedEvent;
          if (isCrm(d.target)) setCrmProgress(null);
          else setVoiceProgress(null);
        }
        dispatch(e.event, data);
      },
    });
  }, [token, api, dispatch]);

  const subscribe = useCallback((event: string, listener: Listener) => {
    let set = listeners.current.get(event);
    if (!set) {
      set = new Set();
      listeners.current.set(event, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }, []);

  const value = useMemo(
    () => ({ status, voiceProgress, crmProgress, subscribe }),
    [status, voiceProgress, crmProgress, subscribe],
  );
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLive(): Live {
  const l = useContext(LiveContext);
  if (!l) throw new Error('useLive outside LiveProvider');
  return l;
}

/// Calls `handler` on every event named `event`, with the latest handler and no resubscribing.
export function useLiveEvent<T>(event: string, handler: (data: T) => void): void {
  const { subscribe } = useLive();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => subscribe(event, (d) => ref.current(d as T)), [subscribe, event]);
}
