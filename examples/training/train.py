"""Train tiny ReLU networks on two toy 2-D tasks and write checkpoints for ``polytopo track``.

    python examples/training/train.py                  # writes examples/training/{classification,regression}/
    polytopo track --loss examples/training/classification/losses.csv --plot classification.png

Numpy only, seeded: the same command writes the same files. Tasks on [-1, 1]^2:

- classification: label 1 inside the disc |x| < 0.6, 0 outside (logistic loss); a
  trained network's {f >= 0} is one disc-like blob, so {f <= 0} gets a hole (beta_1 = 1);
- regression: y = sin(pi x1) sin(pi x2) + 1/4 (mean squared error); the target is
  negative on two blobs inside the square, so a good fit has {f >= 0} with beta_1 = 2
  and {f <= 0} with beta_0 = 2.

Each checkpoint stores the weights rounded to multiples of ``1/--denominator`` (4096:
exact in float64 too, so JSON and ``--format pt`` files hold the same network), and
``losses.csv`` records the loss *of the rounded network* on the training data, so the
loss and the exact analysis describe the same function.
"""

import argparse
import csv
import io
import sys
from pathlib import Path

import numpy as np

try:
    from polytopo.network.io import write_json, write_text
    from polytopo.network.model import Network
except ImportError:  # pragma: no cover - run from a source checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from polytopo.network.io import write_json, write_text
    from polytopo.network.model import Network

TASKS = ("classification", "regression")
SCHEDULE = (0, 10, 25, 50, 100, 200, 400, 700, 1000, 1500, 2000, 3000, 5000)


def make_data(task, n, rng):
    """``n`` points uniform in [-1, 1]^2 and their targets."""
    X = rng.uniform(-1.0, 1.0, size=(n, 2))
    if task == "classification":
        y = (np.sum(X * X, axis=1) < 0.36).astype(float)
    else:
        y = np.sin(np.pi * X[:, 0]) * np.sin(np.pi * X[:, 1]) + 0.25
    return X, y


def init(widths, rng):
    """He-initialised weights ``W[l]`` (out × in) and zero biases."""
    ws, bs = [], []
    for n_in, n_out in zip(widths[:-1], widths[1:]):
        ws.append(rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_out, n_in)))
        bs.append(rng.normal(0.0, 0.1, size=n_out))
    return ws, bs


def forward(ws, bs, X):
    """Pre-activations and activations of every layer; the last layer is affine."""
    acts, pres = [X], []
    for i, (W, b) in enumerate(zip(ws, bs)):
        z = acts[-1] @ W.T + b
        pres.append(z)
        acts.append(z if i == len(ws) - 1 else np.maximum(z, 0.0))
    return pres, acts


def loss_and_grad(task, ws, bs, X, y):
    """The loss and, by back-propagation, its gradient."""
    pres, acts = forward(ws, bs, X)
    f = acts[-1][:, 0]
    n = len(y)
    if task == "classification":   # logistic loss of the logit f against y in {0, 1}
        loss = float(np.mean(np.logaddexp(0.0, f) - y * f))
        delta = (1.0 / (1.0 + np.exp(-f)) - y) / n
    else:
        loss = float(np.mean((f - y) ** 2))
        delta = 2.0 * (f - y) / n
    delta = delta[:, None]
    gws, gbs = [None] * len(ws), [None] * len(ws)
    for i in range(len(ws) - 1, -1, -1):
        gws[i] = delta.T @ acts[i]
        gbs[i] = delta.sum(axis=0)
        if i:
            delta = (delta @ ws[i]) * (pres[i - 1] > 0)
    return loss, gws, gbs


def rounded(ws, bs, denominator):
    """Weights rounded to multiples of ``1/denominator``: the exact network and its floats.

    With a power-of-two denominator the rounded floats are exactly ``k/denominator``, so the
    JSON file, a PyTorch state dict and the loss below all describe the same function.
    """
    fw = [np.round(W * denominator) / denominator for W in ws]
    fb = [np.round(b * denominator) / denominator for b in bs]
    return Network.from_numpy(fw, fb), fw, fb


def save_checkpoint(net, path, fmt):
    if fmt == "json":
        write_json(path, net.to_json())
        return
    import torch  # only for --format pt

    state = {}
    for i, (W, b) in enumerate(zip(net.weights, net.biases)):
        state[f"{2 * i}.weight"] = torch.tensor([[float(x) for x in r] for r in W],
                                                dtype=torch.float64)
        state[f"{2 * i}.bias"] = torch.tensor([float(x) for x in b], dtype=torch.float64)
    buf = io.BytesIO()
    torch.save(state, buf)
    from polytopo.network.io import write_bytes_atomic

    write_bytes_atomic(path, buf.getvalue())


def train(task, out, *, steps=2000, seed=0, widths=(2, 10, 10, 1), n_points=512, lr=0.01,
          denominator=4096, fmt="json", log=print):
    """Train one network with Adam (full batch, step size ``lr``, then x0.3 from half-way
    and x0.1 from three quarters of the steps); write checkpoints and ``losses.csv``."""
    rng = np.random.default_rng(seed)
    X, y = make_data(task, n_points, rng)
    ws, bs = init(list(widths), rng)
    params = ws + bs
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    marks = sorted({s for s in SCHEDULE if s <= steps} | {steps})
    rows = []
    for step in range(steps + 1):
        if step in marks:
            net, fw, fb = rounded(ws, bs, denominator)
            loss, _, _ = loss_and_grad(task, fw, fb, X, y)
            name = f"ckpt_{step:05d}.{fmt}"
            save_checkpoint(net, out / name, fmt)
            row = {"checkpoint": name, "step": step, "loss": f"{loss:.6g}"}
            if task == "classification":
                f = forward(fw, fb, X)[1][-1][:, 0]
                row["accuracy"] = f"{float(np.mean((f > 0) == (y > 0.5))):.4f}"
            rows.append(row)
            log(f"{task}: step {step:5d}  loss {loss:.4f}")
        if step == steps:
            break
        _, gws, gbs = loss_and_grad(task, ws, bs, X, y)
        grads = gws + gbs
        t = step + 1
        rate = lr * (0.1 if step >= 0.75 * steps else 0.3 if step >= 0.5 * steps else 1.0)
        for p, g, mi, vi in zip(params, grads, m, v):
            mi *= beta1
            mi += (1 - beta1) * g
            vi *= beta2
            vi += (1 - beta2) * g * g
            p -= rate * (mi / (1 - beta1 ** t)) / (np.sqrt(vi / (1 - beta2 ** t)) + eps)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_text(out / "losses.csv", buf.getvalue())
    return rows


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=str(Path(__file__).resolve().parent),
                   help="folder for the task folders (default: next to this script)")
    p.add_argument("--task", choices=TASKS + ("both",), default="both")
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--widths", default="2,10,10,1", help="architecture (default 2,10,10,1)")
    p.add_argument("--denominator", type=int, default=4096,
                   help="round saved weights to multiples of 1/DENOMINATOR (default 4096)")
    p.add_argument("--format", choices=["json", "pt"], default="json",
                   help="checkpoint files: polytopo JSON (default) or PyTorch state dicts")
    args = p.parse_args(argv)
    widths = tuple(int(w) for w in args.widths.split(","))
    if widths[0] != 2 or widths[-1] != 1:
        p.error("the toy tasks need 2 inputs and 1 output")
    for task in TASKS if args.task == "both" else (args.task,):
        train(task, Path(args.out) / task, steps=args.steps, seed=args.seed, widths=widths,
              denominator=args.denominator, fmt=args.format)
    return 0


if __name__ == "__main__":
    sys.exit(main())
