"""The activation regions of a ReLU network read off its canonical complex on the engine's
integer arrays: facet inequalities, ranks and (deferred) affine maps for all regions at
once, Fractions only for the numbers handed out.

:func:`relu_region_rows` and :func:`relu_region_ranks` are what
:func:`polytopo.complex.build.regions_from_complex` uses for ReLU networks when every
intermediate value provably fits in ``int64``; otherwise it keeps its per-region exact path.
"""

__all__ = ["relu_region_rows", "relu_region_ranks"]

from fractions import Fraction

import numpy as np

from ..geometry.exact import canonical_inequality
from ..geometry.integer import FLOAT_LIMIT, float_bound
from ..network.jacobians import integer_weights, pattern_ranks

#: regions per vectorized step (bounded memory)
_CHUNK = 4096


def _homogeneous_layers(network):
    """The integer layers as ``(W', b')`` int64 arrays, and whether every entry of every
    homogeneous pre-activation map ``(Z_l | z_l)`` on any region (and every partial sum of
    the products making them) is below ``2**52``; ``None`` when one may not fit in int64."""
    layers, bound = [], 1.0
    for w, b, _ in network.scaled_integer_layers[:-1]:   # (the prefix's scaling is the same)
        rowsum = max((sum(abs(x) for x in row) for row in w), default=0)
        bmax = max((abs(x) for x in b), default=0)
        bound = float_bound(rowsum) * bound + float_bound(bmax)
        if bound >= FLOAT_LIMIT:
            return None
        layers.append((np.array(w, dtype=np.int64).reshape(len(w), -1),
                       np.array(b, dtype=np.int64)))
    return layers, bound < 2.0 ** 52


def _preactivations(layers, signs, d, exact_floats=False):
    """Homogeneous integer pre-activation maps of the hidden neurons of every layer but
    the last on every region, one array ``(n_regions, width_l, d + 1)`` per layer (the
    first broadcast from one), row ``j`` a positive multiple of neuron ``j``'s
    pre-activation ``x ↦ Z_j x + z_j`` on the region (:func:`integer_layers`); and
    which neurons of the last of those layers are active on each region (``None`` with
    one layer). With ``exact_floats`` (every partial sum below ``2**52``) the products
    run in float64."""
    n = len(signs)
    out, pos, act = [], 0, None
    for W, b in layers[:-1]:
        if act is None:
            Z = np.broadcast_to(np.concatenate([W, b[:, None]], axis=1)[None],
                                (n, W.shape[0], d + 1))
        else:   # one matrix product over all regions: (m x k) @ (k x n(d+1))
            prev = out[-1] * act[:, :, None]
            k = prev.shape[1]
            flat = prev.transpose(1, 0, 2).reshape(k, n * (d + 1))
            if exact_floats:   # integers below 2**53: BLAS is exact
                Z = (W.astype(np.float64) @ flat.astype(np.float64)).astype(np.int64)
            else:
                Z = W @ flat
            Z = np.ascontiguousarray(Z.reshape(W.shape[0], n, d + 1).transpose(1, 0, 2))
            Z[:, :, d] += b[None, :]
        act = (signs[:, pos:pos + W.shape[0]] == 1).astype(np.int64)
        pos += W.shape[0]
        out.append(Z)
    return out, act


def _rows_of_neurons(layers, maps, regions, neurons, exact_floats=False):
    """``Z_j`` of neuron ``neurons[i]`` on region ``regions[i]`` (neurons numbered across
    the layers), from the maps of :func:`_preactivations`; the last layer's rows are
    computed for these pairs only."""
    Zs, act = maps
    d1 = layers[0][0].shape[1] + 1
    out = np.zeros((len(neurons), d1), dtype=np.int64)
    start = 0
    for Z in Zs:
        m = Z.shape[1]
        here = np.flatnonzero((neurons >= start) & (neurons < start + m))
        if len(here):
            out[here] = Z[regions[here], neurons[here] - start]
        start += m
    W, b = layers[-1]
    here = np.flatnonzero(neurons >= start)
    if not len(here):
        return out
    j = neurons[here] - start
    if act is None:   # one hidden layer: the map is the layer itself
        out[here, :d1 - 1] = W[j]
        out[here, d1 - 1] = b[j]
        return out
    r = regions[here]
    Wa = W[j] * act[r]                  # row j of W on the region's active inputs
    Z = Zs[-1]
    f = np.float64 if exact_floats else np.int64
    if len(Zs) == 1:                    # the inputs' map is the same on every region
        R = Wa.astype(f) @ Z[0].astype(f)
    else:
        R = np.einsum("pk,pkc->pc", Wa.astype(f), Z[r].astype(f))
    R = R.astype(np.int64)
    R[:, d1 - 1] += b[j]
    out[here] = R
    return out


def _domain_rows(domain):
    """The domain's inequalities ``a·x ≤ b`` as coprime integer rows ``(a | b)``."""
    rows = [canonical_inequality(a, b) for a, b in zip(domain.A, domain.b)]
    return np.array([list(a) + [b] for a, b in rows], dtype=object)


