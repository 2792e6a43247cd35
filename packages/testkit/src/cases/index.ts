export * from './error-cases.js';
export * from './hand-cases.js';
