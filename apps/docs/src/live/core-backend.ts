import * as core from '@convkit/core';
import type { Tensor } from '@convkit/core';
import type { GpuResidentOps, GpuTensor } from '@convkit/gpu';
import type { ConvBackend } from '../../examples/backend';

/**
 * Core's stand-in for a `GpuTensor`: core has no device, so the "device copy" is the host tensor
 * itself, copied in at `upload` and copied out at each `read`, as a `GpuTensor` snapshot behaves.
 */
class HostTensor implements GpuTensor {
  readonly resident = false;
  #tensor: Tensor | undefined;

  constructor(tensor: Tensor) {
    this.#tensor = core.tensor(tensor.data.slice(), [...tensor.shape]);
  }

  get shape(): readonly number[] {
    return this.tensor('shape', 'handle').shape;
  }

  get disposed(): boolean {
    return this.#tensor === undefined;
  }

  /** The tensor an op computes with; `op` and `arg` name what asked, for the disposed-handle message. */
  tensor(op: string, arg: string): Tensor {
    if (!this.#tensor)
      throw new core.ConvError(op, arg, `${arg} is a disposed host tensor handle; upload the tensor again`);
    return this.#tensor;
  }

  async read(): Promise<Tensor> {
    const tensor = this.tensor('read', 'handle');
    return core.tensor(tensor.data.slice(), [...tensor.shape]);
  }

  dispose(): void {
    this.#tensor = undefined;
  }
}

const resident = Object.fromEntries(
  core.OP_NAMES.map((op) => [
    op,
    async (...args: unknown[]) => {
      const { operands: names, tensorOptions } = core.OP_TABLE[op];
      const options = args[names.length];
      // The handles among the operands and the tensor-valued options, replaced by their tensors as gpu resolves them.
      const call = core.resolveArguments(
        core.namedArguments(op, args.slice(0, names.length), options),
        options,
        tensorOptions,
        (value, arg) => (value instanceof HostTensor ? value.tensor(op, arg) : value),
      );
      // biome-ignore lint/performance/noDynamicNamespaceImportAccess: one pass-through per op of the table, by name
      const run = core[op] as (...a: unknown[]) => Tensor;
      return new HostTensor(run(...names.map((name) => call.tensors[name]), call.options));
    },
  ]),
) as unknown as GpuResidentOps;

/**
 * The CPU column's backend: `@convkit/core`'s ops as they are, plus `upload` and `resident.<op>`
 * as a pass-through (core computes on the host; the handle holds the host result), so an example
 * written for the GPU's one-upload, one-readback chain runs unchanged on core and gives the same
 * numbers.
 *
 * @example
 * ```ts
 * const x = await coreBackend.upload(tensor([1, 2, 3], [1, 1, 3]));
 * const y = await coreBackend.resident.conv(x, tensor([1, 1], [1, 1, 2]));
 * (await y.read()).data; // Float32Array [3, 5]
 * ```
 */
export const coreBackend: ConvBackend = {
  ...core,
  upload: async (tensor: Tensor) => new HostTensor(tensor),
  resident,
};
