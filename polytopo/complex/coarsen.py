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
from .labels import max_groups, n_label_bytes
from .state import cell_labels, finalize


def _pack(S):
    """Packed labels (2 bits per function) of an int8 sign matrix."""
    n, nf = S.shape
    nb = n_label_bytes(nf)
    code = np.zeros((n, 4 * nb), dtype=np.uint8)
    code[:, :nf] = np.where(S > 0, 1, np.where(S < 0, 2, 0))
    code = code.reshape(n, nb, 4)
    return (code[:, :, 0] | (code[:, :, 1] << 2) | (code[:, :, 2] << 4)
            | (code[:, :, 3] << 6)).astype(np.uint8)


def _signs(L, nf):
    """The int8 sign matrix (vertices × functions) of packed labels."""
    codes = (L[:, :, None] >> np.array([0, 2, 4, 6], dtype=np.uint8)) & 3
    return np.array([0, 1, -1, 0], dtype=np.int8)[codes.reshape(len(L), -1)[:, :nf]]


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
    V = _signs(state.lab[0], nf)
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
        H = np.concatenate([V[:, i:j], -V[:, i:j]], axis=1) if j == i + 1 else \
            _max_signs(V[:, i:j])
        new_funcs.extend(("unit", f[1], f[2], p) for p in range(j - i + 1))
        cols.append(H)
        i = j
    S = np.concatenate(cols, axis=1) if cols else np.zeros((nv, 0), dtype=np.int8)
    L0 = _pack(S)
    fp, fi = state.fp, state.fi
    X = as_matrix(state.hom, d + 1)
    if all(u.size == 2 for layer in state.network.layer_units for u in layer
           if not hasattr(u, "breakpoints")):
        # two pieces: the one comparison p_1 - p_2 is the pattern (h_1 = -h_2 = p_1 - p_2),
        # so the refinement is the canonical complex and only the labels change
        return finalize(d, X, L0, [None] + [(fp[k], fi[k]) for k in range(1, d + 1)],
                        len(new_funcs), new_funcs, state.network)
    lab = cell_labels(d, L0, fp, fi, max_groups(new_funcs, state.network))
    # the domain face of every cell: the constraints tight at all its vertices
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
    # group the cells of every dimension by (pattern, domain face); the groups' numbering
    # does not matter (finalize puts the cells in canonical order)
    ns = [len(lab[k]) for k in range(d + 1)]
    keys = np.concatenate([np.concatenate([lab[k], masks[k]], axis=1) for k in range(d + 1)])
    keys = np.ascontiguousarray(keys)
    void = keys.view(np.dtype((np.void, keys.shape[1]))).ravel()
    _, inv = np.unique(void, return_inverse=True)
    inv = inv.reshape(-1).astype(np.int64)
    if len(inv) and inv.max() + 1 == len(inv):   # nothing to merge: only the labels change
        return finalize(d, X, L0, [None] + [(fp[k], fi[k]) for k in range(1, d + 1)],
                        len(new_funcs), new_funcs, state.network)
    dims = np.repeat(np.arange(d + 1, dtype=np.int64), ns)
    ng = int(inv.max()) + 1
    gdim = np.full(ng, -1, dtype=np.int64)
    np.maximum.at(gdim, inv, dims)   # a group's cell: of the largest dimension of its members
    new_id = np.empty(ng, dtype=np.int64)
    counts = []
    for k in range(d + 1):
        idx = np.flatnonzero(gdim == k)
        new_id[idx] = np.arange(len(idx), dtype=np.int64)
        counts.append(len(idx))
    offsets = np.concatenate(([0], np.cumsum(ns)))
    group = [inv[offsets[k]:offsets[k + 1]] for k in range(d + 1)]
    # vertices: the fine vertex of each 0-dimensional group
    vert_of = np.empty(counts[0], dtype=np.int64)
    top0 = np.flatnonzero(gdim[group[0]] == 0)
    vert_of[new_id[group[0][top0]]] = top0
    fac = [None]
    for k in range(1, d + 1):
        g = group[k]
        rows = np.repeat(np.arange(ns[k], dtype=np.int64), np.diff(fp[k]))
        me = g[rows]
        x = group[k - 1][fi[k]]
        keep = (gdim[me] == k) & (x != me)
        me, x = me[keep], x[keep]
        if np.any(gdim[x] != k - 1):
            raise AssertionError("a facet of a merged cell is not a cell of one dimension less")
        pair = np.unique(new_id[me] * max(counts[k - 1], 1) + new_id[x])
        a = pair // max(counts[k - 1], 1)
        ptr = np.zeros(counts[k] + 1, dtype=np.int64)
        np.cumsum(np.bincount(a, minlength=counts[k]), out=ptr[1:])
        fac.append((ptr, pair % max(counts[k - 1], 1)))
    H = X[vert_of]
    return finalize(d, H, L0[vert_of], fac, len(new_funcs), new_funcs, state.network)
