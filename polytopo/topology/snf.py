"""Sparse integer elimination behind :mod:`polytopo.topology.homology`: ranks and Smith forms, exact.

A matrix comes in one of two forms:

- **CSC arrays** ``(indptr, indices, data)``: column ``j`` has the nonzero entries
  ``data[indptr[j]:indptr[j+1]]`` in the rows ``indices[indptr[j]:indptr[j+1]]``;
  ``data`` is int64, or an object array of Python ints when a value does not fit. Chain
  complexes keep their boundary maps this way, and :func:`boundary_ranks` starts on it;
- **dicts** ``{col: {row: value}}`` (nonzero columns only), for the elimination proper.

:func:`boundary_ranks` reduces a whole chain complex from the top dimension down. Each
boundary matrix first loses, in vectorized rounds (:func:`peel`), every unit pivot that
needs no arithmetic: a ``±1`` alone in its row or alone in its column. Eliminating such a
pivot only deletes its row and column (in a cell complex: an elementary collapse or a
coreduction), so a whole round of them, no two in one row or column, is one deletion. On
boundary matrices of polyhedral complexes this finds almost all of the rank. The rest goes
to :func:`eliminate_units` (unit pivots with a Markowitz choice and fill-in, on dicts) and
finally to an exact Euclidean Smith form.
"""

__all__ = ["boundary_ranks", "factor_counts", "eliminate_units", "csc_from_columns",
           "columns_from_csc", "peel", "FLINT_MAT"]

import heapq
import math

import numpy as np

try:  # optional speed backend for the dense remainder; results never depend on it
    import flint as _flint

    FLINT_MAT = _flint.fmpz_mat if hasattr(_flint.fmpz_mat, "snf") else None
except ImportError:  # pragma: no cover - depends on the environment
    FLINT_MAT = None

#: largest remainder (rows × columns) handed to python-flint as a dense matrix
_FLINT_MAX_ENTRIES = 4_000_000
#: matrices with fewer nonzeros skip the vectorized pass (its fixed cost is not worth it)
PEEL_MIN_NNZ = 4096


# ---------------------------------------------------------------------------------------
# the two forms
# ---------------------------------------------------------------------------------------
def _values(values):
    """An int64 array of Python ints, or an object array when one does not fit."""
    try:
        return np.array(values, dtype=np.int64)
    except OverflowError:
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out


def csc_from_columns(columns):
    """CSC arrays of a list of column dicts ``[{row: value}, …]`` (zero values dropped).

    Examples
    --------
    >>> p, i, v = csc_from_columns([{0: 1, 2: -1}, {}, {1: 2**70}])
    >>> p.tolist(), i.tolist(), v.tolist(), v.dtype
    ([0, 2, 2, 3], [0, 2, 1], [1, -1, 1180591620717411303424], dtype('O'))
    """
    lens = np.fromiter((len(c) for c in columns), dtype=np.int64, count=len(columns))
    indptr = np.zeros(len(columns) + 1, dtype=np.int64)
    np.cumsum(lens, out=indptr[1:])
    indices = np.fromiter((r for c in columns for r in c), dtype=np.int64,
                          count=int(indptr[-1]))
    data = _values([v for c in columns for v in c.values()])
    if data.size and not data.all():
        keep = data != 0
        owner = np.repeat(np.arange(len(columns), dtype=np.int64), lens)
        np.cumsum(np.bincount(owner[keep], minlength=len(columns)), out=indptr[1:])
        indices, data = indices[keep], data[keep]
    return indptr, indices, data


def columns_from_csc(indptr, indices, data):
    """The list of column dicts of CSC arrays.

    Examples
    --------
    >>> import numpy as np
    >>> columns_from_csc(np.array([0, 2, 2]), np.array([3, 1]), np.array([1, -1]))
    [{3: 1, 1: -1}, {}]
    """
    p, i, v = indptr.tolist(), indices.tolist(), data.tolist()
    return [dict(zip(i[a:b], v[a:b])) for a, b in zip(p[:-1], p[1:])]


def _dicts_from_coo(rows, cols, vals):
    """``{col: {row: value}}`` of COO arrays (nonzero entries)."""
    if not len(cols):
        return {}
    order = np.argsort(cols, kind="stable")
    rows, cols, vals = rows[order].tolist(), cols[order], vals[order].tolist()
    starts = np.flatnonzero(np.diff(cols)) + 1
    bounds = [0] + starts.tolist() + [len(cols)]
    keys = cols[bounds[:-1]].tolist()
    return {c: dict(zip(rows[a:b], vals[a:b])) for c, a, b in zip(keys, bounds[:-1], bounds[1:])}


