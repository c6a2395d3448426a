// What the per-step metrics cost next to the training step (d = 16, 32, 64,
// sine, BPTT): a whole step with ρ(W) estimated every step, at the default
// cadence (training.spectralEvery) and never, and each metric timed on its
// own at the trained weights: the spectral-radius estimate, the pass over
// the parameters behind the norms and update ratios, and the saturation
// count over the step's hidden states. Best of 25 short rounds, taking turns (the machine is
// shared). Prints one JSON line per size.

import { parseConfig } from '../native-worker/config';
import { SpectralRadiusTracker } from '../native-worker/engine/metrics/spectral';
import { SPECTRAL_PER_STEP } from '../native-worker/engine/metrics/spectral-settings';
import { saturatedFraction } from '../native-worker/engine/metrics/saturation';
import { stepSums } from '../native-worker/engine/metrics/step-sums';
import { FastMatVec } from '../native-worker/engine/fast/matvec';
import { Rng } from '../native-worker/engine/prng';
import { Trainer } from '../native-worker/trainer';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 3 : 25;
const STEPS = quick ? 200 : 600;

/** Best per-call time in microseconds of each function over the rounds, the functions taking turns in every round. */
function best(...fs: (() => void)[]): number[] {
  const out = fs.map(() => Infinity);
  for (let r = 0; r < ROUNDS; r++) {
    fs.forEach((f, k) => {
      const t0 = performance.now();
      for (let i = 0; i < STEPS; i++) f();
      out[k] = Math.min(out[k], ((performance.now() - t0) * 1000) / STEPS);
    });
  }
  return out;
}

for (const d of [16, 32, 64]) {
  const config = parseConfig({
    seed: 7,
    task: { kind: 'sine' },
    model: { hidden: d },
    method: { kind: 'bptt' },
    training: { steps: 1e9, evalEvery: 1e9, snapshotEvery: 0 },
  });
  const cadence = config.training.spectralEvery;
  // one trainer whose cadence changes between the timed stretches, so all three share its weights and compiled code
  const off = new Trainer(config);
  const stretch = (every: number) => () => {
    config.training.spectralEvery = every;
    off.runStep();
  };
  for (let i = 0; i < STEPS; i++) off.runStep();
  const [stepEvery, stepDefault, stepOff] = best(stretch(1), stretch(cadence), stretch(0));
  // each metric alone, on the trained weights
  const { params, layout } = off;
  const spectral = new SpectralRadiusTracker(d, new Rng(1), {
    ...SPECTRAL_PER_STEP,
    multiply: d > SPECTRAL_PER_STEP.exactLimit ? new FastMatVec(d) : undefined,
  });
  const [spectralUs] = best(() => spectral.estimate(params, layout.W));
  const grad = new Float64Array(layout.size);
  const sums = new Float64Array(4 * layout.blocks.length);
  const [sumsUs] = best(() => layout.blocks.forEach((b, k) => stepSums(grad, params, params, b.offset, b.offset + b.size, sums, 4 * k)));
  const T = off.task.T;
  const states = new Float64Array((T + 1) * d).map((_, i) => Math.tanh(Math.sin(i)));
  const [saturationUs] = best(() => saturatedFraction(states, d, T * d));
  const share = (us: number) => +(us / stepOff).toFixed(3);
  console.log(
    JSON.stringify({
      bench: 'metrics',
      d,
      T,
      step_us_metrics_off: +stepOff.toFixed(2),
      step_us_default: +stepDefault.toFixed(2),
      step_us_spectral_every_step: +stepEvery.toFixed(2),
      default_cadence: cadence,
      ratio_default_to_off: +(stepDefault / stepOff).toFixed(3),
      ratio_every_step_to_off: +(stepEvery / stepOff).toFixed(3),
      // each metric's time as a share of the step without the spectral estimate
      share_spectral_each_time: share(spectralUs),
      share_spectral_at_default_cadence: share(spectralUs / cadence),
      share_norms_pass: share(sumsUs),
      share_saturation: share(saturationUs),
    }),
  );
}
