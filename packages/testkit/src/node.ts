// What needs node:fs: the conformance vectors on disk and the doc-comment examples of a source tree.
export * from './conformance.js';
export * from './doc-examples.js';