# ---------------------------------------------------------------------------------------
# the vectorized pass
# ---------------------------------------------------------------------------------------
def peel(rows, cols, vals, n_rows, n_cols):
    """Eliminate, in rounds, the unit pivots that need no arithmetic; return what is left.

    A pivot ``±1`` at ``(r, c)`` alone in row ``r`` clears nothing (no other column
    meets ``r``); one alone in column ``c`` clears only row ``r``'s entries in other
    columns. Either way its elimination deletes row ``r`` and column ``c`` and changes
    no other entry, and deleting rows and columns keeps every other such pivot alone in
    its row or column. So each round takes all current candidates, at most one per row
    and per column, and deletes their rows and columns at once; rounds stop when one
    would find fewer pivots than about 1% of the entries left (the dict elimination is
    then cheaper per pivot).

    Parameters
    ----------
    rows, cols, vals : arrays
        The nonzero entries (COO); ``vals`` int64 or object.
    n_rows, n_cols : int

    Returns
    -------
    pivot_rows, pivot_cols, rows, cols, vals
        The pivots (int64 arrays, paired by position) and the entries of the remainder,
        the input matrix with the pivots' rows and columns deleted.

    Examples
    --------
    The boundary of a triangle's edges (three edges, three vertices) peels to one cycle:

    >>> import numpy as np
    >>> r, c = np.array([0, 1, 1, 2, 0, 2]), np.array([0, 0, 1, 1, 2, 2])
    >>> v = np.array([-1, 1, -1, 1, 1, -1])
    >>> pr, pc, *rest = peel(r, c, v, 3, 3)
    >>> len(pr), [x.tolist() for x in rest]
    (0, [[0, 1, 1, 2, 0, 2], [0, 0, 1, 1, 2, 2], [-1, 1, -1, 1, 1, -1]])
    >>> pr, pc, *rest = peel(r[:4], c[:4], v[:4], 3, 2)   # a path: collapses completely
    >>> sorted(zip(pr.tolist(), pc.tolist())), len(rest[0])
    ([(0, 0), (2, 1)], 0)
    """
    found_r, found_c = [], []
    alive_r = np.ones(n_rows, dtype=bool)
    alive_c = np.ones(n_cols, dtype=bool)
    unit = (vals == 1) | (vals == -1)
    while len(rows):
        rdeg = np.bincount(rows, minlength=n_rows)
        cdeg = np.bincount(cols, minlength=n_cols)
        cand = np.flatnonzero(unit & ((rdeg[rows] == 1) | (cdeg[cols] == 1)))
        if not len(cand):
            break
        _, first = np.unique(cols[cand], return_index=True)
        cand = cand[first]
        _, first = np.unique(rows[cand], return_index=True)
        cand = cand[first]
        pr, pc = rows[cand], cols[cand]
        found_r.append(pr)
        found_c.append(pc)
        alive_r[pr] = False
        alive_c[pc] = False
        keep = alive_r[rows] & alive_c[cols]
        rows, cols, vals, unit = rows[keep], cols[keep], vals[keep], unit[keep]
        if 100 * len(cand) < len(rows):
            break
    empty = np.zeros(0, dtype=np.int64)
    return (np.concatenate(found_r) if found_r else empty,
            np.concatenate(found_c) if found_c else empty, rows, cols, vals)


