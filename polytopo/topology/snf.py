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

Generators of homology need the transformations as well, and only then are they kept:
:func:`reduce_with_chains` runs the same top-down reduction but records, for every cell
that survives, the chain of the original complex it stands for, and
:func:`smith_form_tracked` finishes the small remainder with its row operations. The
Betti-number path above never pays for either.
"""

__all__ = ["boundary_ranks", "factor_counts", "eliminate_units", "csc_from_columns",
           "columns_from_csc", "peel", "reduce_with_chains",
           "smith_form_tracked", "kernel_tracked", "matrix_invariants", "span_invariants", "FLINT_MAT"]

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
def peel(rows, cols, vals, n_rows, n_cols, *, collapses_only=False):
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
    collapses_only : bool
        Take only pivots alone in their row (elementary collapses: no other column meets
        the row, so no column changes at all, not even its chain; what
        :func:`reduce_with_chains` needs).

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
        lone = rdeg[rows] == 1
        if not collapses_only:
            lone |= cdeg[cols] == 1
        cand = np.flatnonzero(unit & lone)
        if not len(cand):
            break
        cand = one_per_row_and_column(rows, cols, cand)
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


def one_per_row_and_column(rows, cols, cand):
    """The candidate entries ``cand`` (indices into ``rows``, ``cols``) thinned to the first
    in each column, then the first of those in each row: pivots that can be eliminated
    together."""
    _, first = np.unique(cols[cand], return_index=True)
    cand = cand[first]
    _, first = np.unique(rows[cand], return_index=True)
    return cand[first]


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


def eliminate_units(cols, chains=None):
    """Eliminate ±1 pivots of ``{col: {row: v}}`` in place; return the pivots ``(row, col)``.

    Afterwards ``cols`` holds the Schur complement (nonzero columns only) on the
    remaining rows and columns; its invariant factors together with one 1 per pivot
    are those of the input.

    With ``chains`` (homology generators), every column operation is applied to it too:
    ``chains`` maps a column to the chain ``{original cell: coefficient}`` it stands for
    (absent: the column itself) and is updated in place; when column ``c2`` gets ``−f ·``
    the pivot column, its chain gets ``−f ·`` the pivot's chain. Pivot columns leave
    ``chains``.

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
        chain = None if chains is None else (chains.pop(c, None) or {c: 1})
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
            if chain is not None:
                chain2 = chains.get(c2)
                if chain2 is None:
                    chain2 = chains[c2] = {c2: 1}
                _add_chain(chain2, chain, -f)
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


