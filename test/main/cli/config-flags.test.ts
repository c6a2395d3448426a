// The CLI's config flags: a flag that cannot apply is blamed by its own name.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFromFlags } from '../../../main/cli/config-flags';

describe('configFromFlags', () => {
  it('--truncation without --method tbptt names --truncation and says it needs --method tbptt', () => {
    expect(() => configFromFlags({ truncation: '5' })).toThrow(/^--truncation: .*needs --method tbptt$/);
    expect(() => configFromFlags({ truncation: '5', method: 'bptt' })).toThrow(
      /^--truncation: .*needs --method tbptt \(the method is bptt\)$/,
    );
  });

  it('takes --truncation with --method tbptt, or over a config file whose method is tbptt', () => {
    expect(configFromFlags({ truncation: '5', method: 'tbptt' })).toMatchObject({ method: { kind: 'tbptt', k: 5 } });
    const file = join(mkdtempSync(join(tmpdir(), 'wb-flags-')), 'c.json');
    writeFileSync(file, JSON.stringify({ method: { kind: 'tbptt', k: 3 } }));
    expect(configFromFlags({ config: file, truncation: '7' })).toMatchObject({ method: { kind: 'tbptt', k: 7 } });
  });
});
