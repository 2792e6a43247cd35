import styles from './styles.module.css';

/** One bar: a label, its value, and an optional emphasis class name (`highlight`, `muted`). */
export interface Bar {
  label: string;
  value: number;
  tone?: 'highlight' | 'own' | 'peer';
}

const LABEL_WIDTH = 190;
const VALUE_WIDTH = 60;
const ROW_HEIGHT = 17;
const AXIS_HEIGHT = 18;

/** Powers of ten from `low` to `high` (both powers of ten). */
function decades(low: number, high: number): number[] {
  const ticks: number[] = [];
  for (let exponent = Math.round(Math.log10(low)); exponent <= Math.round(Math.log10(high)); exponent += 1)
    ticks.push(10 ** exponent);
  return ticks;
}

/**
 * A horizontal bar chart in plain SVG on a logarithmic axis (the engines span three orders of
 * magnitude). `domain` is shared between charts so that their bars compare; it must be two powers
 * of ten.
 */
export default function BarChart({
  title,
  bars,
  domain,
  unit,
  id,
}: {
  title: string;
  bars: Bar[];
  domain: [number, number];
  unit: string;
  id: string;
}) {
  const width = 640;
  const plotWidth = width - LABEL_WIDTH - VALUE_WIDTH;
  const height = AXIS_HEIGHT + bars.length * ROW_HEIGHT + 4;
  const [low, high] = domain;
  const span = Math.log10(high) - Math.log10(low);
  const x = (value: number) =>
    ((Math.log10(Math.min(Math.max(value, low), high)) - Math.log10(low)) / span) * plotWidth;
  const format = (value: number) =>
    value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
  return (
    <figure className={styles.chart} data-testid="bench-chart" data-workload={id}>
      <figcaption>
        {title} <span className={styles.chartUnit}>({unit}, log scale)</span>
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={`${title}, ${unit} per engine`}>
        {decades(low, high).map((tick) => (
          <g key={tick} transform={`translate(${LABEL_WIDTH + x(tick)}, 0)`}>
            <line y1={AXIS_HEIGHT - 4} y2={height} className={styles.chartGrid} />
            <text y={AXIS_HEIGHT - 7} textAnchor="middle" className={styles.chartTick}>
              {tick >= 1 ? tick : tick.toFixed(-Math.round(Math.log10(tick)))}
            </text>
          </g>
        ))}
        {bars.map((bar, index) => {
          const top = AXIS_HEIGHT + index * ROW_HEIGHT;
          return (
            <g key={bar.label} data-testid="bench-bar" data-engine={bar.label} data-value={bar.value}>
              <text x={LABEL_WIDTH - 6} y={top + ROW_HEIGHT - 5} textAnchor="end" className={styles.chartLabel}>
                {bar.label}
              </text>
              <rect
                x={LABEL_WIDTH}
                y={top + 2}
                width={Math.max(x(bar.value), 1)}
                height={ROW_HEIGHT - 4}
                className={styles[`chartBar_${bar.tone ?? 'peer'}`]}
              />
              <text x={LABEL_WIDTH + x(bar.value) + 4} y={top + ROW_HEIGHT - 5} className={styles.chartLabel}>
                {format(bar.value)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
