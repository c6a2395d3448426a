// `lab:sample`: text generated from a text run's snapshot, for the app's
// sample panel and `rnn-workbench sample` alike. The lab comes from its own
// chunk, loaded by the first call.

import type { RunRecord } from '../../common/contract';
import { loadLab } from '../../native-worker/engine-api';
import { ApiError } from '../runs/errors';
import type { Store } from '../store/store';

export interface SampleArgs {
  step: number | null;
  length: number;
  temperature: number;
  seed: number;
}

export async function sampleRun(store: Store, run: RunRecord, a: SampleArgs): Promise<{ step: number; text: string }> {
  const { sampleSnapshot } = await loadLab();
  const checkpoint = a.step === null ? store.latestCheckpoint(run.id) : store.checkpointAt(run.id, a.step);
  if (checkpoint === null) {
    throw new ApiError('no-snapshot', `run ${run.id} has no snapshot${a.step === null ? '' : ` at or before step ${a.step}`}`);
  }
  try {
    return sampleSnapshot(run.config, checkpoint, a);
  } catch (e) {
    if (e instanceof RangeError) throw new ApiError('invalid-argument', e.message);
    throw e;
  }
}
