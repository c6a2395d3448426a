// @vitest-environment happy-dom
// The form's run time is measured (config:time) after each accepted check,
// and only the newest draft's timing is shown.

import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunTiming } from '../../../common/contract';
import { parseConfig } from '../../../native-worker/config';
import { useNewRunStore } from '../../../renderer/stores/new-run';
import { ESTIMATE, installFakeApi, Refused } from '../support/fake-api';

const timing = (totalMs: number): RunTiming => ({
  msPerStep: 2,
  evalMs: 5,
  setupMs: 30,
  startMs: 400,
  stepsTimed: 500,
  timingMs: 1000,
  totalMs,
});

beforeEach(() => setActivePinia(createPinia()));

describe('the new-run form’s timing', () => {
  it('times every accepted config and keeps only the newest answer', async () => {
    const answers: ((t: RunTiming) => void)[] = [];
    const api = installFakeApi({
      'config:check': ({ config }) => ({ config: parseConfig(config), estimate: ESTIMATE }),
      'config:time': () => new Promise<RunTiming>((resolve) => answers.push(resolve)),
    });
    const form = useNewRunStore();
    form.set(parseConfig({}), 'defaults', '');
    expect(await form.check()).toBe(true);
    expect(await form.check()).toBe(true);
    expect(api.callsTo('config:time')).toHaveLength(2);
    expect(form.timing).toBeNull();
    // the newer answer first, then the older one: the older is dropped
    answers[1](timing(9000));
    answers[0](timing(1));
    await new Promise((r) => setTimeout(r, 0));
    expect(form.timing?.totalMs).toBe(9000);
  });

  it('says why a config could not be timed', async () => {
    installFakeApi({
      'config:check': ({ config }) => ({ config: parseConfig(config), estimate: ESTIMATE }),
      'config:time': () => {
        throw new Refused('worker-exited', 'the training worker exited (signal SIGKILL) before answering');
      },
    });
    const form = useNewRunStore();
    form.set(parseConfig({}), 'defaults', '');
    await form.check();
    await new Promise((r) => setTimeout(r, 0));
    expect(form.timing).toBeNull();
    expect(form.timingError).toMatch(/worker exited/);
  });
});
