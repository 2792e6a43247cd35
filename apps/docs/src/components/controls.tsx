import type { ReactNode } from 'react';
import styles from './styles.module.css';

/**
 * A number input that passes on what was typed, an empty field as NaN (so core's own message
 * explains why 0 or nothing is refused); NaN shows as an empty field.
 *
 * @example
 * <NumberInput label="kernel" value={kernel} min={1} onChange={setKernel} testId="pc-kernel" />
 */
export function NumberInput({
  label,
  value,
  onChange,
  testId,
  min = 1,
  max,
}: {
  label: string;
  value: number;
  onChange: (value: number) => void;
  testId: string;
  min?: number;
  max?: number;
}) {
  return (
    <input
      type="number"
      min={min}
      max={max}
      value={Number.isNaN(value) ? '' : value}
      data-testid={testId}
      aria-label={label}
      onChange={(event) => onChange(event.target.value === '' ? Number.NaN : Number(event.target.value))}
    />
  );
}

/**
 * {@link NumberInput} with its label written beside it.
 *
 * @example
 * <NumberField label="stride" value={stride} onChange={setStride} testId="pc-stride" />
 */
export function NumberField(props: Parameters<typeof NumberInput>[0]) {
  return (
    <label className={styles.field}>
      <span>{props.label}</span>
      <NumberInput {...props} />
    </label>
  );
}

/**
 * A `<select>` whose options are shown as their own values.
 *
 * @example
 * <Select value={groups} options={[1, 2, 4]} testId="cb-groups" onChange={(text) => setGroups(Number(text))} />
 */
export function Select<T extends string | number>({
  value,
  options,
  onChange,
  testId,
  label,
  children,
}: {
  value: T;
  options: readonly T[];
  onChange: (text: string) => void;
  testId: string;
  label?: string;
  /** Options written before the listed ones. */
  children?: ReactNode;
}) {
  return (
    <select aria-label={label} value={value} data-testid={testId} onChange={(event) => onChange(event.target.value)}>
      {children}
      {options.map((option) => (
        <option key={option} value={option}>
          {option}
        </option>
      ))}
    </select>
  );
}

/**
 * A table's header row.
 *
 * @example
 * <TableHead columns={['workload', 'engine', 'median ms']} />
 */
export function TableHead({ columns }: { columns: readonly string[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column, index) => (
          <th key={index}>{column}</th>
        ))}
      </tr>
    </thead>
  );
}

/**
 * An Infima small button; `testId` names it for the end-to-end tests.
 *
 * @example
 * <Button kind="primary" onClick={run} testId="run">Run ▶</Button>
 */
export function Button({
  kind,
  onClick,
  testId,
  label,
  disabled,
  children,
}: {
  kind: 'primary' | 'secondary' | 'link';
  onClick: () => void;
  testId?: string;
  /** The accessible name, where the visible text is a symbol. */
  label?: string;
  disabled?: boolean;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className={`button button--${kind} button--sm`}
      onClick={onClick}
      disabled={disabled}
      aria-label={label}
      data-testid={testId}
    >
      {children}
    </button>
  );
}
