import { DEFAULT_SETTINGS, type VisualiserSettings } from './geometry';

/** What the board shows beyond the convolution itself: the step, the view and the numeric mode. */
export interface BoardState {
  step: number;
  /** Transposed only: conv_arithmetic's zero-insertion picture, or Distill's scatter ("paint"). */
  view: 'zero-insertion' | 'scatter';
  numeric: boolean;
  /** Animation speed, steps per second. */
  speed: number;
}

export const DEFAULT_BOARD: BoardState = { step: 0, view: 'zero-insertion', numeric: false, speed: 1.5 };

type Everything = VisualiserSettings & BoardState;

/** A flat string per setting: numbers as they are, tuples comma-separated, booleans 1/0. */
function write(value: unknown): string {
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

function read<T>(text: string, like: T): T | undefined {
  if (Array.isArray(like)) {
    const values = text.split(',').map(Number);
    return values.length === like.length && values.every(Number.isInteger) ? (values as T) : undefined;
  }
  if (typeof like === 'boolean') return (text === '1') as T;
  if (typeof like === 'number') {
    const value = Number(text);
    return Number.isFinite(value) ? (value as T) : undefined;
  }
  return text as T;
}

/**
 * Writes the settings that differ from the page's own starting point into `search` under
 * `<id>.<name>`, so a shared link reproduces the board and several boards share one URL.
 *
 * @example
 * ```ts
 * writeSettings('', 'tools', { ...DEFAULT_SETTINGS, stride: 2 }, DEFAULT_BOARD, DEFAULT_SETTINGS); // '?tools.stride=2'
 * ```
 */
export function writeSettings(
  search: string,
  id: string,
  settings: VisualiserSettings,
  board: BoardState,
  initial: VisualiserSettings,
): string {
  const params = new URLSearchParams(search);
  const start: Everything = { ...initial, ...DEFAULT_BOARD };
  const now: Everything = { ...settings, ...board };
  for (const key of Object.keys(start) as (keyof Everything)[]) {
    const name = `${id}.${key}`;
    if (write(now[key]) === write(start[key])) params.delete(name);
    else params.set(name, write(now[key]));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Reads what {@link writeSettings} wrote; anything unreadable keeps the page's own value. */
export function readSettings(
  search: string,
  id: string,
  initial: VisualiserSettings,
): { settings: VisualiserSettings; board: BoardState } {
  const params = new URLSearchParams(search);
  const start: Everything = { ...initial, ...DEFAULT_BOARD };
  const out = { ...start } as Record<string, unknown>;
  for (const key of Object.keys(start) as (keyof Everything)[]) {
    const text = params.get(`${id}.${key}`);
    if (text === null) continue;
    const value = read(text, start[key]);
    if (value !== undefined) out[key] = value;
  }
  const everything = out as unknown as Everything;
  const { step, view, numeric, speed, ...settings } = everything;
  return { settings: { ...DEFAULT_SETTINGS, ...settings }, board: { step, view, numeric, speed } };
}
