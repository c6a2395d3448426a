// The CLI run in this process, as a test calls it: its exit code and what it wrote.

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
