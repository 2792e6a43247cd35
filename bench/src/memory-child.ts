/**
 * Child process of the memory pass (see memory.ts): loads one engine, runs each workload once,
 * and prints `{ baselineRssMiB, peakRssMiB }` as its last line.
 */
import './wasm-features.js';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { allEngines } from './engines/index.js';
import { loadWorkloads, tinyWorkloads, workloadData } from './workloads.js';

const { values } = parseArgs({
  options: { engine: { type: 'string' }, workloads: { type: 'string' }, tiny: { type: 'boolean', default: false } },
});
const engine = allEngines().find((candidate) => candidate.name === values.engine);
if (!engine) throw new Error(`unknown engine ${values.engine}`);
const wanted = new Set((values.workloads ?? '').split(',').filter(Boolean));
const workloads = (values.tiny ? tinyWorkloads() : loadWorkloads()).filter(
  (workload) => wanted.size === 0 || wanted.has(workload.id),
);
const MiB = 2 ** 20;

await engine.load();
const baselineRssMiB = process.memoryUsage().rss / MiB;
for (const workload of workloads) {
  try {
    const prepared = await engine.prepare(workload, workloadData(workload));
    await prepared.activate?.();
    await prepared.run();
    await prepared.release();
  } catch {
    // Unsupported workloads are reported by the timing pass; here they just add nothing.
  }
}
/**
 * Peak RSS of this process. On Linux, VmHWM of /proc/self/status: getrusage's maxRSS would not do,
 * because Linux carries the parent's high-water mark over fork + exec (a child of a 300 MiB
 * benchmark process would report at least 300 MiB). Elsewhere maxRSS (KiB) is the best there is.
 */
function peakRssBytes(): number {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}
const peakRssMiB = peakRssBytes() / MiB;
console.log(
  JSON.stringify({
    baselineRssMiB: Math.round(baselineRssMiB * 10) / 10,
    peakRssMiB: Math.round(peakRssMiB * 10) / 10,
  }),
);
process.exit(0);
