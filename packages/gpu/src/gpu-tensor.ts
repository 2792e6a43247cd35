import {
  ConvError,
  readCall,
  resolveArguments,
  type OpName,
  type Tensor,
  type TensorShape,
  type TensorOptionOf,
  type WithTensorOptions,
} from '@convkit/core';
import { formatShape } from '@convkit/core/shape';
import type { IKernelRunShortcut } from 'gpu.js';
import type { Backend } from './backend.js';
import { UPLOAD_KERNEL_SOURCE } from './kernels/sources.generated.js';
import { DEVICE_MODES } from './modes.js';

/**
 * A tensor uploaded once with `gpu.upload`, accepted by every op of the {@link Gpu} that made it
 * wherever a `Tensor` goes (input, weight, bias, separable's weights and biases). Its data is a
 * snapshot taken at upload: changing the source array afterwards changes nothing. On a device
 * backend (webgpu, webgl2, webgl, headlessgl) the data lives on the device; on `webasm` and `cpu`,
 * and for an empty tensor, the handle holds a private copy.
 *
 * @example
 * ```ts
 * import { tensor } from '@convkit/core';
 * import { createGpu } from '@convkit/gpu';
 * const gpu = await createGpu({ mode: 'cpu' });
 * const weight = await gpu.upload(tensor([1, 0, -1], [1, 1, 3]));
 * weight.shape; // [1, 1, 3]
 * (await gpu.conv(tensor([1, 2, 3, 4], [1, 1, 4]), weight)).data; // Float32Array [-2, -2]
 * weight.dispose();
 * ```
 */
export interface GpuTensor {
  /** The shape of the uploaded tensor. */
  readonly shape: readonly number[];
  /** True where the data is resident on the device (a texture or storage buffer), false for a host copy. */
  readonly resident: boolean;
  /** True once {@link GpuTensor.dispose} ran (or its Gpu was disposed); ops then reject it. */
  readonly disposed: boolean;
  /**
   * Reads the data back as a core tensor (a fresh copy each time): one readback for an op's result
   * kept on the device (see {@link Gpu.resident}), the snapshot for an uploaded tensor. Rejects
   * with a `ConvError` once disposed.
   */
  read(): Promise<Tensor>;
  /** Frees the device copy. Later ops given this handle reject with a `ConvError`. Idempotent. */
  dispose(): void;
}

/**
 * A tensor on the device in the column layout: one RGBA32F texel holds 4 consecutive columns of
 * one row of one channel plane (`extent` `[column blocks, D * H, batch * channels]`), which every
 * non-transposed packed kernel writes and the pointwise kernel reads, so a chain of such ops
 * passes its data on without a readback or a pack pass.
 */
export interface ColumnsOnDevice {
  readonly array: DeviceArray;
  readonly extent: readonly [number, number, number];
  /** The data as NC(D)HW on the host: one readback at the first call, cached after it. */
  read(): Float32Array;
}

/** What gpu.js hands back from a pipeline kernel: a GL `Texture` or a `WebGPUBufferResult`. */
export interface DeviceArray {
  delete(): void;
}

/**
 * The one implementation of {@link GpuTensor}. Keeps the host snapshot beside the device copy:
 * work that is split over several kernel calls reads slices of the input, which a texture cannot
 * give, so those calls read the host copy instead.
 */
export class UploadedTensor implements GpuTensor {
  private deviceArray: DeviceArray | null;
  private released = false;
  /** Device copies in other layouts (a packed weight), made at first use and freed with the handle. */
  private readonly layouts = new Map<string, DeviceArray>();

  constructor(
    /** The Gpu instance's token; ops of another instance refuse the handle. */
    readonly owner: object,
    /** The snapshot taken at upload, as a core tensor. */
    readonly host: Tensor,
    deviceArray: DeviceArray | null,
    /** Frees the device copy once the calls already queued have finished with it. */
    private readonly release: (handle: UploadedTensor, deviceArrays: readonly DeviceArray[]) => void,
  ) {
    this.deviceArray = deviceArray;
  }

  get shape(): readonly number[] {
    return this.host.shape;
  }

  get resident(): boolean {
    return this.deviceArray !== null;
  }

  get disposed(): boolean {
    return this.released;
  }

  /** The device copy, or null when the data is only on the host. */
  get device(): DeviceArray | null {
    return this.deviceArray;
  }

