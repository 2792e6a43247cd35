import type { BackwardFamily, OpFamily, Tensor } from '@convkit/core';
import type { Gpu, GpuTensor } from '@convkit/gpu';

type MaybePromise<T> = T | Promise<T>;

/**
 * The ops a live example may call: every op of core's op table (`OP_TABLE`), derived from it, plus
 * `@convkit/gpu`'s `upload` and `resident` ops (a chain of layers kept on the device, read back
 * once). A `@convkit/gpu` instance fits as it is; the CPU column passes `coreBackend`
 * (`src/live/core-backend.ts`): core's ops, with `upload` and `resident` as a plain pass-through on
 * host tensors. So the page runs one example on both and compares the results.
 */
export type ConvBackend = OpFamily<MaybePromise<Tensor>> & BackwardFamily<boolean> & Pick<Gpu, 'upload' | 'resident'>;

/** What a live example returns: named tensors, shown as grids in the order given. */
export type ExampleResult = Record<string, Tensor>;

/** A live example: one async function of the backend, the default export of its module. */
export type Example = (backend: ConvBackend) => Promise<ExampleResult>;

/** A tensor kept on the backend's device between ops (`upload`, `resident.<op>`); `read()` reads it back. */
export type DeviceTensor = GpuTensor;
