// The user's view preferences, kept in localStorage: theme, loss smoothing
// (shared by the live view and the comparison), the x axis of comparisons.

import { defineStore } from 'pinia';
import { ref, watch } from 'vue';

export type Theme = 'light' | 'dark';
const KEY = 'rnn-workbench.prefs';

interface Saved {
  theme: Theme;
  smoothing: number;
  smoothingOn: boolean;
}

function load(): Partial<Saved> {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '{}') as unknown;
    return typeof v === 'object' && v !== null ? (v as Partial<Saved>) : {};
  } catch {
    return {};
  }
}

function systemTheme(): Theme {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export const usePrefsStore = defineStore('prefs', () => {
  const saved = load();
  const theme = ref<Theme>(saved.theme === 'dark' || saved.theme === 'light' ? saved.theme : systemTheme());
  /** EMA weight in [0, 0.999]. */
  const smoothing = ref(typeof saved.smoothing === 'number' && saved.smoothing >= 0 && saved.smoothing < 1 ? saved.smoothing : 0.9);
  const smoothingOn = ref(saved.smoothingOn ?? true);

  watch([theme, smoothing, smoothingOn], () => {
    localStorage.setItem(
      KEY,
      JSON.stringify({ theme: theme.value, smoothing: smoothing.value, smoothingOn: smoothingOn.value } satisfies Saved),
    );
  });
  watch(theme, (t) => document.documentElement.setAttribute('data-theme', t), { immediate: true });

  const toggleTheme = () => {
    theme.value = theme.value === 'dark' ? 'light' : 'dark';
  };
  /** The weight the charts use: 0 when smoothing is off. */
  const effectiveSmoothing = () => (smoothingOn.value ? smoothing.value : 0);

  return { theme, smoothing, smoothingOn, toggleTheme, effectiveSmoothing };
});
