"""Slices x = p0 + U t (polytopo.geometry.slice): the composed network is exactly f on the
slice, its analysis is that of the network composed by hand, the margin widens the simplex
by an exact volume, and every malformed slice is one line naming the field."""

from fractions import Fraction
from math import factorial

import pytest
from hypothesis import assume, given, settings, strategies as st

from polytopo.analysis.summary import analyze
from polytopo.exceptions import InputError
from polytopo.geometry.polytope import Polytope
from polytopo.geometry.slice import Slice
from polytopo.network.model import Network
from polytopo.network.units import leaky_relu
from polytopo.regions import regions
from polytopo.testing import networks

F = Fraction


@st.composite
def nets_slices_and_points(draw):
    n = draw(st.integers(1, 6))
    net = draw(networks(input_dim=n, max_layers=2, max_width=4,
                        weights=st.fractions(-3, 3, max_denominator=3),
                        output_dim=draw(st.integers(1, 2))))
    k = draw(st.integers(1, min(3, n)))
    coordinate = st.fractions(-4, 4, max_denominator=5)
    pts = [[draw(coordinate) for _ in range(n)] for _ in range(k + 1)]
    try:
        s = Slice.through(pts, margin=draw(st.fractions(0, 1, max_denominator=4)))
    except InputError:
        assume(False)
    t = [draw(st.fractions(-2, 2, max_denominator=7)) for _ in range(k)]
    return net, s, t


@settings(max_examples=80, deadline=None)
@given(nets_slices_and_points())
def test_the_composed_network_is_f_on_the_slice(nst):
    net, s, t = nst
    g = s.compose(net)
    x = s.embed(t)
    assert g.input_dim == s.dim and len(x) == net.input_dim
    assert g.forward(t) == net.forward(x)
    assert g.pattern(t) == net.pattern(x)
    assert g.weights[1:] == net.weights[1:] and g.biases[1:] == net.biases[1:]


def test_units_notes_and_later_layers_are_kept():
    net = Network.from_lists([([[1, 2, 0], [0, 1, -1]], [0, 1]), ([[1, -1]], [0])],
                             units=[leaky_relu("1/4")])
    s = Slice.through([[1, 0, 0], [1, 1, 0], [1, 0, 1]])
    g = s.compose(net)
    assert g.units == net.units and g.weights[1] == net.weights[1]
    # W U: the columns of U are e2 and e3; W p0 + b: p0 = e1
    assert g.weights[0] == ((2, 0), (1, -1)) and g.biases[0] == (1, 1)
    assert g.notes[-1].startswith("analysed on a 2-dimensional slice")
    for t in ([0, 0], [F(1, 3), F(-2, 5)], [5, 7]):
        assert g.forward(t) == net.forward(s.embed(t))


def test_slice_analysis_equals_the_network_composed_by_hand():
    # f on R^4; the plane through p0, p1, p2; the first layer composed by hand: W U, W p0 + b
    W = [[1, -2, 0, 3], [2, 1, -1, 0], [0, 1, 1, -1], [1, 1, 1, 1]]
    b = [1, -1, 0, "-1/2"]
    out = ([[1, -1, 2, -1]], [F(-1, 3)])
    net = Network.from_lists([(W, b), out])
    p = [[F(1, 2), 0, 0, 0], [2, 0, 1, 0], [0, 1, 0, 2]]
    U = [[F(p[j][i]) - p[0][i] for j in (1, 2)] for i in range(4)]   # columns p1-p0, p2-p0
    WU = [[sum(w[i] * U[i][j] for i in range(4)) for j in range(2)] for w in W]
    Wp = [F(bi) + sum(w[i] * p[0][i] for i in range(4)) for w, bi in zip(W, b)]
    hand = Network.from_lists([(WU, Wp), out])
    s = Slice.through(p, margin=F(1, 2))
    g = s.compose(net)
    assert g == hand
    a, h = analyze(g, s.polytope), analyze(hand, s.polytope)
    assert a["n_regions"] > 1
    for key in ("n_regions", "f_vector", "euler_characteristic", "homology", "low_rank"):
        assert a[key] == h[key], key
    assert set(a["homology"]) >= {"domain", "positive", "negative", "zero"}
    assert [r.to_json() for r in regions(g, s.polytope)] == \
        [r.to_json() for r in regions(hand, s.polytope)]


@pytest.mark.parametrize("k", [1, 2, 3])
@pytest.mark.parametrize("m", [F(0), F(1, 4), F(2)])
def test_margin_widens_the_simplex_by_an_exact_volume(k, m):
    pts = [[0] * 4] + [[int(i == j) for i in range(4)] for j in range(k)]
    s = Slice.through(pts, margin=m)
    assert s.polytope.volume() == (1 + (k + 1) * m) ** k / factorial(k)
    # t_j >= -m and sum t <= 1 + m
    assert s.polytope.contains([-m] * k) and not s.polytope.contains([-m - F(1, 100)] + [0] * (k - 1))


