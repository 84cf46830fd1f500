"""CellComplex.locate: the cell whose relative interior holds each point, by labels and
by geometry, against exact forward passes and the complex's own cells."""

import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from polytopo.complex.build import canonical_complex
from polytopo.complex.cells import Cell, CellComplex
from polytopo.exceptions import InputError
from polytopo.geometry.polytope import Polytope
from polytopo.network import units as U
from polytopo.network.model import Network

F = Fraction
UNITS = [U.RELU, U.leaky_relu(F(1, 10)), U.clamp(-1, 1), U.absolute(), U.Max(2)]
BOX = Polytope.box([-1, -1], [1, 1])


@st.composite
def networks(draw, d=2):
    layers, units, prev = [], [], d
    for _ in range(draw(st.integers(1, 2))):
        us = draw(st.lists(st.sampled_from(UNITS), min_size=1, max_size=3))
        rows = sum(u.n_inputs for u in us)
        W = [[F(draw(st.integers(-2, 2))) for _ in range(prev)] for _ in range(rows)]
        b = [F(draw(st.integers(-1, 1)), 2) for _ in range(rows)]
        if rows > 1 and draw(st.booleans()):
            W[-1], b[-1] = list(W[0]), b[0]
        layers.append((W, b))
        units.append(us)
        prev = len(us)
    layers.append(([[F(draw(st.integers(-2, 2))) for _ in range(prev)]], [F(1, 3)]))
    return Network.from_lists(layers, units=units)


def interior_points(C):
    """The relative interior point of every cell, with the cell."""
    for k in range(C.dim + 1):
        for c in C.cells(k):
            yield C.relative_interior_point(c), c


def check_cells_locate_themselves(C):
    pts, cells = zip(*interior_points(C))
    for method in ("auto", "geometry"):
        assert C.locate(list(pts), method=method) == list(cells)


def strictly_inside_box(x):
    return all(-1 < v < 1 for v in x)


def in_box(x):
    return all(-1 <= v <= 1 for v in x)


coordinate = st.one_of(st.fractions(F(-6, 5), F(6, 5), max_denominator=8),
                       st.sampled_from([F(-1), F(1), F(0), F(1, 2), F(-1, 2)]),
                       st.floats(-1.2, 1.2, allow_nan=False))


@settings(max_examples=40, deadline=None)
@given(networks(), st.lists(st.lists(coordinate, min_size=2, max_size=2), max_size=25))
def test_locate_agrees_with_forward_passes(net, X):
    C = canonical_complex(net, BOX)
    check_cells_locate_themselves(C)
    verts = [list(v) for v in C.vertices()]
    mids = [[(a + b) / 2 for a, b in zip(verts[i], verts[j])]
            for i, j in itertools.combinations(range(min(len(verts), 8)), 2)]
    X = X + verts + mids
    got = C.locate(X)
    assert got == C.locate(X, method="geometry") == C.locate(X, method="labels")
    top = {r.pattern for r in C.regions(volumes=False)}
    for x, c in zip(X, got):
        x = [F(v) for v in x]
        if not in_box(x):
            assert c is None
            continue
        assert C.pattern(c) == net.pattern(x)          # the cell's signs are the point's
        assert (c.dim == 2) == (strictly_inside_box(x) and net.pattern(x) in top)
        if not strictly_inside_box(x):                 # on the domain's boundary
            assert c.dim < 2 and any(len(C.cofacets_of(f)) == 1 for f in
                                     ([c] if c.dim == 1 else C.cofacets_of(c)))
    for i, v in enumerate(verts):
        assert got[len(X) - len(mids) - len(verts) + i] == Cell(0, i)


def test_facets_vertices_boundary_and_outside():
    # the four quadrants of [-1, 1]^2
    net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    C = canonical_complex(net, BOX)
    X = [[F(1, 2), F(1, 2)], [0, F(1, 2)], [0, 0], [1, F(1, 3)], [1, 1], [-1, 0],
         [F(3, 2), 0], [0.5, -0.25], [1.0000001, 0]]
    got = C.locate(np.array(X, dtype=object))
    assert [c.dim if c else None for c in got] == [2, 1, 0, 1, 0, 0, None, 2, None]
    assert C.pattern(got[0]) == "++" and C.pattern(got[1]) == "0+" and C.pattern(got[2]) == "00"
    assert C.vertices()[got[2].index] == (0, 0) and C.vertices()[got[4].index] == (1, 1)
    assert len(C.cofacets_of(got[1])) == 2 and len(C.cofacets_of(got[3])) == 1
    assert C.pattern(got[7]) == "+-"
    assert got == C.locate(X, method="geometry")


