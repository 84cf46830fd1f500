"""Multi-class decision regions: answers known by construction, and invariants."""

from fractions import Fraction

from hypothesis import given, settings, strategies as st
import pytest

from polytopo.analysis.classes import argmax_network, class_complex, class_signs, class_summary
from polytopo.exceptions import PointlessQuestion
from polytopo.geometry.polytope import Polytope
from polytopo.network.model import Network

#: relu(x), relu(-x), relu(y), relu(-y)
FOLD = ([[1, 0], [-1, 0], [0, 1], [0, -1]], [0, 0, 0, 0])


def _betti(h):
    return [g["rank"] for g in h]


def test_quadrants():
    # f_{s,t} = relu(s x) + relu(t y): the class of quadrant (s, t) wins exactly there
    out = [[1, 0, 1, 0], [0, 1, 1, 0], [0, 1, 0, 1], [1, 0, 0, 1]]
    net = Network.from_lists([FOLD, (out, [0, 0, 0, 0])])
    s = class_summary(net, Polytope.cube(2))
    assert len(s["classes"]) == 4
    assert [c["n_regions"] for c in s["classes"]] == [1, 1, 1, 1]
    assert [c["volume_fraction"] for c in s["classes"]] == ["1/4"] * 4
    assert all(_betti(c["homology"]) == [1, 0, 0] for c in s["classes"])
    assert _betti(s["class_boundary"]["homology"]) == [1, 0, 0]     # the two axes: a cross


def test_disc_annulus_and_the_rest():
    # r = |x| + |y|; f = (1 - 2r, 0, r - 1): class 0 on r <= 1/2, 1 on 1/2 <= r <= 1, 2 beyond
    net = Network.from_lists([FOLD, ([[-2] * 4, [0] * 4, [1] * 4], [1, 0, -1])])
    s = class_summary(net, Polytope.cube(2, -2, 2))
    assert [c["volume_fraction"] for c in s["classes"]] == ["1/32", "3/32", "7/8"]
    assert _betti(s["classes"][0]["homology"]) == [1, 0, 0]
    assert _betti(s["classes"][1]["homology"]) == [1, 1, 0]
    assert _betti(s["classes"][2]["homology"]) == [1, 1, 0]
    assert _betti(s["class_boundary"]["homology"]) == [2, 2, 0]      # two diamonds


def test_a_class_that_never_wins_is_empty_and_equal_outputs_tie_everywhere():
    net = Network.from_lists([FOLD, ([[1] * 4, [1] * 4, [-1] * 4], [0, 0, -1])])
    s = class_summary(net, Polytope.cube(2))
    a, b, c = s["classes"]
    assert a["volume_fraction"] == b["volume_fraction"] == 1
    assert c["empty"] and c["n_regions"] == 0 and _betti(c["homology"]) == [0, 0, 0]
    assert _betti(s["class_boundary"]["homology"]) == [1, 0, 0]      # the whole square


def test_scalar_outputs_have_no_classes():
    with pytest.raises(PointlessQuestion):
        argmax_network(Network.from_lists([FOLD, ([[1, 1, 1, 1]], [0])]))


small = st.integers(-3, 3)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(small, min_size=2, max_size=2), min_size=2, max_size=4),
       st.lists(small, min_size=4, max_size=4), st.integers(2, 3), st.data())
def test_class_regions_cover_the_domain_and_interior_points_have_their_classes(W, b, m, data):
    h = len(W)
    V = data.draw(st.lists(st.lists(small, min_size=h, max_size=h), min_size=m, max_size=m))
    c = data.draw(st.lists(small, min_size=m, max_size=m))
    net = Network.from_lists([(W, b[:h]), (V, c)])
    box = Polytope.cube(2, -2, 2)
    C = class_complex(net, box)
    signs = class_signs(C, m, 2)
    for r, sg in zip(C.regions(volumes=False), signs):
        y = net.forward(r.interior_point)
        top = max(y)
        assert [int(v == top) for v in y] == [int(s >= 0) for s in sg]
    s = class_summary(net, box, complex=C)
    total = sum(Fraction(x["volume_fraction"]) for x in s["classes"])
    assert total >= 1
    if not (signs == 0).any():         # no tie on a whole region: a partition
        assert total == 1
    assert all(x["homology"][0]["rank"] >= 1 or x["empty"] for x in s["classes"])
