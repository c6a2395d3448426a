// docs/cli.md is the commands table in Markdown: it must say what the CLI does now.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../main/cli/commands';
import { cliReference } from '../../../main/cli/help';

describe('docs/cli.md', () => {
  it('is current with the commands table (regenerate: node --import tsx scripts/cli-reference.ts)', () => {
    const written = readFileSync(fileURLToPath(new URL('../../../docs/cli.md', import.meta.url)), 'utf8');
    expect(written).toBe(cliReference(COMMANDS));
  });

  it('has a section, the usage, every flag and every example of each command', () => {
    const doc = cliReference(COMMANDS);
    for (const c of COMMANDS) {
      const section = doc.slice(doc.indexOf(`\n## ${c.name}\n`));
      expect(section).toContain(`rnn-workbench ${c.name}`);
      for (const f of c.flags) expect(section).toContain(`--${f.name}`);
      for (const e of c.examples) expect(section).toContain(e.command);
    }
  });
});
