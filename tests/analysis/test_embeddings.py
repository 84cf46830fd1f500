"""Point clouds and layer embeddings (float64 data, exact cubical homology), and the decay
rate and score of topological complexity across layers (polytopo.analysis.embeddings)."""

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy import ndimage

from polytopo.analysis import curvature
from polytopo.analysis.embeddings import (decay_rate, decay_score, layer_embeddings,
                                          layer_topology, occupancy_grid, point_cloud_topology,
                                          principal_projection)
from polytopo.exceptions import InputError, PointlessQuestion, first_line
from polytopo.network.model import Network
from polytopo.runtime.checks import check_points
from polytopo.topology.cubical import CubicalComplex


def betti(X, construction):
    return CubicalComplex(X, construction=construction).betti_numbers()


# ---- point clouds -------------------------------------------------------------------
def circle(n=200, r=1.0, center=(0, 0)):
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return np.c_[center[0] + r * np.cos(t), center[1] + r * np.sin(t)]


def test_point_cloud_and_layers_pass_the_construction_through():
    t = point_cloud_topology(circle(), resolution=12)
    v = point_cloud_topology(circle(), resolution=12, construction="V")
    assert t.construction == "T" and "construction" not in t.to_json()
    assert v.construction == "V" and v.to_json()["construction"] == "V"
    # the occupied cubes of the circle form a ring of diagonal steps: 4-connected pieces
    grid = occupancy_grid(circle(), 12)[0]
    assert v.betti_numbers == tuple(betti(grid, "V"))
    assert v.betti_numbers[0] == ndimage.label(grid)[1]
    net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    layers = layer_topology(net, circle(), resolution=12, construction="V",
                            include_output=False)
    assert [L.topology.construction for L in layers] == ["V", "V"]
    assert layers[0].topology.betti_numbers == v.betti_numbers


def test_point_cloud_circle_and_two_blobs():
    assert point_cloud_topology(circle(), resolution=12).betti_numbers == (1, 1, 0)
    two = np.r_[circle(50, 0.1), circle(50, 0.1, (3, 0))]
    t = point_cloud_topology(two, resolution=10)
    assert t.betti_numbers[0] == 2 and t.grid_shape[0] == 10
    assert t.to_json()["complexity"] == t.complexity == sum(t.betti_numbers)


def test_point_cloud_sphere_in_higher_dimension_projects_to_3d():
    rng = np.random.default_rng(1)
    S = rng.normal(size=(4000, 3))
    S /= np.linalg.norm(S, axis=1, keepdims=True)
    embedded = np.c_[S, 1e-3 * rng.normal(size=(4000, 2))] @ np.linalg.qr(
        rng.normal(size=(5, 5)))[0]
    t = point_cloud_topology(embedded, resolution=10, threshold=2, max_dim=3)
    assert t.projected_dim == 3 and t.explained_variance > 0.99
    assert t.betti_numbers == (1, 0, 1, 0)


def test_principal_projection_is_sign_deterministic():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(50, 6)) * [5, 3, 2, 1, 1, 1]
    Y, f = principal_projection(X, 2)
    Y2, _ = principal_projection(-X, 2)
    Y3, _ = principal_projection(X[::-1], 2)
    assert np.allclose(np.abs(Y), np.abs(Y2)) and 0 < f < 1
    assert np.allclose(Y3, Y[::-1])
    assert principal_projection(X[:, :2], 3)[1] == 1.0
    with pytest.raises(InputError):
        principal_projection(X, 0)


def test_occupancy_grid_threshold_and_bounds():
    pts = [[0, 0], [0.1, 0.1], [2, 1]]
    g, frame = occupancy_grid(pts, 2)
    assert g.tolist() == [[True], [True]] and frame["cell_size"] == 1.0
    assert occupancy_grid(pts, 2, threshold=2)[0].tolist() == [[True], [False]]
    g, frame = occupancy_grid(pts, 4, bounds=([0, 0], [4, 4]))
    assert g.shape == (4, 4) and g.sum() == 2
    assert occupancy_grid([[1, 1], [1, 1]], 5)[0].shape == (1, 1)  # no extent: one cube
    for bad in ({"resolution": 0}, {"threshold": 0}, {"resolution": 2.5}):
        with pytest.raises(InputError):
            occupancy_grid(pts, **{"resolution": 3, **bad})
    with pytest.raises(InputError):
        occupancy_grid(pts, 3, bounds=([1, 1], [0, 0]))
    with pytest.raises(InputError):
        occupancy_grid([[np.nan, 0]], 3)
    with pytest.raises(InputError):
        occupancy_grid([1, 2, 3], 3)


