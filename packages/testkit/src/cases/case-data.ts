import { ones, type Tensor, tensorOf } from '../tensor.js';

/**
 * The case tables are JSON data (one object a case, readable and shared by every backend); JSON
 * has no tensors and no NaN or Infinity, so a case writes those as small tagged objects that
 * {@link decodeCaseValue} turns back into values:
 *
 * - `{ "$ones": [1, 8, 5, 5] }`: a tensor of that shape filled with ones;
 * - `{ "$tensor": [1, 2, 3], "shape": [1, 1, 3] }`: a tensor with those values;
 * - `{ "$zeros": [1, 8, 5, 5], "length": 199 }`: a shape with zero-filled data of another length
 *   (the deliberately malformed tensors of the error cases);
 * - `{ "$number": "NaN" }` (or `"Infinity"`, `"-Infinity"`): a number JSON cannot spell.
 *
 * Everything else (strings, finite numbers, arrays, plain objects, including malformed
 * tensors such as `{ "shape": [1], "data": [1] }`) stands for itself.
 */
export function decodeCaseValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeCaseValue);
  if (value === null || typeof value !== 'object') return value;
  const tagged = value as Record<string, unknown>;
  if ('$ones' in tagged) return ones(shapeOf(tagged.$ones));
  if ('$tensor' in tagged) return tensorOf(tagged.$tensor as number[], shapeOf(tagged.shape));
  if ('$zeros' in tagged) {
    return { shape: shapeOf(tagged.$zeros), data: new Float32Array(tagged.length as number) } satisfies Tensor;
  }
  if ('$number' in tagged) return numberOf(tagged.$number);
  return Object.fromEntries(Object.entries(tagged).map(([key, entry]) => [key, decodeCaseValue(entry)]));
}

function shapeOf(value: unknown): number[] {
  return decodeCaseValue(value) as number[];
}

const SPELLED_NUMBERS: Record<string, number> = { NaN: Number.NaN, Infinity: Infinity, '-Infinity': -Infinity };

function numberOf(spelled: unknown): number {
  const value = SPELLED_NUMBERS[spelled as string];
  if (value === undefined)
    throw new Error(`case data: { "$number": ${JSON.stringify(spelled)} } is not NaN, Infinity or -Infinity`);
  return value;
}
