// End-to-end: serves the built site on 127.0.0.1, opens every page in Debian's Chromium through
// playwright-core, runs each live example (CPU, and on WebGL2 and WebGPU when @convkit/gpu is in
// the build), moves a visualiser slider, asserts on the numbers shown, and saves a screenshot of
// every page under e2e-artifacts/ (with report.json).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from '@convkit/testkit/chromium';
import { checkFeatures, waitForRun } from './features.mjs';
import { PAGES } from './pages.mjs';
import { startServer } from './serve.mjs';

const BENCH_RESULTS = new URL('../../../bench/results/latest.json', import.meta.url);
const ARTIFACTS = fileURLToPath(new URL('../e2e-artifacts/', import.meta.url));
const GPU_MODES = ['webgl2', 'webgpu'];
const GPU_TOLERANCE = 1e-4;
const TIMEOUT = 60_000;
const GPU_IMPORT_EXAMPLE = `import { conv2d, tensor } from '@convkit/core';
import { createGpu } from '@convkit/gpu';

export default async function direct() {
  const gpu = await createGpu({ mode: 'webgl2' });
  const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]);
  const w = tensor([1, 0, 0, -1], [1, 1, 2, 2]);
  const onGpu = await gpu.conv(x, w);
  const isWebgl2 = tensor([gpu.mode === 'webgl2' ? 1 : 0], [1]);
  await gpu.dispose();
  return { onGpu, onCore: conv2d(x, w), isWebgl2 };
}
`;

/** The GPU checks are required exactly when the site declares @convkit/gpu as a dependency. */
function gpuInBuild() {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return Boolean(manifest.dependencies?.['@convkit/gpu']);
}

class CheckFailed extends Error {}
function expectEqual(what, got, want) {
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    throw new CheckFailed(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  }
}

/** Checks, in order, that each `[what, selector, want]` matches `want` elements on the page. */
async function expectCounts(page, checks) {
  for (const [what, selector, want] of checks) expectEqual(what, await page.locator(selector).count(), want);
}

async function cellValues(page, example, column, tensor) {
  const selector = `[data-example="${example}"] [data-testid="${column}"] [data-tensor="${tensor}"]`;
  await page.waitForSelector(selector, { timeout: TIMEOUT });
  return page.$eval(selector, (element) => ({
    shape: element.getAttribute('data-shape'),
    values: [...element.querySelectorAll('td')].map((cell) => Number(cell.getAttribute('data-value'))),
  }));
}

async function runExample(page, id, gpuMode) {
  const block = page.locator(`[data-example="${id}"]`);
  const before = Number(await block.getAttribute('data-runs'));
  await block.locator('[data-testid="gpu-mode"]').selectOption(gpuMode);
  await block.locator('[data-testid="run"]').click();
  await waitForRun(page, id, before, TIMEOUT);
}

