import { describe, expect, it } from 'vitest';
import * as core from '@convkit/core';
import { ConvError } from '@convkit/core';
import { ERROR_CASES, runOp } from '@convkit/testkit';

/** Runs `call`, expects a ConvError, and returns it for assertions on its fields. */
function convError(call: () => unknown): ConvError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(ConvError);
    return error as ConvError;
  }
  throw new Error('expected a ConvError, but the call returned');
}

// The error cases are data in @convkit/testkit, with their full messages; every gpu mode runs the same list.
describe('the shared error cases', () => {
  it.each(ERROR_CASES.map((entry) => [entry.name, entry] as const))('%s', (_, entry) => {
    const error = convError(() => runOp(core, entry.op, entry.operands, entry.options));
    expect(error.name).toBe('ConvError');
    expect(error.message).toBe(entry.message);
    expect(error.op).toBe(entry.errorOp ?? entry.op);
    if (entry.arg !== undefined) expect(error.arg).toBe(entry.arg);
  });
});
