// Where the user is: a small hash router (#/runs/12?tab=…). Hash URLs work
// both from file:// in the desktop app and from the serve-mode server.

import { defineStore } from 'pinia';
import { computed, ref } from 'vue';

export type RouteName = 'new' | 'history' | 'run' | 'snapshots' | 'compare' | 'sweeps' | 'sweep';

export interface Route {
  name: RouteName;
  id: number | null;
  query: Record<string, string>;
}

export function parseHash(hash: string): Route {
  const [path, search = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  const query = Object.fromEntries(new URLSearchParams(search));
  const id = parts[1] !== undefined && /^\d+$/.test(parts[1]) ? Number(parts[1]) : null;
  if (parts[0] === 'new') return { name: 'new', id: null, query };
  if (parts[0] === 'compare') return { name: 'compare', id: null, query };
  if (parts[0] === 'runs' && id !== null) return { name: parts[2] === 'snapshots' ? 'snapshots' : 'run', id, query };
  if (parts[0] === 'sweeps') return { name: id === null ? 'sweeps' : 'sweep', id, query };
  return { name: 'history', id: null, query };
}

export function hrefOf(name: RouteName, id: number | null = null, query: Record<string, string> = {}): string {
  const q = new URLSearchParams(query).toString();
  const path =
    name === 'run'
      ? `runs/${id}`
      : name === 'snapshots'
        ? `runs/${id}/snapshots`
        : name === 'sweep'
          ? `sweeps/${id}`
          : name === 'history'
            ? 'runs'
            : name;
  return `#/${path}${q ? `?${q}` : ''}`;
}

export const useNavStore = defineStore('nav', () => {
  const hash = ref(window.location.hash);
  window.addEventListener('hashchange', () => (hash.value = window.location.hash));
  const route = computed(() => parseHash(hash.value));

  function go(name: RouteName, id: number | null = null, query: Record<string, string> = {}): void {
    const h = hrefOf(name, id, query);
    if (window.location.hash !== h) window.location.hash = h;
    hash.value = h;
  }

  /** Change the query of the current route without a history entry. */
  function replaceQuery(query: Record<string, string>): void {
    const r = route.value;
    const h = hrefOf(r.name, r.id, query);
    window.history.replaceState(window.history.state, '', h);
    hash.value = h;
  }

  return { route, go, replaceQuery };
});
