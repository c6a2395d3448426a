// The health monitor: from what the trainer measures anyway (each step's
// loss, per-matrix gradient norms and update ratios, ρ(W), saturation; each
// evaluation's validation loss and eigenvalues) it names the run's state,
// with the numbers behind it and what to change. It only reads numbers, so
// it runs beside any gradient method and costs nothing next to a step.
//
// Why these signals (MATH.md's model): a gradient that reaches back k steps
// is multiplied by k Jacobians diag(f′(z)) W, so ρ(W)·max f′ above 1 lets it
// grow like (ρ·max f′)^k and far below 1 makes it vanish; a saturated unit
// (|s| > 0.99 for tanh) has f′ < 0.02 and passes almost nothing back; an
// update larger than the weights it changes, a loss far above its best, or
// gradient norms growing by orders of magnitude in a few steps come before
// the numbers overflow.

import type { Activation, HealthReport, HealthState, InitScheme, StepMetrics } from '../../common/contract';
import { HEALTH_STATES } from '../../common/values';

export const HEALTH_LIMITS = {
  /** Exploding: ρ(W)·max f′·(1 − saturation) above this for a bounded f (tanh, sigmoid) … */
  gainBounded: 4,
  /** … and above this for an unbounded f (relu, identity: the state itself grows like the gain^t). */
  gainUnbounded: 1.5,
  /** Vanishing: ρ(W)·max f′ below this. */
  gainVanishing: 0.25,
  /** Exploding: an update larger than this fraction of the matrix it changes (‖Δθ‖/‖θ‖). */
  updateRatio: 1,
  /** Exploding: the loss (median of `window` steps, so one odd batch does not count) this many times its best so far. */
  lossGrowth: 1000,
  /** Exploding: the gradient norm's geometric mean over `window` steps this many times that of the window before. */
  gradGrowth: 100,
  /** Saturated: the mean fraction of saturated activations over `window` steps above this (tanh and sigmoid). */
  saturation: 0.9,
  /** Steps per window of the gradient-growth and saturation rules. */
  window: 5,
  /** Not learning: evaluations after step 0 before the validation loss is held against the baseline. */
  evaluations: 10,
} as const;

export type HealthLimits = { [K in keyof typeof HEALTH_LIMITS]: number };

/** The run's settings the remedies refer to. */
export interface HealthContext {
  activation: Activation;
  init: InitScheme;
  gain: number;
  lr: number;
  clipping: boolean;
}

/** The largest |f′(z)|: how much one time step can amplify a gradient besides W. */
const MAX_SLOPE: Record<Activation, number> = { tanh: 1, sigmoid: 0.25, relu: 1, identity: 1 };
const BOUNDED: Record<Activation, boolean> = { tanh: true, sigmoid: true, relu: false, identity: false };

interface Finding {
  state: Exclude<HealthState, 'healthy'>;
  reason: string;
}

export class HealthMonitor {
  private current: HealthReport = { state: 'healthy', step: 0, since: 0, reasons: [], remedy: null };
  private readonly losses: number[] = [];
  private bestLoss = Infinity;
  private readonly logGrad: number[] = [];
  private readonly saturation: number[] = [];
  private evaluations = 0;
  /** The latest evaluation's findings (not learning, a non-finite validation loss), held until the next evaluation. */
  private evalFindings: Finding[] = [];
  /** The latest step's findings besides ρ(W), which an evaluation takes exactly from the eigenvalues. */
  private stepFindings: Finding[] = [];
  /** The latest measured ρ(W): steps between the estimates (training.spectralEvery) report NaN (NaN before the first). */
  private rho = Number.NaN;
  /** The latest step's saturation (NaN before the first step). */
  private lastSaturation = Number.NaN;
  /** The last step whose findings named the state held. */
  private lastSeen = 0;

  constructor(
    private readonly context: HealthContext,
    private readonly limits: HealthLimits = HEALTH_LIMITS,
  ) {}

  get report(): HealthReport {
    return this.current;
  }

  /** The loss (median of the last `window` steps) over its best such median; 0 until there is a best. */
  get lossGrowth(): number {
    return this.losses.length === this.limits.window && this.bestLoss > 0 && this.bestLoss < Infinity
      ? median(this.losses) / this.bestLoss
      : 0;
  }

  /** The best median loss so far (Infinity before the first window). */
  get bestMedianLoss(): number {
    return this.bestLoss;
  }

