import { useEffect, useState } from 'react';

/** The screen id in `#/id`, or the fallback when the hash names none. */
function readRoute(known: string[], fallback: string): string {
  const id = window.location.hash.replace(/^#\/?/, '');
  return known.includes(id) ? id : fallback;
}

/** Hash routing: every screen has an address, and Back/Forward work. */
export function useRoute(known: string[], fallback: string): string {
  const [route, setRoute] = useState(() => readRoute(known, fallback));
  useEffect(() => {
    const update = () => setRoute(readRoute(known, fallback));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, [known, fallback]);
  return route;
}
