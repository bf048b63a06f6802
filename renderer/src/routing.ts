import { useEffect, useState } from 'react';

/** `#/runs/abc?x=1` → { id: 'runs', rest: 'abc', params: x=1 }. */
function parseHash(): { id: string; rest: string; params: URLSearchParams } {
  const [path = '', query = ''] = window.location.hash.replace(/^#\/?/, '').split('?');
  const [id = '', ...rest] = path.split('/');
  return { id, rest: rest.map(decodeURIComponent).join('/'), params: new URLSearchParams(query) };
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

/** What follows the screen in the address: the run id of `#/runs/<id>`. */
export function useRoutePath(): string {
  useHash();
  return parseHash().rest;
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

/** The address of a run's own view. */
export function runHref(runId: string): string {
  return `#/runs/${encodeURIComponent(runId)}`;
}

/** Opens a run's own view. */
export function openRun(runId: string): void {
  window.location.hash = runHref(runId);
}
