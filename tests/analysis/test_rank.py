from fractions import Fraction

import pytest
from hypothesis import given, strategies as st

from polytopo.analysis.experiments import dale_network, low_rank_experiment, random_network
from polytopo.analysis.rank import rank_summary
from polytopo.cli.app import main
from polytopo.geometry.exact import rank
from polytopo.network.model import Network
from polytopo.geometry.polytope import Polytope
from polytopo.regions.traversal import regions
from polytopo.testing import networks


def test_relu_identity_on_a_square():
    net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    s = rank_summary(net, Polytope.cube(2))
    assert s.n_regions == 4 and s.n_low_rank == 3
    assert s.volume_fraction == Fraction(3, 4)
    assert s.low_rank_patterns == ("+-", "-+", "--")


def test_bottleneck_is_low_rank_everywhere():
    # 2 -> 1 -> 2: the width-1 layer caps the rank of layer 2 at 1
    net = Network.from_lists([([[1, 2]], [0]), ([[1], [-1]], [0, 0]), ([[1, 1]], [0])])
    s = rank_summary(net, Polytope.cube(2))
    assert s.n_low_rank == s.n_regions == 2 and s.volume_fraction == 1


def test_injective_network_has_no_low_rank_region():
    # x -> (relu(x) , relu(-x)) ... per coordinate: rows (1,0),(-1,0),(0,1),(0,-1): on every
    # quadrant two independent rows are active
    net = Network.from_lists([([[1, 0], [-1, 0], [0, 1], [0, -1]], [0, 0, 0, 0]),
                              ([[1, 1, 1, 1]], [0])])
    s = rank_summary(net, Polytope.cube(2))
    assert s.n_regions == 4 and s.n_low_rank == 0 and s.rank_counts == ((2, 4),)


@given(networks(max_layers=2, max_width=3), st.data())
def test_ranks_agree_with_independent_jacobian(net, data):
    """Rank from the region's maps equals the rank of a Jacobian built by finite exact
    differences of the network at the interior point (an independent computation)."""
    layer = data.draw(st.integers(1, len(net.widths)))
    for r in regions(net, Polytope.cube(net.input_dim, -2, 2), layer=layer, volumes=False):
        x = r.interior_point
        # step small enough to stay in the region: a tenth of the smallest slack
        slack = min(bi - sum(a * xi for a, xi in zip(row, x))
                    for row, bi in zip(r.polytope.A, r.polytope.b))
        h = slack / (10 * (1 + max(abs(a) for row in r.polytope.A for a in row)))

        def hidden(y):
            pre = net.preactivations(y)[layer - 1]
            return [max(v, 0) for v in pre]

        base = hidden(x)
        cols = []
        for i in range(net.input_dim):
            y = list(x)
            y[i] += h
            cols.append([(a - b) / h for a, b in zip(hidden(y), base)])
        jac = [list(row) for row in zip(*cols)]
        assert r.rank == rank(jac)


@pytest.mark.parametrize("d,width", [(2, 2), (2, 6), (2, 10), (3, 4)])
def test_dale_networks_keep_the_negative_orthant_low_rank(d, width):
    net = dale_network(d, width)
    for layer_w in net.weights:  # Dale's principle: every neuron's outgoing weights share a sign
        for col in zip(*layer_w):
            assert all(w >= 0 for w in col) or all(w <= 0 for w in col)
    s = rank_summary(net, Polytope.cube(d))
    assert s.volume_fraction >= Fraction(1, 2**d)
    assert s.n_low_rank < s.n_regions or width <= 2


def test_random_narrow_nets_are_low_rank_wide_ones_rarely():
    rows = low_rank_experiment(widths=(2, 10), means=(0.0,), seeds=range(4))
    narrow, wide = rows
    assert narrow["low_rank_volume_fraction"] > Fraction(1, 2)
    assert wide["low_rank_volume_fraction"] < narrow["low_rank_volume_fraction"] / 4


def test_random_network_is_reproducible_and_rational():
    a = random_network(2, [4, 4], seed=7, denominator=8)
    assert a == random_network(2, [4, 4], seed=7, denominator=8)
    assert all(w.denominator in (1, 2, 4, 8) for W in a.weights for row in W for w in row)


def test_experiment_command(tmp_path, capsys):
    out = tmp_path / "t.csv"
    assert main(["experiment", "low-rank", "--widths", "2,3", "--means", "0", "--seeds", "1",
                 "--out", str(out)]) == 0
    lines = out.read_text().splitlines()
    assert lines[0].startswith("input_dim,width") and len(lines) == 1 + 2 + 2
    assert main(["experiment", "low-rank", "--widths", "x", "--out", str(out)]) == 2
