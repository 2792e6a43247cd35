// Number and colour formatting shared by the tensor grids, the visualiser and its exports
// (plain TypeScript, so the board model and its tests need no JSX).

/** A number as a reader wants to see it: integers as they are, others to 3 significant decimals. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  if (!Number.isFinite(value)) return String(value);
  const rounded = Number(value.toFixed(Math.abs(value) >= 100 ? 1 : 3));
  return String(rounded);
}

/** The heat-map colour as `[r, g, b, alpha]`: orange for positive, blue for negative, stronger for larger. */
export function heatRgba(value: number, scale: number): [number, number, number, number] {
  if (scale === 0 || value === 0 || Number.isNaN(value)) return [0, 0, 0, 0];
  const strength = Math.min(1, Math.abs(value) / scale);
  return value > 0 ? [255, 140, 0, 0.12 + 0.6 * strength] : [30, 110, 255, 0.12 + 0.6 * strength];
}

/**
 * Background of a heat-map cell, as CSS: the colour mixed with white, opaque, so that the cell's
 * dark text (see `.grid td`) keeps its contrast in the light and the dark theme alike.
 */
export function heat(value: number, scale: number): string {
  const [red, green, blue, alpha] = heatRgba(value, scale);
  if (alpha === 0) return 'transparent';
  const mix = (channel: number) => Math.round(255 * (1 - alpha) + channel * alpha);
  return `rgb(${mix(red)}, ${mix(green)}, ${mix(blue)})`;
}
