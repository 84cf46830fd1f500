"""Topological expressivity: bounds on the Betti numbers of decision regions of a ReLU architecture.

For an architecture ``(n_0, n_1, …, n_L, 1)`` (input, ``L`` hidden layers, scalar output)
and a network ``f`` of it on a polytope ``D ⊂ R^{n_0}``, the decision region
``{x ∈ D : f(x) ≤ 0}`` has Betti numbers ``β_k``. Ergen and Grillo, *Topological
Expressivity of ReLU Neural Networks* (COLT 2024, arXiv:2310.11130) bound how large they
can be as functions of the architecture, and show that depth can buy exponentially
larger Betti numbers than width. This module gives

- **lower bounds realised by explicit networks** (:func:`construction`): every hidden
  layer folds ``q`` input coordinates like a zigzag (the folding of Montúfar, Pascanu,
  Cho, Bengio, NeurIPS 2014, which the paper's constructions also build on), so that
  ``[0, 1]^{n_0}`` is mapped onto itself ``P^q`` times, ``P = ∏_l ⌊n_l / q⌋``; the output
  then cuts one small convex blob around every lattice point of the zigzag, giving
  ``β_0 = (⌊P/2⌋ + 1)^q`` or ``β_{q−1} = ⌊P/2⌋^q`` exactly — exponential in the depth;
- **upper bounds** (:func:`betti_upper_bound`) from the number of linear regions: the
  decision region is a union of at most ``N`` convex pieces (one per region), so the
  nerve lemma, a face count and Alexander duality bound every ``β_k``.

Every statement here is proved in its docstring and every construction is checked, exactly,
by polytopo's homology (``tests/analysis/test_expressivity.py``). The theorem statements of
arXiv:2310.11130 could not be consulted when this module was written, so it cites no
theorem numbers of that paper and does not claim to reproduce its constants: see
``docs/expressivity.md``.
"""

__all__ = [
    "parse_architecture",
    "max_regions_bound",
    "betti_upper_bound",
    "betti_lower_bound",
    "Construction",
    "construction",
    "verify_construction",
    "bounds_report",
]

import math
import re
from dataclasses import dataclass
from fractions import Fraction

from ..runtime import checks as _validate
from ..exceptions import InputError, PointlessQuestion

DECISION_REGION = ("{x in D : f(x) <= 0} (the 'negative' decision set of docs/definitions.md; "
                   "f -> -f swaps it with 'positive')")


# ---------------------------------------------------------------------------------------
# architectures
# ---------------------------------------------------------------------------------------
def parse_architecture(arch):
    """An architecture ``(n_0, n_1, …, n_L, 1)`` from ``"2-4-4-1"``, ``"2,4,4,1"`` or a sequence.

    ``n_0`` is the input dimension, ``n_1 … n_L`` the hidden widths (``L ≥ 0``), and the
    output is scalar (decision regions need one).

    Raises
    ------
    InputError
        Not positive integers, or fewer than two entries.
    PointlessQuestion
        The output is not scalar.

    Examples
    --------
    >>> parse_architecture("2-4-4-1")
    (2, 4, 4, 1)
    >>> parse_architecture([3, 1])
    (3, 1)
    >>> parse_architecture("2-4-x-1")
    Traceback (most recent call last):
    ...
    polytopo.exceptions.InputError: ARCH: architecture must be positive integers like 2-4-4-1, got '2-4-x-1'
    """
    if isinstance(arch, str):
        text = arch.strip()
        if not re.fullmatch(r"[0-9]+(\s*[-,]\s*[0-9]+)*", text):
            raise InputError(f"architecture must be positive integers like 2-4-4-1, got "
                             f"{_validate.show(arch)}",
                             field="ARCH")
        vals = tuple(int(p) for p in re.split(r"\s*[-,]\s*", text))
    else:
        try:
            vals = tuple(arch)
        except TypeError:
            raise InputError(f"architecture must be a sequence of integers, got "
                             f"{_validate.show(arch)}",
                             field="ARCH") from None
        if any(isinstance(v, bool) or not isinstance(v, int) for v in vals):
            raise InputError(f"architecture must be integers, got {_validate.show(arch)}",
                             field="ARCH")
    if len(vals) < 2 or min(vals) < 1:
        raise InputError(f"architecture needs an input dimension and an output, all "
                         f"positive, got {'-'.join(map(str, vals)) or arch!r}", field="ARCH")
    if vals[-1] != 1:
        raise PointlessQuestion(f"decision regions need a scalar output; the architecture "
                                f"{'-'.join(map(str, vals))} has {vals[-1]} outputs")
    return vals


