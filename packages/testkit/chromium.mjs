// How every headless browser test of convkit starts Debian's Chromium and bundles the page it
// loads (plain JavaScript so that the docs' .mjs e2e runner and the TypeScript runners share it).

/** The browser binary: Debian's package, or `CHROMIUM_PATH`. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * As root Chromium needs --no-sandbox; without the background-networking flags it keeps trying
 * Google's hosts on this closed network; WebGPU needs --enable-unsafe-webgpu (it then offers
 * SwiftShader's Vulkan as a fallback adapter, in a secure context such as http://127.0.0.1).
 */
export const CHROMIUM_ARGS = Object.freeze([
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-webgpu',
]);

/** Launch options for playwright-core's `chromium.launch`. */
export function chromiumLaunchOptions() {
  return { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] };
}

/**
 * esbuild options (for its `build`) that bundle a page's entry from workspace sources into one
 * in-memory ES module. Never minified: gpu.js parses kernels from their source text and cannot
 * read what a minifier makes of it.
 */
export function browserBundleOptions(entryPoint) {
  return {
    entryPoints: [entryPoint],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: false,
    conditions: ['@convkit/source'],
    logLevel: 'warning',
  };
}
