import { describe, expect, it } from 'vitest';
import { createTask } from '../../../native-worker/tasks';
import { BUNDLED_TEXT } from '../../../native-worker/tasks/bundled-text';
import { SONNETS } from '../../../native-worker/tasks/sonnets';
import type { Sequence, Task } from '../../../native-worker/tasks/task';
import { bytesOf, expectOrderIndependent, expectShape, expectTaskError, hotIndices, train } from './helpers';

function decode(task: Task, values: Float64Array): string {
  return hotIndices(values, task.T, task.m)
    .map((i) => (task.vocabulary as readonly string[])[i])
    .join('');
}

function inputsAndTargets(task: Task, seq: Sequence): [string, string] {
  expectShape(task, seq);
  return [decode(task, seq.x), decode(task, seq.y)];
}

describe('text task', () => {
  const user = 'abcdefghij'.repeat(20); // 200 characters
  const config = { kind: 'text', text: user, T: 10, validationFraction: 0.25 } as const;

  it('bundles a 6–10 KB public-domain text and builds its vocabulary, one-hot over it', () => {
    expect(SONNETS.length).toBeGreaterThan(6000);
    expect(SONNETS.length).toBeLessThan(10_240);
    const task = createTask({ kind: 'text', text: null, T: 25, validationFraction: 0.1 }, 1);
    const expected = [...new Set(SONNETS)].sort();
    expect(task.vocabulary).toEqual(expected);
    expect([task.kind, task.m, task.n, task.targets, task.masked]).toEqual(['text', expected.length, expected.length, 'onehot', false]);
    const [x, y] = inputsAndTargets(task, train(task, 0));
    expect(x).toBe(SONNETS.slice(0, 25));
    expect(y).toBe(SONNETS.slice(1, 26));
  });

  it("checks configs on the bundled text from counts that are the text's own", () => {
    expect(BUNDLED_TEXT).toEqual({ length: Array.from(SONNETS).length, vocabulary: new Set(SONNETS).size });
  });

  it('sorts the vocabulary by code point, keeping characters outside the BMP whole', () => {
    const text = '€z😀a\u{e000}'.repeat(60);
    const task = createTask({ kind: 'text', text, T: 5, validationFraction: 0.2 }, 1);
    expect(task.vocabulary).toEqual(['a', 'z', '€', '\u{e000}', '😀']);
    const [x, y] = inputsAndTargets(task, train(task, 0));
    expect(x).toBe('€z😀a\u{e000}');
    expect(y).toBe('z😀a\u{e000}€');
  });

  it('reads consecutive windows of the training part, cycling, and says when one continues the last', () => {
    const text = Array.from({ length: 200 }, (_, i) => String.fromCharCode(65 + ((i * 7) % 26))).join('');
    const task = createTask({ kind: 'text', text, T: 10, validationFraction: 0.25 }, 1);
    // 150 training characters → 14 windows of T = 10 (the 14th targets character 140).
    for (let i = 0; i < 14; i++) {
      const [x, y] = inputsAndTargets(task, train(task, i));
      expect(x).toBe(text.slice(10 * i, 10 * i + 10));
      expect(y).toBe(text.slice(10 * i + 1, 10 * i + 11));
    }
    expect(bytesOf(train(task, 14))).toBe(bytesOf(train(task, 0)));
    expect(bytesOf(train(task, 29))).toBe(bytesOf(train(task, 1)));
    expect([0, 1, 13, 14, 15, 28].map((i) => task.continues(i))).toEqual([false, true, true, false, true, false]);
  });

  it('holds out disjoint windows of T + 1 characters from the end, which training never reads', () => {
    const text = Array.from({ length: 200 }, (_, i) => String.fromCharCode(65 + ((i * 7) % 26))).join('');
    const task = createTask({ kind: 'text', text, T: 10, validationFraction: 0.25 }, 1);
    expect(task.validation).toHaveLength(4); // 50 held-out characters → 4 windows of 11
    task.validation.forEach((seq, j) => {
      const [x, y] = inputsAndTargets(task, seq);
      expect(x).toBe(text.slice(150 + 11 * j, 160 + 11 * j));
      expect(y).toBe(text.slice(151 + 11 * j, 161 + 11 * j));
    });
    // Give the held-out part characters of its own to check that no training window reaches it.
    const marked = Array.from({ length: 200 }, (_, i) => String.fromCodePoint(0x100 + (i < 150 ? i % 100 : 100 + (i % 50)))).join('');
    const probe = createTask({ kind: 'text', text: marked, T: 10, validationFraction: 0.25 }, 1);
    const trainChars = new Set<string>();
    for (let i = 0; i < 14; i++) for (const s of inputsAndTargets(probe, train(probe, i))) for (const c of s) trainChars.add(c);
    for (const seq of probe.validation)
      for (const s of inputsAndTargets(probe, seq)) for (const c of s) expect(trainChars.has(c)).toBe(false);
  });

  it('does not depend on the seed or on call order', () => {
    expect(bytesOf(train(createTask(config, 1), 5))).toBe(bytesOf(train(createTask(config, 99), 5)));
    expectOrderIndependent(() => createTask(config, 1), [0, 3, 13, 14, 1000]);
  });

  it('rejects unusable texts with a message that says what is needed', () => {
    expectTaskError(
      () => createTask({ ...config, text: '' }, 1),
      'task.text',
      'the text is empty; give a text, or null for the bundled sonnets',
    );
    expectTaskError(
      () => createTask({ ...config, text: 'a'.repeat(500) }, 1),
      'task.text',
      'the text uses a single character; there is nothing to predict',
    );
    const wide = Array.from({ length: 257 }, (_, i) => String.fromCodePoint(0x4e00 + i))
      .join('')
      .repeat(4);
    expectTaskError(
      () => createTask({ ...config, text: wide }, 1),
      'task.text',
      'the text has 257 distinct characters; at most 256 are supported',
    );
    const tooShort = 'ab'.repeat(20);
    expectTaskError(
      () => createTask({ ...config, text: tooShort }, 1),
      'task.text',
      'the text has 40 characters; with T = 10 and validationFraction = 0.25 the text must be at least 42 characters long ' +
        '(2 training windows of T characters and one held-out window of T + 1)',
    );
    expect(() => createTask({ ...config, text: 'ab'.repeat(21) }, 1)).not.toThrow();
    expectTaskError(
      () => createTask({ kind: 'text', text: null, T: 5000, validationFraction: 0.1 }, 1),
      'task.T',
      /^the bundled text has \d+ characters; .*lower T or give a longer text$/,
    );
    expectTaskError(
      () => createTask({ ...config, validationFraction: 0 }, 1),
      'task.validationFraction',
      'must be a number between 0 and 1, both excluded (got 0)',
    );
    expectTaskError(() => createTask({ ...config, validationFraction: 1 }, 1), 'task.validationFraction', /\(got 1\)$/);
    expectTaskError(() => createTask({ ...config, T: 0 }, 1), 'task.T', 'must be a whole number of at least 1 (got 0)');
    expectTaskError(
      () => createTask({ ...config, text: 42 as unknown as string }, 1),
      'task.text',
      'must be the text to learn from, or null for the bundled sonnets',
    );
  });
});