async function checkPage(page, base, spec, withGpu, checks) {
  const record = (name, detail = '') => checks.push({ page: spec.name, check: name, detail });
  const errors = [];
  page.removeAllListeners('pageerror');
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(base + spec.path, { waitUntil: 'load' });
  await page.waitForSelector('.navbar', { timeout: TIMEOUT });
  // Element screenshots scroll the element into view; a sticky navbar would cover its top.
  await page.addStyleTag({ content: '.navbar { position: static !important; }' });

  if (spec.example) {
    const { id, tensor, shape, check, expect } = spec.example;
    // The example runs once on load (CPU only until a GPU mode is picked and run).
    const cpu = await cellValues(page, id, 'cpu', tensor);
    expectEqual(`${spec.name}: CPU ${tensor} shape`, cpu.shape, shape);
    if (check) expectEqual(`${spec.name}: CPU ${tensor} values`, check(cpu.values), expect);
    record('live example runs on @convkit/core', `${tensor} [${shape}]`);
    if (!withGpu) {
      await runExample(page, id, 'auto');
      await page.waitForSelector(`[data-example="${id}"] [data-testid="gpu-not-in-build"]`, { timeout: TIMEOUT });
    }

    if (withGpu) {
      for (const mode of GPU_MODES) {
        await runExample(page, id, mode);
        const block = page.locator(`[data-example="${id}"]`);
        const gpuError = await block.locator('[data-testid="gpu"] pre').allTextContents();
        if (gpuError.length) throw new CheckFailed(`${spec.name}: GPU ${mode} failed: ${gpuError.join(' ')}`);
        const backend = await block.locator('[data-testid="gpu-backend"]').textContent();
        expectEqual(`${spec.name}: GPU backend used`, backend, mode);
        const difference = Number(await block.locator('[data-testid="max-difference"]').getAttribute('data-value'));
        if (!(difference <= GPU_TOLERANCE))
          throw new CheckFailed(`${spec.name}: max |CPU - GPU| on ${mode} is ${difference} > ${GPU_TOLERANCE}`);
        const gpu = await cellValues(page, id, 'gpu', tensor);
        expectEqual(`${spec.name}: GPU ${tensor} shape`, gpu.shape, shape);
        record(`live example on ${mode} matches core`, `max |diff| ${difference}`);
      }
    }
  }

  if (spec.example) {
    await page
      .locator(`[data-example="${spec.example.id}"]`)
      .screenshot({ path: `${ARTIFACTS}${spec.name}-example.png` });
  }

  if (spec.edit) {
    const block = page.locator(`[data-example="${spec.example.id}"]`);
    const editor = block.locator('textarea');
    const code = await editor.inputValue();
    if (!code.includes(spec.edit.from))
      throw new CheckFailed(`${spec.name}: the editor does not contain ${spec.edit.from}`);
    await editor.fill(code.replace(spec.edit.from, spec.edit.to));
    await runExample(page, spec.example.id, 'none');
    const edited = await cellValues(page, spec.example.id, 'cpu', spec.edit.tensor);
    expectEqual(`${spec.name}: edited example's ${spec.edit.tensor} shape`, edited.shape, spec.edit.shape);
    record('edited code runs', `${spec.edit.from} -> ${spec.edit.to}: [${spec.edit.shape}]`);
  }

  if (spec.gpuImport && withGpu) {
    // The reader's own code may import @convkit/gpu: the page loads it on demand.
    const block = page.locator(`[data-example="${spec.example.id}"]`);
    await block.locator('textarea').fill(GPU_IMPORT_EXAMPLE);
    await runExample(page, spec.example.id, 'none');
    const cpuError = await block.locator('[data-testid="cpu"] pre').allTextContents();
    if (cpuError.length)
      throw new CheckFailed(`${spec.name}: code importing @convkit/gpu failed: ${cpuError.join(' ')}`);
    expectEqual(
      `${spec.name}: conv2d on webgl2 from the reader's code`,
      (await cellValues(page, spec.example.id, 'cpu', 'onGpu')).values,
      [-4, -4, -4, -4],
    );
    expectEqual(
      `${spec.name}: the backend it ran on was webgl2`,
      (await cellValues(page, spec.example.id, 'cpu', 'isWebgl2')).values,
      [1],
    );
    record('code that imports @convkit/gpu runs', 'createGpu({ mode: webgl2 }).conv');
  }

  for (const { testId, expect } of spec.text ?? []) {
    expectEqual(
      `${spec.name}: ${testId}`,
      await page.locator(`[data-testid="${testId}"]`).first().textContent(),
      expect,
    );
    record(`${testId} shown`, expect);
  }

  if (spec.visualiser) {
    const { id, before, slider, value, after } = spec.visualiser;
    const board = page.locator(`[data-visualiser="${id}"]`);
    expectEqual(
      `${spec.name}: visualiser output size`,
      await board.locator('[data-testid="out-size"]').textContent(),
      before,
    );
    const taps = await board.locator('[data-tap]:not([data-tap=""])').count();
    if (taps === 0) throw new CheckFailed(`${spec.name}: no input cell is highlighted for the first output`);
    const firstStep = await board.locator('[data-testid="step"]').textContent();
    await board.locator('[data-testid="next"]').click();
    const secondStep = await board.locator('[data-testid="step"]').textContent();
    if (firstStep === secondStep || !/^output \(0, 0, 1\)/.test(secondStep ?? '')) {
      throw new CheckFailed(`${spec.name}: stepping went from "${firstStep}" to "${secondStep}"`);
    }
    await board.locator('[data-testid="play"]').click();
    await page.waitForFunction(
      (selector) => !/^output \(0, 0, [01]\)/.test(document.querySelector(selector)?.textContent ?? ''),
      `[data-visualiser="${id}"] [data-testid="step"]`,
      { timeout: 5000 },
    );
    await board.locator('[data-testid="play"]').click();
    await board.locator(`[data-testid="slider-${slider}"]`).fill(String(value));
    expectEqual(
      `${spec.name}: visualiser ${slider} shown`,
      await board.locator(`[data-testid="value-${slider}"]`).textContent(),
      String(value),
    );
    expectEqual(
      `${spec.name}: visualiser output size after ${slider} = ${value}`,
      await board.locator('[data-testid="out-size"]').textContent(),
      after,
    );
    record(
      'visualiser steps and animates, and a slider changes the output size',
      `${slider} = ${value}: ${before} -> ${after}`,
    );
    await board.screenshot({ path: `${ARTIFACTS}${spec.name}-visualiser.png` });
  }

  if (spec.receptiveField) {
    const tool = page.locator('[data-testid="receptive-field"]');
    const sizes = async () =>
      Promise.all([0, 1, 2].map((index) => tool.locator(`[data-testid="rf-size-${index}"]`).textContent()));
    expectEqual('receptive field of 3x3 with dilation 1, 2, 4', await sizes(), ['3', '7', '15']);
    await tool.getByRole('button', { name: '3x3, dilation 2 then 2' }).click();
    expectEqual(
      'receptive field of 3x3 with dilation 2 then 2',
      await tool.locator('[data-testid="rf-total"]').textContent(),
      '9',
    );
    expectEqual(
      'cells read by 3x3 with dilation 2 then 2 (gridding)',
      await tool.locator('[data-testid="rf-touched"]').textContent(),
      '5',
    );
    await tool.locator('[data-testid="rf-dilation-1"]').fill('4');
    expectEqual(
      'receptive field with the second dilation 4',
      await tool.locator('[data-testid="rf-total"]').textContent(),
      '13',
    );
    record('receptive field 3, 7, 15; 9 with 5 cells read; editing a dilation gives 13');
  }

  if (spec.padding) {
    const tool = page.locator('[data-testid="padding-compare"]');
    const row = async (rule) => (await tool.locator(`[data-testid="rule-${rule}"] td`).allTextContents()).slice(3);
    expectEqual('SAME_UPPER for input 6, kernel 3, stride 2', await row('onnx-same-upper'), ['0', '1', '3']);
    expectEqual('SAME_LOWER for input 6, kernel 3, stride 2', await row('onnx-same-lower'), ['1', '0', '3']);
    expectEqual("TensorFlow 'SAME' resolves as SAME_UPPER", await row('tensorflow-same'), await row('onnx-same-upper'));
    const pytorchSame = (await tool.locator('[data-testid="rule-pytorch-same"]').textContent()) ?? '';
    if (!/stride/.test(pytorchSame))
      throw new CheckFailed(`PyTorch 'same' with stride 2 should show core's stride error, shows: ${pytorchSame}`);
    await tool.locator('[data-testid="pad-stride"]').fill('1');
    await tool.locator('[data-testid="pad-kernel"]').fill('4');
    expectEqual("PyTorch 'same' for kernel 4, stride 1", await row('pytorch-same'), ['1', '2', '6']);
    expectEqual('SAME_LOWER for kernel 4, stride 1', await row('onnx-same-lower'), ['2', '1', '6']);
    record(
      'padding rules side by side',
      'SAME_UPPER [0,1], SAME_LOWER [1,0], PyTorch same refuses stride 2; k=4: [1,2] vs [2,1]',
    );
  }

  if (spec.calculator) {
    const tool = page.locator('[data-testid="param-calculator"]');
    expectEqual(
      'weights of a 3x3 conv 16 -> 32',
      await tool.locator('[data-testid="pc-params"]').textContent(),
      '4,608',
    );
    await tool.locator('[data-testid="pc-kind"]').selectOption('separable');
    expectEqual('weights of the separable form', await tool.locator('[data-testid="pc-params"]').textContent(), '656');
    await tool.locator('[data-testid="pc-kind"]').selectOption('conv');
    await tool.locator('[data-testid="pc-in"]').fill('256');
    await tool.locator('[data-testid="pc-out"]').fill('256');
    await tool.locator('[data-testid="pc-groups"]').fill('8');
    expectEqual(
      'weights of a 3x3 conv 256 -> 256 in 8 groups',
      await tool.locator('[data-testid="pc-params"]').textContent(),
      '73,728',
    );
    record('parameter calculator', '4608; 656 separable; 73728 with 8 groups');
  }

  if (spec.api) {
    // The index lists every package; each package's pages come from its doc comments.
    const packages = ['core', ...(withGpu ? ['gpu'] : [])];
    for (const name of packages)
      await page.waitForSelector(`article a[href$="/docs/api/${name}/"], article a[href$="/docs/api/${name}"]`, {
        timeout: TIMEOUT,
      });
    await page.goto(`${base}/docs/api/core/functions/conv2d`, { waitUntil: 'load' });
    const text = (await page.locator('article').textContent()) ?? '';
    if (!/2-D convolution/.test(text) || !/import \{ conv2d, tensor \} from '@convkit\/core'/.test(text)) {
      throw new CheckFailed('api: the conv2d page does not show its doc comment and @example');
    }
    if (withGpu) {
      await page.goto(`${base}/docs/api/gpu/functions/createGpu`, { waitUntil: 'load' });
      if (!/createGpu/.test((await page.locator('article').textContent()) ?? ''))
        throw new CheckFailed('api: no createGpu page for @convkit/gpu');
    }
    record(
      'API reference generated from doc comments',
      `${packages.map((name) => `@convkit/${name}`).join(', ')}; conv2d page with its @example`,
    );
  }

  if (spec.bench) {
    // Counts come from the committed results file, read here independently of the page.
    const results = JSON.parse(readFileSync(BENCH_RESULTS, 'utf8'));
    const ran = results.rows.filter((row) => row.status === 'ok');
    const skipped = results.rows.length - ran.length;
    expectEqual(
      'performance: machine cpu shown',
      await page.locator('[data-testid="machine-cpu"]').textContent(),
      results.machine.cpu,
    );
    await expectCounts(page, [
      ['performance: one chart per workload', '[data-testid="bench-chart"]', results.workloads.length],
      ['performance: one bar per engine that ran a workload', '[data-testid="bench-bar"] rect', ran.length],
    ]);
    for (const workload of results.workloads) {
      const chart = page.locator(`[data-testid="bench-chart"][data-workload="${workload.id}"]`);
      const bars = await chart
        .locator('[data-testid="bench-bar"]')
        .evaluateAll((elements) => elements.map((element) => element.getAttribute('data-engine')));
      const want = ran
        .filter((row) => row.workload === workload.id)
        .sort((a, b) => b.gflops - a.gflops)
        .map((row) => row.engine);
      expectEqual(`performance: ${workload.id} bars, fastest first`, bars, want);
      const width = await chart.locator('[data-testid="bench-bar"] rect').first().getAttribute('width');
      if (!(Number(width) > 1)) throw new CheckFailed(`performance: ${workload.id}'s longest bar is ${width} wide`);
    }
    await expectCounts(page, [
      ['performance: one table row per result row', '[data-testid="bench-row"]', results.rows.length],
      ['performance: skipped rows', '[data-testid="bench-row"][data-skipped="true"]', skipped],
      ['performance: one engine row per engine', '[data-testid="engine-row"]', results.engines.length],
      [
        'performance: skipped engines listed with a reason',
        '[data-testid="skipped-engine"]',
        results.engines.filter((engine) => engine.status !== 'ok').length,
      ],
      [
        'performance: target rows (every workload vs tfjs-cpu, W5 W7 W1 W6 vs tfjs-wasm)',
        '[data-testid="target-row"]',
        results.workloads.length + 4,
      ],
    ]);
    const verdicts = await page.locator('[data-testid="target-row"] td:last-child').allTextContents();
    if (verdicts.some((verdict) => verdict !== 'met' && verdict !== 'not met'))
      throw new CheckFailed(`performance: verdicts ${verdicts.join(', ')}`);
    record(
      'benchmark results shown from latest.json',
      `${results.workloads.length} charts, ${ran.length} bars, ${results.rows.length} rows (${skipped} skipped), ${verdicts.filter((verdict) => verdict === 'met').length}/${verdicts.length} targets met`,
    );
    await page
      .locator('[data-testid="bench-chart"]')
      .first()
      .screenshot({ path: `${ARTIFACTS}${spec.name}-chart.png` });
    await page.locator('[data-testid="bench-targets"]').screenshot({ path: `${ARTIFACTS}${spec.name}-targets.png` });
  }

  if (errors.length) throw new CheckFailed(`${spec.name}: errors in the page: ${errors.join('; ')}`);
  await page.screenshot({ path: `${ARTIFACTS}${spec.name}.png`, fullPage: true });
}

