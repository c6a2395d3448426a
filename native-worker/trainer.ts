// One training run: the task, the parameters, the gradient method, the
// optimizer, and the metrics of every step. Pure computation, driven one
// step at a time by the message loop (or directly by tests and benchmarks).
//
// A step processes the batch of training sequences with indices
// step·B .. step·B + B − 1, so a run resumed from a checkpoint at step k
// sees exactly the data an uninterrupted run would.

import type {
  Checkpoint,
  EvalMetrics,
  GradCheckReport,
  GradientAlignment,
  MethodKind,
  PerMatrix,
  RunConfig,
  StepMetrics,
} from '../common/contract';
import { RateWindow } from '../common/throughput';
import { newBatch, putSequence, type Batch } from './engine/batch';
import { FastMatVec } from './engine/fast/matvec';
import { kernelKind, processNative } from './engine/fast/workspace';
import { Evaluator } from './engine/evaluate';
import { gradCheck } from './engine/gradcheck';
import { gradientAlignment, probeLab } from './engine/lab/eval-lab';
import { lossSpec, type LossSpec } from './engine/loss';
import { eigenvalues } from './engine/metrics/eigen';
import { histogram } from './engine/metrics/histogram';
import { stepSums } from './engine/metrics/step-sums';
import { SpectralRadiusTracker } from './engine/metrics/spectral';
import { SPECTRAL_PER_STEP } from './engine/metrics/spectral-settings';
import { clipGradients } from './engine/optim/clip';
import { createOptimizer, type Optimizer } from './engine/optim/optimizer';
import { scheduledLr } from './engine/optim/schedule';
import { decayMask, fromWeights, initParams, layoutOf, toWeights, type Layout } from './engine/params';
import { Rng } from './engine/prng';
import { rtrlBytes } from './engine/buffers';
import type { FloatArray } from './engine/tensor';
import { ConfigError } from './config';
import { formatBytes } from './format';
import { memoryError } from './memory';
import type { GradientMethod } from './methods/gradient';
import { createGradientMethod } from './methods/create';
import { METHODS, sequencesPerStep } from './methods/table';
import { createTask } from './tasks';
import { taskSizes } from './tasks/sizes';
import { newSequence, type Sequence, type Task } from './tasks/task';

/** The methods whose gradient differs from the exact one: each evaluation measures by how much. */
const APPROXIMATE: readonly MethodKind[] = ['rtrl-online', 'tbptt'];

/** NaN or ±Inf appeared; the parameters were restored to the last finite values. */
export class DivergedError extends Error {
  override readonly name = 'DivergedError';
}

/** Whether step `step` (≥ 1) estimates ρ(W): the first step and every `every` steps after it; none when every is 0. */
export function spectralStep(step: number, every: number): boolean {
  return every > 0 && (step - 1) % every === 0;
}

export class Trainer {
  readonly task: Task;
  readonly layout: Layout;
  readonly params: FloatArray;
  /** Completed optimizer steps. */
  step = 0;
  baseLr: number;
  private readonly loss: LossSpec;
  private readonly optimizer: Optimizer;
  private readonly rng: Rng;
  private readonly grad: Float64Array;
  /** Sum of a step's per-time-step gradients in online mode (what the step's gradNorm reports). */
  private readonly gradSum: Float64Array;
  private readonly before: FloatArray;
  private readonly batch: Batch;
  private readonly seq: Sequence;
  private readonly method: GradientMethod;
  /** The method updates after every time step (see methods/table.ts). */
  private readonly online: boolean;
  private readonly validation: Batch;
  private readonly evaluator: Evaluator;
  private readonly probe: Evaluator;
  private readonly probeBatch: Batch;
  private readonly spectral: SpectralRadiusTracker;
  private readonly started = performance.now();
  /** Time steps per second of wall clock over the last two seconds (evaluations and messaging included). */
  private readonly rate = new RateWindow(2000);
  /** The last step completed, so `before`, `batch` and `gradSum` describe it (for the gradient's alignment). */
  private stepped = false;
  /** Full BPTT, made at the first alignment measured. */
  private exact: GradientMethod | null = null;

