/**
 * Assembles src/algorithms/wasm/kernels.wat into src/algorithms/wasm/kernels.generated.ts, which
 * embeds the module's bytes as base64 so @convkit/core needs no assembler (and no fetch) at run
 * time. Run `pnpm --filter @convkit/core build:wasm` after editing the .wat; a test fails while
 * the committed file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assembleKernels, GENERATED_PATH, WAT_PATH } from './assemble-wasm.js';

const generated = await assembleKernels(readFileSync(WAT_PATH, 'utf8'));
writeFileSync(GENERATED_PATH, generated);
console.log(`wrote ${fileURLToPath(GENERATED_PATH)}`);
