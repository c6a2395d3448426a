// Watching a run from the terminal until it ends: a one-line progress bar
// on a TTY, JSON lines with --json, a line every tenth of the run otherwise.
// Ctrl-C, SIGTERM or a closed output stops the run cleanly (its data and a
// final snapshot are kept); a second signal exits at once (the next process
// to open the database marks the run interrupted).

import { formatRate } from '../../common/format';
import { ACTIVE_STATUSES } from '../../common/statuses';
import { RateWindow } from '../../common/throughput';
import type { HealthReport, RunSummary, StepMetrics } from '../../common/contract';
import type { RunManager } from '../runs/manager';
import { interruptName, onInterrupt, type Interrupt } from './interrupt';
import { jsonLine } from './terminal-text';

export interface FollowOptions {
  json: boolean;
  tty: boolean;
  write: (s: string) => void;
  totalSteps: number;
  /** The terminal's width now (it may be resized); 80 when unknown. */
  columns?: () => number | undefined;
}

export interface Followed {
  run: RunSummary;
  /** What stopped it from this terminal, if anything did. */
  interrupt: Interrupt | null;
}

export function follow(manager: RunManager, id: number, o: FollowOptions): Promise<Followed> {
  let step = 0,
    loss = Number.NaN,
    val = Number.NaN,
    speed = Number.NaN,
    health: HealthReport | null = null,
    lastDecile = -1,
    lastDraw = 0;
  // steps/s by the worker's clock (each step's wallMs) over a sliding window; time steps/s is the worker's own windowed figure
  const stepRate = new RateWindow(2000);
  let prev: StepMetrics | null = null;
  const started = Date.now();
  const draw = (force: boolean) => {
    const now = Date.now();
    if (!force && now - lastDraw < 100) return;
    lastDraw = now;
    const frac = Math.min(1, step / o.totalSteps);
    const eta = frac > 0 ? ((now - started) / frac - (now - started)) / 1000 : Number.NaN;
    const text = `loss ${fmt(loss)}  val ${fmt(val)}  ${formatRate(stepRate.perSecond())} steps/s  ${formatRate(speed)} ts/s  ETA ${fmtTime(eta)}`;
    // the health goes first, so the narrowest terminal still shows a warning
    const head = `step ${step}/${o.totalSteps} ${health && health.state !== 'healthy' ? `⚠ ${health.state} ` : ''}`;
    // one line that never wraps (a wrapped line is redrawn below itself, flooding the screen): the bar takes what is left
    const columns = (o.columns?.() ?? 80) - 1;
    const width = Math.max(0, Math.min(24, columns - head.length - text.length - 1)),
      full = Math.round(frac * width);
    const bar = width > 0 ? `${'█'.repeat(full)}${'░'.repeat(width - full)} ` : '';
    o.write(`\r\x1b[2K${`${head}${bar}${text}`.slice(0, columns)}`);
  };
  return new Promise((resolve) => {
    const offProgress = manager.on('progress', (p) => {
      if (p.id !== id) return;
      for (const s of p.steps) {
        if (prev) stepRate.add(prev.wallMs, s.wallMs, s.step - prev.step);
        prev = s;
      }
      const last = p.steps.at(-1);
      if (last) {
        step = last.step;
        loss = last.loss;
        speed = last.timestepsPerSec;
      }
      const e = p.evals.at(-1);
      if (e) val = e.validationLoss;
      health = p.evals.findLast((ev) => ev.health)?.health ?? health;
      if (o.json) {
        for (const s of p.steps)
          o.write(
            jsonLine({
              type: 'step',
              run: id,
              step: s.step,
              loss: s.loss,
              lr: s.lr,
              spectralRadius: s.spectralRadius,
              timestepsPerSec: s.timestepsPerSec,
            }),
          );
        for (const ev of p.evals)
          o.write(jsonLine({ type: 'eval', run: id, step: ev.step, validationLoss: ev.validationLoss, health: ev.health ?? null }));
      } else if (o.tty) {
        draw(false);
      } else {
        const decile = Math.floor((10 * step) / o.totalSteps);
        if (decile !== lastDecile) {
          lastDecile = decile;
          o.write(
            `step ${step}/${o.totalSteps}  loss ${fmt(loss)}  val ${fmt(val)}  ${health && health.state !== 'healthy' ? `⚠ ${health.state}` : 'healthy'}\n`,
          );
        }
      }
    });
    const offChanged = manager.on('changed', (r) => {
      if (r.id !== id || ACTIVE_STATUSES.includes(r.status)) return;
      offProgress();
      offChanged();
      watch.dispose();
      if (o.tty && !o.json) {
        draw(true);
        o.write('\n');
      }
      if (o.json)
        o.write(
          jsonLine({
            type: 'end',
            run: id,
            status: r.status,
            step: r.lastStep,
            bestValidationLoss: r.bestValidationLoss,
            message: r.endMessage,
            health: r.health,
          }),
        );
      resolve({ run: r, interrupt: watch.interrupt });
    });
    const watch = onInterrupt((i) => {
      if (!o.json && i !== 'EPIPE')
        o.write(`\nstopping run ${id} cleanly, with a final snapshot (${interruptName(i)} again to quit at once)…\n`);
      manager.stop(id).catch(() => undefined);
    });
  });
}

/** A run's health in one line: the state, since when, the first reason and the remedy. */
export function healthText(h: HealthReport | null): string {
  if (h === null) return 'not measured';
  if (h.state === 'healthy') return 'healthy';
  return `${h.state} since step ${h.since}: ${h.reasons[0] ?? ''}; remedy: ${h.remedy}`;
}

/** What the terminal says when a run has ended: status, step, best loss, why it ended, and its health unless that said it. */
export function endText(r: RunSummary): string {
  const h = r.health;
  const lines = [
    `run ${r.id} ${r.status} at step ${r.lastStep ?? 0}; best validation loss ${fmt(r.bestValidationLoss)}; health ${h?.state ?? '—'}`,
  ];
  if (r.endMessage) lines.push(r.endMessage);
  if (h && h.state !== 'healthy' && !(h.remedy && r.endMessage?.includes(h.remedy))) lines.push(`health: ${healthText(h)}`);
  return lines.join('\n');
}

export function fmt(v: number | null): string {
  if (v === null || Number.isNaN(v)) return '—';
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : v.toPrecision(4);
}

function fmtTime(s: number): string {
  if (!Number.isFinite(s)) return '—';
  const m = Math.floor(s / 60),
    sec = Math.round(s % 60);
  return `${m}:${String(sec).padStart(2, '0')}`;
}