# ---------------------------------------------------------------------------------------
# with the transformations: for generators of homology
# ---------------------------------------------------------------------------------------
def reduce_with_chains(levels, n):
    """The top-down unit-pivot reduction of :func:`boundary_ranks`, keeping the chains.

    Eliminating a unit pivot ``(a, b)`` of ``∂_k`` (``a`` a (k−1)-cell, ``b`` a k-cell)
    splits the acyclic summand ``b → ∂b`` off the complex (Kaczynski, Mrozek and Ślusarek
    1998): every other k-cell ``c`` becomes the chain ``c − (a_{a,c} / a_{a,b}) b`` (the
    column operation of the elimination), the (k−1)-cell ``a`` leaves (its column of
    ``∂_{k−1}`` is cleared) and so does the row ``b`` of ``∂_{k+1}``, whose entries vanish
    in the new basis. What is left is a smaller complex ``C'`` with the same homology, and
    its inclusion into the original complex sends each surviving cell to its recorded
    chain: a cycle of ``C'`` is a cycle of the original complex, and a basis of ``H(C')``
    one of ``H``.

    Parameters
    ----------
    levels : list
        ``levels[k]``, ``k ≥ 1``: the CSC arrays of ``∂_k`` (``levels[0]`` is not read).
    n : list of int
        The number of cells of each dimension.

    Returns
    -------
    survivors : list of list of int
        The k-cells of ``C'``, increasing.
    rest : list of dict
        ``rest[k]`` is ``∂_k`` of ``C'`` as ``{col: {row: v}}`` (nonzero columns only; rows
        and columns among the survivors); ``rest[0] = {}``.
    chains : list of dict
        ``chains[k][c]``: the chain ``{original k-cell: coefficient}`` that survivor ``c``
        stands for, when it is not ``c`` itself.

    Examples
    --------
    A triangle's boundary (edges ``v0→v1``, ``v0→v2``, ``v1→v2``): two edges are paired
    with vertices, the third survives as the loop ``e0 − e1 + e2``; one vertex is left.

    >>> import numpy as np
    >>> d1 = (np.array([0, 2, 4, 6]), np.array([0, 1, 0, 2, 1, 2]), np.array([-1, 1, -1, 1, -1, 1]))
    >>> surv, rest, chains = reduce_with_chains([None, d1], [3, 3])
    >>> surv, rest
    ([[1], [2]], [{}, {}])
    >>> dict(sorted(chains[1][2].items()))
    {0: 1, 1: -1, 2: 1}
    """
    d = len(n) - 1
    if d < 0:
        return [], [], []
    survivors, rest = [None] * (d + 1), [dict() for _ in range(d + 1)]
    chains = [dict() for _ in range(d + 1)]
    cleared = np.zeros(n[d], dtype=bool)
    for k in range(d, 0, -1):
        indptr, indices, data = levels[k]
        owner = np.repeat(np.arange(n[k], dtype=np.int64), np.diff(indptr))
        keep = ~cleared[owner]
        rows, cols_, vals = indices[keep], owner[keep], data[keep]
        if len(rows) >= PEEL_MIN_NNZ:
            pr, pc, rows, cols_, vals = peel(rows, cols_, vals, n[k - 1], n[k],
                                             collapses_only=True)
            pr, pc = pr.tolist(), pc.tolist()
        else:
            pr, pc = [], []
        cols = _dicts_from_coo(rows, cols_, vals)
        for r, c in eliminate_units(cols, chains[k]):
            pr.append(r)
            pc.append(c)
        alive = ~cleared
        alive[np.array(pc, dtype=np.int64)] = False
        survivors[k] = np.flatnonzero(alive).tolist()
        rest[k] = cols
        cleared = np.zeros(n[k - 1], dtype=bool)
        cleared[np.array(pr, dtype=np.int64)] = True
    survivors[0] = np.flatnonzero(~cleared).tolist()
    for k in range(1, d + 1):  # rows paired away one level down leave ∂_k of C'
        keep = set(survivors[k - 1])
        out = {}
        for c, col in rest[k].items():
            col = {r: v for r, v in col.items() if r in keep}
            if col:
                out[c] = col
        rest[k] = out
    return survivors, rest, chains


def _add_chain(dst, src, f):
    """``dst += f · src`` for sparse chains ``{cell: coefficient}`` (zeros dropped)."""
    for x, v in src.items():
        nv = dst.get(x, 0) + f * v
        if nv:
            dst[x] = nv
        else:
            dst.pop(x, None)