def test_complexes_without_a_network():
    C = CellComplex.from_box([0, 0, 0], [1, 1, 1]).refine_by_hyperplane([1, 1, 1], -1) \
        .refine_by_hyperplane([1, -1, 0], 0)
    check_cells_locate_themselves(C)
    X = [[F(1, 3)] * 3, [F(1, 10), F(1, 5), 0], [F(1, 2), F(1, 2), 0], [2, 0, 0], [0, 0, 0]]
    got = C.locate(X)
    assert got == C.locate(X, method="geometry") == C.locate(X, method="labels")
    assert [c.dim if c else None for c in got] == [1, 2, 0, None, 0]
    assert C.label(got[0]) == (0, 0) and C.label(got[1]) == (-1, -1)
    # refined by a callable: no labels at points, geometry only
    D = CellComplex.from_box([-1], [1]).refine(lambda x: x[0] - F(1, 3))
    got = D.locate([[F(1, 3)], [0], [1], [-2]])
    assert [D.vertices()[c.index] for c in (got[0], got[2])] == [(F(1, 3),), (F(1),)]
    assert got[1].dim == 1 and D.label(got[1]) == (-1,) and got[3] is None
    assert got[0].dim == got[2].dim == 0 and got == D.locate([[F(1, 3)], [0], [1], [-2]],
                                                             method="geometry")
    with pytest.raises(InputError, match="labels"):
        D.locate([[0]], method="labels")


def test_triangle_domain_and_output_refinement():
    T = Polytope.from_lists([[-1, 0], [0, -1], [1, 1]], [0, 0, 1])    # x, y >= 0, x + y <= 1
    net = Network.from_lists([([[1, -1], [2, 1]], [0, F(-1, 2)]), ([[1, -1]], [F(1, 8)])])
    for C in (canonical_complex(net, T), canonical_complex(net, T, output=True)):
        check_cells_locate_themselves(C)
        X = [[F(1, 2), F(1, 2)], [0, 0], [F(1, 4), F(1, 4)], [F(1, 3), 0], [-0.1, 0.1],
             [F(1, 2), F(1, 2) + F(1, 10**12)]]
        got = C.locate(X)
        assert got == C.locate(X, method="geometry")
        assert got[-2:] == [None, None] and got[1].dim == 0 and got[0].dim == 0
        assert C.pattern(got[2]) == net.pattern(X[2])


def test_max_units_and_three_dimensions():
    net = Network.from_lists([([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]], [0, 0, 0, 0]),
                              ([[1, -1]], [0])], units=[[U.Max(3), U.clamp(-1, 1)]])
    box = Polytope.box([-1] * 3, [1] * 3)
    C = canonical_complex(net, box)
    check_cells_locate_themselves(C)
    rng = np.random.default_rng(1)
    X = rng.integers(-5, 6, (200, 3)) / 4
    got = C.locate(X)
    assert got == C.locate(X, method="geometry")
    for x, c in zip(X.tolist(), got):
        assert (c is None) == (not in_box(x))
        if c is not None:
            assert C.pattern(c) == net.pattern(x)


@pytest.mark.parametrize("X", [np.zeros((2, 3)), np.zeros(2), [[1]], [[np.nan, 0]],
                               np.array([[np.inf, 0.0]]), "ab", [[None, 0]], 3])
def test_bad_points(X):
    C = CellComplex.from_box([0, 0], [1, 1])
    with pytest.raises(InputError):
        C.locate(X)


def test_empty_and_method():
    C = CellComplex.from_box([0, 0], [1, 1])
    assert C.locate(np.zeros((0, 2))) == [] and C.locate([]) == []
    with pytest.raises(InputError, match="method"):
        C.locate([[0, 0]], method="fast")


def test_locate_is_fast():
    import time

    rng = np.random.default_rng(0)
    net = Network.from_lists([(rng.integers(-3, 4, (12, 2)).tolist(), rng.integers(-2, 3, 12).tolist()),
                              (rng.integers(-3, 4, (1, 12)).tolist(), [0])])
    C = canonical_complex(net, BOX)
    X = rng.integers(-100, 101, (5000, 2)) / 100
    t = time.perf_counter()
    got = C.locate(X)
    fast = time.perf_counter() - t
    assert got[:300] == C.locate(X[:300], method="geometry")
    assert C.n_regions > 20 and fast < 5


def test_one_dimension_with_a_network():
    net = Network.from_lists([([[1], [-1], [2]], [0, F(1, 2), -1]), ([[1, 1, 1]], [0])],
                             units=[[U.RELU, U.leaky_relu(F(1, 4)), U.clamp(0, 1)]])
    C = canonical_complex(net, Polytope.box([-1], [1]))
    check_cells_locate_themselves(C)
    X = [[F(1, 2)], [F(1, 2) + F(1, 10**9)], [0], [1], [-1], [F(-3, 2)], [0.75], [F(1, 4)]]
    got = C.locate(X)
    assert got == C.locate(X, method="geometry")
    assert [c.dim if c else None for c in got] == [0, 1, 0, 0, 0, None, 1, 1]
    for x, c in zip(X, got):
        if c is not None:
            assert C.pattern(c) == net.pattern(x)
