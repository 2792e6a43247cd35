// The learner-facing features of issue 12, checked in Chromium: live examples that misbehave,
// large outputs, the visualiser's URL, keyboard, exports and views, the calculator, an
// accessibility scan in both themes, and the JavaScript each page loads.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import omggif from 'omggif';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export class FeatureFailed extends Error {}
function expect(what, ok, detail = '') {
  if (!ok) throw new FeatureFailed(`${what}${detail ? `: ${detail}` : ''}`);
}

/** Waits until example `id` has finished more runs than `before`. */
export async function waitForRun(page, id, before, timeout = 30_000) {
  await page.waitForFunction(
    ([selector, count]) => {
      const element = document.querySelector(selector);
      return (
        element && Number(element.getAttribute('data-runs')) > count && element.getAttribute('data-running') === 'false'
      );
    },
    [`[data-example="${id}"]`, before],
    { timeout },
  );
}

async function runCode(page, id, code, { stopAfter } = {}) {
  const block = page.locator(`[data-example="${id}"]`);
  await page.waitForFunction(
    (selector) => Number(document.querySelector(selector)?.getAttribute('data-runs')) > 0,
    `[data-example="${id}"]`,
  );
  const before = Number(await block.getAttribute('data-runs'));
  await block.locator('textarea').fill(code);
  const started = Date.now();
  await block.locator('[data-testid="run"]').click();
  if (stopAfter !== undefined) {
    await page.waitForTimeout(stopAfter);
    await block.locator('[data-testid="stop"]').click();
  }
  await waitForRun(page, id, before, 60_000);
  return { block, milliseconds: Date.now() - started };
}

const LARGE = `import { tensor } from '@convkit/core';
export default async function large(backend) {
  const size = 128;
  const x = tensor(Array.from({ length: 16 * size * size }, (_, i) => Math.sin(i)), [1, 16, size, size]);
  const w = tensor(Array.from({ length: 32 * 16 * 9 }, (_, i) => Math.cos(i)), [32, 16, 3, 3]);
  return { output: await backend.conv(x, w, { padding: 1 }) };
}
`;

async function liveChecks(page, base, record) {
  await page.goto(`${base}/docs/types/standard`, { waitUntil: 'networkidle' });
  const id = 'standard';
  const block = page.locator(`[data-example="${id}"]`);
  const source = await block.locator('textarea').inputValue();

  let { block: ran } = await runCode(
    page,
    id,
    source.replace('return { image, sobel, edges };', 'return { image, sobel, edges, n: 42 };'),
  );
  const message = (await ran.locator('[data-testid="cpu"] pre').allTextContents()).join(' ');
  expect(
    'a non-tensor return value gets a clear message',
    /`n` is a number \(42\), not a tensor/.test(message),
    message,
  );
  expect('Run stays usable after a non-tensor result', await ran.locator('[data-testid="run"]').isEnabled());
  await ran.getByRole('button', { name: 'Reset' }).click();
  ({ block: ran } = await runCode(page, id, source));
  expect('after Reset the example runs again', (await ran.locator('[data-tensor="edges"]').count()) === 1);
  record('a live example returning { n: 42 } says so and Run stays usable', message.slice(0, 60));

  // while (true) {} is stopped by the worker's time limit, and the page answers meanwhile.
  const loop = 'export default async function forever() {\n  while (true) {}\n}\n';
  await block.locator('textarea').fill(loop);
  const before = Number(await block.getAttribute('data-runs'));
  const started = Date.now();
  await block.locator('[data-testid="run"]').click();
  await page.waitForTimeout(1000);
  const answered = Date.now();
  const sum = await page.evaluate(() => 1 + 1);
  expect(
    'the page answers while the example loops',
    sum === 2 && Date.now() - answered < 500,
    `${Date.now() - answered} ms`,
  );
  await page.locator('[data-testid="slider-stride"]').first().fill('2');
  await waitForRun(page, id, before, 20_000);
  const stopped = (await block.locator('[data-testid="cpu"] pre').allTextContents()).join(' ');
  expect('the time limit stops while (true) {}', /stopped after 5 s/.test(stopped), stopped);
  record('while (true) {} stopped by the 5 s limit; page responsive meanwhile', `${Date.now() - started} ms`);
  const stoppedByHand = await runCode(page, id, loop, { stopAfter: 500 });
  const byHand = (await stoppedByHand.block.locator('[data-testid="cpu"] pre').allTextContents()).join(' ');
  expect('the Stop button stops a run', /Stop button/.test(byHand), byHand);
  record('the Stop button ends a running example', `${stoppedByHand.milliseconds} ms`);

  const large = await runCode(page, id, LARGE);
  const canvases = await large.block.locator('[data-tensor="output"] canvas').count();
  expect('16 -> 32 channels at 128x128 draws on canvases', canvases === 16, `${canvases} canvases`);
  expect('16 -> 32 channels at 128x128 renders within 5 s', large.milliseconds < 5000, `${large.milliseconds} ms`);
  const summary = await large.block.locator('[data-tensor="output"] [data-testid="tensor-summary"]').textContent();
  record('16 -> 32 channels at 128 x 128 rendered', `${large.milliseconds} ms; ${summary?.trim()}`);
}