  constructor(
    readonly config: RunConfig,
    checkpoint: Checkpoint | null = null,
  ) {
    const { model, training, method, dtype } = config;
    // refuse before anything large is allocated, the task's data included
    const memory = memoryError(config, taskSizes(config.task), kernelKind());
    if (memory) throw memory;
    this.task = createTask(config.task, config.seed);
    const { m, n, T } = this.task;
    const d = model.hidden;
    this.layout = layoutOf({ m, d, n, hiddenBias: model.hiddenBias, outputBias: model.outputBias });
    if (config.loss.kind === 'xent' && this.task.targets !== 'onehot') {
      throw new ConfigError([
        { path: 'loss.kind', message: `xent needs one-hot targets; the ${this.task.kind} task has real-valued targets (use mse)` },
      ]);
    }
    this.loss = lossSpec(config.loss, n);
    this.rng = new Rng(config.seed);
    this.params = initParams(this.layout, dtype, model.init, model.gain, this.rng);
    this.optimizer = createOptimizer(training.optimizer, this.layout.size, training.weightDecay, decayMask(this.layout), processNative());
    this.baseLr = training.lr;
    this.grad = new Float64Array(this.layout.size);
    // The step's gradient as measured before clipping: the gradient itself unless clipping or online updates change it.
    const clipping = training.clipNorm !== null || training.clipValue !== null;
    this.online = METHODS[method.kind].online;
    this.gradSum = clipping || this.online ? new Float64Array(this.layout.size) : this.grad;
    this.before = this.params.slice();
    const B = sequencesPerStep(config);
    this.batch = newBatch(T, B, m, n, this.task.masked);
    this.seq = newSequence(T, m, n, this.task.masked);
    this.method = createGradientMethod({ layout: this.layout, T, B, dtype }, method, model.activation);
    const vals = this.task.validation;
    this.validation = newBatch(T, vals.length, m, n, this.task.masked);
    vals.forEach((s, b) => putSequence(this.validation, b, s));
    this.evaluator = new Evaluator(this.layout, model.activation, dtype, T, vals.length);
    this.probe = new Evaluator(this.layout, model.activation, dtype, T, 1);
    this.probeBatch = newBatch(T, 1, m, n, this.task.masked);
    putSequence(this.probeBatch, 0, vals[0]);
    // Every training.spectralEvery steps: exact only for small W, else a warm-restarted Arnoldi estimate with a short Krylov space.
    this.spectral = new SpectralRadiusTracker(d, Rng.derive(config.seed, 0x5bec), {
      ...SPECTRAL_PER_STEP,
      multiply: d > SPECTRAL_PER_STEP.exactLimit ? new FastMatVec(d, kernelKind(), dtype) : undefined,
    });
    if (checkpoint) this.restore(checkpoint);
  }

  get done(): boolean {
    return this.step >= this.config.training.steps;
  }

  /** The learning rate of the coming step. */
  get lr(): number {
    return scheduledLr(this.baseLr, this.config.training.schedule, this.step);
  }

  /** One optimizer step (in online mode: one sequence, updating at every time step). */
  runStep(): StepMetrics {
    const t0 = performance.now();
    const lr = this.lr;
    this.stepped = false;
    this.before.set(this.params);
    const B = this.batch.B;
    for (let b = 0; b < B; b++) {
      this.task.trainSequence(this.step * B + b, this.seq);
      putSequence(this.batch, b, this.seq);
    }
    if (this.online) this.gradSum.fill(0);
    const { loss, saturation } = this.method.train(
      this.params,
      this.batch,
      this.loss,
      this.grad,
      () => this.applyUpdate(lr),
      !this.task.continues(this.step),
    );
    const sums = this.blockSums();
    const weightsOk = this.layout.blocks.every((_, k) => Number.isFinite(sums[4 * k + 1]));
    if (!Number.isFinite(loss) || !weightsOk) {
      this.params.set(this.before);
      const what = Number.isFinite(loss) ? 'the weights became non-finite (or too large to square)' : `the loss became ${loss}`;
      throw new DivergedError(`training diverged at step ${this.step + 1}: ${what}; the last finite weights are kept`);
    }
    this.step++;
    this.stepped = true;
    const metrics = this.stepMetrics(loss, lr, saturation, sums);
    this.rate.add(t0, performance.now(), this.batch.T * B);
    metrics.timestepsPerSec = this.rate.perSecond();
    return metrics;
  }

