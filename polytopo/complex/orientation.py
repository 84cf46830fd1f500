"""Orientation and incidence of the cells of a finished complex (private).

Every k-cell is oriented by its echelon frame (:func:`frame`): the pullback of the standard
orientation of the lexicographically first coordinate set on which its affine hull projects
bijectively. :func:`boundary_arrays` gives the signed incidences ``[σ : τ] = ±1`` of the
cellular boundary, vectorized with numpy and exact (int64 only where magnitude bounds
prove no overflow, Python integers otherwise); :func:`_columns_python` is the cell-by-cell
reference the vectorized paths are tested against.
"""

import math

import numpy as np

from .values import signs
from ..geometry.integer import (FLOAT_LIMIT, as_matrix, by_rows, det, reduce_rows, row_bounds,
                               shrink, to_object, wedge_tables)
from ..topology.snf import csc_from_columns
from .state import rows_of


def frame(rows, k, n_cols):
    """Echelon basis (pivots positive) of the span of integer rows, and its pivot columns.

    Column-by-column elimination, so the pivot columns are the lexicographically first
    coordinate set on which the span projects bijectively.
    """
    m = [list(r) for r in rows if any(r)]
    basis, piv = [], []
    for col in range(n_cols):
        if len(basis) == k:
            break
        idx = next((i for i, r in enumerate(m) if r[col]), None)
        if idx is None:
            continue
        p = m.pop(idx)
        if p[col] < 0:
            p = [-x for x in p]
        g = math.gcd(*p)
        p = [x // g for x in p]
        pc = p[col]
        rest = []
        for r in m:
            rc = r[col]
            if rc:
                r = [pc * x - rc * y for x, y in zip(r, p)]
                if any(r):
                    g = math.gcd(*r)
                    rest.append([x // g for x in r])
            else:
                rest.append(r)
        m = rest
        basis.append(p)
        piv.append(col)
    return piv, basis


def _sign(x):
    return (x > 0) - (x < 0)


def _edge_directions(H, U, V, d):
    """int64 ``w_u X_v − w_v X_u`` (∝ v − u) when ``H`` is small enough, else None."""
    if H.dtype == object or (H.size and np.abs(H).max() >= 1 << 30):
        return None
    return H[U, d:d + 1] * H[V, :d] - H[V, d:d + 1] * H[U, :d]


def _scaled_bound(c, *factors):
    """The product of float bounds; past the float range it is inf, which picks the exact
    Python-int path (no overflow warning)."""
    with np.errstate(over="ignore", invalid="ignore"):
        out = np.float64(c)
        for f in factors:
            out = out * f
    return out


def boundary_arrays(d, hom, vcsr, fp, fi, reuse=None):
    """∂_k for every k as CSC arrays, and the cells' oriented Plücker vectors:
    ``(levels, planes)``. ``levels[k] = (indptr, indices, data)``, column ``i`` holding
    the signed incidences ``±1`` of k-cell ``i`` with its facets (``levels[0]`` is
    None); ``planes[k]`` (``1 <= k < d``) the primitive Plücker vectors of the k-cells,
    first nonzero coordinate positive (None for the cell-by-cell path, ``d > 10``).

    ``vcsr[k]``: (indptr, indices) of the sorted vertex ids of the k-cells. Each k-cell
    is oriented by the lexicographically first coordinate projection that is bijective
    on its affine hull; ``[σ : τ] = sign det [n; B_τ]`` on ``σ``'s pivot columns, ``n``
    pointing from ``σ`` towards ``τ`` and ``B_τ`` the echelon basis of ``τ``. Everything
    is vectorized with numpy (exact: int64 row by row while the bounds allow, else Python
    ints in object arrays): edges directly, higher cells with Plücker coordinates
    (:func:`_columns_nd`). :func:`_columns_python` is the cell-by-cell reference.

    ``reuse``: ``(parent, planes, levels)`` of a complex this one refines, ``parent[k]``
    the cell of that complex each k-cell lies in with the same dimension (``-1`` for
    none): such a cell has that cell's orientation, and the incidence of two such cells
    is that of their parents (the same affine hulls, on the same side), so only the
    other cells and incidences are computed (:func:`_columns_nd`).
    """
    H = as_matrix(hom, d + 1)
    cols = [None]
    U, V = fi[1][0::2], fi[1][1::2]
    D = _edge_directions(H, U, V, d)
    if D is None:
        Ho = to_object(H)
        D = shrink(Ho[U, d:d + 1] * Ho[V, :d] - Ho[V, d:d + 1] * Ho[U, :d])
    piv = np.argmax(D != 0, axis=1)
    sg = signs(D[np.arange(len(D)), piv]).astype(np.int64)
    cols.append((fp[1], fi[1], np.stack([-sg, sg], axis=1).reshape(-1)))
    B = D * sg[:, None]
    if math.comb(d, d // 2) <= _MAX_PLUCKER:
        more, planes = _columns_nd(H, B, vcsr, fp, fi, reuse)
        return cols + more, planes
    # Plücker vectors too long: cell by cell
    vsets = [None] + [[tuple(idx[a:b]) for a, b in zip(ptr[:-1].tolist(), ptr[1:].tolist())]
                      for ptr, idx in ((p, i.tolist()) for p, i in vcsr[1:])]
    cols += [csc_from_columns(level) for level in _columns_python(d, hom, vsets, fp, fi, 2)]
    return cols, None


def _fit(bound, *arrays):
    """The arrays as int64 when ``bound`` (a float bound on every value to be computed
    from them) is safely below ``2**62``, else as Python-int object arrays."""
    if bound < FLOAT_LIMIT and all(a.dtype != object for a in arrays):
        return arrays
    return tuple(to_object(a) for a in arrays)


def _incidences(owner, fp, fi, value_signs):
    """CSC arrays of the incidences ``±1`` from per-occurrence signs summed over the
    cell's vertices."""
    n_occ = len(owner)
    occ, signs_ = value_signs
    total = np.bincount(occ, weights=signs_, minlength=n_occ)
    sg = np.sign(total).astype(np.int64)
    if not np.all(sg):
        raise AssertionError("a cell lies in the affine hull of one of its facets")
    return fp, fi, sg


_MAX_PLUCKER = 252    # longest Plücker vectors (C(d, k) coordinates) of _columns_nd: d ≤ 10
_CHUNK = 1 << 22      # values per vectorized step of _columns_nd


def _columns_nd(H, B, vcsr, fp, fi, reuse=None):
    """``∂_2, …, ∂_d`` in any dimension, vectorized over the cells, exact (see :func:`frame`).

    A k-cell is represented by its Plücker vector ``P`` (the k×k minors, over the
    k-subsets of the coordinates in lexicographic order, of a basis of its direction
    space) up to a positive factor. Its echelon frame is upper triangular with a
    positive diagonal on its pivot columns ``S``, which are the first k-subset with a
    nonzero minor (column-by-column elimination picks the greedy, so lexicographically
    first, basis of the column matroid): so the frame's orientation is the one whose
    first nonzero Plücker coordinate is positive, and ``S`` is read off ``P``.

    For a k-cell ``σ`` with a facet ``τ``, ``y`` on ``τ`` and ``x`` in ``σ`` off ``τ``,
    ``det_T [y − x; B_τ] = Σ_j (−1)^j (y − x)[T_j] P_τ[T ∖ T_j]`` up to a positive
    factor. Over every k-subset ``T`` this is the Plücker vector of ``σ`` up to sign
    (then normalized; ``τ`` is ``σ``'s first facet); on ``T = S_σ`` its sign is
    ``[σ : τ]``. The point ``x`` is the sum of the homogeneous coordinates of all the
    vertices of ``σ``: a point of its relative interior (weights ``w_v / Σ w``), so off
    every facet; the value is the positively weighted sum of the values over the cell's
    vertices, those on ``τ`` giving 0. In homogeneous
    coordinates ``y − x ∝ w_x X_y − w_y X_x``.

    ``B``: the edges' directions, each with its first nonzero coordinate positive.
    Returns the levels ``∂_2, …, ∂_d`` and the Plücker vectors per dimension (``[None,
    edges, …, (d−1)-cells]``). With ``reuse`` (see :func:`boundary_arrays`) the cells
    with a parent take its Plücker vector, the incidences between two such cells their
    parents' sign, and the rest is computed as above.
    """
    d = H.shape[1] - 1
    hb = row_bounds(H)
    P = shrink(reduce_rows(B))      # the edges' oriented Plücker vectors
    planes = [None, P]
    cols = []
    for k in range(2, d + 1):
        vp, vi = vcsr[k]
        fpk, fik = fp[k], fi[k]
        n_cells = len(vp) - 1
        if n_cells == 0:
            cols.append([])
            P = np.zeros((0, math.comb(d, k)), dtype=np.int64)
            if k < d:
                planes.append(P)
            continue
        owner = np.repeat(np.arange(n_cells, dtype=np.int64), np.diff(fpk))
        if reuse is None:
            fresh = np.arange(n_cells, dtype=np.int64)       # cells to find a plane for
            occ = np.arange(len(fik), dtype=np.int64)         # incidences to compute
        else:
            parent, old_planes, old_cols = reuse
            pk, pk1 = parent[k][owner], parent[k - 1][fik]
            inherit = (pk >= 0) & (pk1 >= 0)
            fresh = np.flatnonzero(parent[k] < 0)
            occ = np.flatnonzero(~inherit)
        # a relative interior point of the cells needed, and a vertex of every (k−1)-cell
        need = np.union1d(fresh, owner[occ]) if reuse is not None else fresh
        with np.errstate(over="ignore"):  # a bound past float range only picks the Python-int path
            (Hf,) = _fit(float(np.diff(vp).max()) * hb.max(), H)
        if len(need) == n_cells:
            Q = shrink(reduce_rows(np.add.reduceat(Hf[vi], vp[:-1], axis=0)))
        else:
            sp, si = rows_of(vp, vi, need)
            Qn = shrink(reduce_rows(np.add.reduceat(Hf[si], sp[:-1], axis=0))) if len(need) \
                else np.zeros((0, d + 1), dtype=np.int64)
            Q = np.zeros((n_cells, d + 1), dtype=Qn.dtype)
            Q[need] = Qn
        qb, pb = row_bounds(Q), row_bounds(P)
        pv, pi = vcsr[k - 1]
        yv = pi[pv[:-1]]
        col, minor, alt = wedge_tables(d, k)

        def wedge(wq, xq, wy, xy, pt):   # rows Σ_j (−1)^j n[T_j] P_τ[T ∖ T_j]
            n = wq[:, None, None] * xy - wy[:, None, None] * xq
            return (n * pt * alt.astype(pt.dtype)).sum(axis=-1)

        def wedge_all(wq, xq, wy, xy, pt):   # rows Σ_j (−1)^j n[T_j] P_τ[T ∖ T_j] over
            # every k-subset T, from n ∝ y − x and the facet's whole Plücker vector
            n = wq[:, None] * xy - wy[:, None] * xq
            W = n[:, col[:, 0]] * pt[:, minor[:, 0]]
            for j in range(1, k):
                t = n[:, col[:, j]] * pt[:, minor[:, j]]
                W = W - t if j % 2 else W + t
            return W

        if k < d:
            # Plücker vectors of the k-cells from their first facets: orientation and S
            tau_all = fik[fpk[:-1]]

            def plucker(wq, xq, wy, xy, pt):
                W = wedge_all(wq, xq, wy, xy, pt)
                if not W.any(axis=1).all():
                    raise AssertionError("a cell lies in the affine hull of one of its facets")
                return reduce_rows(W)

            step = max(1, _CHUNK // col.size)   # bounded memory: C(d, k)·k values a cell
            parts = []
            for a in range(0, len(fresh), step):
                c = fresh[a:a + step]
                tau = tau_all[c]
                y = yv[tau]
                parts.append(by_rows(_scaled_bound(2 * k, hb[y], qb[c], pb[tau]), plucker,
                                     Q[c, d], Q[c, :d], H[y, d], H[y, :d], P[tau]))
            W = shrink(np.concatenate(parts)) if parts else \
                np.zeros((0, math.comb(d, k)), dtype=np.int64)
            S = np.argmax(W != 0, axis=1)
            W[W[np.arange(len(W)), S] < 0] *= -1
            if reuse is None:
                P_next = shrink(W)
            else:   # the parents' planes, and the fresh cells' (S for all of them below)
                old = old_planes[k]
                dt = object if object in (old.dtype, W.dtype) else np.int64
                P_next = np.zeros((n_cells, W.shape[1]), dtype=dt)
                has = parent[k] >= 0
                P_next[has] = old[parent[k][has]]
                P_next[fresh] = W
                P_next = shrink(P_next)
                S = np.argmax(P_next != 0, axis=1)
            planes.append(P_next)
        else:
            S = np.zeros(n_cells, dtype=np.int64)
        # the incidences: sign det_S [y − x; B_τ] for every facet occurrence computed
        o, f = owner[occ], fik[occ]
        y = yv[f]
        s = S[o]
        cj, mj = col[s][:, None, :], minor[s][:, None, :]

        def incidence(wq, xq, wy, xy, pt):
            return signs(wedge(wq, xq, wy, xy, pt)[:, 0])

        sg_occ = by_rows(_scaled_bound(2 * k, hb[y], qb[o], pb[f]), incidence, Q[o, d],
                         Q[o[:, None, None], cj], H[y, d], H[y[:, None, None], cj],
                         P[f[:, None, None], mj])
        if reuse is None:
            sg = sg_occ
        else:   # the parents' incidences, looked up by (cell, facet)
            ofp, ofi, osg = old_cols[k]
            n_rows = max(len(old_planes[k - 1]), 1)   # the parent complex's (k−1)-cells
            okey = np.repeat(np.arange(len(ofp) - 1, dtype=np.int64), np.diff(ofp)) * n_rows + ofi
            want = np.flatnonzero(inherit)
            key = pk[want] * n_rows + pk1[want]
            at = np.searchsorted(okey, key)
            if len(key) and (at.max() >= len(okey) or not np.array_equal(okey[at], key)):
                raise AssertionError("a piece's facet lies in no facet of its parent")
            sg = np.zeros(len(fik), dtype=np.int64)
            sg[want] = osg[at]
            sg[occ] = sg_occ
        cols.append(_incidences(owner, fpk, fik, (np.arange(len(owner)), sg.astype(float))))
        if k < d:
            P = P_next
    return cols, planes


def _columns_python(d, hom, vsets, fp, fi, start):
    def diff(y, x):  # ∝ y − x, positive factor
        wy, wx = y[-1], x[-1]
        return [wx * a - wy * b for a, b in zip(y[:-1], x[:-1])]

    frames = [None] * (d + 1)
    for k in range(max(1, start - 1), d):
        fr = []
        for vs in vsets[k]:
            h0 = hom[vs[0]]
            fr.append(frame([diff(hom[v], h0) for v in vs[1:]], k, d))
        frames[k] = fr
    cols = []
    for k in range(start, d + 1):
        level = []
        p, i = fp[k].tolist(), fi[k].tolist()
        vk, vk1 = vsets[k], vsets[k - 1]
        if k == d:
            S = list(range(d))
        for c in range(len(p) - 1):
            vc = vk[c]
            if k < d:
                S = frames[k][c][0]
            col = {}
            for f in i[p[c]:p[c + 1]]:
                if k == 1:
                    y, x = hom[f], hom[vc[1] if vc[0] == f else vc[0]]
                    n = diff(y, x)
                    col[f] = _sign(n[S[0]])
                    continue
                vf = vk1[f]
                y = hom[vf[0]]
                sf = set(vf)
                x = hom[next(v for v in vc if v not in sf)]
                n = diff(y, x)
                B = frames[k - 1][f][1]
                col[f] = _sign(det([[r[s] for s in S] for r in [n] + B]))
            level.append(col)
        cols.append(level)
    return cols
