// @vitest-environment happy-dom
// The runs page opened without its access token (or with a stale one)
// says so, in place of the list, instead of "No runs yet".

import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { setTransport } from '../../../renderer/api';
import { useRunsStore } from '../../../renderer/stores/runs';
import { httpTransport } from '../../../renderer/transports/http';
import HistoryView from '../../../renderer/views/HistoryView.vue';
import { installFakeApi, Refused } from '../support/fake-api';

beforeEach(() => setActivePinia(createPinia()));

async function page() {
  const runs = useRunsStore();
  await runs.refresh();
  const wrapper = mount(HistoryView);
  await flushPromises();
  return wrapper;
}

describe('the runs page', () => {
  it('without an access token says the token is missing and how to get it, not "No runs yet"', async () => {
    setTransport(httpTransport({ origin: 'http://127.0.0.1:9', token: null }));
    const wrapper = await page();
    expect(wrapper.get('[data-testid="load-error"]').text()).toMatch(
      /^The runs could not be loaded: no access token: open the URL that `rnn-workbench serve` printed/,
    );
    expect(wrapper.text()).not.toContain('No runs yet');
    wrapper.unmount();
  });

  it('with a wrong token shows the server\'s message; an empty list still says "No runs yet"', async () => {
    installFakeApi({
      'runs:list': () => {
        throw new Refused('unauthorized', 'missing or wrong access token');
      },
    });
    const refused = await page();
    expect(refused.get('[data-testid="load-error"]').text()).toContain('missing or wrong access token');
    refused.unmount();
    setActivePinia(createPinia());
    installFakeApi({ 'runs:list': () => [] });
    const empty = await page();
    expect(empty.find('[data-testid="load-error"]').exists()).toBe(false);
    expect(empty.text()).toContain('No runs yet');
    empty.unmount();
  });
});
