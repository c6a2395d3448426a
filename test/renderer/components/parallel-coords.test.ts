// @vitest-environment happy-dom
// Parallel coordinates in a DOM: a line per run, hover text, click to open,
// and a brush dragged along an axis that greys the runs outside it.

import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { ParamRow } from '../../../renderer/charts/param-axes';
import ParallelCoords from '../../../renderer/components/ParallelCoords.vue';

const rows: ParamRow[] = [
  { runId: 11, params: { lr: 0.001, method: 'bptt' }, metric: 0.5 },
  { runId: 12, params: { lr: 0.01, method: 'rtrl' }, metric: 0.05 },
  { runId: 13, params: { lr: 0.1, method: 'bptt' }, metric: null },
];

const make = () =>
  mount(ParallelCoords, {
    props: { rows, axes: [{ key: 'lr', label: 'learning rate' }, { key: 'method' }], height: 300 },
    attachTo: document.body,
  });

describe('ParallelCoords', () => {
  it('draws a line per run across the axes, and stops a line where the run has no value', () => {
    const w = make();
    expect(w.findAll('[data-axis]').map((a) => a.find('.axis-label').text())).toEqual(['learning rate', 'method', 'validation loss']);
    const d = (id: number) => w.get(`[data-run="${id}"]`).attributes('d');
    expect(d(12)?.match(/[ML]/g)).toEqual(['M', 'L', 'L']);
    expect(d(13)?.match(/[ML]/g)).toEqual(['M', 'L']);
    w.unmount();
  });

  it('shows the run under the pointer and emits open with its id on click', async () => {
    const w = make();
    await w.get('[data-run-hit="12"]').trigger('pointerenter');
    expect(w.get('[data-testid=pcoords-hover]').text()).toBe('run #12 · learning rate 0.01 · method rtrl · validation loss 0.05');
    await w.get('[data-run-hit="12"]').trigger('click');
    expect(w.emitted('open')).toEqual([[12]]);
    w.unmount();
  });

  it('keeps the runs inside a range dragged on an axis, and clears it on a click', async () => {
    const w = make();
    const hit = w.get('[data-axis="method"] .axis-hit');
    // The plot runs from y = 34 (top, "rtrl") to y = 278 (bottom, "bptt"): drag over the top third.
    await hit.trigger('pointerdown', { clientY: 30, pointerId: 1 });
    await hit.trigger('pointermove', { clientY: 110, pointerId: 1 });
    await hit.trigger('pointerup', { pointerId: 1 });
    expect(w.get('[data-testid=pcoords-brushed]').text()).toContain('1 of 3 runs in range');
    expect(w.emitted('brush')).toEqual([[[12]]]);
    expect(w.get('[data-run="11"]').classes()).toContain('out');
    expect(w.get('[data-run="12"]').classes()).not.toContain('out');
    await hit.trigger('pointerdown', { clientY: 100, pointerId: 1 });
    await hit.trigger('pointerup', { pointerId: 1 });
    expect(w.find('[data-testid=pcoords-brushed]').exists()).toBe(false);
    expect(w.emitted('brush')!.at(-1)).toEqual([null]);
    w.unmount();
  });
});
