/**
 * Stands in for `@convkit/gpu` in the static (server) build, where gpu.js cannot load, and in a
 * browser build made before the gpu package exists. The live runner reports its message.
 */
export const unavailable = true;

export async function createGpu(): Promise<never> {
  throw new Error('@convkit/gpu is not part of this build of the site; only the CPU column runs');
}
