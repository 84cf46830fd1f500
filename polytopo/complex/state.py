"""Finished complexes of the refinement engine (private): :class:`State` (vertices, labels
and facets as compressed sparse rows), the canonical order of cells, and the conversions
between a :class:`~polytopo.complex.engine._Builder` and a :class:`State`."""

import itertools
import math

import numpy as np

from ..geometry.integer import as_matrix, reduce_rows, shrink
from .labels import fix_max_signs, max_groups, n_label_bytes, sort_keys
from .engine import builder_from_lists


class State:
    """A finished complex in canonical order.

    ``hom``: the primitive integer homogeneous vertex rows (an ``int64`` array, or
    ``object`` where an entry exceeds ``2**62``; a list of tuples is accepted); ``lab[k]``: packed
    labels of the k-cells (uint8 rows); ``fp[k], fi[k]`` (``k >= 1``): the facets of
    k-cell ``i`` are ``fi[k][fp[k][i]:fp[k][i + 1]]``, sorted. ``vcsr``, when known: for the
    first dimensions (all, or from 0 up to some k), (indptr, indices) of the sorted vertex
    ids of every cell (:func:`vertex_csr`), which :func:`finalize` computes on the way.
    """

    __slots__ = ("d", "hom", "lab", "fp", "fi", "funcs", "network", "vcsr", "orders")

    def __init__(self, d, hom, lab, fp, fi, funcs, network, vcsr=None, orders=None):
        self.d, self.hom, self.lab, self.fp, self.fi = d, hom, lab, fp, fi
        self.funcs, self.network, self.vcsr = funcs, network, vcsr
        self.orders = orders   # per dimension, the input index of each canonical cell


def csr(lists):
    """List of tuples → (indptr, indices) int64 arrays."""
    n = len(lists)
    lengths = np.fromiter(map(len, lists), dtype=np.int64, count=n)
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=ptr[1:])
    idx = np.fromiter(itertools.chain.from_iterable(lists), dtype=np.int64, count=int(ptr[-1]))
    return ptr, idx


def _primitive_array(H, reduced):
    """``H`` with every row divided by its gcd (as given when ``reduced``)."""
    if len(H) == 0 or reduced:
        return H
    return reduce_rows(H)


def rows_of(ptr, idx, rows):
    """CSR restricted to ``rows`` (in that order): (indptr, indices)."""
    cnt = ptr[1:][rows] - ptr[:-1][rows]
    nptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(cnt, out=nptr[1:])
    pos = np.arange(nptr[-1], dtype=np.int64) - np.repeat(nptr[:-1] - ptr[:-1][rows], cnt)
    return nptr, idx[pos]


#: at most this many distinct row lengths are sorted length by length (2-D sorts)
ROW_LENGTH_GROUPS = 256


def _distinct_lengths(lengths):
    """The distinct values of an array of row lengths (small non-negative ints), sorted."""
    if not len(lengths):
        return np.zeros(0, dtype=np.int64)
    top = int(lengths.max())
    if top < 1 << 16:
        return np.flatnonzero(np.bincount(lengths, minlength=top + 1))
    return np.unique(lengths)


def renumbered_rows(ptr, idx, order, new):
    """The CSR rows ``order`` (in that order) with their values renumbered by ``new`` and
    sorted within each row: ``rows_of`` then :func:`sort_within_rows`, fused (one gather,
    one 2-D sort and one scatter per row length).

    Examples
    --------
    >>> p, i = renumbered_rows(np.array([0, 2, 5]), np.array([0, 1, 1, 2, 3]),
    ...                        np.array([1, 0]), np.array([3, 2, 1, 0]))
    >>> p.tolist(), i.tolist()
    ([0, 3, 5], [0, 1, 2, 2, 3])
    """
    lengths = np.diff(ptr)[order]
    nptr = np.zeros(len(order) + 1, dtype=np.int64)
    np.cumsum(lengths, out=nptr[1:])
    sizes = _distinct_lengths(lengths)
    if len(sizes) > ROW_LENGTH_GROUPS:
        p, i = rows_of(ptr, idx, order)
        return p, sort_within_rows(p, new[i])
    out = np.empty(int(nptr[-1]), dtype=np.int64)
    src = ptr[:-1][order]
    dst = nptr[:-1]
    for L in sizes.tolist():
        if L == 0:
            continue
        rows = np.flatnonzero(lengths == L)
        ar = np.arange(L, dtype=np.int64)
        block = new[idx[src[rows][:, None] + ar]]
        if L > 1:
            block.sort(axis=1)
        out[dst[rows][:, None] + ar] = block
    return nptr, out


