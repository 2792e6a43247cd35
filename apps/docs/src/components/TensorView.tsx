import type { Tensor } from '@convkit/core';
import styles from './styles.module.css';

const MAX_GRIDS = 16;

/** A number as a reader wants to see it: integers as they are, others to 3 significant decimals. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  if (!Number.isFinite(value)) return String(value);
  const rounded = Number(value.toFixed(Math.abs(value) >= 100 ? 1 : 3));
  return String(rounded);
}

/** Background of a heat-map cell: orange for positive, blue for negative, stronger for larger. */
export function heat(value: number, scale: number): string {
  if (scale === 0 || value === 0) return 'transparent';
  const strength = Math.min(1, Math.abs(value) / scale);
  return value > 0 ? `rgba(255, 140, 0, ${0.12 + 0.6 * strength})` : `rgba(30, 110, 255, ${0.12 + 0.6 * strength})`;
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
 * dims (batch, channels). Every cell carries its value in `data-value` for the browser tests.
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
  return (
    <div className={styles.tensor} data-tensor={name} data-shape={shape.join(',')}>
      <div className={styles.tensorTitle}>
        <code>{name}</code> <span className={styles.muted}>[{shape.join(', ')}]</span>
      </div>
      <div className={styles.grids}>
        {Array.from({ length: Math.min(grids, MAX_GRIDS) }, (_, grid) => (
          <div key={grid} className={styles.gridBox}>
            {leading.length > 0 && <div className={styles.gridLabel}>{gridLabel(grid, leading)}</div>}
            <table className={styles.grid}>
              <tbody>
                {Array.from({ length: height }, (_, row) => (
                  <tr key={row}>
                    {Array.from({ length: width }, (_, column) => {
                      const value = data[grid * plane + row * width + column];
                      return (
                        <td key={column} data-value={value} style={{ background: heat(value, scale) }}>
                          {formatNumber(value)}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
        {grids > MAX_GRIDS && <div className={styles.muted}>… {grids - MAX_GRIDS} more</div>}
      </div>
    </div>
  );
}
