"""One more function inserted into a finished complex, on its arrays (private).

:func:`refine_arrays` is the refinement engine's insertion step
(:meth:`polytopo.complex.engine._Builder.insert`) for a complex that is finished already
(its cells' vertex sets known, :func:`polytopo.complex.state.vertex_csr`): which cells are
cut is read off the signs of their vertices at once, and the pieces and zero cells are
made with numpy, without the engine's per-cell lists. :func:`polytopo.complex.state.finalize`
then puts the result in canonical order, which depends on the cells only, so the complex
is the one the engine's insertion gives.

A cut k-cell ``c`` (vertices of both strict signs) becomes its ``+`` piece (keeping the
id ``c``), its ``−`` piece and the zero cell ``c ∩ {g = 0}`` (a ``(k−1)``-cell). The
pieces' facets are the zero cell, the parts of the cut facets on their side and the
uncut facets on their side (an uncut facet of a cut cell has a vertex of strict sign: a
facet inside ``{g = 0}`` would make it a supporting hyperplane). The zero cell's facets
are the zero cells of the cut facets and the ``(k−2)``-faces of the uncut facets lying in
``{g = 0}``; for a cut facet there is none such besides its zero cell.
"""

import numpy as np

from .labels import n_label_bytes
from .state import rows_of, unique_within_rows
from .values import interpolate, signs


def refine_arrays(d, H, L0, fp, fi, vcsr, G, nf):
    """The complex refined by integer homogeneous vertex values ``G``, uncanonical:
    ``(H, L, fac, parent, rows)``: for :func:`polytopo.complex.state.finalize` the vertex
    rows (primitive), the vertex labels with function ``nf``'s signs and per dimension
    ``k >= 1`` the facet CSR ``(indptr, indices)``; per dimension the cell of the given
    complex each cell lies in with the same dimension (itself, or the cut cell a piece
    comes from), ``-1`` for the zero cells; and per dimension the vertex ids of every
    cell (CSR, not sorted within rows).

    ``H``: primitive homogeneous vertex rows; ``L0``: the vertex labels; ``fp, fi``: the
    facets per dimension; ``vcsr``: the sorted vertex ids of every cell per dimension.
    """
    nv = len(H)
    sg = signs(G)
    pos, neg = sg > 0, sg < 0
    nb = n_label_bytes(nf + 1)
    L = np.zeros((nv, nb), dtype=np.uint8)
    w = min(L0.shape[1], nb)
    L[:, :w] = L0[:nv, :w]
    fac = [None] + [(fp[k], fi[k]) for k in range(1, d + 1)]
    parent = [np.arange(nv, dtype=np.int64)] + \
        [np.arange(len(fp[k]) - 1, dtype=np.int64) for k in range(1, d + 1)]
    H_out, rows = H, vcsr
    if d and pos.any() and neg.any():
        H_out, L, fac, parent, rows = _split(d, H, L, fp, fi, vcsr, G, pos, neg)
    byte, shift = nf >> 2, 2 * (nf & 3)
    L[:nv, byte] |= (pos.astype(np.uint8) << shift) | (neg.astype(np.uint8) << (shift + 1))
    return H_out, L, fac, parent, rows


def _side_summaries(d, vcsr, pos, neg):
    """Per dimension: whether each cell has a vertex with ``g > 0``, one with ``g < 0``."""
    hp, hn = [pos], [neg]
    for k in range(1, d + 1):
        vp, vi = vcsr[k]
        if len(vp) == 1:
            hp.append(np.zeros(0, dtype=bool))
            hn.append(np.zeros(0, dtype=bool))
            continue
        hp.append(np.logical_or.reduceat(pos[vi], vp[:-1]))
        hn.append(np.logical_or.reduceat(neg[vi], vp[:-1]))
    return hp, hn