async function board(page, base, path, id) {
  // networkidle: the board reads its settings from the URL once hydrated.
  await page.goto(`${base}${path}`, { waitUntil: 'networkidle' });
  const locator = page.locator(`[data-visualiser="${id}"]`);
  await locator.waitFor();
  return locator;
}

/** Every control of the visualiser, in the order the check sets them: how to set it, and the value to set. */
const CONTROLS = JSON.parse(readFileSync(new URL('./visualiser-controls.json', import.meta.url), 'utf8'));

/**
 * Types 0 into the field `testId` inside `scope` and expects core's range message for `name` in
 * the `errors` elements; returns that message.
 */
async function expectRefusesZero(what, scope, testId, errors, name) {
  await scope.locator(`[data-testid="${testId}"]`).fill('0');
  const message = (await scope.locator(errors).allTextContents()).join(' ');
  expect(what, message.includes(`${name} must be an integer in [1, 2^31 - 1], got 0`), message);
  return message;
}

async function controlValue(control, element) {
  if (control.check) return String(await element.isChecked());
  return element.inputValue();
}

async function urlChecks(page, base, record) {
  const tools = await board(page, base, '/docs/tools/visualiser', 'tools');
  const history = [];
  for (const control of CONTROLS) {
    const element = tools.locator(`[data-testid="${control.testId}"]`);
    if (control.select) await element.selectOption(String(control.value));
    else if (control.check) await element.check();
    else await element.fill(String(control.value));
    await page.waitForTimeout(50);
    const url = page.url();
    expect(`${control.testId} is in the URL`, url.includes(`tools.${control.param}=`), url);
    history.push({ control, url, value: await controlValue(control, element) });
  }
  // A shared link reproduces every control: open each URL fresh and read the control back.
  const fresh = await page.context().newPage();
  for (const { control, url, value } of history) {
    await fresh.goto(url, { waitUntil: 'networkidle' });
    const element = fresh.locator(`[data-visualiser="tools"] [data-testid="${control.testId}"]`);
    expect(
      `${control.testId} from a shared link`,
      (await controlValue(control, element)) === value,
      `${await controlValue(control, element)} != ${value}`,
    );
  }
  await fresh.close();
  // Back and forward walk through the edits.
  await page.goBack();
  await page.waitForTimeout(100);
  const previous = history.at(-2);
  expect('back restores the previous setting', page.url() === previous.url, page.url());
  await page.goForward();
  await page.waitForTimeout(100);
  expect('forward restores the last setting', page.url() === history.at(-1).url, page.url());
  record('every visualiser control round-trips through the URL; back/forward work', `${CONTROLS.length} controls`);

  // The calculator's settings too.
  // Wait for hydration (networkidle) and for each edit to reach the URL: an edit made before React
  // attaches its handlers, or a URL read before the router pushed, would share a stale link.
  await page.goto(`${base}/docs/tools/calculator`, { waitUntil: 'networkidle' });
  const calc = page.locator('[data-testid="param-calculator"]');
  await calc.locator('[data-testid="pc-kind"]').selectOption('separable');
  await page.waitForURL(/pc\.kind=separable/, { timeout: 10_000 });
  await calc.locator('[data-testid="pc-in"]').fill('24');
  await page.waitForURL(/pc\.in=24/, { timeout: 10_000 });
  const shared = page.url();
  const copy = await page.context().newPage();
  await copy.goto(shared, { waitUntil: 'networkidle' });
  const params = await copy.locator('[data-testid="pc-params"]').textContent();
  expect(
    'calculator settings from a shared link',
    params === (await calc.locator('[data-testid="pc-params"]').textContent()),
    `${params}`,
  );
  expect(
    'calculator kind from a shared link',
    (await copy.locator('[data-testid="pc-kind"]').inputValue()) === 'separable',
  );
  await copy.close();
  await expectRefusesZero('the calculator refuses 0 with a message', calc, 'pc-in', 'pre', 'inChannels');
  await page.goBack();
  expect('calculator: back restores 24', (await calc.locator('[data-testid="pc-in"]').inputValue()) === '24');
  record("calculator settings round-trip through the URL; 0 is refused with core's message", shared.split('?')[1]);

  await page.goto(`${base}/docs/concepts/receptive-field`, { waitUntil: 'networkidle' });
  const refused = await expectRefusesZero(
    'the receptive-field explorer refuses 0',
    page,
    'rf-kernel-0',
    '[data-testid="receptive-field"] pre',
    'kernelSize',
  );
  record('receptive-field explorer refuses 0 with a message', refused);
}

