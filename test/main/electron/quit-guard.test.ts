import { describe, expect, it } from 'vitest';
import { QuitGuard, type QuitGuardOptions } from '../../../main/electron/quit-guard';

/** A guard over recorded callbacks; `answer` is what the user clicks, `app.quit()` loops back as Electron's does. */
function setup(busy: number, answer: boolean) {
  const log: string[] = [];
  let prevented = 0;
  const event = () => ({ preventDefault: () => void prevented++ });
  const o: QuitGuardOptions = {
    busyRuns: () => busy,
    confirm: async (n) => {
      log.push(`confirm ${n}`);
      return answer;
    },
    shutdown: async () => void log.push('shutdown'),
    quit: () => {
      log.push('quit');
      guard.beforeQuit(event());
    },
    report: (e) => log.push(`error ${String(e)}`),
  };
  const guard = new QuitGuard(o);
  return { guard, log, event, prevented: () => prevented };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('quitting', () => {
  it('with runs training asks, then stops them and closes the database before quitting for real', async () => {
    const s = setup(2, true);
    s.guard.beforeQuit(s.event());
    await settle();
    expect(s.log).toEqual(['confirm 2', 'shutdown', 'quit']);
    expect(s.guard.closed).toBe(true);
    expect(s.prevented()).toBe(1); // the second 'before-quit' went through
  });

  it('cancelled keeps the app and its runs, and a later quit asks again', async () => {
    const s = setup(1, false);
    s.guard.beforeQuit(s.event());
    await settle();
    expect(s.log).toEqual(['confirm 1']);
    expect(s.guard.closed).toBe(false);
    s.guard.beforeQuit(s.event());
    await settle();
    expect(s.log).toEqual(['confirm 1', 'confirm 1']);
  });

  it('with nothing training does not ask, but still closes the database first', async () => {
    const s = setup(0, false);
    s.guard.beforeQuit(s.event());
    await settle();
    expect(s.log).toEqual(['shutdown', 'quit']);
  });

  it('asks once however often quit is requested meanwhile', async () => {
    const s = setup(1, true);
    s.guard.beforeQuit(s.event());
    s.guard.beforeQuit(s.event());
    s.guard.beforeQuit(s.event());
    await settle();
    expect(s.log).toEqual(['confirm 1', 'shutdown', 'quit']);
  });

  it('from a signal stops the runs without asking', async () => {
    const s = setup(3, false);
    s.guard.quitWithoutAsking();
    await settle();
    expect(s.log).toEqual(['shutdown', 'quit']);
  });
});
