import math
from fractions import Fraction

import pytest
from hypothesis import given, strategies as st

from polytopo.exceptions import InputError
from polytopo.geometry.polytope import Polytope, simplex_volume
from polytopo.testing import boxes


@pytest.mark.parametrize("d", [1, 2, 3, 4])
def test_cube_vertices_faces_volume(d):
    P = Polytope.cube(d, -1, 1)
    assert len(P.vertices()) == 2**d
    assert len(P.facet_incidence()) == 2 * d
    assert all(len(f) == 2 ** (d - 1) for f in P.facet_incidence())
    assert P.volume() == 2**d


@pytest.mark.parametrize("d", [1, 2, 3, 4])
def test_cross_polytope_and_simplex_volumes(d):
    import itertools

    A = [list(s) for s in itertools.product([-1, 1], repeat=d)]
    assert Polytope.from_lists(A, [1] * len(A)).volume() == Fraction(2**d, math.factorial(d))
    A = [[-int(i == j) for j in range(d)] for i in range(d)] + [[1] * d]
    assert Polytope.from_lists(A, [0] * d + [1]).volume() == Fraction(1, math.factorial(d))


@given(boxes(3))
def test_box_volume_is_product_of_sides(P):
    lo = [-P.b[2 * i] for i in range(3)]
    hi = [P.b[2 * i + 1] for i in range(3)]
    assert P.volume() == math.prod(h - l for l, h in zip(lo, hi))


def test_irredundant_is_canonical():
    P = Polytope.from_lists([[2, 0], [0, 1], [-1, 0], [0, -3], [1, 1]], [2, 1, 1, 3, 5])
    Q = Polytope.box([-1, -1], [1, 1])
    assert P.irredundant().A == Q.irredundant().A and P.irredundant().b == Q.irredundant().b


@pytest.mark.parametrize("A,b,match", [
    ([[1, 0], [-1, 0]], [1, 1], "unbounded"),
    ([[1], [-1]], [-1, 0], "empty or not full-dimensional"),
    ([[1, 0], [-1, 0], [0, 1], [0, -1]], [1, -1, 1, 1], "empty or not full-dimensional"),
])
def test_bad_domains(A, b, match):
    with pytest.raises(InputError, match=match):
        Polytope.from_lists(A, b).validated()


def test_empty_box_refused():
    with pytest.raises(InputError, match="empty box"):
        Polytope.box([0, 1], [1, 1])


@given(st.lists(st.tuples(st.integers(-5, 5), st.integers(-5, 5)), min_size=3, max_size=3))
def test_simplex_volume_is_half_abs_det(pts):
    (x0, y0), (x1, y1), (x2, y2) = pts
    assert simplex_volume(pts) == Fraction(abs((x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0)), 2)


def test_polytopes_compare_by_their_canonical_inequalities():
    """Equal: the same inequalities up to order, repetition and positive scaling. The
    same set written with other (redundant) inequalities is not equal; its irredundant
    form is."""
    P = Polytope.box([0, 0], [1, 2])
    same = Polytope.from_lists([[0, 3], [-2, 0], [1, 0], [0, -1], [1, 0]], [6, 0, 1, 0, 1])
    assert P == same and hash(P) == hash(same) and len({P, same}) == 1
    assert P != Polytope.box([0, 0], [1, 3])
    assert P != Polytope.from_lists([[0, -3], [-2, 0], [1, 0], [0, -1]], [6, 0, 1, 0])  # a sign
    redundant = Polytope.from_lists(list(P.A) + [[1, 1]], list(P.b) + [5])
    assert redundant != P and redundant.irredundant() == P.irredundant() == P
    assert P != "a polytope" and (P == object()) is False
    assert {P: 1}[same] == 1


@given(boxes(2))
def test_polytope_equality_ignores_order_and_scale(P):
    rows = list(zip(P.A, P.b))[::-1]
    Q = Polytope.from_lists([[3 * x for x in a] for a, _ in rows], [3 * b for _, b in rows])
    assert Q == P and hash(Q) == hash(P)


def test_unbounded_polytope_has_no_vertices():
    with pytest.raises(InputError, match="unbounded"):
        Polytope.from_lists([[1, 0], [0, 1]], [1, 1]).vertices()

