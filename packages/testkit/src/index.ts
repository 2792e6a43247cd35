export * from './compare.js';
export * from './conformance.js';
export * from './random.js';
export * from './odd-values.js';
export * from './bad-input.js';
export * from './invalid-calls.js';
