import { useMemo, useState } from 'react';
import { convInfo, type Padding } from '@convkit/core';
import { NumberField } from './controls';
import styles from './styles.module.css';

interface Rule {
  id: string;
  framework: string;
  written: string;
  padding: (kernel: number) => Padding;
}

const RULES: Rule[] = [
  {
    id: 'pytorch-symmetric',
    framework: 'PyTorch',
    written: 'padding=k // 2 (symmetric)',
    padding: (kernel) => Math.floor(kernel / 2),
  },
  { id: 'pytorch-same', framework: 'PyTorch', written: "padding='same' (stride 1 only)", padding: () => 'same' },
  { id: 'onnx-same-upper', framework: 'ONNX', written: "auto_pad='SAME_UPPER'", padding: () => 'same_upper' },
  { id: 'onnx-same-lower', framework: 'ONNX', written: "auto_pad='SAME_LOWER'", padding: () => 'same_lower' },
  { id: 'tensorflow-same', framework: 'TensorFlow', written: "padding='SAME'", padding: () => 'same_upper' },
  { id: 'valid', framework: 'all three', written: "'valid' / 'VALID' / padding=0", padding: () => 'valid' },
];

/** This tool clamps to 1 rather than showing core's message: every rule needs a geometry to resolve. */
const atLeastOne = (set: (value: number) => void) => (value: number) => set(Math.max(1, value || 1));

/** The padding rules of PyTorch, ONNX and TensorFlow side by side on one 1-D geometry, each resolved by core's `convInfo`. */
export default function PaddingCompare() {
  const [size, setSize] = useState(6);
  const [kernel, setKernel] = useState(3);
  const [stride, setStride] = useState(2);
  const [dilation, setDilation] = useState(1);
  const rows = useMemo(
    () =>
      RULES.map((rule) => {
        const padding = rule.padding(kernel);
        try {
          const info = convInfo([1, 1, size], [1, 1, kernel], { stride, dilation, padding }, 'conv1d');
          return { rule, padding, info };
        } catch (error) {
          return { rule, padding, error: error instanceof Error ? error.message : String(error) };
        }
      }),
    [size, kernel, stride, dilation],
  );
  return (
    <div className={styles.tool} data-testid="padding-compare">
      <div className={styles.controls}>
        <NumberField label="input size" value={size} max={64} onChange={atLeastOne(setSize)} testId="pad-size" />
        <NumberField label="kernel" value={kernel} max={64} onChange={atLeastOne(setKernel)} testId="pad-kernel" />
        <NumberField label="stride" value={stride} max={64} onChange={atLeastOne(setStride)} testId="pad-stride" />
        <NumberField
          label="dilation"
          value={dilation}
          max={64}
          onChange={atLeastOne(setDilation)}
          testId="pad-dilation"
        />
      </div>
      <table className={styles.table}>
        <thead>
          <tr>
            <th>framework</th>
            <th>written as</th>
            <th>convkit padding</th>
            <th>pad begin</th>
            <th>pad end</th>
            <th>output size</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ rule, padding, info, error }) => (
            <tr key={rule.id} data-testid={`rule-${rule.id}`}>
              <td>{rule.framework}</td>
              <td>
                <code>{rule.written}</code>
              </td>
              <td>
                <code>{typeof padding === 'string' ? `'${padding}'` : JSON.stringify(padding)}</code>
              </td>
              {info ? (
                <>
                  <td>{info.padBegin[0]}</td>
                  <td>{info.padEnd[0]}</td>
                  <td>
                    <b>{info.outSize[0]}</b>
                  </td>
                </>
              ) : (
                <td colSpan={3} className={styles.muted}>
                  {error}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
