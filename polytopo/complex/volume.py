"""Exact volumes of the top cells of a polyhedral complex by memoised facet recursion (private).

A pulling triangulation of a k-cell has up to ``k!`` simplices (a 9-cube: 362 880); this
module instead computes one rational number per face of the complex, bottom-up over the
face lattice, so that every face shared between cells is handled once and the work and
memory are proportional to the number of face–facet incidences.

The recursion. For a k-face ``G`` let ``L_G ⊂ R^{d+1}`` be the linear span of the
homogeneous coordinates ``h_v = (X_v, w_v)`` of its vertices (dimension ``k + 1``), and
``P_G`` its primitive integer Plücker vector (the ``(k+1) × (k+1)`` minors, over the
``(k+1)``-subsets of the ``d + 1`` columns, of a basis, divided by their gcd). For every
k-subset ``S`` of the coordinates, with ``S⁺ = S ∪ {w}``,

    ``ρ(G) = vol_S(G) / |P_G[S⁺]|``

does not depend on ``S`` (``vol_S`` is the k-volume of the projection onto ``S``;
any ``S`` with ``P_G[S⁺] ≠ 0``). Coning the facets ``F`` of ``G`` not containing a vertex
``v0`` of ``G`` from ``v0`` (those containing it span no volume),

    ``ρ(G) = 1 / (k · w_0) · Σ_{F ∌ v0} λ_F ρ(F)``,  ``P_F ∧ h_0 = ±λ_F P_G``,

with ``λ_F`` a positive integer (``P_F ∧ h_0`` is an integer vector on the line of the
primitive ``P_G``). For a simplex this is ``|det [h_0; …; h_k]_{S⁺}| / (k! Π w_i)``
again; a vertex has ``ρ = 1 / w``, and a top cell's ``P_G`` is ``±1``, so ``ρ`` is its
volume. ``P_G`` itself is ``P_{F*} ∧ h_0`` made primitive, ``F*`` the first facet
without ``v0``, and ``λ_F`` needs one coordinate of ``P_F ∧ h_0`` (``k + 1`` products).

The Plücker vectors of the faces are small even when the vertices' coordinates are not:
up to a factor they are the complementary minors of the (small) equations of ``L_G``. Every integer
product is computed in numpy ``int64`` on the rows whose magnitude bounds prove it exact,
in Python integers on the others; the rationals ``ρ`` are numpy object arrays of Python
integers, summed over a common denominator per face. Plücker vectors have
``C(d + 1, k + 1)`` coordinates: past ``d = 10`` (:data:`_MAX_PLUCKER`), the cell-by-cell
:func:`region_volumes_python` (a basis of homogeneous vertex rows per face and one exact
determinant per incidence) is used instead; it is also the reference the vectorized path
is tested against.
"""

__all__ = ["region_volumes", "region_volumes_python", "facet_measures_squared"]

import functools
import itertools
import math
from fractions import Fraction

import numpy as np

from ..geometry.exact import reduced_ratios
from ..geometry.integer import det as _det
from ..geometry.integer import wedge_tables

_LIMIT = 1 << 62           # int64 storage holds entries of absolute value below this
_FLIMIT = float(1 << 61)   # float bound on the values of an int64 computation (margin 4)
_MAX_PLUCKER = 462         # longest Plücker vectors of the vectorized path: d ≤ 10
_CHUNK = 1 << 22           # values per vectorized step when whole Plücker vectors are formed


