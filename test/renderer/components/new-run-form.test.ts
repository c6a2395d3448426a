// @vitest-environment happy-dom
// The new-run form against the engine's own config schema: messages beside
// the right inputs, messages for fields not on screen at the top, variant
// switches with that variant's defaults, and a refused config never sent.

import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunConfig } from '../../../common/contract';
import { ConfigError, parseConfig } from '../../../native-worker/config';
import { useNavStore } from '../../../renderer/stores/nav';
import { CHECK_DELAY_MS, useNewRunStore } from '../../../renderer/stores/new-run';
import NewRunView from '../../../renderer/views/NewRunView.vue';
import { configHandlers, installFakeApi, record, Refused, type FakeApi } from '../support/fake-api';

let api: FakeApi;
let wrapper: VueWrapper;

/** The check the form schedules after an edit (on the fake clock), and what it renders. */
const settle = async () => {
  await vi.advanceTimersByTimeAsync(CHECK_DELAY_MS);
  await flushPromises();
};

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  window.location.hash = '#/new';
  setActivePinia(createPinia());
  api = installFakeApi({
    ...configHandlers,
    'runs:list': () => [],
    'runs:create': ({ config, name }) => record(9, parseConfig(config), { name: name ?? 'generated' }),
  });
  wrapper = mount(NewRunView, { attachTo: document.body });
  await settle();
});
afterEach(() => {
  wrapper.unmount();
  vi.useRealTimers();
});

const input = (path: string) => wrapper.get(`[data-field="${path}"] input`);
const message = (path: string) => wrapper.find(`[data-field="${path}"] .field-error`);

describe('the new-run form', () => {
  it('starts from the engine defaults with their cost estimate', () => {
    expect((input('model.hidden').element as HTMLInputElement).value).toBe('32');
    expect((input('training.lr').element as HTMLInputElement).value).toBe('0.003');
    expect(wrapper.get('[data-testid=estimate-memory]').text()).toBe('576 KiB');
  });

  it("shows the engine's message beside each invalid field, and clears it when fixed", async () => {
    await input('training.lr').setValue('0');
    await input('model.hidden').setValue('5000');
    await settle();
    expect(message('training.lr').text()).toBe('must be greater than 0');
    expect(message('model.hidden').text()).toBe('must be at most 4096');
    expect(input('training.lr').attributes('aria-invalid')).toBe('true');
    expect(wrapper.get('[data-testid=estimate]').classes()).toContain('stale');
    await input('training.lr').setValue('0.01');
    await input('model.hidden').setValue('16');
    await settle();
    expect(wrapper.findAll('.field-error')).toHaveLength(0);
    expect(wrapper.get('[data-testid=estimate]').classes()).not.toContain('stale');
  });

  it('says at once when the text is not a number, without changing the config', async () => {
    await input('training.steps').setValue('lots');
    expect(message('training.steps').text()).toBe('“lots” is not a number');
    expect(useNewRunStore().draft!.training.steps).toBe(1000);
    await input('training.clipNorm').setValue('');
    expect(message('training.clipNorm').exists()).toBe(false);
    expect(useNewRunStore().draft!.training.clipNorm).toBeNull();
  });

  it('lists at the top a message for a field that is not on screen', async () => {
    api = installFakeApi({
      ...configHandlers,
      'config:check': () => {
        throw new ConfigError([
          { path: 'task.text', message: 'is empty' },
          { path: 'training.lr', message: 'must be greater than 0' },
        ]);
      },
    });
    await input('seed').setValue('2');
    await settle();
    expect(wrapper.get('[data-testid=form-problems]').text()).toBe('task.text: is empty');
    expect(message('training.lr').text()).toBe('must be greater than 0');
  });

  it("places each of the engine's issues by its path, whatever the message text says", async () => {
    api = installFakeApi({
      ...configHandlers,
      'config:check': () => {
        throw new Refused('invalid-config', 'the config was refused', [
          { path: 'model.hidden', message: 'must be at most 4096' },
          { path: 'config', message: 'unknown field "x"' },
          { path: 'task.text', message: 'is empty' },
        ]);
      },
    });
    await input('seed').setValue('2');
    await settle();
    expect(message('model.hidden').text()).toBe('must be at most 4096');
    expect(wrapper.findAll('[data-testid=form-problems] li').map((li) => li.text())).toEqual(['unknown field "x"', 'task.text: is empty']);
  });

  it('shows a failed check that carries no issues at the top', async () => {
    api = installFakeApi({
      ...configHandlers,
      'config:check': () => {
        throw new Refused('invalid-config', 'model.hidden: must be at most 4096');
      },
    });
    await input('seed').setValue('2');
    await settle();
    expect(message('model.hidden').exists()).toBe(false);
    expect(wrapper.get('[data-testid=form-problems]').text()).toBe('model.hidden: must be at most 4096');
  });

  it("switches a variant with that variant's defaults", async () => {
    await wrapper.get('[data-field="training.optimizer.kind"] select').setValue('momentum');
    await flushPromises();
    expect(useNewRunStore().draft!.training.optimizer).toEqual({ kind: 'momentum', momentum: 0.9, nesterov: false });
    expect((input('training.optimizer.momentum').element as HTMLInputElement).value).toBe('0.9');
    await wrapper.get('[data-field="method.kind"] select').setValue('tbptt');
    await flushPromises();
    expect((input('method.k').element as HTMLInputElement).value).toBe('10');
  });

  it("shows the task's default loss: cross-entropy for copy and text, kept when the user picked another", async () => {
    const loss = () => (wrapper.get('[data-field="loss.kind"] select').element as HTMLSelectElement).value;
    const task = wrapper.get('[data-field="task.kind"] select');
    expect(loss()).toBe('mse');
    await task.setValue('copy');
    await flushPromises();
    expect(loss()).toBe('xent');
    await task.setValue('text');
    await flushPromises();
    expect(loss()).toBe('xent');
    await task.setValue('adding');
    await flushPromises();
    expect(loss()).toBe('mse');
    await wrapper.get('[data-field="loss.kind"] select').setValue('xent'); // the user's choice, not adding's default
    await flushPromises();
    await task.setValue('sine');
    await flushPromises();
    expect(loss()).toBe('xent');
  });

  it('never sends a refused config, and creates and starts a valid one', async () => {
    await input('training.batchSize').setValue('0');
    await wrapper.get('[data-testid=start-run]').trigger('click');
    await flushPromises();
    expect(api.callsTo('runs:create')).toEqual([]);
    expect(message('training.batchSize').text()).toBe('must be at least 1');

    await input('training.batchSize').setValue('4');
    await wrapper.get('[data-testid=run-name-input]').setValue('  my run ');
    await wrapper.get('[data-testid=start-run]').trigger('click');
    await flushPromises();
    const sent = api.callsTo('runs:create') as { config: RunConfig; name: string; start: boolean }[];
    expect(sent).toHaveLength(1);
    expect(sent[0].config.training.batchSize).toBe(4);
    expect(sent[0].name).toBe('my run');
    expect(sent[0].start).toBe(true);
    expect(window.location.hash).toBe('#/runs/9');
  });

  it("applies a preset over the task's defaults", async () => {
    await wrapper.get('[data-preset="sine-online"]').trigger('click');
    await flushPromises();
    const d = useNewRunStore().draft!;
    expect(d.method.kind).toBe('rtrl-online');
    expect(d.model.hidden).toBe(16);
    expect(d.training.optimizer.kind).toBe('adam');
  });

  it('forks with the learning rate in force at the snapshot, and without init, gain and seed (a fork keeps the weights)', async () => {
    const src = parseConfig({ training: { lr: 0.01, steps: 400 } });
    api = installFakeApi({
      ...configHandlers,
      'runs:list': () => [],
      'runs:get': ({ id }) => record(id, src),
      'snapshots:list': () => [100, 200, 300].map((step) => ({ step, createdAt: 0, bytes: 0, baseLr: step < 200 ? 0.01 : 0.002 })),
      'runs:fork': ({ config }) => record(10, parseConfig(config)),
    });
    useNavStore().go('new', null, { fork: '4' });
    await settle();
    expect((input('training.lr').element as HTMLInputElement).value).toBe('0.002');
    expect(wrapper.get('[data-testid=fork-lr]').text()).toBe('learning rate 0.002: set live at step 200 (the config had 0.01)');
    for (const path of ['model.init', 'model.gain', 'seed']) expect(wrapper.find(`[data-field="${path}"]`).exists()).toBe(false);
    expect(wrapper.get('[data-testid=fork-kept]').text()).toContain('init of W, gain and seed do not apply');
    await wrapper.get('select[aria-label="Snapshot to fork from"]').setValue('100');
    await settle();
    expect((input('training.lr').element as HTMLInputElement).value).toBe('0.01');
    await wrapper.get('[data-testid=create-run]').trigger('click');
    await settle();
    const [fork] = api.callsTo('runs:fork') as { step: number; config: RunConfig }[];
    expect([fork.step, fork.config.training.lr]).toEqual([100, 0.01]);
  });
});