  /** Applies the gradient in grad; first adds it to the step's gradSum (online) or copies it there (when clipping will change grad). */
  private applyUpdate(lr: number): void {
    const { grad, gradSum } = this;
    if (this.online) for (let i = 0; i < grad.length; i++) gradSum[i] += grad[i];
    else if (gradSum !== grad) gradSum.set(grad);
    const { clipNorm, clipValue } = this.config.training;
    if (clipNorm !== null || clipValue !== null) clipGradients(this.grad, clipNorm, clipValue);
    this.optimizer.step(this.params, this.grad, lr);
  }

  /**
   * One pass over the parameters for every per-matrix scalar: for block k,
   * sums[4k..4k+3] = Σ g², Σ θ², Σ (θ − θ_before)², Σ θ_before². A weight
   * that is NaN or ±∞ makes its block's Σ θ² non-finite.
   */
  private blockSums(): Float64Array {
    const sums = new Float64Array(4 * this.layout.blocks.length);
    this.layout.blocks.forEach((blk, k) =>
      stepSums(this.gradSum, this.params, this.before, blk.offset, blk.offset + blk.size, sums, 4 * k),
    );
    return sums;
  }

  private stepMetrics(loss: number, lr: number, saturation: number, sums: Float64Array): StepMetrics {
    const gradNorm: PerMatrix = {},
      weightNorm: PerMatrix = {},
      updateRatio: PerMatrix = {};
    this.layout.blocks.forEach((blk, k) => {
      const [g, w, u, wb] = sums.subarray(4 * k, 4 * k + 4);
      gradNorm[blk.name] = Math.sqrt(g);
      weightNorm[blk.name] = Math.sqrt(w);
      updateRatio[blk.name] = wb === 0 ? (u === 0 ? 0 : Infinity) : Math.sqrt(u / wb);
    });
    return {
      step: this.step,
      loss,
      lr,
      gradNorm,
      weightNorm,
      updateRatio,
      spectralRadius: spectralStep(this.step, this.config.training.spectralEvery)
        ? this.spectral.estimate(this.params, this.layout.W)
        : Number.NaN,
      saturation,
      timestepsPerSec: 0,
      wallMs: performance.now() - this.started,
    };
  }

  /** Validation loss, histograms, the probe, W's eigenvalues and the gradient lab's numbers at the current weights. */
  evaluate(): EvalMetrics {
    const { layout, params, config } = this;
    const { d, n } = layout.shape;
    const validationLoss = this.evaluator.loss(params, this.validation, this.loss);
    const weights: EvalMetrics['histograms']['weights'] = {};
    const grads: EvalMetrics['histograms']['grads'] = {};
    for (const blk of layout.blocks) {
      weights[blk.name] = histogram(params, blk.offset, blk.size);
      grads[blk.name] = histogram(this.gradSum, blk.offset, blk.size);
    }
    this.probe.forward.run(params, this.probeBatch);
    const T = this.probeBatch.T;
    return {
      step: this.step,
      validationLoss,
      histograms: { weights, grads },
      probe: {
        T,
        d,
        n,
        hidden: Array.from(this.probe.forward.S.subarray(d, (T + 1) * d)),
        outputs: Array.from(this.probe.forward.Y.subarray(0, T * n)),
        targets: Array.from(this.probeBatch.y),
      },
      eigenvalues: Array.from(eigenvalues(params, layout.W, d)),
      lab: {
        ...probeLab(layout, config.model.activation, params, this.probeBatch, this.probe.forward.Y, this.loss, this.symbols()),
        alignment: this.stepped && APPROXIMATE.includes(config.method.kind) ? this.alignment() : null,
      },
    };
  }

