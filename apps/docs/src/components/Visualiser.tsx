import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { codeSnippets } from '../visualiser/code';
import {
  computeView,
  DEFAULT_SETTINGS,
  validGroups,
  type Contribution,
  type PaddingChoice,
  type VisualiserSettings,
  type VisualiserView,
} from '../visualiser/geometry';
import { formatNumber, heat } from './TensorView';
import styles from './styles.module.css';

/** A colour per kernel tap, so the reader can follow each weight from window to matrix. */
function tapColour(tap: number, taps: number): string {
  return `hsl(${Math.round((tap * 300) / Math.max(1, taps))}, 75%, 62%)`;
}

function Slider(props: {
  label: string;
  id: string;
  value: number;
  min: number;
  max: number;
  onChange: (value: number) => void;
}) {
  return (
    <label className={styles.slider}>
      <span>
        {props.label} <b data-testid={`value-${props.id}`}>{props.value}</b>
      </span>
      <input
        type="range"
        min={props.min}
        max={props.max}
        value={props.value}
        data-testid={`slider-${props.id}`}
        onChange={(event) => props.onChange(Number(event.target.value))}
      />
    </label>
  );
}

function Stat({ label, id, children }: { label: string; id: string; children: ReactNode }) {
  return (
    <div className={styles.stat}>
      <span className={styles.muted}>{label}</span> <b data-testid={id}>{children}</b>
    </div>
  );
}

type Highlight = Map<string, number>;

function Grid(props: {
  title: string;
  rows: number;
  columns: number;
  /** Offset of the drawn grid's first cell in the tensor's own coordinates (negative for padding). */
  rowOffset?: number;
  columnOffset?: number;
  realRows: number;
  realColumns: number;
  channel: number;
  highlight: Highlight;
  taps: number;
  values?: (row: number, column: number) => number;
  /** The largest value, for the heat-map shading of `values`. */
  scale?: number;
  current?: [number, number];
  testId: string;
}) {
  const { rowOffset = 0, columnOffset = 0 } = props;
  return (
    <div className={styles.gridBox} data-testid={props.testId}>
      <div className={styles.gridLabel}>{props.title}</div>
      <div className={styles.vgrid} style={{ gridTemplateColumns: `repeat(${props.columns}, 1.6rem)` }}>
        {Array.from({ length: props.rows * props.columns }, (_, index) => {
          const row = Math.floor(index / props.columns) + rowOffset;
          const column = (index % props.columns) + columnOffset;
          const real = row >= 0 && column >= 0 && row < props.realRows && column < props.realColumns;
          const tap = props.highlight.get(`${props.channel},${row},${column}`);
          const isCurrent = props.current && props.current[0] === row && props.current[1] === column;
          const classes = [styles.vcell, real ? '' : styles.vpad, isCurrent ? styles.vcurrent : ''].join(' ');
          return (
            <div
              key={index}
              className={classes}
              data-tap={tap ?? ''}
              style={
                tap !== undefined
                  ? { background: tapColour(tap, props.taps) }
                  : real && props.values
                    ? { background: heat(props.values(row, column), props.scale ?? 0) }
                    : undefined
              }
              title={`(${row}, ${column})${tap !== undefined ? ` tap ${tap}` : ''}`}
            >
              {tap !== undefined ? tap : real && props.values ? formatNumber(props.values(row, column)) : ''}
            </div>
          );
        })}
      </div>
    </div>
  );
}

