/**
 * Small builders over the compiled ONNX protobuf definitions (onnx-proto): tensors, attributes,
 * nodes and a model. The exporters in this folder compose them into graphs; nothing here knows
 * about any particular model.
 */
import { onnx } from 'onnx-proto';

export const DataType = onnx.TensorProto.DataType;
const AttrType = onnx.AttributeProto.AttributeType;

export type Dim = number | string;

export function doubleTensor(name: string, dims: number[], values: ArrayLike<number>): onnx.ITensorProto {
  return { name, dims, dataType: DataType.DOUBLE, doubleData: Array.from(values) };
}

export function floatTensor(name: string, dims: number[], values: ArrayLike<number>): onnx.ITensorProto {
  return { name, dims, dataType: DataType.FLOAT, floatData: Array.from(values) };
}

export function int64Tensor(name: string, dims: number[], values: ArrayLike<number>): onnx.ITensorProto {
  return { name, dims, dataType: DataType.INT64, int64Data: Array.from(values) };
}

type AttrValue = number | string | number[] | string[] | onnx.ITensorProto | { floats: number[] } | { ints: number[] };

/** Numbers are ints unless wrapped: use { floats: [...] } / floatAttr for float attributes. */
export function attr(name: string, value: AttrValue): onnx.IAttributeProto {
  if (typeof value === 'string') return { name, type: AttrType.STRING, s: Buffer.from(value, 'utf8') };
  if (typeof value === 'number') return { name, type: AttrType.INT, i: value };
  if (Array.isArray(value)) {
    if (value.length > 0 && typeof value[0] === 'string') {
      return { name, type: AttrType.STRINGS, strings: (value as string[]).map((s) => Buffer.from(s, 'utf8')) };
    }
    return { name, type: AttrType.INTS, ints: value as number[] };
  }
  if ('floats' in value) return { name, type: AttrType.FLOATS, floats: value.floats };
  if ('ints' in value) return { name, type: AttrType.INTS, ints: value.ints };
  return { name, type: AttrType.TENSOR, t: value };
}

export function floatAttr(name: string, value: number): onnx.IAttributeProto {
  return { name, type: AttrType.FLOAT, f: value };
}

export function node(
  opType: string,
  inputs: string[],
  outputs: string[],
  attributes: onnx.IAttributeProto[] = [],
  domain = '',
): onnx.INodeProto {
  return { opType, input: inputs, output: outputs, attribute: attributes, domain, name: `${opType}_${outputs[0]}` };
}

export function valueInfo(name: string, elemType: number, shape: Dim[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

export interface ModelSpec {
  graphName: string;
  nodes: onnx.INodeProto[];
  inputs: onnx.IValueInfoProto[];
  outputs: onnx.IValueInfoProto[];
  initializers?: onnx.ITensorProto[];
  /** Operator sets by domain: '' (ai.onnx) and 'ai.onnx.ml'. */
  opsets: Record<string, number>;
  /** Stored in the model's metadata_props (feature names, type id, ...). */
  metadata?: Record<string, string>;
  docString?: string;
}

/** Serialises a model; IR version 8 is what onnxruntime 1.x reads for these opsets. */
export function encodeModel(spec: ModelSpec): Buffer {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'quantsentinel',
    producerVersion: '1',
    docString: spec.docString ?? '',
    opsetImport: Object.entries(spec.opsets).map(([domain, version]) => ({ domain, version })),
    metadataProps: Object.entries(spec.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: spec.graphName,
      node: spec.nodes,
      input: spec.inputs,
      output: spec.outputs,
      initializer: spec.initializers ?? [],
    },
  });
  return Buffer.from(onnx.ModelProto.encode(model).finish());
}

export function decodeModel(bytes: Uint8Array): onnx.ModelProto {
  return onnx.ModelProto.decode(bytes);
}
