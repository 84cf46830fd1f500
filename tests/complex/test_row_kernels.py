"""The CSR row kernels of the finished complex and the parallel gluing, against plain
Python: sorting within rows, distinct values per row, renumbered rows, distinct rows."""

import numpy as np
from hypothesis import given, settings, strategies as st

from polytopo.complex import state
from polytopo.complex.parallel import _unique_rows

rows_st = st.lists(st.lists(st.integers(0, 40), max_size=9), max_size=40)


def csr(rows):
    ptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in rows], out=ptr[1:])
    return ptr, np.array([x for r in rows for x in r], dtype=np.int64)


def split(ptr, vals):
    return [vals[a:b].tolist() for a, b in zip(ptr[:-1].tolist(), ptr[1:].tolist())]


@settings(max_examples=200, deadline=None)
@given(rows_st, st.booleans())
def test_sort_within_rows(rows, few_groups):
    if not few_groups:   # force the key-sort path
        old, state.ROW_LENGTH_GROUPS = state.ROW_LENGTH_GROUPS, 0
    try:
        ptr, vals = csr(rows)
        assert split(ptr, state.sort_within_rows(ptr, vals)) == [sorted(r) for r in rows]
    finally:
        if not few_groups:
            state.ROW_LENGTH_GROUPS = old


@settings(max_examples=200, deadline=None)
@given(rows_st)
def test_unique_within_rows(rows):
    ptr, vals = csr(rows)
    p, v = state.unique_within_rows(ptr, vals)
    assert split(p, v) == [sorted(set(r)) for r in rows]


@settings(max_examples=200, deadline=None)
@given(rows_st, st.randoms(use_true_random=False))
def test_renumbered_rows(rows, rnd):
    ptr, vals = csr(rows)
    order = list(range(len(rows)))
    rnd.shuffle(order)
    new = list(range(41))
    rnd.shuffle(new)
    p, v = state.renumbered_rows(ptr, vals, np.array(order, dtype=np.int64),
                                 np.array(new, dtype=np.int64))
    assert split(p, v) == [sorted(new[x] for x in rows[r]) for r in order]


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 3).flatmap(lambda w: st.lists(
    st.lists(st.integers(-3, 3), min_size=w, max_size=w), min_size=1, max_size=30)))
def test_unique_rows_is_numpys(rows):
    M = np.array(rows, dtype=np.int64).reshape(len(rows), -1)
    first, inverse = _unique_rows(M)
    if M.shape[1]:
        _, f2, i2 = np.unique(M, axis=0, return_index=True, return_inverse=True)
        assert first.tolist() == f2.tolist() and inverse.tolist() == i2.reshape(-1).tolist()
    else:
        assert first.tolist() == [0] and inverse.tolist() == [0] * len(rows)


@settings(max_examples=300, deadline=None)
@given(st.integers(-10 ** 30, 10 ** 30), st.integers(1, 10 ** 30))
def test_ratio_is_fraction(n, d):
    from fractions import Fraction

    from polytopo.geometry.exact import ratio

    q = ratio(n, d)
    assert q == Fraction(n, d) and type(q) is Fraction
    assert (q.numerator, q.denominator) == (Fraction(n, d).numerator, Fraction(n, d).denominator)
    assert hash(q) == hash(Fraction(n, d)) and str(q) == str(Fraction(n, d))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 255), min_size=1, max_size=24), st.data())
def test_all_function_signs_is_function_signs(row, data):
    from polytopo.complex.labels import all_function_signs, function_signs

    lab = np.array([row, row[::-1]], dtype=np.uint8)
    js = data.draw(st.lists(st.integers(0, 4 * len(row) - 1), max_size=12))
    got = all_function_signs(lab, js)
    assert got.shape == (2, len(js))
    for c, j in enumerate(js):
        assert got[:, c].tolist() == function_signs(lab, j).tolist()


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 5), st.integers(1, 6), st.integers(0, 8), st.integers(0, 60),
       st.booleans(), st.randoms(use_true_random=False))