function MatrixView({
  view,
  currentRow,
  transposed,
  taps,
}: {
  view: VisualiserView;
  currentRow: number;
  transposed: boolean;
  taps: number;
}) {
  const matrix = view.matrix;
  if (!matrix)
    return <p className={styles.muted}>The matrix is drawn for small sizes only (at most 64 × 160 entries).</p>;
  const [rows, columns] = matrix.shape;
  // A transposed conv multiplies by C^T: draw the transpose so that rows are its output cells.
  const [drawnRows, drawnColumns] = transposed ? [columns, rows] : [rows, columns];
  const entry = (row: number, column: number) =>
    transposed ? matrix.data[column * columns + row] : matrix.data[row * columns + column];
  const labels = drawnColumns <= 25;
  return (
    <div>
      <div className={styles.muted} data-testid="matrix-shape">
        {transposed ? 'Cᵀ' : 'C'}: {drawnRows} × {drawnColumns}
      </div>
      <div
        className={styles.matrix}
        style={{ gridTemplateColumns: `repeat(${drawnColumns}, ${labels ? '1.4rem' : '0.5rem'})` }}
      >
        {Array.from({ length: drawnRows * drawnColumns }, (_, index) => {
          const row = Math.floor(index / drawnColumns);
          const value = entry(row, index % drawnColumns);
          const tap = value > 0 ? (value - 1) % taps : -1;
          return (
            <div
              key={index}
              className={[styles.mcell, row === currentRow ? styles.mcurrent : ''].join(' ')}
              style={
                tap >= 0
                  ? { background: tapColour(tap, taps), height: labels ? '1.4rem' : '0.5rem' }
                  : { height: labels ? '1.4rem' : '0.5rem' }
              }
            >
              {labels && tap >= 0 ? `w${tap}` : ''}
            </div>
          );
        })}
      </div>
    </div>
  );
}

/**
 * The visualiser of the whole family: sliders for every hyper-parameter, the windows animated over
 * the output positions, the Toeplitz matrix and the same call in convkit, PyTorch and ONNX.
 * Every size, padding, tap and count on it is computed by `@convkit/core` (see `computeView`).
 */
