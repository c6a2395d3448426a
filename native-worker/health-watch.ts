// The health monitor beside a Trainer, as the message loop drives it: every
// step goes through it (a loss grown past training.divergenceFactor times its
// best ends the run 'diverged' here, before any number overflows; medians of
// a few steps, so one odd batch that the run recovers from does not),
// and every evaluation leaves with the run's health and the task's trivial
// baselines. When the state changes between two scheduled evaluations the
// loop evaluates at once, so the stored evaluations hold every change.

import type { EvalMetrics, StepMetrics, TaskBaseline } from '../common/contract';
import { HEALTH_LIMITS, HealthMonitor } from './engine/health';
import { lossSpec } from './engine/loss';
import { taskBaselines } from './tasks/baseline';
import { DivergedError, type Trainer } from './trainer';

export class HealthWatch {
  readonly baselines: TaskBaseline[];
  private readonly monitor: HealthMonitor;
  private lastEval = -1;

  constructor(private readonly trainer: Trainer) {
    const { config, task } = trainer;
    this.baselines = taskBaselines(task, lossSpec(config.loss, task.n));
    const { clipNorm, clipValue, lr } = config.training;
    const { activation, init, gain } = config.model;
    this.monitor = new HealthMonitor({ activation, init, gain, lr, clipping: clipNorm !== null || clipValue !== null });
  }

  get health() {
    return this.monitor.report;
  }

  /** One step's metrics: true when the health state changed. Throws DivergedError when the loss outgrew its best by the configured factor. */
  step(m: StepMetrics): boolean {
    const before = this.monitor.report.state;
    const report = this.monitor.step(m);
    const factor = this.trainer.config.training.divergenceFactor;
    const growth = this.monitor.lossGrowth;
    if (factor !== null && growth > factor) {
      throw new DivergedError(
        `training diverged at step ${m.step}: the loss grew ${growth.toExponential(2)}× over its best ` +
          `${this.monitor.bestMedianLoss.toExponential(3)} (medians of ${HEALTH_LIMITS.window} steps), more than training.divergenceFactor ${factor}`,
      );
    }
    return report.state !== before;
  }

  /** The trainer's evaluation now, with health and baselines; null when this step has one already. */
  evaluate(): EvalMetrics | null {
    if (this.trainer.step === this.lastEval) return null;
    this.lastEval = this.trainer.step;
    const e = this.trainer.evaluate();
    const baseline = this.baselines[0]?.loss ?? null;
    const health = this.monitor.evaluation(e.step, e.validationLoss, baseline, e.eigenvalues);
    return { ...e, health: { ...health, reasons: [...health.reasons] }, baselines: this.baselines };
  }

  /** The end message of a diverged run: what ended it, and the health the monitor had named (and since when). */
  divergedMessage(message: string): string {
    const h = this.monitor.report;
    if (h.state === 'healthy') return message;
    const lead = h.since < this.trainer.step + 1 ? ` since step ${h.since}` : '';
    return `${message}. Health: ${h.state}${lead} (${h.reasons[0]}); remedy: ${h.remedy}`;
  }
}
