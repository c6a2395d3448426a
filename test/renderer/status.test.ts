import { describe, expect, it } from 'vitest';
import { RUN_STATUSES } from '../../common/statuses';
import { canStop, isEnded, isTraining } from '../../renderer/status';

describe('what each run status allows in the app', () => {
  it('offers stop while a process works on the run, resume once it has ended', () => {
    expect(RUN_STATUSES.filter(canStop)).toEqual(['queued', 'running', 'paused']);
    expect(RUN_STATUSES.filter(isTraining)).toEqual(['running', 'paused']);
    expect(RUN_STATUSES.filter(isEnded)).toEqual(['completed', 'stopped', 'crashed', 'interrupted', 'diverged', 'failed']);
  });
});
