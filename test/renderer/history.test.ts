// @vitest-environment happy-dom
// The run table's search, filters and sorting; the health badge; the hash routes.

import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { HealthState } from '../../common/contract';
import HealthBadge from '../../renderer/components/HealthBadge.vue';
import { allTags, filterRuns, sortRuns } from '../../renderer/history/table';
import { hrefOf, parseHash } from '../../renderer/stores/nav';
import { summary } from './support/fake-api';

const runs = [
  summary(1, { name: 'sine baseline', tags: ['a'], bestValidationLoss: 0.3, hidden: 8 }),
  summary(2, { name: 'copy long', taskKind: 'copy', status: 'failed', bestValidationLoss: null, notes: 'diverged at lr 0.1', hidden: 16 }),
  summary(3, { name: 'sine wide', tags: ['a', 'b'], bestValidationLoss: 0.1, hidden: 4 }),
];

describe('the run table', () => {
  it('searches every word in name, notes, tags, task and status', () => {
    expect(filterRuns(runs, { search: 'sine', status: '', tag: '' }).map((r) => r.id)).toEqual([1, 3]);
    expect(filterRuns(runs, { search: 'DIVERGED lr', status: '', tag: '' }).map((r) => r.id)).toEqual([2]);
    expect(filterRuns(runs, { search: '', status: 'failed', tag: '' }).map((r) => r.id)).toEqual([2]);
    expect(filterRuns(runs, { search: 'sine', status: '', tag: 'b' }).map((r) => r.id)).toEqual([3]);
    expect(allTags(runs)).toEqual(['a', 'b']);
  });

  it('sorts either way with missing values last', () => {
    expect(sortRuns(runs, 'bestValidationLoss', false).map((r) => r.id)).toEqual([3, 1, 2]);
    expect(sortRuns(runs, 'bestValidationLoss', true).map((r) => r.id)).toEqual([1, 3, 2]);
    expect(sortRuns(runs, 'hidden', false).map((r) => r.id)).toEqual([3, 1, 2]);
    expect(sortRuns(runs, 'hidden', true).map((r) => r.id)).toEqual([2, 1, 3]);
    expect(sortRuns(runs, 'name', false).map((r) => r.id)).toEqual([2, 1, 3]);
  });

  it('sorts by health worst first, finds runs by it, and shows it as a badge whose tooltip holds the reasons and the remedy', () => {
    const health = (state: HealthState) => ({ state, step: 9, since: 4, reasons: [`${state} because`], remedy: `cure ${state}` });
    const rows = [
      summary(1, { health: health('healthy') }),
      summary(2, { health: health('exploding') }),
      summary(3),
      summary(4, { health: health('not-learning') }),
    ];
    expect(sortRuns(rows, 'health', true).map((r) => r.id)).toEqual([2, 4, 1, 3]);
    expect(sortRuns(rows, 'health', false).map((r) => r.id)).toEqual([1, 4, 2, 3]);
    expect(filterRuns(rows, { search: 'exploding', status: '', tag: '' }).map((r) => r.id)).toEqual([2]);
    const badge = mount(HealthBadge, { props: { health: health('exploding') } });
    const state = badge.get('[data-testid="health-state"]');
    expect(state.text()).toBe('exploding');
    expect(state.classes()).toContain('health-exploding');
    expect(state.attributes('title')).toBe('exploding since step 4\nexploding because\nremedy: cure exploding');
    expect(badge.find('[data-testid="health-detail"]').exists()).toBe(false);
    const detail = mount(HealthBadge, { props: { health: health('saturated'), detail: true } });
    expect(detail.get('[data-testid="health-detail"]').text()).toBe('saturated because — remedy: cure saturated');
    expect(
      mount(HealthBadge, { props: { health: health('healthy'), detail: true } })
        .find('[data-testid="health-detail"]')
        .exists(),
    ).toBe(false);
    expect(mount(HealthBadge, { props: { health: null } }).html()).toBe('<!--v-if-->');
  });
});

describe('routes', () => {
  it('parses and builds hash routes', () => {
    expect(parseHash('#/runs/12')).toEqual({ name: 'run', id: 12, query: {} });
    expect(parseHash('#/runs/12/snapshots')).toEqual({ name: 'snapshots', id: 12, query: {} });
    expect(parseHash('#/compare?runs=1,2&x=wall')).toEqual({ name: 'compare', id: null, query: { runs: '1,2', x: 'wall' } });
    expect(parseHash('')).toEqual({ name: 'history', id: null, query: {} });
    expect(hrefOf('new', null, { fork: '3' })).toBe('#/new?fork=3');
    expect(parseHash(hrefOf('snapshots', 7))).toEqual({ name: 'snapshots', id: 7, query: {} });
    expect(hrefOf('lab', 7, { tab: 'flow' })).toBe('#/runs/7/lab?tab=flow');
    expect(parseHash('#/runs/7/lab?tab=flow')).toEqual({ name: 'lab', id: 7, query: { tab: 'flow' } });
    expect(parseHash('#/runs/7/elsewhere')).toEqual({ name: 'run', id: 7, query: {} });
  });
});
