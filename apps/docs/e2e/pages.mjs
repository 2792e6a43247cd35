// What the end-to-end run checks on each page: the live example's numbers (the same values the
// vitest suite checks on the example modules), one slider move in the visualiser and what it must
// change the shown output size to, and page-specific checks.

/** First `count` values of a row-major list. */
const head = (values, count) => values.slice(0, count);

export const PAGES = [
  {
    name: 'standard',
    path: '/docs/types/standard',
    example: {
      id: 'standard',
      tensor: 'edges',
      shape: '1,2,5,5',
      check: (values) => head(values, 5),
      expect: [0, 3, 3, 0, -3],
    },
    // The reader edits the code: padding 1 -> 0 makes the output 3x3.
    edit: { from: '{ padding: 1 }', to: '{ padding: 0 }', tensor: 'edges', shape: '1,2,3,3' },
    visualiser: { id: 'standard', before: '5 × 5', slider: 'stride', value: 2, after: '3 × 3' },
  },
  {
    name: 'depthwise',
    path: '/docs/types/depthwise',
    example: {
      id: 'depthwise',
      tensor: 'output',
      shape: '1,3,4,4',
      check: (values) => values.slice(32, 36),
      expect: [0, 0, 1, 2],
    },
    visualiser: { id: 'depthwise', before: '4 × 4', slider: 'stride', value: 2, after: '2 × 2' },
  },
  {
    name: 'pointwise',
    path: '/docs/types/pointwise',
    example: {
      id: 'pointwise',
      tensor: 'output',
      shape: '1,2,2,2',
      check: (values) => values.slice(4).concat(Number(values[0].toFixed(3))),
      expect: [1, 1, -1, -1, 0.299],
    },
    visualiser: { id: 'pointwise', before: '3 × 3', slider: 'stride', value: 2, after: '2 × 2' },
  },
  {
    name: 'depthwise-separable',
    path: '/docs/types/depthwise-separable',
    example: {
      id: 'depthwise-separable',
      tensor: 'output',
      shape: '1,3,4,4',
      check: (values) => head(values, 4),
      expect: [0, 1, 2, 3],
    },
    visualiser: { id: 'depthwise-separable', before: '4 × 4', slider: 'stride', value: 2, after: '2 × 2' },
  },
  {
    // The 4-layer network kept on the device: one upload and one readback (row 0) against one of
    // each per layer for plain ops (row 1); on webgl2 and webgpu its output must match core's.
    name: 'depthwise-separable-network',
    path: '/docs/types/depthwise-separable',
    example: { id: 'network', tensor: 'transfers', shape: '2,2', check: (values) => values, expect: [1, 1, 4, 4] },
  },
  {
    name: 'group',
    path: '/docs/types/group',
    example: {
      id: 'group',
      tensor: 'output',
      shape: '1,4,2,2',
      check: (values) => values,
      expect: [0, 1, 3, 4, 48, 52, 60, 64, 20, 21, 23, 24, 128, 132, 140, 144],
    },
    visualiser: { id: 'group', before: '3 × 3', slider: 'stride', value: 2, after: '2 × 2' },
  },
  {
    name: 'dilated',
    path: '/docs/types/dilated',
    example: {
      id: 'dilated',
      tensor: 'output',
      shape: '1,1,3,3',
      check: (values) => head(values, 3),
      expect: [48, 51, 54],
    },
    visualiser: { id: 'dilated', before: '3 × 3', slider: 'dilation', value: 1, after: '5 × 5' },
  },
  {
    name: 'transposed',
    path: '/docs/types/transposed',
    example: {
      id: 'transposed',
      tensor: 'output',
      shape: '1,1,5,5',
      check: (values) => values.slice(5, 15),
      expect: [1, 1, 2, 1, 1, 2, 2, 4, 2, 2],
    },
    visualiser: { id: 'transposed', before: '7 × 7', slider: 'output-padding', value: 1, after: '8 × 8' },
  },
  {
    name: 'transposed-zero-insertion',
    path: '/docs/types/transposed',
    example: {
      id: 'zero-insertion',
      tensor: 'asConv',
      shape: '1,1,3,3',
      check: (values) => values,
      expect: [5, 14, 10, 14, 36, 24, 15, 34, 20],
    },
  },
  {
    name: 'toeplitz-matrix',
    path: '/docs/concepts/toeplitz-matrix',
    example: {
      id: 'toeplitz',
      tensor: 'C',
      shape: '4,9',
      check: (values) => head(values, 9),
      expect: [1, 2, 0, 3, 4, 0, 0, 0, 0],
    },
    visualiser: { id: 'toeplitz', before: '2 × 2', slider: 'input-width', value: 4, after: '2 × 3' },
    text: [{ testId: 'matrix-shape', expect: 'C: 4 × 9' }],
  },
  {
    name: 'transposed-restores-shape',
    path: '/docs/concepts/transposed-restores-shape',
    example: { id: 'restore', tensor: 'up', shape: '1,1,4,4' },
  },
  {
    name: 'checkerboard',
    path: '/docs/concepts/checkerboard',
    example: {
      id: 'checkerboard',
      tensor: 'output',
      shape: '1,1,5,5',
      check: (values) => values.slice(10, 15),
      expect: [2, 2, 4, 2, 2],
    },
    visualiser: { id: 'checkerboard', before: '9 × 9', slider: 'kernel-width', value: 4, after: '9 × 10' },
  },
  {
    name: 'checkerboard-resize-convolve',
    path: '/docs/concepts/checkerboard',
    example: {
      id: 'resize-convolve',
      tensor: 'resizeThenConv',
      shape: '1,1,8,8',
      check: (values) => values.slice(9, 15),
      expect: [9, 9, 9, 9, 9, 9],
    },
  },
  {
    name: 'receptive-field',
    path: '/docs/concepts/receptive-field',
    receptiveField: true,
  },
  {
    name: 'gradients',
    path: '/docs/concepts/gradients',
    example: {
      id: 'gradients',
      tensor: 'gradInput',
      shape: '1,1,5,5',
      check: (values) => values.slice(5, 10),
      expect: [0, 1, 2, 3, 0],
    },
  },
  {
    name: 'output-size-and-padding',
    path: '/docs/concepts/output-size-and-padding',
    padding: true,
  },
  {
    name: 'calculator',
    path: '/docs/tools/calculator',
    calculator: true,
  },
  {
    name: 'getting-started',
    path: '/docs/getting-started',
    example: { id: 'getting-started', tensor: 'edges', shape: '1,2,5,5' },
    gpuImport: true,
  },
  {
    name: 'visualiser',
    path: '/docs/tools/visualiser',
    visualiser: { id: 'tools', before: '5 × 5', slider: 'pad-right', value: 3, after: '5 × 7' },
  },
  { name: 'check-your-device', path: '/docs/tools/check-your-device' },
  { name: 'references', path: '/docs/references' },
  { name: 'api', path: '/docs/api', api: true },
  { name: 'performance', path: '/docs/performance', bench: true },
  { name: 'home', path: '/' },
];