async function keyboardChecks(page, base, record) {
  const tools = await board(page, base, '/docs/tools/visualiser', 'tools');
  let operated = 0;
  const sliders = await tools
    .locator('input[type="range"]')
    .evaluateAll((elements) => elements.map((element) => element.getAttribute('data-testid')));
  for (const testId of sliders) {
    const slider = tools.locator(`[data-testid="${testId}"]`);
    const before = await slider.inputValue();
    await slider.focus();
    await page.keyboard.press(Number(before) >= Number(await slider.getAttribute('max')) ? 'ArrowLeft' : 'ArrowRight');
    expect(
      `${testId} moves with the arrow keys`,
      (await tools.locator(`[data-testid="${testId}"]`).inputValue()) !== before,
    );
    operated++;
  }
  const selects = await tools
    .locator('select')
    .evaluateAll((elements) => elements.map((element) => element.getAttribute('data-testid')));
  for (const testId of selects) {
    const select = tools.locator(`[data-testid="${testId}"]`);
    if ((await select.locator('option').count()) < 2) continue;
    const before = await select.inputValue();
    await select.focus();
    await page.keyboard.press('ArrowDown');
    if ((await select.inputValue()) === before) await page.keyboard.press('ArrowUp');
    expect(
      `${testId} changes with the arrow keys`,
      (await tools.locator(`[data-testid="${testId}"]`).inputValue()) !== before,
    );
    operated++;
  }
  const numeric = tools.locator('[data-testid="numeric"]');
  await numeric.focus();
  await page.keyboard.press('Space');
  expect('the values checkbox toggles with space', await numeric.isChecked());
  operated++;
  const step = async () => tools.locator('[data-testid="step"]').textContent();
  for (const button of ['next', 'previous', 'play']) {
    const before = await step();
    await tools.locator(`[data-testid="${button}"]`).focus();
    await page.keyboard.press('Enter');
    if (button === 'play') {
      await page.waitForTimeout(1500);
      await page.keyboard.press('Enter');
    }
    expect(`${button} works from the keyboard`, (await step()) !== before);
    operated++;
  }
  const grid = tools.locator('[data-testid="output-grid"]');
  await grid.focus();
  const before = await step();
  await page.keyboard.press('ArrowRight');
  expect('arrow keys move the current output cell', (await step()) !== before);
  operated++;
  await tools.locator('[data-testid="copy-code-convkit"]').focus();
  await page.keyboard.press('Enter');
  await page.waitForTimeout(100);
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(
    'the copy button copies the convkit snippet',
    copied === (await tools.locator('[data-testid="code-convkit"]').textContent()),
    copied,
  );
  operated++;
  record('every visualiser control operates from the keyboard; copy button copies', `${operated} controls`);
}

