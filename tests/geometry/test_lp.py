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


# an LP from comparing two regions of a trained CNN (rows of size 10^31): cddlib's
# floating-point start fails on it; scaled rows give the same exact optimum, silently
_BIG_A = [["-578711", "1018954", "-440243", "1"], ["-1", "0", "0", "1"], ["0", "-154068258104166831937001409101", "117204394166609445115854565313", "1"], ["0", "117093079155258121732087062", "157086489189465998241801123", "1"], ["0", "6705904996372577548340864323576", "-4673411287707677373374629232664", "1"], ["12267941", "-20817590", "8549649", "1"], ["-117093079155258121732087062", "-157086489189465998241801123", "0", "1"], ["-1", "0", "0", "1"], ["0", "-154068258104166831937001409101", "117204394166609445115854565313", "1"], ["0", "0", "1", "1"], ["0", "6705904996372577548340864323576", "-4673411287707677373374629232664", "1"], ["154068258104166831937001409101", "-117204394166609445115854565313", "0", "1"], ["0", "0", "0", "1"]]
_BIG_B = ["0", "0", "14352943889147079845518046709", "105789181842082245377255599", "-97680552608816165044006612319", "0", "-105789181842082245377255599", "0", "14352943889147079845518046709", "1", "-97680552608816165044006612319", "-14352943889147079845518046709", "1"]
_BIG_VALUE = "-458333319337374979344769998498514587201755794352910818627338797321842985106042857149636629241/18318081992918255513614535345046529863428998384274436761141230480631"


def test_rows_of_very_different_sizes_are_solved_exactly_and_quietly(capfd):
    import cdd
    from fractions import Fraction
    from polytopo.geometry import lp as _lp

    A = [[Fraction(x) for x in row] for row in _BIG_A]
    res = _lp._solve(A, [Fraction(x) for x in _BIG_B], [0, 0, 0, 1], 0, cdd.LPObjType.MAX)
    assert res.status == "optimal" and res.value == Fraction(_BIG_VALUE)
    assert all(sum(a * x for a, x in zip(row, res.point)) <= Fraction(bi)
               for row, bi in zip(A, _BIG_B))
    out, err = capfd.readouterr()
    assert out == "" and err == ""
