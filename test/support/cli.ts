// The CLI's main() in this process, with its output and errors collected.

import { main } from '../../main/cli/index';

export async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '',
    err = '';
  const code = await main(
    args,
    (s) => (out += s),
    (s) => (err += s),
  );
  return { code, out, err };
}