# ---- layers ------------------------------------------------------------------------
def test_layer_embeddings_match_exact_forward():
    rng = np.random.default_rng(4)
    layers = [(rng.integers(-3, 4, (4, 3)).tolist(), rng.integers(-2, 3, 4).tolist()),
              (rng.integers(-3, 4, (5, 4)).tolist(), rng.integers(-2, 3, 5).tolist()),
              (rng.integers(-3, 4, (2, 5)).tolist(), [Fraction(1, 3), 0])]
    net = Network.from_lists(layers)
    X = rng.integers(-4, 5, (10, 3))
    embs = layer_embeddings(net, X)
    assert [name for name, _ in embs] == ["input", "hidden 1", "hidden 2", "output"]
    for x, y in zip(X.tolist(), embs[-1][1]):
        assert np.allclose([float(v) for v in net.forward(x)], y)
    assert len(layer_embeddings(net, X, include_output=False)) == 3
    with pytest.raises(InputError):
        layer_embeddings(net, np.zeros((3, 2)))


def test_layer_topology_folds_a_circle_and_counts_per_class():
    net = Network.from_lists([([[1, 0]], [0]), ([[1]], [0])])
    X = circle(400)
    labels = (X[:, 1] > 0).astype(int)
    L = layer_topology(net, X, labels=labels, resolution=10)
    assert [l.name for l in L] == ["input", "hidden 1", "output"]
    assert L[0].topology.betti_numbers == (1, 1, 0)
    assert [b.betti_numbers for _, b in L[0].per_class] == [(1, 0, 0), (1, 0, 0)]
    assert L[0].complexity == 2 and L[0].class_complexity == 2
    assert L[1].complexity == 1 and L[1].class_complexity == 2
    js = L[0].to_json()
    assert js["per_class"][0]["label"] == 0 and js["betti_numbers"] == [1, 1, 0]
    with pytest.raises(InputError):
        layer_topology(net, X, labels=labels[:5])


def test_decay_rate():
    assert decay_rate([8, 4, 2, 1]) == pytest.approx(math.log(2))
    assert decay_rate([1, 2, 4]) == pytest.approx(-math.log(2))
    assert decay_rate([5, 5, 5]) == 0.0
    with pytest.raises(PointlessQuestion):
        decay_rate([3])
    with pytest.raises(PointlessQuestion):
        decay_rate([3, 0])


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


# ---- one validator for point clouds --------------------------------------------------
@pytest.mark.parametrize("bad,message", [
    ([1, 2, 3], "points must be an array of shape (n, m) with m >= 1, got shape (3,)"),
    (np.zeros((3, 0)), "points must be an array of shape (n, m) with m >= 1, got shape (3, 0)"),
    ([[0, np.nan]], "points must be finite (no NaN or infinity)"),
    ([[0, np.inf]], "points must be finite (no NaN or infinity)"),
    ([["a", "b"]], "points must be a numeric array of shape (n, m)"),
    ([[1, 2], [3]], "points must be a numeric array of shape (n, m)"),
])
def test_point_clouds_are_refused_with_the_same_line_everywhere(bad, message):
    """The embeddings and the curvature read point clouds through one check."""
    calls = [lambda: check_points(bad), lambda: principal_projection(bad),
             lambda: occupancy_grid(bad, 4), lambda: point_cloud_topology(bad),
             lambda: curvature.knn_graph(bad, 1), lambda: curvature.directed_knn_graph(bad, 1),
             lambda: curvature.layer_geometry(bad, 1)]
    for call in calls:
        with pytest.raises(InputError) as err:
            call()
        assert str(err.value) == first_line(err.value) == message


def test_unknown_construction_is_refused_before_any_work():
    for call in (lambda: point_cloud_topology([[0, 0], [1, 1]], construction="v"),
                 lambda: layer_topology(Network.from_lists([([[1]], [0])]), [[0]],
                                        construction=None)):
        with pytest.raises(InputError, match='"T" .* or "V"'):
            call()