  /** One training step's metrics. */
  step(m: StepMetrics): HealthReport {
    const L = this.limits;
    const findings: Finding[] = [];
    if (!Number.isFinite(m.loss)) findings.push({ state: 'exploding', reason: `the loss is ${m.loss}` });
    else {
      push(this.losses, m.loss, L.window);
      const growth = this.lossGrowth;
      if (growth > L.lossGrowth) {
        const loss = median(this.losses);
        findings.push({
          state: 'exploding',
          reason: `loss ${num(loss)} is ${num(growth)}× its best, ${num(this.bestLoss)} (medians of ${L.window} steps)`,
        });
      }
      if (this.losses.length === L.window) this.bestLoss = Math.min(this.bestLoss, median(this.losses));
    }
    for (const name of ['U', 'W', 'V'] as const) {
      const r = m.updateRatio[name];
      // a matrix that was all zeros has an infinite ratio without anything being wrong
      if (r !== undefined && Number.isFinite(r) && r > L.updateRatio) {
        findings.push({ state: 'exploding', reason: `the update of ${name} was ${num(r)}× its norm (lr ${num(m.lr)})` });
      }
    }
    const gradNorm = Math.sqrt(Object.values(m.gradNorm).reduce((a, g) => a + g * g, 0));
    if (!Number.isFinite(gradNorm)) findings.push({ state: 'exploding', reason: `the gradient norm is ${gradNorm}` });
    else {
      push(this.logGrad, Math.log(Math.max(gradNorm, Number.MIN_VALUE)), 2 * L.window);
      if (this.logGrad.length === 2 * L.window) {
        const before = mean(this.logGrad.slice(0, L.window)),
          after = mean(this.logGrad.slice(L.window));
        if (after - before > Math.log(L.gradGrowth)) {
          findings.push({
            state: 'exploding',
            reason: `the gradient norm grew ${num(Math.exp(after - before))}× in ${L.window} steps (${num(Math.exp(before))} → ${num(Math.exp(after))})`,
          });
        }
      }
    }
    if (BOUNDED[this.context.activation] && !Number.isNaN(m.saturation)) {
      push(this.saturation, m.saturation, L.window);
      const s = mean(this.saturation);
      if (this.saturation.length === L.window && s > L.saturation) {
        findings.push({
          state: 'saturated',
          reason: `${Math.round(100 * s)} % of hidden activations saturated (|s| > 0.99, f′ < 0.02) over the last ${L.window} steps`,
        });
      }
    }
    this.stepFindings = findings;
    this.lastSaturation = m.saturation;
    if (!Number.isNaN(m.spectralRadius)) this.rho = m.spectralRadius;
    return this.decide(m.step, [...this.gainFindings(this.rho), ...findings, ...this.evalFindings]);
  }

  /** An evaluation: its validation loss against the task's trivial baseline (null: none), and W's eigenvalues (re, im pairs). */
  evaluation(step: number, validationLoss: number, baseline: number | null, eigenvalues: readonly number[]): HealthReport {
    if (step > 0) this.evaluations++;
    this.evalFindings = [];
    if (!Number.isFinite(validationLoss))
      this.evalFindings.push({ state: 'exploding', reason: `the validation loss is ${validationLoss}` });
    else if (baseline !== null && this.evaluations >= this.limits.evaluations && validationLoss >= baseline) {
      this.evalFindings.push({
        state: 'not-learning',
        reason: `validation loss ${num(validationLoss)} is no better than the trivial baseline ${num(baseline)} after ${this.evaluations} evaluations`,
      });
    }
    let rho = 0;
    for (let i = 0; i < eigenvalues.length; i += 2) rho = Math.max(rho, Math.hypot(eigenvalues[i], eigenvalues[i + 1]));
    this.rho = rho;
    return this.decide(step, [...this.gainFindings(rho), ...this.stepFindings, ...this.evalFindings]);
  }

