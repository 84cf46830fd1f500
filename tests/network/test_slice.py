"""Slices x = p0 + U t: the composed network is exactly f on the slice."""

from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from polytopo.analysis.summary import analyze
from polytopo.exceptions import InputError
from polytopo.network.model import Network
from polytopo.network.slice import Slice

F = Fraction
small = st.integers(-4, 4)


@st.composite
def net_and_slice(draw):
    n = draw(st.integers(2, 6))
    h = draw(st.integers(1, 4))
    W = [[draw(small) for _ in range(n)] for _ in range(h)]
    net = Network.from_lists([(W, [draw(small) for _ in range(h)]),
                              ([[draw(small) for _ in range(h)]], [draw(small)])])
    k = draw(st.integers(1, min(2, n)))
    pts = [[F(draw(small), draw(st.integers(1, 3))) for _ in range(n)] for _ in range(k + 1)]
    try:
        s = Slice.through(pts)
    except InputError:
        from hypothesis import assume
        assume(False)
    return net, s


@settings(max_examples=60, deadline=None)
@given(net_and_slice(), st.lists(st.fractions(-2, 2, max_denominator=7), min_size=2,
                                 max_size=2))
def test_the_composed_network_is_f_on_the_slice(ns, t):
    net, s = ns
    t = t[:s.dim]
    g = s.compose(net)
    assert g.input_dim == s.dim
    assert g.forward(t) == net.forward(s.embed(t))
    assert g.pattern(t) == net.pattern(s.embed(t))


def test_slice_analysis_equals_the_network_composed_by_hand():
    # f on R^4; the plane through p0, p1, p2; the first layer composed by hand: W U, W p0 + b
    W = [[1, -2, 0, 3], [2, 1, -1, 0], [0, 1, 1, -1]]
    b = [1, -1, 0]
    net = Network.from_lists([(W, b), ([[1, -1, 2]], [-1])])
    p = [[0, 0, 0, 0], [2, 0, 1, 0], [0, 1, 0, 2]]
    U = [[p[j][i] - p[0][i] for j in (1, 2)] for i in range(4)]   # columns p1 - p0, p2 - p0
    WU = [[sum(w[i] * U[i][j] for i in range(4)) for j in range(2)] for w in W]
    hand = Network.from_lists([(WU, b), ([[1, -1, 2]], [-1])])
    s = Slice.through(p)
    a, h = analyze(s.compose(net), s.polytope), analyze(hand, s.polytope)
    for key in ("n_regions", "f_vector", "homology", "low_rank"):
        assert a[key] == h[key], key


def test_margin_widens_the_simplex():
    s0 = Slice.through([[0, 0, 0], [1, 0, 0], [0, 1, 0]])
    s1 = Slice.through([[0, 0, 0], [1, 0, 0], [0, 1, 0]], margin=F(1, 2))
    # t >= -1/2, t1 + t2 <= 3/2: a right triangle with legs 5/2
    assert s0.polytope.volume() == F(1, 2) and s1.polytope.volume() == F(5, 2) ** 2 / 2


def test_json_round_trip_and_refusals():
    s = Slice.through([[0, 0, 0], [1, 0, 0], [0, 1, 0]], margin=1)
    t = Slice.from_json(s.to_json(), 3)
    assert (t.origin, t.directions, t.polytope) == (s.origin, s.directions, s.polytope)
    bad = [
        lambda: Slice.through([[0, 0], [1, 1], [2, 2]]),            # affinely dependent
        lambda: Slice.through([[0, 0], [1, 0, 0]]),                 # ragged
        lambda: Slice.through([[0, 0]]),                            # one point
        lambda: Slice.through([[0, 0], [1, 0]], margin=-1),
        lambda: Slice.through([[0, 0], [float("nan"), 0]]),
        lambda: Slice.from_json({"origin": [0, 0], "directions": [[1, 0]],
                                 "A": [[1], [-1]], "b": [1, 0]}, 3),  # wrong dimension
        lambda: Slice.from_json({"origin": [0, 0], "directions": [[1, 0], [2, 0]],
                                 "A": [[1, 0], [-1, 0], [0, 1], [0, -1]], "b": [1, 0, 1, 0]}),
        lambda: Slice.from_json({"origin": [0, 0]}),
    ]
    for f in bad:
        with pytest.raises(InputError) as e:
            f()
        assert "\n" not in str(e.value)
