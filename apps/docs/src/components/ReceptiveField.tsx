import { useMemo, useState } from 'react';
import { receptiveField, type ReceptiveFieldLayer } from '@convkit/core';
import { pathCounts } from '../visualiser/paths';
import { heat } from './TensorView';
import styles from './styles.module.css';

const PRESETS: Record<string, ReceptiveFieldLayer[]> = {
  '3x3, dilation 1, 2, 4': [1, 2, 4].map((dilation) => ({ kernelSize: 3, dilation })),
  '3x3, dilation 2 then 2': [
    { kernelSize: 3, dilation: 2 },
    { kernelSize: 3, dilation: 2 },
  ],
  'three 3x3 (VGG)': [{ kernelSize: 3 }, { kernelSize: 3 }, { kernelSize: 3 }],
  '7x7 stride 2, 3x3 pool stride 2 (ResNet stem)': [
    { kernelSize: 7, stride: 2, padding: 3 },
    { kernelSize: 3, stride: 2, padding: 1 },
  ],
};

function NumberInput({
  value,
  min,
  onChange,
  testId,
  label,
}: {
  label: string;
  value: number;
  min: number;
  onChange: (value: number) => void;
  testId: string;
}) {
  return (
    <input
      type="number"
      min={min}
      max={64}
      value={Number.isNaN(value) ? '' : value}
      data-testid={testId}
      aria-label={label}
      // Passed on as typed: core's receptiveField refuses 0 (or an empty field) with its message.
      onChange={(event) => onChange(event.target.value === '' ? Number.NaN : Number(event.target.value))}
    />
  );
}

/**
 * The receptive field of a stack of layers along one axis, layer by layer, from core's
 * `receptiveField`, with a bar per layer drawn to scale.
 */
export default function ReceptiveField() {
  const [layers, setLayers] = useState<ReceptiveFieldLayer[]>(PRESETS['3x3, dilation 1, 2, 4']);
  const result = useMemo(() => {
    try {
      return { steps: receptiveField(layers), paths: layers.length > 0 ? pathCounts(layers) : undefined };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }, [layers]);
  const update = (index: number, patch: Partial<ReceptiveFieldLayer>) =>
    setLayers(layers.map((layer, at) => (at === index ? { ...layer, ...patch } : layer)));
  const largest = Math.max(1, ...(result.steps ?? []).map((step) => step.size));
  const mostPaths = Math.max(1, ...(result.paths?.data ?? []));
  return (
    <div className={styles.tool} data-testid="receptive-field">
      <div className={styles.toolbar}>
        {Object.keys(PRESETS).map((name) => (
          <button
            type="button"
            key={name}
            className="button button--secondary button--sm"
            onClick={() => setLayers(PRESETS[name])}
          >
            {name}
          </button>
        ))}
      </div>
      <table className={styles.table}>
        <thead>
          <tr>
            <th>layer</th>
            <th>kernel</th>
            <th>stride</th>
            <th>dilation</th>
            <th>receptive field</th>
            <th>jump</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {layers.map((layer, index) => {
            const step = result.steps?.[index];
            return (
              <tr key={index}>
                <td>{index + 1}</td>
                <td>
                  <NumberInput
                    testId={`rf-kernel-${index}`}
                    label={`layer ${index + 1} kernel`}
                    value={layer.kernelSize}
                    min={1}
                    onChange={(kernelSize) => update(index, { kernelSize })}
                  />
                </td>
                <td>
                  <NumberInput
                    testId={`rf-stride-${index}`}
                    label={`layer ${index + 1} stride`}
                    value={layer.stride ?? 1}
                    min={1}
                    onChange={(stride) => update(index, { stride })}
                  />
                </td>
                <td>
                  <NumberInput
                    testId={`rf-dilation-${index}`}
                    label={`layer ${index + 1} dilation`}
                    value={layer.dilation ?? 1}
                    min={1}
                    onChange={(dilation) => update(index, { dilation })}
                  />
                </td>
                <td>
                  <b data-testid={`rf-size-${index}`}>{step?.size ?? '–'}</b>
                  <div className={styles.bar} style={{ width: `${(100 * (step?.size ?? 0)) / largest}%` }} />
                </td>
                <td>{step?.jump ?? '–'}</td>
                <td>
                  <button
                    type="button"
                    className="button button--link button--sm"
                    onClick={() => setLayers(layers.filter((_, at) => at !== index))}
                    aria-label={`remove layer ${index + 1}`}
                  >
                    ✕
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <button
        type="button"
        className="button button--primary button--sm"
        onClick={() => setLayers([...layers, { kernelSize: 3 }])}
        data-testid="rf-add"
      >
        Add a 3x3 layer
      </button>
      {result.error && <pre className={styles.error}>{result.error}</pre>}
      {result.steps && result.steps.length > 0 && (
        <p>
          One output of the last layer sees <b data-testid="rf-total">{result.steps.at(-1)?.size}</b> input positions
          along this axis
          {result.paths && (
            <>
              , of which <b data-testid="rf-touched">{result.paths.data.filter((count) => count > 0).length}</b> are
              read
            </>
          )}
          .
        </p>
      )}
      {result.paths && result.paths.data.length <= 96 && (
        <div className={styles.strip} data-testid="rf-paths">
          {Array.from(result.paths.data, (count, index) => (
            <div
              key={index}
              className={styles.vcell}
              style={{ background: heat(count, mostPaths) }}
              title={`input ${index}: ${count} paths`}
            >
              {count}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
