import { tensor } from '@convkit/core';
import { describe, expect, it } from 'vitest';
import { checkResult } from '../src/live/result';
import { boardAt } from '../src/visualiser/board';
import { boardToSvg } from '../src/visualiser/export';
import { computeView, DEFAULT_SETTINGS } from '../src/visualiser/geometry';
import { DEFAULT_BOARD, readSettings, writeSettings } from '../src/visualiser/url';

describe('the visualiser settings in the URL', () => {
  it('writes only what differs from the page, and reads it back to the same settings', () => {
    const settings = {
      ...DEFAULT_SETTINGS,
      rank: 3 as const,
      stride: 2,
      pads: [1, 0, 2, 1] as [number, number, number, number],
      paddingMode: 'reflect' as const,
    };
    const board = { ...DEFAULT_BOARD, numeric: true, step: 4 };
    const search = writeSettings('?other=1', 'tools', settings, board, DEFAULT_SETTINGS);
    expect(search).toBe(
      '?other=1&tools.rank=3&tools.stride=2&tools.pads=1%2C0%2C2%2C1&tools.paddingMode=reflect&tools.step=4&tools.numeric=1',
    );
    expect(readSettings(search, 'tools', DEFAULT_SETTINGS)).toEqual({ settings, board });
    expect(writeSettings(search, 'tools', DEFAULT_SETTINGS, DEFAULT_BOARD, DEFAULT_SETTINGS)).toBe('?other=1');
  });

  it("keeps the page's value for what it cannot read, and keeps boards apart by id", () => {
    const { settings } = readSettings('?tools.stride=abc&tools.pads=1,2&other.stride=3', 'tools', DEFAULT_SETTINGS);
    expect(settings.stride).toBe(1);
    expect(settings.pads).toEqual([0, 0, 0, 0]);
  });
});

describe('what a live example returns', () => {
  it('accepts named tensors and names what is wrong otherwise', () => {
    const y = tensor([1], [1]);
    expect(checkResult({ y })).toEqual({ y });
    expect(() => checkResult({ y, n: 42 })).toThrow(
      'live example: `n` is a number (42), not a tensor; every value returned must be a tensor ({ shape, data: Float32Array }); to show a number, return it as tensor([value], [1])',
    );
    expect(() => checkResult(y)).toThrow(
      'live example: the function returned a single tensor; it must return an object of named tensors, e.g. `return { output }`',
    );
    expect(() => checkResult(undefined)).toThrow('live example: the function returned nothing (undefined);');
    expect(() => checkResult({})).toThrow(
      'live example: the function returned an empty object; return at least one tensor',
    );
  });
});

describe('the exported figure', () => {
  it('draws one group per panel of the board, with the step written under it', () => {
    const view = computeView({ ...DEFAULT_SETTINGS, inChannels: 2, outChannels: 2 });
    const board = boardAt(view, { ...DEFAULT_SETTINGS, inChannels: 2, outChannels: 2 }, DEFAULT_BOARD);
    const svg = boardToSvg(board);
    expect(svg.match(/<g data-panel=/g)).toHaveLength(
      board.inputs.length + board.kernels.length + board.outputs.length,
    );
    expect(svg).toContain(board.stepLabel.replace('←', '←'));
    expect(board.kernels).toHaveLength(4);
  });
});
