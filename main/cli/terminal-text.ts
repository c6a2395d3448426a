// Text from the database (names, notes, tags, end messages: an imported
// archive sets them all) made safe to print to a terminal. Control
// characters (C0 with ESC, DEL, C1 with CSI/OSC) would move the cursor,
// clear the screen or set the window title; bidi controls would reorder
// what is shown. Each one is printed as a visible escape instead.

/** Cc is C0, DEL and C1; Bidi_Control the marks, embeddings, overrides and isolates; then the line/paragraph separators. */
const UNSAFE = /[\p{Cc}\p{Bidi_Control}\u2028\u2029]/gu;
const UNSAFE_BUT_LINE_FEED = /(?!\n)[\p{Cc}\p{Bidi_Control}\u2028\u2029]/gu;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

const visible = (c: string): string => {
  const code = c.charCodeAt(0);
  return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
};

/** `s` with every terminal control shown escaped (`\e[2J`, `\x9b`, `\u202e`); `multiline` keeps line feeds. */
export function terminalText(s: string, o: { multiline?: boolean } = {}): string {
  return s.replace(o.multiline ? UNSAFE_BUT_LINE_FEED : UNSAFE, visible);
}

/**
 * One JSON line whose text is safe on a terminal and parses to the same
 * value: JSON.stringify escapes C0 already; C1 and the bidi controls get
 * \u escapes too.
 */
export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value).replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}
