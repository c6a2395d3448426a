// Importing the ONNX files the app exports: every activation, with and
// without biases, in both dtypes, comes back as a run whose step-0 weights
// are bit-identical to the exported snapshot (float32: to its rounding),
// under the config the file carries. Other graphs, and ours cut or edited,
// are refused with what was expected; nothing is written to the database.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportFile, RunRecord } from '../../../common/contract';
import { ACTIVATIONS } from '../../../common/values';
import { TransferError } from '../../../main/transfer/errors';
import { decodeOnnx, ONNX_EXPECTED } from '../../../main/transfer/onnx-read';
import { graph, model, node, valueInfo, ELEM } from '../../../main/transfer/onnx-proto';
import { bench, fingerprint, smallConfig, trainedRun, weightBits, type Bench } from './fixtures';

let wb: Bench;
beforeAll(() => {
  wb = bench();
});
afterAll(() => wb.dispose());

const exportOnnx = async (run: RunRecord, dtype: 'float64' | 'float32') =>
  (await wb.call('export:weights', { id: run.id, step: null, format: 'onnx', dtype })) as ExportFile;

async function refused(data: Uint8Array, fileName = 'model.onnx'): Promise<{ code: string; message: string }> {
  const before = fingerprint(wb);
  const e = await wb.fail('import:weights', { fileName, data, config: null, name: null, start: false });
  expect(fingerprint(wb)).toEqual(before);
  return e;
}

describe('ONNX import', () => {
  for (const activation of ACTIVATIONS) {
    for (const biases of [false, true]) {
      for (const dtype of ['float64', 'float32'] as const) {
        it(`${activation}, ${biases ? 'with' : 'without'} biases, ${dtype}: export → import gives the same weights, bit for bit`, async () => {
          const config = smallConfig({ model: { hidden: 4, activation, hiddenBias: biases, outputBias: biases } });
          const run = trainedRun(wb, config);
          const file = await exportOnnx(run, dtype);
          const imported = (await wb.call('import:weights', {
            fileName: file.fileName,
            data: file.data,
            config: null,
            name: null,
            start: false,
          })) as RunRecord;
          expect(imported.config).toEqual(run.config);
          expect(imported.name).toBe(`${file.fileName.replace(/\.onnx$/, '')} (imported)`);
          const start = wb.store.latestCheckpoint(imported.id)!;
          expect(start.step).toBe(0);
          expect(Object.keys(start.weights).sort()).toEqual(biases ? ['U', 'V', 'W', 'b', 'c'] : ['U', 'V', 'W']);
          expect(weightBits(start)).toEqual(weightBits(wb.store.latestCheckpoint(run.id)!, dtype === 'float32'));
          const decoded = decodeOnnx(file.data, 'm');
          expect([decoded.activation, decoded.dtype]).toEqual([activation, dtype]);
        });
      }
    }
  }

  it('refuses another producer’s graph, saying what it expected', async () => {
    const other = model({
      opset: 17,
      producer: 'pytorch',
      producerVersion: '1.13.1',
      graph: graph({
        name: 'torch_jit',
        nodes: [node('Relu', ['x'], ['y'])],
        inputs: [valueInfo('x', ELEM.float, [3])],
        outputs: [valueInfo('y', ELEM.float, [3])],
      }),
      doc: '',
      metadata: {},
    });
    const e = await refused(other);
    expect(e).toEqual({ code: 'unsupported', message: `model.onnx: made by "pytorch"; this app imports ${ONNX_EXPECTED}` });
  });

  it('refuses an edited graph, naming the first node that differs', async () => {
    const run = trainedRun(wb, smallConfig());
    const file = await exportOnnx(run, 'float64');
    const name = Buffer.from(file.data).indexOf('Transpose_Ut'); // the node's name, then its op_type
    const edit = (at: number) => {
      const edited = Buffer.from(file.data);
      edited.write('Transposf', at); // same length: still well-formed protobuf
      return new Uint8Array(edited);
    };
    const op = await refused(edit(Buffer.from(file.data).indexOf('Transpose', name + 1)));
    expect(op.code).toBe('unsupported');
    expect(op.message).toMatch(
      /^model\.onnx: graph node 0 is Transposf\(U\) → Ut where the exporter writes Transpose\(U\) → Ut; this app imports/,
    );
    expect((await refused(edit(name))).message).toMatch(
      /^model\.onnx: graph node 0, Transpose\(U\) → Ut, differs from the exporter's in its name or attributes; this app imports/,
    );
  });

  it('refuses a model whose metadata and config disagree on the activation', async () => {
    const run = trainedRun(wb, smallConfig());
    const file = Buffer.from((await exportOnnx(run, 'float64')).data);
    file.write('relu', file.lastIndexOf('activation') + 'activation'.length + 2); // the metadata value "tanh" → "relu"
    const e = await refused(new Uint8Array(file));
    expect(e).toEqual({ code: 'bad-file', message: "model.onnx: the metadata's activation is relu but its config says tanh" });
  });

  it('every cut of an export is refused as a bad file, never read past its end', async () => {
    const run = trainedRun(wb, smallConfig({ model: { hidden: 2 } }));
    const data = (await exportOnnx(run, 'float32')).data;
    const codes = new Set<string>();
    for (let cut = 2; cut < data.length; cut++) {
      try {
        decodeOnnx(data.subarray(0, cut), 'm');
        throw new Error(`a cut at ${cut} of ${data.length} bytes was accepted`);
      } catch (e) {
        if (!(e instanceof TransferError)) throw e;
        codes.add(e.code);
      }
    }
    expect([...codes].sort()).toEqual(['bad-file', 'unsupported']);
  });
});
