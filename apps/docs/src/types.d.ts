declare module '!!raw-loader!*' {
  const source: string;
  export default source;
}

// Resolved to the real package once it is a dependency, else to src/live/gpu-unavailable.ts
// (see the convkit-webpack plugin in docusaurus.config.ts).
declare module '@convkit/gpu' {
  export function createGpu(options?: { mode?: string }): Promise<unknown>;
}
