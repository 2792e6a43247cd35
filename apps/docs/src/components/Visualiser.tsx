import { useEffect, useMemo, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useHistory, useLocation } from '@docusaurus/router';
import { boardAt, sliceColour, stepCount, type Board, type Panel } from '../visualiser/board';
import { codeSnippets } from '../visualiser/code';
import {
  computeView,
  DEFAULT_SETTINGS,
  spatial,
  validGroups,
  type PaddingChoice,
  type Rank,
  type VisualiserSettings,
  type VisualiserView,
} from '../visualiser/geometry';
import { DEFAULT_BOARD, readSettings, writeSettings, type BoardState } from '../visualiser/url';
import CopyButton from './CopyButton';
import { Button } from './controls';
import styles from './styles.module.css';

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

function Choice<T extends string | number>(props: {
  label: string;
  id: string;
  value: T;
  choices: readonly (readonly [T, string])[];
  onChange: (value: T) => void;
}) {
  return (
    <label className={styles.slider}>
      <span>{props.label}</span>
      <select
        value={props.value}
        data-testid={props.id}
        onChange={(event) => {
          const picked = props.choices.find(([value]) => String(value) === event.target.value);
          if (picked) props.onChange(picked[0]);
        }}
      >
        {props.choices.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
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

/** One panel as a CSS grid; output cells select their step on click and on hover. */
function Grid({
  panel,
  onPick,
  onHover,
}: {
  panel: Panel;
  onPick?: (step: number) => void;
  onHover?: (step: number | undefined) => void;
}) {
  return (
    <div className={styles.gridBox} data-testid={panel.testId}>
      <div className={styles.gridLabel}>{panel.title}</div>
      <div className={styles.vgrid} style={{ gridTemplateColumns: `repeat(${panel.columns}, 1.6rem)` }}>
        {panel.cells.map((cell, index) => (
          // biome-ignore lint/a11y/noStaticElementInteractions lint/a11y/useKeyWithClickEvents: a mouse shortcut; the keyboard picks cells with the output grid's arrow keys
          <div
            key={index}
            className={[
              styles.vcell,
              cell.kind === 'pad' || cell.kind === 'zero' ? styles.vpad : '',
              cell.current ? styles.vcurrent : '',
              cell.fill && cell.fill !== 'transparent' ? styles.vtap : '',
              cell.kind === 'weight' && !cell.active ? styles.vidle : '',
            ].join(' ')}
            data-tap={cell.active && cell.kind !== 'weight' ? (cell.tap ?? '') : ''}
            data-kind={cell.kind}
            style={cell.fill ? { background: cell.fill } : undefined}
            title={cell.title}
            onClick={cell.step !== undefined && onPick ? () => onPick(cell.step as number) : undefined}
            onMouseEnter={cell.step !== undefined && onHover ? () => onHover(cell.step) : undefined}
            onMouseLeave={onHover ? () => onHover(undefined) : undefined}
          >
            {cell.label}
          </div>
        ))}
      </div>
    </div>
  );
}

function MatrixView({
  view,
  currentRow,
  transposed,
}: {
  view: VisualiserView;
  currentRow: number;
  transposed: boolean;
}) {
  const matrix = view.matrix;
  if (!matrix)
    return (
      <p className={styles.muted}>
        The matrix is drawn for small sizes (at most 64 × 160 entries) and zero padding only.
      </p>
    );
  const [rows, columns] = matrix.shape;
  const taps = view.geometry.taps;
  // A transposed conv multiplies by C^T: draw the transpose so that rows are its output cells.
  const [drawnRows, drawnColumns] = transposed ? [columns, rows] : [rows, columns];
  const entry = (row: number, column: number) =>
    transposed ? matrix.data[column * columns + row] : matrix.data[row * columns + column];
  const labels = drawnColumns <= 25;
  const manySlices = view.slices.length > 1;
  return (
    <div className={styles.scroll}>
      <div className={styles.muted} data-testid="matrix-shape">
        {transposed ? 'Cᵀ' : 'C'}: {drawnRows} × {drawnColumns}
      </div>
      <div
        className={styles.matrix}
        style={{ gridTemplateColumns: `repeat(${drawnColumns}, ${labels ? '1.7rem' : '0.5rem'})` }}
      >
        {Array.from({ length: drawnRows * drawnColumns }, (_, index) => {
          const row = Math.floor(index / drawnColumns);
          const value = entry(row, index % drawnColumns);
          const weight = value - 1;
          const slice = Math.floor(weight / taps);
          const tap = weight % taps;
          const pair = view.slices[slice];
          return (
            <div
              key={index}
              className={[styles.mcell, row === currentRow ? styles.mcurrent : '', value > 0 ? styles.vtap : ''].join(
                ' ',
              )}
              style={{
                height: labels ? '1.4rem' : '0.5rem',
                ...(value > 0 ? { background: sliceColour(slice, view.slices.length) } : {}),
              }}
              title={value > 0 && pair ? `w[${pair.outChannel}, ${pair.inChannel}] tap ${tap}` : undefined}
            >
              {labels && value > 0 ? (manySlices ? `${pair?.outChannel}${pair?.inChannel}·${tap}` : `w${tap}`) : ''}
            </div>
          );
        })}
      </div>
      {manySlices && labels && (
        <p className={styles.muted}>An entry `oi·t` is tap t of the kernel slice w[out o, in i].</p>
      )}
    </div>
  );
}

/** The convkit call for 1-D and 3-D (the PyTorch and ONNX forms below are written for 2-D). */
function convkitCall(settings: VisualiserSettings, view: VisualiserView): string {
  const op = `${settings.transposed ? 'convTranspose' : 'conv'}${settings.rank}d`;
  const options = [
    settings.stride !== 1 && `stride: ${settings.stride}`,
    `padding: ${typeof view.padding === 'string' ? `'${view.padding}'` : JSON.stringify(view.padding).replace(/,/g, ', ')}`,
    settings.dilation !== 1 && `dilation: ${settings.dilation}`,
    settings.groups !== 1 && `groups: ${settings.groups}`,
    !settings.transposed && settings.paddingMode !== 'zeros' && `paddingMode: '${settings.paddingMode}'`,
    settings.transposed && settings.outputPadding !== 0 && `outputPadding: ${settings.outputPadding}`,
  ].filter(Boolean);
  return [
    `import { ${op}, tensor } from '@convkit/core';`,
    `const x = tensor(data, [${view.inputShape.join(', ')}]);`,
    `const w = tensor(weights, [${view.weightShape.join(', ')}]);`,
    `const y = ${op}(x, w, { ${options.join(', ')} }); // [${view.info.outputShape.join(', ')}]`,
  ].join('\n');
}

function Exports({
  id,
  view,
  settings,
  board,
}: {
  id: string;
  view: VisualiserView;
  settings: VisualiserSettings;
  board: BoardState;
}) {
  const [busy, setBusy] = useState<string | undefined>();
  const name = `convkit-${id}-${settings.transposed ? 'transposed-' : ''}${settings.rank}d`;
  const exportAs = async (kind: 'svg' | 'png' | 'gif') => {
    setBusy(kind);
    try {
      const tools = await import('../visualiser/export');
      const frame = tools.boardToSvg(boardAt(view, settings, board));
      if (kind === 'svg') tools.download(new Blob([frame], { type: 'image/svg+xml' }), `${name}.svg`);
      if (kind === 'png') tools.download(await tools.svgToPng(frame), `${name}-step-${board.step}.png`);
      if (kind === 'gif') {
        const steps = stepCount(view, settings, board);
        const frames = Array.from({ length: steps }, (_, step) =>
          tools.boardToSvg(boardAt(view, settings, { ...board, step })),
        );
        tools.download(await tools.framesToGif(frames, Math.round(1000 / board.speed)), `${name}.gif`);
      }
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <span className={styles.toolbar} data-testid="exports">
      <span className={styles.muted}>save:</span>
      {(['gif', 'svg', 'png'] as const).map((kind) => (
        <button
          key={kind}
          type="button"
          className="button button--secondary button--sm"
          disabled={busy !== undefined}
          data-testid={`export-${kind}`}
          onClick={() => void exportAs(kind)}
        >
          {busy === kind ? '…' : kind === 'gif' ? 'GIF (all steps)' : kind === 'svg' ? 'SVG' : 'PNG (this step)'}
        </button>
      ))}
    </span>
  );
}

const PADDING_CHOICES: readonly (readonly [PaddingChoice, string])[] = [
  ['explicit', '[begin, end] per side'],
  ['valid', "'valid'"],
  ['same', "'same'"],
  ['same_upper', "'same_upper'"],
  ['same_lower', "'same_lower'"],
];

/**
 * The visualiser of the whole family: controls for every hyper-parameter (all kept in the URL),
 * the windows animated over the output positions with a scrubber and a speed control, the kernel
 * slices, an optional numeric mode, the transposed conv drawn both as zero insertion and as a
 * scatter, the Toeplitz matrix, exports and the same call in convkit, PyTorch and ONNX. Every
 * size, tap, count and value on it is computed by `@convkit/core` (see `computeView`).
 */
export default function Visualiser({
  initial,
  id = 'visualiser',
}: {
  initial?: Partial<VisualiserSettings>;
  id?: string;
}) {
  const start = useMemo(() => ({ ...DEFAULT_SETTINGS, ...initial }), [initial]);
  const location = useLocation();
  const history = useHistory();
  // The URL is the source of truth, so a shared link reproduces the board and back/forward work.
  const fromUrl = useMemo(() => readSettings(location.search, id, start), [location.search, id, start]);
  const settings = fromUrl.settings;
  const [step, setStep] = useState(fromUrl.board.step);
  const [hovered, setHovered] = useState<number | undefined>();
  const [playing, setPlaying] = useState(false);
  const board: BoardState = { ...fromUrl.board, step: hovered ?? step };
  useEffect(() => setStep(fromUrl.board.step), [fromUrl.board.step]);

  const navigate = (nextSettings: VisualiserSettings, nextBoard: BoardState) => {
    const search = writeSettings(location.search, id, nextSettings, nextBoard, start);
    if (search !== location.search) history.push({ search, hash: location.hash });
  };
  const set = (patch: Partial<VisualiserSettings>) => {
    setStep(0);
    navigate({ ...settings, ...patch }, { ...fromUrl.board, step: 0 });
  };
  const setBoard = (patch: Partial<BoardState>) => navigate(settings, { ...fromUrl.board, step, ...patch });
  const pick = (next: number) => {
    setPlaying(false);
    setStep(next);
    navigate(settings, { ...fromUrl.board, step: next });
  };

  const computed = useMemo((): { view?: VisualiserView; error?: string } => {
    try {
      return { view: computeView(settings) };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }, [settings]);
  const view = computed.view;
  const total = view ? stepCount(view, settings, board) : 0;
  const current = total === 0 ? 0 : ((board.step % total) + total) % total;

  useEffect(() => {
    if (!playing || total === 0) return undefined;
    const timer = setInterval(() => setStep((value) => (value + 1) % total), 1000 / fromUrl.board.speed);
    return () => clearInterval(timer);
  }, [playing, total, fromUrl.board.speed]);

  const groupsChoices = validGroups(settings.inChannels, settings.outChannels);
  const setChannels = (patch: Partial<VisualiserSettings>) => {
    const next = { ...settings, ...patch };
    set({ ...patch, groups: validGroups(next.inChannels, next.outChannels).includes(next.groups) ? next.groups : 1 });
  };

  let panel: ReactNode = null;
  let code: ReactNode = null;
  if (view) {
    const { info } = view;
    const drawn: Board = boardAt(view, settings, { ...board, step: current });
    // Arrow keys move the current output cell: left/right by one, up/down by a row.
    const onKey = (event: KeyboardEvent) => {
      const rowLength = view.geometry.outSize[2];
      const moves: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -rowLength, ArrowDown: rowLength };
      if (event.key in moves) {
        event.preventDefault();
        pick((current + moves[event.key] + total) % total);
      } else if (event.key === ' ') {
        event.preventDefault();
        setPlaying(!playing);
      }
    };
    const gridPanel = (
      <div className={styles.scroll}>
        <div className={styles.vgrids}>
          <div>
            <div className={styles.columnTitle}>
              input{' '}
              {settings.transposed
                ? board.view === 'scatter'
                  ? '(click a cell to see what it paints)'
                  : '(stride − 1 zeros inserted, padded: conv_arithmetic)'
                : '(padding dashed)'}
            </div>
            <div className={styles.grids}>
              {drawn.inputs.map((item) => (
                <Grid key={item.testId} panel={item} onPick={pick} onHover={setHovered} />
              ))}
            </div>
          </div>
          <div>
            <div className={styles.columnTitle}>kernel: one slice per (output channel, input channel)</div>
            <div className={styles.grids}>
              {drawn.kernels.map((item) => (
                <Grid key={item.testId} panel={item} />
              ))}
            </div>
          </div>
          <div>
            <div className={styles.columnTitle}>
              output:{' '}
              {board.numeric ? "core's output for these values" : 'taps reaching each cell (all-ones input and kernel)'}
            </div>
            <div
              className={styles.grids}
              tabIndex={0}
              // A 2-D slider over the steps: the arrow keys move the current cell.
              role="slider"
              aria-valuemin={1}
              aria-valuemax={total}
              aria-valuenow={current + 1}
              aria-valuetext={drawn.stepLabel}
              aria-label="output cells: arrow keys move the current cell, space plays or pauses"
              data-testid="output-grid"
              onKeyDown={onKey}
            >
              {drawn.outputs.map((item) => (
                <Grid key={item.testId} panel={item} onPick={pick} onHover={setHovered} />
              ))}
            </div>
          </div>
        </div>
      </div>
    );
    const snippets = settings.rank === 2 ? codeSnippets(settings, info, view.padding, view.weightShape) : undefined;
    const blocks: [string, string, string][] = snippets
      ? [
          [
            'convkit',
            'code-convkit',
            settings.paddingMode === 'zeros' ? snippets.convkit : convkitCall(settings, view),
          ],
          ['PyTorch', 'code-pytorch', snippets.pytorch],
          ['ONNX', 'code-onnx', snippets.onnx],
        ]
      : [['convkit', 'code-convkit', convkitCall(settings, view)]];
    code = (
      <div className={styles.codeRow}>
        {blocks.map(([title, testId, text]) => (
          <div key={testId}>
            <div className={styles.columnTitle}>
              {title} <CopyButton text={text} testId={`copy-${testId}`} label={`Copy the ${title} code`} />
            </div>
            <pre data-testid={testId}>{text}</pre>
          </div>
        ))}
        {!snippets && <p className={styles.muted}>PyTorch and ONNX are written out for 2-D.</p>}
        {snippets && settings.paddingMode !== 'zeros' && (
          <p className={styles.muted}>
            PyTorch: padding_mode='{settings.paddingMode}'; ONNX's Conv pads with zeros only (use a Pad node with mode '
            {settings.paddingMode === 'replicate' ? 'edge' : settings.paddingMode === 'circular' ? 'wrap' : 'reflect'}'
            first).
          </p>
        )}
      </div>
    );
    const outSize = info.outSize;
    panel = (
      <>
        <div className={styles.stats}>
          <Stat label="output" id="out-shape">
            [{info.outputShape.join(', ')}]
          </Stat>
          <Stat label="output size" id="out-size">
            {outSize.join(' × ')}
          </Stat>
          <Stat label="padding [begin, end]" id="pads">
            {info.padBegin.map((begin, axis) => `[${begin}, ${info.padEnd[axis]}]`).join(' × ')}
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
          <Button
            kind="secondary"
            onClick={() => pick((current - 1 + total) % total)}
            label="previous step"
            testId="previous"
          >
            ◀
          </Button>
          <Button kind="primary" onClick={() => setPlaying(!playing)} testId="play">
            {playing ? 'Pause' : 'Play'}
          </Button>
          <Button kind="secondary" onClick={() => pick((current + 1) % total)} label="next step" testId="next">
            ▶
          </Button>
          <label className={styles.inline}>
            step
            <input
              type="range"
              min={0}
              max={Math.max(0, total - 1)}
              value={current}
              data-testid="scrubber"
              aria-label="step"
              onChange={(event) => pick(Number(event.target.value))}
            />
            <span data-testid="step-number">
              {current + 1} / {total}
            </span>
          </label>
          <label className={styles.inline}>
            speed
            <select
              value={fromUrl.board.speed}
              data-testid="speed"
              onChange={(event) => setBoard({ speed: Number(event.target.value) })}
            >
              {[0.5, 1, 1.5, 3, 6].map((speed) => (
                <option key={speed} value={speed}>
                  {speed} steps/s
                </option>
              ))}
            </select>
          </label>
          <label className={styles.inline}>
            <input
              type="checkbox"
              checked={fromUrl.board.numeric}
              data-testid="numeric"
              onChange={(event) => setBoard({ numeric: event.target.checked })}
            />
            values
          </label>
          <Exports id={id} view={view} settings={settings} board={{ ...board, step: current }} />
        </div>
        <div className={styles.stepLabel} data-testid="step" aria-live="polite">
          {drawn.stepLabel}
        </div>
        {drawn.dotProduct && (
          <div className={styles.dot} data-testid="dot-product">
            {drawn.dotProduct}
          </div>
        )}
        {gridPanel}
        {!(settings.transposed && board.view === 'scatter') && (
          <details open={(view.matrix?.shape[0] ?? 99) * (view.matrix?.shape[1] ?? 99) <= 400}>
            <summary>The convolution as a matrix (Toeplitz view)</summary>
            <MatrixView view={view} currentRow={current} transposed={settings.transposed} />
          </details>
        )}
      </>
    );
  }

  const axes = spatial(settings, 'input').length;
  const sizeSliders: [string, keyof VisualiserSettings, number, number][] = [
    ['input depth', 'inputDepth', 1, 6],
    ['input height', 'inputHeight', 1, 10],
    ['input width', 'inputWidth', 1, 10],
    ['kernel depth', 'kernelDepth', 1, 4],
    ['kernel height', 'kernelHeight', 1, 5],
    ['kernel width', 'kernelWidth', 1, 5],
  ];
  const shown = sizeSliders.filter((_, index) => index % 3 >= 3 - axes);
  const padSides = (['front', 'back', 'top', 'bottom', 'left', 'right'] as const).filter(
    (_, index) => Math.floor(index / 2) >= 3 - axes,
  );
  const padValue = (side: (typeof padSides)[number]) =>
    side === 'front'
      ? settings.depthPads[0]
      : side === 'back'
        ? settings.depthPads[1]
        : settings.pads[['top', 'bottom', 'left', 'right'].indexOf(side)];
  const setPad = (side: (typeof padSides)[number], value: number) => {
    if (side === 'front' || side === 'back')
      set({ depthPads: side === 'front' ? [value, settings.depthPads[1]] : [settings.depthPads[0], value] });
    else {
      const at = ['top', 'bottom', 'left', 'right'].indexOf(side);
      set({ pads: settings.pads.map((pad, index) => (index === at ? value : pad)) as VisualiserSettings['pads'] });
    }
  };
  // Stride, dilation and the channel counts share one range: enough to see the pattern, small enough to draw.
  const upToFour = (
    label: string,
    sliderId: string,
    key: 'stride' | 'dilation' | 'inChannels' | 'outChannels',
    onChange: (value: number) => void,
  ) => <Slider label={label} id={sliderId} value={settings[key]} min={1} max={4} onChange={onChange} />;
  return (
    <div className={styles.visualiser} data-visualiser={id}>
      <div className={styles.controls}>
        <Choice
          label="mode"
          id="mode"
          value={settings.transposed ? 'transposed' : 'conv'}
          choices={[
            ['conv', 'convolution'],
            ['transposed', 'transposed convolution'],
          ]}
          onChange={(mode) =>
            set({
              transposed: mode === 'transposed',
              outputPadding: 0,
              paddingMode: 'zeros',
              padding: settings.padding === 'same' ? 'explicit' : settings.padding,
            })
          }
        />
        <Choice<Rank>
          label="dimensions"
          id="rank"
          value={settings.rank}
          choices={[
            [1, '1-D'],
            [2, '2-D'],
            [3, '3-D'],
          ]}
          onChange={(rank) => set({ rank })}
        />
        {settings.transposed && (
          <Choice
            label="picture"
            id="view"
            value={fromUrl.board.view}
            choices={[
              ['zero-insertion', 'zero insertion (conv_arithmetic)'],
              ['scatter', 'scatter / paint (Distill)'],
            ]}
            onChange={(picture) => {
              setStep(0);
              setBoard({ view: picture, step: 0 });
            }}
          />
        )}
        {shown.map(([label, key, min, max]) => (
          <Slider
            key={key}
            label={label}
            id={label.replace(' ', '-')}
            value={settings[key] as number}
            min={min}
            max={max}
            onChange={(value) => set({ [key]: value })}
          />
        ))}
        {upToFour('stride', 'stride', 'stride', (stride) => set({ stride, outputPadding: 0 }))}
        {upToFour('dilation', 'dilation', 'dilation', (dilation) => set({ dilation, outputPadding: 0 }))}
        <Choice
          label="padding"
          id="padding"
          value={settings.padding}
          choices={settings.transposed ? PADDING_CHOICES.filter(([choice]) => choice !== 'same') : PADDING_CHOICES}
          onChange={(padding) => set({ padding })}
        />
        {settings.padding === 'explicit' &&
          padSides.map((side) => (
            <Slider
              key={side}
              label={`pad ${side}`}
              id={`pad-${side}`}
              value={padValue(side)}
              min={0}
              max={4}
              onChange={(value) => setPad(side, value)}
            />
          ))}
        {!settings.transposed && (
          <Choice
            label="padding mode"
            id="padding-mode"
            value={settings.paddingMode}
            choices={[
              ['zeros', 'zeros'],
              ['reflect', 'reflect'],
              ['replicate', 'replicate'],
              ['circular', 'circular'],
            ]}
            onChange={(paddingMode) => set({ paddingMode })}
          />
        )}
        {upToFour('input channels', 'in-channels', 'inChannels', (inChannels) => setChannels({ inChannels }))}
        {upToFour('output channels', 'out-channels', 'outChannels', (outChannels) => setChannels({ outChannels }))}
        <Choice
          label="groups"
          id="groups"
          value={settings.groups}
          choices={groupsChoices.map((groups) => [groups, String(groups)] as const)}
          onChange={(groups) => set({ groups })}
        />
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

export { DEFAULT_BOARD };
