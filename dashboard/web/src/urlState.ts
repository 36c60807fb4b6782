import { useCallback, useEffect, useState } from 'react';

/**
 * The view's state lives in the page's query string, so a view can be bookmarked and shared: every key here is read
 * from the URL at load and written back (replaceState, no history entry per click) when it changes. Empty values
 * are left out of the URL.
 */
export const URL_KEYS = ['pipeline', 'brand', 'compare', 'window', 'source', 'geo', 'sentiment', 'from', 'to', 'term',
  'cell', 'drill', 'page'] as const;
export type UrlKey = (typeof URL_KEYS)[number];
export type UrlState = Record<UrlKey, string>;

function read(): UrlState {
  const q = new URLSearchParams(window.location.search);
  return Object.fromEntries(URL_KEYS.map((k) => [k, q.get(k) ?? ''])) as UrlState;
}

export function useUrlState(defaults: Partial<UrlState>): [UrlState, (patch: Partial<UrlState>) => void] {
  const [state, setState] = useState<UrlState>(() => {
    const fromUrl = read();
    for (const [k, v] of Object.entries(defaults)) if (!fromUrl[k as UrlKey]) fromUrl[k as UrlKey] = v as string;
    return fromUrl;
  });
  useEffect(() => {
    const q = new URLSearchParams(window.location.search);
    for (const k of URL_KEYS) {
      if (state[k]) q.set(k, state[k]); else q.delete(k);
    }
    q.delete('token'); // tokens never belong in a URL that may be shared (api.ts reads #token= once)
    const next = `${window.location.pathname}${q.toString() ? `?${q}` : ''}`;
    if (next !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, '', next);
  }, [state]);
  const update = useCallback((patch: Partial<UrlState>) => setState((s) => ({ ...s, ...patch })), []);
  return [state, update];
}
