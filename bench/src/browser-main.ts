// `pnpm bench:browser`: the benchmark's workloads in Debian's headless Chromium (playwright-core):
// convkit-gpu on webgl2 and webgpu against tfjs's webgl backend (and convkit-core as the check's
// reference), through the same runner as `pnpm bench`. Chromium renders in software here
// (SwiftShader), so only the ratios mean anything. Writes results/browser.json.
//
//   tsx --conditions=@convkit/source src/browser-main.ts [--cpu] [--tiny] [--workloads W1,W8]
//     [--engines convkit-gpu-webgl2,tfjs-webgl] [--out file]
// --engines: only these engines (by row name, e.g. convkit-gpu-webgl2-resident) and convkit-core,
// the check's reference, so that a run over a few engines stays short.
// --cpu: the CPU table instead, convkit-core (1 thread and all cores) against tfjs-wasm and
// onnxruntime-web's wasm provider; writes results/browser-cpu.json.
//   env: CHROMIUM_PATH (default /usr/bin/chromium)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { chromium } from 'playwright-core';
import { browserBundleOptions, chromiumLaunchOptions } from '@convkit/testkit/chromium';
import type { BrowserBenchReport } from './browser/page.js';
import { FULL_POLICY, SMOKE_POLICY, machineInfo, type ResultRow } from './runner.js';
import { loadWorkloads, tinyWorkloads } from './workloads.js';

/** Node built-ins the shared modules import at their top; the page never calls them. */
const NODE_STUBS: Plugin = {
  name: 'node-stubs',
  setup(builder) {
    builder.onResolve({ filter: /^(node:|@convkit\/gpu\/node$)/ }, (args) => ({
      path: args.path,
      namespace: 'node-stub',
    }));
    builder.onLoad({ filter: /.*/, namespace: 'node-stub' }, () => ({
      contents: [
        'const unavailable = () => { throw new Error("not available in the browser"); };',
        'export const createRequire = () => Object.assign(unavailable, { resolve: unavailable });',
        'export const cpus = () => [], loadavg = () => [0, 0, 0], totalmem = () => 0, platform = () => "browser", release = () => "", arch = () => "";',
        'export const readFileSync = unavailable, readdirSync = unavailable, existsSync = () => false, writeFileSync = unavailable, mkdirSync = unavailable;',
        'export const dirname = (path) => path, join = (...parts) => parts.join("/"), fileURLToPath = (url) => String(url), parseArgs = unavailable, spawn = unavailable;',
        'export const createGpu = unavailable;',
      ].join('\n'),
      loader: 'js',
    }));
  },
};

async function bundle(): Promise<string> {
  const result = await build({
    ...browserBundleOptions(fileURLToPath(new URL('browser/page.ts', import.meta.url))),
    // The onnxruntime engine module imports onnxruntime-node in a branch the page never takes.
    external: ['onnxruntime-node'],
    plugins: [NODE_STUBS],
  });
  return result.outputFiles[0].text;
}

/**
 * The peer each convkit-gpu engine is held against: tfjs on the same API, timed the same way
 * (end to end, or `-resident`).
 */
export function peerOf(engine: string): string | undefined {
  const match = /^convkit-gpu-(webgl2|webgpu)(-resident)?$/.exec(engine);
  if (!match) return undefined;
  return `tfjs-${match[1] === 'webgl2' ? 'webgl' : 'webgpu'}${match[2] ?? ''}`;
}

/**
 * The browser engines' rows with their ratio to tfjs-webgl (above 1: tfjs-webgl is that many times
 * faster) and, for convkit-gpu, to its peer ({@link peerOf}).
 */
function withRatios(rows: ResultRow[]): (ResultRow & { ratioToTfjsWebgl?: number; ratioToPeer?: number })[] {
  const ratio = (row: ResultRow, engine: string | undefined) => {
    const other = rows.find((candidate) => candidate.workload === row.workload && candidate.engine === engine);
    if (row.status !== 'ok' || other?.status !== 'ok') return undefined;
    return Math.round(((row.medianMs as number) / (other.medianMs as number)) * 1000) / 1000;
  };
  return rows.map((row) => {
    const toTfjsWebgl = ratio(row, 'tfjs-webgl');
    const toPeer = ratio(row, peerOf(row.engine));
    return {
      ...row,
      ...(toTfjsWebgl === undefined ? {} : { ratioToTfjsWebgl: toTfjsWebgl }),
      ...(toPeer === undefined ? {} : { peer: peerOf(row.engine), ratioToPeer: toPeer }),
    };
  });
}

/** Files the CPU suite's peers fetch at run time, served from their packages: URL prefix -> folder. */
function peerAssets(): Record<string, string> {
  const require = createRequire(import.meta.url);
  return {
    '/tfjs-wasm/': dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm')),
    // The package's main entry lives in its dist folder, next to the .wasm files.
    '/ort/': dirname(require.resolve('onnxruntime-web')),
  };
}

