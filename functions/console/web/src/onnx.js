// A summary of an ONNX model read in the browser: the protobuf fields of ModelProto the page shows (producer, IR
// version, opsets, the graph's inputs and outputs with their types and shapes), skipping everything else (weights)
// by its length. ONNX's schema: https://github.com/onnx/onnx/blob/main/onnx/onnx.proto

const ELEMENT_TYPES = ['UNDEFINED', 'FLOAT', 'UINT8', 'INT8', 'UINT16', 'INT16', 'INT32', 'INT64', 'STRING', 'BOOL',
  'FLOAT16', 'DOUBLE', 'UINT32', 'UINT64', 'COMPLEX64', 'COMPLEX128', 'BFLOAT16'];

/** The fields of one protobuf message: [[field number, wire type, value (a number, or the bytes)], ...]. */
function fields(bytes) {
  const out = [];
  let at = 0;
  const varint = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      if (at >= bytes.length) {
        throw new Error('truncated ONNX file');
      }
      const b = bytes[at++];
      value += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) {
        return value;
      }
    }
  };
  while (at < bytes.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) {
      out.push([field, wire, varint()]);
    } else if (wire === 2) {
      const length = varint();
      out.push([field, wire, bytes.subarray(at, at + length)]);
      at += length;
    } else if (wire === 1) {
      at += 8;
    } else if (wire === 5) {
      at += 4;
    } else {
      throw new Error('not an ONNX model (protobuf wire type ' + wire + ')');
    }
  }
  return out;
}

const text = bytes => new TextDecoder().decode(bytes);
const first = (message, number) => message.find(([field]) => field === number);

/** A ValueInfoProto: name, element type and shape (a dimension's number or its symbolic name). */
function valueInfo(bytes) {
  const message = fields(bytes);
  const name = first(message, 1);
  const type = first(message, 2);
  let elementType = '';
  let shape = [];
  const tensor = type ? first(fields(type[2]), 1) : undefined;
  if (tensor) {
    const tensorFields = fields(tensor[2]);
    const elem = first(tensorFields, 1);
    elementType = elem ? ELEMENT_TYPES[elem[2]] || String(elem[2]) : '';
    const shapeField = first(tensorFields, 2);
    if (shapeField) {
      shape = fields(shapeField[2]).filter(([field]) => field === 1).map(([, , dim]) => {
        const dimension = fields(dim);
        const value = first(dimension, 1);
        const param = first(dimension, 2);
        return value ? value[2] : param ? text(param[2]) : '?';
      });
    }
  } else if (type) {
    elementType = 'non-tensor';
  }
  return {name: name ? text(name[2]) : '', elementType, shape};
}

/** The summary of the ONNX model in bytes (a Uint8Array). */
export function onnxSummary(bytes) {
  const model = fields(bytes);
  const graphField = first(model, 7);
  if (!graphField) {
    throw new Error('not an ONNX model: no graph');
  }
  const graph = fields(graphField[2]);
  const initializers = new Set(graph.filter(([field]) => field === 5).map(([, , init]) => {
    const name = first(fields(init), 8);
    return name ? text(name[2]) : '';
  }));
  const producer = first(model, 2);
  const producerVersion = first(model, 3);
  const ir = first(model, 1);
  return {
    producer: [producer ? text(producer[2]) : '', producerVersion ? text(producerVersion[2]) : ''].join(' ').trim(),
    irVersion: ir ? ir[2] : '',
    opsets: model.filter(([field]) => field === 8).map(([, , opset]) => {
      const set = fields(opset);
      const domain = first(set, 1);
      const version = first(set, 2);
      return `${domain && domain[2].length ? text(domain[2]) : 'ai.onnx'} ${version ? version[2] : '?'}`;
    }),
    nodes: graph.filter(([field]) => field === 1).length,
    inputs: graph.filter(([field]) => field === 11).map(([, , info]) => valueInfo(info))
      .filter(input => !initializers.has(input.name)),
    outputs: graph.filter(([field]) => field === 12).map(([, , info]) => valueInfo(info)),
  };
}
