import * as gpujsModule from 'gpu.js';

/**
 * gpu.js itself. Node loads its CommonJS entry (`{ GPU, CPUKernel, ... }`); a browser bundle loads
 * its UMD build, whose export is the `GPU` class carrying the same names as properties. Both reach
 * the same members through this one object.
 *
 * @example
 * ```ts
 * import { gpujs } from './gpujs.js';
 * const gpu = new gpujs.GPU({ mode: 'cpu' });
 * typeof gpu.createKernel; // 'function'
 * ```
 */
export const gpujs: typeof gpujsModule =
  (gpujsModule as { GPU?: unknown }).GPU !== undefined
    ? gpujsModule
    : (gpujsModule as unknown as { default: typeof gpujsModule }).default;