def relu_region_rows(C, network, domain):
    """Facet inequalities of every region of a ReLU network's canonical complex.

    A facet on the zero set of a neuron ``j`` that is not identically zero on the region
    lies on the hyperplane of ``j``'s pre-activation there (affine on the closed region),
    oriented so that the region is on the side of its sign; a facet on the domain's
    boundary lies on the domain inequality tight at all its vertices.

    Returns
    -------
    list of (tuple, tuple) or None
        Per region, ``(A, b)``: its rows ``a·x ≤ b`` (coprime integers, as Fractions) in
        lexicographic order of ``(a, b)``;
        ``None`` when the integer maps might overflow int64, or a boundary facet lies on no
        row of ``domain`` (the caller then works region by region).
    """
    got = _homogeneous_layers(network) if network.widths else None
    if got is None:
        return None
    layers, exact_floats = got
    d = C.dim
    n = C.f_vector()[d]
    rsigns = C.pattern_signs(d)
    fsigns = C.pattern_signs(d - 1)
    ptr, fac = C.facet_incidence(d)
    ptr, fac = np.asarray(ptr, dtype=np.int64), np.asarray(fac, dtype=np.int64)
    # domain rows tight on every vertex of each facet (used where no neuron vanishes)
    dom = _domain_rows(domain)
    hom = C.homogeneous_vertices()
    dom_abs = max((abs(int(x)) for x in dom.ravel()), default=0)
    if hom.dtype != object and len(hom) and \
            float(np.abs(hom).max()) * float(dom_abs) * (d + 1) < FLOAT_LIMIT:
        D = np.array(dom.tolist(), dtype=np.int64)   # every product and sum fits in int64
        slack = hom[:, :d] @ D[:, :d].T - hom[:, d:] * D[:, d][None, :]
    else:
        slack = hom[:, :d].astype(object).dot(dom[:, :d].T) - \
            hom[:, d:].astype(object) * dom[:, d][None, :]
    tight = np.asarray(slack == 0, dtype=bool)
    vptr, vind = (np.asarray(a, dtype=np.int64) for a in C.cell_vertices(d - 1))
    facet_tight = np.logical_and.reduceat(tight[vind], vptr[:-1], axis=0) \
        if len(vind) else np.zeros((0, len(dom)), dtype=bool)
    dom_first = np.where(facet_tight.any(axis=1), facet_tight.argmax(axis=1), -1)
    dom_int = np.array(dom.tolist(), dtype=np.int64) if dom_abs < 2 ** 62 else None
    out = []
    for a in range(0, n, _CHUNK):
        b_ = min(n, a + _CHUNK)
        Zs = _preactivations(layers, rsigns[a:b_], d, exact_floats)
        lo, hi = ptr[a], ptr[b_]
        reg = np.repeat(np.arange(a, b_), np.diff(ptr[a:b_ + 1]))
        f = fac[lo:hi]
        mask = (fsigns[f] == 0) & (rsigns[reg] != 0)
        has = mask.any(axis=1)
        j = mask.argmax(axis=1)
        rows = np.zeros((len(f), d + 1), dtype=np.int64)
        s = rsigns[reg, j].astype(np.int64)
        Zj = _rows_of_neurons(layers, Zs, reg - a, j, exact_floats)
        # s (Z_j x + z_j) >= 0  <=>  (-s Z_j) x <= s z_j
        rows[has, :d] = -s[has, None] * Zj[has, :d]
        rows[has, d] = s[has] * Zj[has, d]
        onb = ~has
        if onb.any():
            which = dom_first[f[onb]]
            if (which < 0).any() or dom_int is None:   # not this complex's domain
                return None
            rows[onb] = dom_int[which]
        g = np.gcd.reduce(np.abs(rows), axis=1)
        g[g == 0] = 1
        rows //= g[:, None]
        # each region's rows in lexicographic order (as sorted tuples (a, b) compare),
        # the region as the primary key
        rows = rows[_lex_order(rows, reg - a)]
        # one Fraction per distinct integer of the chunk
        vals, inv = np.unique(rows, return_inverse=True)
        frac = np.empty(len(vals), dtype=object)
        frac[:] = [Fraction(v) for v in vals.tolist()]
        inv = inv.reshape(rows.shape)
        cols = [frac[inv[:, c]].tolist() for c in range(d + 1)]
        A = list(zip(*cols[:d]))
        B = cols[d]
        bounds = (ptr[a:b_ + 1] - lo).tolist()
        out.extend((tuple(A[s:e]), tuple(B[s:e])) for s, e in zip(bounds[:-1], bounds[1:]))
    return out


def _lex_order(rows, group):
    """The order sorting the rows by ``group`` and then lexicographically (one packed
    int64 key when the values are small enough, else a lexsort)."""
    if not len(rows):
        return np.zeros(0, dtype=np.int64)
    lo = rows.min(axis=0)
    span = (rows.max(axis=0) - lo + 1).tolist()
    size = int(group.max()) + 1
    for x in span:
        size *= x
    if size < 1 << 62:
        key = group.astype(np.int64)
        for c, x in enumerate(span):
            key = key * x + (rows[:, c] - lo[c])
        return np.argsort(key, kind="stable")
    return np.lexsort(tuple(rows[:, c] for c in range(rows.shape[1] - 1, -1, -1)) + (group,))


def relu_region_ranks(C, network, layer):
    """Ranks of ``x ↦ h_layer(x)`` on every region at once (:func:`pattern_ranks`), or
    ``None`` when the products may overflow."""
    weights = integer_weights(network, layer)
    return pattern_ranks(C.pattern_signs(C.dim), weights, C.dim)
