"""The exact refinement engine behind :mod:`polytopo.complex` (private).

Representation while a complex is refined (:class:`_Builder`):

* vertices: one row per vertex of an integer matrix ``M`` (numpy ``int64`` while every
  entry is below ``2**62`` in absolute value, else ``object`` holding Python ints):
  the homogeneous coordinates ``(X_1, …, X_d, w)``, ``w > 0``, followed by the
  pre-activations of the layer being inserted, scaled by the same ``w`` ("carry");
* vertex labels: a ``uint8`` matrix, 2 bits per inserted function (``01`` = +,
  ``10`` = −, ``00`` = 0), function ``j`` in byte ``j // 4`` at bit ``2 (j % 4)``;
* cells of dimension ``k >= 1``: their facet ids (tuples; edges are vertex pairs),
  the cofacet lists of cells of dimension ``< d``, and for ``k >= 2`` one vertex of
  each cell (``rep``). Vertex sets are not stored: whether a cell is cut is decided
  from the sign summaries of its facets (see :meth:`_Builder._split`).

A finished complex is a :class:`~polytopo.complex.state.State`: vertices, labels and
facets (compressed sparse rows) in canonical order. Cell labels are the bitwise OR of the
labels of their vertices. The label codec is in :mod:`.labels`, the integer rows in
:mod:`.values`, the insertion plan in :mod:`.plan`.
"""

import contextlib
import gc

import numpy as np

from ..geometry.integer import shrink
from .values import interpolate, signs


