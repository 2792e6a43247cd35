import { decodeCaseValue } from './case-data.js';
import errorCaseData from './error-cases.json';
import type { CaseBackends } from './hand-cases.js';

/** An invalid call and the full text of the error every backend must answer it with. */
export interface ErrorCase {
  /** A sentence about the refusal, used as the test name. */
  readonly name: string;
  readonly op: string;
  /** The positional arguments in call order (tensors, shapes, or deliberately malformed values). */
  readonly operands: readonly unknown[];
  /** The options argument as passed (may itself be malformed); omitted means none. */
  readonly options?: unknown;
  /** The full message of the ConvError. */
  readonly message: string;
  /** The argument the error names (ConvError.arg), where the case pins it. */
  readonly arg?: string;
  /** The op the error names (ConvError.op), when it differs from `op`. */
  readonly errorOp?: string;
  readonly backends: CaseBackends;
  /** Why the numbers in the message are what they are, where that is not plain. */
  readonly why?: string;
}

/**
 * Core's error cases and gpu's invalid calls, in one list: the data of `error-cases.json`, one
 * object a case (tensors and non-finite numbers spelled as {@link decodeCaseValue} reads them).
 */
export const ERROR_CASES: readonly ErrorCase[] = errorCaseData.map(decodeCaseValue) as ErrorCase[];