# ---------------------------------------------------------------------------------------
# a whole chain complex
# ---------------------------------------------------------------------------------------
def boundary_ranks(levels, n):
    """Ranks and torsion of all boundary maps by top-down reduction of the complex.

    ``levels[k]`` holds the CSC arrays of ``∂_k`` (``n[k-1] × n[k]``) for ``k ≥ 1``.
    From the top dimension down, the unit pivots of ``∂_k`` are eliminated (first by
    :func:`peel`, then by :func:`eliminate_units`); a pivot ``(a, b)``, ``a`` a
    (k−1)-cell and ``b`` a k-cell, removes the pair from the complex, so column ``a`` of
    ``∂_{k-1}`` is never looked at (the "clearing" of persistent homology) and row ``b``
    is dropped from what remains of ``∂_{k+1}``, whose Smith form is then finished.

    Returns ``ranks`` and ``torsion`` indexed ``0 … d+1`` (``∂_0 = ∂_{d+1} = 0``).

    Examples
    --------
    The boundary of a triangle, a circle: ``rank ∂_1 = 2``.

    >>> import numpy as np
    >>> d1 = (np.array([0, 2, 4, 6]), np.array([0, 1, 1, 2, 0, 2]), np.array([-1, 1, -1, 1, 1, -1]))
    >>> boundary_ranks([None, d1], [3, 3])
    ([0, 2, 0], [(), (), ()])
    """
    d = len(n) - 1
    ranks = [0] * (d + 2)
    torsion = [()] * (d + 2)
    above, above_units, cleared = None, 0, None
    for k in range(d, 0, -1):
        indptr, indices, data = levels[k]
        cols_of = np.repeat(np.arange(n[k], dtype=np.int64), np.diff(indptr))
        rows, cols_, vals = indices, cols_of, data
        if cleared is not None:
            keep = ~cleared[cols_]
            rows, cols_, vals = rows[keep], cols_[keep], vals[keep]
        if len(rows) >= PEEL_MIN_NNZ:
            pr, pc, rows, cols_, vals = peel(rows, cols_, vals, n[k - 1], n[k])
            pr, pc = pr.tolist(), pc.tolist()
        else:
            pr, pc = [], []
        cols = _dicts_from_coo(rows, cols_, vals)
        for r, c in eliminate_units(cols):
            pr.append(r)
            pc.append(c)
        if above:  # drop the rows of ∂_{k+1} paired away by pivots of ∂_k
            _finish(above, above_units, set(pc), k + 1, ranks, torsion)
        else:
            ranks[k + 1] = above_units
        above, above_units = cols, len(pr)
        cleared = np.zeros(n[k - 1], dtype=bool)
        cleared[np.array(pr, dtype=np.int64)] = True
    if d >= 1:
        _finish(above or {}, above_units, (), 1, ranks, torsion)
    return ranks, torsion


def _finish(rest, n_units, drop_rows, k, ranks, torsion):
    """Smith form of the remainder of ``∂_k`` once its paired-away rows are dropped."""
    if drop_rows:
        for c in list(rest):
            col = rest[c]
            for r in [r for r in col if r in drop_rows]:
                del col[r]
            if not col:
                del rest[c]
    units, others = factor_counts(rest)
    ranks[k] = n_units + units + len(others)
    torsion[k] = others


def factor_counts(cols):
    """Invariant factors of ``{col: {row: v}}`` (consumed): (number of 1s, factors > 1)."""
    units = len(eliminate_units(cols))
    diagonal = []
    if cols and FLINT_MAT is not None:
        rows = sorted({r for col in cols.values() for r in col})
        if len(rows) * len(cols) <= _FLINT_MAX_ENTRIES:
            diagonal = _flint_diagonal(cols, rows)
            cols = {}
    while cols:
        diagonal.append(_euclid_pivot(cols))
        units += len(eliminate_units(cols))
    chain = _divisibility_chain(diagonal)
    ones = sum(1 for t in chain if t == 1)
    return units + ones, tuple(t for t in chain if t > 1)


def _unit_cost(col, rows):
    """Least Markowitz cost over the ±1 entries of a column (None without such entries)."""
    best = None
    lc = len(col) - 1
    for r, v in col.items():
        if v == 1 or v == -1:
            m = (len(rows[r]) - 1) * lc
            if best is None or m < best:
                best = m
                if m == 0:
                    break
    return best


def eliminate_units(cols):
    """Eliminate ±1 pivots of ``{col: {row: v}}`` in place; return the pivots ``(row, col)``.

    Afterwards ``cols`` holds the Schur complement (nonzero columns only) on the
    remaining rows and columns; its invariant factors together with one 1 per pivot
    are those of the input.

    The queue holds one live entry per column (``stamp`` marks the live one). A
    column changed by an elimination is queued with the cheap estimate
    ``|column| − 1`` (its cost if its best row had two entries) instead of being
    rescanned, so an update costs ``O(|pivot column|)`` whatever the size of the
    column it lands in; the exact cost is computed when the entry comes up, and the
    column is queued again if it got more expensive.
    """
    rows = {}
    for c, col in cols.items():
        for r in col:
            s = rows.get(r)
            if s is None:
                rows[r] = {c}
            else:
                s.add(c)
    heap = []
    stamp = dict.fromkeys(cols, 0)
    for c, col in cols.items():
        m = _unit_cost(col, rows)
        if m is not None:
            heap.append((m, c, 0))
    heapq.heapify(heap)
    pivots = []
    pop, push = heapq.heappop, heapq.heappush
    while heap:
        cost, c, st = pop(heap)
        col = cols.get(c)
        if col is None or stamp[c] != st:
            continue
        lc = len(col) - 1
        r = best = None
        for rr, v in col.items():
            if v == 1 or v == -1:
                m = (len(rows[rr]) - 1) * lc
                if best is None or m < best:
                    r, best = rr, m
                    if m == 0:
                        break
        if r is None:
            continue
        if best > cost:  # it got more expensive since it was queued: queue it again
            push(heap, (best, c, st))
            continue
        p = col[r]
        del cols[c]
        for rr in col:
            rows[rr].discard(c)
        for c2 in rows.pop(r):
            col2 = cols[c2]
            f = col2.pop(r) * p  # column c2 -= (a_{r,c2} / p) · column c, and 1/p = p
            for rr, v in col.items():
                if rr == r:
                    continue
                old = col2.get(rr)
                if old is None:
                    col2[rr] = -f * v
                    rows[rr].add(c2)
                else:
                    nv = old - f * v
                    if nv:
                        col2[rr] = nv
                    else:
                        del col2[rr]
                        rows[rr].discard(c2)
            if col2:
                st2 = stamp[c2] + 1
                stamp[c2] = st2
                push(heap, (len(col2) - 1, c2, st2))
            else:
                del cols[c2]
        pivots.append((r, c))
    return pivots


