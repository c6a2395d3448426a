// One process runs a sweep (sweep_owners, the run-owner design): a second
// process is refused while the first is alive, naming it; a sweep whose
// process died, or that its process let go, can be taken.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../../main/store/store';
import { tempDir } from './fixtures';

let a: Store, b: Store;
let clock = 1_000;
let sweep: number;

beforeEach(() => {
  const file = tempDir().file('owners.db');
  a = Store.open(file, { ownerLabel: 'RNN Workbench (desktop app)', now: () => clock });
  b = Store.open(file, { ownerLabel: 'rnn-workbench sweep', now: () => clock });
  sweep = a.sweeps.create('s', { name: 's' }, [{ params: {}, seed: null }]);
});
afterEach(() => {
  a.close();
  b.close();
});

describe('sweep owners', () => {
  it('refuse a second live process, naming the one that runs the sweep', () => {
    a.sweeps.claim(sweep);
    expect(() => b.sweeps.claim(sweep)).toThrow(
      new RegExp(`^sweep ${sweep} is being run by RNN Workbench \\(desktop app\\) \\(pid ${process.pid} on .+\\)$`),
    );
    expect(b.sweeps.otherOwner(sweep)?.label).toBe('RNN Workbench (desktop app)');
    expect(a.sweeps.otherOwner(sweep)).toBeNull();
    a.sweeps.claim(sweep); // its own owner may claim again
  });

  it('let the sweep go when its process releases it; another process cannot release it', () => {
    a.sweeps.claim(sweep);
    b.sweeps.release(sweep);
    expect(b.sweeps.otherOwner(sweep)).not.toBeNull();
    a.sweeps.release(sweep);
    expect(b.sweeps.otherOwner(sweep)).toBeNull();
    b.sweeps.claim(sweep);
    expect(() => a.sweeps.claim(sweep)).toThrow(/being run by rnn-workbench sweep/);
  });

  it('hand over a sweep whose owner stopped beating its heart, and keep it while it beats', () => {
    a.sweeps.claim(sweep);
    clock += 20_000;
    a.heartbeat();
    clock += 20_000;
    expect(() => b.sweeps.claim(sweep)).toThrow(/being run by/); // 20 s since the last beat
    clock += 15_000;
    b.sweeps.claim(sweep); // 35 s: stale
    expect(a.sweeps.otherOwner(sweep)?.label).toBe('rnn-workbench sweep');
  });

  it('go with their sweep', () => {
    a.sweeps.claim(sweep);
    a.sweeps.delete(sweep);
    expect(b.sweeps.otherOwner(sweep)).toBeNull();
  });
});
