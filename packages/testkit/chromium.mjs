// How every headless browser test of convkit starts Debian's Chromium (plain JavaScript so that
// the docs' .mjs e2e runner and the TypeScript runners share it).

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