def _split(d, H, L, fp, fi, vcsr, G, pos, neg):
    nv = len(H)
    hp, hn = _side_summaries(d, vcsr, pos, neg)
    n = [nv] + [len(fp[k]) - 1 for k in range(1, d + 1)]
    cut = [np.zeros(nv, dtype=bool)] + [hp[k] & hn[k] for k in range(1, d + 1)]
    zero = [~hp[k] & ~hn[k] for k in range(d + 1)]
    cuts = [np.flatnonzero(c) for c in cut]
    # ids: k-cells are the old ones (a cut cell's + piece keeps its id), then the − pieces
    # of the cut k-cells, then the zero cells of the cut (k+1)-cells
    minus = [np.full(n[k], -1, dtype=np.int64) for k in range(d + 1)]
    zid = [None] + [np.full(n[k], -1, dtype=np.int64) for k in range(1, d + 1)]
    for k in range(d + 1):
        minus[k][cuts[k]] = n[k] + np.arange(len(cuts[k]), dtype=np.int64)
    for k in range(1, d + 1):
        base = n[k - 1] + len(cuts[k - 1])
        zid[k][cuts[k]] = base + np.arange(len(cuts[k]), dtype=np.int64)
    # the new vertices: one per cut edge, exact (+ end a, − end b: g(a) > 0 > g(b))
    e = cuts[1]
    a, b = fi[1][2 * e], fi[1][2 * e + 1]
    flip = neg[a]
    a, b = np.where(flip, b, a), np.where(flip, a, b)
    rows = interpolate(H[a], H[b], G[a], -G[b], H.shape[1])
    if rows.dtype == object or H.dtype == object:
        H_out = np.empty((nv + len(e), H.shape[1]), dtype=object)
        H_out[:nv], H_out[nv:] = H, rows
    else:
        H_out = np.concatenate([H, rows])
    L = np.concatenate([L, L[a] | L[b]])   # the new function's bits are still unset
    # the zero cells of the cut k-cells (k >= 2), as (row, value) pairs of dimension k − 1
    zero_rows = [None] * (d + 2)
    pieces = [None] * (d + 1)
    for k in range(2, d + 1):
        p, i = fp[k], fi[k]
        owner = np.repeat(np.arange(n[k], dtype=np.int64), np.diff(p))
        occ = np.flatnonzero(cut[k][owner])
        c, f = owner[occ], i[occ]
        fcut = cut[k - 1][f]
        plus_side = ~fcut & hp[k - 1][f]
        minus_side = ~fcut & ~hp[k - 1][f]
        # the + piece (id c): the + parts of the cut facets (their ids), the + facets;
        # the − piece: the − parts of the cut facets, the − facets; both: the zero cell
        pieces[k] = ([c[fcut | plus_side], minus[k][c[fcut]], minus[k][c[minus_side]],
                      cuts[k], minus[k][cuts[k]]],
                     [f[fcut | plus_side], minus[k - 1][f[fcut]], f[minus_side],
                      zid[k][cuts[k]], zid[k][cuts[k]]])
        zr, zv = [zid[k][c[fcut]]], [zid[k - 1][f[fcut]]]
        un = np.flatnonzero(~fcut)
        if len(un):   # the (k−2)-faces in {g = 0} of the uncut facets
            if k == 2:
                q, qi = np.arange(0, 2 * len(un) + 1, 2, dtype=np.int64), \
                    fi[1].reshape(-1, 2)[f[un]].reshape(-1)
            else:
                q, qi = rows_of(fp[k - 1], fi[k - 1], f[un])
            inz = zero[k - 2][qi]
            zr.append(zid[k][np.repeat(c[un], np.diff(q))[inz]])
            zv.append(qi[inz])
        zero_rows[k] = (np.concatenate(zr), np.concatenate(zv))
    fac = [None]
    for k in range(1, d + 1):
        p, i = fp[k], fi[k]
        owner = np.repeat(np.arange(n[k], dtype=np.int64), np.diff(p))
        keep = ~cut[k][owner]   # the uncut cells' facets, unchanged
        parts_r, parts_v = [owner[keep]], [i[keep]]
        if k == 1:   # a cut edge: (a, p) keeps its id, (b, p) is new
            new_v = zid[1][e]
            parts_r += [e, e, minus[1][e], minus[1][e]]
            parts_v += [a, new_v, b, new_v]
        else:
            parts_r += pieces[k][0]
            parts_v += pieces[k][1]
        n_rows = n[k] + len(cuts[k])
        if k < d:
            parts_r.append(zero_rows[k + 1][0])
            parts_v.append(zero_rows[k + 1][1])
            n_rows += len(cuts[k + 1])
        fac.append(_csr(np.concatenate(parts_r), np.concatenate(parts_v), n_rows,
                        unique_from=n[k] + len(cuts[k])))
    parent = []
    for k in range(d + 1):
        n_zero = len(cuts[k + 1]) if k < d else 0
        parent.append(np.concatenate([np.arange(n[k], dtype=np.int64), cuts[k],
                                      np.full(n_zero, -1, dtype=np.int64)]))
    sg = pos.astype(np.int8) - neg.astype(np.int8)
    rows = _refined_vertex_rows(d, n, vcsr, sg, fp, fi, cut, cuts, zid, len(e))
    return H_out, L, fac, parent, rows


