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

A finished complex is a :class:`State`: vertices, labels and facets (compressed
sparse rows) in canonical order. Cell labels are the bitwise OR of the labels of
their vertices.
"""

import contextlib
import gc
import itertools
import math

import numpy as np

from ..geometry.integer import FLOAT_LIMIT, LIMIT, as_matrix, reduce_rows, shrink, to_object


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


# ---------------------------------------------------------------------------------------
# labels: 2 bits per function, packed 4 to a byte
# ---------------------------------------------------------------------------------------
def n_label_bytes(n_functions):
    return max(1, (n_functions + 3) // 4)


def _tables():
    key = np.zeros(256, dtype=np.uint8)
    dec, txt = [], []
    for x in range(256):
        codes = [(x >> (2 * i)) & 3 for i in range(4)]
        r = [(3, 1, 2, 3)[c] for c in codes]   # '+' < '-' < '0', never a 0 byte
        key[x] = (r[0] << 6) | (r[1] << 4) | (r[2] << 2) | r[3]
        dec.append(tuple((0, 1, -1, 0)[c] for c in codes))
        txt.append("".join("0+-?"[c] for c in codes))
    return key, tuple(dec), tuple(txt)


_KEY, _DEC4, _TXT4 = _tables()


def label_tuple(row, n):
    """Packed label row (uint8 array or bytes) → tuple of signs over ``n`` functions."""
    if n == 0:
        return ()
    return tuple(itertools.chain.from_iterable(map(_DEC4.__getitem__, bytes(row))))[:n]


def label_text(row, n):
    """Packed label row → string over ``+ - 0``."""
    if n == 0:
        return ""
    return "".join(map(_TXT4.__getitem__, bytes(row)))[:n]


_ASCII = np.frombuffer(b"0+-?", dtype=np.uint8)


def label_texts(lab, n):
    """Label strings of all packed rows at once (vectorized)."""
    if n == 0:
        return [""] * len(lab)
    codes = (lab[:, :, None] >> np.array([0, 2, 4, 6], dtype=np.uint8)) & 3
    chars = _ASCII[codes.reshape(len(lab), -1)[:, :n]]
    return [x.decode("ascii") for x in np.ascontiguousarray(chars).view(f"S{n}").ravel()]


def function_signs(lab, j):
    """Signs (int8 array) of function ``j`` in packed label rows ``lab``."""
    code = (lab[:, j >> 2] >> (2 * (j & 3))) & 3
    return np.array([0, 1, -1, 0], dtype=np.int8)[code]


def sort_keys(lab):
    """Byte-string keys of packed label rows that sort like the label strings."""
    n, nb = lab.shape
    return np.ascontiguousarray(_KEY[lab]).view(f"S{nb}").reshape(n)


# ---------------------------------------------------------------------------------------
# exact integer rows (the kernels are in polytopo.geometry.integer)
# ---------------------------------------------------------------------------------------
def interpolate(A, B, ga, gb):
    """Rows ``ga B + gb A`` reduced by their gcds, exact (``ga, gb > 0``).

    int64 for the rows whose products are safely bounded, Python ints for the others.
    """
    if A.dtype != object and ga.dtype != object:
        ma = np.abs(A).max(axis=1).astype(float)
        mb = np.abs(B).max(axis=1).astype(float)
        ok = ga.astype(float) * mb + gb.astype(float) * ma < FLOAT_LIMIT
        if ok.all():
            return reduce_rows(ga[:, None] * B + gb[:, None] * A)
        R = np.empty(A.shape, dtype=object)
        if ok.any():
            R[ok] = reduce_rows(ga[ok, None] * B[ok] + gb[ok, None] * A[ok])
        bad = ~ok
        ob = ga[bad].astype(object)[:, None], gb[bad].astype(object)[:, None]
        R[bad] = reduce_rows(ob[0] * B[bad].astype(object) + ob[1] * A[bad].astype(object))
        return shrink(R)
    ga, gb = to_object(ga)[:, None], to_object(gb)[:, None]
    return shrink(reduce_rows(ga * to_object(B) + gb * to_object(A)))


def signs(G):
    """Signs of an integer vector as int8."""
    if G.dtype == object:
        return (G > 0).astype(np.int8) - (G < 0).astype(np.int8)
    return np.sign(G).astype(np.int8)


def layer_values(W, b, Z, w, relu):
    """Homogeneous pre-activations ``W relu(Z) + b w`` (rows of ``Z``: vertices), exact."""
    n = len(Z)
    if not len(W):
        return np.zeros((n, 0), dtype=np.int64)
    H = np.maximum(Z, 0) if relu else Z
    rowmax = max(sum(abs(x) for x in row) for row in W)
    bmax = max(abs(x) for x in b)
    zmax = int(np.abs(H).max(initial=0)) if n else 0
    wmax = int(np.abs(w).max(initial=0)) if n else 0
    if H.dtype != object and w.dtype != object and zmax * rowmax + bmax * wmax < LIMIT:
        out = H @ np.array(W, dtype=np.int64).T
        out += w[:, None] * np.array(b, dtype=np.int64)
        return out
    Wo = np.empty((len(W), len(W[0])), dtype=object)
    Wo[:] = [tuple(r) for r in W]
    bo = np.empty(len(b), dtype=object)
    bo[:] = list(b)
    out = to_object(H).dot(Wo.T) if H.shape[1] else np.zeros((n, len(W)), dtype=object)
    return shrink(out + to_object(w)[:, None] * bo[None, :])


# ---------------------------------------------------------------------------------------
# the mutable complex under refinement
# ---------------------------------------------------------------------------------------
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

    def set_carry(self, C):
        """Replace the carry columns by ``C`` (one row per vertex)."""
        d1 = self.d + 1
        H = self.M[:self.nv, :d1]
        if H.dtype == object or C.dtype == object:
            M = np.empty((self.nv, d1 + C.shape[1]), dtype=object)
            M[:, :d1] = H
            M[:, d1:] = C
            M = shrink(reduce_rows(M))
        else:
            M = reduce_rows(np.concatenate([H, C], axis=1))
        self.M = M

    # ---- refinement ---------------------------------------------------------------
    def insert(self, G):
        """Refine by the function with integer homogeneous values ``G`` at the vertices
        (numpy int64 or object array); the function gets the next label position."""
        j = self.nf
        sg = signs(G)
        pos, neg = sg > 0, sg < 0
        if self.d and pos.any() and neg.any():
            self._split(G, sg)
        n_old = len(sg)
        byte, shift = j >> 2, 2 * (j & 3)
        col = self.L[:n_old, byte]
        col |= (pos.astype(np.uint8) << shift) | (neg.astype(np.uint8) << (shift + 1))
        self.nf = j + 1

    def _split(self, G, sg):
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
        cut_prev = self._split_edges(G, sg, split_e)
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

    def _split_edges(self, G, sg, split_e):
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
        rows = interpolate(M[a], M[b], ga, gb)
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


# ---------------------------------------------------------------------------------------
# finished complexes: canonical order, compressed rows
# ---------------------------------------------------------------------------------------
class State:
    """A finished complex in canonical order.

    ``hom``: list of primitive integer homogeneous vertex tuples; ``lab[k]``: packed
    labels of the k-cells (uint8 rows); ``fp[k], fi[k]`` (``k >= 1``): the facets of
    k-cell ``i`` are ``fi[k][fp[k][i]:fp[k][i + 1]]``, sorted.
    """

    __slots__ = ("d", "hom", "lab", "fp", "fi", "funcs", "network")

    def __init__(self, d, hom, lab, fp, fi, funcs, network):
        self.d, self.hom, self.lab, self.fp, self.fi = d, hom, lab, fp, fi
        self.funcs, self.network = funcs, network


def csr(lists):
    """List of tuples → (indptr, indices) int64 arrays."""
    n = len(lists)
    lengths = np.fromiter(map(len, lists), dtype=np.int64, count=n)
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=ptr[1:])
    idx = np.fromiter(itertools.chain.from_iterable(lists), dtype=np.int64, count=int(ptr[-1]))
    return ptr, idx


def primitive(H):
    """Integer homogeneous rows divided by their gcds, as a list of tuples."""
    if len(H) == 0:
        return []
    R = reduce_rows(H)
    return list(map(tuple, R.tolist()))


def rows_of(ptr, idx, rows):
    """CSR restricted to ``rows`` (in that order): (indptr, indices)."""
    cnt = ptr[1:][rows] - ptr[:-1][rows]
    nptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(cnt, out=nptr[1:])
    pos = np.arange(nptr[-1], dtype=np.int64) - np.repeat(nptr[:-1] - ptr[:-1][rows], cnt)
    return nptr, idx[pos]


def _sort_within_rows(ptr, vals):
    n = len(ptr) - 1
    rowid = np.repeat(np.arange(n, dtype=np.int64), np.diff(ptr))
    order = np.lexsort((vals, rowid))
    return vals[order]


def cell_labels(d, L, fp, fi):
    """Packed labels of every cell: the OR of its facets' (so of its vertices') labels."""
    lab = [L]
    for k in range(1, d + 1):
        n = len(fp[k]) - 1
        if n == 0:
            lab.append(np.zeros((0, L.shape[1]), dtype=np.uint8))
        elif k == 1:
            lab.append(L[fi[1][0::2]] | L[fi[1][1::2]])
        else:
            lab.append(np.bitwise_or.reduceat(lab[k - 1][fi[k]], fp[k][:-1], axis=0))
    return lab


def finalize(d, H, L, fac, nf, funcs, network):
    """Canonical order of a complex given by vertex rows ``H`` (homogeneous, any positive
    scale), packed vertex labels ``L`` and facet lists ``fac[k]`` (``k >= 1``).

    Cells of each dimension are sorted by label string, ties broken by exact
    coordinates (vertices) or by the sorted canonical vertex ids (cells).
    """
    nv = len(H)
    hom = primitive(H)
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
    lab = cell_labels(d, L, fp, fi)
    # vertices
    keys = sort_keys(lab[0])
    order = np.argsort(keys, kind="stable")

    def by_point(run):  # exact: coordinates over a common denominator
        den = math.lcm(*(hom[v][-1] for v in run))
        return sorted(run, key=lambda v: tuple(x * (den // hom[v][-1]) for x in hom[v][:-1]))

    order = _break_ties(order, keys, by_point)
    new = [np.empty(nv, dtype=np.int64)]
    new[0][order] = np.arange(nv, dtype=np.int64)
    orders = [order]
    vcache = {}

    def verts(k, c):  # sorted canonical vertex ids of cell (k, c) (builder numbering)
        if k == 1:
            a, b = fi[1][2 * c], fi[1][2 * c + 1]
            x, y = int(new[0][a]), int(new[0][b])
            return (x, y) if x < y else (y, x)
        got = vcache.get((k, c))
        if got is None:
            s = set()
            for f in fi[k][fp[k][c]:fp[k][c + 1]].tolist():
                s.update(verts(k - 1, f))
            got = vcache[(k, c)] = tuple(sorted(s))
        return got

    for k in range(1, d + 1):
        keys = sort_keys(lab[k])
        order = np.argsort(keys, kind="stable")
        order = _break_ties(order, keys, lambda run, k=k: sorted(run, key=lambda c: verts(k, c)))
        inv = np.empty(len(order), dtype=np.int64)
        inv[order] = np.arange(len(order), dtype=np.int64)
        new.append(inv)
        orders.append(order)
    vcache.clear()
    out_fp, out_fi = [None], [None]
    for k in range(1, d + 1):
        p, i = rows_of(fp[k], fi[k], orders[k])
        out_fp.append(p)
        out_fi.append(_sort_within_rows(p, new[k - 1][i]))
    hom = [hom[v] for v in orders[0].tolist()]
    lab = [np.ascontiguousarray(lab[k][orders[k]]) for k in range(d + 1)]
    return State(d, hom, lab, out_fp, out_fi, list(funcs), network)


def _break_ties(order, keys, sort_run):
    """Reorder the runs of equal ``keys`` (in ``order``) with ``sort_run(list of ids)``."""
    n = len(order)
    if n < 2:
        return order
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
    return finalize(b.d, b.M[:b.nv, :b.d + 1], b.L[:b.nv], b.fac, b.nf, funcs, network)


# ---------------------------------------------------------------------------------------
# serial build of a network's complex
# ---------------------------------------------------------------------------------------
def neuron_plan(network, output):
    """``(layer index, neuron index, descriptor)`` for every function to insert."""
    plan = []
    n_layers = len(network.weights)
    for li in range(n_layers):
        hidden = li < n_layers - 1
        if not hidden and not output:
            break
        for j in range(len(network.weights[li])):
            plan.append((li, j, ("neuron", li + 1, j) if hidden else ("output",)))
    return plan


def step_reporter(builder, total, progress, max_regions):
    """``on_step(done)`` for :func:`run_plan`: report progress and enforce the region limit."""
    from ..exceptions import LimitExceeded

    def step(done):
        n = builder.n_top
        if progress is not None:
            progress(done, total, n)
        if max_regions is not None and n > max_regions:
            raise LimitExceeded(f"more than {max_regions} regions after inserting "
                                f"{done} of {total} neurons")

    return step


def run_plan(builder, layers, plan, start, stop, on_step=None):
    """Insert the functions ``plan[start:stop]`` (the carry of ``plan[start]``'s layer
    is in the builder unless ``start`` opens a layer)."""
    d = builder.d
    for t in range(start, stop):
        li, j, _ = plan[t]
        if j == 0:
            W, b, _ = layers[li]
            M = builder.M[:builder.nv]
            Z = M[:, :d] if li == 0 else M[:, d + 1:]
            builder.set_carry(layer_values(W, b, Z, M[:, d], relu=li > 0))
        builder.insert(builder.values(d + 1 + j))
        if on_step is not None:
            on_step(t + 1)


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


def vertex_csr(d, nv, fp, fi):
    """Per dimension, (indptr, indices) of the sorted vertex ids of every cell."""
    ptr = np.arange(nv + 1, dtype=np.int64)
    idx = np.arange(nv, dtype=np.int64)
    out = [(ptr, idx)]
    for k in range(1, d + 1):
        p, i = fp[k], fi[k]
        n = len(p) - 1
        cnt_f = (ptr[1:] - ptr[:-1])[i]   # vertices of each facet occurrence
        cell_of = np.repeat(np.repeat(np.arange(n, dtype=np.int64), np.diff(p)), cnt_f)
        starts = np.repeat(ptr[:-1][i], cnt_f)
        offs = np.arange(len(starts), dtype=np.int64) - np.repeat(np.cumsum(cnt_f) - cnt_f, cnt_f)
        keys = unique_ints(cell_of * max(nv, 1) + idx[starts + offs])
        cells, idx = np.divmod(keys, max(nv, 1))
        ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(cells, minlength=n), out=ptr[1:])
        out.append((ptr, idx))
    return out
