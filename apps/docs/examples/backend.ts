import type { BackwardFamily, OpFamily, Tensor } from '@convkit/core';

type MaybePromise<T> = T | Promise<T>;

/**
 * The ops a live example may call: every op of core's op table (`OP_TABLE`), derived from it.
 * `@convkit/core` (synchronous) and a `@convkit/gpu` instance (asynchronous) both fit, so the
 * page runs one example on both and compares the results.
 */
export type ConvBackend = OpFamily<MaybePromise<Tensor>> & BackwardFamily<boolean>;

/** What a live example returns: named tensors, shown as grids in the order given. */
export type ExampleResult = Record<string, Tensor>;

/** A live example: one async function of the backend, the default export of its module. */
export type Example = (backend: ConvBackend) => Promise<ExampleResult>;