def smith_form_tracked(matrix, basis):
    """Smith normal form of a small dense integer matrix, its row operations applied to a basis.

    ``matrix`` (a list of ``m`` rows, consumed) presents the group ``Z^m / im(matrix)``
    on the ``m`` generators ``basis`` (sparse chains ``{cell: coefficient}``, one per row;
    updated in place). Row operations ``row_i += q · row_j`` change the generators by the
    inverse, ``basis_j −= q · basis_i``; column operations change nothing. At the end the
    matrix is ``diag(d_1, …, d_s, 0, …)`` with ``d_1 | d_2 | … | d_s`` and the group is
    ``⊕ Z/d_t ⊕ Z^{m−s}``, generated by the (updated) basis in that order.

    Returns
    -------
    list of int
        ``d_1, …, d_s`` (positive).

    Examples
    --------
    ``Z^2 / <(2, 2)>``: the relation ``2(a + b) = 0`` makes ``a + b`` of order 2 and
    ``b`` free.

    >>> basis = [{"a": 1}, {"b": 1}]
    >>> smith_form_tracked([[2], [2]], basis), basis
    ([2], [{'a': 1, 'b': 1}, {'b': 1}])
    """
    W = matrix
    m = len(W)
    n = len(W[0]) if m else 0
    diag = []
    for t in range(min(m, n)):
        entries = [(abs(W[i][j]), i, j) for i in range(t, m) for j in range(t, n) if W[i][j]]
        if not entries:
            break
        _, i, j = min(entries)
        _swap_rows(W, basis, t, i)
        for row in W:
            row[t], row[j] = row[j], row[t]
        while True:
            p = W[t][t]
            for i in range(t + 1, m):  # rows: W_i -= q W_t, so basis_t += q basis_i
                q = W[i][t] // p
                if q:
                    Wi, Wt = W[i], W[t]
                    for j in range(t, n):
                        Wi[j] -= q * Wt[j]
                    _add_chain(basis[t], basis[i], q)
            for j in range(t + 1, n):  # columns: nothing to record
                q = W[t][j] // p
                if q:
                    for row in W[t:]:
                        row[j] -= q * row[t]
            left = [(abs(W[i][t]), i, t) for i in range(t + 1, m) if W[i][t]]
            left += [(abs(W[t][j]), t, j) for j in range(t + 1, n) if W[t][j]]
            if left:
                _, i, j = min(left)
                if j == t:
                    _swap_rows(W, basis, t, i)
                else:
                    for row in W:
                        row[t], row[j] = row[j], row[t]
                continue
            bad = next((i for i in range(t + 1, m) for j in range(t + 1, n) if W[i][j] % p),
                       None)
            if bad is None:
                break
            Wb, Wt = W[bad], W[t]  # W_t += W_bad, so basis_bad -= basis_t
            for j in range(t, n):
                Wt[j] += Wb[j]
            _add_chain(basis[bad], basis[t], -1)
        if W[t][t] < 0:
            W[t] = [-x for x in W[t]]
            basis[t] = {x: -v for x, v in basis[t].items()}
        diag.append(W[t][t])
    return diag


def _swap_rows(W, basis, a, b):
    if a != b:
        W[a], W[b] = W[b], W[a]
        basis[a], basis[b] = basis[b], basis[a]


