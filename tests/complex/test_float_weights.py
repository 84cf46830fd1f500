"""Trained-net (float32) weights take the same exact paths as integer ones: the complex's
regions equal the LP traversal's, for ReLU and LeakyReLU, and the classes partition the box."""

from fractions import Fraction

import numpy as np
import pytest

from polytopo.analysis.classes import class_summary
from polytopo.complex.build import activation_regions
from polytopo.geometry.polytope import Polytope
from polytopo.network import units
from polytopo.network.model import Network
from polytopo.regions.traversal import regions


@pytest.mark.parametrize("seed", [7, 8])
def test_float32_weights(seed):
    rng = np.random.default_rng(seed)
    shapes = [(8, 2), (6, 8), (3, 6)]
    ws = [rng.normal(size=s).astype(np.float32) for s in shapes]
    bs = [rng.normal(size=s[0]).astype(np.float32) for s in shapes]
    net = Network.from_numpy(ws, bs)
    box = Polytope.cube(2, -2, 2)
    key = [(r.pattern, r.polytope, r.volume, r.rank) for r in activation_regions(net, box)]
    assert key == [(r.pattern, r.polytope, r.volume, r.rank) for r in regions(net, box)]
    s = class_summary(net, box)
    assert sum(Fraction(c["volume_fraction"]) for c in s["classes"]) == 1
    leaky = Network.from_lists(list(zip(net.weights, net.biases)),
                               units=[units.leaky_relu("1/8")] * 2)
    assert sorted((r.pattern, r.volume) for r in activation_regions(leaky, box)) == \
        sorted((r.pattern, r.volume) for r in regions(leaky, box))
