export * from './compare.js';
export * from './conformance.js';
export * from './random.js';
export * from './odd-values.js';