def max_regions_bound(arch):
    """An upper bound ``N`` on the number of activation regions of any network of ``arch``.

    ``N = ∏_{l=1}^{L} Σ_{j=0}^{d_l} C(n_l, j)``, ``d_l = min(n_0, n_1, …, n_{l−1})``.

    *Proof.* On a region of layers ``1 … l−1`` the map ``x ↦ h_{l−1}(x)`` is affine of
    rank at most ``d_l``, so layer ``l``'s pre-activations there are pull-backs of ``n_l``
    affine functions on a space of dimension at most ``d_l``; their zero sets cut the
    (convex) region into at most as many pieces as an arrangement of ``n_l`` hyperplanes
    in ``R^{d_l}`` has regions, ``Σ_{j ≤ d_l} C(n_l, j)`` (Zaslavsky 1975). Induct on
    ``l``. (Montúfar, *Notes on the number of linear regions of deep neural networks*,
    2017; Serra, Tjandraatmadja, Ramalingam, ICML 2018, sharpen it.)

    Examples
    --------
    >>> max_regions_bound("2-4-1"), max_regions_bound("2-4-4-1"), max_regions_bound("3-1")
    (11, 121, 1)
    """
    a = parse_architecture(arch)
    n0, widths = a[0], a[1:-1]
    total, d = 1, n0
    for n in widths:
        total *= sum(math.comb(n, j) for j in range(min(d, n) + 1))
        d = min(d, n)
    return total