def _refined_vertex_rows(d, n, vcsr, sg, fp, fi, cut, cuts, zid, m):
    """The vertex ids (unsorted within rows) of every cell of the refinement, per
    dimension, rows in its numbering: a piece has its parent's vertices on its side and
    the new vertices of the parent's cut faces, a zero cell the parent's vertices in
    ``{g = 0}`` and those new vertices; the new vertices of a cut cell are those of its
    cut facets (one per cut edge)."""
    nv = n[0]
    rows = [(np.arange(nv + m + 1, dtype=np.int64), np.arange(nv + m, dtype=np.int64))]
    new = [None, (np.arange(len(cuts[1]) + 1, dtype=np.int64), zid[1][cuts[1]])]
    for k in range(2, d + 1):   # the new vertices of the cut k-cells (rows: cuts[k])
        p, i = fp[k], fi[k]
        owner = np.repeat(np.arange(n[k], dtype=np.int64), np.diff(p))
        occ = np.flatnonzero(cut[k][owner] & cut[k - 1][i])
        at = np.searchsorted(cuts[k - 1], i[occ])
        q, qv = rows_of(*new[k - 1], at)
        row = np.searchsorted(cuts[k], owner[occ])
        cnt = np.bincount(np.repeat(row, np.diff(q)), minlength=len(cuts[k]))
        ptr = np.zeros(len(cuts[k]) + 1, dtype=np.int64)
        np.cumsum(cnt, out=ptr[1:])
        new.append(unique_within_rows(ptr, qv))

    def side(k, cells, keep):   # the vertices of these k-cells with sign in ``keep``
        return _masked_rows(*rows_of(*vcsr[k], cells), np.zeros(len(cells), dtype=bool),
                            sg, keep)

    nonneg, nonpos, zero = (np.array(t) for t in ((False, True, True), (True, True, False),
                                                  (False, True, False)))
    for k in range(1, d + 1):
        vp, vi = vcsr[k]
        c = cuts[k]
        old = np.ones(n[k], dtype=bool)
        old[c] = False
        blocks = [_join(*_masked_rows(vp, vi, old, sg, nonneg),
                        *_spread(new[k], c, n[k])),
                  _join(*side(k, c, nonpos), *new[k])]
        if k < d:
            blocks.append(_join(*side(k + 1, cuts[k + 1], zero), *new[k + 1]))
        rows.append(_stack(blocks))
    return rows


def _masked_rows(vp, vi, keep_all, sg, keep):
    """Rows of every cell: all its vertices where ``keep_all`` (uncut cells), else those
    with a sign in ``keep`` (indexed by sign + 1)."""
    owner = np.repeat(np.arange(len(vp) - 1, dtype=np.int64), np.diff(vp))
    ok = keep_all[owner] | keep[sg[vi] + 1]
    cnt = np.bincount(owner[ok], minlength=len(vp) - 1)
    ptr = np.zeros(len(vp), dtype=np.int64)
    np.cumsum(cnt, out=ptr[1:])
    return ptr, vi[ok]


def _spread(rows, at, n):
    """CSR rows placed at the row positions ``at`` of ``n`` rows, the others empty."""
    p, v = rows
    cnt = np.zeros(n, dtype=np.int64)
    cnt[at] = np.diff(p)
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(cnt, out=ptr[1:])
    return ptr, v


def _join(p1, v1, p2, v2):
    """Row by row, the values of the first CSR then those of the second."""
    l1, l2 = np.diff(p1), np.diff(p2)
    ptr = np.zeros(len(l1) + 1, dtype=np.int64)
    np.cumsum(l1 + l2, out=ptr[1:])
    out = np.empty(int(ptr[-1]), dtype=np.int64)
    r1 = np.repeat(np.arange(len(l1), dtype=np.int64), l1)
    out[ptr[:-1][r1] + np.arange(len(v1), dtype=np.int64) - p1[:-1][r1]] = v1
    r2 = np.repeat(np.arange(len(l2), dtype=np.int64), l2)
    out[ptr[:-1][r2] + l1[r2] + np.arange(len(v2), dtype=np.int64) - p2[:-1][r2]] = v2
    return ptr, out


def _stack(blocks):
    """CSR blocks one after another."""
    ptrs, vals, base = [np.zeros(1, dtype=np.int64)], [], 0
    for p, v in blocks:
        ptrs.append(p[1:] + base)
        vals.append(v)
        base += int(p[-1])
    return np.concatenate(ptrs), np.concatenate(vals)


def _csr(rows, vals, n_rows, unique_from):
    """CSR of (row, value) pairs; rows from ``unique_from`` on made duplicate-free."""
    order = np.argsort(rows, kind="stable")
    rows, vals = rows[order], vals[order]
    ptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=ptr[1:])
    if unique_from < n_rows:
        s = ptr[unique_from]
        tp, tv = unique_within_rows(ptr[unique_from:] - s, vals[s:])
        vals = np.concatenate([vals[:s], tv])
        ptr = np.concatenate([ptr[:unique_from], tp + s])
    return ptr, vals