async function main() {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  const withGpu = gpuInBuild();
  const server = await startServer();
  // WebGPU runs on SwiftShader in headless Chromium; navigator.gpu needs a secure context (http://127.0.0.1).
  const browser = await chromium.launch(chromiumLaunchOptions());
  const checks = [];
  const failures = [];
  let sizes = {};
  try {
    if (!process.env.FEATURES) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.setDefaultTimeout(TIMEOUT);
      for (const spec of PAGES) {
        const started = Date.now();
        try {
          await checkPage(page, server.url, spec, withGpu, checks);
          console.log(`ok   ${spec.path} (${Date.now() - started} ms)`);
        } catch (error) {
          failures.push({ page: spec.name, error: error.message });
          console.log(`FAIL ${spec.path}: ${error.message}`);
          await page.screenshot({ path: `${ARTIFACTS}${spec.name}-failed.png`, fullPage: true }).catch(() => {});
        }
      }
      await page.close();
    }
    // Issue 12's features: live-example safety, URL, keyboard, views, exports, axe, JS sizes.
    const pages = [...new Map(PAGES.map((spec) => [spec.path, spec])).values()];
    const features = await checkFeatures(browser, server.url, pages, (check, detail = '') =>
      checks.push({ page: 'features', check, detail }),
    );
    failures.push(...features.failures);
    sizes = features.sizes;
    for (const [path, kib] of Object.entries(sizes)) console.log(`js   ${path}: ${kib} KiB`);
  } finally {
    await browser.close();
    await server.close();
  }
  const gpuNote = withGpu
    ? `GPU checks on ${GPU_MODES.join(' and ')}`
    : 'GPU checks skipped: @convkit/gpu is not part of this build';
  writeFileSync(
    `${ARTIFACTS}report.json`,
    JSON.stringify({ gpu: gpuNote, checks, failures, jsKiBPerPage: sizes }, null, 2),
  );
  console.log(
    `${checks.length} checks passed on ${PAGES.length - failures.length}/${PAGES.length} pages; ${gpuNote}; screenshots in e2e-artifacts/`,
  );
  if (failures.length) process.exit(1);
}

await main();
