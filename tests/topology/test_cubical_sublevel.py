"""Betti numbers of sublevel sets of grey-scale arrays (the decay score: test_embeddings.py)."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from polytopo.topology.cubical import cubical_homology, sublevel_betti
from polytopo.exceptions import InputError

# A ring of 1s around an 8, corners 2 and 4, a 3 diagonal to the ring, 7 elsewhere.
IMAGE = np.array([[1, 1, 1, 7, 4],
                  [1, 8, 1, 7, 7],
                  [1, 1, 1, 7, 4],
                  [7, 7, 7, 3, 7],
                  [2, 7, 7, 7, 2]])
LEVELS = [-math.inf, 0, 1, 1.5, 2, 3, 4, 7, 8, 100, math.inf]


def ranks(X, construction):
    return [h.rank for h in cubical_homology(X, construction=construction)]


# ---- sublevel_betti on a hand-made image --------------------------------------------
def test_hand_made_image_v_construction():
    # η < 1: empty. η = 1: the ring of 1s, one hole. η = 2: plus the corners (4, 0) and
    # (4, 4), isolated. η = 3: plus (3, 3), isolated (its four edge-neighbours are 7).
    # η = 4: plus (0, 4) and (2, 4), isolated. η = 7: everything but the 8, which is the
    # hole. η ≥ 8: the full square.
    assert sublevel_betti(IMAGE, LEVELS) == [
        [0, 0, 0], [0, 0, 0], [1, 1, 0], [1, 1, 0], [3, 1, 0], [4, 1, 0], [6, 1, 0],
        [1, 1, 0], [1, 0, 0], [1, 0, 0], [1, 0, 0]]


def test_hand_made_image_t_construction():
    # T differs where pixels touch at a corner: (3, 3) joins the ring at (2, 2) and the
    # corner (4, 4); (2, 4) joins (3, 3); (0, 4) and (4, 0) stay alone.
    assert sublevel_betti(IMAGE, LEVELS, construction="T") == [
        [0, 0, 0], [0, 0, 0], [1, 1, 0], [1, 1, 0], [3, 1, 0], [2, 1, 0], [3, 1, 0],
        [1, 1, 0], [1, 0, 0], [1, 0, 0], [1, 0, 0]]


def test_thresholds_keep_their_order_repeat_and_truncate():
    assert sublevel_betti(IMAGE, [8, 2, 8, 2.5]) == [[1, 0, 0], [3, 1, 0], [1, 0, 0], [3, 1, 0]]
    assert sublevel_betti(IMAGE, [2, 3], max_dim=0) == [[3], [4]]
    assert sublevel_betti(IMAGE, [2, 3], construction="T", max_dim=1) == [[3, 1], [2, 1]]
    assert sublevel_betti(IMAGE, []) == []
    assert sublevel_betti(IMAGE.astype(np.float32), np.array([2.0])) == [[3, 1, 0]]
    assert sublevel_betti(IMAGE > 5, [0]) == [[6, 1, 0]]  # booleans are 0 and 1
    assert sublevel_betti(np.zeros((0, 3)), [0, 1]) == [[0, 0, 0], [0, 0, 0]]


def test_one_and_three_dimensional_arrays():
    # the entries ≤ 1 are at 1 and 3; adding the 2 at 2 joins them
    assert sublevel_betti([3, 1, 2, 0, 5], [0, 1, 2, 5]) == [[1, 0], [2, 0], [1, 0], [1, 0]]
    shell = np.zeros((5, 5, 5))
    shell[1:4, 1:4, 1:4] = 1
    shell[2, 2, 2] = 2  # a cube of 1s around a 2, in a box of 0s
    # growing from the centre: a point, a solid cube, the solid box
    assert sublevel_betti(-shell, [-2, -1, 0]) == [[1, 0, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0]]
    # growing from the outside: the box's boundary layer (a sphere), the box without its
    # centre (a sphere), the solid box
    assert sublevel_betti(shell, [0, 1, 2]) == [[1, 0, 1, 0], [1, 0, 1, 0], [1, 0, 0, 0]]
    hollow = np.full((3, 3, 3), 1.0)
    hollow[1, 1, 1] = 5
    for c in "VT":
        assert sublevel_betti(hollow, [1, 5], construction=c) == [[1, 0, 1, 0], [1, 0, 0, 0]]


@given(st.integers(1, 12), st.integers(1, 12), st.data())
def test_single_basin_b0_is_0_then_1(n, m, data):
    # f = α(x − a)² + β(y − b)²: every sublevel set meets each row in an interval around
    # the column nearest a, and the non-empty rows are consecutive, so it is a connected
    # set without holes (in both constructions) once it is not empty.
    a, b = data.draw(st.floats(0, n - 1)), data.draw(st.floats(0, m - 1))
    alpha, beta = data.draw(st.floats(0.1, 10)), data.draw(st.floats(0.1, 10))
    x, y = np.indices((n, m))
    f = alpha * (x - a) ** 2 + beta * (y - b) ** 2
    eta = sorted(data.draw(st.lists(st.floats(-1, 200), max_size=12)))
    for c in "VT":
        result = sublevel_betti(f, eta, construction=c)
        b0 = [r[0] for r in result]
        assert b0 == sorted(b0) and set(b0) <= {0, 1}
        assert all(r == ([1, 0, 0] if t >= f.min() else [0, 0, 0]) for r, t in zip(result, eta))


# ---- against the homology of the thresholded array ----------------------------------
grey_arrays = st.integers(1, 4).flatmap(
    lambda d: arrays(np.int8, st.tuples(*[st.integers(1, {1: 12, 2: 9, 3: 5, 4: 3}[d])] * d),
                     elements=st.integers(0, 5)))


@given(grey_arrays, st.lists(st.floats(-1, 6), max_size=6), st.sampled_from("VT"))
def test_equals_the_homology_of_the_thresholded_array(F, eta, construction):
    expected = [ranks(F <= t, construction) for t in eta]
    assert sublevel_betti(F, eta, construction=construction) == expected
    top = F.ndim // 2
    assert sublevel_betti(F, eta, construction=construction, max_dim=top) == \
        [e[:top + 1] for e in expected]


def test_random_real_images_at_every_value():
    rng = np.random.default_rng(11)
    for shape in [(12, 15), (6, 5, 7), (2, 3, 2, 3)]:
        F = rng.normal(size=shape)
        eta = np.sort(F.ravel())[::3]
        for c in "VT":
            assert sublevel_betti(F, eta, construction=c) == [ranks(F <= t, c) for t in eta]


def test_agrees_with_gudhi_persistence():
    gudhi = pytest.importorskip("gudhi", reason="GUDHI (optional test dependency) is not "
                                                "installed: pip install gudhi")
    rng = np.random.default_rng(5)
    cases = [rng.integers(0, 6, (20, 17)).astype(float), rng.normal(size=(30, 30)),
             rng.integers(0, 4, (7, 8, 6)).astype(float)]
    for F in cases:
        eta = np.r_[np.unique(F)[::2], np.unique(F)[:-1] + 1e-3]
        for c, key in (("T", "top_dimensional_cells"), ("V", "vertices")):
            try:
                cc = gudhi.CubicalComplex(**{key: F})
            except TypeError:  # GUDHI before 3.9 has no vertex filtration
                continue
            cc.compute_persistence(homology_coeff_field=2, min_persistence=-1)
            expected = []
            for t in eta:
                b = [int(v) for v in cc.persistent_betti_numbers(t, t)]
                expected.append((b + [0] * (F.ndim + 1))[:F.ndim + 1])
            assert sublevel_betti(F, eta, construction=c) == expected


# ---- bad input ------------------------------------------------------------------------
@pytest.mark.parametrize("values", [np.array(1.0), [[1, np.nan]], [[1, np.inf]], [["a"]],
                                    [[1], [1, 2]], np.array([[1 + 1j]])])
def test_bad_values(values):
    with pytest.raises(InputError):
        sublevel_betti(values, [0])


@pytest.mark.parametrize("thresholds", [0.5, [[0.5]], [np.nan], ["a"]])
def test_bad_thresholds(thresholds):
    with pytest.raises(InputError):
        sublevel_betti(IMAGE, thresholds)


@pytest.mark.parametrize("max_dim", [-1, 3, 1.0, True, "1"])
def test_bad_max_dim(max_dim):
    with pytest.raises(InputError):
        sublevel_betti(IMAGE, [1], max_dim=max_dim)
