// The name a run gets when none is given, for every front end (the CLI's
// train, the app's form, serve, imports: RunManager.create). It starts from
// the task, the method and d; when a run of that name exists, the fields
// that set the new run apart from the runs already named so are added
// ("sine · bptt · d=16 · lr=0.03 · seed=2"), and when nothing sets it apart
// (the same config again), a counter ("sine · bptt · d=16 (3)").

import type { RunConfig } from '../../common/contract';
import type { Store } from '../store/store';

/** Fields that tell runs of one task, method and size apart, most telling first, as they read in a name. */
const DISTINGUISHING: readonly ((c: RunConfig) => string)[] = [
  (c) => `lr=${c.training.lr}`,
  (c) => c.training.optimizer.kind,
  (c) => `seed=${c.seed}`,
  (c) => `batch=${c.training.batchSize}`,
  (c) => c.model.activation,
  (c) => `T=${'T' in c.task ? c.task.T : c.task.length}`,
  (c) => c.loss.kind,
  (c) => `init=${c.model.init}`,
  (c) => `steps=${c.training.steps}`,
  (c) => c.dtype,
];

/** At most this many fields are added before a counter takes over. */
const MAX_FIELDS = 3;
/** How many of the runs named alike are looked at (the newest). */
const LOOK_AT = 200;

export function baseName(config: RunConfig): string {
  return `${config.task.kind} · ${config.method.kind} · d=${config.model.hidden}`;
}

/** A name no run in `others` has: the base name, then distinguishing fields, then a counter. `others` are the runs whose names start with the base name. */
export function uniqueName(config: RunConfig, others: readonly { name: string; config: RunConfig }[]): string {
  const base = baseName(config);
  const taken = new Set(others.map((o) => o.name));
  if (!taken.has(base)) return base;
  let name = base;
  let added = 0;
  for (const field of DISTINGUISHING) {
    if (added === MAX_FIELDS) break;
    const mine = field(config);
    if (others.every((o) => field(o.config) === mine)) continue;
    name = `${name} · ${mine}`;
    added++;
    if (!taken.has(name)) return name;
  }
  for (let n = 2; ; n++) if (!taken.has(`${name} (${n})`)) return `${name} (${n})`;
}

/** The default name of a new run with this config, unique among the runs in the store. */
export function defaultName(store: Pick<Store, 'listRuns' | 'getRun'>, config: RunConfig): string {
  const base = baseName(config);
  const others = store
    .listRuns({ search: base, limit: LOOK_AT })
    .filter((r) => r.name.startsWith(base))
    .flatMap((r) => {
      const rec = store.getRun(r.id);
      return rec ? [{ name: rec.name, config: rec.config }] : [];
    });
  return uniqueName(config, others);
}
