// Weights for PyTorch: a safetensors file whose tensor names are the state
// dict of a module holding `rnn = torch.nn.RNN(m, d, nonlinearity=f)` and
// `readout = torch.nn.Linear(d, n)`, so `load_state_dict(strict=True)`
// takes it as it is. torch.nn.RNN computes h^t = f(W_ih x^t + b_ih +
// W_hh h^{t−1} + b_hh) with h^0 = 0: MATH.md's s^t = f(U x^t + W s^{t−1} + b)
// with W_ih = U, W_hh = W, b_ih = b and b_hh = 0; the readout is y^t = V s^t
// + c. A model without biases gets zero biases, so one module fits every
// export. torch.nn.RNN has tanh and relu only: other activations are refused.

import type { Dtype, MatrixName } from '../../common/contract';
import { TransferError } from './errors';
import type { NdArray } from './npy';
import type { WeightsMeta } from './tensors';

/** The module the tensor names fit, as the file's metadata states it (`m`, `d`, `n` filled in). */
export function torchModule(m: number, d: number, n: number, nonlinearity: string): string {
  return [
    'class Net(torch.nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    `        self.rnn = torch.nn.RNN(${m}, ${d}, nonlinearity='${nonlinearity}')  # input [T, batch, ${m}], h0 = 0`,
    `        self.readout = torch.nn.Linear(${d}, ${n})`,
    '    def forward(self, x):',
    '        s, _ = self.rnn(x)',
    '        return self.readout(s), s',
  ].join('\n');
}

/** The state dict (names rnn.weight_ih_l0 … readout.bias) and the metadata describing how to load it. */
export function torchStateDict(
  arrays: ReadonlyMap<MatrixName, NdArray>,
  meta: WeightsMeta,
  dtype: Dtype,
): { tensors: Map<string, NdArray>; metadata: Record<string, string> } {
  const activation = meta.config.model.activation;
  if (activation !== 'tanh' && activation !== 'relu')
    throw new TransferError(
      'unsupported',
      `the run's activation is ${activation}; torch.nn.RNN computes with tanh or relu only (export as onnx, safetensors or npz instead)`,
    );
  const get = (name: MatrixName) => arrays.get(name)!;
  const [d, m] = get('U').shape;
  const n = get('V').shape[0];
  const zeros = (size: number): NdArray => ({ shape: [size], data: new Float64Array(size), dtype });
  const tensors = new Map<string, NdArray>([
    ['rnn.weight_ih_l0', get('U')],
    ['rnn.weight_hh_l0', get('W')],
    ['rnn.bias_ih_l0', arrays.get('b') ?? zeros(d)],
    ['rnn.bias_hh_l0', zeros(d)],
    ['readout.weight', get('V')],
    ['readout.bias', arrays.get('c') ?? zeros(n)],
  ]);
  const metadata = {
    format: 'rnn-workbench-pytorch',
    module: torchModule(m, d, n, activation),
    load: 'net = Net().double(); net.load_state_dict({k: torch.from_numpy(v) for k, v in tensors.items()}, strict=True)',
    config: JSON.stringify(meta.config),
    step: String(meta.step),
    seed: String(meta.config.seed),
    dtype,
    engine_version: meta.engineVersion,
    app_version: meta.appVersion,
    run: meta.runName,
  };
  return { tensors, metadata };
}
