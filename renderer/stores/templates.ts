// Configs the user saved as templates, kept in this browser profile.

import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { RunConfig } from '../../common/contract';

const KEY = 'rnn-workbench.templates';

export interface Template {
  name: string;
  savedAt: number;
  config: RunConfig;
}

function load(): Template[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? (v as Template[]).filter((t) => typeof t?.name === 'string' && typeof t.config === 'object') : [];
  } catch {
    return [];
  }
}

export const useTemplatesStore = defineStore('templates', () => {
  const items = ref<Template[]>(load());
  const persist = () => localStorage.setItem(KEY, JSON.stringify(items.value));

  /** Save (or overwrite by name). */
  function save(name: string, config: RunConfig): void {
    const t: Template = { name: name.trim(), savedAt: Date.now(), config: JSON.parse(JSON.stringify(config)) as RunConfig };
    items.value = [t, ...items.value.filter((x) => x.name !== t.name)];
    persist();
  }

  function remove(name: string): void {
    items.value = items.value.filter((x) => x.name !== name);
    persist();
  }

  return { items, save, remove };
});