def sort_within_rows(ptr, vals):
    """The values of each CSR row sorted (ints).

    The rows of a cell complex are short and of few distinct lengths: the rows of each
    length are sorted at once as the rows of a 2-D array (``O(n log L)``); with many
    distinct lengths, one sort of ``row * N + value`` keys where that fits in int64, else
    a lexsort.

    Examples
    --------
    >>> sort_within_rows(np.array([0, 3, 5, 5, 9]), np.array([5, 1, 3, 9, 2, 4, 0, 8, 1])).tolist()
    [1, 3, 5, 2, 9, 0, 1, 4, 8]
    """
    n = len(ptr) - 1
    if not len(vals):
        return vals
    lengths = np.diff(ptr)
    if n and (lengths == lengths[0]).all():   # rows of one length (edges: 2): a 2-D sort
        return np.sort(vals.reshape(n, int(lengths[0])), axis=1).reshape(-1)
    sizes = _distinct_lengths(lengths)
    if len(sizes) <= ROW_LENGTH_GROUPS:
        out = np.empty_like(vals)
        starts = ptr[:-1]
        for L in sizes.tolist():
            if L < 2:
                if L == 1:
                    at = starts[lengths == 1]
                    out[at] = vals[at]
                continue
            idx = starts[lengths == L][:, None] + np.arange(L, dtype=np.int64)
            out[idx] = np.sort(vals[idx], axis=1)
        return out
    rowid = np.repeat(np.arange(n, dtype=np.int64), lengths)
    N = int(vals.max()) + 1
    if vals.min() >= 0 and float(N) * (n + 1) < 2.0 ** 62:
        key = rowid * N + vals
        key.sort()
        return key - rowid * N
    order = np.lexsort((vals, rowid))
    return vals[order]


def cell_labels(d, L, fp, fi, groups=()):
    """Packed labels of every cell: the OR of its facets' (so of its vertices') labels,
    with the signs of the max units of ``groups`` corrected (:func:`.labels.fix_max_signs`)."""
    lab = [L]
    for k in range(1, d + 1):
        n = len(fp[k]) - 1
        if n == 0:
            lab.append(np.zeros((0, L.shape[1]), dtype=np.uint8))
        elif k == 1:
            lab.append(L[fi[1][0::2]] | L[fi[1][1::2]])
        else:
            lab.append(np.bitwise_or.reduceat(lab[k - 1][fi[k]], fp[k][:-1], axis=0))
        fix_max_signs(lab[k], groups)
    return lab


