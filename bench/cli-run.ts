// One CLI command in this process, for bench/export.ts and the memory tests
// (test/main/transfer/export-stream.test.ts): `rnn-workbench ARGS… --json`,
// then one JSON line with its exit code, time, the command's own JSON
// output and this process's peak RSS. Run under
// `node --max-old-space-size=256` to hold the JavaScript heap to 256 MB.
//   node --import tsx bench/cli-run.ts export 3 --format archive --out run.rnnrun --db DB

import { main } from '../main/cli/index';

let printed = '';
const t0 = performance.now();
const code = await main(
  [...process.argv.slice(2), '--json'],
  (s) => (printed += s),
  (s) => process.stderr.write(s),
);
const seconds = (performance.now() - t0) / 1000;
const output: unknown = code === 0 ? JSON.parse(printed) : null;
console.log(JSON.stringify({ code, seconds: +seconds.toFixed(2), output, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
process.exitCode = code;
