// Keyboard shortcuts for a view: single keys (with optional modifiers),
// ignored while the user types in a field, removed on unmount.

import { onMounted, onUnmounted } from 'vue';

export type Shortcuts = Record<string, (e: KeyboardEvent) => void>;

/** Key names: the KeyboardEvent key ("s", " ", "ArrowLeft", "/"), with "Ctrl+" or "Meta+" in front when held. */
export function shortcutName(e: KeyboardEvent): string {
  return `${e.ctrlKey ? 'Ctrl+' : ''}${e.metaKey ? 'Meta+' : ''}${e.altKey ? 'Alt+' : ''}${e.key}`;
}

function typing(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (!t) return false;
  return (
    t.isContentEditable ||
    t.tagName === 'TEXTAREA' ||
    t.tagName === 'SELECT' ||
    (t.tagName === 'INPUT' && !['checkbox', 'radio', 'range', 'button'].includes((t as HTMLInputElement).type))
  );
}

export function useShortcuts(map: () => Shortcuts, options: { inFields?: string[] } = {}): void {
  const handler = (e: KeyboardEvent) => {
    const name = shortcutName(e);
    const f = map()[name];
    if (!f) return;
    if (typing(e) && !(options.inFields ?? []).includes(name)) return;
    e.preventDefault();
    f(e);
  };
  onMounted(() => window.addEventListener('keydown', handler));
  onUnmounted(() => window.removeEventListener('keydown', handler));
}
