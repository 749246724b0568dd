/**
 * Hand-encoded ONNX models for tests: a few operators over one float input, written straight
 * as protobuf bytes (field numbers from onnx.proto) so no ONNX tooling or weights are needed.
 * Only what these graphs use is encoded: nodes with int/ints attributes, float tensor inputs
 * and outputs with fixed or named dimensions, one default-domain opset.
 */

type Bytes = Uint8Array;

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

const concat = (parts: Bytes[]): Bytes => Uint8Array.from(parts.flatMap((p) => [...p]));
const intField = (field: number, value: number): Bytes =>
  Uint8Array.from([...varint(field << 3), ...varint(value)]);
const bytesField = (field: number, value: Bytes): Bytes =>
  Uint8Array.from([...varint((field << 3) | 2), ...varint(value.length), ...value]);
const strField = (field: number, value: string): Bytes => bytesField(field, new TextEncoder().encode(value));

export interface TinyNode {
  op: string;
  inputs: string[];
  outputs: string[];
  ints?: Record<string, number[]>;
  int?: Record<string, number>;
}

/** A dimension: a fixed size or a symbolic name (e.g. the batch). */
export type Dim = number | string;

export interface TinyGraph {
  inputs: Record<string, Dim[]>;
  outputs: Record<string, Dim[]>;
  nodes: TinyNode[];
  opset?: number;
}

function attribute(name: string, value: number | number[]): Bytes {
  // AttributeProto: name=1, i=3, ints=8, type=20 (INT=2, INTS=7).
  return Array.isArray(value)
    ? concat([strField(1, name), ...value.map((v) => intField(8, v)), intField(20, 7)])
    : concat([strField(1, name), intField(3, value), intField(20, 2)]);
}

function node(n: TinyNode, index: number): Bytes {
  // NodeProto: input=1, output=2, name=3, op_type=4, attribute=5.
  const attrs = [
    ...Object.entries(n.int ?? {}).map(([k, v]) => attribute(k, v)),
    ...Object.entries(n.ints ?? {}).map(([k, v]) => attribute(k, v)),
  ];
  return concat([
    ...n.inputs.map((i) => strField(1, i)),
    ...n.outputs.map((o) => strField(2, o)),
    strField(3, `${n.op.toLowerCase()}_${index}`),
    strField(4, n.op),
    ...attrs.map((a) => bytesField(5, a)),
  ]);
}

function floatTensorValue(name: string, dims: Dim[]): Bytes {
  // ValueInfoProto{name=1, type=2} → TypeProto{tensor_type=1} → Tensor{elem_type=1 (FLOAT=1), shape=2}
  // → TensorShapeProto{dim=1} → Dimension{dim_value=1 | dim_param=2}.
  const shape = concat(
    dims.map((d) => bytesField(1, typeof d === "number" ? intField(1, d) : strField(2, d))),
  );
  const tensor = concat([intField(1, 1), bytesField(2, shape)]);
  return concat([strField(1, name), bytesField(2, bytesField(1, tensor))]);
}

/** The serialised ModelProto (IR version 7). */
export function tinyOnnxModel(g: TinyGraph): Bytes {
  const graph = concat([
    ...g.nodes.map((n, i) => bytesField(1, node(n, i))),
    strField(2, "tiny"),
    ...Object.entries(g.inputs).map(([k, d]) => bytesField(11, floatTensorValue(k, d))),
    ...Object.entries(g.outputs).map(([k, d]) => bytesField(12, floatTensorValue(k, d))),
  ]);
  // ModelProto: ir_version=1, producer_name=2, graph=7, opset_import=8 (OperatorSetIdProto version=2).
  return concat([
    intField(1, 7),
    strField(2, "seig-test"),
    bytesField(7, graph),
    bytesField(8, intField(2, g.opset ?? 13)),
  ]);
}
