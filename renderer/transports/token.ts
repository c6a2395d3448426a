// The serve-mode token: it arrives once in the page URL (?token=…), is kept
// in sessionStorage for reloads of this tab, and is taken out of the visible
// URL so it does not linger in the address bar, history or screenshots.

const KEY = 'rnn-workbench.token';

export interface TokenEnv {
  location: { href: string };
  history: { replaceState(data: unknown, unused: string, url?: string): void; state: unknown };
  storage: Pick<Storage, 'getItem' | 'setItem'>;
}

export function takeToken(env: TokenEnv): string | null {
  const url = new URL(env.location.href);
  const given = url.searchParams.get('token');
  if (given) {
    env.storage.setItem(KEY, given);
    url.searchParams.delete('token');
    env.history.replaceState(env.history.state, '', url.pathname + url.search + url.hash);
    return given;
  }
  return env.storage.getItem(KEY);
}
