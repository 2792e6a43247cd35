import type { Tensor } from '../tensor.js';
import { decodeCaseValue } from './case-data.js';
import handCaseData from './hand-cases.json';

/** Where a case applies: every backend, or only core (ops gpu does not offer, such as the matrix view). */
export type CaseBackends = 'all' | 'core';

/** A call whose result was worked out by hand from the math (shown in `name` or `why`), never by the code under test. */
export interface HandCase {
  /** A sentence about the behaviour, used as the test name. */
  readonly name: string;
  readonly op: string;
  /** The positional operands in call order (tensors, or a shape for `convMatrix`). */
  readonly operands: readonly (Tensor | readonly number[])[];
  readonly options?: Readonly<Record<string, unknown>>;
  readonly expected: Tensor;
  readonly backends: CaseBackends;
  /** How the expected values follow from the math, where the name does not say it. */
  readonly why?: string;
}

/**
 * The hand-worked cases: padding modes, the documented examples, the matrix view. The data of
 * `hand-cases.json`, one object a case; the padding-mode cases use the kernel [1, 10, 100], so the
 * three taps of each window are the digits of its output.
 */
export const HAND_CASES: readonly HandCase[] = handCaseData.map(decodeCaseValue) as HandCase[];
