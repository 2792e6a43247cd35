// Browser-safe: the gpu browser suite bundles this entry. What reads files is in '@convkit/testkit/node'.
export * from './cases/index.js';
export * from './compare.js';
export * from './random.js';
export * from './tensor.js';
export * from './validity.js';
export * from './odd-values.js';
export * from './bad-input.js';
export * from './invalid-calls.js';
