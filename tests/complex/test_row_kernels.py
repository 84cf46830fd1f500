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