async function viewChecks(page, base, record) {
  let tools = await board(page, base, '/docs/types/transposed', 'transposed');
  const zeros = await tools.locator('[data-testid="input-0"] [data-kind="zero"]').count();
  expect('the zero-insertion view draws inserted zeros', zeros > 0);
  const shaded = await tools.locator('[data-testid="input-0"] [data-tap]:not([data-tap=""])').count();
  expect('the stride-1 window of the rotated kernel covers 9 cells', shaded === 9, `${shaded}`);
  await tools.locator('[data-testid="view"]').selectOption('scatter');
  const label = await tools.locator('[data-testid="step"]').textContent();
  expect(
    'the scatter view steps over input cells',
    /^input \(0, 0, 0\) paints 9 output cells/.test(label ?? ''),
    label,
  );
  record('transposed: zero insertion (9-cell window over 49 cells) and scatter views', label);

  tools = await board(page, base, '/docs/tools/visualiser?tools.numeric=1', 'tools');
  const dot = (await tools.locator('[data-testid="dot-product"]').textContent()) ?? '';
  const first = await tools.locator('[data-testid="output-0"] [data-kind="output"]').first().textContent();
  expect("the dot product ends with core's output value", dot.endsWith(`= ${first}`), `${dot} vs ${first}`);
  const hoverTarget = tools.locator('[data-testid="output-0"] [data-kind="output"]').nth(7);
  await hoverTarget.click();
  expect(
    'clicking an output cell pins it',
    /^output \(0, 1, 2\)/.test((await tools.locator('[data-testid="step"]').textContent()) ?? ''),
  );
  record("numeric mode: dot product of the current cell = core's output; click pins a cell", dot);

  tools = await board(page, base, '/docs/tools/visualiser?tools.paddingMode=circular&tools.pads=2,2,2,2', 'tools');
  const copies = await tools.locator('[data-testid="input-0"] [data-kind="pad"]').allTextContents();
  expect(
    'circular padding cells name the input they copy',
    copies.filter((text) => text.startsWith('↪')).length > 0,
    copies.join(' '),
  );
  record('padding modes: circular padding cells name the cell they copy', copies.filter(Boolean).slice(0, 4).join(' '));

  tools = await board(page, base, '/docs/tools/visualiser?tools.rank=1&tools.inputWidth=8', 'tools');
  expect('1-D output size', (await tools.locator('[data-testid="out-size"]').textContent()) === '8');
  tools = await board(page, base, '/docs/tools/visualiser?tools.rank=3', 'tools');
  expect('3-D output size', (await tools.locator('[data-testid="out-size"]').textContent()) === '2 × 5 × 5');
  expect('3-D: one panel per output depth', (await tools.locator('[data-testid^="output-0-"]').count()) === 2);
  record('1-D and 3-D modes', '1-D 8 padded 1 -> 8; 3-D 3x7x7 padded 1 -> 2 x 5 x 5');

  tools = await board(page, base, '/docs/types/group', 'group');
  const slices = await tools.locator('[data-testid^="kernel-"]').count();
  record('taps coloured and labelled per (output channel, input channel)', `${slices} kernel slices on the group page`);
}