def test_layer_values_are_exact_on_every_path(k, m, n, bits, relu, rnd):
    """layer_values (float64 BLAS below 2**53, int64 below 2**62, Python ints beyond)
    equals the plain Python-int formula ``W relu(Z) + b w``, near each bound too."""
    from polytopo.complex.values import layer_values

    top = 1 << bits
    W = [[rnd.randint(-top, top) for _ in range(k)] for _ in range(m)]
    b = [rnd.randint(-top, top) for _ in range(m)]
    Z = np.array([[rnd.randint(-top, top) for _ in range(k)] for _ in range(n)],
                 dtype=np.int64).reshape(n, k)
    w = np.array([rnd.randint(1, top) for _ in range(n)], dtype=np.int64)
    got = layer_values(W, b, Z, w, relu)
    want = [[sum(W[i][j] * (max(int(Z[r, j]), 0) if relu else int(Z[r, j])) for j in range(k))
             + b[i] * int(w[r]) for i in range(m)] for r in range(n)]
    assert [[int(x) for x in row] for row in np.asarray(got).tolist()] == want


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 4), st.integers(0, 5), st.integers(1, 8), st.integers(0, 120),
       st.randoms(use_true_random=False))
def test_interpolation_reduces_by_the_coordinates_gcd(d, m, n, bits, rnd):
    """The engine's rows ``(X, w, Z)`` with ``Z`` an integer combination of ``(X, w)`` (a
    cell's integer map): interpolating with the gcd taken over the ``d + 1`` coordinates
    gives the primitive rows, as dividing by the gcd of the whole row does (int64 and
    Python-int paths)."""
    from math import gcd

    from polytopo.complex.values import interpolate

    top = 1 << bits
    Mp = [[rnd.randint(-top, top) for _ in range(d + 1)] for _ in range(m)]

    def row():
        h = [rnd.randint(-top, top) * rnd.choice((1, 2, 6)) for _ in range(d)]
        h.append(rnd.randint(1, top) * rnd.choice((1, 2, 6)))
        return h + [sum(a * x for a, x in zip(r, h)) for r in Mp]

    def arr(rows):
        out = np.empty((len(rows), len(rows[0])), dtype=object)
        out[:] = [tuple(r) for r in rows]
        try:
            return np.array(rows, dtype=np.int64) if bits < 20 else out
        except OverflowError:
            return out

    A, B = [row() for _ in range(n)], [row() for _ in range(n)]
    ga = [rnd.randint(1, top) * rnd.choice((1, 3)) for _ in range(n)]
    gb = [rnd.randint(1, top) * rnd.choice((1, 3)) for _ in range(n)]
    got = interpolate(arr(A), arr(B), np.array(ga, dtype=object if bits >= 20 else np.int64),
                      np.array(gb, dtype=object if bits >= 20 else np.int64), d + 1)
    for r, a, b, x, y in zip(np.asarray(got).tolist(), A, B, ga, gb):
        full = [x * q + y * p for p, q in zip(a, b)]
        g = 0
        for v in full:
            g = gcd(g, v)
        assert [int(v) for v in r] == [v // g for v in full]


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 4), st.integers(0, 30), st.sampled_from([3, 1 << 20, 1 << 40, 1 << 61]),
       st.randoms(use_true_random=False))
def test_lex_order_is_lexsort(k, n, top, rnd):
    """The packed-key row order of the region export equals a lexsort by (group, rows),
    on small values (one int64 key) and on spans too large to pack."""
    from polytopo.complex.export import _lex_order

    rows = np.array([[rnd.randint(-top, top) for _ in range(k)] for _ in range(n)],
                    dtype=np.int64).reshape(n, k)
    group = np.array(sorted(rnd.randint(0, 5) for _ in range(n)), dtype=np.int64)
    got = _lex_order(rows, group)
    want = sorted(range(n), key=lambda i: (int(group[i]),) + tuple(rows[i].tolist()))
    assert [(int(group[i]),) + tuple(rows[i].tolist()) for i in got.tolist()] == \
        [(int(group[i]),) + tuple(rows[i].tolist()) for i in want]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(-10 ** 30, 10 ** 30), st.integers(1, 10 ** 30)),
                max_size=20))
def test_reduced_ratios_are_fractions(pairs):
    """reduced_ratios on coprime pairs gives the Fractions themselves (value, hash, repr)."""
    from fractions import Fraction
    from math import gcd

    from polytopo.geometry.exact import reduced_ratios

    pairs = [(n // gcd(n, d), d // gcd(n, d)) for n, d in pairs]
    got = reduced_ratios([n for n, _ in pairs], [d for _, d in pairs])
    want = [Fraction(n, d) for n, d in pairs]
    assert got == want
    assert [hash(x) for x in got] == [hash(x) for x in want]
    assert [repr(x) for x in got] == [repr(x) for x in want]