  /** The last step's gradient against full BPTT's on its batch at the weights it started from (float64, the fast kernels). */
  private alignment(): GradientAlignment {
    const { layout, batch } = this;
    this.exact ??= createGradientMethod(
      { layout, T: batch.T, B: batch.B, dtype: 'float64' },
      { kind: 'bptt' },
      this.config.model.activation,
    );
    const grad = new Float64Array(layout.size);
    this.exact.train(Float64Array.from(this.before), batch, this.loss, grad, () => {}, true);
    return gradientAlignment(layout, this.gradSum, grad, this.step);
  }

  /** One-hot tasks decode their probe as characters (the text's vocabulary, or the copy task's symbol numbers). */
  private symbols(): { vocabulary: readonly string[] | null } | null {
    return this.task.targets === 'onehot' ? { vocabulary: this.task.vocabulary } : null;
  }

  checkpoint(): Checkpoint {
    return {
      step: this.step,
      baseLr: this.baseLr,
      weights: toWeights(this.layout, this.params),
      optimizer: this.optimizer.getState(),
      rng: this.rng.getState(),
      carry: this.method.saveCarry(),
      spectral: this.spectral.getState(),
    };
  }

  private restore(c: Checkpoint): void {
    if (!Number.isInteger(c.step) || c.step < 0) throw new RangeError(`checkpoint: step ${c.step} is not a step count`);
    this.params.set(fromWeights(this.layout, c.weights, this.config.dtype));
    this.optimizer.setState(c.optimizer);
    this.rng.setState(c.rng);
    if (c.carry) this.method.loadCarry(c.carry);
    // a snapshot from before the estimate's state was kept starts the estimate afresh
    if (c.spectral) this.spectral.setState(c.spectral);
    this.step = c.step;
    this.setLr(c.baseLr);
  }

  /**
   * RTRL vs BPTT vs finite differences at the current weights, on the
   * training sequence of the current step. Big models get a seeded sample
   * of 200 entries per matrix for the finite differences.
   */
  gradCheck(): GradCheckReport {
    const { m } = this.layout.shape;
    const bytes = rtrlBytes(this.layout.shape, 'float64');
    if (bytes > this.config.rtrlMemoryLimit) {
      throw new ConfigError([
        {
          path: 'model.hidden',
          message: `the gradient check runs exact RTRL, which needs ${formatBytes(bytes)} here, over rtrlMemoryLimit (${formatBytes(this.config.rtrlMemoryLimit)})`,
        },
      ]);
    }
    const batch = newBatch(this.task.T, 1, m, this.layout.shape.n, this.task.masked);
    this.task.trainSequence(this.step, this.seq);
    putSequence(batch, 0, this.seq);
    const sample = this.layout.size > 3000 ? { perMatrix: 200, rng: Rng.derive(this.config.seed, 0x9c) } : null;
    const r = gradCheck(this.layout, this.config.model.activation, Float64Array.from(this.params), batch, this.loss, 1e-5, sample);
    return {
      rtrlVsBptt: r.rtrlVsBptt,
      rtrlVsFiniteDiff: r.rtrlVsFiniteDiff,
      bpttVsFiniteDiff: r.bpttVsFiniteDiff,
      checked: r.checked,
      worst: r.worst,
      step: this.step,
    };
  }

  setLr(lr: number): void {
    if (!(lr > 0) || !Number.isFinite(lr)) throw new RangeError(`learning rate must be a positive finite number, got ${lr}`);
    this.baseLr = lr;
  }
}
