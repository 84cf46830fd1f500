"""Topological expressivity: bounds on the Betti numbers of decision regions of a ReLU architecture.

For an architecture ``(n_0, n_1, …, n_L, 1)`` (input, ``L`` hidden layers, scalar output)
and a network ``f`` of it on a polytope ``D ⊂ R^{n_0}``, the decision region
``{x ∈ D : f(x) ≤ 0}`` has Betti numbers ``β_k``. Ergen and Grillo, *Topological
Expressivity of ReLU Neural Networks* (COLT 2024, PMLR 247:1599–1642, arXiv:2310.11130)
call the vector ``(β_0, …, β_{d−1})`` of ``F^{-1}((−∞, 0])`` the *topological
expressivity* of ``F`` (their Definition 1), bound it from below by an explicit network
(Theorems 12 and 13, Corollaries 2 and 3) and from above by the number of linear regions
(Proposition 18, Corollary 4), and conclude that depth buys exponentially larger Betti
numbers than width. This module gives

- **polytopo's own lower bounds realised by explicit networks** (:func:`construction`):
  every hidden layer folds ``q`` input coordinates like a zigzag (the folding of Montúfar,
  Pascanu, Cho, Bengio, NeurIPS 2014, which the paper's constructions also build on), so
  that ``[0, 1]^{n_0}`` is mapped onto itself ``P^q`` times, ``P = ∏_l ⌊n_l / q⌋``; the
  output then cuts one small convex blob around every lattice point of the zigzag, giving
  ``β_0 = (⌊P/2⌋ + 1)^q`` or ``β_{q−1} = ⌊P/2⌋^q`` exactly — exponential in the depth;
- **the paper's own construction** (:func:`paper_construction`): folding layers
  ``h^{(1,m,d)}`` (:func:`folding_layer`, :func:`folding_network`), carving layers
  ``g^{(w,d)}`` (:func:`carving_layer`) and Theorem 13's network ``F``
  (:func:`paper_network`), with exact integer and rational weights, and the values
  Theorem 13 states for it under each reading of its indices (:func:`theorem13_betti`);
- **upper bounds** (:func:`betti_upper_bound`) from the number of linear regions: the
  decision region is a union of at most ``N`` convex pieces (one per region), so the
  nerve lemma, a face count and Alexander duality bound every ``β_k``; and the paper's
  Proposition 18 (:func:`prop18_upper_bound`, with the region bound
  :func:`serra_regions_bound` of Serra, Tjandraatmadja and Ramalingam).

Every statement here is proved in its docstring or cited with its number in the paper,
and every construction is checked, exactly, by polytopo's homology
(``tests/analysis/test_expressivity.py``, ``tests/analysis/test_expressivity_paper.py``).
Where the exact computation and the paper's statements differ, ``docs/expressivity.md``
says so, with the computed table.
"""

