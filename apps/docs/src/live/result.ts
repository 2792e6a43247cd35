import type { Tensor } from '@convkit/core';
import type { ExampleResult } from '../../examples/backend';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing (undefined)';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return `an object with keys ${Object.keys(value).join(', ') || '(none)'}`;
  const text = typeof value === 'string' ? `'${value}'` : String(value);
  return `a ${typeof value} (${text.length > 40 ? `${text.slice(0, 40)}…` : text})`;
}

function isTensor(value: unknown): value is Tensor {
  if (typeof value !== 'object' || value === null) return false;
  const { shape, data } = value as Partial<Tensor>;
  return (
    Array.isArray(shape) &&
    shape.every((size) => Number.isInteger(size) && size >= 0) &&
    data instanceof Float32Array &&
    data.length === shape.reduce((a, b) => a * b, 1)
  );
}

/**
 * Checks what a live example returned: an object whose every value is a tensor. Anything else
 * gets a message that says what came back and what is expected, so the page can show it and stay
 * usable (a plain `TypeError` from the renderer used to leave Run disabled).
 *
 * @example
 * ```ts
 * checkResult({ y: tensor([1], [1]) }); // { y: ... }
 * checkResult({ n: 42 }); // throws: "live example: `n` is a number (42), not a tensor ..."
 * ```
 */
export function checkResult(value: unknown): ExampleResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || isTensor(value)) {
    throw new Error(
      `live example: the function returned ${isTensor(value) ? 'a single tensor' : describe(value)}; ` +
        'it must return an object of named tensors, e.g. `return { output }`',
    );
  }
  const entries = Object.entries(value);
  if (entries.length === 0)
    throw new Error('live example: the function returned an empty object; return at least one tensor');
  for (const [name, entry] of entries) {
    if (!isTensor(entry)) {
      throw new Error(
        `live example: \`${name}\` is ${describe(entry)}, not a tensor; every value returned must be a tensor ` +
          `({ shape, data: Float32Array }); to show a number, return it as tensor([value], [1])`,
      );
    }
  }
  return value as ExampleResult;
}
