/**
 * Node 20's V8 has WebAssembly relaxed SIMD behind a flag (Node 22 and Chromium have it on): the
 * benchmark turns it on before any module compiles, so convkit-core runs the relaxed-SIMD (FMA)
 * kernels it would pick in a browser; each convkit row's description names the kernels that ran.
 * Imported first by the entry points.
 */
import { setFlagsFromString } from 'node:v8';

if (Number(process.versions.node.split('.')[0]) < 22) setFlagsFromString('--experimental-wasm-relaxed-simd');
