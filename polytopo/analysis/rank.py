"""Rank of the network's layer maps on regions, and low-rank regions (``docs/definitions.md``).

A ReLU network is injective on a region exactly when its affine map there has rank ``d``
(the input dimension); where the rank drops it can glue points together and change the
topology of data. This module reports, exactly, which regions are low-rank.
"""

__all__ = ["RankSummary", "rank_summary", "cell_ranks"]

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..runtime import checks as _validate
from ..complex.cells import check_complex
from ..exceptions import InputError
from ..geometry.integer import float_bound, gram_rank, independent_rows, product_ranks
from ..geometry.polytope import check_domain
from ..network.jacobians import integer_weights, pattern_jacobians, pattern_ranks
from ..network.model import check_network
from ..regions.traversal import regions as enumerate_regions


@dataclass(frozen=True)
class RankSummary:
    """Low-rank regions of a network on a domain at one hidden layer.

    Attributes
    ----------
    layer, threshold : int
        Hidden layer ``ℓ`` (from 1) and threshold ``r``: a region is low-rank when the
        rank of ``x ↦ h_ℓ(x)`` on it is below ``r``.
    n_regions, n_low_rank : int
    volume_fraction : Fraction
        Exact fraction of the domain's volume covered by low-rank regions.
    rank_counts : tuple of (rank, count)
    low_rank_patterns : tuple of str
    """

    layer: int
    threshold: int
    n_regions: int
    n_low_rank: int
    volume_fraction: Fraction
    rank_counts: tuple
    low_rank_patterns: tuple

    @property
    def region_fraction(self):
        return Fraction(self.n_low_rank, self.n_regions)


def rank_summary(network, domain, *, layer=None, threshold=None, regions=None):
    """Exact ranks of ``x ↦ h_layer(x)`` on every region, and the low-rank part.

    Parameters
    ----------
    network : Network
    domain : Polytope
    layer : int, optional
        Hidden layer from 1; default the last hidden layer.
    threshold : int, optional
        Default the input dimension ``d``.
    regions : list of Region, optional
        Regions already enumerated (with volumes) for the same layer.

    Returns
    -------
    RankSummary

    Examples
    --------
    ``relu(I x)`` on a square: only the open positive quadrant has full rank.

    >>> from polytopo.network import Network
    >>> from polytopo.geometry.polytope import Polytope
    >>> net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    >>> s = rank_summary(net, Polytope.cube(2))
    >>> s.n_low_rank, s.volume_fraction, s.rank_counts
    (3, Fraction(3, 4), ((0, 1), (1, 2), (2, 1)))
    """
    check_network(network)
    check_domain(domain, network.input_dim)
    if network.widths or layer is not None:
        layer = network.check_layer(layer)
    else:  # no hidden layer: the rank of the identity
        layer = 0
    threshold = (network.input_dim if threshold is None else
                 _validate.check_nonnegative_int("threshold", threshold))
    if regions is None:
        regions = enumerate_regions(network, domain, layer=layer or None)
    total = sum(r.volume for r in regions)
    low = [r for r in regions if r.rank < threshold]
    counts = {}
    for r in regions:
        counts[r.rank] = counts.get(r.rank, 0) + 1
    return RankSummary(layer, threshold, len(regions), len(low),
                       sum((r.volume for r in low), Fraction(0)) / total,
                       tuple(sorted(counts.items())), tuple(r.pattern for r in low))


