// Learning rates changed while a run trains. The worker takes a snapshot at
// each change (native-worker/process/loop.ts), so a run's snapshots carry
// the base rate in force from their step on: a change is a snapshot whose
// rate differs from the one before it (the config's before the first).
// Snapshots are truncated with the metrics on resume, so the changes of a
// resumed run stay the ones its training really went through.

export interface LrChange {
  /** The step after which the new rate applies (a snapshot's step). */
  step: number;
  lr: number;
}

export function lrChanges(configLr: number, snapshots: readonly { step: number; baseLr: number }[]): LrChange[] {
  const out: LrChange[] = [];
  let current = configLr;
  for (const s of [...snapshots].sort((a, b) => a.step - b.step)) {
    if (s.baseLr === current) continue;
    out.push({ step: s.step, lr: s.baseLr });
    current = s.baseLr;
  }
  return out;
}

/** The base rate in force after `step` (changes in step order). */
export function lrAt(configLr: number, changes: readonly LrChange[], step: number): number {
  let lr = configLr;
  for (const c of changes) if (c.step <= step) lr = c.lr;
  return lr;
}