describe('the form in import mode', () => {
  const info = {
    format: 'npz' as const,
    tensors: [
      { name: 'U', shape: [6, 1], dtype: 'float64' as const },
      { name: 'W', shape: [6, 6], dtype: 'float64' as const },
      { name: 'V', shape: [1, 6], dtype: 'float64' as const },
      { name: 'c', shape: [1], dtype: 'float64' as const },
    ],
    model: { m: 1, d: 6, n: 1, hiddenBias: false, outputBias: true },
    config: null,
  };

  it('takes the model from a file without config, locks its shape, and sends the edited config with the file', async () => {
    api = installFakeApi({
      ...configHandlers,
      'runs:list': () => [],
      'import:weights': ({ config }) => record(12, parseConfig(config), { name: 'imported' }),
    });
    const form = useNewRunStore();
    await form.startImport('w.npz', new Uint8Array([1, 2, 3]), info);
    await settle();
    expect(wrapper.get('h1').text()).toBe('Import w.npz');
    expect(wrapper.get('[data-testid=import-bar]').text()).toMatch(/U 6×1\s*W 6×6\s*V 1×6\s*c 1/);
    expect(wrapper.find('[data-testid=import-no-config]').exists()).toBe(true);
    expect((input('model.hidden').element as HTMLInputElement).value).toBe('6');
    expect(input('model.hidden').attributes('disabled')).toBeDefined();
    expect((input('task.channels').element as HTMLInputElement).value).toBe('1');
    await input('training.steps').setValue('123');
    await settle();
    await wrapper.get('[data-testid=create-run]').trigger('click');
    await settle();
    const sent = api.callsTo('import:weights') as { fileName: string; data: unknown; config: RunConfig; start: boolean }[];
    expect(sent).toHaveLength(1);
    expect(sent[0].fileName).toBe('w.npz');
    expect(sent[0].start).toBe(false);
    expect(sent[0].config.training.steps).toBe(123);
    expect(sent[0].config.model).toMatchObject({ hidden: 6, hiddenBias: false, outputBias: true });
    expect(api.callsTo('runs:create')).toEqual([]);
  });
});