  /**
   * The device copy of this tensor in another layout, made by `make` at first use and kept until
   * the handle is disposed: weights are packed once, not on every call.
   */
  async layout(key: string, make: () => Promise<DeviceArray>): Promise<DeviceArray> {
    let copy = this.layouts.get(key);
    if (!copy) {
      copy = await make();
      this.layouts.set(key, copy);
    }
    return copy;
  }

  async read(): Promise<Tensor> {
    if (this.released) throw readDisposedError(this.shape);
    return { shape: [...this.host.shape], data: new Float32Array(this.host.data) };
  }

  dispose(): void {
    if (this.released) return;
    this.released = true;
    const deviceArrays: DeviceArray[] = [];
    if (this.deviceArray) deviceArrays.push(this.deviceArray);
    this.layouts.forEach((copy) => {
      deviceArrays.push(copy);
    });
    this.layouts.clear();
    this.deviceArray = null;
    this.release(this, deviceArrays);
  }
}

function readDisposedError(shape: readonly number[]): ConvError {
  return new ConvError('read', 'tensor', `the GpuTensor ${formatShape(shape)} was disposed; it cannot be read`);
}

/**
 * An op's result kept on the device in the column layout ({@link ColumnsOnDevice}), made by the
 * `gpu.resident` ops: ops of its Gpu read it in place (the pointwise kernel without a pack pass;
 * others after one readback, which is then cached), and {@link GpuTensor.read} reads it back once.
 */
export class KeptTensor implements GpuTensor {
  private released = false;

  constructor(
    readonly owner: object,
    readonly shape: readonly number[],
    readonly columns: ColumnsOnDevice,
    private readonly release: (handle: KeptTensor) => void,
    /** Runs work after the calls already queued (the Gpu's queue). */
    private readonly enqueue: <T>(work: () => Promise<T>) => Promise<T>,
  ) {}

  get resident(): boolean {
    return !this.released;
  }

  get disposed(): boolean {
    return this.released;
  }

  read(): Promise<Tensor> {
    if (this.released) return Promise.reject(readDisposedError(this.shape));
    return this.enqueue(async () => ({ shape: [...this.shape], data: new Float32Array(this.columns.read()) }));
  }

  dispose(): void {
    if (this.released) return;
    this.released = true;
    this.release(this);
  }
}

/** An op argument after resolution: the tensor validation sees, and the device copy when there is one. */
export interface Operand {
  readonly tensor: Tensor;
  readonly device: unknown;
  /** The uploaded handle it came from, which caches the tensor's other device layouts; null for a plain tensor. */
  readonly handle?: UploadedTensor | null;
  /**
   * The data on the device in the column layout (an op's kept result). `tensor` then has the shape
   * only: its `data` throws, and {@link hostOperand} is the one way to the data on the host.
   */
  readonly columns?: ColumnsOnDevice;
}

/**
 * The operand of data kept on the device in the column layout. A readback is a device sync, so
 * none happens unseen: reading `tensor.data` throws, and a kernel that cannot read the layout is
 * given {@link hostOperand} of it instead.
 *
 * @example
 * ```ts
 * import { keptOperand } from './gpu-tensor.js';
 * const columns = { array: { delete() {} }, extent: [1, 1, 1] as const, read: () => new Float32Array([7]) };
 * keptOperand([1, 1, 1], columns).tensor.shape; // [1, 1, 1]
 * ```
 */
export function keptOperand(shape: readonly number[], columns: ColumnsOnDevice): Operand {
  return {
    tensor: {
      shape,
      get data(): Float32Array {
        throw new Error(
          `@convkit/gpu: the data of a result kept on the device ${formatShape(shape)} was read in place; read it back with hostOperand`,
        );
      },
    },
    device: null,
    columns,
  };
}

/**
 * The operand with its data on the host: a kept one ({@link keptOperand}) read back, once (its
 * columns keep what they read), any other as it is. The one place a kept result leaves the device
 * inside an op.
 *
 * @example
 * ```ts
 * import { hostOperand, keptOperand } from './gpu-tensor.js';
 * const columns = { array: { delete() {} }, extent: [1, 1, 1] as const, read: () => new Float32Array([7]) };
 * hostOperand(keptOperand([1, 1, 1], columns)).tensor.data; // Float32Array [7]
 * ```
 */
export function hostOperand(operand: Operand): Operand;
export function hostOperand(operand: Operand | undefined): Operand | undefined;
export function hostOperand(operand: Operand | undefined): Operand | undefined {
  if (!operand?.columns) return operand;
  return { tensor: { shape: operand.tensor.shape, data: operand.columns.read() }, device: null };
}

