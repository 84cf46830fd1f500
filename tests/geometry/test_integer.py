"""The integer matrix kernels (polytopo.geometry.integer): exact whatever the entries' size."""

import itertools
import random
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from polytopo.geometry import integer
from polytopo.geometry.exact import rank
from polytopo.network.model import Network
from polytopo.testing import networks, rational_weights


@given(st.integers(1, 6), st.lists(st.integers(0, 3), min_size=1, max_size=12), st.data())
def test_batched_determinants_are_exact(n, scales, data):
    """Vectorized Laplace determinants equal Bareiss on Python ints, whether a matrix is
    computed in int64 or (entries near 2**40 and beyond) in Python ints, or a mix."""
    mats = []
    for s in scales:
        top = [5, 1 << 20, 1 << 40, 1 << 70][s]
        mats.append([[data.draw(st.integers(-top, top)) for _ in range(n)] for _ in range(n)])
    M = np.empty((len(mats), n, n), dtype=object)
    M[...] = mats
    small = all(max(abs(x) for r in m for x in r) < 1 << 20 for m in mats)
    got = integer.batched_det(M.astype(np.int64) if small else M)
    assert [int(x) for x in got] == [integer.det(m) for m in mats]
    assert [integer.det(m) for m in mats] == [int(sympy.Matrix(m).det()) for m in mats]


@settings(max_examples=60, deadline=None)
@given(networks(weights=rational_weights(bound=4, max_denominator=6), max_layers=3))
def test_integer_layers_compute_positive_multiples_of_the_preactivations(net):
    """Fed D_{l-1} times the layer's input, integer layer l gives D_l times its
    pre-activations, D_l > 0: checked against plain Fraction arithmetic at random points."""
    layers = integer.integer_layers(net.weights, net.biases)
    assert all(isinstance(x, int) for W, b, _ in layers for row in W for x in row + b)
    rng = random.Random(0)
    for _ in range(5):
        x = [Fraction(rng.randint(-9, 9), rng.randint(1, 5)) for _ in range(net.input_dim)]
        h, prev = list(x), 1
        for (W, b), (Wi, bi, D) in zip(zip(net.weights, net.biases), layers):
            z = [sum((w * v for w, v in zip(row, h)), c) for row, c in zip(W, b)]
            zi = [sum(w * prev * v for w, v in zip(row, h)) + c for row, c in zip(Wi, bi)]
            assert D > 0 and zi == [D * v for v in z]
            h, prev = [max(v, 0) for v in z], D
        assert net.forward(x) == tuple(z)


def test_integer_layers_are_the_smallest_scaling():
    W1, W2 = [[Fraction(1, 2), 1]], [[Fraction(2, 3)]]
    assert integer.integer_layers([W1, W2], [[0], [Fraction(1, 4)]]) == \
        [([[1, 2]], [0], 2), ([[4]], [3], 12)]
    # weights only (what ranks need): the biases' denominators play no part
    assert integer.integer_layers([W1, W2]) == [([[1, 2]], None, 2), ([[1]], None, 3)]
    assert integer.integer_layers([[[3, -1]]], [[2]]) == [([[3, -1]], [2], 1)]


@pytest.mark.parametrize("top", [3, 1 << 40, 1 << 70])
def test_gram_and_psd_ranks_equal_the_exact_rank(top):
    rng = random.Random(top)
    mats = []
    for _ in range(40):
        n, r = rng.randint(1, 4), rng.randint(0, 4)
        # rank at most r: a product of n×r and r×4 integer matrices
        A = [[rng.randint(-top, top) for _ in range(r)] for _ in range(n)]
        B = [[rng.randint(-3, 3) for _ in range(4)] for _ in range(r)]
        mats.append([[sum(a * b for a, b in zip(row, col)) for col in zip(*B)] if r else
                     [0] * 4 for row in A])
    want = [rank(m) for m in mats]
    got = [integer.gram_rank(integer.as_matrix(m, 4)) for m in mats]
    assert got == want == [integer.int_rank(m) for m in mats]
    small = [(m, w) for m, w in zip(mats, want) if len(m) == 4]
    if top < 1 << 20 and small:
        J = np.array([m for m, _ in small], dtype=np.int64)
        G = np.einsum("nik,nil->nkl", J, J)
        assert integer.psd_ranks(G).tolist() == [w for _, w in small]


def test_as_matrix_is_int64_exactly_when_it_fits():
    assert integer.as_matrix([(1, -2)], 2).dtype == np.int64
    big = integer.as_matrix([(1, 1 << 62)], 2)
    assert big.dtype == object and big.tolist() == [[1, 1 << 62]]
    assert integer.as_matrix([], 3).shape == (0, 3)
    assert integer.shrink(big[:, :1]).dtype == np.int64
    assert integer.exact_product(np.array([[1 << 40]]), np.array([[1 << 40]])).tolist() \
        == [[1 << 80]]


def test_network_evaluation_uses_the_same_integer_layers():
    net = Network.from_lists([([[Fraction(1, 2), 1], [1, Fraction(-1, 3)]], [0, Fraction(1, 5)]),
                              ([[Fraction(3, 7), 1]], [Fraction(-1, 2)])])
    for x in itertools.product([Fraction(-1), Fraction(1, 3), Fraction(2)], repeat=2):
        assert net.forward(x) == net._reference_forward(x)
