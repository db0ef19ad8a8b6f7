// A cursor-paged list read from the API: the first page whenever `path` changes (a filter was
// changed), then "Load more" appends the next page; `reload` reads the first page again in place
// (a live event said the list changed). Answers to an older path, or from before a reload, are
// dropped.

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
  /// How many pages the person has asked for: 1 until "Load more" (counted when asked, so a page
  /// still on its way counts), back to 1 on a new path or a reload.
  pages: number;
  /// Reads the first page again and replaces the list with it, keeping the rows shown meanwhile.
  /// Drops the older pages: call it while `pages` is 1 unless the person asked for it.
  reload: () => void;
}

export function usePaged<T>(path: string | null): Paged<T> {
  const { api } = useSession();
  const [items, setItems] = useState<T[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [pages, setPages] = useState(1);
  // Bumped by every first-page read (a new path, a reload): answers of older reads are dropped.
  const generation = useRef(0);

  const load = useCallback(async (cursor: string | null) => {
    if (!path) return;
    const mine = cursor ? generation.current : ++generation.current;
    setLoading(true);
    try {
      const sep = path.includes('?') ? '&' : '?';
      const r = await api.get<PageOf<T>>(cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path);
      if (generation.current !== mine) return;
      setItems((old) => (cursor ? [...(old ?? []), ...r.items] : r.items));
      setNext(r.next);
      setError(null);
    } catch (e) {
      if (generation.current !== mine) return;
      setError(errorText(e));
      if (cursor) setPages((n) => Math.max(1, n - 1));
    } finally {
      if (generation.current === mine) setLoading(false);
    }
  }, [api, path]);

  useEffect(() => {
    setItems(null);
    setNext(null);
    setPages(1);
    void load(null);
  }, [load, path]);
  // Nothing answered after the page is gone is applied.
  useEffect(() => () => { ++generation.current; }, []);

  const loadMore = () => {
    if (!next) return;
    setPages((n) => n + 1);
    void load(next);
  };
  const reload = useCallback(() => {
    setPages(1);
    void load(null);
  }, [load]);

  return { items, next, error, loading, loadMore, pages, reload };
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
