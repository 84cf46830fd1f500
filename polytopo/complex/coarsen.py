"""The canonical complex of a network with max units, from its refinement by comparisons
(private).

A max unit of ``m`` pieces is inserted as the comparisons ``max(p_1..p_k) − p_{k+1}``
(:mod:`.plan`), which also split cells where the compared pieces are not the maximum. The
pattern of a max unit is the sign vector of ``h_i = p_i − max_{j≠i} p_j``, read off the
comparisons' signs at every vertex. Given the signs of every pattern function, the points
with one pattern in the relative interior of one face of the domain form a convex set (all
units are affine there), so each cell of the canonical complex is the union of the finer
cells with its pattern and its domain face, of the largest of their dimensions; its facets
are the other such unions met by the facets of its finer top cells.
"""

import numpy as np

from ..geometry.integer import as_matrix, to_object
from .labels import function_signs, n_label_bytes
from .state import cell_labels, finalize


def _pack(S):
    """Packed labels (2 bits per function) of an int8 sign matrix."""
    n, nf = S.shape
    out = np.zeros((n, n_label_bytes(nf)), dtype=np.uint8)
    for j in range(nf):
        code = np.where(S[:, j] > 0, 1, np.where(S[:, j] < 0, 2, 0)).astype(np.uint8)
        out[:, j >> 2] |= code << (2 * (j & 3))
    return out


def _max_signs(G):
    """Signs of ``h_1..h_m`` from the signs ``G`` (vertices × (m − 1)) of the comparisons."""
    n, m1 = G.shape
    member = np.zeros((n, m1 + 1), dtype=bool)
    member[:, 0] = True
    for k in range(m1):
        g = G[:, k]
        member[g < 0] = False
        member[g <= 0, k + 1] = True
    count = member.sum(axis=1)
    return np.where(member, np.where(count[:, None] > 1, 0, 1), -1).astype(np.int8)


def coarsen(state, domain_rows):
    """The canonical :class:`~polytopo.complex.state.State` of a complex refined by the
    plan of a network with max units; ``domain_rows``: integer ``(a, c)`` with the domain
    ``{a·x <= c}``."""
    d, funcs = state.d, list(state.funcs)
    nv = len(state.hom)
    nf = len(funcs)
    V = np.stack([function_signs(state.lab[0], j) for j in range(nf)], axis=1) if nf else \
        np.zeros((nv, 0), dtype=np.int8)
    new_funcs, cols = [], []
    i = 0
    while i < nf:
        f = tuple(funcs[i])
        if f[0] != "compare":
            new_funcs.append(f)
            cols.append(V[:, i:i + 1])
            i += 1
            continue
        j = i
        while j < nf and funcs[j][0] == "compare" and tuple(funcs[j][1:3]) == f[1:3]:
            j += 1
        H = _max_signs(V[:, i:j])
        new_funcs.extend(("unit", f[1], f[2], p) for p in range(j - i + 1))
        cols.append(H)
        i = j
    S = np.concatenate(cols, axis=1) if cols else np.zeros((nv, 0), dtype=np.int8)
    L0 = _pack(S)
    fp, fi = state.fp, state.fi
    lab = cell_labels(d, L0, fp, fi)
    # the domain face of every cell: the constraints tight at all its vertices
    X = as_matrix(state.hom, d + 1)
    A = to_object(np.array([list(a) + [-c] for a, c in domain_rows], dtype=object))
    tight = (to_object(X).dot(A.T) == 0) if len(A) else np.zeros((nv, 0), dtype=bool)
    masks = [np.packbits(tight.astype(bool), axis=1)]
    for k in range(1, d + 1):
        n = len(fp[k]) - 1
        if n == 0:
            masks.append(np.zeros((0, masks[0].shape[1]), dtype=np.uint8))
        elif k == 1:
            masks.append(masks[0][fi[1][0::2]] & masks[0][fi[1][1::2]])
        else:
            masks.append(np.bitwise_and.reduceat(masks[k - 1][fi[k]], fp[k][:-1], axis=0))
    # group the cells of every dimension by (pattern, domain face)
    gid, gdim, group = {}, [], []
    for k in range(d + 1):
        keys = [a.tobytes() + b"|" + b.tobytes() for a, b in zip(lab[k], masks[k])]
        g = np.empty(len(keys), dtype=np.int64)
        for c, key in enumerate(keys):
            x = gid.get(key)
            if x is None:
                x = gid[key] = len(gdim)
                gdim.append(k)
            else:
                gdim[x] = k
            g[c] = x
        group.append(g)
    gdim = np.array(gdim, dtype=np.int64)
    new_id = np.full(len(gdim), -1, dtype=np.int64)
    counts = [0] * (d + 1)
    for x in range(len(gdim)):
        new_id[x] = counts[gdim[x]]
        counts[gdim[x]] += 1
    # vertices: the fine vertex of each 0-dimensional group
    vert_of = np.empty(counts[0], dtype=np.int64)
    top0 = np.flatnonzero(gdim[group[0]] == 0)
    vert_of[new_id[group[0][top0]]] = top0
    fac = [None]
    for k in range(1, d + 1):
        sets = [set() for _ in range(counts[k])]
        g = group[k]
        own = np.flatnonzero(gdim[g] == k)
        gf = group[k - 1]
        for c in own.tolist():
            me = g[c]
            s = sets[new_id[me]]
            for f in fi[k][fp[k][c]:fp[k][c + 1]].tolist():
                x = gf[f]
                if x != me:
                    if gdim[x] != k - 1:
                        raise AssertionError("a facet of a merged cell is not a cell of "
                                             "one dimension less")
                    s.add(int(new_id[x]))
        fac.append([tuple(sorted(s)) for s in sets])
    H = X[vert_of]
    return finalize(d, H, L0[vert_of], fac, len(new_funcs), new_funcs, state.network)