export default function Visualiser({
  initial,
  id = 'visualiser',
}: {
  initial?: Partial<VisualiserSettings>;
  id?: string;
}) {
  const [settings, setSettings] = useState<VisualiserSettings>({ ...DEFAULT_SETTINGS, ...initial });
  const [step, setStep] = useState(0);
  const [playing, setPlaying] = useState(false);
  const set = (patch: Partial<VisualiserSettings>) => setSettings((current) => ({ ...current, ...patch }));

  const computed = useMemo((): { view?: VisualiserView; error?: string } => {
    try {
      return { view: computeView(settings) };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }, [settings]);
  const view = computed.view;
  const total = view ? view.contributions.length : 0;
  const current = total === 0 ? 0 : step % total;

  useEffect(() => {
    if (!playing || total === 0) return undefined;
    const timer = setInterval(() => setStep((value) => (value + 1) % total), 700);
    return () => clearInterval(timer);
  }, [playing, total]);

  const groupsChoices = validGroups(settings.inChannels, settings.outChannels);
  const setChannels = (patch: Partial<VisualiserSettings>) => {
    const next = { ...settings, ...patch };
    const choices = validGroups(next.inChannels, next.outChannels);
    set({ ...patch, groups: choices.includes(next.groups) ? next.groups : 1 });
  };
  const taps = settings.kernelHeight * settings.kernelWidth;

  let panel: ReactNode = null;
  let code: ReactNode = null;
  if (view) {
    const { info } = view;
    const [outH, outW] = info.outSize;
    const plane = outH * outW;
    const outChannel = Math.floor(current / Math.max(1, plane));
    const outRow = Math.floor((current % plane) / outW);
    const outColumn = current % outW;
    const highlight: Highlight = new Map(
      view.contributions[current]?.map((cell: Contribution) => [
        `${cell.channel},${cell.row},${cell.column}`,
        cell.tap,
      ]),
    );
    const [padTop, padLeft] = settings.transposed ? [0, 0] : info.padBegin;
    const [padBottom, padRight] = settings.transposed ? [0, 0] : info.padEnd;
    const countAt = (channel: number) => (row: number, column: number) =>
      view.counts.data[(channel * outH + row) * outW + column];
    const gridPanel = (
      <div className={styles.vgrids}>
        <div>
          <div className={styles.columnTitle}>input {settings.transposed ? '' : '(padding shaded)'}</div>
          <div className={styles.grids}>
            {Array.from({ length: settings.inChannels }, (_, channel) => (
              <Grid
                key={channel}
                testId={`input-${channel}`}
                title={`channel ${channel} · group ${Math.floor(channel / info.inChannelsPerGroup)}`}
                rows={info.inSize[0] + padTop + padBottom}
                columns={info.inSize[1] + padLeft + padRight}
                rowOffset={-padTop}
                columnOffset={-padLeft}
                realRows={info.inSize[0]}
                realColumns={info.inSize[1]}
                channel={channel}
                highlight={highlight}
                taps={taps}
              />
            ))}
          </div>
        </div>
        <div>
          <div className={styles.columnTitle}>output: taps reaching each cell (all-ones input and kernel)</div>
          <div className={styles.grids}>
            {Array.from({ length: settings.outChannels }, (_, channel) => (
              <Grid
                key={channel}
                testId={`output-${channel}`}
                title={`channel ${channel} · group ${Math.floor(channel / info.outChannelsPerGroup)}`}
                rows={outH}
                columns={outW}
                realRows={outH}
                realColumns={outW}
                channel={-1}
                highlight={new Map()}
                taps={taps}
                values={countAt(channel)}
                scale={Math.max(...view.counts.data)}
                current={channel === outChannel ? [outRow, outColumn] : undefined}
              />
            ))}
          </div>
        </div>
      </div>
    );
    const snippets = codeSnippets(settings, info, view.padding, view.weightShape);
    code = (
      <div className={styles.codeRow}>
        <div>
          <div className={styles.columnTitle}>convkit</div>
          <pre data-testid="code-convkit">{snippets.convkit}</pre>
        </div>
        <div>
          <div className={styles.columnTitle}>PyTorch</div>
          <pre data-testid="code-pytorch">{snippets.pytorch}</pre>
        </div>
        <div>
          <div className={styles.columnTitle}>ONNX</div>
          <pre data-testid="code-onnx">{snippets.onnx}</pre>
        </div>
      </div>
    );
    panel = (
      <>
        <div className={styles.stats}>
          <Stat label="output" id="out-shape">
            [{info.outputShape.join(', ')}]
          </Stat>
          <Stat label="output size" id="out-size">
            {outH} × {outW}
          </Stat>
          <Stat label="padding [begin, end]" id="pads">
            [{info.padBegin[0]}, {info.padEnd[0]}] × [{info.padBegin[1]}, {info.padEnd[1]}]
          </Stat>
          <Stat label="effective kernel" id="effective-kernel">
            {info.effectiveKernelSize.join(' × ')}
          </Stat>
          <Stat label="weights" id="params">
            {view.params.toLocaleString('en-US')}
          </Stat>
          <Stat label="multiply-adds" id="macs">
            {view.macs.toLocaleString('en-US')}
          </Stat>
        </div>
        <div className={styles.toolbar}>
          <button
            type="button"
            className="button button--secondary button--sm"
            onClick={() => setStep((current - 1 + total) % total)}
            aria-label="previous output"
          >
            ◀
          </button>
          <button
            type="button"
            className="button button--primary button--sm"
            onClick={() => setPlaying(!playing)}
            data-testid="play"
          >
            {playing ? 'Pause' : 'Play'}
          </button>
          <button
            type="button"
            className="button button--secondary button--sm"
            onClick={() => setStep((current + 1) % total)}
            data-testid="next"
            aria-label="next output"
          >
            ▶
          </button>
          <span data-testid="step">
            output ({outChannel}, {outRow}, {outColumn}) ← {view.contributions[current]?.length ?? 0} taps
          </span>
        </div>
        {gridPanel}
        <details open={(view.matrix?.shape[0] ?? 99) * (view.matrix?.shape[1] ?? 99) <= 400}>
          <summary>The convolution as a matrix (Toeplitz view)</summary>
          <MatrixView view={view} currentRow={current} transposed={settings.transposed} taps={taps} />
        </details>
      </>
    );
  }

  const paddingChoices: PaddingChoice[] = ['explicit', 'valid', 'same', 'same_upper', 'same_lower'];
  return (
    <div className={styles.visualiser} data-visualiser={id}>
      <div className={styles.controls}>
        <label className={styles.slider}>
          <span>mode</span>
          <select
            value={settings.transposed ? 'transposed' : 'conv'}
            data-testid="mode"
            onChange={(event) =>
              set({
                transposed: event.target.value === 'transposed',
                outputPadding: 0,
                padding: settings.padding === 'same' ? 'explicit' : settings.padding,
              })
            }
          >
            <option value="conv">convolution</option>
            <option value="transposed">transposed convolution</option>
          </select>
        </label>
        <Slider
          label="input height"
          id="input-height"
          value={settings.inputHeight}
          min={1}
          max={10}
          onChange={(inputHeight) => set({ inputHeight })}
        />
        <Slider
          label="input width"
          id="input-width"
          value={settings.inputWidth}
          min={1}
          max={10}
          onChange={(inputWidth) => set({ inputWidth })}
        />
        <Slider
          label="kernel height"
          id="kernel-height"
          value={settings.kernelHeight}
          min={1}
          max={5}
          onChange={(kernelHeight) => set({ kernelHeight })}
        />
        <Slider
          label="kernel width"
          id="kernel-width"
          value={settings.kernelWidth}
          min={1}
          max={5}
          onChange={(kernelWidth) => set({ kernelWidth })}
        />
        <Slider
          label="stride"
          id="stride"
          value={settings.stride}
          min={1}
          max={4}
          onChange={(stride) => set({ stride, outputPadding: 0 })}
        />
        <Slider
          label="dilation"
          id="dilation"
          value={settings.dilation}
          min={1}
          max={4}
          onChange={(dilation) => set({ dilation, outputPadding: 0 })}
        />
        <label className={styles.slider}>
          <span>padding</span>
          <select
            value={settings.padding}
            data-testid="padding"
            onChange={(event) => set({ padding: event.target.value as PaddingChoice })}
          >
            {paddingChoices.map((choice) => (
              <option key={choice} value={choice}>
                {choice === 'explicit' ? '[begin, end] per side' : `'${choice}'`}
              </option>
            ))}
          </select>
        </label>
        {settings.padding === 'explicit' &&
          (['top', 'bottom', 'left', 'right'] as const).map((side, index) => (
            <Slider
              key={side}
              label={`pad ${side}`}
              id={`pad-${side}`}
              value={settings.pads[index]}
              min={0}
              max={4}
              onChange={(value) =>
                set({
                  pads: settings.pads.map((pad, at) => (at === index ? value : pad)) as VisualiserSettings['pads'],
                })
              }
            />
          ))}
        <Slider
          label="input channels"
          id="in-channels"
          value={settings.inChannels}
          min={1}
          max={4}
          onChange={(inChannels) => setChannels({ inChannels })}
        />
        <Slider
          label="output channels"
          id="out-channels"
          value={settings.outChannels}
          min={1}
          max={4}
          onChange={(outChannels) => setChannels({ outChannels })}
        />
        <label className={styles.slider}>
          <span>groups</span>
          <select
            value={settings.groups}
            data-testid="groups"
            onChange={(event) => set({ groups: Number(event.target.value) })}
          >
            {groupsChoices.map((groups) => (
              <option key={groups} value={groups}>
                {groups}
              </option>
            ))}
          </select>
        </label>
        {settings.transposed && (
          <Slider
            label="output padding"
            id="output-padding"
            value={settings.outputPadding}
            min={0}
            max={Math.max(settings.stride, settings.dilation) - 1}
            onChange={(outputPadding) => set({ outputPadding })}
          />
        )}
      </div>
      {computed.error && (
        <pre className={styles.error} data-testid="visualiser-error">
          {computed.error}
        </pre>
      )}
      {panel}
      {code && (
        <details open>
          <summary>As code</summary>
          {code}
        </details>
      )}
    </div>
  );
}