async function exportChecks(page, base, record) {
  const tools = await board(page, base, '/docs/tools/visualiser?tools.inputHeight=4&tools.inputWidth=4', 'tools');
  const steps = Number(((await tools.locator('[data-testid="step-number"]').textContent()) ?? '').split('/')[1]);
  const save = async (kind) => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      tools.locator(`[data-testid="export-${kind}"]`).click(),
    ]);
    const path = await download.path();
    return readFileSync(path);
  };
  const gif = await save('gif');
  const reader = new omggif.GifReader(new Uint8Array(gif));
  expect(
    'the GIF has one frame per step',
    reader.numFrames() === steps,
    `${reader.numFrames()} frames, ${steps} steps`,
  );
  const pixels = new Uint8Array(reader.width * reader.height * 4);
  reader.decodeAndBlitFrameRGBA(reader.numFrames() - 1, pixels);
  const svg = (await save('svg')).toString('utf8');
  const parsed = await page.evaluate((text) => {
    const document = new DOMParser().parseFromString(text, 'image/svg+xml');
    return {
      error: document.querySelector('parsererror')?.textContent ?? null,
      panels: document.querySelectorAll('g[data-panel]').length,
    };
  }, svg);
  expect('the SVG parses', parsed.error === null && parsed.panels > 0, JSON.stringify(parsed));
  const png = await save('png');
  expect('the PNG is a PNG', png.subarray(1, 4).toString('latin1') === 'PNG');
  record(
    'exports',
    `GIF ${reader.width}x${reader.height}, ${reader.numFrames()} frames = ${steps} steps (${gif.length} bytes); SVG ${parsed.panels} panels; PNG ${png.length} bytes`,
  );
}

async function siteChecks(page, base, record) {
  // Offline search: the local index answers without any network beyond this server.
  await page.goto(`${base}/docs/getting-started`, { waitUntil: 'networkidle' });
  const search = page.locator('input.navbar__search-input, input[type="search"]').first();
  await search.click();
  await search.fill('depthwise');
  const suggestion = page.locator('.aa-suggestion, [role="option"]').first();
  await suggestion.waitFor({ timeout: 15_000 });
  const hits = await page.locator('.aa-suggestion, [role="option"]').count();
  expect('the site search finds depthwise', hits > 0);
  record('offline search', `"depthwise": ${hits} suggestions`);

  await page.goto(`${base}/docs/references`, { waitUntil: 'load' });
  const papers = await page.locator('article a[href^="https://arxiv.org/"]').count();
  expect('references link out to the papers', papers >= 5, `${papers}`);
  record('references page', `${papers} arXiv links`);

  await page.goto(`${base}/docs/types/group`, { waitUntil: 'load' });
  const blocks = page.locator('[data-testid="channel-blocks"]');
  const weights = await Promise.all(
    ['standard', 'group', 'depthwise', 'separable'].map((kind) =>
      blocks.locator(`[data-testid="cb-params-${kind}"]`).textContent(),
    ),
  );
  expect('channel blocks: 6 channels, 3 groups', weights.join() === '324,108,54,90', weights.join());
  record('channels view for groups: weights standard, group, depthwise, separable', weights.join(' / '));

  await page.goto(`${base}/docs/tools/check-your-device`, { waitUntil: 'networkidle' });
  await page.locator('[data-testid="device-run"]').click();
  await page.waitForFunction(
    () => document.querySelector('[data-testid="device-check"]')?.getAttribute('data-running') === 'false',
    null,
    { timeout: 240_000 },
  );
  const rows = await page.locator('[data-testid^="device-row-"]').evaluateAll((elements) =>
    elements.map((element) => ({
      backend: element.getAttribute('data-testid').replace('device-row-', ''),
      status: element.getAttribute('data-status'),
      passed: Number(element.getAttribute('data-passed')),
      total: Number(element.getAttribute('data-total')),
      text: element.textContent,
    })),
  );
  const core = rows.find((row) => row.backend === 'core');
  expect(
    'device check: core passes every vector',
    core && core.passed === core.total && core.total > 0,
    JSON.stringify(core),
  );
  const webgl2 = rows.find((row) => row.backend === 'webgl2');
  expect('device check: webgl2 passes every vector', webgl2 && webgl2.passed === webgl2.total, JSON.stringify(webgl2));
  record(
    'check your device',
    rows.map((row) => `${row.backend} ${row.status === 'done' ? `${row.passed}/${row.total}` : row.status}`).join(', '),
  );
}