def finalize(d, H, L, fac, nf, funcs, network, cell_labs=None, reduced=False,
             vertex_rows=None):
    """Canonical order of a complex given by vertex rows ``H`` (homogeneous, any positive
    scale), packed vertex labels ``L`` and facet lists ``fac[k]`` (``k >= 1``);
    ``cell_labs[k - 1]``, when given, the labels of the k-cells (:func:`cell_labels`,
    computed by the parallel build's tasks); ``reduced``: the rows of ``H`` are primitive
    already; ``vertex_rows``, when known, the vertex ids of every cell per dimension (CSR
    in the input numbering, any order within rows).

    Cells of each dimension are sorted by label string, ties broken by exact
    coordinates (vertices) or by the sorted canonical vertex ids (cells).
    """
    nv = len(H)
    R = _primitive_array(H, reduced)
    L = np.ascontiguousarray(L[:nv, :n_label_bytes(nf)])
    fp, fi = [None], [None]
    for k in range(1, d + 1):
        f = fac[k]
        if isinstance(f, tuple) and len(f) == 2 and isinstance(f[0], np.ndarray):
            p, i = f
        else:
            p, i = csr(f)
        fp.append(p)
        fi.append(i)
    if cell_labs is None:
        lab = cell_labels(d, L, fp, fi, max_groups(funcs, network))
    else:
        nb = L.shape[1]
        lab = [L] + [np.ascontiguousarray(c[:, :nb]) for c in cell_labs]
    # vertices
    keys = sort_keys(lab[0])
    order = np.argsort(keys, kind="stable")

    def by_point(run):  # exact: coordinates over a common denominator
        rows = {v: tuple(R[v].tolist()) for v in run}
        den = math.lcm(*(rows[v][-1] for v in run))
        return sorted(run, key=lambda v: tuple(x * (den // rows[v][-1]) for x in rows[v][:-1]))

    order = _break_ties(order, keys, by_point)
    new = [np.empty(nv, dtype=np.int64)]
    new[0][order] = np.arange(nv, dtype=np.int64)
    orders = [order]
    # the sorted canonical vertex ids of the cells (rows in the input order of the
    # cells): the ties' key below. A level is made whole, from the level below, when it
    # has many ties (then also the complex's vertex rows, once in canonical order: the
    # full chain, made on the way in five dimensions, is kept); with few ties only the
    # tied cells' rows, descending through their faces
    full = [(np.arange(nv + 1, dtype=np.int64), new[0])] + [None] * d
    if vertex_rows is not None:
        for k in range(1, d + 1):
            p, v = vertex_rows[k]
            full[k] = (p, sort_within_rows(p, new[0][v]))
    # the labels in canonical order: ties are broken among equal labels only, so the
    # labels gathered in key order are already those of the final order
    sorted_lab = [np.ascontiguousarray(lab[0][order])]
    for k in range(1, d + 1):
        keys = sort_keys(lab[k])
        order = np.argsort(keys, kind="stable")
        sl = np.ascontiguousarray(lab[k][order])
        sorted_lab.append(sl)
        if len(order) > 1:
            if sl.shape[1]:   # equal labels: equal rows, compared as fixed-width bytes
                sv = sl.view(f"S{sl.shape[1]}").reshape(-1)
                same = sv[1:] == sv[:-1]
            else:
                same = np.ones(len(order) - 1, dtype=bool)
            if same.any():   # ties: by the sorted canonical vertex ids of the cells
                tied = np.zeros(len(order), dtype=bool)
                tied[:-1] |= same
                tied[1:] |= same
                if full[k - 1] is not None and _WHOLE_LEVEL * int(tied.sum()) >= len(order):
                    full[k] = _facet_union(*full[k - 1], fp[k], fi[k])
                order = _ties_by_rows(order, same, tied,
                                      lambda cells, k=k: _vertex_rows(fp, fi, k, cells, full))
        inv = np.empty(len(order), dtype=np.int64)
        inv[order] = np.arange(len(order), dtype=np.int64)
        new.append(inv)
        orders.append(order)
    if d and all(f is not None for f in full[:d]) and full[d] is None:
        full[d] = _facet_union(*full[d - 1], fp[d], fi[d])
    # the levels made whole from the vertices up, in canonical order (the complex makes
    # the rest when it needs them, from there: :func:`vertex_csr`)
    vcsr = []
    for k in range(d + 1):
        if full[k] is None:
            break
        vcsr.append(rows_of(*full[k], orders[k]))
    out_fp, out_fi = [None], [None]
    for k in range(1, d + 1):
        p, i = renumbered_rows(fp[k], fi[k], orders[k], new[k - 1])
        out_fp.append(p)
        out_fi.append(i)
    hom = np.ascontiguousarray(R[orders[0]]) if nv else np.zeros((0, d + 1), dtype=np.int64)
    if hom.dtype == object:   # int64 where every entry fits (as_matrix's contract)
        hom = shrink(hom)
    return State(d, hom, sorted_lab, out_fp, out_fi, list(funcs), network, vcsr, orders)


#: a level's vertex rows are made whole when at least one cell in this many is tied
_WHOLE_LEVEL = 8


def _vertex_rows(fp, fi, k, cells, full):
    """The sorted canonical vertex ids of the k-cells ``cells`` as CSR rows in that
    order: from the whole level ``full[k]`` when made, else from their facets' rows."""
    if full[k] is not None:
        return rows_of(*full[k], cells)
    if k == 1:
        pairs = fi[1].reshape(-1, 2)[cells]
        ids = np.sort(full[0][1][pairs], axis=1)
        return np.arange(0, 2 * len(cells) + 1, 2, dtype=np.int64), ids.ravel()
    ptr, facets = rows_of(fp[k], fi[k], cells)
    below = unique_ints(facets)
    bp, bi = _vertex_rows(fp, fi, k - 1, below, full)
    at = np.searchsorted(below, facets)
    cnt = bp[1:][at] - bp[:-1][at]                 # vertices of each facet occurrence
    owner = np.repeat(np.repeat(np.arange(len(cells), dtype=np.int64), np.diff(ptr)), cnt)
    starts = np.repeat(bp[:-1][at], cnt)
    offs = np.arange(len(starts), dtype=np.int64) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    nv = max(len(full[0][1]), 1)
    keys = unique_ints(owner * nv + bi[starts + offs])
    rows, ids = np.divmod(keys, nv)
    out = np.zeros(len(cells) + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=len(cells)), out=out[1:])
    return out, ids


def _ties_by_rows(order, same, tied, rows_for):
    """``order`` with each run of equal keys (``same[i]``: positions ``i`` and ``i + 1``
    tie; ``tied``: the positions in a run) sorted by the cells' rows (``rows_for(cells)``:
    CSR rows of sorted ids) compared as lists (a proper prefix first), in one lexsort:
    rows padded with ``-1`` behind, the run as the primary key. Distinct cells have
    distinct vertex sets, so the order is total."""
    at = np.flatnonzero(tied)
    run = np.concatenate(([0], np.cumsum(~same)))[at]
    cells = order[at]
    tp, ti = rows_for(cells)
    lens = np.diff(tp)
    pad = np.full((len(cells), int(lens.max(initial=0))), -1, dtype=np.int64)
    pad[np.repeat(np.arange(len(cells)), lens),
        np.arange(len(ti), dtype=np.int64) - np.repeat(tp[:-1], lens)] = ti
    perm = np.lexsort(tuple(pad[:, j] for j in range(pad.shape[1] - 1, -1, -1)) + (run,))
    order = order.copy()
    order[at] = cells[perm]
    return order


def _facet_union(vp, vi, p, i):
    """The sorted distinct vertex ids of every cell from the CSR ``(vp, vi)`` of its
    facets' (facets ``i[p[c]:p[c + 1]]``): ``(indptr, indices)``."""
    cnt_f = (vp[1:] - vp[:-1])[i]   # vertices of each facet occurrence
    starts = np.repeat(vp[:-1][i], cnt_f)
    offs = np.arange(len(starts), dtype=np.int64) - np.repeat(np.cumsum(cnt_f) - cnt_f, cnt_f)
    per_cell = np.zeros(len(p), dtype=np.int64)   # vertex occurrences of each cell
    if len(cnt_f):
        per_cell[1:] = np.cumsum(cnt_f)[p[1:] - 1]
        per_cell[1:][p[1:] == 0] = 0
    return unique_within_rows(per_cell, vi[starts + offs])


def _break_ties(order, keys, sort_run, same=None):
    """Reorder the runs of equal ``keys`` (in ``order``) with ``sort_run(list of ids)``;
    ``same``, when given, is ``keys[order][1:] == keys[order][:-1]``."""
    n = len(order)
    if n < 2:
        return order
    if same is None:
        sk = keys[order]
        same = sk[1:] == sk[:-1]
    if not same.any():
        return order
    order = order.copy()
    starts = np.flatnonzero(np.diff(np.concatenate(([False], same, [False])).astype(np.int8)))
    for s, e in zip(starts[0::2].tolist(), starts[1::2].tolist()):
        # a run of equal keys is order[s - 1 .. e] (same[i] compares i and i + 1)
        run = order[s:e + 1].tolist()
        order[s:e + 1] = sort_run(run)
    return order


def builder_from_state(state, nf_total, carriers=None):
    """A builder holding a copy of a finished complex, with label room for ``nf_total``."""
    d = state.d
    nv = len(state.hom)
    M = as_matrix(state.hom, d + 1)
    nb = n_label_bytes(nf_total)
    L = np.zeros((nv, nb), dtype=np.uint8)
    L0 = state.lab[0]
    L[:, :L0.shape[1]] = L0[:, :nb]
    fac = [None]
    for k in range(1, d + 1):
        p, i = state.fp[k], state.fi[k]
        if k == 1:
            fac.append(list(map(tuple, i.reshape(-1, 2).tolist())))
        else:
            flat = i.tolist()
            pl = p.tolist()
            fac.append([tuple(flat[s:e]) for s, e in zip(pl[:-1], pl[1:])])
    return builder_from_lists(d, M, L, fac, len(state.funcs), carriers)


def builder_state(builder, funcs, network):
    b = builder
    return finalize(b.d, b.M[:b.nv, :b.d + 1], b.L[:b.nv], b.fac, b.nf, funcs, network,
                    reduced=True)   # the engine keeps its rows primitive


def unique_ints(a):
    """The sorted distinct values of an integer array: ``np.unique(a)`` by one sort (numpy's
    own hash-based ``unique`` of integers is many times slower on millions of values).

    Examples
    --------
    >>> unique_ints(np.array([3, 1, 3, 2, 1])).tolist()
    [1, 2, 3]
    """
    a = np.sort(a)
    if len(a) < 2:
        return a
    keep = np.empty(len(a), dtype=bool)
    keep[0] = True
    np.not_equal(a[1:], a[:-1], out=keep[1:])
    return a[keep]


def unique_within_rows(ptr, vals):
    """Each CSR row's distinct values, sorted: ``(indptr, indices)``.

    Examples
    --------
    >>> p, v = unique_within_rows(np.array([0, 4, 4, 6]), np.array([3, 1, 3, 2, 7, 7]))
    >>> p.tolist(), v.tolist()
    ([0, 3, 3, 4], [1, 2, 3, 7])
    """
    vals = sort_within_rows(ptr, vals)
    keep = np.ones(len(vals), dtype=bool)
    if len(vals) > 1:
        np.not_equal(vals[1:], vals[:-1], out=keep[1:])
        first = ptr[:-1][np.diff(ptr) > 0]
        keep[first] = True
    cs = np.zeros(len(vals) + 1, dtype=np.int64)
    np.cumsum(keep, out=cs[1:])
    out = cs[ptr]
    return out, vals[keep]


def vertex_csr(d, nv, fp, fi, start=None):
    """Per dimension, (indptr, indices) of the sorted vertex ids of every cell; ``start``:
    the first levels, already made (as :func:`finalize` leaves them)."""
    out = list(start) if start else [(np.arange(nv + 1, dtype=np.int64),
                                      np.arange(nv, dtype=np.int64))]
    ptr, idx = out[-1]
    for k in range(len(out), d + 1):
        ptr, idx = _facet_union(ptr, idx, fp[k], fi[k])
        out.append((ptr, idx))
    return out