def _euclid_pivot(cols):
    """Split off one diagonal entry of ``{col: {row: v}}`` (in place) by Euclidean steps.

    Starts at an entry of least absolute value; reduces its row (column operations)
    and its column (row operations) modulo the pivot; while a nonzero remainder is
    left, moves to the smallest one. Returns the isolated pivot's absolute value and
    removes its row and column.
    """
    rows = {}
    for c, col in cols.items():
        for r in col:
            rows.setdefault(r, set()).add(c)
    _, _, r, c = min((abs(v), len(rows[r]) * len(col), r, c)
                     for c, col in cols.items() for r, v in col.items())
    while True:
        p = cols[c][r]
        for c2 in [x for x in rows[r] if x != c]:  # column operations clear row r
            q = cols[c2][r] // p
            if q:
                _add_column(cols, rows, c2, c, -q)
        pcol = cols[c]
        for r2 in [x for x in pcol if x != r]:  # row operations clear column c
            q = pcol[r2] // p
            if q:
                for c3 in list(rows[r]):
                    _add_entry(cols, rows, c3, r2, -q * cols[c3][r])
        left = [(abs(cols[c2][r]), c2, r) for c2 in rows[r] if c2 != c]
        left += [(abs(v), c, r2) for r2, v in cols[c].items() if r2 != r]
        if not left:
            break
        _, c, r = min(left)
    del cols[c]
    for c2 in list(cols):  # drop emptied columns
        if not cols[c2]:
            del cols[c2]
    return abs(p)


def _add_column(cols, rows, dst, src, q):
    """Column ``dst += q · column src``."""
    for r, v in list(cols[src].items()):
        _add_entry(cols, rows, dst, r, q * v)


def _add_entry(cols, rows, c, r, x):
    """``a[r, c] += x`` keeping the row index in step."""
    col = cols[c]
    nv = col.get(r, 0) + x
    if nv:
        if r not in col:
            rows.setdefault(r, set()).add(c)
        col[r] = nv
    elif r in col:
        del col[r]
        rows[r].discard(c)


def _flint_diagonal(cols, rows):
    """Nonzero diagonal of the Smith form by python-flint (dense ``fmpz_mat.snf``)."""
    where = {r: i for i, r in enumerate(rows)}
    order = list(cols)
    flat = [0] * (len(rows) * len(order))
    for j, c in enumerate(order):
        for r, v in cols[c].items():
            flat[where[r] * len(order) + j] = v
    snf = FLINT_MAT(len(rows), len(order), flat).snf()
    diag = (int(snf[i, i]) for i in range(min(len(rows), len(order))))
    return [abs(x) for x in diag if x]


def _divisibility_chain(diagonal):
    """Invariant factors of a diagonal matrix: ``diag(a, b) ~ diag(gcd, lcm)`` pairwise.

    For every prime this sorts the exponents (a selection sort run on all primes at
    once), so the result is in divisibility order; 1s may appear. ``O(t^2)`` gcds for
    ``t`` entries, ``O(t)`` when the sorted entries already divide each other.
    """
    d = sorted(diagonal)
    if all(b % a == 0 for a, b in zip(d, d[1:])):
        return d
    for i in range(len(d)):
        for j in range(i + 1, len(d)):
            a, b = d[i], d[j]
            if b % a:
                g = math.gcd(a, b)
                d[i], d[j] = g, a // g * b
    return d
