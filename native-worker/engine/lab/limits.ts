// What a gradient-lab job costs, from sizes alone (the main process checks
// it before starting a worker): multiply-adds of the reference kernels,
// which the lab computes with in float64. The app refuses a job over
// LAB_LIMIT with the figures; the CLI's `inspect` has no limit (a terminal
// can wait minutes).

import type { RunConfig } from '../../../common/contract';
import { METHODS } from '../../methods/table';
import { taskSizes } from '../../tasks/sizes';
import type { TaskSizes } from '../../tasks/task';
import { layoutOf } from '../params';

/** Multiply-adds one lab job may cost in the app: about ten seconds of the reference kernels (bench/lab.ts: the referee at d = 48, T = 100, 1.8 G, took 12 s). */
export const LAB_LIMIT = 2e9;

/** Truncations the referee compares (those ≥ T are left out). */
export const REFEREE_TRUNCATIONS = [1, 5, 20] as const;

/** Models with more parameters than this get finite differences on a seeded sample of entries per matrix. */
export const REFEREE_SAMPLE_ABOVE = 3000;
export const REFEREE_SAMPLE = 200;

export type LabJobSize = { kind: 'inspect' } | { kind: 'referee' } | { kind: 'replay'; steps: number };

/** Multiply-adds of the job on this run's model and probe. */
export function labCost(config: RunConfig, sizes: TaskSizes, job: LabJobSize): number {
  const { m, n, T } = sizes;
  const { hidden: d, hiddenBias, outputBias } = config.model;
  const layout = layoutOf({ m, d, n, hiddenBias, outputBias });
  const forward = d * m + d * d + n * d;
  const one = { layout, T, B: 1, dtype: 'float64' as const };
  const rtrl = METHODS.rtrl.cost(one).flopsPerStep;
  switch (job.kind) {
    case 'inspect':
      // per lag a d³ product and ‖·‖₂ (Gram matrix and tridiagonal reduction); Newton from 17 starts, ≤ 100 steps each
      return T * (forward + 3 * d ** 3) + 17 * 100 * (d ** 3 / 3 + d * d);
    case 'referee': {
      const entries = layout.size > REFEREE_SAMPLE_ABOVE ? REFEREE_SAMPLE * layout.blocks.length : layout.size;
      const bptt = 3 * T * forward;
      return rtrl + bptt * (1 + REFEREE_TRUNCATIONS.length) + 2 * entries * T * forward;
    }
    case 'replay': {
      const sizesPerStep = { ...one, B: config.training.batchSize };
      return job.steps * METHODS[config.method.kind].cost(sizesPerStep).flopsPerStep + rtrl + 3 * T * forward;
    }
  }
}

const what = { inspect: 'the spectrum, flow and fixed points', referee: 'the referee', replay: 'this replay' } as const;

/** Why the app will not run this job (its cost over LAB_LIMIT, with the sizes that make it), or null. */
export function labLimitMessage(config: RunConfig, job: LabJobSize): string | null {
  const sizes = taskSizes(config.task);
  const cost = labCost(config, sizes, job);
  if (cost <= LAB_LIMIT) return null;
  const g = (v: number) => `${(v / 1e9).toFixed(v < 1e10 ? 1 : 0)} G`;
  const steps = job.kind === 'replay' ? `, ${job.steps} training step${job.steps === 1 ? '' : 's'} from the snapshot` : '';
  return (
    `${what[job.kind]} would take about ${g(cost)} multiply-adds here (d = ${config.model.hidden}, T = ${sizes.T}${steps}), ` +
    `over the app's limit of ${g(LAB_LIMIT)}; \`rnn-workbench inspect\` computes it in a terminal without a limit`
  );
}
