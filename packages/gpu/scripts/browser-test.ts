// The browser half of @convkit/gpu's tests: bundles test/browser/suite.ts with esbuild (never
// minified: gpu.js parses kernels from their source), serves it on 127.0.0.1, and runs it in
// Debian's headless Chromium through playwright-core on webgl2, webgl and webgpu. Each backend must
// start and pass every conformance case and every fuzz case; a backend that does not start fails
// the run (a suite whose tests all skip proves nothing).
//
//   tsx --conditions=@convkit/source scripts/browser-test.ts [mode...]
//   env: CHROMIUM_PATH (default /usr/bin/chromium), FUZZ_SEED, BROWSER_FUZZ_RUNS (per op per backend;
//   default FUZZ_RUNS, else 100)
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { browserBundleOptions, chromiumLaunchOptions } from '@convkit/testkit/chromium';
import * as core from '@convkit/core';
import { loadConformanceCases } from '@convkit/testkit/node';
import { loadGradientCases } from '../../testkit/src/gradients.js';
import type { SuiteReport } from '../test/browser/suite.js';

const MODES = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['webgl2', 'webgl', 'webgpu'];
const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_261_128);
const FUZZ_RUNS = Number(process.env.BROWSER_FUZZ_RUNS ?? process.env.FUZZ_RUNS ?? 100);
const SUITE_TIMEOUT_MS = 10 * 60_000;

async function bundle(): Promise<string> {
  const result = await build(browserBundleOptions(fileURLToPath(new URL('../test/browser/suite.ts', import.meta.url))));
  return result.outputFiles[0].text;
}

function serializeCases(cases: unknown = loadConformanceCases(core)): string {
  return JSON.stringify(cases, (_key, value: unknown) =>
    value instanceof Float32Array ? { f32: Array.from(value) } : value,
  );
}

async function main(): Promise<number> {
  const [script, cases] = [await bundle(), serializeCases()];
  const pages: Record<string, [string, string]> = {
    '/': [
      'text/html',
      '<!doctype html><meta charset="utf-8"><title>@convkit/gpu browser tests</title><script type="module" src="/suite.js"></script>',
    ],
    '/suite.js': ['text/javascript', script],
    '/cases.json': ['application/json', cases],
    '/gradients.json': ['application/json', serializeCases(loadGradientCases())],
  };
  const server = createServer((request, response) => {
    const page = pages[request.url ?? '/'];
    response.writeHead(page ? 200 : 404, { 'content-type': page ? page[0] : 'text/plain' });
    response.end(page ? page[1] : 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const browser = await chromium.launch({ ...chromiumLaunchOptions(), headless: true });
  let failed = false;
  try {
    for (const mode of MODES) {
      const page = await browser.newPage();
      page.setDefaultTimeout(SUITE_TIMEOUT_MS);
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.goto(url);
      await page.waitForFunction(() => typeof (globalThis as { runSuite?: unknown }).runSuite === 'function');
      const started = Date.now();
      const report = (await page.evaluate(
        ([suiteMode, seed, runs]) =>
          (
            globalThis as unknown as { runSuite(mode: string, seed: number, runs: number): Promise<SuiteReport> }
          ).runSuite(suiteMode, seed, runs),
        [mode, FUZZ_SEED, FUZZ_RUNS] as const,
      )) as SuiteReport;
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      await page.close();
      if (report.unavailable) {
        failed = true;
        console.error(`[@convkit/gpu] browser ${mode}: FAILED, the backend did not start: ${report.unavailable}`);
        continue;
      }
      const ok =
        report.mode === mode &&
        report.failures.length === 0 &&
        pageErrors.length === 0 &&
        report.conformance.passed === report.conformance.total &&
        report.conformance.total === 190 &&
        report.fuzz.passed === report.fuzz.total &&
        report.cases.total > 0 &&
        report.cases.passed === report.cases.total &&
        report.extras.total > 0 &&
        report.extras.passed === report.extras.total &&
        report.uploads.total > 0 &&
        report.uploads.passed === report.uploads.total &&
        report.uploads.resident &&
        report.gradients.total >= 60 &&
        report.gradients.passed === report.gradients.total;
      failed ||= !ok;
      console.log(
        `[@convkit/gpu] browser ${mode} (${report.renderer}${report.software ? ', software' : ''}) in ${seconds}s: ` +
          `conformance ${report.conformance.passed}/${report.conformance.total} passed, largest |error| ${report.conformance.maxError.toExponential(3)}; ` +
          `fuzz (seed ${report.fuzz.seed}, ${report.fuzz.runsPerOp} per op) ${report.fuzz.passed}/${report.fuzz.total} passed, largest |error| ${report.fuzz.maxError.toExponential(3)}; ` +
          `hand-worked and error cases ${report.cases.passed}/${report.cases.total} passed, largest |error| ${report.cases.maxError.toExponential(3)}; ` +
          `long loops, large image, splits, entry points ${report.extras.passed}/${report.extras.total} passed, largest |error| ${report.extras.maxError.toExponential(3)}; ` +
          `uploads (${report.uploads.resident ? 'resident on the device' : 'NOT resident'}) ${report.uploads.passed}/${report.uploads.total} passed, largest |error| ${report.uploads.maxError.toExponential(3)}; ` +
          `gradients ${report.gradients.passed}/${report.gradients.total} passed, largest |error| ${report.gradients.maxError.toExponential(3)}` +
          (ok ? '' : ' FAILED'),
      );
      if (report.mode !== mode) console.error(`  ran on '${report.mode}' instead of '${mode}'`);
      for (const failure of [...report.failures, ...pageErrors].slice(0, 20)) console.error(`  ${failure}`);
    }
    // 'auto' must never settle on a software renderer when a CPU backend is there (here every
    // device backend is SwiftShader, so it must pick webasm).
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => typeof (globalThis as { chooseAuto?: unknown }).chooseAuto === 'function');
    const auto = await page.evaluate(() =>
      (
        globalThis as unknown as {
          chooseAuto(): Promise<{ mode: string; software: boolean; renderer: string; skipped: string[] }>;
        }
      ).chooseAuto(),
    );
    await page.close();
    const autoOk = !auto.software;
    failed ||= !autoOk;
    console.log(
      `[@convkit/gpu] browser 'auto' chose ${auto.mode} (${auto.renderer})${autoOk ? '' : ' FAILED: a software renderer'}; passed over: ${auto.skipped.join(' | ')}`,
    );
  } finally {
    await browser.close();
    server.close();
  }
  return failed ? 1 : 0;
}

// page.evaluate has no timeout of its own: a hung backend must fail the run, not stall CI.
setTimeout(() => {
  console.error(
    `[@convkit/gpu] browser tests did not finish within ${(SUITE_TIMEOUT_MS * MODES.length) / 60_000} minutes`,
  );
  process.exit(1);
}, SUITE_TIMEOUT_MS * MODES.length).unref();

process.exitCode = await main();
