// A run's snapshot on new data, for `rnn-workbench predict` and the app's
// "Evaluate on data…" (the predict:csv call): the engine's computation comes
// from the gradient lab's chunk, loaded on the first use only.

import type { Prediction } from '../../common/contract';
import { loadLab } from '../../native-worker/engine-api';
import { ApiError } from '../runs/errors';
import type { Store } from '../store/store';
import { mustGetRun } from './export';

/** The snapshot at or before `step` (the latest when null) over the rows of `csv`; a bad file is an invalid-argument error naming it. */
export async function predictRun(store: Store, a: { id: number; step: number | null; fileName: string; csv: string }): Promise<Prediction> {
  const run = mustGetRun(store, a.id);
  const checkpoint = a.step === null ? store.latestCheckpoint(a.id) : store.checkpointAt(a.id, a.step);
  if (checkpoint === null)
    throw new ApiError('no-snapshot', `run ${a.id} has no snapshot${a.step === null ? '' : ` at or before step ${a.step}`}`);
  const { predictCsv } = await loadLab();
  try {
    return predictCsv(run.config, checkpoint, a.csv, a.fileName);
  } catch (e) {
    if (e instanceof RangeError) throw new ApiError('invalid-argument', e.message);
    throw e;
  }
}
