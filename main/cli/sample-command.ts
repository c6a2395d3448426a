// `rnn-workbench sample`: text generated from a text run's snapshot
// (the lab's sampler, through the same `lab:sample` call the app makes).
// Only reads the database.

import { ApiError } from '../runs/errors';
import type { Flag } from './args';
import type { Call } from './command';
import { jsonLine, terminalText } from './terminal-text';

export const SAMPLE_FLAGS: readonly Flag[] = [
  { name: 'at', type: 'string', value: 'STEP', description: 'the snapshot at or before STEP (default: the latest)' },
  { name: 'length', type: 'string', value: 'N', description: 'characters to generate after the first (default 200)' },
  { name: 'temperature', type: 'string', value: 'T', description: 'divides the logits: below 1 surer, above 1 more varied (default 1)' },
  {
    name: 'seed',
    type: 'string',
    value: 'S',
    description: 'the same seed, snapshot, length and temperature give the same text (default 1)',
  },
];

export const SAMPLE_DETAILS =
  "Generates text from a text run's weights: it starts from s^0 = 0 with the probe's first character and draws each next\n" +
  'character from softmax(y / T), feeding it back as the input. Only reads the database.';

export interface SampleFlags {
  at?: string;
  length?: string;
  temperature?: string;
  seed?: string;
  json?: boolean;
}

function numberFlag(flag: string, v: string | undefined, fallback: number, whole: boolean): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || (whole && !Number.isInteger(n))) {
    throw new ApiError('invalid-argument', `--${flag}: "${v}" is not a${whole ? ' whole' : ''} number`);
  }
  return n;
}

export async function sampleCommand(call: Call, id: number, f: SampleFlags, out: (s: string) => void): Promise<number> {
  const args = {
    id,
    step: f.at === undefined ? null : numberFlag('at', f.at, 0, true),
    length: numberFlag('length', f.length, 200, true),
    temperature: numberFlag('temperature', f.temperature, 1, false),
    seed: numberFlag('seed', f.seed, 1, true),
  };
  const r = await call('lab:sample', args);
  if (f.json) out(jsonLine({ ...args, ...r }));
  else out(`${terminalText(r.text, { multiline: true })}\n`);
  return 0;
}
