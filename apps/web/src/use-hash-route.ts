import { useEffect, useState } from 'react';

export type Route = { page: 'tables' } | { page: 'table'; tableId: number };

/** Hash routes (`#/tables/12`): deep links work without the server knowing the app's paths. */
export function parseRoute(hash: string): Route {
  const match = /^#\/tables\/(\d+)/.exec(hash);
  return match ? { page: 'table', tableId: Number(match[1]) } : { page: 'tables' };
}

export function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export const tableHref = (id: number) => `#/tables/${id}`;