  /**
   * ρ(W)·max f′ bounds how much one time step can grow a gradient; for a
   * bounded f only the unsaturated units pass it on, so the exploding rule
   * weighs it by (1 − saturation): a trained oscillator may well have ρ = 6
   * with half its units saturated.
   */
  private gainFindings(rho: number): Finding[] {
    if (Number.isNaN(rho)) return [];
    const { activation } = this.context;
    const slope = MAX_SLOPE[activation];
    const gain = rho * slope;
    if (!Number.isFinite(gain)) return [{ state: 'exploding', reason: `ρ(W) is ${rho}` }];
    const of = slope === 1 ? `ρ(W) = ${num(rho)}` : `ρ(W)·max f′ = ${num(rho)}·${slope} = ${num(gain)}`;
    if (BOUNDED[activation]) {
      const free = 1 - (Number.isNaN(this.lastSaturation) ? 0 : this.lastSaturation);
      if (gain * free > this.limits.gainBounded) {
        return [
          {
            state: 'exploding',
            reason: `${of} with ${Math.round(100 * free)} % of units unsaturated: a gradient through time can grow ${num(gain * free)}× per step (> ${this.limits.gainBounded})`,
          },
        ];
      }
    } else if (gain > this.limits.gainUnbounded) {
      return [
        { state: 'exploding', reason: `${of} > ${this.limits.gainUnbounded}: the state and its gradient grow ${num(gain)}× per step` },
      ];
    }
    if (gain < this.limits.gainVanishing) {
      return [
        {
          state: 'vanishing',
          reason: `${of} < ${this.limits.gainVanishing}: a gradient through time shrinks at least ${num(1 / gain)}× per step (${num(gain ** 10)} after 10 steps)`,
        },
      ];
    }
    return [];
  }

  private decide(step: number, findings: Finding[]): HealthReport {
    const found = HEALTH_STATES.find((s) => s !== 'healthy' && findings.some((f) => f.state === s)) ?? 'healthy';
    const held = this.current.state;
    if (found === held) this.lastSeen = step;
    // a worse state is named at once; a better one only after `window` steps without the findings of the one held
    const better = found === 'healthy' || (held !== 'healthy' && HEALTH_STATES.indexOf(found) > HEALTH_STATES.indexOf(held));
    if (better && held !== 'healthy' && step - this.lastSeen < this.limits.window) {
      this.current = { ...this.current, step };
      return this.current;
    }
    const worst = found;
    if (worst !== held) this.lastSeen = step;
    // the deciding state's reasons first, then the others
    const reasons = [...findings.filter((f) => f.state === worst), ...findings.filter((f) => f.state !== worst)].map((f) => f.reason);
    const since = worst === this.current.state ? this.current.since : step;
    this.current = { state: worst, step, since, reasons: [...new Set(reasons)], remedy: remedyFor(worst, this.context) };
    return this.current;
  }
}

/** What to change for a state, in the run's own settings. */
export function remedyFor(state: HealthState, c: HealthContext): string | null {
  const lowerLr = `lower the learning rate (${num(c.lr)} → ${num(c.lr / 10)})`;
  const gainInit = c.init === 'orthogonal' || c.init === 'identity';
  switch (state) {
    case 'healthy':
      return null;
    case 'exploding':
      return [
        c.clipping ? null : 'clip gradients (training.clipNorm 1)',
        lowerLr,
        gainInit && c.gain > 1 ? `lower the init gain (${num(c.gain)} → 1)` : null,
        BOUNDED[c.activation] ? null : 'use tanh, whose state stays bounded',
      ]
        .filter((s) => s !== null)
        .join('; ');
    case 'saturated':
      return [
        gainInit && c.gain > 1 ? `lower the init gain (${num(c.gain)} → 1)` : 'start W smaller (orthogonal init, gain 1)',
        lowerLr,
        'scale the inputs down (csv: normalize zscore)',
        'or use relu with identity init',
      ].join('; ');
    case 'vanishing':
      return [
        gainInit ? `raise the init gain (${num(c.gain)} → 1)` : 'start W at the edge of stability (orthogonal or identity init, gain 1)',
        c.activation === 'sigmoid' ? 'use tanh instead of sigmoid (max f′ 1, not 0.25)' : 'or use relu with identity init',
      ].join('; ');
    case 'not-learning':
      return `raise the learning rate (${num(c.lr)} → ${num(c.lr * 3)}), train longer, or use more hidden units; with tbptt, a longer truncation k`;
  }
}

function push(list: number[], v: number, max: number): void {
  list.push(v);
  if (list.length > max) list.shift();
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Three significant digits, exponent form outside [1e-3, 1e5). */
function num(v: number): string {
  const a = Math.abs(v);
  return a !== 0 && Number.isFinite(v) && (a < 1e-3 || a >= 1e5) ? v.toExponential(2) : String(Number(v.toPrecision(3)));
}
