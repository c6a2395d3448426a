// Names, notes, tags and messages (an imported archive sets them) reach the
// terminal with their control characters shown, never acted on.

import { describe, expect, it } from 'vitest';
import { cli } from '../../support/cli';
import { jsonLine, terminalText } from '../../../main/cli/terminal-text';
import { Store } from '../../../main/store/store';
import { config } from '../store/fixtures';
import { tempDatabase } from '../../support/workbench';

const CLEAR = '\x1b[2J\x1b[H';
const TITLE = '\x1b]0;pwned\x07';
const C1_CSI = '\x9b31m';
const RLO = '\u202e';
/** Anything a terminal acts on (callers drop the line feeds first): C0, DEL, C1, bidi controls. */
const RAW_CONTROL = /[\p{Cc}\p{Bidi_Control}\u2028\u2029]/u;

describe('terminalText', () => {
  it('shows C0, ESC, DEL, C1 and bidi controls as visible escapes and leaves other text alone', () => {
    expect(terminalText(`a${CLEAR}b`)).toBe('a\\e[2J\\e[Hb');
    expect(terminalText(TITLE)).toBe('\\e]0;pwned\\x07');
    expect(terminalText(`${C1_CSI}\x7f\x00\t\r\n`)).toBe('\\x9b31m\\x7f\\x00\\t\\r\\n');
    expect(terminalText(`abc${RLO}fdp.exe\u2066x\u2069\u200f`)).toBe('abc\\u202efdp.exe\\u2066x\\u2069\\u200f');
    expect(terminalText('Grüße, σ², 日本, 🙂 — ok')).toBe('Grüße, σ², 日本, 🙂 — ok');
    expect(terminalText('two\nlines\x1b', { multiline: true })).toBe('two\nlines\\e');
  });

  it('jsonLine escapes the same controls and parses back to the same value', () => {
    const value = { name: `${CLEAR}${TITLE}${C1_CSI}${RLO}\u2028`, n: 1 };
    const line = jsonLine(value);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(RAW_CONTROL);
    expect(line).not.toContain('\n{');
    expect(JSON.parse(line)).toEqual(value);
  });
});

describe('the CLI prints user text escaped', () => {
  it('list and show (text and --json) never write a raw control character', async () => {
    const db = tempDatabase();
    const store = Store.open(db);
    const hostile = `x${CLEAR}${TITLE}${C1_CSI}${RLO}y`;
    const run = store.createRun({ name: hostile, config, appVersion: '0.1.0', tags: [hostile], notes: `line 1\n${hostile}` });
    store.updateRun(run.id, { status: 'failed', endMessage: hostile });
    store.close();
    const l = await cli('list', '--db', db);
    expect(l.code).toBe(0);
    expect(l.out).toContain('x\\e[2J\\e[H\\e]0;pwned\\x07\\x9b31m\\u202ey');
    const s = await cli('show', String(run.id), '--db', db);
    expect(s.code).toBe(0);
    expect(s.out).toMatch(/notes {7}line 1\\nx\\e\[2J/);
    for (const out of [l.out, s.out]) expect(out.replaceAll('\n', '')).not.toMatch(RAW_CONTROL);
    const j = await cli('show', String(run.id), '--db', db, '--json');
    expect(j.out.replaceAll('\n', '')).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(j.out)).toMatchObject({ name: hostile, tags: [hostile], endMessage: hostile });
  });

  it('error messages quote arguments escaped', async () => {
    const r = await cli('resume', `1${CLEAR}`, '--db', tempDatabase());
    expect(r.code).toBe(2);
    expect(r.err).toContain('"1\\e[2J\\e[H" is not a run id');
    expect(r.err.replaceAll('\n', '')).not.toMatch(RAW_CONTROL);
  });
});
