"""Train a small 1-D CNN on three features of scikit-learn's digits and analyse it exactly.

Each 8×8 digit image becomes a signal of three samples: the mean grey level of its left
(columns 0–2), middle (3–4) and right (5–7) columns, scaled to ``[0, 1]``. A ``1`` has its
ink in the middle, a ``0`` at the sides. The network

    Conv1d(1, 4, kernel 2) → BatchNorm1d(4) → LeakyReLU(1/8) → MaxPool1d(2) → Flatten → Linear(4, 1)

is trained (seeded, CPU, a second) to tell 0 from 1 (logit > 0 means "1"). The script then
reads the trained module into polytopo twice — traced from the ``nn.Module`` with
``torch.export`` and from the ONNX file it writes — checks that both give the same exact
function at a few rational points, and prints the report of ``polytopo analyze`` on the
box ``[0, 1]^3``: the activation regions, the f-vector of the canonical complex, and the
homology of the set classified as "1" (``{f ≥ 0}``).

It writes into ``--out`` (default: this folder):

``digits_cnn.onnx``   the trained model (ONNX),
``digits_cnn.json``   the same network in polytopo's exact JSON (needs neither torch nor onnx).

Then, without torch::

    polytopo analyze examples/digits_cnn.json --box 0 1

Needs ``torch``, ``onnx`` and ``scikit-learn`` (the ``torch``, ``onnx`` and ``examples``
extras). The LeakyReLU slope 1/8 is a binary fraction, so float32 stores it exactly;
BatchNorm's ``1/sqrt(var + eps)`` is computed in floating point and then taken exactly
(the report says so).
"""

import argparse
import io as _io
import time
import warnings
from fractions import Fraction
from pathlib import Path


def features(images):
    """The three column-band means of 8×8 images (rows of 64 grey levels 0–16), in [0, 1]."""
    import numpy as np

    x = np.asarray(images, dtype=np.float64).reshape(-1, 8, 8) / 16.0
    return np.stack([x[:, :, 0:3].mean(axis=(1, 2)), x[:, :, 3:5].mean(axis=(1, 2)),
                     x[:, :, 5:8].mean(axis=(1, 2))], axis=1)


def model_and_data(seed=0, epochs=300, lr=0.05):
    """Train the CNN; return ``(model, X, y, train_accuracy, test_accuracy)``."""
    import numpy as np
    import torch
    from sklearn.datasets import load_digits

    torch.manual_seed(seed)
    torch.set_num_threads(1)
    digits = load_digits()
    keep = digits.target < 2
    X = features(digits.data[keep]).astype(np.float32)
    y = digits.target[keep].astype(np.float32)
    order = np.random.default_rng(seed).permutation(len(X))
    n_train = len(X) * 2 // 3
    tr, te = order[:n_train], order[n_train:]
    model = torch.nn.Sequential(
        torch.nn.Conv1d(1, 4, 2), torch.nn.BatchNorm1d(4), torch.nn.LeakyReLU(0.125),
        torch.nn.MaxPool1d(2), torch.nn.Flatten(), torch.nn.Linear(4, 1))
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    xt = torch.from_numpy(X[tr]).reshape(-1, 1, 3)
    yt = torch.from_numpy(y[tr]).reshape(-1, 1)
    for _ in range(epochs):
        opt.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(model(xt), yt)
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        pred = (model(torch.from_numpy(X).reshape(-1, 1, 3)) > 0).float().reshape(-1).numpy()
    return model, X, y, float((pred[tr] == y[tr]).mean()), float((pred[te] == y[te]).mean())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent),
                        help="folder for the two files (default: this folder)")
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    import torch

    import polytopo as pt
    from polytopo.analysis.summary import summary
    from polytopo.network import io
    from polytopo.network.model import Network

    start = time.perf_counter()
    model, X, y, acc_train, acc_test = model_and_data(args.seed, args.epochs)
    print(f"trained in {time.perf_counter() - start:.1f} s: train accuracy {acc_train:.3f}, "
          f"test accuracy {acc_test:.3f}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    traced = Network.from_torch(model, torch.zeros(1, 1, 3))
    buf = _io.BytesIO()
    with warnings.catch_warnings():   # the TorchScript exporter is deprecated; it needs no
        warnings.simplefilter("ignore")   # onnxscript, and reads this model exactly
        torch.onnx.export(model, (torch.zeros(1, 1, 3),), buf, dynamo=False,
                          input_names=["x"], output_names=["logit"])
    (out / "digits_cnn.onnx").write_bytes(buf.getvalue())
    from_onnx = io.load_network(out / "digits_cnn.onnx")
    points = [[Fraction(i, 4), Fraction(j, 3), Fraction(k, 5)]
              for i in range(5) for j in range(4) for k in range(6)]
    worst = max(abs(traced.forward(p)[0] - from_onnx.forward(p)[0]) for p in points)
    with torch.no_grad():
        t = model.double()(torch.tensor([[float(c) for c in p] for p in points],
                                        dtype=torch.float64).reshape(-1, 1, 3)).reshape(-1)
    gap = max(abs(float(traced.forward(p)[0]) - float(v)) for p, v in zip(points, t))
    print(f"traced module and ONNX file: largest difference {float(worst):.3g} at "
          f"{len(points)} rational points (the ONNX exporter folds BatchNorm in float32); "
          f"traced vs torch float64: {gap:.3g}")
    io.write_json(out / "digits_cnn.json", traced.to_json())
    print(f"wrote digits_cnn.onnx and digits_cnn.json to {out}\n")
    print(summary(pt.analyze(traced, box=(0, 1)), source="the traced module on [0, 1]^3"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
