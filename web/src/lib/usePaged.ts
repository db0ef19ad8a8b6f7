// A cursor-paged list read from the API: the first page whenever `path` changes (a filter was
// changed), then "Load more" appends the next page. Answers to an older path are dropped.

import { useCallback, useEffect, useRef, useState } from 'react';
import type { PageOf } from '../api/contract';
import { errorText } from '../components/common';
import { useSession } from '../state/session';

export interface Paged<T> {
  items: T[] | null;
  next: string | null;
  error: string | null;
  loading: boolean;
  loadMore: () => void;
}

export function usePaged<T>(path: string | null): Paged<T> {
  const { api } = useSession();
  const [items, setItems] = useState<T[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const current = useRef(path);

  const load = useCallback(async (cursor: string | null) => {
    if (!path) return;
    setLoading(true);
    try {
      const sep = path.includes('?') ? '&' : '?';
      const r = await api.get<PageOf<T>>(cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path);
      if (current.current !== path) return;
      setItems((old) => (cursor ? [...(old ?? []), ...r.items] : r.items));
      setNext(r.next);
      setError(null);
    } catch (e) {
      if (current.current === path) setError(errorText(e));
    } finally {
      if (current.current === path) setLoading(false);
    }
  }, [api, path]);

  useEffect(() => {
    current.current = path;
    setItems(null);
    setNext(null);
    void load(null);
  }, [load, path]);

  return { items, next, error, loading, loadMore: () => void load(next) };
}

/// A record read once per id (an agent's page, a lead's).
export function useRecord<T>(path: string | null): { data: T | null; error: string | null } {
  const { api } = useSession();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!path) return;
    let live = true;
    setData(null);
    setError(null);
    api.get<T>(path).then((r) => { if (live) setData(r); }).catch((e) => { if (live) setError(errorText(e)); });
    return () => { live = false; };
  }, [api, path]);
  return { data, error };
}
