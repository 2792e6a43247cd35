import { useMemo } from 'react';
import { useHistory, useLocation } from '@docusaurus/router';
import { convFlops, convMacs, convParams, type ConvLayerKind, type ConvLayerSpec } from '@convkit/core';
import { NumberField, Select } from './controls';
import styles from './styles.module.css';

const KINDS: ConvLayerKind[] = ['conv', 'depthwise', 'pointwise', 'separable', 'convTranspose'];

function format(value: number): string {
  return value.toLocaleString('en-US');
}

/**
 * Weights, multiply-adds and FLOPs of one layer from core's `convParams`/`convMacs`/`convFlops`,
 * next to the standard convolution with the same channels and kernel.
 */
export default function ParamCalculator({ initial }: { initial?: Partial<ConvLayerSpec> & { size?: number } }) {
  const location = useLocation();
  const history = useHistory();
  // Every setting lives in the URL (`pc.<name>`): a shared link reproduces it, back/forward work.
  const start: Record<string, number | string> = {
    kind: initial?.kind ?? 'conv',
    in: initial?.inChannels ?? 16,
    out: initial?.outChannels ?? 32,
    kernel: typeof initial?.kernelSize === 'number' ? initial.kernelSize : 3,
    groups: initial?.groups ?? 1,
    size: initial?.size ?? 56,
    stride: 1,
  };
  const params = new URLSearchParams(location.search);
  const value = (name: string): number => {
    const text = params.get(`pc.${name}`);
    return text === null ? Number(start[name]) : text === '' ? Number.NaN : Number(text);
  };
  const setValue = (name: string) => (next: number | string) => {
    const search = new URLSearchParams(location.search);
    if (String(next) === String(start[name])) search.delete(`pc.${name}`);
    else search.set(`pc.${name}`, Number.isNaN(next) ? '' : String(next));
    const text = search.toString();
    history.push({ search: text ? `?${text}` : '', hash: location.hash });
  };
  const kindText = params.get('pc.kind') ?? String(start.kind);
  const kind = (KINDS.includes(kindText as ConvLayerKind) ? kindText : 'conv') as ConvLayerKind;
  const setKind = setValue('kind');
  const [inChannels, setInChannels] = [value('in'), setValue('in')];
  const [outChannels, setOutChannels] = [value('out'), setValue('out')];
  const [kernel, setKernel] = [value('kernel'), setValue('kernel')];
  const [groups, setGroups] = [value('groups'), setValue('groups')];
  const [size, setSize] = [value('size'), setValue('size')];
  const [stride, setStride] = [value('stride'), setValue('stride')];

  const counts = useMemo(() => {
    const spec: ConvLayerSpec = {
      kind,
      inChannels,
      outChannels: kind === 'depthwise' ? undefined : outChannels,
      kernelSize: kernel,
      groups: kind === 'conv' || kind === 'convTranspose' ? groups : undefined,
      stride,
      padding: kind === 'pointwise' ? undefined : Math.floor(kernel / 2),
      inputSize: [size, size],
    };
    const standard: ConvLayerSpec = {
      inChannels,
      outChannels: kind === 'depthwise' ? inChannels : outChannels,
      kernelSize: kind === 'pointwise' ? 1 : kernel,
      stride,
      padding: kind === 'pointwise' ? 0 : Math.floor(kernel / 2),
      inputSize: [size, size],
    };
    try {
      return {
        params: convParams(spec),
        macs: convMacs(spec),
        flops: convFlops(spec),
        standard: convParams(standard),
        standardMacs: convMacs(standard),
      };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }, [kind, inChannels, outChannels, kernel, groups, size, stride]);

  return (
    <div className={styles.tool} data-testid="param-calculator">
      <div className={styles.controls}>
        <label className={styles.field}>
          <span>layer</span>
          <Select value={kind} options={KINDS} testId="pc-kind" onChange={(text) => setKind(text as ConvLayerKind)} />
        </label>
        <NumberField label="in channels" value={inChannels} onChange={setInChannels} testId="pc-in" />
        {kind !== 'depthwise' && (
          <NumberField label="out channels" value={outChannels} onChange={setOutChannels} testId="pc-out" />
        )}
        {kind !== 'pointwise' && <NumberField label="kernel" value={kernel} onChange={setKernel} testId="pc-kernel" />}
        {(kind === 'conv' || kind === 'convTranspose') && (
          <NumberField label="groups" value={groups} onChange={setGroups} testId="pc-groups" />
        )}
        <NumberField label="input size" value={size} onChange={setSize} testId="pc-size" />
        <NumberField label="stride" value={stride} onChange={setStride} testId="pc-stride" />
      </div>
      {'error' in counts && counts.error ? (
        <pre className={styles.error}>{counts.error}</pre>
      ) : (
        <table className={styles.table}>
          <tbody>
            <tr>
              <td>weights (no bias)</td>
              <td>
                <b data-testid="pc-params">{format(counts.params ?? 0)}</b>
              </td>
              <td className={styles.muted}>
                standard conv: {format(counts.standard ?? 0)} (
                {((100 * (counts.params ?? 0)) / (counts.standard || 1)).toFixed(1)}%)
              </td>
            </tr>
            <tr>
              <td>multiply-adds</td>
              <td>
                <b data-testid="pc-macs">{format(counts.macs ?? 0)}</b>
              </td>
              <td className={styles.muted}>standard conv: {format(counts.standardMacs ?? 0)}</td>
            </tr>
            <tr>
              <td>FLOPs (2 per multiply-add)</td>
              <td>
                <b data-testid="pc-flops">{format(counts.flops ?? 0)}</b>
              </td>
              <td />
            </tr>
          </tbody>
        </table>
      )}
      <p className={styles.muted}>
        Padding is kernel / 2 (rounded down); input is {size} × {size}, batch 1.
      </p>
    </div>
  );
}
