import { useEffect, useState } from 'react';

/** `#/failures?run=X` → { id: 'failures', params: run=X }. */
function parseHash(): { id: string; params: URLSearchParams } {
  const [id = '', query = ''] = window.location.hash.replace(/^#\/?/, '').split('?');
  return { id, params: new URLSearchParams(query) };
}

/** Re-renders on every hash change; returns the current hash. */
function useHash(): string {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const update = () => setHash(window.location.hash);
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return hash;
}

/** Hash routing: every screen has an address, and Back/Forward work. */
export function useRoute(known: string[], fallback: string): string {
  useHash();
  const { id } = parseHash();
  return known.includes(id) ? id : fallback;
}

/** A parameter of the current screen's address (`#/screen?name=value`). */
export function useRouteParam(name: string): string | undefined {
  useHash();
  return parseHash().params.get(name) ?? undefined;
}

/** Moves to a screen, optionally with parameters. */
export function navigate(id: string, params: Record<string, string> = {}): void {
  const query = new URLSearchParams(params).toString();
  window.location.hash = `#/${id}${query ? `?${query}` : ''}`;
}
