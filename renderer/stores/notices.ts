// Messages for the user: every failed call shows here (nothing fails
// silently), and actions that can be undone offer their undo.

import { defineStore } from 'pinia';
import { ref } from 'vue';
import { ApiCallError } from '../api';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
  action?: { label: string; run: () => void };
}

export const useNoticesStore = defineStore('notices', () => {
  const items = ref<Notice[]>([]);
  let next = 1;

  function dismiss(id: number): void {
    items.value = items.value.filter((n) => n.id !== id);
  }

  function push(kind: Notice['kind'], text: string, action?: Notice['action'], ms = kind === 'error' ? 10_000 : 5000): number {
    const id = next++;
    items.value = [...items.value.slice(-4), { id, kind, text, action }];
    setTimeout(() => dismiss(id), ms);
    return id;
  }

  const info = (text: string, action?: Notice['action'], ms?: number) => push('info', text, action, ms);
  const error = (e: unknown) => push('error', e instanceof ApiCallError || e instanceof Error ? e.message : String(e));

  /** Run an action; on failure show the error and give undefined. */
  async function attempt<T>(f: () => Promise<T>): Promise<T | undefined> {
    try {
      return await f();
    } catch (e) {
      error(e);
      return undefined;
    }
  }

  return { items, push, info, error, dismiss, attempt };
});