/**
 * Turns an op argument (a `Tensor` or a {@link GpuTensor} of this instance) into an {@link Operand}.
 * A plain tensor is used as it is, read afresh on every call (there is no identity cache that
 * could go stale when a caller changes `data` in place).
 *
 * @throws {ConvError} for a disposed handle or one uploaded to another Gpu instance.
 * @example
 * ```ts
 * import { tensor } from '@convkit/core';
 * import { resolveOperand } from './gpu-tensor.js';
 * resolveOperand({}, 'conv', 'input', tensor([1, 2], [1, 1, 2])).device; // null
 * ```
 */
export function resolveOperand(owner: object, op: string, arg: string, value: Tensor | GpuTensor): Operand;
export function resolveOperand(
  owner: object,
  op: string,
  arg: string,
  value: Tensor | GpuTensor | undefined,
): Operand | undefined;
export function resolveOperand(
  owner: object,
  op: string,
  arg: string,
  value: Tensor | GpuTensor | undefined,
): Operand | undefined {
  if (value instanceof KeptTensor) {
    checkHandle(owner, op, arg, value);
    return keptOperand(value.shape, value.columns);
  }
  if (!(value instanceof UploadedTensor))
    return value === undefined ? undefined : { tensor: value as Tensor, device: null, handle: null };
  checkHandle(owner, op, arg, value);
  return { tensor: value.host, device: value.device, handle: value };
}

function checkHandle(owner: object, op: string, arg: string, value: UploadedTensor | KeptTensor): void {
  if (value.disposed) {
    throw new ConvError(
      op,
      arg,
      `${arg} is a GpuTensor ${formatShape(value.shape)} that was disposed; upload it again with gpu.upload`,
    );
  }
  if (value.owner !== owner) {
    throw new ConvError(
      op,
      arg,
      `${arg} is a GpuTensor ${formatShape(value.shape)} uploaded to another Gpu instance; upload it with this instance's gpu.upload`,
    );
  }
}

/**
 * Uploads tensors: on a device backend through a `pipeline: true, immutable: true` copy kernel
 * (one per length, each run returning a fresh texture or buffer that outlives the kernel's next
 * run); elsewhere, and for tensors above the per-call limit, a host snapshot only.
 *
 * @example
 * ```ts
 * import { tensor } from '@convkit/core';
 * import { startBackend } from './backend.js';
 * import { Uploader } from './gpu-tensor.js';
 * const uploader = new Uploader(await startBackend('cpu'), 2 ** 24, {});
 * (await uploader.upload(tensor([1, 2], [2]))).resident; // false: the cpu backend has no device
 * ```
 */
export class Uploader {
  private readonly kernels = new Map<number, IKernelRunShortcut>();
  /** Handles not yet disposed; disposing the Gpu disposes them. */
  private readonly live = new Set<UploadedTensor | KeptTensor>();

  constructor(
    private readonly backend: Backend,
    private readonly maxElementsPerCall: number,
    private readonly owner: object,
    /** Runs a release after the calls already queued (the Gpu's queue); by default at once. */
    private readonly afterQueuedCalls: (release: () => void) => void = (release) => release(),
  ) {}

  private closing = false;

  private readonly release = (handle: UploadedTensor | KeptTensor, deviceArrays: readonly DeviceArray[]): void => {
    this.live.delete(handle);
    if (deviceArrays.length > 0 && !this.closing) {
      this.afterQueuedCalls(() => {
        for (const deviceArray of deviceArrays) deviceArray.delete();
      });
    }
  };

  /** Marks every live handle disposed; their device copies go with the gpu.js instance. */
  dispose(): void {
    this.closing = true;
    // Array.from, not a spread or for-of over the Set: some consumers' builds transpile those loosely.
    for (const handle of Array.from(this.live)) handle.dispose();
    this.kernels.clear();
  }

  /**
   * Wraps an op's result kept on the device as a {@link KeptTensor} of this instance, freed with
   * the handle (after the calls already queued) or with the Gpu.
   */
  keep(
    shape: readonly number[],
    columns: ColumnsOnDevice,
    enqueue: <T>(work: () => Promise<T>) => Promise<T>,
  ): KeptTensor {
    const handle = new KeptTensor(
      this.owner,
      Object.freeze([...shape]),
      columns,
      (kept) => this.release(kept, [columns.array]),
      enqueue,
    );
    this.live.add(handle);
    return handle;
  }

