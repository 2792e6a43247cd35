/**
 * `c[m x n] += op(a) @ b[k x n]`, row-major, where `op(a)` is `a[m x k]`, or `a[k x m]` transposed
 * when `transposeA`. The i-k-j order streams rows of `b` and `c`, which is what JavaScript engines
 * vectorise best without SIMD.
 */
export function gemm(
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  aOffset: number,
  transposeA: boolean,
  b: Float32Array,
  bOffset: number,
  c: Float32Array,
  cOffset: number,
): void {
  for (let row = 0; row < m; row++) {
    const cRow = cOffset + row * n;
    for (let inner = 0; inner < k; inner++) {
      const scale = transposeA ? a[aOffset + inner * m + row] : a[aOffset + row * k + inner];
      if (scale === 0) continue;
      const bRow = bOffset + inner * n;
      for (let column = 0; column < n; column++) c[cRow + column] += scale * b[bRow + column];
    }
  }
}