def region_volumes(d, hom, fp, fi, vcsr, indices):
    """Exact volumes of top cells of a polyhedral complex, by memoised facet recursion.

    Only the faces in the closure of the requested cells are visited, each once
    (see the module docstring for the recursion).

    Parameters
    ----------
    d : int
        Dimension of the complex and of its ambient space.
    hom : sequence of integer rows, or ndarray (int64 or object)
        Homogeneous vertex coordinates ``(X_1, …, X_d, w)``, ``w > 0``: vertex ``j`` is
        ``X / w``.
    fp, fi : sequences of ndarray
        For ``k = 1 … d``, ``fp[k], fi[k]``: CSR (indptr, indices) of the facets of each
        k-cell (indices are (k−1)-cell ids; those of edges are vertex ids).
    vcsr : sequence of (ndarray, ndarray)
        For ``k = 0 … d``: CSR (indptr, indices) of the sorted vertex ids of every k-cell.
    indices : sequence of int
        The top cells wanted (repetitions allowed).

    Returns
    -------
    list of Fraction
        The volumes, in the order of ``indices``.

    Examples
    --------
    >>> from polytopo.complex import CellComplex
    >>> C = CellComplex.from_box([0, 0, 0], [1, 2, 3]).refine_by_hyperplane([1, 1, 0], -1)
    >>> region_volumes(C._d, C._hom, C._fp, C._fi, C._vertex_csr(), range(C.n_regions))
    [Fraction(9, 2), Fraction(3, 2)]
    """
    indices = [int(i) for i in indices]
    if d == 0 or not indices:
        return [Fraction(1)] * len(indices)
    fp = [None] + [np.asarray(fp[k], dtype=np.int64) for k in range(1, d + 1)]
    fi = [None] + [np.asarray(fi[k], dtype=np.int64) for k in range(1, d + 1)]
    vcsr = [tuple(np.asarray(a, dtype=np.int64) for a in vcsr[k]) for k in range(d + 1)]
    if max(math.comb(d + 1, j) for j in range(d + 2)) > _MAX_PLUCKER:
        return region_volumes_python(d, hom, fp, fi, vcsr, indices)
    H = _matrix(hom, d + 1)
    if len(H) and not (H[:, d] > 0).all():
        raise ValueError("homogeneous coordinates need w > 0")
    cells = _closure(d, fp, fi, indices)
    # level 0: the vertices, ρ = 1 / w, Plücker vector h
    P = H[cells[0]]
    num = np.ones(len(cells[0]), dtype=object)
    den = _to_object(H[cells[0], d])
    n_prev = len(H)
    for k in range(1, d + 1):
        loc = np.full(n_prev, -1, dtype=np.int64)
        loc[cells[k - 1]] = np.arange(len(cells[k - 1]))
        P, num, den = _level(k, d, H, P, num, den, loc, cells[k], fp[k], fi[k], vcsr[k],
                             vcsr[k - 1])
        n_prev = len(fp[k]) - 1
    # (num, den) are coprime: _level divided them by their gcds
    got = reduced_ratios([int(a) for a in num.tolist()], [int(e) for e in den.tolist()])
    if len(got) == len(indices) and indices == cells[d].tolist():
        return got
    vols = dict(zip(cells[d].tolist(), got))
    return [vols[i] for i in indices]


def facet_measures_squared(d, hom, fp, fi, vcsr, facets):
    """Exact squared ``(d−1)``-volumes of ``(d−1)``-cells of a complex in ``R^d``, by the
    same recursion as :func:`region_volumes`, stopped one level below the top.

    For a ``(d−1)``-face ``F`` the recursion gives ``ρ(F) = vol_S(F) / |P_F[S⁺]|`` and the
    primitive Plücker vector ``P_F`` of the hyperplane ``L_F = {(X, w) : n·X = b w}``,
    whose coordinates ``P_F[S_j⁺]`` (all columns but coordinate ``j``) are
    ``± c n_j`` for one ``c``. With ``vol(F) = vol_{S_j}(F) ‖n‖ / |n_j|`` (the area formula
    for the projection along coordinate ``j``),

        ``vol(F)² = ρ(F)² · Σ_j P_F[S_j⁺]²``,

    a rational number. Returns ``None`` past ``d = 10`` (the Plücker vectors of the
    vectorized path); the caller then measures facet by facet.

    Examples
    --------
    >>> from polytopo.complex import CellComplex
    >>> C = CellComplex.from_box([0, 0], [1, 1]).refine_by_hyperplane([1, 1], -1)
    >>> inner = [c.index for c in C.cells(1) if len(C.cofacets_of(c)) == 2]
    >>> facet_measures_squared(2, C._hom, C._fp, C._fi, C._vertex_csr(), inner)
    [Fraction(2, 1)]
    """
    facets = [int(i) for i in facets]
    if d == 1 or not facets:
        return [Fraction(1)] * len(facets)
    if max(math.comb(d + 1, j) for j in range(d + 2)) > _MAX_PLUCKER:
        return None
    fp = [None] + [np.asarray(fp[k], dtype=np.int64) for k in range(1, d + 1)]
    fi = [None] + [np.asarray(fi[k], dtype=np.int64) for k in range(1, d + 1)]
    vcsr = [tuple(np.asarray(a, dtype=np.int64) for a in vcsr[k]) for k in range(d + 1)]
    H = _matrix(hom, d + 1)
    cells = _closure(d - 1, fp, fi, facets)
    P = H[cells[0]]
    num = np.ones(len(cells[0]), dtype=object)
    den = _to_object(H[cells[0], d])
    n_prev = len(H)
    for k in range(1, d):
        loc = np.full(n_prev, -1, dtype=np.int64)
        loc[cells[k - 1]] = np.arange(len(cells[k - 1]))
        P, num, den = _level(k, d, H, P, num, den, loc, cells[k], fp[k], fi[k], vcsr[k],
                             vcsr[k - 1])
        n_prev = len(fp[k]) - 1
    with_w = [i for i, T in enumerate(itertools.combinations(range(d + 1), d)) if d in T]
    Po = _to_object(P[:, with_w])
    sq = (Po * Po).sum(axis=1)
    out = {c: Fraction(int(a) ** 2 * int(q), int(e) ** 2)
           for c, a, e, q in zip(cells[d - 1].tolist(), num.tolist(), den.tolist(), sq.tolist())}
    return [out[i] for i in facets]


