// JSON from an imported file, parsed only when its nesting is shallow: V8's
// parser copes with any depth, but what walks the result afterwards (schema
// checks, messages that quote a value) recurses, and a file nested 200,000
// levels deep would end in "Maximum call stack size exceeded". Every format
// we read nests a few levels; a run config about five.

import { badFile } from './errors';

const MAX_JSON_DEPTH = 64;

/** JSON.parse, after checking that arrays and objects nest at most MAX_JSON_DEPTH deep; errors name `where`. */
export function parseJsonText(text: string, where: string): unknown {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) throw badFile(`${where}: JSON nested more than ${MAX_JSON_DEPTH} levels deep (at character ${i})`);
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badFile(`${where}: not valid JSON (${(e as Error).message})`);
  }
}
