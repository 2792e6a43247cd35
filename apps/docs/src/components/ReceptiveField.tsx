import { useMemo, useState } from 'react';
import { receptiveField, type ReceptiveFieldLayer } from '@convkit/core';
import { pathCounts } from '../visualiser/paths';
import { heat } from './TensorView';
import { Button, NumberInput, TableHead } from './controls';
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

/** The editable fields of a layer, each defaulting to 1 where a preset leaves it out. */
const LAYER_FIELDS = ['kernelSize', 'stride', 'dilation'] as const;

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
          <Button key={name} kind="secondary" onClick={() => setLayers(PRESETS[name])}>
            {name}
          </Button>
        ))}
      </div>
      <table className={styles.table}>
        <TableHead columns={['layer', 'kernel', 'stride', 'dilation', 'receptive field', 'jump', '']} />
        <tbody>
          {layers.map((layer, index) => {
            const step = result.steps?.[index];
            return (
              <tr key={index}>
                <td>{index + 1}</td>
                {LAYER_FIELDS.map((field) => {
                  const name = field === 'kernelSize' ? 'kernel' : field;
                  return (
                    <td key={field}>
                      {/* Passed on as typed: core's receptiveField refuses 0 (or an empty field) with its message. */}
                      <NumberInput
                        testId={`rf-${name}-${index}`}
                        label={`layer ${index + 1} ${name}`}
                        value={layer[field] ?? 1}
                        max={64}
                        onChange={(value) => update(index, { [field]: value })}
                      />
                    </td>
                  );
                })}
                <td>
                  <b data-testid={`rf-size-${index}`}>{step?.size ?? '–'}</b>
                  <div className={styles.bar} style={{ width: `${(100 * (step?.size ?? 0)) / largest}%` }} />
                </td>
                <td>{step?.jump ?? '–'}</td>
                <td>
                  <Button
                    kind="link"
                    onClick={() => setLayers(layers.filter((_, at) => at !== index))}
                    label={`remove layer ${index + 1}`}
                  >
                    ✕
                  </Button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <Button kind="primary" onClick={() => setLayers([...layers, { kernelSize: 3 }])} testId="rf-add">
        Add a 3x3 layer
      </Button>
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
