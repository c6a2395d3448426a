// One export in this process, for bench/export.ts and the memory test
// (test/main/transfer/export-memory.test.ts): the CLI's `export` of a run
// to a file, then one JSON line with its time, the file's size and this
// process's peak RSS. Run under `node --max-old-space-size=256` to hold the
// JavaScript heap to 256 MB.
//   node --import tsx bench/export-run.ts DB RUN FORMAT OUT

import { main } from '../main/cli/index';

const [db, run, format, out] = process.argv.slice(2);
let printed = '';
const t0 = performance.now();
const code = await main(['export', run, '--format', format, '--out', out, '--db', db, '--json'], (s) => (printed += s), (s) => process.stderr.write(s));
const seconds = (performance.now() - t0) / 1000;
const bytes = code === 0 ? (JSON.parse(printed) as { bytes: number }).bytes : null;
console.log(JSON.stringify({ format, code, seconds: +seconds.toFixed(2), bytes, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
process.exitCode = code;
