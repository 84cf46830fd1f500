"""Train a small ReLU MLP on scikit-learn's digits and save what ``polytopo layers`` reads.

The data set ships inside scikit-learn (1797 8×8 images of the digits 0–9, grey levels
0–16, no download). The script trains ``64-32-32-32-10`` with full-batch Adam on
1200 images (inputs scaled by 1/16), seeded, on the CPU (a few seconds), then folds
the scaling into the first layer (dividing its weights by 16 is exact in binary
floating point), so the saved network reads the raw pixels. It writes four files into
``--out`` (default: this folder):

``digits_mlp.pt``       the PyTorch state dict (float32 weights; polytopo reads it
                        with ``weights_only=True`` and converts every weight exactly),
``digits_mlp.json``     the same network in polytopo's JSON format (exact rationals;
                        needs no torch to read),
``digits.npy``          the 1797 × 64 raw pixels (uint8, values 0–16),
``digits_labels.npy``   the 1797 labels (int64).

Then::

    polytopo layers examples/digits_mlp.json examples/digits.npy \\
        --labels examples/digits_labels.npy --json layers.json --plot layers.png

Needs ``torch`` and ``scikit-learn`` (the ``torch`` and ``examples`` extras).
"""

import argparse
import time
from pathlib import Path


def train(hidden=(32, 32, 32), epochs=400, seed=0, lr=0.01):
    """Train the MLP; return ``(model, pixels, labels, train_accuracy, test_accuracy)``."""
    import numpy as np
    import torch
    from sklearn.datasets import load_digits

    torch.manual_seed(seed)
    torch.set_num_threads(1)  # tiny matrices: threads only add contention
    digits = load_digits()
    X = (digits.data / 16.0).astype(np.float32)  # exact: grey levels are 0..16
    y = digits.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(X))
    n_train = 1200
    tr, te = order[:n_train], order[n_train:]
    widths = [X.shape[1], *hidden, 10]
    layers = []
    for a, b in zip(widths[:-1], widths[1:]):
        layers += [torch.nn.Linear(a, b), torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    xt, yt = torch.from_numpy(X[tr]), torch.from_numpy(y[tr])
    for _ in range(epochs):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(xt), yt)
        loss.backward()
        opt.step()
    with torch.no_grad():
        pred = model(torch.from_numpy(X)).argmax(1).numpy()
        model[0].weight /= 16  # read raw pixels: W (x/16) = (W/16) x, exactly
    pixels = digits.data.astype(np.uint8)
    return model, pixels, y, float((pred[tr] == y[tr]).mean()), float((pred[te] == y[te]).mean())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent),
                        help="folder for the four files (default: this folder)")
    parser.add_argument("--epochs", type=int, default=400)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--hidden", default="32,32,32", help="hidden widths, comma-separated")
    args = parser.parse_args(argv)

    import numpy as np
    import torch

    from polytopo.network import io
    from polytopo.network.model import Network

    start = time.perf_counter()
    hidden = tuple(int(w) for w in args.hidden.split(","))
    model, X, y, acc_train, acc_test = train(hidden, args.epochs, args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), out / "digits_mlp.pt")
    io.write_json(out / "digits_mlp.json", Network.from_torch(model.state_dict()).to_json())
    np.save(out / "digits.npy", X)
    np.save(out / "digits_labels.npy", y)
    print(f"trained 64-{'-'.join(map(str, hidden))}-10 in {time.perf_counter() - start:.1f} s: "
          f"train accuracy {acc_train:.3f}, test accuracy {acc_test:.3f}")
    print(f"wrote digits_mlp.pt, digits_mlp.json, digits.npy, digits_labels.npy to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