  async upload(value: Tensor): Promise<UploadedTensor> {
    // Read once and checked as every op reads its tensors (a missing one is a ConvError naming it).
    const read = readCall('upload', undefined, { tensor: value }, { required: ['tensor'] }).tensors.tensor as Tensor;
    const host: Tensor = { shape: Object.freeze([...read.shape]) as number[], data: new Float32Array(read.data) };
    const length = host.data.length;
    let deviceArray: DeviceArray | null = null;
    // An empty tensor has nothing to put on the device (gpu.js refuses a kernel of output size 0).
    if (DEVICE_MODES.includes(this.backend.mode) && length > 0 && length <= this.maxElementsPerCall) {
      deviceArray = (await this.kernelFor(length)(host.data)) as unknown as DeviceArray;
    }
    const handle = new UploadedTensor(this.owner, host, deviceArray, this.release);
    this.live.add(handle);
    return handle;
  }

  private kernelFor(length: number): IKernelRunShortcut {
    let kernel = this.kernels.get(length);
    if (!kernel) {
      kernel = this.backend.gpu.createKernel(UPLOAD_KERNEL_SOURCE, {
        output: [length],
        precision: 'single',
        tactic: 'precision',
        pipeline: true,
        immutable: true,
        asyncMode: true,
      }) as IKernelRunShortcut;
      this.kernels.set(length, kernel);
    }
    return kernel;
  }
}

/**
 * Core's options for an op, with its tensor-valued keys (those core's op table lists: `bias`,
 * `depthwiseBias`) also accepted as {@link GpuTensor}s.
 */
export type WithGpuTensors<Options> = WithTensorOptions<Options, TensorOptionOf<OpName>, Tensor | GpuTensor>;

/** The operand of each named argument: present where the argument's type requires a tensor. */
export type OperandsOf<Args> = {
  readonly [Arg in keyof Args]: undefined extends Args[Arg] ? Operand | undefined : Operand;
};

/** One op call with every handle resolved: what core's checks see, and what the runner reads. */
export interface ResolvedCall<Options, Args> {
  /** The options with bias handles replaced by their host snapshots (by their shapes where kept on the device). */
  readonly options: Options | undefined;
  /** What core's checks read: the tensors, and `{ shape }` alone for each argument kept on the device. */
  readonly tensors: Record<string, Tensor | TensorShape | undefined>;
  /** The arguments kept on the device, given to core's checks by shape alone (core's `shapeOnly`). */
  readonly shapeOnly: readonly string[];
  /**
   * One operand per argument. Required arguments are typed as present: core's `checkCall` runs on
   * `tensors` before any operand is read, and rejects a missing one with a `ConvError`.
   */
  readonly operands: OperandsOf<Args>;
}

/**
 * Resolves every tensor argument of one op call (see {@link resolveOperand}) and puts the resolved
 * biases back into the options (core's `resolveArguments`), so core's checks and shape module
 * validate handles exactly as they validate tensors (same messages); a result kept on the device
 * is validated by its shape, its data left where it is.
 *
 * @throws {ConvError} for a disposed handle or one uploaded to another Gpu instance.
 * @example
 * ```ts
 * import { tensor } from '@convkit/core';
 * import { resolveCall } from './gpu-tensor.js';
 * const call = resolveCall({}, 'conv', { stride: 2 }, { input: tensor([1, 2], [1, 1, 2]), weight: tensor([1], [1, 1, 1]) }, ['bias']);
 * call.tensors.input?.shape; // [1, 1, 2]
 * ```
 */
export function resolveCall<Options, Args extends Readonly<Record<string, Tensor | GpuTensor | undefined>>>(
  owner: object,
  op: string,
  options: WithGpuTensors<Options> | undefined,
  args: Args,
  /** The options keys holding tensors (core's `OP_TABLE[op].tensorOptions`). */
  tensorOptions: readonly string[],
): ResolvedCall<Options, Args> {
  const operands: Record<string, Operand | undefined> = {};
  const shapeOnly: string[] = [];
  const call = resolveArguments<Tensor | GpuTensor, Tensor | TensorShape>(
    args,
    options,
    tensorOptions,
    (value, arg) => {
      const operand = resolveOperand(owner, op, arg, value);
      operands[arg] = operand;
      if (!operand.columns) return operand.tensor;
      shapeOnly.push(arg);
      return { shape: operand.tensor.shape };
    },
  );
  return {
    options: call.options as Options | undefined,
    tensors: call.tensors,
    shapeOnly,
    operands: operands as OperandsOf<Args>,
  };
}