def kernel_tracked(matrix, n_cols):
    """An integer kernel basis of a small dense matrix, and the coordinates in it.

    Column operations reduce ``A`` (a list of rows, consumed) to ``A V = [E | 0]`` with
    ``E`` of full column rank ``r`` and ``V`` unimodular; the last ``n − r`` columns of
    ``V`` are a basis of ``ker A`` over Z, and a kernel vector ``y`` has the coordinates
    ``(V^{-1} y)[r:]`` in it (its first ``r`` are 0).

    Returns
    -------
    (r, V, Vinv) : int, list of list of int, list of list of int
        ``V`` and ``V^{-1}`` as lists of rows (``n × n``).

    Examples
    --------
    >>> r, V, Vinv = kernel_tracked([[1, 1]], 2)
    >>> r, [row[1] for row in V]          # the kernel is spanned by (-1, 1)
    (1, [-1, 1])
    """
    A = matrix
    n = n_cols
    V = [[int(i == j) for j in range(n)] for i in range(n)]
    Vi = [[int(i == j) for j in range(n)] for i in range(n)]

    def colop(dst, src, q):  # col_dst += q col_src (A and V); row_src -= q row_dst (V^-1)
        for row in A:
            row[dst] += q * row[src]
        for row in V:
            row[dst] += q * row[src]
        rs, rd = Vi[src], Vi[dst]
        for j in range(n):
            rs[j] -= q * rd[j]

    def swap(a, b):
        if a != b:
            for M in (A, V):
                for row in M:
                    row[a], row[b] = row[b], row[a]
            Vi[a], Vi[b] = Vi[b], Vi[a]

    r = 0
    for row in A:
        while True:
            nz = [(abs(row[j]), j) for j in range(r, n) if row[j]]
            if len(nz) <= 1:
                break
            _, j0 = min(nz)
            for _, j in nz:
                if j != j0:
                    colop(j, j0, -(row[j] // row[j0]))
        if nz:
            swap(r, nz[0][1])
            r += 1
        if r == n:
            break
    return r, V, Vi


def matrix_invariants(columns, n_rows):
    """``(number of invariant factors 1, factors > 1)`` of a sparse matrix (a list of column
    dicts ``{row: value}``, not modified), its trivial unit pivots peeled first when large.

    Examples
    --------
    >>> matrix_invariants([{0: 2}, {0: 1, 1: 1}], 2)
    (1, (2,))
    """
    indptr, indices, data = csc_from_columns(columns)
    cols_of = np.repeat(np.arange(len(columns), dtype=np.int64), np.diff(indptr))
    rows, cols_, vals, units = indices, cols_of, data, 0
    if len(rows) >= PEEL_MIN_NNZ:
        pr, _, rows, cols_, vals = peel(rows, cols_, vals, n_rows, len(columns))
        units = len(pr)
    more, others = factor_counts(_dicts_from_coo(rows, cols_, vals))
    return units + more, others


def span_invariants(levels, n, k, extra):
    """Invariant factors of ``[∂_k | extra]``: ``(number of 1s, factors > 1)``.

    ``extra`` is a list of column dicts (k−1-chains) appended to ``∂_k``. The columns of
    ``∂_k`` paired by unit pivots of ``∂_{k+1}`` (the clearing of :func:`boundary_ranks`)
    lie in the Z-span of the others (a pivot ``±1`` at ``(c, σ)`` writes ``∂_k c`` from
    the other columns, since ``∂_k ∂_{k+1} σ = 0``), so they are left out; then unit
    pivots are peeled and the remainder goes to :func:`factor_counts`. The lattice spanned
    is that of ``[∂_k | extra]``, so are its invariant factors.

    Examples
    --------
    A filled triangle: its loop spans the boundaries, and so does twice the loop with them;
    twice the loop alone spans a lattice with factor 2.

    >>> import numpy as np
    >>> d1 = (np.array([0, 2, 4, 6]), np.array([0, 1, 0, 2, 1, 2]), np.array([-1, 1, -1, 1, -1, 1]))
    >>> d2 = (np.array([0, 3]), np.array([0, 1, 2]), np.array([1, -1, 1]))
    >>> span_invariants([None, d1, d2], [3, 3, 1], 2, [{0: 1, 1: -1, 2: 1}])
    (1, ())
    >>> span_invariants([None, d1, d2], [3, 3, 1], 2, [{0: 2, 1: -2, 2: 2}])
    (1, ())
    >>> span_invariants([None, d1], [3, 3], 2, [{0: 2, 1: -2, 2: 2}])
    (0, (2,))
    """
    d = len(n) - 1
    cleared = np.zeros(n[k] if k <= d else 0, dtype=bool)
    if k + 1 <= d:
        indptr, indices, data = levels[k + 1]
        owner = np.repeat(np.arange(n[k + 1], dtype=np.int64), np.diff(indptr))
        rows, cols_, vals = indices, owner, data
        pr = []
        if len(rows) >= PEEL_MIN_NNZ:
            pr, _, rows, cols_, vals = peel(rows, cols_, vals, n[k], n[k + 1])
            pr = pr.tolist()
        pr += [r for r, _ in eliminate_units(_dicts_from_coo(rows, cols_, vals))]
        cleared[np.array(pr, dtype=np.int64)] = True
    if 1 <= k <= d:
        indptr, indices, data = levels[k]
        owner = np.repeat(np.arange(n[k], dtype=np.int64), np.diff(indptr))
        keep = ~cleared[owner]
        rows, cols_, vals = indices[keep], owner[keep], data[keep]
        n_cols = n[k]
    else:
        rows = cols_ = np.zeros(0, dtype=np.int64)
        vals, n_cols = rows, 0
    if extra:
        p, i, v = csc_from_columns(extra)
        rows = np.concatenate([rows, i])
        cols_ = np.concatenate([cols_, n_cols + np.repeat(np.arange(len(extra), dtype=np.int64),
                                                          np.diff(p))])
        vals = np.concatenate([vals.astype(object) if v.dtype == object else vals,
                               v.astype(object) if vals.dtype == object else v])
    n_rows = n[k - 1] if k >= 1 else 0
    if extra and k >= 1:
        n_rows = max(n_rows, int(rows.max()) + 1 if len(rows) else 0)
    elif extra:
        n_rows = int(rows.max()) + 1 if len(rows) else 0
    units = 0
    if len(rows) >= PEEL_MIN_NNZ:
        pr, _, rows, cols_, vals = peel(rows, cols_, vals, n_rows, n_cols + len(extra))
        units = len(pr)
    more, others = factor_counts(_dicts_from_coo(rows, cols_, vals))
    return units + more, others