@contextlib.contextmanager
def no_gc():
    """Pause the cyclic garbage collector while building large acyclic structures
    (millions of tuples and lists): collections would rescan them again and again.

    On exit the survivors go straight to the oldest generation (``freeze`` then
    ``unfreeze`` splice the lists in O(1)) instead of being scanned as young objects.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


class _Builder:
    """A complex under refinement (no canonical order; labels on vertices only).

    ``carriers`` (optional, per dimension) are carried along: a split cell's pieces
    and its zero cell inherit its carrier, a new vertex its edge's.
    """

    def __init__(self, d, M, L, fac, cof, rep, nf, carriers=None):
        self.d = d
        self.nv = len(M)
        self.M = M
        self.L = L
        self.fac, self.cof, self.rep = fac, cof, rep
        self.nf = nf  # functions inserted so far
        self.carriers = carriers
        self.E = np.zeros((max(16, 2 * len(fac[1])), 2), dtype=np.int64)
        if fac[1]:
            self.E[:len(fac[1])] = np.array(fac[1], dtype=np.int64)
        self.n_mirrored = len(fac[1])  # edges [0, n_mirrored) are mirrored in E
        self.carry_off = 0  # carry columns dropped (drop_carry) since the last set_carry

    @property
    def n_top(self):
        return len(self.fac[self.d]) if self.d else 1

    # ---- storage ------------------------------------------------------------------
    def _grow(self, m):
        """Room for ``m`` more vertices and edges."""
        need = self.nv + m
        if need > len(self.M):
            cap = max(need, len(self.M) * 3 // 2, 16)
            M = np.zeros((cap, self.M.shape[1]), dtype=self.M.dtype)
            M[:self.nv] = self.M[:self.nv]
            self.M = M
            L = np.zeros((cap, self.L.shape[1]), dtype=np.uint8)
            L[:self.nv] = self.L[:self.nv]
            self.L = L
        ne = len(self.fac[1]) + m
        if ne > len(self.E):
            E = np.zeros((max(ne, 2 * len(self.E)), 2), dtype=np.int64)
            E[:len(self.E)] = self.E
            self.E = E

    def _store(self, start, rows):
        if rows.dtype == object and self.M.dtype != object:
            self.M = self.M.astype(object)
        self.M[start:start + len(rows)] = rows

    def values(self, col):
        """Column ``col`` of the vertex matrix (a copy)."""
        return self.M[:self.nv, col].copy()

    def drop_carry(self, k):
        """Forget the first ``k`` carry columns (of functions inserted already that no
        later function needs); the next ones shift left (:attr:`carry_off` counts them)."""
        d1 = self.d + 1
        keep = np.r_[np.arange(d1), np.arange(d1 + k, self.M.shape[1])]
        self.M = np.ascontiguousarray(self.M[:, keep])
        self.carry_off += k

    def set_carry(self, C):
        """Replace the carry columns by ``C`` (one row per vertex).

        The rows stay primitive: the coordinates ``(X, w)`` are, and the carry is an
        integer combination of them (see :func:`.values.interpolate`).
        """
        self.carry_off = 0
        d1 = self.d + 1
        H = self.M[:self.nv, :d1]
        if H.dtype == object or C.dtype == object:
            M = np.empty((self.nv, d1 + C.shape[1]), dtype=object)
            M[:, :d1] = H
            M[:, d1:] = C
            M = shrink(M)
        else:
            M = np.concatenate([H, C], axis=1)
        self.M = M

    # ---- refinement ---------------------------------------------------------------
    def insert(self, G, column=None, dead=0):
        """Refine by the function with integer homogeneous values ``G`` at the vertices
        (numpy int64 or object array); the function gets the next label position.

        ``column``: the carry column holding ``G``, which is exactly zero at the new
        vertices; ``dead``: the number of leading carry columns no later step reads. The
        new vertices get zeros there instead of interpolated values."""
        j = self.nf
        sg = signs(G)
        pos, neg = sg > 0, sg < 0
        if self.d and pos.any() and neg.any():
            d1, ncol = self.d + 1, self.M.shape[1]
            skip = set(range(d1, d1 + dead))
            if column is not None:
                skip.add(column)
            self._split(G, sg, [c for c in range(ncol) if c not in skip] if skip else None)
        n_old = len(sg)
        byte, shift = j >> 2, 2 * (j & 3)
        col = self.L[:n_old, byte]
        col |= (pos.astype(np.uint8) << shift) | (neg.astype(np.uint8) << (shift + 1))
        self.nf = j + 1

    def _split(self, G, sg, cols=None):
        """Split the cells with vertices of both signs (``cols``: the vertex columns to
        interpolate, None for all)."""
        d, fac, cof, rep = self.d, self.fac, self.cof, self.rep
        edges, cof0 = fac[1], cof[0]
        ne = len(edges)
        E = self.E[:ne]
        se = sg[E[:, 0]] * sg[E[:, 1]]
        split_e = np.flatnonzero(se < 0)
        zero_v = np.flatnonzero(sg == 0).tolist()
        vb = np.where(sg > 0, 1, np.where(sg < 0, 2, 0)).astype(np.uint8).tobytes()
        # sign summaries (1: has +, 2: has −, 3: both, 0: all zero) of the candidate
        # cells: those containing a cut edge or a zero vertex (a cell with vertices of
        # both strict signs has one: its graph is connected). Others have one strict sign.
        # Candidates: the cells containing a cut edge (all cut) or a zero vertex; every
        # other cell has vertices of one strict sign (its graph is connected). ``split[k]``
        # lists the cut k-cells, ``bits[k]`` the sign summaries (1: has +, 2: has −,
        # 0: all zero) of the other candidates.
        sl1 = split_e.tolist()
        cut1 = set(sl1)
        b1 = {}
        for v in zero_v:
            for e in cof0[v]:
                if e not in cut1 and e not in b1:
                    a, b = edges[e]
                    b1[e] = vb[a] | vb[b]
        bits, split = [None, b1], [None, sl1]
        for k in range(2, d + 1):
            below, fk, ck1 = bits[k - 1], fac[k], cof[k - 1]
            rk1 = rep[k - 1] if k > 2 else None
            cut = set()
            for f in split[k - 1]:
                cut.update(ck1[f])
            here = {}
            for f in below:
                for c in ck1[f]:
                    if c in cut or c in here:
                        continue
                    x = 0
                    for g in fk[c]:
                        y = below.get(g)
                        if y is None:
                            y = vb[edges[g][0]] if k == 2 else vb[rk1[g]]
                        x |= y
                    if x == 3:
                        cut.add(c)
                    else:
                        here[c] = x
            bits.append(here)
            split.append(list(cut))
        cut_prev = self._split_edges(G, sg, split_e, cols)
        carriers = self.carriers
        for k in range(2, d + 1):
            fk, fk1 = fac[k], fac[k - 1]
            ck = cof[k] if k < d else None
            ck1, ck2 = cof[k - 1], cof[k - 2]
            below = bits[k - 1]
            zero2 = bits[k - 2] if k > 2 else None
            rk, rk1 = rep[k], rep[k - 1] if k > 2 else None
            rk2 = rep[k - 2] if k > 3 else None
            car_k = carriers[k] if carriers is not None else None
            car_k1 = carriers[k - 1] if carriers is not None else None
            cut_now = {}
            get_cut, get_below = cut_prev.get, below.get
            for c in split[k]:
                c0, cm = len(fk1), len(fk)
                plus_f, minus_f, zfaces, extra = [c0], [c0], [], None
                for f in fk[c]:
                    zm = get_cut(f)
                    if zm is not None:  # a cut facet: its + part keeps the id f
                        z, m = zm
                        zfaces.append(z)
                        plus_f.append(f)
                        minus_f.append(m)
                        ck1[f].append(c)
                        ck1[m].append(cm)
                        ck2[z].append(c0)
                        continue
                    y = get_below(f)
                    if y is None:
                        y = vb[edges[f][0]] if k == 2 else vb[rk1[f]]
                    else:  # a candidate: it may have faces in the zero set
                        for h in fk1[f]:
                            if (vb[h] if k == 2 else zero2.get(h)) == 0:
                                if extra is None:
                                    extra = {h}
                                else:
                                    extra.add(h)
                    if y == 2:
                        minus_f.append(f)
                        lst = ck1[f]
                        lst[lst.index(c)] = cm
                    else:
                        plus_f.append(f)
                if extra is not None:
                    for h in extra:
                        ck2[h].append(c0)
                    zfaces.extend(sorted(extra))
                h0 = zfaces[0]
                r0 = h0 if k == 2 else (edges[h0][0] if k == 3 else rk2[h0])
                fk1.append(tuple(zfaces))
                ck1.append([c, cm])
                if k > 2:
                    rk1.append(r0)
                fk[c] = tuple(plus_f)
                fk.append(tuple(minus_f))
                rk[c] = r0
                rk.append(r0)
                if ck is not None:
                    ck[c] = []
                    ck.append([])
                if car_k is not None:
                    x = car_k[c]
                    car_k.append(x)
                    car_k1.append(x)
                cut_now[c] = (c0, cm)
            cut_prev = cut_now
            if k == 2:  # the zero cells of cut 2-cells are new edges
                self._mirror_edges()

    def _split_edges(self, G, sg, split_e, cols=None):
        """One new vertex per cut edge, by exact interpolation (vectorized)."""
        m = len(split_e)
        if not m:
            return {}
        edges, cof0 = self.fac[1], self.cof[0]
        cof1 = self.cof[1] if self.d > 1 else None
        ne, nv = len(edges), self.nv
        self._grow(m)
        a = self.E[split_e, 0]
        b = self.E[split_e, 1]
        flip = sg[a] < 0
        a, b = np.where(flip, b, a), np.where(flip, a, b)
        ga, gb = G[a], -G[b]
        M = self.M
        if cols is None:
            rows = interpolate(M[a], M[b], ga, gb, self.d + 1)
        else:   # the skipped columns (dead, or the function's own) are zero
            ix = np.asarray(cols, dtype=np.int64)
            part = interpolate(M[a[:, None], ix], M[b[:, None], ix], ga, gb, self.d + 1)
            rows = np.zeros((m, M.shape[1]), dtype=part.dtype)
            rows[:, ix] = part
        self._store(nv, rows)
        self.L[nv:nv + m] = self.L[a] | self.L[b]
        p = np.arange(nv, nv + m)
        em = np.arange(ne, ne + m)
        self.E[split_e, 0] = a
        self.E[split_e, 1] = p
        self.E[ne:ne + m, 0] = b
        self.E[ne:ne + m, 1] = p
        self.nv = nv + m
        self.n_mirrored = ne + m
        sl, al, bl, pl, ml = (x.tolist() for x in (split_e, a, b, p, em))
        for e, x, y, q, n in zip(sl, al, bl, pl, ml):
            edges[e] = (x, q)
            edges.append((y, q))
            cof0.append([e, n])
            lst = cof0[y]
            lst[lst.index(e)] = n
        if cof1 is not None:
            for e in sl:
                cof1[e] = []
            cof1.extend([] for _ in sl)
        if self.carriers is not None:
            car1 = self.carriers[1]
            got = [car1[e] for e in sl]
            self.carriers[0].extend(got)
            car1.extend(got)
        return dict(zip(sl, zip(pl, ml)))

    def _mirror_edges(self):
        edges = self.fac[1]
        n = len(edges)
        if n > len(self.E):
            E = np.zeros((2 * n, 2), dtype=np.int64)
            E[:len(self.E)] = self.E
            self.E = E
        start = self.n_mirrored
        if n > start:
            self.E[start:n] = np.array(edges[start:n], dtype=np.int64)
        self.n_mirrored = n


def builder_from_lists(d, M, L, fac, nf, carriers=None):
    """A builder from vertex rows, labels and facet lists (cofacets and reps derived)."""
    ns = [len(M)] + [len(fac[k]) for k in range(1, d + 1)]
    cof = [[[] for _ in range(ns[k])] for k in range(d)]
    for k in range(1, d + 1):
        ck = cof[k - 1]
        for c, fs in enumerate(fac[k]):
            for f in fs:
                ck[f].append(c)
    rep = [None, None]
    for k in range(2, d + 1):
        below = rep[k - 1] if k > 2 else None
        edges = fac[1]
        rep.append([edges[fs[0]][0] if k == 2 else below[fs[0]] for fs in fac[k]])
    return _Builder(d, M, L, fac, cof, rep, nf, carriers)