/** Runs the browser benchmark (`suite` 'gpu': convkit-gpu vs tfjs-webgl; 'cpu': convkit-core vs tfjs-wasm and ort-web); returns the results object it wrote. */
export async function runBrowserBenchmark(options: {
  tiny: boolean;
  workloads?: string[];
  /** Engine names to run (convkit-core always runs); absent: every engine of the suite. */
  engines?: string[];
  out: string;
  suite?: 'gpu' | 'cpu';
}): Promise<object> {
  const suite = options.suite ?? 'gpu';
  const started = Date.now();
  let workloads = options.tiny ? tinyWorkloads() : loadWorkloads();
  const only = options.workloads;
  if (only) workloads = workloads.filter((workload) => only.includes(workload.id));
  const script = await bundle();
  const pages: Record<string, [string, string | Buffer]> = {
    '/': [
      'text/html',
      '<!doctype html><meta charset="utf-8"><title>convkit browser bench</title><script type="module" src="/page.js"></script>',
    ],
    '/page.js': ['text/javascript', script],
  };
  const assets = peerAssets();
  // Cross-origin isolated (COOP + COEP), so SharedArrayBuffer and with it the thread pool exist.
  const isolation = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
  const server = createServer((request, response) => {
    const url = request.url ?? '/';
    const prefix = Object.keys(assets).find((candidate) => url.startsWith(candidate));
    const file = prefix ? join(assets[prefix], basename(url.slice(prefix.length).split('?')[0])) : undefined;
    if (file && existsSync(file)) {
      const type = file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
      response.writeHead(200, { 'content-type': type, ...isolation });
      response.end(readFileSync(file));
      return;
    }
    const page = pages[url];
    response.writeHead(page ? 200 : 404, { 'content-type': page ? page[0] : 'text/plain', ...isolation });
    response.end(page ? page[1] : 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({ ...chromiumLaunchOptions(), headless: true });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(30 * 60_000);
    // The page logs each result row; Chromium's GL performance notes and the favicon 404 are noise.
    page.on('console', (message) => {
      const text = message.text();
      if (!/GL Driver Message|Failed to load resource/.test(text)) console.log(text);
    });
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction(
      () => typeof (globalThis as { runBrowserBench?: unknown }).runBrowserBench === 'function',
    );
    const policy = options.tiny ? SMOKE_POLICY : FULL_POLICY;
    const report = (await page.evaluate(
      ([list, timing, which, names]) =>
        (
          globalThis as unknown as {
            runBrowserBench(w: unknown, p: unknown, s: unknown, e: unknown): Promise<BrowserBenchReport>;
          }
        ).runBrowserBench(list, timing, which, names ?? undefined),
      [workloads, policy, suite, options.engines ?? null] as const,
    )) as BrowserBenchReport;
    const results = {
      machine: {
        ...machineInfo(
          suite === 'cpu'
            ? 'headless Chromium, cross-origin isolated page: convkit-core (1 thread and a pool of every logical CPU) against tfjs-wasm and onnxruntime-web wasm, one thread each; ratioToCore = time / convkit-core time'
            : 'headless Chromium on this machine renders WebGL and WebGPU in software (SwiftShader): compare ratios, not times',
        ),
        browser: `Chromium ${browser.version()}`,
      },
      workloads: workloads.map(({ id, name, gflop }) => ({ id, name, gflop })),
      engines: report.engines,
      rows: suite === 'cpu' ? report.rows : withRatios(report.rows),
      durationS: Math.round((Date.now() - started) / 100) / 10,
    };
    mkdirSync(dirname(options.out), { recursive: true });
    writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
    return results;
  } finally {
    await browser.close();
    server.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    // `pnpm bench:browser -- --workloads W3` hands the script its `--` as well.
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      tiny: { type: 'boolean', default: false },
      cpu: { type: 'boolean', default: false },
      workloads: { type: 'string' },
      engines: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const suite = values.cpu ? 'cpu' : 'gpu';
  const name = `browser${suite === 'cpu' ? '-cpu' : ''}${values.tiny ? '-smoke' : ''}.json`;
  const out = values.out ?? fileURLToPath(new URL(`../results/${name}`, import.meta.url));
  const results = (await runBrowserBenchmark({
    tiny: values.tiny ?? false,
    workloads: values.workloads?.split(','),
    engines: values.engines?.split(','),
    out,
    suite,
  })) as { rows: (ResultRow & { ratioToTfjsWebgl?: number; ratioToPeer?: number })[] };
  if (suite === 'cpu') {
    console.log(
      '\n== ratio to convkit-core (median time / convkit-core median time; above 1, convkit-core is faster) ==',
    );
    for (const row of results.rows) {
      if (row.engine === 'convkit-core') continue;
      console.log(
        `${row.workload.padEnd(6)} ${row.engine.padEnd(20)} ${row.status === 'ok' ? `${row.ratioToCore}x (${row.medianMs} ms)` : `skipped: ${row.reason}`}`,
      );
    }
    console.log(`wrote ${out}`);
    process.exit(0);
  }
  console.log(
    '\n== ratio to tfjs-webgl, and for convkit-gpu to its tfjs peer (median time / peer median time; below 1, faster) ==',
  );
  for (const row of results.rows) {
    if (row.engine === 'tfjs-webgl' || row.engine === 'convkit-core') continue;
    const peer = peerOf(row.engine);
    console.log(
      `${row.workload.padEnd(6)} ${row.engine.padEnd(28)} ${row.status === 'ok' ? `${row.ratioToTfjsWebgl ?? 'n/a'}x tfjs-webgl${peer ? `, ${row.ratioToPeer ?? 'n/a'}x ${peer}` : ''}` : `skipped: ${row.reason}`}`,
    );
  }
  console.log(`wrote ${out}`);
}