def _level(k, d, H, Pf, num_f, den_f, loc, G, fp, fi, vcsr_k, vcsr_f):
    """One level of the recursion: Plücker vectors and ``ρ`` (numerator, denominator)
    of the k-faces ``G`` from those of the (k−1)-faces (local ids ``loc[global id]``)."""
    nG = len(G)
    # the facet occurrences of the faces, grouped by face
    starts, counts = fp[G], fp[G + 1] - fp[G]
    owner = np.repeat(np.arange(nG, dtype=np.int64), counts)
    occ = np.arange(len(owner), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts) \
        + np.repeat(starts, counts)
    F = fi[occ]
    v0 = vcsr_k[1][vcsr_k[0][G]]          # the smallest vertex of each face
    # v0 = min G ≤ min F, so v0 ∈ F exactly when it is F's smallest vertex too
    first_f = vcsr_f[1][vcsr_f[0][F]]
    kept = first_f != v0[owner]
    owner, F = owner[kept], loc[F[kept]]
    if (F < 0).any():
        raise AssertionError("a facet is missing from the closure")
    head = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]]) if len(owner) else owner
    if len(head) != nG:
        raise AssertionError("a face whose every facet contains its first vertex")
    h0 = H[v0]
    hb, pb = _row_bounds(h0), _row_bounds(Pf)
    col, minor, alt = _wedge_tables(d + 1, k + 1)

    def wedge_all(h, p):   # (P_F ∧ h)[T] = Σ_j (−1)^j h[T_j] P_F[T ∖ T_j], every T
        out = h[:, col[:, 0]] * p[:, minor[:, 0]]
        for j in range(1, k + 1):
            if j % 2:
                out -= h[:, col[:, j]] * p[:, minor[:, j]]
            else:
                out += h[:, col[:, j]] * p[:, minor[:, j]]
        return out

    def wedge_one(hc, pm):  # the same on one T per row: hc = h[T_j], pm = P_F[T ∖ T_j]
        return (hc * pm * alt.astype(hc.dtype)).sum(axis=-1)

    # the primitive Plücker vectors P_G = P_{F*} ∧ h0 / gcd, F* the first kept facet
    fstar = F[head]
    step = max(1, _CHUNK // len(col))
    parts = []
    for a in range(0, nG, step):
        s = slice(a, a + step)
        parts.append(_exact(_bound(k + 1, hb[s], pb[fstar[s]]), wedge_all, h0[s], Pf[fstar[s]]))
    Q = parts[0] if len(parts) == 1 else _concat(parts)
    g = np.gcd.reduce(Q, axis=1) if Q.dtype != object else _row_gcd(Q)
    if not np.all(g != 0):
        raise AssertionError("a face lies in the affine hull of one of its facets")
    P = _shrink(Q // g[:, None])
    T = np.argmax(P != 0, axis=1)
    pT = P[np.arange(nG), T]

    # λ_F = |P_F ∧ h0| / |P_G| on one coordinate T_G, for every kept facet
    Tk = T[owner]
    cj, mj = col[Tk], minor[Tk]
    q = _exact(_bound(k + 1, hb[owner], pb[F]), wedge_one, h0[owner[:, None], cj],
               Pf[F[:, None], mj])
    p = pT[owner]
    q, p = np.abs(q), np.abs(p)
    lam = q // p
    if np.any(lam * p != q) or not np.all(lam != 0):
        raise AssertionError("inconsistent face lattice: a facet not on its face's span")

    # ρ(G) = Σ λ_F ρ(F) / (k w0), over the common denominator of each face's terms
    t_den = den_f[F]
    L = np.lcm.reduceat(t_den, head)
    t_num = _to_object(lam) * num_f[F] * (L[owner] // t_den)
    num = np.add.reduceat(t_num, head)
    den = L * _to_object(H[v0, d]) * k
    g = np.gcd(num, den)
    return P, num // g, den // g


_wedge_tables = functools.lru_cache(maxsize=None)(wedge_tables)  # shared, cached


def _closure(d, fp, fi, indices):
    """Per dimension ``0 … d``, the sorted ids of the cells in the closure of the given
    d-cells (``d`` may be below the complex's dimension)."""
    cells = [None] * (d + 1)
    cells[d] = np.unique(np.asarray(indices, dtype=np.int64))
    n_top = len(fp[d]) - 1 if d else None
    if d and (cells[d][0] < 0 or cells[d][-1] >= n_top):
        raise IndexError(f"top cell index out of range (there are {n_top})")
    for k in range(d, 0, -1):
        c = cells[k]
        if len(c) == len(fp[k]) - 1:   # every k-cell: all their facets
            below = fi[k]
        else:
            counts = fp[k][c + 1] - fp[k][c]
            occ = np.arange(int(counts.sum()), dtype=np.int64) \
                - np.repeat(np.cumsum(counts) - counts, counts) + np.repeat(fp[k][c], counts)
            below = fi[k][occ]
        seen = np.zeros(int(below.max(initial=-1)) + 1, dtype=bool)
        seen[below] = True
        cells[k - 1] = np.flatnonzero(seen)
    return cells


# ---- exact integer helpers --------------------------------------------------------------
def _matrix(rows, ncols):
    """Integer rows as an int64 matrix when every entry is below ``2**62``, else object."""
    if isinstance(rows, np.ndarray) and rows.dtype != object:
        return _shrink(rows.astype(np.int64).reshape(-1, ncols))
    rows = [tuple(int(x) for x in r) for r in rows]
    A = np.empty((len(rows), ncols), dtype=object)
    if rows:
        A[:] = rows
    return _shrink(A)


def _shrink(A):
    """An integer array as int64 when every entry is below ``2**62``, else object."""
    if A.size == 0:
        return A.astype(np.int64)
    if A.dtype == object:
        return A.astype(np.int64) if np.abs(A).max() < _LIMIT else A
    return A if np.abs(A).max() < _LIMIT else _to_object(A)


def _to_object(A):
    """Python integers in an object array (int64 entries would overflow in products)."""
    if A.dtype == object:
        return A
    out = np.empty(A.shape, dtype=object)
    out[...] = A.tolist() if A.ndim else int(A)
    return out


def _row_bounds(A):
    """A float upper bound on the absolute values in each row (clipped at ``2**1023``,
    which only has to exceed the int64 bounds)."""
    if A.dtype != object:
        return np.abs(A).max(axis=1, initial=0).astype(float)
    m = np.abs(A).max(axis=1, initial=0).tolist()
    return np.array([math.ldexp(1.0, min(int(x).bit_length(), 1023)) for x in m], dtype=float)


def _bound(c, a, b):
    """The float bound ``c·a·b``; past the float range it is inf (no overflow warning),
    which only picks the Python-int path."""
    with np.errstate(over="ignore", invalid="ignore"):
        return float(c) * a * b


def _exact(bound, f, *arrays):
    """``f(*arrays)``, row-wise, exactly: int64 on the rows whose float ``bound`` on every
    value computed is below :data:`_FLIMIT`, Python integers on the others."""
    ok = bound < _FLIMIT
    if ok.all():
        return f(*(a.astype(np.int64, copy=False) for a in arrays))
    if not ok.any():
        return f(*(_to_object(a) for a in arrays))
    good = f(*(a[ok].astype(np.int64) for a in arrays))
    bad = f(*(_to_object(a[~ok]) for a in arrays))
    out = np.empty((len(ok),) + good.shape[1:], dtype=object)
    out[ok], out[~ok] = _to_object(good), bad
    return out


def _concat(parts):
    if any(p.dtype == object for p in parts):
        parts = [_to_object(p) for p in parts]
    return np.concatenate(parts)


def _row_gcd(Q):
    return np.array([math.gcd(*r) for r in Q.tolist()], dtype=object)


# ---- the cell-by-cell reference ---------------------------------------------------------
def region_volumes_python(d, hom, fp, fi, vcsr, indices):
    """The same volumes, face by face in Python integers (any dimension).

    Each k-face ``G`` gets a basis ``B_G = [B_{F*}; h_0]`` of ``L_G`` made of homogeneous
    vertex rows (``F*`` its first facet without ``v0``) and the first coordinate set ``T_G``
    on which it is invertible; with ``ρ(G) = vol_S(G) / |det_{S⁺} B_G|``,
    ``ρ(G) = Σ_F ρ(F) |det_{T_G} [B_F; h_0]| / (k w_0 |det_{T_G} B_G|)``. One exact
    determinant per incidence: slow, but no Plücker vectors, and independent of the
    vectorized path.

    Examples
    --------
    >>> from polytopo.complex import CellComplex
    >>> C = CellComplex.from_box([0, 0], [2, 3])
    >>> region_volumes_python(C._d, C._hom, C._fp, C._fi, C._vertex_csr(), [0])
    [Fraction(6, 1)]
    """
    indices = [int(i) for i in indices]
    if d == 0 or not indices:
        return [Fraction(1)] * len(indices)
    hom = [tuple(int(x) for x in h) for h in (hom.tolist() if isinstance(hom, np.ndarray)
                                              else hom)]
    cells = _closure(d, fp, fi, indices)
    # per face of the previous level: (ρ, basis rows as vertex ids)
    memo = {int(v): (Fraction(1, hom[v][d]), (int(v),)) for v in cells[0].tolist()}
    for k in range(1, d + 1):
        p, i = fp[k].tolist(), fi[k].tolist()
        vp, vi = vcsr[k]
        fvp, fvi = vcsr[k - 1]
        nxt = {}
        for c in cells[k].tolist():
            v0 = int(vi[vp[c]])
            kept = [f for f in i[p[c]:p[c + 1]] if int(fvi[fvp[f]]) != v0]
            chain = memo[kept[0]][1] + (v0,)
            rows = [hom[v] for v in chain]
            T = _pivots(rows, d + 1)
            dg = abs(_det([[r[t] for t in T] for r in rows]))
            h0 = hom[v0]
            total = Fraction(0)
            for f in kept:
                rho, ch = memo[f]
                m = [[hom[v][t] for t in T] for v in ch] + [[h0[t] for t in T]]
                total += rho * abs(_det(m))
            rho = total / (k * h0[d] * dg)
            nxt[c] = (rho * dg, chain) if k == d else (rho, chain)
        memo = nxt
    return [memo[i][0] for i in indices]


def _pivots(rows, n):
    """The first columns on which integer rows of full rank are independent."""
    m = [list(r) for r in rows]
    piv = []
    for c in range(n):
        r = next((j for j in range(len(piv), len(m)) if m[j][c]), None)
        if r is None:
            continue
        t = len(piv)
        m[t], m[r] = m[r], m[t]
        for j in range(t + 1, len(m)):
            if m[j][c]:
                a, b = m[t][c], m[j][c]
                m[j] = [a * x - b * y for x, y in zip(m[j], m[t])]
        piv.append(c)
        if len(piv) == len(m):
            return piv
    raise AssertionError("a face's vertices do not span its dimension")
