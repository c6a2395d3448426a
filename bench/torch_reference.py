#!/usr/bin/env python3
"""PyTorch baseline beside the NumPy one (numpy_reference.py,
whose model, initial weights, data bank, loss and command-line arguments it
shares): a vanilla RNN without biases trained by plain SGD, BPTT only
(PyTorch has no forward-mode RTRL), written the way a PyTorch user would:
torch.nn.RNN (tanh, bias=False) for the recurrence, autograd for the
gradient, float64 or (--dtype float32) float32, on the CPU with PyTorch's
own threads.

Prints one JSON line. Before timing it checks its gradient on a small case
against the NumPy reference's float64 BPTT and aborts if they differ by
1e-10 or more (1e-5 in float32).
Usage: torch_reference.py --numpy-reference PATH [--n --d --T --B --steps --dtype]
"""
import argparse, importlib.util, json, os, sys, time

import numpy as np
import torch


def load_numpy_reference(path):
    spec = importlib.util.spec_from_file_location("numpy_reference", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class Model:
    """U, W inside torch.nn.RNN (weight_ih, weight_hh); V as a plain tensor."""

    def __init__(self, U, W, V, dtype):
        d, n = U.shape
        self.rnn = torch.nn.RNN(n, d, nonlinearity="tanh", bias=False).to(dtype)
        with torch.no_grad():
            self.rnn.weight_ih_l0.copy_(torch.from_numpy(U))
            self.rnn.weight_hh_l0.copy_(torch.from_numpy(W))
        self.V = torch.from_numpy(V.copy()).to(dtype).requires_grad_(True)
        self.params = [self.rnn.weight_ih_l0, self.rnn.weight_hh_l0, self.V]

    def step(self, X, Y, lr):
        """X, Y: (T, B, n) tensors. One forward, backward and SGD update; returns the loss."""
        n, B = X.shape[2], X.shape[1]
        S, _ = self.rnn(X)                      # (T, B, d), s_0 = 0
        err = S @ self.V.T - Y
        E = (err * err).sum() / n / B
        for p in self.params:
            p.grad = None
        E.backward()
        with torch.no_grad():
            for p in self.params:
                p -= lr * p.grad
        return float(E)


def grad_check(ref, dtype):
    n, d, T = 3, 5, 7
    U, W, V = ref.xorshift_init(n, d)
    Xb, Yb = ref.data_bank(n, T)
    X, Y = np.stack([Xb[0], Xb[1]], axis=1), np.stack([Yb[0], Yb[1]], axis=1)
    E, *want = ref.bptt(U, W, V, X, Y)
    m = Model(U, W, V, dtype)
    got_E = m.step(torch.from_numpy(X).to(dtype), torch.from_numpy(Y).to(dtype), 0.0)
    got = [p.grad.double().numpy() for p in m.params]
    res = {"torch_vs_numpy_bptt": ref.relerr(got, want), "loss_diff": abs(got_E - E) / abs(E)}
    if not max(res.values()) < (1e-5 if dtype == torch.float32 else 1e-10):
        print(json.dumps({"error": "gradient check against the NumPy reference failed", **res}), file=sys.stderr)
        sys.exit(2)
    return res


def train(ref, n, d, T, B, steps, lr, Xb, Yb, dtype):
    m = Model(*ref.xorshift_init(n, d), dtype)
    Xb, Yb = torch.from_numpy(Xb).to(dtype), torch.from_numpy(Yb).to(dtype)
    first = E = None
    t0 = time.perf_counter()
    for step in range(steps):
        q = torch.from_numpy((step * B + np.arange(B)) % ref.NBANK)
        X = Xb[q].transpose(0, 1).contiguous()   # (T, B, n)
        Y = Yb[q].transpose(0, 1).contiguous()
        E = m.step(X, Y, lr)
        if first is None:
            first = E
    return time.perf_counter() - t0, first, E


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--numpy-reference", required=True)
    ap.add_argument("--method", choices=["bptt"], default="bptt")
    ap.add_argument("--n", type=int, default=4); ap.add_argument("--d", type=int, default=32)
    ap.add_argument("--T", type=int, default=50); ap.add_argument("--B", type=int, default=1)
    ap.add_argument("--steps", type=int, default=100); ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    a = ap.parse_args()
    dtype = getattr(torch, a.dtype)
    ref = load_numpy_reference(a.numpy_reference)
    chk = grad_check(ref, dtype)
    Xb, Yb = ref.data_bank(a.n, a.T)
    train(ref, a.n, a.d, a.T, a.B, max(1, a.steps // 10), a.lr, Xb, Yb, dtype)  # warm-up
    times = []
    for _ in range(a.reps):
        sec, first, final = train(ref, a.n, a.d, a.T, a.B, a.steps, a.lr, Xb, Yb, dtype)
        times.append(sec)
    best = min(times)
    print(json.dumps({
        "impl": "torch", "method": a.method, "n": a.n, "d": a.d, "T": a.T, "B": a.B,
        "steps": a.steps, "seconds": round(best, 4),
        "timesteps_per_sec": round(a.steps * a.T * a.B / best, 1),
        "final_loss": final, "first_loss": first, "dtype": a.dtype,
        "seconds_all_reps": [round(x, 4) for x in times],
        "torch": torch.__version__, "threads": torch.get_num_threads(), "python": sys.executable,
        "grad_check": {k: float("%.3g" % v) for k, v in chk.items()},
        "loadavg_end": os.getloadavg()[0]}))


if __name__ == "__main__":
    main()
