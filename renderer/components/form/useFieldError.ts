// A form field's message: its own (say, text that is not a number) first,
// else the engine's message for its config path. The field registers its
// path while mounted so messages for paths not on screen go to the top.

import { computed, onMounted, onUnmounted, type Ref } from 'vue';
import type { ConfigPath } from '../../../common/contract';
import { useNewRunStore } from '../../stores/new-run';

export function useFieldError(path: () => ConfigPath, local: Ref<string | null>) {
  const form = useNewRunStore();
  onMounted(() => form.shownFields.add(path()));
  onUnmounted(() => form.shownFields.delete(path()));
  return computed(() => local.value ?? form.errors[path()] ?? null);
}

let next = 0;
export const fieldId = (path: string) => `f-${path.replace(/\W/g, '-')}-${next++}`;
