from fractions import Fraction

from hypothesis import given, strategies as st

from polytopo.geometry import lp


def test_max_min_on_a_triangle():
    A, b = [[-1, 0], [0, -1], [1, 1]], [0, 0, 1]
    r = lp.maximize([2, 1], A, b, constant=Fraction(1, 3))
    assert r.status == "optimal" and r.value == Fraction(7, 3) and r.point == (1, 0)
    assert lp.minimize([1, 1], A, b).value == 0
    assert lp.maximize([1, 0], [[1, 0], [-1, 0]], [1, -2]).status == "infeasible"


halfspaces = st.lists(st.tuples(st.integers(-4, 4), st.integers(-4, 4), st.integers(-4, 4)),
                      min_size=1, max_size=6)


@given(halfspaces)
def test_interior_point_is_strictly_inside_or_there_is_none(rows):
    # intersect with a box so the set is bounded
    A = [[1, 0], [-1, 0], [0, 1], [0, -1]] + [[a, c] for a, c, _ in rows]
    b = [3, 3, 3, 3] + [r for _, _, r in rows]
    p = lp.interior_point(A, b)
    if p is not None:
        assert all(sum(Fraction(a) * x for a, x in zip(row, p)) < bi for row, bi in zip(A, b))
    else:
        # no interior: maximising the common slack gives at most 0
        lifted = [row + [1] for row in A]
        r = lp.maximize([0, 0, 1], lifted + [[0, 0, 1]], b + [1])
        assert r.status == "infeasible" or r.value <= 0