def cell_ranks(complex, network, *, layer=None):
    """Exact rank of ``x ↦ h_layer(x)`` restricted to every cell of a complex.

    For a cell ``σ`` of dimension ``k`` with vertices ``v_0, …, v_m``, the rank is
    ``rank(J B)`` where ``J`` is the Jacobian of ``h_ℓ`` on any top cell containing ``σ``
    and ``B = [v_1 − v_0, …, v_m − v_0]`` spans the direction space of ``σ``'s affine hull.
    ``h_ℓ`` is continuous and affine on every closed top cell, so its restriction to
    ``σ`` is one affine map whichever top cell is chosen; ``rank(J B) ≤ min(k, rank J)``
    and it equals ``k`` exactly when ``h_ℓ`` is injective on ``σ``. For a top cell
    (an activation region) it is the rank of the region (``docs/definitions.md``).

    Parameters
    ----------
    complex : CellComplex
        The canonical complex of ``network`` (:func:`polytopo.complex.canonical_complex`),
        possibly refined further (by hyperplanes, the output, …).
    network : Network
    layer : int, optional
        Hidden layer from 1; default the last hidden layer.

    Returns
    -------
    list of tuple of int
        Entry ``k`` holds the ranks of the k-cells, in the complex's order.

    Raises
    ------
    InputError
        For a layer out of range, or a complex whose labels do not cover the network's
        hidden neurons.
    PointlessQuestion
        For a network without hidden layers.

    Examples
    --------
    ``relu(I x)`` on a square: the positive quadrant has rank 2; the other three
    quadrants, their edges and the vertices have lower rank.

    >>> from polytopo.complex import canonical_complex
    >>> from polytopo.network import Network
    >>> from polytopo.geometry.polytope import Polytope
    >>> net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    >>> C = canonical_complex(net, Polytope.cube(2))
    >>> r = cell_ranks(C, net)
    >>> r[2], sorted(r[1])
    ((2, 1, 1, 0), [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1])

    Notes
    -----
    Top cells reuse one Jacobian per activation pattern (all of them from one batched
    integer product). A lower cell takes the top cell reached through its first cofacet;
    when that region has rank ``0`` or ``d`` the answer is ``0`` or ``k`` without any
    elimination. Otherwise ``B`` is cut down to ``k`` differences independent modulo a
    prime (they span the cell's direction space) and ``rank(J B)`` is found for many
    cells at once by :func:`polytopo.geometry.integer.product_ranks` (ranks modulo
    primes, certified by a Hadamard bound, exact elimination where the primes do not
    suffice).
    """
    check_complex(complex)
    check_network(network)
    layer = network.check_layer(layer)
    d = complex.dim
    weights = integer_weights(network, layer) if network.is_relu else None
    jac = {}  # pattern -> (integer J, rank J)

    def jacobian(pattern):
        got = jac.get(pattern)
        if got is None:
            J = (_jacobian(weights, pattern, d) if weights is not None else
                 _exact_jacobian(network, pattern, layer))
            got = jac[pattern] = (J, gram_rank(J))
        return got

    signs = complex.pattern_signs(d)
    if signs.shape[1] != network.n_hidden:
        raise InputError(f"the complex's cells have {signs.shape[1]} hidden-neuron signs, "
                         f"the network has {network.n_hidden} hidden neurons", field="complex")
    top_ranks = pattern_ranks(signs, weights, d) if weights is not None else None
    if top_ranks is None:  # products beyond int64: one exact Jacobian per pattern
        top_ranks = [jacobian(complex.pattern((d, i)))[1]
                     for i in range(complex.f_vector()[d])]
    out = [None] * (d + 1)
    out[d] = tuple(top_ranks)
    region = list(range(len(top_ranks)))  # a top cell containing each cell of this level
    hom = complex.homogeneous_vertices()  # integer homogeneous (X, w), w > 0
    hmax = float_bound(np.abs(hom).max(initial=0)) if hom.size else 0.0
    if hom.dtype != object and 2 * hmax * hmax >= 2.0 ** 62:
        hom = hom.astype(object)
    def jacobians(regions):   # (regions, rows, d), zero rows padding (rank unchanged)
        J = pattern_jacobians(signs[regions], weights, d) if weights is not None else None
        if J is not None:
            return J
        jacs = [jacobian(complex.pattern((d, int(reg))))[0] for reg in regions]
        width = max(1, max(J.shape[0] for J in jacs))
        big = any(J.dtype == object for J in jacs)
        Jall = np.zeros((len(regions), width, d), dtype=object if big else np.int64)
        for i, J in enumerate(jacs):
            Jall[i, :J.shape[0]] = J
        return Jall

    region = np.arange(len(top_ranks), dtype=np.int64)
    for k in range(d - 1, -1, -1):
        # the region of each k-cell: that of its first cofacet (the first occurrence in
        # the facet lists of the (k+1)-cells, which run in order)
        ptr, fac = complex.facet_incidence(k + 1)
        owner = np.repeat(np.arange(len(ptr) - 1, dtype=np.int64), np.diff(ptr))
        cells, first = np.unique(fac, return_index=True)
        if len(cells) != complex.f_vector()[k]:
            raise AssertionError(f"a {k}-cell is a face of no {k + 1}-cell")
        below = region[owner[first]]
        vptr, vind = complex.cell_vertices(k)
        ranks = _level_ranks(k, d, below, top_ranks, vptr, vind, hom, jacobians)
        out[k] = tuple(ranks)
        region = below
    return out


