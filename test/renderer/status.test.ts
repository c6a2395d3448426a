// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { RUN_STATUSES } from '../../common/statuses';
import StatusBadge from '../../renderer/components/StatusBadge.vue';
import { canStop, isEnded, isTraining, statusReason } from '../../renderer/status';
import { summary } from './support/fake-api';

describe('what each run status allows in the app', () => {
  it('offers stop while a process works on the run, resume once it has ended', () => {
    expect(RUN_STATUSES.filter(canStop)).toEqual(['queued', 'running', 'paused']);
    expect(RUN_STATUSES.filter(isTraining)).toEqual(['running', 'paused']);
    expect(RUN_STATUSES.filter(isEnded)).toEqual(['completed', 'stopped', 'crashed', 'interrupted', 'diverged', 'failed']);
  });
});

describe('why a run is in its status', () => {
  const all = [
    summary(1, { status: 'running' }),
    summary(2, { status: 'paused' }),
    summary(3, { status: 'queued', updatedAt: 10 }),
    summary(4, { status: 'queued', updatedAt: 20 }),
    summary(5, { status: 'failed', endMessage: 'the database is full: free space, then resume' }),
    summary(6, { status: 'completed' }),
  ];
  it('says what a queued run waits for, with the runs queued ahead of it', () => {
    expect(statusReason(all[2], all, 2)).toBe('waiting for a free worker: 2 of 2 running');
    expect(statusReason(all[3], all, 2)).toBe('waiting for a free worker: 2 of 2 running; 1 queued ahead of it');
    expect(statusReason(all[2], all, null)).toBe('waiting for a free worker: 2 running');
  });

  it('gives an ended run its end message, and nothing when there is none', () => {
    expect(statusReason(all[4], all, 2)).toBe('the database is full: free space, then resume');
    expect(statusReason(all[5], all, 2)).toBeNull();
  });

  it('puts the reason in the badge’s tooltip', () => {
    const badge = mount(StatusBadge, { props: { status: 'failed', reason: 'worker died (signal SIGKILL)' } });
    expect(badge.get('[data-testid="status"]').attributes('title')).toBe('worker died (signal SIGKILL)');
    expect(
      mount(StatusBadge, { props: { status: 'completed' } })
        .get('[data-testid="status"]')
        .attributes('title'),
    ).toBeUndefined();
  });
});
