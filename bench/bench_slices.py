"""Slices through data: the bundled digits classifier and a 784-input MLP on planes
through three images, through the full ``analyze`` (classes included).

    python bench/bench_slices.py            # about a minute on 2 cores

Prints, for each case, the regions, the pieces of the class refinement, and the seconds
of ``analyze`` on the slice, next to the seconds of the same analysis of the
low-dimensional network composed by hand (``W U``, ``W p0 + b``): a slice must cost
what its composed network costs (the ratio should be about 1).
"""

import os
import sys
import time
from fractions import Fraction

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from polytopo.analysis.summary import analyze  # noqa: E402
from polytopo.network import io  # noqa: E402
from polytopo.network.model import Network  # noqa: E402
from polytopo.network.slice import Slice  # noqa: E402

EXAMPLES = os.path.join(os.path.dirname(HERE), "examples")


def by_hand(net, s):
    """The first layer composed with the slice in numpy object arithmetic (independent of
    :meth:`Slice.compose`)."""
    W = np.array(net.weights[0], dtype=object)
    U = np.array(s.directions, dtype=object).T
    p0 = np.array(s.origin, dtype=object)
    b = np.array(net.biases[0], dtype=object) + W.dot(p0)
    layers = [(W.dot(U).tolist(), b.tolist())] + list(zip(net.weights[1:], net.biases[1:]))
    return Network.from_lists(layers, units=net.units)


def run(name, net, points, margin=0):
    t = time.perf_counter()
    s = Slice.through(points, margin)
    g = s.compose(net)
    t_compose = time.perf_counter() - t
    t = time.perf_counter()
    rep = analyze(g, s.polytope)
    t_slice = time.perf_counter() - t
    hand = by_hand(net, s)
    t = time.perf_counter()
    rep2 = analyze(hand, s.polytope)
    t_hand = time.perf_counter() - t
    assert rep["f_vector"] == rep2["f_vector"] and rep.get("classes") == rep2.get("classes")
    print(f"{name:<44}{rep['n_regions']:>8}{rep.get('class_pieces', 0):>8}{t_compose:>9.3f}"
          f"{t_slice:>9.2f}{t_hand:>9.2f}{t_slice / t_hand:>7.2f}", flush=True)


def mnist_like(seed=0):
    """A 784-32-32-10 MLP trained (seeded, seconds) on the digits upscaled to 28 x 28
    (no download: the 8 x 8 digits, each pixel a 3 x 3 block, padded by 2); random
    weights when torch is absent."""
    X = np.load(os.path.join(EXAMPLES, "digits.npy")).astype(np.float64)
    y = np.load(os.path.join(EXAMPLES, "digits_labels.npy"))
    big = np.pad(np.kron(X.reshape(-1, 8, 8), np.ones((3, 3))), ((0, 0), (2, 2), (2, 2)))
    big = big.reshape(len(X), 784)
    try:
        import torch
    except ImportError:
        rng = np.random.default_rng(seed)
        ws = [rng.integers(-3, 4, (32, 784)) / 64, rng.integers(-3, 4, (32, 32)) / 8,
              rng.integers(-3, 4, (10, 32)) / 8]
        return Network.from_numpy(ws, [np.zeros(32), np.zeros(32), np.zeros(10)]), big, y, \
            "random"
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    model = torch.nn.Sequential(torch.nn.Linear(784, 32), torch.nn.ReLU(),
                                torch.nn.Linear(32, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10))
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    xt = torch.tensor(big / 16, dtype=torch.float32)
    yt = torch.tensor(y)
    for _ in range(150):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(xt), yt).backward()
        opt.step()
    with torch.no_grad():
        model[0].weight /= 16
    return Network.from_torch(model), big, y, "trained"


def main():
    print(f"{'case':<44}{'regions':>8}{'pieces':>8}{'slice':>9}{'analyze':>9}{'hand':>9}"
          f"{'ratio':>7}")
    print(f"{'':<60}{'(seconds: composing, analyze on the slice, on the hand-composed net)'}")
    net = io.load_network(os.path.join(EXAMPLES, "digits_mlp.json"))
    X = np.load(os.path.join(EXAMPLES, "digits.npy"))
    y = np.load(os.path.join(EXAMPLES, "digits_labels.npy"))
    three = [[int(v) for v in X[int(np.flatnonzero(y == c)[0])]] for c in (0, 1, 7)]
    run("(warm-up)", net, three)
    run("digits 64-32-32-32-10, triangle 0/1/7", net, three)
    for m in (Fraction(1, 2), Fraction(4), Fraction(12)):
        run(f"digits 64-32-32-32-10, window margin {m}", net, three, m)
    mnist, big, yb, how = mnist_like()
    three = [[int(v) for v in big[int(np.flatnonzero(yb == c)[0])]] for c in (0, 1, 7)]
    run(f"784-32-32-10 ({how}), triangle 0/1/7", mnist, three)
    for m in (1, 6):
        run(f"784-32-32-10 ({how}), window margin {m}", mnist, three, m)
    batch_patterns()


def batch_patterns(n=20000, sample=500):
    """Network.patterns on a batch of points against Network.pattern point by point."""
    import time

    from polytopo.network import units as U
    from polytopo.network.model import Network

    rng = np.random.default_rng(0)
    layers = [(rng.integers(-5, 6, (16, 2)).tolist(), rng.integers(-5, 6, 16).tolist()),
              (rng.integers(-5, 6, (16, 16)).tolist(), rng.integers(-5, 6, 16).tolist())]
    print(f"\n{'batched patterns of points':<44}{'points':>8}{'batch s':>9}{'one by one s':>14}"
          f"{'ratio':>7}")
    for kind, X in (("integer", rng.integers(-1000, 1001, (n, 2))),
                    ("float", rng.integers(-1000, 1001, (n, 2)) / 1000)):
        for name, units in (("relu", None), ("leaky + maxout", [U.leaky_relu(Fraction(1, 10)),
                                                                 [U.Max(2)] * 8])):
            m = 16 if units is None else 8
            net = Network.from_lists(layers + [(rng.integers(-5, 6, (2, m)).tolist(), [0, 0])],
                                     units=units)
            t = time.perf_counter()
            net.patterns(X)
            batch = time.perf_counter() - t
            t = time.perf_counter()
            for x in X[:sample].tolist():
                net.pattern(x)
            single = (time.perf_counter() - t) * n / sample
            print(f"{name + ', ' + kind + ' points':<44}{n:>8}{batch:>9.3f}{single:>14.3f}"
                  f"{single / batch:>6.1f}x", flush=True)


if __name__ == "__main__":
    main()