#: cells per vectorized step of :func:`_level_ranks` (bounded memory)
_CELL_CHUNK = 8192
#: the primes of the cells' batched ranks (None: the default of ``product_ranks``)
PRIMES = None


def _level_ranks(k, d, below, top_ranks, vptr, vind, hom, jacobians):
    """Ranks of the ``k``-cells (``k < d``), each in the region ``below[i]``
    (``jacobians(regions)``: their integer Jacobians, stacked).

    A cell in a region of rank ``0`` or ``d`` has rank ``0`` or ``k``. For the others the
    rank of ``J B`` (``B``: rows ``w_0 X_v − w_v X_0``, positive multiples of ``v − v_0``;
    ``k`` of them independent modulo a prime when there are more, the same span), at
    most ``min(k, rank J)``, is computed for all cells with the same number of vertices
    at once by :func:`polytopo.geometry.integer.product_ranks` (multi-modular ranks
    certified by a Hadamard bound, exact elimination where the primes do not suffice).
    """
    n = len(below)
    ranks = np.zeros(n, dtype=np.int64)
    if k == 0 or not n:
        return ranks.tolist()
    below = np.asarray(below, dtype=np.int64)
    top = np.asarray(top_ranks, dtype=np.int64)[below]
    ranks[top == d] = k
    todo = np.flatnonzero((top > 0) & (top < d))
    if not len(todo):
        return ranks.tolist()
    vptr = np.asarray(vptr, dtype=np.int64)
    vind = np.asarray(vind, dtype=np.int64)
    regions = np.unique(below[todo])
    Jall = jacobians(regions)
    where = np.searchsorted(regions, below)
    counts = vptr[1:] - vptr[:-1]
    for nv in np.unique(counts[todo]).tolist():
        group = todo[counts[todo] == nv]
        for a in range(0, len(group), _CELL_CHUNK):
            cells = group[a:a + _CELL_CHUNK]
            idx = vind[vptr[cells][:, None] + np.arange(nv)[None, :]]
            h0, H = hom[idx[:, 0]], hom[idx[:, 1:]]
            B = H[:, :, :d] * h0[:, None, d:] - H[:, :, d:] * h0[:, None, :d]
            J, up = Jall[where[cells]], np.minimum(k, top[cells])
            if nv - 1 > k:
                # k of the differences independent modulo a prime span the cell's
                # direction space (dimension k): the same rank from smaller products
                rows = independent_rows(B, k)
                ok = rows[:, 0] >= 0
                if ok.any():
                    Bk = np.take_along_axis(B[ok], rows[ok][:, :, None], axis=1)
                    out = np.empty(len(cells), dtype=np.int64)
                    out[ok] = product_ranks(J[ok], Bk, up[ok], primes=PRIMES)
                    if not ok.all():
                        out[~ok] = product_ranks(J[~ok], B[~ok], up[~ok], primes=PRIMES)
                    ranks[cells] = out
                    continue
            ranks[cells] = product_ranks(J, B, up, primes=PRIMES)
    return ranks.tolist()


def _exact_jacobian(network, pattern, layer):
    """Integer matrix with the row space of the Jacobian of ``h_layer`` on the region with
    this pattern, for any piecewise-linear units: the exact affine map of the active
    pieces (:meth:`Network.affine_maps`), each row scaled by its denominators' lcm."""
    M = network.affine_maps(pattern)[layer - 1][0]
    rows = []
    for r in M:
        den = math.lcm(*(x.denominator for x in r)) if r else 1
        rows.append([int(x * den) for x in r])
    big = max((abs(x) for r in rows for x in r), default=0)
    return np.array(rows, dtype=np.int64 if big < 2 ** 31 else object).reshape(len(M),
                                                                                 network.input_dim)


def _jacobian(weights, pattern, d):
    """Integer multiple of the Jacobian of ``h_layer`` on a region: the product of the
    weight matrices with the rows of inactive neurons (``-``, ``0``) dropped, layer by layer
    (exact: integer products). Rows of the result are the active neurons of the last layer."""
    signs = np.frombuffer(pattern.encode("ascii"), dtype=np.uint8) == ord("+")
    J, active, pos = None, None, 0
    for W in weights:
        now = np.flatnonzero(signs[pos:pos + W.shape[0]])
        pos += W.shape[0]
        rows = W[now]
        J = rows if J is None else rows[:, active] @ J
        active = now
    return J