__all__ = [
    "parse_architecture",
    "max_regions_bound",
    "betti_upper_bound",
    "betti_lower_bound",
    "Construction",
    "construction",
    "verify_construction",
    "folding_layer",
    "folding_network",
    "carving_layer",
    "paper_folds",
    "paper_carve",
    "paper_network",
    "theorem13_betti",
    "PaperConstruction",
    "paper_construction",
    "serra_regions_bound",
    "prop18_upper_bound",
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
# the paper's construction: Ergen & Grillo, COLT 2024, Section 2 and Appendix B
# ---------------------------------------------------------------------------------------
PAPER = ("Ergen & Grillo, Topological Expressivity of ReLU Neural Networks, COLT 2024, "
         "PMLR 247:1599-1642")


def _fraction_form(coeffs, const, n_in, scale):
    """The row and bias of ``scale · (Σ coeffs[t] z_t + const)``, exact."""
    return [scale * coeffs.get(t, Fraction(0)) for t in range(n_in)], scale * const


def _paper_fold_layers(d, widths, folds):
    """Hidden layers of ``h^{(L,m,d)}`` padded to ``widths``, and the output forms.

    Returns ``(layers, forms, n_in)``: the ``(W, b)`` of each folding layer and, per
    coordinate ``j``, ``h_j`` as an affine form ``({neuron: coefficient}, constant)`` of
    the last folding layer's outputs (of the inputs when there is none).
    """
    forms = [({j: Fraction(1)}, Fraction(0)) for j in range(d)]
    n_in, layers = d, []
    for n, m in zip(widths, folds):
        W, b, new = [], [], []
        for coeffs, const in forms:             # neurons v_{0,j} … v_{m−1,j}, j-major
            form = {}
            for i in range(m):
                # v_{0,j} = max{0, m y_j};  v_{i,j} = max{0, 2m (y_j − i/m)} = max{0, 2m y_j − 2i}
                row, bias = _fraction_form(coeffs, const, n_in, Fraction(m if i == 0 else 2 * m))
                W.append(row)
                b.append(bias - (0 if i == 0 else 2 * i))
                form[len(W) - 1] = Fraction((-1) ** i)      # h_j = Σ_i (−1)^i v_{i,j}
            new.append((form, Fraction(0)))
        while len(W) < n:                       # auxiliary neurons: always off (zero map)
            W.append([Fraction(0)] * n_in)
            b.append(Fraction(-1))
        layers.append((W, b))
        forms, n_in = new, n
    return layers, forms, n_in


def _carving_rows(w, k, forms, n_in):
    """The ``w + 2`` neurons of ``g^{(w,k)} ∘ p_k`` (pre-activations) and their output signs.

    ``ĝ_q`` of ``s = 1ᵀ t(p_k(y)) = Σ_{j<k} (1 − y_j) + y_k``, ``y = h(x)`` given by ``forms``.
    """
    sc, s0 = {}, Fraction(k - 1)
    for j in range(k):
        coeffs, const = forms[j]
        sign = -1 if j < k - 1 else 1
        for t, c in coeffs.items():
            sc[t] = sc.get(t, Fraction(0)) + sign * c
        s0 += sign * const
    rows, biases, signs = [], [], []
    for q in range(w + 2):
        if q == 0:
            scale, cut = Fraction(1), Fraction(0)                   # max{0, 1ᵀx}
        elif q == w + 1:
            scale, cut = Fraction(1), Fraction(1, 4)                # max{0, 1ᵀx − 1/4}
        else:
            scale, cut = Fraction(2), Fraction(2 * q - 1, 8 * w)    # max{0, 2(1ᵀx − (2q−1)/(8w))}
        row, bias = _fraction_form(sc, s0 - cut, n_in, scale)
        rows.append(row)
        biases.append(bias)
        signs.append(Fraction((-1) ** q))
    return rows, biases, signs


def _check_fold(m, d):
    if isinstance(m, bool) or not isinstance(m, int) or m < 2 or m % 2:
        raise InputError(f"a folding layer h^(1,m,d) needs m even and at least 2, got "
                         f"{_validate.show(m)}", field="m")
    _validate.check_positive_int("d", d, optional=False)


def folding_layer(m, d):
    """The paper's folding layer ``h^{(1,m,d)}: R^d → R^d`` as a network ``d-(m·d)-d``.

    Ergen and Grillo, Section 2 and Definition 32 (after Montúfar et al. 2014): for each
    coordinate ``j`` the ``m`` neurons ``v_{0,j} = max{0, m x_j}``,
    ``v_{i,j} = max{0, 2m (x_j − i/m)}`` (``i = 1 … m−1``), and the output
    ``h_j = Σ_{i=0}^{m−1} (−1)^i v_{i,j}``. All weights are integers. By their Lemma 33
    (``m`` even), on the subcube ``W_{(i_1,…,i_d)} = ∏_j [(i_j − 1)/m, i_j/m]``,
    ``h_j = m x_j − (i_j − 1)`` for odd ``i_j`` and ``−m x_j + i_j`` for even ``i_j``: each
    of the ``m^d`` subcubes is mapped onto ``[0, 1]^d`` by scaling and mirroring, and
    ``h_j(i/m) = i mod 2``.

    Parameters
    ----------
    m : int
        Even, at least 2: pieces per coordinate.
    d : int
        Input dimension.

    Returns
    -------
    Network

    Examples
    --------
    >>> h = folding_layer(4, 1)
    >>> [h.forward([Fraction(i, 8)])[0] for i in range(9)]
    [Fraction(0, 1), Fraction(1, 2), Fraction(1, 1), Fraction(1, 2), Fraction(0, 1), Fraction(1, 2), Fraction(1, 1), Fraction(1, 2), Fraction(0, 1)]
    """
    return folding_network(d, (m,))


def folding_network(d, folds):
    """The paper's ``h^{(L,m,d)} = h^{(1,m_L,d)} ∘ … ∘ h^{(1,m_1,d)}`` as an exact network.

    Ergen and Grillo, Lemma 5 (proved as their Lemma 34): with ``M = ∏ m_ℓ`` and the
    subcubes ``W_{(i_1,…,i_d)}`` of side ``1/M``, ``π_j ∘ h = M x_j − (i_j − 1)`` on
    ``W_i`` for odd ``i_j``, ``−M x_j + i_j`` for even ``i_j``; so ``h`` maps each of the
    ``M^d`` subcubes onto ``[0, 1]^d``. Consecutive layers compose through the affine
    output ``Σ_i (−1)^i v_{i,j}``, which is folded into the next layer's weights; the network
    has hidden widths ``m_1 d, …, m_L d`` and a linear output of width ``d``.

    Parameters
    ----------
    d : int
    folds : sequence of int
        ``m_1, …, m_L``, each even and at least 2.

    Returns
    -------
    Network

    Examples
    --------
    >>> h = folding_network(2, (2, 2))              # M = 4: 16 squares of side 1/4
    >>> h.architecture, h.forward([Fraction(1, 8), Fraction(3, 8)])
    ((2, 4, 4, 2), (Fraction(1, 2), Fraction(1, 2)))
    """
    from ..network.model import Network

    folds = tuple(folds)
    if not folds:
        raise InputError("a folding network needs at least one folding layer", field="folds")
    for m in folds:
        _check_fold(m, d)
    layers, forms, n_in = _paper_fold_layers(d, [m * d for m in folds], folds)
    W, b = [], []
    for coeffs, const in forms:
        row, bias = _fraction_form(coeffs, const, n_in, Fraction(1))
        W.append(row)
        b.append(bias)
    return Network.from_lists(layers + [(W, b)])


def carving_layer(w, d):
    """The paper's carving layer ``g^{(w,d)} = ĝ^{(w,d)} ∘ t`` as a network ``d-(w+2)-1``.

    Ergen and Grillo, Section 2, Lemma 7 (proved as Lemmas 35 and 36): with
    ``s = 1ᵀx``, ``ĝ_0 = max{0, s}``, ``ĝ_{w+1} = max{0, s − 1/4}``,
    ``ĝ_q = max{0, 2(s − (2q − 1)/(8w))}`` (``q = 1 … w``) and
    ``ĝ = Σ_{q=0}^{w+1} (−1)^q ĝ_q``; ``t(x) = (1 − x_1, …, 1 − x_{d−1}, x_d)`` maps
    ``c = (1, …, 1, 0)`` to the origin. On ``s ≥ 0``, ``ĝ`` is a zigzag of slopes ``±1``
    with zeros at ``s = q/(4w)``, ``q = 0 … w``, and ``ĝ = 0`` for ``s ≥ 1/4`` when
    ``w ≥ 1`` (for ``w = 0``, ``ĝ = min{s, 1/4}``): so on the shells
    ``R_q = {q/(4w) < ‖c − x‖_1 < (q+1)/(4w)}`` of ``[0, 1]^d``, ``g`` has the sign
    ``(−1)^q`` (``q = 0 … w−1``) and amplitude ``1/(8w)``. That is Lemma 7, which asks
    for ``w`` odd; the computation shows the signs for every ``w ≥ 1``. The negative
    shells are the odd ``q < w``: ``⌊w/2⌋`` of them.

    Parameters
    ----------
    w : int
        At least 0 (the paper builds it for ``w ≥ 2``).
    d : int
        At least 1.

    Returns
    -------
    Network

    Examples
    --------
    >>> g = carving_layer(3, 2)                   # zeros at ||(1, 0) - x||_1 = 0, 1/12, 1/6, 1/4
    >>> [g.forward([1 - Fraction(r, 24), Fraction(0)])[0] for r in (1, 3, 5, 7)]
    [Fraction(1, 24), Fraction(-1, 24), Fraction(1, 24), Fraction(0, 1)]
    """
    from ..network.model import Network

    if isinstance(w, bool) or not isinstance(w, int) or w < 0:
        raise InputError(f"a carving layer needs w >= 0, got {_validate.show(w)}", field="w")
    d = _validate.check_positive_int("d", d, optional=False)
    forms = [({j: Fraction(1)}, Fraction(0)) for j in range(d)]
    rows, biases, signs = _carving_rows(w, d, forms, d)
    return Network.from_lists([(rows, biases), ([signs], [Fraction(0)])])


def paper_folds(arch):
    """The folding factors ``m_ℓ = 2 ⌊n_ℓ / (2d)⌋`` of the paper's network, ``ℓ = 1 … L−1``.

    Theorems 12 and 13 of Ergen and Grillo spend the hidden layers ``1 … L−1`` of
    ``(d, n_1, …, n_L, 1)`` on folding (``m_ℓ d`` neurons of each, the others zero maps)
    and the last one on carving; ``M = ∏_{ℓ=1}^{L−1} m_ℓ``.

    Raises
    ------
    PointlessQuestion
        The paper's construction does not cover ``arch``: it needs ``d ≥ 2``, ``L ≥ 2``,
        ``n_ℓ ≥ 2d`` for ``ℓ < L`` and ``n_L ≥ 2(d − 1)``.

    Examples
    --------
    >>> paper_folds("2-4-4-4-1"), paper_folds("3-12-8-1")
    ((2, 2), (4,))
    """
    a = parse_architecture(arch)
    d, widths = a[0], a[1:-1]
    name = "-".join(map(str, a))
    if d < 2:
        raise PointlessQuestion(f"the paper's construction (Theorem 13) needs input dimension "
                                f"at least 2, the architecture {name} has {d}")
    if len(widths) < 2:
        raise PointlessQuestion(f"the paper's construction (Theorem 13) needs at least two "
                                f"hidden layers (folding, then carving); {name} has "
                                f"{len(widths)}")
    if min(widths[:-1]) < 2 * d:
        raise PointlessQuestion(f"the paper's construction (Theorem 13) folds with hidden "
                                f"layers of width at least 2d = {2 * d}; {name} has "
                                f"{min(widths[:-1])}")
    if widths[-1] < 2 * (d - 1):
        raise PointlessQuestion(f"the paper's carving layer needs width sum(w_k + 2) >= "
                                f"{2 * (d - 1)} for d = {d}; {name} has {widths[-1]}")
    return tuple(2 * (n // (2 * d)) for n in widths[:-1])


def _check_carve(a, carve):
    d, n_last = a[0], a[-2]
    try:
        carve = tuple(carve)
    except TypeError:
        raise InputError(f"expected a sequence of d - 1 = {d - 1} integers, got "
                         f"{_validate.show(carve)}", field="carve") from None
    if len(carve) != d - 1 or any(isinstance(w, bool) or not isinstance(w, int) or w < 0
                                  for w in carve):
        raise InputError(f"expected d - 1 = {d - 1} integer(s) w_1..w_{d - 1} >= 0, got "
                         f"{_validate.show(carve)}", field="carve")
    if sum(w + 2 for w in carve) != n_last:
        raise InputError(f"the carving widths must satisfy sum(w_k + 2) = n_L = {n_last} "
                         f"(Theorem 13), got w = {list(carve)} (sum {sum(w + 2 for w in carve)})",
                         field="carve")
    return carve


def paper_carve(arch, k=0):
    """A choice of the carving numbers ``w_1 … w_{d−1}`` for ``β_k``: ``Σ (w_k + 2) = n_L``.

    Theorem 13's ``β_k`` (``k ≥ 1``) grows with ``w_k`` only, and its ``β_0`` most with
    ``w_{d−1}``: this gives every ``w_j = 1`` except ``w_k`` (``w_{d−1}`` for ``k = 0``),
    which gets the rest, ``n_L − 3(d − 1) + 1``; when that is odd (and ``d ≥ 3``) one
    neuron of it goes to another ``w_j`` instead (``w_{d−1}``, or ``w_{d−2}`` for the
    target ``d − 1``), which loses no negative shell (there are ``⌊w/2⌋``, see
    :func:`carving_layer`) and gains one there. (``w_j ≥ 1``: a carving map with
    ``w = 0`` is ``min{s, 1/4}``, positive away from its cutting points, and makes
    ``F > 0`` on the whole cube; see :func:`paper_construction`.)

    Raises
    ------
    PointlessQuestion
        The construction does not cover ``arch`` (:func:`paper_folds`), or ``n_L`` is
        smaller than ``3(d − 1)``, or ``k ≥ d``.

    Examples
    --------
    >>> paper_carve("2-4-4-4-1", 1), paper_carve("3-12-9-1", 1), paper_carve("3-12-9-1", 0)
    ((2,), (4, 1), (1, 4))
    >>> paper_carve("3-12-8-1", 1), paper_carve("2-8-5-1", 1)
    ((2, 2), (3,))
    """
    a = parse_architecture(arch)
    paper_folds(a)
    d, n_last = a[0], a[-2]
    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise InputError(f"k must be a non-negative integer, got {_validate.show(k)}")
    if k >= d:
        raise PointlessQuestion(f"beta_{k} of a subset of R^{d} is 0 for every network")
    if n_last < 3 * (d - 1):
        raise PointlessQuestion(f"the carving layer of width {n_last} leaves no w_k >= 1 for "
                                f"each of the d - 1 = {d - 1} carving maps (needs "
                                f"{3 * (d - 1)}); give carve= explicitly")
    carve = [1] * (d - 1)
    target = k if k >= 1 else d - 1
    w = n_last - 3 * (d - 1) + 1
    if w % 2 and w >= 3 and d >= 3:        # floor(w/2) = floor((w-1)/2): one neuron to spare
        w -= 1
        carve[(d - 2 if target == d - 1 else d - 1) - 1] = 2
    carve[target - 1] = w
    return tuple(carve)


def paper_network(arch, carve=None, *, offset=None):
    """Theorem 13's network ``F = f^{(w_1,…,w_{d−1})} ∘ h^{(L−1,m,d)} + b``, exact.

    Ergen and Grillo, Section 2 and Appendix B, for the architecture
    ``(d, n_1, …, n_L, 1)``: hidden layers ``1 … L−1`` are folding layers with
    ``m_ℓ = 2⌊n_ℓ/(2d)⌋`` (:func:`paper_folds`; auxiliary neurons zero maps: zero
    weights, bias −1), so ``h`` folds ``[0, 1]^d`` into ``M^d`` cubes,
    ``M = ∏ m_ℓ`` (Lemma 5). The last hidden layer stacks, for ``k = 2 … d``, the
    carving map ``g^{(w_{k−1},k)} ∘ p_k`` of width ``w_{k−1} + 2`` (:func:`carving_layer`,
    ``p_k`` the first ``k`` coordinates): ``f^{(w_1)} = g^{(w_1,2)}``,
    ``f^{(w_1,…,w_{k−1})} = f^{(w_1,…,w_{k−2})} ∘ p_{k−1} + g^{(w_{k−1},k)}`` (Lemmas 10
    and 11), so the output weights are ``±1``. Theorem 13 adds ``b`` to the output so that
    no full-dimensional region has ``F = 0``; the printed ``b = min_{k=2..d} 1/(8 w_k M)``
    names ``w_d``, which does not exist: this uses ``b = min_k 1/(8 w_k M)`` over the
    ``w_k ≥ 1`` (``1/(8M)`` if there is none), below every carving map's amplitude
    ``1/(8 w_k)``. ``offset=0`` gives Theorem 12's ``F′``.

    Parameters
    ----------
    arch : str or sequence of int
    carve : sequence of int, optional
        ``w_1, …, w_{d−1} ≥ 0`` with ``Σ (w_k + 2) = n_L``; default :func:`paper_carve`
        for ``k = 1``.
    offset : int, Fraction or str, optional
        The constant ``b`` added to the output (default Theorem 13's).

    Returns
    -------
    Network
        Of architecture ``arch``, with integer weights in the folding layers and rational
        ones in the carving layer.

    Examples
    --------
    >>> F = paper_network("2-4-4-4-1")            # M = 4, w_1 = 2, b = 1/64
    >>> F.architecture, F.forward([Fraction(1, 4), Fraction(1, 2)])
    ((2, 4, 4, 4, 1), (Fraction(1, 64),))
    """
    from ..geometry.exact import to_fraction
    from ..network.model import Network

    a = parse_architecture(arch)
    folds = paper_folds(a)
    d, widths = a[0], a[1:-1]
    carve = paper_carve(a, 1) if carve is None else _check_carve(a, carve)
    M = math.prod(folds)
    layers, forms, n_in = _paper_fold_layers(d, widths[:-1], folds)
    W, b, out = [], [], []
    for k in range(2, d + 1):
        rows, biases, signs = _carving_rows(carve[k - 2], k, forms, n_in)
        W += rows
        b += biases
        out += signs
    layers.append((W, b))
    if offset is None:
        offset = _theorem13_offset(carve, M)
    layers.append(([out], [to_fraction(offset)]))
    return Network.from_lists(layers)


def _theorem13_offset(carve, M):
    used = [w for w in carve if w >= 1]
    return Fraction(1, 8 * max(used) * M) if used else Fraction(1, 8 * M)


_READINGS = ("printed", "proof", "corrected")


def theorem13_betti(arch, carve=None, *, reading="corrected"):
    """The Betti numbers ``β_0 … β_{d−1}`` Theorem 13 states for its network, by reading.

    With ``H = M/2`` (``M`` of :func:`paper_folds`) Ergen and Grillo's Theorem 13 (and
    Theorem 12 for the open set) reads, **as printed**,

    - (i) ``β_0 = Σ_{k=2}^{d} H^{k−1} (H + 1) ⌈w_k/2⌉``,
    - (ii) ``β_k = H^{k−1} (H − 1) ⌈w_{k−1}/2⌉`` for ``0 < k < d``,

    which names ``w_d`` in (i) and ``w_0`` in (ii) at ``k = 1``, neither of which exists
    (``None`` here where one is needed). The **proof** (of Theorem 12, with Proposition 9
    and Lemma 11: ``X_d = (X_{d−1} × [0, 1]) ⊔ Y_{d,w_{d−1}}``) gives

    - ``β_0 = Σ_{k=2}^{d} H^{k−1} (H + 1) ⌈w_{k−1}/2⌉``,
    - ``β_k = H^k (H − 1) ⌈w_k/2⌉`` for ``0 < k < d`` (each ``Y_{k+1}`` adds
      ``p_{k+1} = H^k (H − 1) ⌈w_k/2⌉`` ``k``-annuli, Proposition 9).

    The **corrected** reading is the proof's with ``⌊w_k/2⌋``: the carving map has the
    negative shells ``R_q``, ``q`` odd and ``< w`` (Lemma 7), ``⌊w/2⌋`` of them, where
    Proposition 9 counts ``⌈w/2⌉`` (its proof takes the shells between ``(q−1)/(4w)`` and
    ``q/(4w)`` for odd ``q``, which Lemma 7 makes positive); and ``β = 0`` when some
    ``w_k = 0`` (``F > 0`` on the cube, :func:`paper_construction`). polytopo's exact
    homology of the network (:func:`paper_construction`, :func:`verify_construction`)
    agrees with the corrected reading on every architecture tested (the table in
    ``docs/expressivity.md``); the proof's reading agrees with it exactly when every
    ``w_k`` is even.

    Parameters
    ----------
    arch : str or sequence of int
    carve : sequence of int, optional
        ``w_1 … w_{d−1}`` (default :func:`paper_carve` for ``k = 1``).
    reading : {"printed", "proof", "corrected"}

    Returns
    -------
    list
        ``d`` exact integers (``None`` where the printed statement names a missing ``w``).

    Examples
    --------
    >>> [theorem13_betti("3-12-9-1", (3, 2), reading=r) for r in ("printed", "proof", "corrected")]
    [[None, None, 4], [24, 4, 4], [18, 2, 4]]
    """
    if reading not in _READINGS:
        raise InputError(f"unknown reading {reading!r}: printed, proof or corrected",
                         field="reading")
    a = parse_architecture(arch)
    d = a[0]
    M = math.prod(paper_folds(a))
    carve = paper_carve(a, 1) if carve is None else _check_carve(a, carve)
    H = M // 2
    w = dict(enumerate(carve, start=1))                    # w_1 … w_{d−1}
    if reading == "corrected":
        if 0 in carve:
            return [0] * d
        half = {i: v // 2 for i, v in w.items()}
    else:
        half = {i: -(-v // 2) for i, v in w.items()}

    def term(power, factor, i):
        return None if i not in half else H ** power * factor * half[i]

    def total(terms):
        return None if None in terms else sum(terms)

    if reading == "printed":
        b0 = total([term(k - 1, H + 1, k) for k in range(2, d + 1)])
        rest = [term(k - 1, H - 1, k - 1) for k in range(1, d)]
    else:
        b0 = total([term(k - 1, H + 1, k - 1) for k in range(2, d + 1)])
        rest = [term(k, H - 1, k) for k in range(1, d)]
    return [b0] + rest


def _paper_betti(d, M, carve):
    """β_0 … β_d of ``{F ≤ 0}``, ``{F ≥ 0}``, ``{F = 0}`` on ``[0, 1]^d`` (proof in
    :func:`paper_construction`)."""
    neg, pos, zero = [0] * (d + 1), [0] * (d + 1), [0] * (d + 1)
    pos[0] = 1
    if 0 not in carve:
        H = M // 2
        for k in range(2, d + 1):
            c = carve[k - 2] // 2
            everywhere, inside = H ** (k - 1) * (H + 1) * c, H ** (k - 1) * (H - 1) * c
            for vec, mult in ((neg, 1), (pos, 1), (zero, 2)):
                vec[0] += mult * everywhere
                vec[k - 1] += mult * inside
    return {"negative": neg, "positive": pos, "zero": zero}


@dataclass(frozen=True, repr=False)
class PaperConstruction(Construction):
    """Theorem 13's network of Ergen and Grillo, with its exactly known Betti numbers.

    A :class:`Construction` (``q = d`` folded coordinates, ``pieces = M`` per coordinate,
    ``kind = "carving"``), so :func:`verify_construction` checks it, with

    Attributes
    ----------
    folds : tuple of int
        ``m_1 … m_{L−1}`` (:func:`paper_folds`).
    carve : tuple of int
        ``w_1 … w_{d−1}``.
    offset : Fraction
        The constant ``b`` added to the output.
    theorem13 : dict
        ``{"printed": […], "proof": […], "corrected": […]}``: :func:`theorem13_betti`.
    """

    folds: tuple
    carve: tuple
    offset: Fraction
    theorem13: dict

    @property
    def M(self):
        """``M = ∏ m_ℓ``: the cube ``[0, 1]^d`` is folded into ``M^d`` cubes."""
        return self.pieces

    def __repr__(self):
        return (f"PaperConstruction({'-'.join(map(str, self.architecture))}, k={self.k}, "
                f"M={self.M}, carve={self.carve}, beta_k={self.value})")

    def to_json(self):
        return {"construction": "paper", "reference": PAPER + ", Theorem 13",
                "architecture": list(self.architecture), "k": self.k,
                "folds": list(self.folds), "M": self.M, "carve": list(self.carve),
                "offset": str(self.offset), "value": self.value,
                "domain": self.domain.to_json(),
                "function": f"F = f^(w) o h^(L,m,d) + b: {len(self.folds)} folding layer(s) "
                            f"h^(1,m,d), m = {list(self.folds)}, into M^d = {self.M}^"
                            f"{self.architecture[0]} cubes; carving layer "
                            f"g^(w_(k-1),k), w = {list(self.carve)}; b = {self.offset}",
                "theorem13": {r: list(v) for r, v in self.theorem13.items()},
                "betti": {k: list(v) for k, v in self.betti.items()},
                "network": self.network.to_json()}


def paper_construction(arch, k=1, *, carve=None):
    """Ergen and Grillo's lower-bound network for ``arch`` (Theorem 13), as a construction.

    The network is :func:`paper_network` (folding layers ``h^{(1,m_ℓ,d)}``, then the
    carving layer ``f^{(w)}``, plus ``b``) on ``D = [0, 1]^d``, the paper's own domain
    (Lemma 37, Proposition 9, Proposition 17 work in the unit cube). ``k`` only chooses the
    default ``carve`` (:func:`paper_carve`) and which Betti number :attr:`value` reports.

    **Its Betti numbers on** ``D``. Let ``H = M/2`` and ``c_k = ⌊w_{k−1}/2⌋``. A
    ``k``-cutting point (Definition 6, in ``[0, 1]^k``) has odd coordinates ``x'_i/M`` for
    ``i < k`` and an even last one: ``H^{k−1}(H + 1)`` of them, ``H^{k−1}(H − 1)`` inside
    the cube (Observation 8). Lemma 37: within ``‖x − c‖_1 < 1/(4M)`` of such a point,
    ``1ᵀ t(h(x)) = M ‖x − c‖_1``, so ``g^{(w,k)} ∘ p_k ∘ h`` is the zigzag of
    :func:`carving_layer` in ``M ‖p_k x − c‖_1``, and it vanishes elsewhere; these
    supports are disjoint for different points and different ``k`` (Lemma 10). With
    ``0 < b < 1/(8w)``, ``{F ≤ 0}`` is therefore the disjoint union, over the ``k``,
    the ``k``-cutting points ``c`` and the ``c_k`` negative shells, of closed thinner
    shells ``{r ≤ M ‖p_k x − c‖_1 ≤ r′} × [0, 1]^{d−k}``: a ``(k−1)``-annulus for an
    interior ``c``, contractible (half a shell) for ``c`` on the boundary. Removing their
    interiors from the cube, each shell cuts off one more component of ``{F ≥ 0}`` (the
    region it encloses), and each interior shell leaves one ``(k−1)``-sphere's worth of
    homology (the annulus between two shells, or around the outermost one); ``{F = 0}`` is
    the two boundary spheres of every shell. Writing ``e_i`` for the unit vectors:

    - ``β({F ≤ 0}) = Σ_k c_k (H^{k−1}(H + 1) e_0 + H^{k−1}(H − 1) e_{k−1})``,
    - ``β({F ≥ 0}) = e_0 + β({F ≤ 0})``, ``β({F = 0}) = 2 β({F ≤ 0})``;

    if some ``w_k = 0`` the carving map ``g^{(0,k)} = min{s, 1/4}`` makes ``F > 0`` on the
    whole cube: ``{F ≤ 0} = {F = 0} = ∅``, ``β({F ≥ 0}) = e_0``. This is Theorem 13's
    corrected reading (:func:`theorem13_betti`); polytopo's exact homology confirms it
    (``tests/analysis/test_expressivity_paper.py``).

    Parameters
    ----------
    arch : str or sequence of int
        ``(d, n_1, …, n_L, 1)`` with ``d ≥ 2``, ``L ≥ 2``, ``n_ℓ ≥ 2d`` for ``ℓ < L``.
    k : int
        ``0 ≤ k < d`` (default 1).
    carve : sequence of int, optional
        ``w_1 … w_{d−1} ≥ 0`` with ``Σ (w_j + 2) = n_L``.

    Returns
    -------
    PaperConstruction

    Raises
    ------
    PointlessQuestion
        The construction does not cover ``arch``, or ``k ≥ d``.
    InputError
        ``carve`` malformed.

    Examples
    --------
    >>> c = paper_construction("2-4-4-4-1")
    >>> c, c.betti["negative"], c.theorem13["proof"]
    (PaperConstruction(2-4-4-4-1, k=1, M=4, carve=(2,), beta_k=2), [6, 2, 0], [6, 2])

    Notes
    -----
    The paper's asymptotic lower bounds follow from these numbers, with ``⌊w/2⌋`` as well
    as with ``⌈w/2⌉``: Corollary 2 (``n_L ≥ 4d``, all ``w_k`` about ``n_L/(d − 1)``:
    ``β_0 ∈ Ω(M^d n_L)``, ``β_k ∈ Ω(M^k n_L)``) and Corollary 3 (two hidden layers suffice
    for any prescribed ``β``: widen the folding layer, which raises ``M``). Proposition 17
    (an open set of parameters with the same expressivity) rests on the network being
    topologically stable; polytopo's exact computation does not need it.
    """
    from ..geometry.polytope import Polytope

    a = parse_architecture(arch)
    d = a[0]
    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise InputError(f"k must be a non-negative integer, got {_validate.show(k)}")
    folds = paper_folds(a)
    if k >= d:
        raise PointlessQuestion(f"beta_{k} of a subset of R^{d} is 0 for every network")
    carve = paper_carve(a, k) if carve is None else _check_carve(a, carve)
    M = math.prod(folds)
    offset = _theorem13_offset(carve, M)
    net = paper_network(a, carve, offset=offset)
    readings = {r: theorem13_betti(a, carve, reading=r) for r in _READINGS}
    return PaperConstruction(a, k, d, M, "carving", net, Polytope.cube(d, 0, 1),
                             _paper_betti(d, M, carve), folds, carve, offset, readings)


def serra_regions_bound(arch):
    """``R``: the bound on linear regions that Proposition 18 of Ergen and Grillo uses.

    ``R = Σ_{j ∈ J} ∏_{ℓ=1}^{L} C(n_ℓ, j_ℓ)``,
    ``J = {j ∈ Z^L : 0 ≤ j_ℓ ≤ min{d, n_1 − j_1, …, n_{ℓ−1} − j_{ℓ−1}}}`` (Serra,
    Tjandraatmadja, Ramalingam, *Bounding and counting linear regions of deep neural
    networks*, ICML 2018, Theorem 1). Since ``J`` lies in the box
    ``0 ≤ j_ℓ ≤ min(n_0, …, n_{ℓ−1})``, ``R ≤`` :func:`max_regions_bound`. Computed by
    summing over the running minimum, exactly.

    Examples
    --------
    >>> serra_regions_bound("2-4-4-1"), serra_regions_bound("2-2-2-1"), max_regions_bound("2-2-2-1")
    (121, 11, 16)
    """
    a = parse_architecture(arch)
    states = {a[0]: 1}                       # running cap min{d, n_1 − j_1, …} -> Σ ∏ C
    for n in a[1:-1]:
        new = {}
        for cap, total in states.items():
            for j in range(min(cap, n) + 1):
                key = min(cap, n - j)
                new[key] = new.get(key, 0) + total * math.comb(n, j)
        states = new
    return sum(states.values())


def prop18_upper_bound(arch, k, *, lineality=0):
    """Proposition 18 of Ergen and Grillo: an upper bound on ``β_k(F^{-1}((−∞, 0]))``.

    For every network ``F`` of ``(d, n_1, …, n_L, 1)``, with ``R`` =
    :func:`serra_regions_bound`: ``β_0 ≤ R`` and ``β_k ≤ C(R, d − k − s)`` for
    ``1 ≤ k ≤ d − 1``, ``s`` the dimension of the lineality space of (a refinement of) the
    canonical polyhedral complex of ``F``; ``β_k = 0`` for ``k ≥ d``. The proof counts
    ``(k+1)``-cells (cellular homology). Corollary 4 (``β_k ∈ O((∏ n_i)^{d²})``,
    ``β_0, β_{d−1} ∈ O((∏ n_i)^d)``) follows.

    The statement writes ``s ∈ [d] = {1, …, d}``. But ``s = 0`` for every network whose
    first layer has rank ``d`` (the generic case), and read literally ``s ≥ 1`` would give
    ``β_{d−1} ≤ C(R, 0) = 1``, which polytopo's 2-4-4-4-1 network (16 holes, exactly
    verified) refutes. ``s = 0`` (the default) gives the largest value, a bound for every
    network of the architecture; ``lineality=s`` gives the statement's value for a given
    ``s`` (0 when ``d − k − s < 0``).

    Proposition 18 is about ``F^{-1}((−∞, 0]) ⊂ R^d``. On a polytope ``D`` the same
    numbers bound ``β_k(D ∩ {F ≤ 0})`` for ``k = 0`` and ``k = d − 1`` (``D ∩ {F ≤ 0}`` is
    a union of at most ``R`` convex pieces, and :func:`betti_upper_bound`'s proof applies
    with ``R`` for ``N``), and whenever ``C(R, d − k) ≥ C(R, k + 1)`` (the nerve lemma):
    so for every ``k`` when ``d ≤ 3``.

    Parameters
    ----------
    arch : str or sequence of int
    k : int
    lineality : int
        ``s``, default 0.

    Returns
    -------
    int

    Examples
    --------
    >>> [prop18_upper_bound("2-4-4-1", k) for k in range(3)]
    [121, 121, 0]
    >>> prop18_upper_bound("3-4-4-1", 1), betti_upper_bound("3-4-4-1", 1)
    (12880, 23625)
    """
    a = parse_architecture(arch)
    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise InputError(f"k must be a non-negative integer, got {_validate.show(k)}")
    if isinstance(lineality, bool) or not isinstance(lineality, int) or lineality < 0:
        raise InputError(f"lineality must be a non-negative integer, got "
                         f"{_validate.show(lineality)}", field="lineality")
    d = a[0]
    if k >= d:
        return 0
    R = serra_regions_bound(a)
    if k == 0:
        return R
    e = d - k - lineality
    return math.comb(R, e) if e >= 0 else 0


# ---------------------------------------------------------------------------------------
# report (``polytopo bounds``, :mod:`polytopo.cli.bounds`, prints and writes it)
# ---------------------------------------------------------------------------------------
def bounds_report(arch, *, domain_facets=None):
    """Lower and upper bounds on every ``β_k`` of decision regions of an architecture.

    Returns
    -------
    dict
        ``architecture``, ``max_regions`` (:func:`max_regions_bound`), ``regions_prop18``
        (:func:`serra_regions_bound`) and one row per ``k = 0 … n_0``: ``lower``
        (:func:`betti_lower_bound`, with the construction's ``q``, ``pieces``, ``kind``),
        ``upper`` (:func:`betti_upper_bound`), ``upper_prop18`` (Proposition 18 of Ergen
        and Grillo, :func:`prop18_upper_bound`) and ``paper`` (the ``β_k`` that Theorem
        13's network with :func:`paper_carve` has, exactly, with its ``carve`` and ``M``;
        ``None`` where the paper's construction does not cover the architecture or
        ``k ≥ n_0``). All exact integers.

    Examples
    --------
    >>> rep = bounds_report("2-4-4-1")
    >>> [(r["k"], r["lower"], r["upper"], r["upper_prop18"]) for r in rep["betti"]]
    [(0, 9, 121, 121), (1, 4, 121, 121), (2, 0, 0, 0)]
    >>> [r["paper"] for r in bounds_report("2-4-4-4-1")["betti"]]
    [{'value': 6, 'carve': [2], 'M': 4}, {'value': 2, 'carve': [2], 'M': 4}, None]
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
            "upper_prop18": prop18_upper_bound(a, k),
            "paper": _paper_row(a, k),
        })
    return {
        "architecture": list(a),
        "decision_region": DECISION_REGION,
        "domain_facets": facets,
        "max_regions": max_regions_bound(a),
        "regions_prop18": serra_regions_bound(a),
        "betti": rows,
        "lower_bound": "realised on [0,1]^n0 by polytopo.analysis.expressivity.construction",
        "upper_bound": "min(C(N, k+1), N * C(M, min(n0 - k, M // 2)), and N when k = n0 - 1 "
                       ">= 1), N = max_regions, M = hidden neurons + domain facets + 1; 0 for "
                       "k >= n0",
        "upper_bound_prop18": "Ergen & Grillo, Proposition 18 (for F^-1((-inf, 0]) in R^n0): "
                              "R for k = 0, C(R, n0 - k) for 1 <= k < n0 (lineality s = 0), "
                              "0 for k >= n0; R = regions_prop18 (Serra et al. 2018, Theorem 1)",
        "paper_lower_bound": "the Betti numbers of Theorem 13's network on [0,1]^n0 "
                             "(polytopo.analysis.expressivity.paper_construction), exact",
        "reference": "Ergen & Grillo, Topological Expressivity of ReLU Neural Networks, "
                     "COLT 2024, arXiv:2310.11130 (statements here proved in polytopo's docs)",
    }


def _paper_row(a, k):
    """Theorem 13's network's ``β_k`` with the default carving numbers, or ``None``."""
    if k >= a[0]:
        return None
    try:
        folds, carve = paper_folds(a), paper_carve(a, k)
    except PointlessQuestion:
        return None
    M = math.prod(folds)
    return {"value": _paper_betti(a[0], M, carve)["negative"][k], "carve": list(carve), "M": M}
