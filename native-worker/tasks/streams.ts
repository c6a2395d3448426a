// The random streams of a task, all drawn from Rng. Training sequence k gets
// its own generator derived from (seed, k), so it is the same whichever
// sequences were asked for before; the held-out set draws from a separate
// stream. The labels are arbitrary constants, chosen to stay clear of the
// small labels other parts of the engine derive from the same run seed.

import { Rng } from '../engine/prng';

const TRAIN_LABEL = 0x7461736b; // 'task'
const VALIDATION_LABEL = 0x68656c64; // 'held'
const TWO_POW_32 = 4294967296;

export class TaskStreams {
  private readonly trainRoot: number;
  private readonly validationRoot: number;

  constructor(seed: number) {
    this.trainRoot = Rng.derive(seed, TRAIN_LABEL).nextU32();
    this.validationRoot = Rng.derive(seed, VALIDATION_LABEL).nextU32();
  }

  /** The generator of training sequence `index` (any safe integer ≥ 0; the high word is folded into the seed). */
  train(index: number): Rng {
    const high = Math.floor(index / TWO_POW_32);
    return Rng.derive((this.trainRoot ^ Math.imul(high, 0x2545f491)) >>> 0, index >>> 0);
  }

  /** The generator of the held-out set, drawn from once, in order. */
  validation(): Rng {
    return new Rng(this.validationRoot);
  }
}
