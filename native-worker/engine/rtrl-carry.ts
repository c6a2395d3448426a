// What every RTRL implementation carries from one time step to the next:
// the hidden state s^t and the sensitivities [P Q R]^t. Both the reference
// (rtrl.ts) and the fast path (fast/rtrl-naive.ts) reset, expose and
// checkpoint them the same way (online runs save them as the carry).

import type { FloatArray } from './tensor';

export abstract class RtrlCarry<A extends FloatArray> {
  protected abstract s: A;
  protected abstract sens: A;

  /** s^0 = 0 and zero sensitivities: the start of an independent sequence. */
  reset(): void {
    this.sens.fill(0);
    this.s.fill(0);
  }

  /** The hidden state after the latest step. */
  get state(): A {
    return this.s;
  }

  /** The sensitivities [P Q R] after the latest step, d × cols row-major (read only). */
  get sensitivities(): A {
    return this.sens;
  }

  /** The carried state: s then the sensitivities, for checkpoints of online runs. */
  saveCarry(): Float64Array {
    const out = new Float64Array(this.s.length + this.sens.length);
    out.set(this.s, 0);
    out.set(this.sens, this.s.length);
    return out;
  }

  loadCarry(carry: ArrayLike<number>): void {
    if (carry.length !== this.s.length + this.sens.length) {
      throw new RangeError(`RTRL carry has ${carry.length} values; this model needs ${this.s.length + this.sens.length}`);
    }
    for (let i = 0; i < this.s.length; i++) this.s[i] = carry[i];
    for (let i = 0; i < this.sens.length; i++) this.sens[i] = carry[this.s.length + i];
  }
}
