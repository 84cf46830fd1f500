"""Many points at once: Network.forward_batch, patterns and sign_vectors equal the
point-by-point forward and pattern, exactly, for every kind of unit."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st


from polytopo.exceptions import InputError
from polytopo.network import units as U
from polytopo.network.model import Network
from polytopo.testing import networks as relu_networks

F = Fraction
UNITS = [U.RELU, U.leaky_relu(F(1, 10)), U.leaky_relu(F(-1, 2)), U.clamp(-1, 1),
         U.clamp(0, None), U.clamp(None, F(1, 2)), U.absolute(), U.linear(), U.Max(2), U.Max(3),
         U.Scalar((F(-1, 3), 0, 2), (2, F(1, 2), -1, 0), F(1, 7))]
weights = st.one_of(st.integers(-3, 3).map(F), st.fractions(-2, 2, max_denominator=4))


@st.composite
def networks(draw, relu_only=False):
    d = draw(st.integers(1, 3))
    layers, units, prev = [], [], d
    for _ in range(draw(st.integers(1, 3))):
        us = draw(st.lists(st.just(U.RELU) if relu_only else st.sampled_from(UNITS),
                           min_size=1, max_size=4))
        rows = sum(u.n_inputs for u in us)
        W = [[draw(weights) for _ in range(prev)] for _ in range(rows)]
        if rows > 1 and draw(st.booleans()):
            W[-1] = list(W[0])                     # a duplicate row: ties, shared zeros
        layers.append((W, [draw(weights) for _ in range(rows)]))
        units.append(us)
        prev = len(us)
    m = draw(st.integers(1, 3))
    layers.append(([[draw(weights) for _ in range(prev)] for _ in range(m)],
                   [draw(weights) for _ in range(m)]))
    return Network.from_lists(layers, units=None if relu_only else units)


coordinate = st.one_of(st.integers(-3, 3), st.fractions(-3, 3, max_denominator=12),
                       st.floats(-3, 3, allow_nan=False, width=64),
                       st.sampled_from([F(-1, 3), F(1, 2), 0, 2, F(-1, 2)]))


@st.composite
def points_for(draw, net):
    """Random points, and points on a breakpoint of a first-layer unit."""
    d = net.input_dim
    pts = draw(st.lists(st.lists(coordinate, min_size=d, max_size=d), min_size=1,
                        max_size=10))
    w, b = net.weights[0], net.biases[0]
    for _ in range(draw(st.integers(0, 4))):
        r = draw(st.integers(0, len(w) - 1))
        unit_row = 0
        bps = [F(0)]
        for u in net.layer_units[0]:
            if unit_row <= r < unit_row + u.n_inputs and isinstance(u, U.Scalar):
                bps = list(u.breakpoints) or [F(0)]
            unit_row += u.n_inputs
        t = draw(st.sampled_from(bps))
        x = [F(v) for v in draw(st.lists(st.fractions(-2, 2, max_denominator=5), min_size=d,
                                         max_size=d))]
        j = next((j for j in range(d) if w[r][j]), None)
        if j is None:
            continue
        rest = sum(w[r][i] * x[i] for i in range(d) if i != j)
        x[j] = (t - b[r] - rest) / w[r][j]       # pre-activation of row r equals t
        pts.append(x)
    return pts


@settings(max_examples=120, deadline=None)
@given(st.data())
def test_batch_equals_point_by_point(data):
    net = data.draw(networks())
    X = data.draw(points_for(net))
    assert net.forward_batch(X) == [net.forward(x) for x in X]
    pats = net.patterns(X)
    assert pats == [net.pattern(x) for x in X]
    assert net.sign_vectors(X).tolist() == [list(net.sign_vector(x)) for x in X]
    A = np.array([[F(v) for v in x] for x in X], dtype=object)
    assert net.patterns(A) == pats


@settings(max_examples=40, deadline=None)
@given(networks(relu_only=True), st.lists(st.lists(st.floats(-1e3, 1e3, allow_nan=False),
                                                   min_size=3, max_size=3), max_size=12))
def test_float_arrays_are_read_exactly(net, X):
    X = [x[:net.input_dim] for x in X]
    A = np.array(X, dtype=float).reshape(len(X), net.input_dim)
    exact = [[F(v) for v in x] for x in X]
    assert net.forward_batch(A) == [net._reference_forward(x) for x in exact]
    assert net.patterns(A) == [net.pattern(x) for x in exact]
    A32 = A.astype(np.float32)
    assert net.patterns(A32) == [net.pattern([F(float(v)) for v in x]) for x in A32]


def test_points_on_breakpoints_get_zeros():
    net = Network.from_lists([([[1, 0], [0, 1], [1, 1], [1, -1]], [0, 0, 0, 0]), ([[1, 1, 1]], [0])],
                             units=[[U.clamp(-1, 1), U.absolute(), U.Max(2)]])
    X = [[1, 0], [-1, F(1, 3)], [F(1, 2), F(1, 2)], [0.25, 0.25], [2, 0], [0, 0]]
    assert net.patterns(X) == [net.pattern(x) for x in X]
    assert net.patterns(X)[0] == "+0000" and net.patterns(X)[5] == "+-000"


def test_big_numbers_use_python_integers():
    # denominators beyond int64 (tiny floats, many layers of thirds): exact all the same
    layer = ([[F(1, 3**12), F(-2, 7**9)], [F(5, 11**8), F(1, 13**7)]], [F(1, 3**20), F(-1, 2**40)])
    net = Network.from_lists([layer] * 5 + [([[1, -1]], [F(1, 10**30)])],
                             units=[U.leaky_relu(F(1, 3**5))] * 5)
    X = np.array([[1e-300, 3.0], [-0.1, 0.7], [2.0**-60, -(2.0**70)]])
    assert net.forward_batch(X) == [net.forward(x) for x in X.tolist()]
    assert net.patterns(X) == [net.pattern(x) for x in X.tolist()]
    relu = Network(net.weights, net.biases)
    assert relu.forward_batch(X) == [relu._reference_forward(x) for x in X.tolist()]


def test_empty_and_shapes():
    net = Network.from_lists([([[1, 0]], [0]), ([[1], [2]], [0, 0])])
    assert net.forward_batch(np.zeros((0, 2))) == [] and net.patterns([]) == []
    assert net.sign_vectors([]).shape == (0, 1)
    assert net.forward_batch(np.array([[1, 2]], dtype=np.int64)) == [(F(1), F(2))]
    assert net.patterns(((F(-1, 2), "1/3"),)) == ["-"]
    linear = Network.from_lists([([[1, 1]], [0]), ([[1]], [0])], units=[[U.linear()]])
    assert linear.patterns([[1, 2]]) == [""] and linear.forward_batch([[1, 2]]) == [(F(3),)]


@pytest.mark.parametrize("X", [np.zeros((3, 3)), np.zeros(2), np.zeros((2, 2, 2)),
                               np.array([[np.nan, 0]]), np.array([[np.inf, 0]]),
                               np.array([["a", "b"]]), [[1, 2, 3]], [1, 2], "xy", 5,
                               [[float("nan"), 0]], [[float("inf"), 0]], [[None, 1]]])
def test_bad_points_are_one_line_input_errors(X):
    net = Network.from_lists([([[1, 0]], [0]), ([[1]], [0])])
    for f in (net.forward_batch, net.patterns, net.sign_vectors, net.exact_points):
        with pytest.raises(InputError) as e:
            f(X)
        assert "\n" not in str(e.value)


def test_forward_of_a_matrix_points_to_forward_batch():
    net = Network.from_lists([([[1, 0]], [0]), ([[1]], [0])])
    for f in (net.forward, net.pattern):
        with pytest.raises(InputError, match="forward_batch"):
            f(np.zeros((3, 2)))


def test_batch_patterns_of_many_float_points_equal_one_by_one():
    """20,000 float points (read exactly) through a ReLU and a LeakyReLU/maxout net: the
    batched patterns are the point-by-point ones (the speed of the batch is measured in
    bench/bench_slices.py, not here)."""
    rng = np.random.default_rng(0)
    layers = [(rng.integers(-5, 6, (16, 2)).tolist(), rng.integers(-5, 6, 16).tolist()),
              (rng.integers(-5, 6, (16, 16)).tolist(), rng.integers(-5, 6, 16).tolist()),
              ]
    X = rng.integers(-1000, 1001, (20000, 2)) / 1000
    for units in (None, [U.leaky_relu(F(1, 10)), [U.Max(2)] * 8]):
        m = 16 if units is None else 8
        out = (rng.integers(-5, 6, (2, m)).tolist(), [0, 0])
        net = Network.from_lists(layers + [out], units=units)
        pats = net.patterns(X)
        assert len(pats) == len(X)
        sample = list(range(0, len(X), 40))
        assert [pats[i] for i in sample] == [net.pattern(X[i].tolist()) for i in sample]


@settings(max_examples=60, deadline=None)
@given(relu_networks(max_layers=3, max_width=5), st.data())
def test_float_points_filtered_signs_equal_exact(net, data):
    """Float points through a ReLU net: signs decided in float64 with an error bound, the
    doubtful points exactly; the result is the exact one, also for points on breakpoints
    (dyadic points where an integer pre-activation vanishes) and huge coordinates."""
    d = net.input_dim
    coord = st.one_of(st.integers(-8, 8).map(lambda k: k / 4),
                      st.floats(-3, 3, allow_nan=False, allow_infinity=False),
                      st.sampled_from([0.0, 1e-300, -1e-300, 1e300, -1e300, 0.1, 1 / 3]))
    pts = data.draw(st.lists(st.lists(coord, min_size=d, max_size=d), min_size=1, max_size=30))
    X = np.array(pts, dtype=np.float64)
    exact = [net.pattern(x) for x in X.tolist()]
    assert net.patterns(X) == exact
    assert net.sign_vectors(X).tolist() == [list(net.sign_vector(x)) for x in X.tolist()]


def test_huge_float_points_through_zero_weights():
    """A point of 1e300 through a net whose weights are all zero: the products are zero,
    but the point's own integers do not fit in int64 (they once overflowed)."""
    net = Network.from_lists([([[0]], [0]), ([[0]], [0])])
    X = np.array([[1e300], [-1e300], [0.5]])
    assert net.patterns(X) == [net.pattern(x) for x in X.tolist()] == ["0", "0", "0"]
    assert net.sign_vectors(X).tolist() == [list(net.sign_vector(x)) for x in X.tolist()]


def test_float_points_on_breakpoints_are_decided_exactly():
    net = Network.from_lists([([[1, -1], [3, 1]], [0, "-1/2"]), ([[1, 1]], [0])])
    X = np.array([[0.25, 0.25], [0.125, 0.125], [0.1, 0.1], [0.5, -1.0], [1e-320, 0.0]])
    assert net.patterns(X) == [net.pattern(x) for x in X.tolist()]
    assert net.patterns(X)[0] == "0+" and net.patterns(X)[3] == "+0"
