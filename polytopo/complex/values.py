"""Exact integer rows of the refinement engine (private): interpolation of homogeneous
vertices, signs, and a layer's homogeneous pre-activations, in ``int64`` where bounds
prove it exact and Python integers otherwise (the kernels are in
:mod:`polytopo.geometry.integer`)."""

import functools

import numpy as np

from ..geometry.integer import FLOAT_LIMIT, LIMIT, reduce_rows as _reduce_all, shrink, to_object

#: integers below this are exact in float64, and so are their sums and products below it
EXACT_FLOAT = 1 << 53


def interpolate(A, B, ga, gb, ncoord=None):
    """Rows ``ga B + gb A`` reduced by their gcds, exact (``ga, gb > 0``).

    int64 for the rows whose products are safely bounded, Python ints for the others.
    With ``ncoord``, the gcd of a row is taken over its first ``ncoord`` entries: right
    for the engine's rows ``(X, w, Z)``, whose carry ``Z`` is an integer combination of
    the homogeneous coordinates ``(X, w)`` (the integer maps of the layers on the edge's
    cell), so that every divisor of ``(X, w)`` divides ``Z``.
    """
    reduce_rows = functools.partial(_reduce, k=ncoord)
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


def _reduce(R, k=None):
    """Rows divided by the gcds of their first ``k`` entries (of all, without ``k``)."""
    if k is None or len(R) == 0:
        return _reduce_all(R)
    g = np.gcd.reduce(R[:, :k], axis=1)
    if R.dtype == object:
        big = np.flatnonzero(g != 1)
        if len(big) < len(R):
            R[big] = R[big] // g[big, None]
            return R
    return R // g[:, None]


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
    if H.dtype != object and w.dtype != object and zmax * rowmax + bmax * wmax < LIMIT \
            and rowmax < LIMIT and bmax < LIMIT:   # (the weights themselves fit in int64)
        if zmax * rowmax + bmax * wmax < EXACT_FLOAT:
            # every product and partial sum is an integer below 2**53: float64 BLAS is exact
            out = (H.astype(np.float64) @ np.array(W, dtype=np.float64).T).astype(np.int64)
        else:
            out = H @ np.array(W, dtype=np.int64).T
        out += w[:, None] * np.array(b, dtype=np.int64)
        return out
    Wo = np.empty((len(W), len(W[0])), dtype=object)
    Wo[:] = [tuple(r) for r in W]
    bo = np.empty(len(b), dtype=object)
    bo[:] = list(b)
    out = to_object(H).dot(Wo.T) if H.shape[1] else np.zeros((n, len(W)), dtype=object)
    return shrink(out + to_object(w)[:, None] * bo[None, :])