def betti_upper_bound(arch, k, *, domain_facets=None, which="negative"):
    """An upper bound on ``β_k`` of the decision regions of any network of ``arch`` on ``D``.

    With ``N`` = :func:`max_regions_bound`, ``h = n_1 + … + n_L`` hidden neurons, ``F``
    facets of the domain ``D`` (default ``2 n_0``, a box) and ``M = h + F + 1``, for
    ``X = D ∩ {f ≤ 0}`` (or ``D ∩ {f ≥ 0}``, or ``D ∩ {f = 0}``) and ``k < n_0``:

    ``β_k(X) ≤ min( C(N, k+1),  N · C(M, min(n_0 − k, ⌊M/2⌋)),  [k = n_0 − 1 ≥ 1] N' )``

    with ``N' = N`` for ``{f ≤ 0}`` and ``{f ≥ 0}``, ``N' = 2N`` for ``{f = 0}`` (the third
    term only for ``k = n_0 − 1 ≥ 1``); ``β_k(X) = 0`` for ``k ≥ n_0``.

    *Proof.* On each activation region ``R`` (a convex polytope) ``f`` is affine, so
    ``P_R = R ∩ {f ≤ 0}`` is convex, and ``X`` is the union of at most ``N`` such closed
    convex sets. (i) By the nerve lemma (Borsuk 1948; Björner, *Topological methods*, in
    *Handbook of Combinatorics*, 1995, Thm. 10.6) ``X`` is homotopy equivalent to the nerve
    of the ``P_R``, which has at most ``C(N, k+1)`` ``k``-simplices, and ``β_k`` is at most
    the number of ``k``-simplices. (ii) The ``P_R`` and their faces form a polyhedral
    complex (the canonical complex refined by ``f = 0``), so ``β_k`` is at most its number
    of ``k``-cells. Each ``P_R`` is cut out by at most ``M`` inequalities (one per hidden
    neuron, affine on ``R``; the domain's facets; ``f ≤ 0``), and a polytope of dimension
    ``e`` with ``m`` facets has at most ``C(m, e − k)`` faces of dimension ``k`` (each is
    the intersection of some ``e − k`` of its facets). (iii) By Alexander duality
    ``β_{n_0−1}(X)`` is the number of bounded components of ``R^{n_0} ∖ X`` (``n_0 ≥ 2``);
    they lie in ``D ∖ X`` since ``R^{n_0} ∖ D`` is connected and unbounded, and each
    contains one of the convex sets ``int R ∩ {f > 0}`` (``{f ≠ 0}``: two per region for
    ``X = {f = 0}``), a different one for each component. (iv) A compact polyhedron in
    ``R^{n_0}`` has ``H_k = 0`` for ``k ≥ n_0``.

    Parameters
    ----------
    arch : str or sequence of int
    k : int
    domain_facets : int, optional
        Facets of the domain (default ``2 n_0``).
    which : {"negative", "positive", "zero"}
        The decision set (the bounds differ only for ``{f = 0}``).

    Returns
    -------
    int

    Examples
    --------
    >>> [betti_upper_bound("2-4-4-1", k) for k in range(3)]
    [121, 121, 0]
    >>> betti_upper_bound("3-4-4-1", 1), betti_upper_bound("2-4-4-1", 1, which="zero")
    (23625, 242)
    """
    a = parse_architecture(arch)
    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise InputError(f"k must be a non-negative integer, got {_validate.show(k)}")
    if which not in ("negative", "positive", "zero"):
        raise InputError(f"unknown decision set {which!r}: negative, positive or zero")
    n0 = a[0]
    if domain_facets is None:
        domain_facets = 2 * n0
    if isinstance(domain_facets, bool) or not isinstance(domain_facets, int) \
            or domain_facets < n0 + 1:
        raise InputError(f"a bounded full-dimensional polytope in R^{n0} has at least "
                         f"{n0 + 1} facets, got {_validate.show(domain_facets)}",
                         field="domain_facets")
    if k >= n0:
        return 0
    N = max_regions_bound(a)
    M = sum(a[1:-1]) + domain_facets + 1
    bounds = [math.comb(N, k + 1), N * math.comb(M, min(n0 - k, M // 2))]
    if k == n0 - 1 >= 1:
        bounds.append(2 * N if which == "zero" else N)
    return min(bounds)


# ---------------------------------------------------------------------------------------
# constructions
# ---------------------------------------------------------------------------------------
def _pieces(widths, q):
    return math.prod(n // q for n in widths)


def _feasible(a, q):
    return 1 <= q <= a[0] and all(n >= q for n in a[1:-1])


def _best_q(a, k):
    if k >= 1:
        return k + 1 if _feasible(a, k + 1) else None
    qs = [q for q in range(1, a[0] + 1) if _feasible(a, q)]
    return max(qs, key=lambda q: ((_pieces(a[1:-1], q) // 2 + 1) ** q, -q), default=None)


def betti_lower_bound(arch, k):
    """A value of ``β_k`` of ``{f ≤ 0}`` realised on ``[0, 1]^{n_0}`` by a network of ``arch``.

    With ``P_q = ∏_{l=1}^{L} ⌊n_l / q⌋`` (the number of zigzag pieces when every hidden
    layer folds ``q`` coordinates):

    - ``k = 0``: ``max_q (⌊P_q / 2⌋ + 1)^q`` over ``1 ≤ q ≤ n_0`` with every ``n_l ≥ q``;
    - ``1 ≤ k < n_0``: ``⌊P_{k+1} / 2⌋^{k+1}`` when every ``n_l ≥ k + 1``, else 0;
    - ``k ≥ n_0``: 0.

    For fixed widths these grow exponentially with the depth ``L``, for a fixed depth
    polynomially with the widths. The networks are built by :func:`construction`, whose
    docstring proves the values; the tests check them with polytopo's exact homology.

    Examples
    --------
    >>> [betti_lower_bound("2-4-4-1", k) for k in range(3)]
    [9, 4, 0]
    >>> [betti_lower_bound("1" + "-2" * L + "-1", 0) for L in range(1, 6)]   # 2^(L-1) + 1
    [2, 3, 5, 9, 17]
    """
    a = parse_architecture(arch)
    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise InputError(f"k must be a non-negative integer, got {_validate.show(k)}")
    q = _best_q(a, k) if k < a[0] else None
    if q is None:
        return 0
    P = _pieces(a[1:-1], q)
    return (P // 2 + 1) ** q if k == 0 else (P // 2) ** q


@dataclass(frozen=True)
class Construction:
    """A network of a given architecture whose decision region has known Betti numbers.

    Attributes
    ----------
    architecture : tuple of int
    k : int
        The Betti number the construction is built for.
    q : int
        Number of folded input coordinates.
    pieces : int
        ``P = ∏ ⌊n_l / q⌋``: pieces of the zigzag each folded coordinate goes through.
    kind : {"valleys", "peaks"}
        Blobs around the zeros (``k = 0``) or the peaks (``k ≥ 1``) of the zigzag.
    network : Network
    domain : Polytope
        ``[0, 1]^{n_0}``.
    betti : dict
        ``{"negative": […], "positive": […], "zero": […]}``: the Betti numbers
        ``β_0 … β_{n_0}`` of ``{f ≤ 0}``, ``{f ≥ 0}`` and ``{f = 0}`` on the domain.
    """

    architecture: tuple
    k: int
    q: int
    pieces: int
    kind: str
    network: object
    domain: object
    betti: dict

    @property
    def value(self):
        """``β_k`` of the decision region ``{f ≤ 0}``: the lower bound it realises."""
        return self.betti["negative"][self.k]

    def __repr__(self):
        return (f"Construction({'-'.join(map(str, self.architecture))}, k={self.k}, "
                f"q={self.q}, pieces={self.pieces}, beta_k={self.value})")

    def to_json(self):
        shift = "1/2" if self.kind == "valleys" else f"{2 * self.q - 1}/2"
        return {"architecture": list(self.architecture), "k": self.k, "q": self.q,
                "pieces": self.pieces, "kind": self.kind, "value": self.value,
                "domain": self.domain.to_json(),
                "function": f"f(x) = G(x_1) + ... + G(x_{self.q}) - {shift}, G the zigzag "
                            f"with {self.pieces} pieces on [0, 1]",
                "betti": {k: list(v) for k, v in self.betti.items()},
                "network": self.network.to_json()}


def construction(arch, k=0, *, q=None):
    """A network of architecture ``arch`` realising :func:`betti_lower_bound` for ``β_k``.

    **The network.** Let ``g_m(t) = m·(relu(t) + Σ_{i=1}^{m−1} 2(−1)^i relu(t − i/m))``,
    the zigzag that maps each ``[i/m, (i+1)/m]`` linearly onto ``[0, 1]`` (``g_m(i/m) =
    i mod 2``): ``m`` ReLUs. Hidden layer ``l`` spends ``m_l = ⌊n_l / q⌋`` neurons on each
    of the coordinates ``1 … q`` and computes ``g_{m_l}`` of the previous layer's zigzag
    value (an affine function of its post-ReLU outputs); unused neurons have zero weights
    and bias −1 (always off). After ``L`` layers coordinate ``j`` carries
    ``G(x_j) = g_{m_L} ∘ … ∘ g_{m_1}(x_j)``, the zigzag with ``P = ∏ m_l`` pieces
    (``G(i/P) = i mod 2``). The output is

    - ``k = 0`` (*valleys*): ``f(x) = Σ_{j ≤ q} G(x_j) − 1/2``;
    - ``k ≥ 1`` (*peaks*, ``q = k + 1``): ``f(x) = Σ_{j ≤ q} G(x_j) − (q − 1/2)``.

    **Its Betti numbers on** ``D = [0, 1]^{n_0}``. Call a point of ``[0, 1]^q`` a
    *valley* (*peak*) when all its coordinates are zeros ``2i/P`` (peaks ``(2i+1)/P``) of
    ``G``; per coordinate there are ``V = ⌊P/2⌋ + 1`` zeros, ``V' = ⌈P/2⌉ − 1`` of them
    in ``(0, 1)``, and ``T = ⌈P/2⌉`` peaks, ``T' = ⌊P/2⌋`` of them in ``(0, 1)``.
    ``Σ_j G(x_j) ≤ 1/2`` forces every ``G(x_j) ≤ 1/2``, i.e. ``x_j`` within ``1/(2P)`` of a
    zero ``z_j``, where ``G(x_j) = P |x_j − z_j|``. So ``{f ≤ 0}`` (valleys) is the disjoint
    union, over the ``V^q`` valleys ``z``, of the convex blobs
    ``{Σ_j P |x_j − z_j| ≤ 1/2} ∩ D`` (times the free coordinates ``q+1 … n_0``); likewise
    ``{f ≥ 0}`` (peaks) is a disjoint union of ``T^q`` convex blobs around the peaks. The
    complement of such blobs in ``D`` is connected, and each blob around an interior point
    (``V'^q``, resp. ``T'^q`` of them) leaves a ``(q−1)``-sphere's hole, the others only
    a dent (Alexander duality). Hence, writing ``e_i`` for the ``i``-th unit vector:

    - valleys: ``β({f ≤ 0}) = V^q e_0``, ``β({f ≥ 0}) = e_0 + V'^q e_{q−1}``,
      ``β({f = 0}) = V^q e_0 + V'^q e_{q−1}``;
    - peaks: ``β({f ≥ 0}) = T^q e_0``, ``β({f ≤ 0}) = e_0 + T'^q e_{q−1}``,
      ``β({f = 0}) = T^q e_0 + T'^q e_{q−1}``.

    So ``β_0({f ≤ 0}) = (⌊P/2⌋ + 1)^q`` (valleys) and ``β_k({f ≤ 0}) = ⌊P/2⌋^{k+1}``
    (peaks, ``q = k + 1``).

    Parameters
    ----------
    arch : str or sequence of int
        ``(n_0, n_1, …, n_L, 1)``.
    k : int
        The Betti number to make large (``0 ≤ k < n_0``).
    q : int, optional
        Folded coordinates (``k = 0`` only; default the best one); ``q = k + 1`` for
        ``k ≥ 1``.

    Returns
    -------
    Construction

    Raises
    ------
    PointlessQuestion
        If ``k ≥ n_0`` (every ``β_k`` vanishes) or a hidden layer is narrower than ``q``.

    Examples
    --------
    >>> c = construction("1-2-2-1")           # two folds of [0, 1]: G has 4 pieces
    >>> c.pieces, c.betti["negative"], c.network.forward([Fraction(1, 4)])
    (4, [3, 0], (Fraction(1, 2),))
    >>> construction("2-4-4-1", k=1).betti
    {'negative': [1, 4, 0], 'positive': [4, 0, 0], 'zero': [4, 4, 0]}

    Notes
    -----
    The folding of Montúfar, Pascanu, Cho, Bengio, *On the number of linear regions of
    deep neural networks*, NeurIPS 2014 (and Telgarsky's sawtooth, COLT 2016), composed
    with one convex cut per fold, as in the lower-bound constructions of Ergen and Grillo
    (arXiv:2310.11130); the constants here are those proved above.
    """
    from ..network.model import Network
    from ..geometry.polytope import Polytope

    a = parse_architecture(arch)
    n0, widths = a[0], a[1:-1]
    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise InputError(f"k must be a non-negative integer, got {_validate.show(k)}")
    if k >= n0:
        raise PointlessQuestion(f"beta_{k} of a subset of R^{n0} is 0 for every network")
    q = _validate.check_positive_int("q", q)
    if k >= 1:
        if q is not None and q != k + 1:
            raise InputError(f"for k = {k} the construction folds q = {k + 1} coordinates")
        q = k + 1
    elif q is None:
        q = _best_q(a, 0)
    if q is None or not _feasible(a, q):
        raise PointlessQuestion(f"the construction for beta_{k} folds {q or k + 1} "
                                f"coordinates and needs every hidden layer at least that "
                                f"wide (widths {list(widths)}, input dimension {n0})")
    kind = "valleys" if k == 0 else "peaks"
    P = _pieces(widths, q)
    shift = Fraction(1, 2) if kind == "valleys" else Fraction(2 * q - 1, 2)
    net = Network.from_lists(_fold_layers(n0, widths, q, shift))
    return Construction(a, k, q, P, kind, net, Polytope.cube(n0, 0, 1),
                        _expected_betti(n0, q, P, kind))


def _fold_layers(n0, widths, q, shift):
    """Layers of the folding network: ``(W, b)`` pairs of exact numbers."""
    zs = [({j: Fraction(1)}, Fraction(0)) for j in range(q)]   # z_j = affine form of inputs
    n_in, layers = n0, []
    for n in widths:
        m = n // q
        W, b, new = [], [], []
        for coeffs, const in zs:
            form = {}
            for i in range(m):
                W.append([coeffs.get(t, Fraction(0)) for t in range(n_in)])
                b.append(const - Fraction(i, m))
                form[len(W) - 1] = Fraction(m if i == 0 else 2 * m * (-1) ** i)
            new.append((form, Fraction(0)))
        while len(W) < n:                 # unused neurons: always off
            W.append([0] * n_in)
            b.append(-1)
        layers.append((W, b))
        zs, n_in = new, n
    row = [Fraction(0)] * n_in
    const = -shift
    for coeffs, c0 in zs:
        for t, c in coeffs.items():
            row[t] += c
        const += c0
    layers.append(([row], [const]))
    return layers


def _expected_betti(n0, q, P, kind):
    def vec(b0, top):
        b = [0] * (n0 + 1)
        b[0] += b0
        b[q - 1] += top
        return b

    if kind == "valleys":
        V, Vi = P // 2 + 1, (P + 1) // 2 - 1
        blobs, holes = V ** q, Vi ** q
        return {"negative": vec(blobs, 0), "positive": vec(1, holes), "zero": vec(blobs, holes)}
    T, Ti = (P + 1) // 2, P // 2
    blobs, holes = T ** q, Ti ** q
    return {"negative": vec(1, holes), "positive": vec(blobs, 0), "zero": vec(blobs, holes)}


def verify_construction(c, *, max_regions=None):
    """Compute, exactly, the homology of a construction's decision sets and compare.

    Returns
    -------
    dict
        ``computed``: Betti numbers per set; ``torsion``: any torsion found (none is
        expected); ``agrees``: whether they equal ``c.betti``; ``n_regions``.

    Examples
    --------
    >>> verify_construction(construction("1-3-2-1"))["agrees"]
    True
    """
    from ..complex.build import canonical_complex

    if not isinstance(c, Construction):
        raise TypeError(f"c must be a Construction (see construction()), got {type(c).__name__}")
    _validate.check_positive_int("max_regions", max_regions)
    R = canonical_complex(c.network, c.domain, output=True, max_regions=max_regions)
    computed, torsion = {}, {}
    for which in ("negative", "positive", "zero"):
        groups = R.homology(R.decision_subcomplex(which))
        computed[which] = [g.rank for g in groups]
        tor = [list(g.torsion) for g in groups]
        if any(tor):
            torsion[which] = tor
    n_regions = canonical_complex(c.network, c.domain, max_regions=max_regions).n_regions
    return {"computed": computed, "expected": {k: list(v) for k, v in c.betti.items()},
            "torsion": torsion, "agrees": computed == c.betti and not torsion,
            "n_regions": n_regions}


# ---------------------------------------------------------------------------------------
# report (``polytopo bounds``, :mod:`polytopo.cli.bounds`, prints and writes it)
# ---------------------------------------------------------------------------------------
def bounds_report(arch, *, domain_facets=None):
    """Lower and upper bounds on every ``β_k`` of decision regions of an architecture.

    Returns
    -------
    dict
        ``architecture``, ``max_regions`` (:func:`max_regions_bound`) and one row per
        ``k = 0 … n_0``: ``lower`` (:func:`betti_lower_bound`, with the construction's
        ``q``, ``pieces``, ``kind``) and ``upper`` (:func:`betti_upper_bound`). All exact
        integers.

    Examples
    --------
    >>> rep = bounds_report("2-4-4-1")
    >>> [(r["k"], r["lower"], r["upper"]) for r in rep["betti"]]
    [(0, 9, 121), (1, 4, 121), (2, 0, 0)]
    """
    a = parse_architecture(arch)
    n0 = a[0]
    facets = 2 * n0 if domain_facets is None else domain_facets
    rows = []
    for k in range(n0 + 1):
        q = _best_q(a, k) if k < n0 else None
        rows.append({
            "k": k,
            "lower": betti_lower_bound(a, k),
            "construction": None if q is None else {
                "q": q, "pieces": _pieces(a[1:-1], q),
                "kind": "valleys" if k == 0 else "peaks"},
            "upper": betti_upper_bound(a, k, domain_facets=facets),
        })
    return {
        "architecture": list(a),
        "decision_region": DECISION_REGION,
        "domain_facets": facets,
        "max_regions": max_regions_bound(a),
        "betti": rows,
        "lower_bound": "realised on [0,1]^n0 by polytopo.analysis.expressivity.construction",
        "upper_bound": "min(C(N, k+1), N * C(M, min(n0 - k, M // 2)), and N when k = n0 - 1 "
                       ">= 1), N = max_regions, M = hidden neurons + domain facets + 1; 0 for "
                       "k >= n0",
        "reference": "Ergen & Grillo, Topological Expressivity of ReLU Neural Networks, "
                     "COLT 2024, arXiv:2310.11130 (statements here proved in polytopo's docs)",
    }
