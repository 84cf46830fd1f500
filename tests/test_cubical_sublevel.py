"""Betti numbers of sublevel sets of grey-scale arrays, and the decay score of Suresh et al."""

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from polytopo.topology.cubical import cubical_homology, decay_rate, decay_score, sublevel_betti
from polytopo.exceptions import InputError, PointlessQuestion

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


# ---- decay_score --------------------------------------------------------------------
def exact_ridge_theta(b, alpha=Fraction(1, 1000)):
    """θ of the unnormalised profile b, in rationals: centred cubic ridge normal equations."""
    L = len(b)
    P = [[Fraction(x) ** k for k in (1, 2, 3)] for x in range(1, L + 1)]
    y = [Fraction(v) for v in b]
    mean_p = [sum(row[j] for row in P) / L for j in range(3)]
    Pc = [[row[j] - mean_p[j] for j in range(3)] for row in P]
    yc = [v - sum(y) / L for v in y]
    A = [[sum(r[i] * r[j] for r in Pc) + (alpha if i == j else 0) for j in range(3)]
         for i in range(3)]
    rhs = [sum(r[i] * v for r, v in zip(Pc, yc)) for i in range(3)]
    c = solve3(A, rhs)
    return c[0] + c[1] / 2 + c[2] / 2


def solve3(A, rhs):
    M = [row[:] + [v] for row, v in zip(A, rhs)]
    for i in range(3):
        p = next(r for r in range(i, 3) if M[r][i] != 0)
        M[i], M[p] = M[p], M[i]
        for r in range(3):
            if r != i and M[r][i] != 0:
                q = M[r][i] / M[i][i]
                M[r] = [u - q * w for u, w in zip(M[r], M[i])]
    return [M[i][3] / M[i][i] for i in range(3)]


def test_decay_score_matches_exact_rationals():
    # ‖(4, 2, 2, 1)‖ = 5: the normalised profile is rational and θ is exactly computable
    assert decay_score([4, 2, 2, 1]) == pytest.approx(float(exact_ridge_theta(
        [Fraction(v, 5) for v in (4, 2, 2, 1)])), rel=1e-12)
    # θ is linear in y = b / ‖b‖: θ(b / ‖b‖) = θ(b) / ‖b‖
    for b in ([8, 4, 2, 1], [3, 5, 2], [1, 0], [9, 7, 7, 4, 3, 3, 1, 1, 0, 1]):
        expected = float(exact_ridge_theta(b)) / math.sqrt(sum(v * v for v in b))
        assert decay_score(b) == pytest.approx(expected, rel=1e-10, abs=1e-13)
    assert decay_score([8, 4, 2, 1]) == pytest.approx(-0.74327954345, abs=1e-10)


def test_decay_score_matches_scikit_learn_pipeline():
    pytest.importorskip("sklearn", reason="scikit-learn (a test dependency) is not installed: "
                                          "the reference pipeline needs it")
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import PolynomialFeatures

    rng = np.random.default_rng(8)
    profiles = [[8, 4, 2, 1], [1, 2, 4, 8], [5, 1], [2, 9, 3], rng.random(12) * 40,
                rng.integers(0, 100, 7)]
    for b in profiles:
        b = np.asarray(b, dtype=float)
        x = np.arange(1, len(b) + 1).reshape(-1, 1)
        model = make_pipeline(PolynomialFeatures(3), Ridge(alpha=1e-3))
        model.fit(x, b / np.linalg.norm(b))
        expected = float(model.steps[1][1].coef_ @ [0, 1, 0.5, 0.5])
        assert decay_score(b) == pytest.approx(expected, rel=1e-8, abs=1e-10)


@given(st.lists(st.floats(0, 1e4, allow_subnormal=False), min_size=2, max_size=15),
       st.floats(1e-3, 1e3))
def test_decay_score_is_scale_invariant(b, scale):
    assume(max(b) > 1e-3)
    theta = decay_score(b)
    assert decay_score([v * scale for v in b]) == pytest.approx(theta, rel=1e-7, abs=1e-9)


def test_decay_score_of_a_constant_profile_is_zero_and_decay_rate_is_unchanged():
    assert decay_score([3, 3, 3, 3, 3]) == pytest.approx(0.0, abs=1e-15)
    assert decay_score(np.array([2.5, 2.5])) == pytest.approx(0.0, abs=1e-15)
    assert decay_rate([8, 4, 2, 1]) == pytest.approx(math.log(2))


@pytest.mark.parametrize("bad", [[3], [], [1, np.nan], [1, np.inf], [0, 0, 0], [1, -1, 2]])
def test_decay_score_pointless(bad):
    with pytest.raises(PointlessQuestion):
        decay_score(bad)


@pytest.mark.parametrize("bad", [[[1, 2], [3, 4]], ["a", "b"], 5])
def test_decay_score_bad_input(bad):
    with pytest.raises(InputError):
        decay_score(bad)
