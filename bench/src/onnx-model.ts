/**
 * A minimal ONNX model writer: just enough protobuf (varints, length-delimited fields) to encode
 * a graph of Conv / ConvTranspose nodes with float32 initializers, so the onnxruntime engines run
 * models built in code (nothing downloaded). Field numbers follow onnx/onnx.proto.
 */
import { toOnnxConvAttributes } from '@convkit/core';
import { stageInfo, type Workload, type WorkloadData } from './workloads.js';

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;
const TENSOR_FLOAT = 1;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;

class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  private push(bytes: Uint8Array): this {
    this.chunks.push(bytes);
    this.length += bytes.length;
    return this;
  }

  private varint(value: number): this {
    const bytes: number[] = [];
    let rest = BigInt.asUintN(64, BigInt(value));
    do {
      let byte = Number(rest & 0x7fn);
      rest >>= 7n;
      if (rest !== 0n) byte |= 0x80;
      bytes.push(byte);
    } while (rest !== 0n);
    return this.push(Uint8Array.from(bytes));
  }

  private key(field: number, wire: number): this {
    return this.varint((field << 3) | wire);
  }

  int(field: number, value: number): this {
    return this.key(field, WIRE_VARINT).varint(value);
  }

  bytes(field: number, value: Uint8Array): this {
    return this.key(field, WIRE_LENGTH_DELIMITED).varint(value.length).push(value);
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, build: (writer: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}

/** An ONNX node: `op` over named inputs with integer (or integer-list) attributes. */
export interface OnnxNode {
  readonly op: 'Conv' | 'ConvTranspose';
  readonly inputs: readonly string[];
  readonly output: string;
  readonly attributes: Readonly<Record<string, number | readonly number[]>>;
}

/** A float32 graph: one input `X`, one output `Y`, weights as initializers. */
export interface OnnxGraph {
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  readonly initializers: Readonly<Record<string, { shape: readonly number[]; data: Float32Array }>>;
  readonly nodes: readonly OnnxNode[];
}

function valueInfo(writer: ProtoWriter, name: string, shape: readonly number[]): void {
  writer.string(1, name).message(2, (type) =>
    type.message(1, (tensorType) =>
      tensorType.int(1, TENSOR_FLOAT).message(2, (shapeProto) => {
        for (const extent of shape) shapeProto.message(1, (dim) => dim.int(1, extent));
      }),
    ),
  );
}

/** Encodes the graph as an ONNX ModelProto (IR 8, opset 17). */
export function encodeOnnxModel(graph: OnnxGraph): Uint8Array {
  const model = new ProtoWriter();
  model.int(1, 8); // ir_version
  model.string(2, 'convkit-bench');
  model.message(8, (opset) => opset.string(1, '').int(2, 17));
  model.message(7, (graphProto) => {
    graph.nodes.forEach((node, index) => {
      graphProto.message(1, (nodeProto) => {
        for (const input of node.inputs) nodeProto.string(1, input);
        nodeProto.string(2, node.output).string(3, `node${index}`).string(4, node.op);
        for (const [name, value] of Object.entries(node.attributes)) {
          nodeProto.message(5, (attribute) => {
            attribute.string(1, name);
            if (typeof value === 'number') attribute.int(3, value).int(20, ATTRIBUTE_INT);
            else {
              for (const entry of value) attribute.int(8, entry);
              attribute.int(20, ATTRIBUTE_INTS);
            }
          });
        }
      });
    });
    graphProto.string(2, 'bench');
    for (const [name, tensor] of Object.entries(graph.initializers)) {
      graphProto.message(5, (tensorProto) => {
        for (const extent of tensor.shape) tensorProto.int(1, extent);
        tensorProto.int(2, TENSOR_FLOAT).string(8, name);
        // raw_data is little-endian, as Float32Array is on every engine this runs on.
        tensorProto.bytes(9, new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
      });
    }
    graphProto.message(11, (input) => valueInfo(input, 'X', graph.inputShape));
    graphProto.message(12, (output) => valueInfo(output, 'Y', graph.outputShape));
  });
  return model.finish();
}

/** The ONNX graph of a workload: weights as initializers, one Conv/ConvTranspose node per stage. */
export function workloadModel(workload: Workload, data: WorkloadData): Uint8Array {
  const initializers: Record<string, { shape: readonly number[]; data: Float32Array }> = {};
  const nodes: OnnxNode[] = [];
  workload.stages.forEach((stage, index) => {
    const weightName = `W${index}`;
    initializers[weightName] = { shape: stage.weightShape, data: data.weights[index].data };
    nodes.push({
      op: stage.transposed ? 'ConvTranspose' : 'Conv',
      inputs: [index === 0 ? 'X' : `Y${index - 1}`, weightName],
      output: index === workload.stages.length - 1 ? 'Y' : `Y${index}`,
      // Core's inverse of fromOnnxConvAttributes: the pads come back in ONNX's begins-then-ends order.
      attributes: toOnnxConvAttributes(
        stageInfo(index === 0 ? workload.inputShape : workload.stageOutputShapes[index - 1], stage),
      ) as Record<string, number | readonly number[]>,
    });
  });
  return encodeOnnxModel({ inputShape: workload.inputShape, outputShape: workload.outputShape, initializers, nodes });
}
