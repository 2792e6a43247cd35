import { useEffect, useRef } from 'react';
import type { Tensor } from '@convkit/core';
import { formatNumber, heat, heatRgba } from '../visualiser/format';
import styles from './styles.module.css';

export { formatNumber, heat, heatRgba };

const MAX_GRIDS = 16;
/** Above this many cells a grid is drawn on a canvas (one pixel per cell), not as a table. */
export const MAX_TABLE_CELLS = 16 * 16;
/** Above this many cells in all, the whole tensor is drawn on canvases. */
const MAX_TABLE_TOTAL = 2048;

/** One grid of a large tensor on a canvas, one pixel per cell, scaled up without smoothing. */
function HeatCanvas({
  data,
  height,
  width,
  scale,
}: {
  data: Float32Array;
  height: number;
  width: number;
  scale: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    const image = context.createImageData(width, height);
    for (let index = 0; index < width * height; index++) {
      const [red, green, blue, alpha] = heatRgba(data[index], scale);
      image.data.set([red, green, blue, Math.round(alpha * 255)], index * 4);
    }
    context.putImageData(image, 0, 0);
  }, [data, height, width, scale]);
  const zoom = Math.max(1, Math.floor(128 / Math.max(width, height)));
  return (
    <canvas
      ref={canvas}
      width={width}
      height={height}
      className={styles.heatCanvas}
      style={{ width: width * zoom, height: height * zoom }}
    />
  );
}

/** min, max and mean of a tensor, for the summary line of a large one. */
function summary(data: Float32Array): { min: number; max: number; mean: number } {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const value of data) {
    if (value < min) min = value;
    if (value > max) max = value;
    sum += value;
  }
  return { min, max, mean: data.length ? sum / data.length : 0 };
}

/** The label of the grid at `index` among the leading dims, e.g. `[0, 1]` for N = 0, C = 1. */
function gridLabel(index: number, leading: readonly number[]): string {
  const coordinates: number[] = [];
  let rest = index;
  for (let axis = leading.length - 1; axis >= 0; axis--) {
    coordinates.unshift(rest % leading[axis]);
    rest = Math.floor(rest / leading[axis]);
  }
  return `[${coordinates.join(', ')}]`;
}

/**
 * A tensor as heat-map grids: the last two dims form a grid, one grid per index of the leading
 * dims (batch, channels). Small tensors are tables whose cells carry their values in
 * `data-value`; large ones are canvases (one pixel per cell) under a summary line, so a
 * 32-channel 128 × 128 output draws in milliseconds instead of freezing the tab.
 */
export default function TensorView({ name, tensor }: { name: string; tensor: Tensor }) {
  const { shape, data } = tensor;
  const width = shape.length >= 1 ? shape[shape.length - 1] : 1;
  const height = shape.length >= 2 ? shape[shape.length - 2] : 1;
  const leading = shape.slice(0, Math.max(0, shape.length - 2));
  const plane = width * height;
  const grids = plane === 0 ? 0 : data.length / plane;
  let scale = 0;
  for (const value of data) scale = Math.max(scale, Math.abs(value));
  const large = plane > MAX_TABLE_CELLS || data.length > MAX_TABLE_TOTAL;
  const stats = large ? summary(data) : undefined;
  return (
    <div className={styles.tensor} data-tensor={name} data-shape={shape.join(',')} data-large={large}>
      <div className={styles.tensorTitle}>
        <code>{name}</code> <span className={styles.muted}>[{shape.join(', ')}]</span>
        {stats && (
          <span className={styles.muted} data-testid="tensor-summary">
            {' '}
            · {data.length.toLocaleString('en-US')} values, min {formatNumber(stats.min)}, max {formatNumber(stats.max)}
            , mean {formatNumber(stats.mean)} · drawn one pixel per value
            {grids > MAX_GRIDS ? `, first ${MAX_GRIDS} of ${grids} grids` : ''}
          </span>
        )}
      </div>
      <div className={styles.grids}>
        {Array.from({ length: Math.min(grids, MAX_GRIDS) }, (_, grid) => (
          <div key={grid} className={styles.gridBox}>
            {leading.length > 0 && <div className={styles.gridLabel}>{gridLabel(grid, leading)}</div>}
            {large ? (
              <HeatCanvas
                data={data.subarray(grid * plane, (grid + 1) * plane)}
                height={height}
                width={width}
                scale={scale}
              />
            ) : (
              <table className={styles.grid}>
                <tbody>
                  {Array.from({ length: height }, (_, row) => (
                    <tr key={row}>
                      {Array.from({ length: width }, (_, column) => {
                        const value = data[grid * plane + row * width + column];
                        return (
                          <td
                            key={column}
                            data-value={value}
                            className={value !== 0 ? styles.vtap : undefined}
                            style={{ background: heat(value, scale) }}
                          >
                            {formatNumber(value)}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        ))}
        {grids > MAX_GRIDS && <div className={styles.muted}>… {grids - MAX_GRIDS} more</div>}
      </div>
    </div>
  );
}
