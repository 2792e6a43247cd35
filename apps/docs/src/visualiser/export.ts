import type { Board, Cell, Panel } from './board';

const CELL = 26;
const GAP = 2;
const PANEL_GAP = 14;
const TITLE = 16;
const WIDTH = 960;

/** Light-theme colours for what the page draws with theme variables (a saved figure has no theme). */
const FIXED: Record<string, string> = {
  'var(--ifm-color-emphasis-300)': '#dadde1',
};

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function cellFill(cell: Cell): string {
  if (cell.fill && cell.fill !== 'transparent') return FIXED[cell.fill] ?? cell.fill;
  if (cell.kind === 'pad' || cell.kind === 'zero') return '#eceef1';
  return '#ffffff';
}

interface Placed {
  panel: Panel;
  x: number;
  y: number;
}

/** Lays the board's rows out left to right, wrapping at the figure's width. */
function layout(board: Board): { placed: Placed[]; headings: { text: string; y: number }[]; height: number } {
  const placed: Placed[] = [];
  const headings: { text: string; y: number }[] = [];
  let y = 8;
  const rows: [string, Panel[]][] = [
    ['input', board.inputs],
    ['kernel', board.kernels],
    ['output', board.outputs],
  ];
  for (const [heading, panels] of rows) {
    headings.push({ text: heading, y: y + 12 });
    y += 20;
    let x = 8;
    let rowHeight = 0;
    for (const panel of panels) {
      const width = panel.columns * (CELL + GAP);
      const height = TITLE + panel.rows * (CELL + GAP);
      if (x > 8 && x + width > WIDTH) {
        x = 8;
        y += rowHeight + PANEL_GAP;
        rowHeight = 0;
      }
      placed.push({ panel, x, y });
      x += Math.max(width, 90) + PANEL_GAP;
      rowHeight = Math.max(rowHeight, height);
    }
    y += rowHeight + PANEL_GAP;
  }
  return { placed, headings, height: y + 24 };
}

/**
 * The board as a standalone SVG document (conv_arithmetic-style figure): the same panels the page
 * draws, in fixed light colours, with the step written underneath.
 */
export function boardToSvg(board: Board): string {
  const { placed, headings, height } = layout(board);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="monospace">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
  ];
  for (const heading of headings)
    parts.push(`<text x="8" y="${heading.y}" font-size="13" font-weight="bold" fill="#1c1e21">${heading.text}</text>`);
  for (const { panel, x, y } of placed) {
    parts.push(`<g data-panel="${escapeXml(panel.testId)}">`);
    parts.push(`<text x="${x}" y="${y + 11}" font-size="10" fill="#525860">${escapeXml(panel.title)}</text>`);
    panel.cells.forEach((cell, index) => {
      const cx = x + (index % panel.columns) * (CELL + GAP);
      const cy = y + TITLE + Math.floor(index / panel.columns) * (CELL + GAP);
      const dashed = cell.kind === 'pad' || cell.kind === 'zero' ? ' stroke-dasharray="3 2"' : '';
      const stroke = cell.current ? '#2e8555' : '#8d949e';
      parts.push(
        `<rect x="${cx}" y="${cy}" width="${CELL}" height="${CELL}" rx="3" fill="${escapeXml(cellFill(cell))}" stroke="${stroke}" stroke-width="${cell.current ? 3 : 1}"${dashed}/>`,
      );
      if (cell.label)
        parts.push(
          `<text x="${cx + CELL / 2}" y="${cy + CELL / 2 + 4}" font-size="${cell.label.length > 3 ? 8 : 11}" text-anchor="middle" fill="#1c1e21">${escapeXml(cell.label)}</text>`,
        );
    });
    parts.push('</g>');
  }
  parts.push(`<text x="8" y="${height - 8}" font-size="12" fill="#1c1e21">${escapeXml(board.stepLabel)}</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}

/** Draws an SVG document onto a new canvas (white background), for the PNG and GIF exports. */
export async function svgToCanvas(svg: string): Promise<HTMLCanvasElement> {
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('export: no 2-D canvas in this browser');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(image, 0, 0);
  return canvas;
}

/** One PNG of one frame. */
export async function svgToPng(svg: string): Promise<Blob> {
  const canvas = await svgToCanvas(svg);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('export: PNG encoding failed'))), 'image/png'),
  );
}

/**
 * An animated GIF, one frame per step, with gifenc (a small encoder: quantise, map to the palette,
 * LZW). Every frame has the first frame's size; later frames are the same layout.
 */
export async function framesToGif(frames: string[], delayMs: number): Promise<Blob> {
  const { GIFEncoder, quantize, applyPalette } = await import('gifenc');
  const encoder = GIFEncoder();
  let size: [number, number] | undefined;
  for (const svg of frames) {
    const canvas = await svgToCanvas(svg);
    size ??= [canvas.width, canvas.height];
    const context = canvas.getContext('2d');
    if (!context) throw new Error('export: no 2-D canvas in this browser');
    const { data } = context.getImageData(0, 0, size[0], size[1]);
    const palette = quantize(data, 256);
    encoder.writeFrame(applyPalette(data, palette), size[0], size[1], { palette, delay: delayMs });
  }
  encoder.finish();
  return new Blob([encoder.bytes()], { type: 'image/gif' });
}

/** Saves a blob as a file through a temporary link. */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
