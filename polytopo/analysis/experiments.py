"""Experiments on low-rank regions: random networks by width and mean weight, Dale networks.

Claims tested (exactly, on seeded networks anyone can regenerate):

- narrow random networks have low-rank regions, wide ones rarely do;
- shifting the mean of the weight distribution below zero kills neurons and enlarges the
  low-rank set;
- networks obeying Dale's principle (every neuron's outgoing weights share one sign) keep a
  large low-rank set however wide they are.
"""

__all__ = ["random_network", "dale_network", "low_rank_experiment", "dale_experiment",
           "table_csv"]

import random
from fractions import Fraction

from ..network.model import Network
from ..geometry.polytope import Polytope
from ..regions.traversal import regions as enumerate_regions
from ..runtime.checks import check_positive_int
from .rank import rank_summary


def random_network(input_dim, widths, *, mean=0.0, std=1.0, seed=0, denominator=16):
    """A seeded random ReLU network with weights ``N(mean, std²)`` rounded to ``k/denominator``.

    Biases are drawn from ``N(0, std²)`` and rounded the same way; the output layer has one
    neuron. The rounding makes the network exactly rational and reproducible.

    Examples
    --------
    >>> random_network(2, [3], seed=1).architecture
    (2, 3, 1)
    """
    rng = random.Random(seed)
    layers, prev = [], input_dim
    for w in list(widths) + [1]:
        W = [[Fraction(round(rng.gauss(mean, std) * denominator), denominator)
              for _ in range(prev)] for _ in range(w)]
        b = [Fraction(round(rng.gauss(0.0, std) * denominator), denominator) for _ in range(w)]
        layers.append((W, b))
        prev = w
    return Network.from_lists(layers)


def dale_network(input_dim, width, depth=2):
    """An explicit wide network obeying Dale's principle, with a large low-rank set.

    Every input and every hidden neuron has outgoing weights of one sign (all positive):
    layer 1 neuron ``i`` is ``relu(x_1 + Σ_{k≥2} (i/width)^{k-1} x_k)`` (bias 0), deeper
    layers mix the previous one through the Hilbert matrix ``1/(i+j+1)`` (positive and
    invertible, so the rank is not forced down by the mixing) with bias ``-1/8``.
    On the closed negative orthant every layer-1 neuron is dead, so the rank is 0 there: the
    low-rank set contains ``[-1, 0]^d``, a ``2^{-d}`` fraction of ``[-1, 1]^d``, for every width.

    Examples
    --------
    >>> net = dale_network(2, 5)
    >>> all(w >= 0 for W in net.weights for row in W for w in row)
    True
    """
    layers = []
    W1 = [[Fraction(i, width) ** k for k in range(input_dim)] for i in range(1, width + 1)]
    layers.append((W1, [0] * width))
    for _ in range(depth - 1):
        W = [[Fraction(1, i + j + 1) for i in range(width)] for j in range(width)]
        layers.append((W, [Fraction(-1, 8)] * width))
    layers.append(([[1] * width], [0]))
    return Network.from_lists(layers)


def _rank_summary(network, domain, max_regions):
    """:func:`rank_summary` of the last hidden layer, stopping past ``max_regions``."""
    found = enumerate_regions(network, domain, layer=len(network.widths) or None,
                              max_regions=max_regions)
    return rank_summary(network, domain, regions=found)


