// The engine's checkpoints made or checked outside a run (checkpoint.ts):
// a run started from given weights is where a fresh run of the same seed is
// after initialising, for every init scheme; snapshots that do not fit a
// run are refused with the part that does not; a fork keeps what still
// applies.

import { describe, expect, it } from 'vitest';
import type { Checkpoint, InitScheme, RunConfig } from '../../common/contract';
import { INIT_SCHEMES } from '../../common/values';
import {
  CheckpointError,
  checkCheckpoint,
  checkConfig,
  ConfigError,
  forkCheckpoint,
  weightsCheckpoint,
} from '../../native-worker/engine-api';
import { Trainer } from '../../native-worker/trainer';

const configOf = (init: InitScheme, over: Record<string, unknown> = {}): RunConfig =>
  checkConfig({
    seed: 5,
    task: { kind: 'sine', channels: 2, T: 6, validationSequences: 1 },
    // d = 3: an orthogonal W draws 9 normals, so the PRNG keeps a spare one
    model: { hidden: 3, init, hiddenBias: true },
    training: { steps: 4, optimizer: { kind: 'adam' } },
    ...over,
  }).config;

const sizes = { m: 2, n: 2 };

function trained(config: RunConfig, steps: number): Checkpoint {
  const trainer = new Trainer(config);
  for (let i = 0; i < steps; i++) trainer.runStep();
  return trainer.checkpoint();
}

describe('weightsCheckpoint', () => {
  for (const init of INIT_SCHEMES) {
    it(`${init}: the initial weights under their own config give the fresh run's step-0 checkpoint`, () => {
      const config = configOf(init);
      const fresh = trained(config, 0);
      const made = weightsCheckpoint(config, sizes, fresh.weights);
      expect(made).toEqual({ ...fresh, spectral: null });
      expect(Number.isNaN(made.rng[4])).toBe(init !== 'orthogonal');
    });
  }

  it('refuses weights of another shape, and values a float32 model cannot hold', () => {
    const config = configOf('uniform');
    const { weights } = trained(config, 0);
    expect(() => weightsCheckpoint(config, { m: 3, n: 2 }, weights)).toThrow(
      expect.objectContaining({ kind: 'shape-mismatch', part: 'weights', message: expect.stringMatching(/^weights: U is 3×2/) }),
    );
    const huge = { ...weights, W: { ...weights.W, data: weights.W.data.map((v, i) => (i === 4 ? 1e300 : v)) } };
    expect(() => weightsCheckpoint({ ...config, dtype: 'float32' }, sizes, huge)).toThrow(
      new CheckpointError('non-finite', 'weights', 'W[1,1] = 1e+300 overflows float32'),
    );
  });
});

describe('checkCheckpoint', () => {
  const online = configOf('uniform', { method: { kind: 'rtrl-online' } });
  const cp = trained(online, 2);

  it("takes a run's own snapshot, and names what does not fit another run", () => {
    expect(cp.carry).not.toBeNull();
    expect(() => checkCheckpoint(cp, online, sizes)).not.toThrow();
    const bptt = { ...online, method: { kind: 'bptt' as const } };
    expect(() => checkCheckpoint(cp, bptt, sizes)).toThrow(
      new CheckpointError('wrong-method', 'carry', 'carries online RTRL state but the method is bptt'),
    );
    expect(() => checkCheckpoint({ ...cp, carry: null }, bptt, sizes)).not.toThrow();
    const sgd = { ...online, training: { ...online.training, optimizer: { kind: 'sgd' as const } } };
    expect(() => checkCheckpoint(cp, sgd, sizes)).toThrow(expect.objectContaining({ kind: 'shape-mismatch', part: 'state' }));
    const wide = { ...online, model: { ...online.model, hidden: 4 } };
    expect(() => checkCheckpoint(cp, wide, sizes)).toThrow(expect.objectContaining({ kind: 'shape-mismatch', part: 'state' }));
    const start = new Float64Array(5);
    expect(() => checkCheckpoint({ ...cp, spectral: { rng: cp.rng, start } }, online, sizes)).toThrow(
      new CheckpointError('shape-mismatch', 'spectral-start', "5 values, the model's W is 3×3"),
    );
  });
});

describe('forkCheckpoint', () => {
  const online = configOf('uniform', { method: { kind: 'rtrl-online' }, training: { steps: 10, optimizer: { kind: 'adam' } } });
  const cp = trained(online, 2);
  const fork = (to: RunConfig) => forkCheckpoint(cp, { config: online, sizes }, { config: to, sizes });

  it('keeps the carried state for the same method, and the moments for the same optimizer', () => {
    const same = fork({ ...online, training: { ...online.training, lr: 0.5 } });
    expect(same).toEqual({ ...cp, baseLr: 0.5 });
    const other = fork({ ...online, method: { kind: 'rtrl' } });
    expect(other.carry).toBeNull();
    expect(other.optimizer).toEqual(cp.optimizer);
    const sgd = fork({ ...online, training: { ...online.training, optimizer: { kind: 'sgd' } } });
    expect(sgd.optimizer).toEqual({ t: 0, buffers: [] });
    expect(sgd.weights).toEqual(cp.weights);
  });

  it("refuses another model's shape and a run that ends before the snapshot, naming the field", () => {
    expect(() => fork({ ...online, model: { ...online.model, hiddenBias: false } })).toThrow(
      expect.objectContaining({ constructor: ConfigError, message: expect.stringMatching(/^model: a fork keeps the model's shape/) }),
    );
    expect(() => forkCheckpoint(cp, { config: online, sizes }, { config: online, sizes: { m: 3, n: 2 } })).toThrow(/^model: /);
    expect(() => fork({ ...online, training: { ...online.training, steps: 2 } })).toThrow(
      /^training\.steps: must be more than the snapshot's step 2$/,
    );
  });
});