async function axeChecks(page, base, pages, record) {
  const serious = [];
  for (const theme of ['light', 'dark']) {
    for (const spec of pages) {
      await page.goto(`${base}${spec.path}`, { waitUntil: 'load' });
      await page.evaluate((mode) => {
        localStorage.setItem('theme', mode);
        document.documentElement.setAttribute('data-theme', mode);
      }, theme);
      await page.waitForTimeout(300);
      await page.addScriptTag({ content: AXE });
      const result = await page.evaluate(async () => {
        const { violations } = await window.axe.run(document, { resultTypes: ['violations'] });
        return violations
          .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
          .map((violation) => `${violation.id} (${violation.nodes.length}): ${violation.nodes[0]?.target.join(' ')}`);
      });
      for (const line of result) serious.push(`${theme} ${spec.path}: ${line}`);
    }
  }
  expect('no serious or critical axe violations', serious.length === 0, serious.join('\n'));
  record('axe-core: no serious/critical violations', `${pages.length} pages x light, dark`);
}

/** The built chunks that carry gpu.js (its kernels' class names) or @convkit/gpu, by file name. */
function gpuChunkNames() {
  const folder = new URL('../build/assets/js/', import.meta.url);
  return readdirSync(folder).filter(
    (file) =>
      file.endsWith('.js') &&
      (/^convkit-gpu\./.test(file) || /WebGL2Kernel/.test(readFileSync(new URL(file, folder), 'utf8'))),
  );
}

async function sizeChecks(browser, base, pages, record) {
  const sizes = {};
  const gpuFiles = gpuChunkNames();
  expect('the build has gpu chunks to look for', gpuFiles.length >= 2, gpuFiles.join(', '));
  const isGpu = (url) => gpuFiles.some((file) => url.endsWith(`/${file}`));
  for (const spec of pages) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const gpuChunks = [];
    page.on('request', (request) => {
      if (isGpu(request.url())) gpuChunks.push(request.url());
    });
    await page.goto(`${base}${spec.path}`, { waitUntil: 'networkidle' });
    await page.waitForTimeout(300);
    // What the page ran: scripts, not the chunks Docusaurus prefetches for links (the live runner's
    // worker fetches its own chunk, counted apart).
    const bytes = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((entry) => entry.name.endsWith('.js') && entry.initiatorType === 'script')
        .reduce((sum, entry) => sum + entry.decodedBodySize, 0),
    );
    expect(
      `gpu.js is not loaded on ${spec.path} until a GPU backend is chosen`,
      gpuChunks.length === 0,
      gpuChunks.join(', '),
    );
    sizes[spec.path] = Math.round(bytes / 1024);
    if (spec.path === '/docs/types/standard') {
      await page.locator('[data-example="standard"] [data-testid="gpu-mode"]').selectOption('webgl2');
      await page.locator('[data-example="standard"] [data-testid="run"]').click();
      await page.waitForResponse((response) => isGpu(response.url()), { timeout: 30_000 });
    }
    await context.close();
  }
  record(
    'JS per page (KiB, uncompressed), gpu.js absent until a GPU backend is chosen',
    `${JSON.stringify(sizes)}; gpu chunks ${gpuFiles.join(', ')}`,
  );
  return sizes;
}

/** Runs every feature check; returns the per-page JS sizes. */
export async function checkFeatures(browser, base, pages, record) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const failures = [];
  const sizes = {};
  const steps = [
    ['live examples', () => liveChecks(page, base, record)],
    ['URL', () => urlChecks(page, base, record)],
    ['keyboard', () => keyboardChecks(page, base, record)],
    ['views', () => viewChecks(page, base, record)],
    ['exports', () => exportChecks(page, base, record)],
    ['site', () => siteChecks(page, base, record)],
    ['accessibility', () => axeChecks(page, base, pages, record)],
    ['JS size', async () => Object.assign(sizes, await sizeChecks(browser, base, pages, record))],
  ];
  const only = process.env.FEATURES?.split(',');
  for (const [name, run] of steps) {
    if (only && !only.includes(name)) continue;
    const started = Date.now();
    try {
      await run();
      console.log(`ok   feature: ${name} (${Date.now() - started} ms)`);
    } catch (error) {
      failures.push({ page: `feature: ${name}`, error: error.message });
      console.log(`FAIL feature: ${name}: ${error.message}`);
    }
  }
  await context.close();
  return { failures, sizes };
}