def low_rank_experiment(*, input_dims=(2,), widths=(2, 3, 4, 6, 8), means=(-0.5, 0.0, 0.5),
                        depth=1, seeds=range(3), denominator=16, max_regions=None,
                        progress=None):
    """Fraction of low-rank regions and of low-rank volume for seeded random networks.

    For each input dimension ``d``, width (all ``depth`` hidden layers of that width), and
    mean weight, averages over ``seeds`` the exact fraction of regions whose last hidden
    layer map has rank below ``d``, and the exact fraction of ``[-1, 1]^d``'s volume they
    cover. Returns a list of dict rows (exact Fractions).

    ``max_regions`` bounds the regions of each network: past it,
    :class:`~polytopo.exceptions.LimitExceeded`. ``progress(row)`` is called after each row.

    Examples
    --------
    >>> rows = low_rank_experiment(widths=[2], means=[0.0], seeds=range(2))
    >>> [(r["width"], r["n_networks"], r["mean_regions"]) for r in rows]
    [(2, 2, Fraction(7, 2))]
    >>> low_rank_experiment(widths=[8], means=[0.0], max_regions=2)
    Traceback (most recent call last):
    ...
    polytopo.exceptions.LimitExceeded: more than 2 regions ...
    """
    check_positive_int("max_regions", max_regions)
    rows = []
    for d in input_dims:
        domain = Polytope.cube(d)
        for mean in means:
            for w in widths:
                fr, fv, nreg = [], [], []
                for seed in seeds:
                    net = random_network(d, [w] * depth, mean=mean, seed=seed,
                                         denominator=denominator)
                    s = _rank_summary(net, domain, max_regions)
                    fr.append(s.region_fraction)
                    fv.append(s.volume_fraction)
                    nreg.append(s.n_regions)
                rows.append({"input_dim": d, "width": w, "depth": depth, "mean": mean,
                             "n_networks": len(fr),
                             "mean_regions": Fraction(sum(nreg), len(nreg)),
                             "low_rank_region_fraction": sum(fr) / len(fr),
                             "low_rank_volume_fraction": sum(fv) / len(fv)})
                if progress:
                    progress(rows[-1])
    return rows


def dale_experiment(*, input_dims=(2,), widths=(2, 4, 8, 12), depth=2, max_regions=None,
                    progress=None):
    """Low-rank fractions of :func:`dale_network` as the width grows (exact).

    ``max_regions`` bounds the regions of each network (past it,
    :class:`~polytopo.exceptions.LimitExceeded`); ``progress(row)`` is called after each row.

    Examples
    --------
    >>> [(r["width"], r["low_rank_volume_fraction"]) for r in dale_experiment(widths=[2, 4])]
    [(2, Fraction(75, 128)), (4, Fraction(2186607, 4150016))]
    """
    check_positive_int("max_regions", max_regions)
    rows = []
    for d in input_dims:
        for w in widths:
            s = _rank_summary(dale_network(d, w, depth), Polytope.cube(d), max_regions)
            rows.append({"input_dim": d, "width": w, "depth": depth, "mean": "dale",
                         "n_networks": 1, "mean_regions": Fraction(s.n_regions),
                         "low_rank_region_fraction": s.region_fraction,
                         "low_rank_volume_fraction": s.volume_fraction})
            if progress:
                progress(rows[-1])
    return rows


def table_csv(rows):
    """Rows as CSV text (exact values as ``p/q`` plus a 4-digit float column for reading).

    ``polytopo experiment`` writes it to ``--out``.

    Examples
    --------
    >>> header, row = table_csv(dale_experiment(widths=[2])).splitlines()
    >>> header.split(",")[:4], row
    (['input_dim', 'width', 'depth', 'mean'], '2,2,2,dale,1,10,9/10,75/128,0.9000,0.5859')
    """
    from ..geometry.exact import format_number

    cols = ["input_dim", "width", "depth", "mean", "n_networks", "mean_regions",
            "low_rank_region_fraction", "low_rank_volume_fraction"]
    lines = [",".join(cols + ["region_fraction_approx", "volume_fraction_approx"])]
    for r in rows:
        vals = [str(format_number(r[c])) if isinstance(r[c], Fraction) else str(r[c]) for c in cols]
        vals += [f"{float(r['low_rank_region_fraction']):.4f}",
                 f"{float(r['low_rank_volume_fraction']):.4f}"]
        lines.append(",".join(vals))
    return "\n".join(lines) + "\n"