def test_through_embeds_the_points_and_reads_floats_exactly():
    pts = [[0.1, 0, 2], [1, 0.5, 2], [0, 1, "3/2"]]
    s = Slice.through(pts)
    assert s.origin == (F(0.1), 0, 2)
    assert s.embed([0, 0]) == s.origin
    assert s.embed([1, 0]) == (1, F(1, 2), 2) and s.embed([0, 1]) == (0, 1, F(3, 2))
    assert s.matrix == tuple(zip(*s.directions)) and len(s.matrix) == 3


def test_json_round_trip():
    s = Slice.through([[0, 0, 0], [1, "1/3", 0], [0, 1, 0]], margin=1)
    obj = s.to_json()
    assert obj["directions"] == [[1, "1/3", 0], [0, 1, 0]] and obj["b"] == [1, 1, 2]
    t = Slice.from_json(obj, 3)
    assert t == s and t.through_points == s.through_points
    bare = {k: obj[k] for k in ("origin", "directions", "A", "b")}
    u = Slice.from_json(bare, 3)
    assert (u.origin, u.directions, u.polytope) == (s.origin, s.directions, s.polytope)
    assert u.through_points is None and "through" not in u.to_json()
    assert s.report_fields() == {"coordinates": "slice", "slice": obj}


SQUARE = {"A": [[1, 0], [-1, 0], [0, 1], [0, -1]], "b": [1, 1, 1, 1]}


@pytest.mark.parametrize("make,field", [
    (lambda: Slice.through([[0, 0], [1, 1], [2, 2]]), "points"),
    (lambda: Slice.through([[0, 0], [1, 0], [0, 1], [1, 1]]), "points"),   # k > n
    (lambda: Slice.through([[0, 0], [1, 0, 0]]), "points[1]"),
    (lambda: Slice.through([[0, 0]]), "points"),
    (lambda: Slice.through("points"), "points"),
    (lambda: Slice.through([[0, 0], [1, 0]], dim=3), "points[0]"),
    (lambda: Slice.through([[0, 0], [1, 0]], margin=-1), "margin"),
    (lambda: Slice.through([[0, 0], [1, 0]], margin="nan"), "margin"),
    (lambda: Slice.through([[0, 0], [float("nan"), 0]]), "points[1][0]"),
    (lambda: Slice.through([[0, 0], [0, float("inf")]]), "points[1][1]"),
    (lambda: Slice.from_json({"origin": [0, 0], "directions": [[1, 0]],
                              "A": [[1], [-1]], "b": [1, 0]}, 3), "origin"),
    (lambda: Slice.from_json({"origin": [0, 0], "directions": [[1, 0], [2, 0]], **SQUARE}),
     "directions"),
    (lambda: Slice.from_json({"origin": [0, 0, 0], "directions": [[1, 0], [0, 1]], **SQUARE}),
     "directions[0]"),
    (lambda: Slice.from_json({"origin": [0, 0], "directions": [[1, 0]], **SQUARE}), "A"),
    (lambda: Slice.from_json({"origin": [0, 0], "directions": [[1, 0], [0, 1]],
                              "A": [[1, 0], [-1, 0]], "b": [1, 1]}), "A"),     # unbounded
    (lambda: Slice.from_json({"origin": [0, 0]}), "directions"),
    (lambda: Slice.from_json({"origin": [0, "x"], "directions": [[1, 0]],
                              "A": [[1], [-1]], "b": [1, 0]}), "origin[1]"),
    (lambda: Slice.from_json({"origin": [0, 0], "directions": [[1, 0]], "A": [[1], [-1]],
                              "b": [1, 0], "through": [[0, 0], [2, 0]]}), "through"),
    (lambda: Slice.through([[0], [1]]).embed([1, 2]), "t"),
    (lambda: Slice.through([[0, 0], [1, 0]]).compose(
        Network.from_lists([([[1, 1, 1]], [0])])), None),
])
def test_refusals_are_one_line_naming_the_field(make, field):
    with pytest.raises(InputError) as e:
        make()
    assert "\n" not in str(e.value)
    if field is not None:
        assert e.value.field == field, str(e.value)


def test_the_constructor_checks_its_parts():
    with pytest.raises(InputError, match="linearly dependent"):
        Slice((0, 0), ((1, 0), (3, 0)), Polytope.cube(2))
    with pytest.raises(TypeError):
        Slice((0, 0), ((1, 0),), "P")
    with pytest.raises(TypeError):
        Slice.through([[0], [1]]).compose("net.json")
