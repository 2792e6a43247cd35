/**
 * `pnpm bench`: convkit against its peers on fixtures/workloads.json; prints the table and writes
 * bench/results/latest.json. Flags: --tiny (the CI smoke shapes), --out <file>, --engines a,b,
 * --workloads W1,W2, --no-memory, --repeat N (N full timing passes; rows are the per-row medians).
 */
import './wasm-features.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runBench, targetReport } from './bench.js';
import { formatRow, FULL_POLICY, SMOKE_POLICY } from './runner.js';

const { values } = parseArgs({
  // pnpm passes a literal `--` through (`pnpm bench -- --tiny`).
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    tiny: { type: 'boolean', default: false },
    out: { type: 'string' },
    engines: { type: 'string' },
    workloads: { type: 'string' },
    'no-memory': { type: 'boolean', default: false },
    repeat: { type: 'string', default: '1' },
  },
});
const list = (text?: string) =>
  text
    ? text
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean)
    : undefined;
const out =
  values.out ??
  fileURLToPath(new URL(values.tiny ? '../results/smoke.json' : '../results/latest.json', import.meta.url));

const results = await runBench({
  tiny: values.tiny,
  policy: values.tiny ? SMOKE_POLICY : FULL_POLICY,
  engines: list(values.engines),
  workloads: list(values.workloads),
  skipMemory: values['no-memory'],
  repeat: Number(values.repeat),
  log: (line) => console.log(line),
});

console.log(
  `\n== results (median of interleaved runs${results.passes ? `, median of ${results.passes.length} passes` : ''}; ratio = engine time / convkit-core time) ==`,
);
for (const row of results.rows) console.log(formatRow(row));
console.log('\n== peak RSS per engine (one child process each) ==');
for (const engine of results.engines) {
  console.log(
    `${engine.engine.padEnd(22)} ${engine.status === 'ok' ? `baseline ${engine.baselineRssMiB ?? '?'} MiB, peak ${engine.peakRssMiB ?? '?'} MiB` : `skipped: ${engine.reason}`}`,
  );
}
console.log('\n== targets ==');
for (const line of targetReport(results)) console.log(line);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 1)}\n`);
console.log(
  `\nwrote ${out} in ${results.durationS} s (load average before ${results.machine.loadAverageBefore.join(' ')}, after ${results.machine.loadAverageAfter?.join(' ')})`,
);
process.exit(0);
