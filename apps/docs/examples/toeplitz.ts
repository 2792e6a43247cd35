import { convMatrix, tensor, type Tensor } from '@convkit/core';
import type { ConvBackend } from './backend';

/** M v for a [rows, columns] matrix, with v a tensor read as a vector. */
function multiply(matrix: Tensor, vector: Tensor, shape: number[]) {
  const [rows, columns] = matrix.shape;
  const out = new Float32Array(rows);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      out[row] += matrix.data[row * columns + column] * vector.data[column];
    }
  }
  return tensor(out, shape);
}

/** The transpose of a [rows, columns] matrix. */
function transpose(matrix: Tensor) {
  const [rows, columns] = matrix.shape;
  const out = new Float32Array(rows * columns);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      out[column * rows + row] = matrix.data[row * columns + column];
    }
  }
  return tensor(out, [columns, rows]);
}

// A 2x2 kernel over a 3x3 input has 2x2 outputs: the conv is a 4x9 matrix C.
// conv(x) = C x, and the transposed conv with the same weight is C^T y.
export default async function toeplitz(backend: ConvBackend) {
  const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]);
  const w = tensor([1, 2, 3, 4], [1, 1, 2, 2]);
  const C = convMatrix(x.shape, w);
  const convolved = await backend.conv(x, w);
  const Cx = multiply(C, x, [1, 1, 2, 2]);
  const y = tensor([1, 0, 0, -1], [1, 1, 2, 2]);
  const transposed = await backend.convTranspose(y, w);
  const CTy = multiply(transpose(C), y, [1, 1, 3, 3]);
  return { C, convolved, Cx, transposed, CTy };
}
