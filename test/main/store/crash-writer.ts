// Child process for crash.test.ts: appends progress batches to a run as fast
// as it can, printing "committed <n>" after each batch's transaction has
// returned, until it is killed. It continues from the run's last stored step,
// so it can be started again on the same file after a kill.
// Usage: node --import tsx test/main/store/crash-writer.ts <db file> <run id>

import { Store } from '../../../main/store/store';
import { CRASH_STEPS_PER_BATCH as STEPS_PER_BATCH, makeCheckpoint, makeEval, makeSteps } from './fixtures';

const [file, runArg] = process.argv.slice(2);
const runId = Number(runArg);
const store = Store.open(file);
const lastStep = store.getRun(runId)?.lastStep ?? 0;
for (let batch = lastStep / STEPS_PER_BATCH + 1; ; batch++) {
  const first = (batch - 1) * STEPS_PER_BATCH + 1;
  const last = batch * STEPS_PER_BATCH;
  store.appendProgress(runId, {
    steps: makeSteps(first, STEPS_PER_BATCH),
    evals: [makeEval(last, 1 / batch)],
    checkpoints: batch % 5 === 0 ? [makeCheckpoint(last, batch)] : [],
  });
  process.stdout.write(`committed ${batch}\n`);
}
