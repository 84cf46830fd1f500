"""Low-rank sets, data manifolds and the relative homology ``H(M, A ∩ M)``
(``docs/definitions.md``; the report fields in ``docs/formats.md``).

Where ``x ↦ h_ℓ(x)`` has rank below ``r`` a network can glue points together and change the
topology of data; the low-rank set ``A`` is where that can happen. This module builds ``A``
and a data manifold ``M`` as subcomplexes of one refinement of the canonical complex,
computes ``H(A ∩ M)``, ``H(M)``, ``H(M, A ∩ M)`` over Z, and checks the long exact sequence
of the pair ``(M, A ∩ M)`` with explicit cycle and boundary spaces.
"""

__all__ = ["ExactSequenceCheck", "LowRankHomology", "manifold_complex", "manifold_subcomplex",
           "low_rank_subcomplex", "check_exact_sequence", "low_rank_homology"]

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from ..runtime import checks as _validate
from ..complex.cells import check_complex, check_subcomplex
from ..geometry.exact import canonical_inequality, format_number
from ..geometry.polytope import check_domain, check_manifold, check_vertices_in
from ..exceptions import InputError, LimitExceeded
from ..network.model import check_network
from ..topology.snf import one_per_row_and_column
from .rank import cell_ranks

#: the fields GF(p) tried, in order, for the rational ranks of the sequence's maps
PRIMES = (2 ** 61 - 1, 2 ** 31 - 1, 1_000_000_007)
#: ``exactness="auto"`` checks the sequence when M has at most this many cells
AUTO_MAX_CELLS = 250_000


# ---------------------------------------------------------------------------------------
# values
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ExactSequenceCheck:
    """The long exact sequence of a pair ``(M, A)``, checked with explicit linear algebra.

    ``… → H_k(A) --i--> H_k(M) --j--> H_k(M, A) --∂--> H_{k-1}(A) → …`` is exact: at every
    term, the rank of the incoming map plus the rank of the outgoing map is the dimension
    (Hatcher, *Algebraic Topology*, Thm. 2.16). See :func:`check_exact_sequence`.

    Attributes
    ----------
    checked : bool
        False when the check was skipped (``reason`` says why).
    exact : bool or None
        True when every test passed (None when not checked).
    primes : tuple of int
        The fields ``GF(p)`` the sequence was checked over; the first does not divide any
        torsion coefficient, so its ranks are the ranks over Q.
    rank_i, rank_j, rank_connecting : tuple of int
        Index ``k``: the ranks over Q of ``i_k : H_k(A) → H_k(M)``,
        ``j_k : H_k(M) → H_k(M, A)``, ``∂_k : H_k(M, A) → H_{k-1}(A)`` (``∂_0 = 0``).
    euler_characteristic : dict
        ``{"A", "M", "pair"}`` from the Betti numbers; ``χ(M, A) = χ(M) − χ(A)``.
    failures : tuple of str
        What failed (empty when ``exact``).
    reason : str
        Why the check was skipped; when checked without linear algebra (``A`` empty),
        why the sequence is exact.
    """

    checked: bool
    exact: bool | None = None
    primes: tuple = ()
    rank_i: tuple = ()
    rank_j: tuple = ()
    rank_connecting: tuple = ()
    euler_characteristic: dict = field(default_factory=dict)
    failures: tuple = ()
    reason: str = ""

    def to_json(self):
        """The report form: plain ints, bools and strings."""
        if not self.checked:
            out = {"checked": False, "reason": self.reason}
            if self.euler_characteristic:
                out["euler_characteristic"] = dict(self.euler_characteristic)
            return out
        return {"checked": True, "exact": self.exact,
                "method": self.reason or
                          "ranks of i, j, ∂ from explicit cycle and boundary bases over "
                          "GF(p); dimensions from the Smith normal form over Z",
                "fields": [f"GF({p})" for p in self.primes],
                "rank_i": list(self.rank_i), "rank_j": list(self.rank_j),
                "rank_connecting": list(self.rank_connecting),
                "euler_characteristic": dict(self.euler_characteristic),
                "failures": list(self.failures)}


@dataclass(frozen=True)
class LowRankHomology:
    """The low-rank set ``A``, the data manifold ``M`` and their homology
    (``docs/definitions.md``).

    Attributes
    ----------
    layer, threshold : int
        ``A`` is the union of the closed activation regions on which the Jacobian of
        ``x ↦ h_layer(x)`` has rank ``< threshold``.
    n_regions, n_low_rank : int
        Activation regions, and the low-rank ones among them.
    n_low_rank_in_manifold : int
        Low-rank activation regions meeting ``M`` in a full-dimensional set.
    rank_counts : tuple of (rank, count)
        Over the activation regions.
    cell_rank_counts : tuple of tuple of (rank, count)
        Entry ``k``: over the k-cells of the canonical complex, the rank of ``h_ℓ``
        restricted to the cell (:func:`polytopo.analysis.rank.cell_ranks`).
    volume_fraction, manifold_volume_fraction : Fraction or None
        ``vol(A) / vol(D)`` and ``vol(A ∩ M) / vol(M)`` (None when volumes were skipped).
    manifold_volume : Fraction or None
    n_pieces : int
        Convex pieces of ``M`` (0: ``M`` is the domain).
    homology_A, homology, manifold_homology, relative_homology : list of HomologyGroup
        ``H(A)``, ``H(A ∩ M)``, ``H(M)``, ``H(M, A ∩ M)``, one group per dimension.
    exact_sequence : ExactSequenceCheck
    complex : CellComplex
        The canonical complex refined by ``M``'s hyperplanes; ``A``, ``M`` are subcomplexes.
    A, M : list of frozenset
        The subcomplexes (``A`` in the whole domain; ``A ∩ M`` is their intersection).
    """

    layer: int
    threshold: int
    n_regions: int
    n_low_rank: int
    n_low_rank_in_manifold: int
    rank_counts: tuple
    cell_rank_counts: tuple
    volume_fraction: Fraction | None
    manifold_volume_fraction: Fraction | None
    manifold_volume: Fraction | None
    n_pieces: int
    homology_A: list
    homology: list
    manifold_homology: list
    relative_homology: list
    manifold_f_vector: list
    exact_sequence: ExactSequenceCheck
    complex: object = field(repr=False, compare=False)
    A: list = field(repr=False, compare=False)
    M: list = field(repr=False, compare=False)

    def to_json(self):
        """``{"low_rank": …, "manifold": …}``, the two parts of the report
        (``docs/formats.md``, Report)."""
        def groups(gs):
            return [g.to_json() for g in gs]

        def frac(q):
            return None if q is None else format_number(q)

        low = {"layer": self.layer, "threshold": self.threshold,
               "definition": f"union of the closed activation regions where the Jacobian of "
                             f"x -> h_{self.layer}(x) has rank < {self.threshold}",
               "n_regions": self.n_low_rank, "n_regions_total": self.n_regions,
               "rank_counts": [{"rank": r, "n_regions": n} for r, n in self.rank_counts],
               "cell_rank_counts": [[{"rank": r, "n_cells": n} for r, n in level]
                                    for level in self.cell_rank_counts],
               "volume_fraction": frac(self.volume_fraction),
               "homology": groups(self.homology),
               "relative_homology": groups(self.relative_homology),
               "exact_sequence": self.exact_sequence.to_json()}
        if self.n_pieces:
            low["n_regions_in_manifold"] = self.n_low_rank_in_manifold
            low["manifold_volume_fraction"] = frac(self.manifold_volume_fraction)
            low["homology_in_domain"] = groups(self.homology_A)
        man = {"domain": not self.n_pieces, "n_pieces": self.n_pieces,
               "f_vector": list(self.manifold_f_vector),
               "euler_characteristic": sum((-1) ** k * n
                                           for k, n in enumerate(self.manifold_f_vector)),
               "volume": frac(self.manifold_volume),
               "homology": groups(self.manifold_homology)}
        return {"low_rank": low, "manifold": man}


# ---------------------------------------------------------------------------------------
# subcomplexes
# ---------------------------------------------------------------------------------------
def manifold_complex(complex, pieces):
    """Refine a complex by every facet hyperplane of every piece of a data manifold.

    Afterwards every cell lies on one side of (or on) each such hyperplane, so a union
    of the closed pieces is a subcomplex (:func:`manifold_subcomplex`).

    Parameters
    ----------
    complex : CellComplex
    pieces : sequence of Polytope
        Full-dimensional polytopes in the complex's space.

    Returns
    -------
    CellComplex
        Refined by the distinct facet hyperplanes ``a·x = b`` (as the functions
        ``a·x − b``) that cut some cell; ``complex`` itself when none does.

    Raises
    ------
    InputError
        For a piece in another dimension.

    Examples
    --------
    >>> from polytopo.complex import CellComplex
    >>> from polytopo.geometry.polytope import Polytope
    >>> C = CellComplex.from_box([-2, -2], [2, 2])
    >>> manifold_complex(C, [Polytope.cube(2)]).f_vector()    # the square [-1, 1]^2 inside
    [16, 24, 9]

    Notes
    -----
    Hyperplanes are deduplicated up to scaling and sign; one with no top cell having
    vertices strictly on both sides splits no cell (every cell is a face of a top cell) and
    is skipped. Cost: one refinement per hyperplane that cuts.
    """
    check_complex(complex)
    pieces = check_manifold(pieces, complex.dim, name="pieces") or []
    keys, seen = [], set()
    for n, P in enumerate(pieces):
        Q = P.irredundant()
        for a, b in zip(Q.A, Q.b):
            key = _hyperplane_key(a, b)
            if key not in seen:
                seen.add(key)
                keys.append(key)
    d = complex.dim
    for a, b in keys:
        vals = [sum(x * y for x, y in zip(a, p)) - b for p in complex.vertices()]
        for i in range(complex.n_regions):
            vs = [vals[v] for v in complex.vertices_of((d, i))]
            if min(vs) < 0 < max(vs):  # a top cell with vertices strictly on both sides
                complex = complex.refine_by_hyperplane(a, -b)
                break
    return complex


def manifold_subcomplex(complex, pieces=None):
    """The data manifold ``M``, a union of closed convex pieces, as a subcomplex.

    A cell belongs to ``M`` when its relative interior point lies in some (closed) piece.
    Once the complex is refined by the pieces' facet hyperplanes
    (:func:`manifold_complex`), such a cell lies inside that piece, and ``M`` is the
    closure of the top cells whose interior point lies in some piece.

    Parameters
    ----------
    complex : CellComplex
        Refined by the pieces (:func:`manifold_complex`).
    pieces : sequence of Polytope, optional
        Default: ``M`` is the whole complex (the domain).

    Returns
    -------
    list of frozenset of int
        One set of cell indices per dimension.

    Raises
    ------
    InputError
        If a top cell has its interior point in a piece but a vertex outside it: the
        complex was not refined by that piece's hyperplanes.

    Examples
    --------
    >>> from polytopo.complex import CellComplex
    >>> from polytopo.geometry.polytope import Polytope
    >>> pieces = [Polytope.box([0, 0], [1, 1])]
    >>> C = manifold_complex(CellComplex.from_box([-1, -1], [1, 1]), pieces)
    >>> [len(s) for s in manifold_subcomplex(C, pieces)]
    [4, 4, 1]
    """
    check_complex(complex)
    d = complex.dim
    if pieces is None:
        return [frozenset(range(n)) for n in complex.f_vector()]
    pieces = check_manifold(pieces, d, name="pieces") or []
    points = complex.vertices()
    chosen = []
    for i in range(complex.f_vector()[d]):
        x = complex.relative_interior_point((d, i))
        for P in pieces:
            if P.contains(x):
                if not all(P.contains(points[v]) for v in complex.vertices_of((d, i))):
                    raise InputError("the complex is not refined by the manifold's facet "
                                     "hyperplanes (use manifold_complex first)", field="complex")
                chosen.append((d, i))
                break
    return complex.closure(chosen)


def low_rank_subcomplex(complex, network, *, layer=None, threshold=None, ranks=None):
    """The low-rank set ``A``: the union of the closed top cells of rank ``< threshold``.

    Parameters
    ----------
    complex : CellComplex
        The canonical complex of ``network``, possibly refined further.
    network : Network
    layer : int, optional
        Hidden layer from 1; default the last.
    threshold : int, optional
        Default the input dimension ``d`` (rank ``< d``: not injective).
    ranks : sequence of int, optional
        The ranks of the top cells, if already known.

    Returns
    -------
    list of frozenset of int
        The closure of the low-rank top cells.

    Examples
    --------
    >>> from polytopo.complex import canonical_complex
    >>> from polytopo.network import Network
    >>> from polytopo.geometry.polytope import Polytope
    >>> net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    >>> C = canonical_complex(net, Polytope.cube(2))
    >>> A = low_rank_subcomplex(C, net)        # three closed quadrants
    >>> [len(s) for s in A], [str(h) for h in C.homology(A)]
    ([8, 10, 3], ['Z', '0', '0'])
    """
    check_complex(complex)
    check_network(network)
    layer = network.check_layer(layer)
    threshold = _check_threshold(network, threshold)
    d = complex.dim
    if ranks is None:
        ranks = _top_ranks(complex, network, layer)
    elif not hasattr(ranks, "__len__") or len(ranks) != complex.n_regions:
        raise InputError(f"ranks must give one rank per top cell ({complex.n_regions})",
                         field="ranks")
    return complex.closure([(d, i) for i, r in enumerate(ranks) if r < threshold])


# ---------------------------------------------------------------------------------------
# the long exact sequence of a pair
# ---------------------------------------------------------------------------------------
def check_exact_sequence(complex, A, M=None, *, primes=None):
    """Check the long exact sequence of the pair ``(M, A ∩ M)`` with explicit linear algebra.

    ``… → H_k(A) --i--> H_k(M) --j--> H_k(M, A) --∂--> H_{k-1}(A) → …`` (``A`` meaning
    ``A ∩ M``). Over a field ``F = GF(p)``, with ``Z_k``, ``B_k`` the cycles and
    boundaries and ``π`` the projection ``C(M) → C(M)/C(A)``::

        rank i_k = dim(B_k(M) + Z_k(A))       − dim B_k(M)
        rank j_k = dim(B_k(M, A) + π Z_k(M))  − dim B_k(M, A)
        rank ∂_k = dim(B_{k-1}(A) + ∂ Z_k(M, A)) − dim B_{k-1}(A)

    where ``∂ Z_k(M, A)`` applies the boundary of ``M`` to relative cycles lifted to
    ``C_k(M)`` (each must land in ``C_{k-1}(A)``: checked). The dimensions come from the
    integral homology (Smith normal form) by the universal coefficient theorem,
    ``dim H_k(X; F) = rank H_k + #{p | t_k} + #{p | t_{k-1}}``, and are checked against
    the ranks of the boundary maps over ``F``. Exactness is checked at every term:
    rank in + rank out = dimension. So is ``χ(M, A) = χ(M) − χ(A)``.

    Parameters
    ----------
    complex : CellComplex
    A : list of sets of int
        A subcomplex (intersected with ``M``).
    M : list of sets of int, optional
        A subcomplex; default the whole complex.
    primes : sequence of int, optional
        Default: the first of :data:`PRIMES` dividing no torsion coefficient, then every
        prime dividing a torsion coefficient of ``H(A)``, ``H(M)`` or ``H(M, A)``.

    Returns
    -------
    ExactSequenceCheck

    Examples
    --------
    A square modulo its boundary:

    >>> from polytopo.complex import CellComplex
    >>> C = CellComplex.from_box([0, 0], [1, 1])
    >>> chk = check_exact_sequence(C, C.closure(C.cells(1)))
    >>> chk.exact, chk.rank_i, chk.rank_j, chk.rank_connecting
    (True, (1, 0, 0), (0, 0, 0), (0, 0, 1))

    Notes
    -----
    Over ``GF(p)`` with ``p`` dividing no torsion coefficient the three homologies have
    the rational dimensions, and in a finite exact sequence
    ``0 → H_d(A) → … → H_0(M, A) → 0`` every rank is fixed by the dimensions (from the
    left end: ``rank = dim − rank of the previous map``); so the ranks found over
    ``GF(p)``, once exactness is verified, are the ranks over Q. Primes dividing torsion
    check the torsion part (through the universal coefficient dimensions).

    Algorithm: first the pairs of cells that collapse within ``A`` or outside it
    are removed (rounds on numpy arrays; the exact sequence is unchanged up to
    isomorphism, see :func:`_collapsed_pair`), then Gaussian column elimination over
    ``GF(p)`` on sparse columns (dicts) of what is left, pivoting on the largest row
    index, tracking the column operations to get kernel bases; each map's rank counts
    the vectors that stay independent when reduced against the echelon basis of the
    boundaries. The structure (``C(A) ⊂ C(M)``, the pair's boundary ``π ∂``) is checked
    on the complexes as given. Cost: near-linear for the collapses; the eliminations
    are worst case cubic in the cells left, in practice few; ``exactness="auto"`` in
    :func:`low_rank_homology` skips complexes over :data:`AUTO_MAX_CELLS` cells.
    """
    check_complex(complex)
    check_subcomplex("A", A, complex.dim)
    if M is None:
        M = [frozenset(range(n)) for n in complex.f_vector()]
    check_subcomplex("M", M, complex.dim)
    return _check_pair(*_pair_complexes(complex, A, M), primes=primes)


def _pair_complexes(complex, A, M):
    """Chain complexes of ``A ∩ M``, ``M`` and the pair ``(M, A ∩ M)``."""
    M = [frozenset(s) for s in M]
    everything = all(len(m) == n for m, n in zip(M, complex.f_vector()))

    def ids(cells):   # sorted cell indices, as the chain complexes take them at once
        return np.sort(np.fromiter(cells, dtype=np.int64, count=len(cells)))

    AM = [(ids(A[k]) if everything else np.intersect1d(ids(A[k]), ids(M[k])))
          if k < len(A) else np.zeros(0, dtype=np.int64) for k in range(complex.dim + 1)]
    if not any(len(a) for a in AM):  # the pair (M, ∅): its chain complex is M's
        ccM = complex.chain_complex(None if everything else M)
        return complex.chain_complex(AM), ccM, ccM
    if everything:
        return complex.chain_complex(AM), complex.chain_complex(), \
            complex.relative_chain_complex(AM)
    return (complex.chain_complex(AM), complex.chain_complex(M),
            complex.relative_chain_complex(AM, within=M))


def _check_pair(ccA, ccM, ccR, primes=None):
    d = ccM.dimension
    HM, HA, HR = ccM.homology(), ccA.homology(), ccR.homology()
    chi = {"A": _chi(HA), "M": _chi(HM), "pair": _chi(HR)}
    if ccR is ccM and not any(ccA.n_cells):
        zeros = (0,) * (d + 1)
        return ExactSequenceCheck(
            True, True, (), zeros, tuple(h.rank for h in HM), zeros, chi, (),
            reason="A ∩ M is empty: C(M, A ∩ M) = C(M), j is the identity, i = ∂ = 0")
    failures = []
    if chi["pair"] != chi["M"] - chi["A"]:
        failures.append(f"χ(M, A) = {chi['pair']} ≠ χ(M) − χ(A) = {chi['M'] - chi['A']}")
    for name, cc, H in (("A", ccA, HA), ("M", ccM, HM), ("(M, A)", ccR, HR)):
        if cc.euler_characteristic() != _chi(H):
            failures.append(f"Betti numbers of {name} do not sum to its cell count χ")
    torsion = {t for H in (HA, HM, HR) for g in H for t in g.torsion}
    if primes is None:
        main = next(p for p in PRIMES if all(t % p for t in torsion))
        primes = [main] + sorted({q for t in torsion for q in _prime_factors(t)})
    primes = tuple(primes)
    failures.extend(_structure_failures(ccA, ccM, ccR))
    # the pair with the unit pivots of M that need no arithmetic collapsed away, within
    # A or within M \ A: the same exact sequence, up to isomorphism (see _collapsed_pair)
    complexes, mats = _collapsed_pair(ccA, ccM)
    results = []
    for p in primes:
        ranks, fails = _check_over(p, d, complexes, mats, (HA, HM, HR))
        results.append(ranks)
        failures.extend(f"GF({p}): {f}" for f in fails)
    ri, rj, rc = results[0]
    return ExactSequenceCheck(True, not failures, primes, ri, rj, rc, chi, tuple(failures))


def _check_over(p, d, complexes, mats, homologies):
    """Ranks of i, j, ∂ over GF(p) and the failed tests."""
    (ccA, ccM, ccR), fails, data = complexes, [], {}
    for name, cc, bnd, H in zip(("A", "M", "pair"), complexes, mats, homologies):
        E, B = _cycles_boundaries(bnd, p)
        betti = [len(e) for e in E]
        expect = [H[k].rank + sum(1 for t in H[k].torsion if t % p == 0)
                  + (sum(1 for t in H[k - 1].torsion if t % p == 0) if k else 0)
                  for k in range(d + 1)]
        if betti != expect:
            fails.append(f"dim H({name}; GF(p)) = {betti} by elimination, {expect} from the "
                         f"Smith normal form")
        data[name] = (E, B, expect)
    (EA, BA, bA), (EM, BM, bM), (ER, BR, bR) = data["A"], data["M"], data["pair"]
    idxA = [{c: i for i, c in enumerate(cs)} for cs in ccA.cells]
    idxM = [{c: i for i, c in enumerate(cs)} for cs in ccM.cells]
    idxR = [{c: i for i, c in enumerate(cs)} for cs in ccR.cells]
    ri, rj, rc = [0] * (d + 1), [0] * (d + 1), [0] * (d + 1)
    for k in range(d + 1):
        # i_k: cycles of A, in M's coordinates, modulo the boundaries of M
        vecs = [{idxM[k][ccA.cells[k][i]]: x for i, x in z.items()} for z in EA[k]]
        ri[k] = _extra_rank(vecs, BM[k], p)
        # j_k: cycles of M projected to C(M)/C(A), modulo the relative boundaries
        vecs = [{idxR[k][c]: x for i, x in z.items()
                 if (c := ccM.cells[k][i]) in idxR[k]} for z in EM[k]]
        rj[k] = _extra_rank(vecs, BR[k], p)
        # ∂_k: relative cycles lifted to C_k(M), their boundary in C_{k-1}(A)
        if k == 0:
            continue
        bnd = mats[1][k]
        vecs = []
        for z in ER[k]:
            acc = {}
            for i, x in z.items():
                for r, y in bnd[idxM[k][ccR.cells[k][i]]].items():
                    acc[r] = (acc.get(r, 0) + x * y) % p
            v = {}
            for r, x in acc.items():
                c = ccM.cells[k - 1][r]
                if x and c not in idxA[k - 1]:
                    fails.append(f"the boundary of a relative {k}-cycle leaves A")
                elif x:
                    v[idxA[k - 1][c]] = x
            vecs.append(v)
        rc[k] = _extra_rank(vecs, BA[k - 1], p)
    for k in range(d, -1, -1):
        into_A = rc[k + 1] if k < d else 0
        for term, rin, rout, dim in ((f"H_{k}(A)", into_A, ri[k], bA[k]),
                                     (f"H_{k}(M)", ri[k], rj[k], bM[k]),
                                     (f"H_{k}(M, A)", rj[k], rc[k], bR[k])):
            if rin + rout != dim:
                fails.append(f"not exact at {term}: rank in {rin} + rank out {rout} ≠ "
                             f"dim {dim}")
    return (tuple(ri), tuple(rj), tuple(rc)), fails


class _Cells:
    """A chain complex as :func:`_check_over` reads it: the cells' labels per dimension."""

    def __init__(self, cells):
        self.cells = cells


def _collapsed_pair(ccA, ccM):
    """The pair ``(M, A)`` with pairs of cells collapsed away, as (A', M', M'/A') and
    their boundary columns (``[[dict column] per k] per complex``).

    A pair ``(σ, τ)``, ``τ`` a facet of ``σ`` with coefficient ``±1``, is collapsed when
    ``τ`` lies in no other cell of ``M`` (a free face) or ``∂σ = ±τ``, and ``σ, τ`` are
    both in ``A`` or both outside it. Either way ``σ`` and ``τ`` span an acyclic piece
    whose removal deletes their rows and columns and changes no other entry of any
    boundary matrix (Kaczynski, Mrozek and Slusarek, *Homology computation by reduction
    of chain complexes*, 1998); the maps ``M → M'`` restrict to ``A → A'`` and pass to
    ``M/A → M'/A'``, all quasi-isomorphisms, so the long exact sequences are isomorphic
    (five lemma): same ranks of ``i``, ``j``, ``∂`` and the same homology, which is what
    the elimination then checks against the Smith normal forms of the original
    complexes. Rounds of such pairs are found with numpy, at most one per cell, one
    dimension after the other, until a round finds none.
    """
    d = ccM.dimension
    n = list(ccM.n_cells)
    in_a = []
    for k in range(d + 1):
        in_k = set(ccA.cells[k])
        in_a.append(np.fromiter((c in in_k for c in ccM.cells[k]), dtype=bool,
                                count=len(ccM.cells[k])))
    alive = [np.ones(x, dtype=bool) for x in n]
    entries = [None] + [_entries(ccM, k) for k in range(1, d + 1)]
    while True:
        found = 0
        for k in range(1, d + 1):
            rows, cols, vals = entries[k]
            keep = alive[k - 1][rows] & alive[k][cols]
            rows, cols, vals = rows[keep], cols[keep], vals[keep]
            entries[k] = (rows, cols, vals)
            if not len(rows):
                continue
            rdeg = np.bincount(rows, minlength=n[k - 1])
            cdeg = np.bincount(cols, minlength=n[k])
            ok = ((vals == 1) | (vals == -1)) & (in_a[k - 1][rows] == in_a[k][cols]) & \
                ((rdeg[rows] == 1) | (cdeg[cols] == 1))
            cand = np.flatnonzero(ok)
            if not len(cand):
                continue
            cand = one_per_row_and_column(rows, cols, cand)
            alive[k][cols[cand]] = False
            alive[k - 1][rows[cand]] = False
            found += len(cand)
        if not found:
            break
    out_cells, out_mats = [], []
    for keep in ([a & i for a, i in zip(alive, in_a)], alive,
                 [a & ~i for a, i in zip(alive, in_a)]):
        cells, mats = [], []
        for k in range(d + 1):
            here = np.flatnonzero(keep[k])
            labels = ccM.cells[k]
            cells.append(tuple(labels[i] for i in here.tolist()))
            if k == 0:
                mats.append([{} for _ in range(len(here))])
                continue
            loc_c = np.full(n[k], -1, dtype=np.int64)
            loc_c[here] = np.arange(len(here))
            below = np.flatnonzero(keep[k - 1])
            loc_r = np.full(n[k - 1], -1, dtype=np.int64)
            loc_r[below] = np.arange(len(below))
            rows, cols, vals = entries[k]   # the entries between cells still alive
            sel = (loc_c[cols] >= 0) & (loc_r[rows] >= 0)
            columns = [dict() for _ in range(len(here))]
            for c, r, x in zip(loc_c[cols[sel]].tolist(), loc_r[rows[sel]].tolist(),
                               vals[sel].tolist()):
                columns[c][r] = int(x)
            mats.append(columns)
        out_cells.append(_Cells(cells))
        out_mats.append(mats)
    return out_cells, out_mats


def _structure_failures(ccA, ccM, ccR):
    """Check that ``C(A) ⊂ C(M)`` is a subcomplex with the same boundary, and that the
    pair's boundary is ``π ∂`` (``π`` forgetting the cells of ``A``), column by column
    (on the sparse arrays: the entries of each complex, in M's numbering, sorted and
    compared with M's)."""
    fails = []
    d = ccM.dimension
    cells_m = [_cell_ids(ccM.cells[j]) for j in range(d + 1)]
    in_a_all = []
    for j in range(d + 1):
        m = np.zeros(ccM.n_cells[j], dtype=bool)
        at = _positions(cells_m[j], ccA.cells[j])
        m[at[at >= 0]] = True
        in_a_all.append(m)
    for k in range(1, d + 1):
        in_a = in_a_all[k - 1:k + 1]
        rows_m, cols_m, vals_m = _entries(ccM, k)
        for name, cc, want in (("A", ccA, in_a[1]), ("R", ccR, ~in_a[1])):
            loc = [_positions(cells_m[k - 1 + j], cc.cells[k - 1 + j]) for j in range(2)]
            rows, cols, vals = _entries(cc, k)
            rows, cols = loc[0][rows], loc[1][cols]
            sel = want[cols_m] if name == "A" else want[cols_m] & ~in_a[0][rows_m]
            bad = _differing_columns((rows, cols, vals),
                                     (rows_m[sel], cols_m[sel], vals_m[sel]), len(cells_m[k - 1]))
            flagged = (loc[1] < 0) | np.isin(loc[1], np.fromiter(bad, dtype=np.int64,
                                                                 count=len(bad)))
            for c in (cc.cells[k][i] for i in np.flatnonzero(flagged)[:10].tolist()):
                fails.append(f"the boundary of {k}-cell {c} in A is not its boundary in M"
                             if name == "A" else
                             f"the relative boundary of {k}-cell {c} is not π ∂ of M")
    return fails[:10]


def _cell_ids(cells):
    """The cells of a chain complex as an int64 array when they are cell indices, else
    as a list (cells named otherwise, e.g. by vertex tuples)."""
    if not len(cells):
        return np.zeros(0, dtype=np.int64)
    a = np.asarray(cells) if isinstance(cells[0], (int, np.integer)) else None
    if a is not None and a.ndim == 1 and a.dtype.kind in "iu":
        return a.astype(np.int64, copy=False)
    return list(cells)


def _positions(within, cells):
    """The position in ``within`` (distinct cells: :func:`_cell_ids`) of each of
    ``cells``, ``-1`` where absent."""
    if isinstance(within, list):
        pos = {c: i for i, c in enumerate(within)}
        return np.fromiter((pos.get(c, -1) for c in cells), dtype=np.int64, count=len(cells))
    cells = _cell_ids(cells)
    if isinstance(cells, list):
        return np.full(len(cells), -1, dtype=np.int64)
    if not len(within):
        return np.full(len(cells), -1, dtype=np.int64)
    order = np.argsort(within, kind="stable")
    ranked = within[order]
    i = np.minimum(np.searchsorted(ranked, cells), len(ranked) - 1)
    return np.where(ranked[i] == cells, order[i], -1)


def _entries(cc, k):
    """The nonzero entries ``(rows, columns, values)`` of ``∂_k`` of a chain complex."""
    ptr, idx, data = cc.boundary_arrays(k)
    cols = np.repeat(np.arange(len(ptr) - 1, dtype=np.int64), np.diff(ptr))
    return np.asarray(idx, dtype=np.int64), cols, np.asarray(data)


def _differing_columns(a, b, n_rows):
    """The columns (M's numbering) where two sets of entries ``(rows, columns, values)``
    differ; rows and columns are ``-1`` outside M (such a column differs; entries in such
    columns are left out: the caller reports those columns)."""
    out, keys, vals = set(), [], []
    for rows, cols, v in (a, b):
        inside = cols >= 0
        rows, cols, v = rows[inside], cols[inside], v[inside]
        out.update(cols[rows < 0].tolist())
        ok = rows >= 0
        key = cols[ok] * (n_rows + 1) + rows[ok]
        order = np.argsort(key, kind="stable")
        keys.append(key[order])
        vals.append(v[ok][order])
    (ka, kb), (va, vb) = keys, vals
    if np.array_equal(ka, kb) and bool(np.all(va == vb)):
        return out
    out.update((np.setxor1d(ka, kb) // (n_rows + 1)).tolist())
    both = np.intersect1d(ka, kb)
    if len(both):   # the same place, another value
        diff = np.flatnonzero(va[np.searchsorted(ka, both)] != vb[np.searchsorted(kb, both)])
        out.update((both[diff] // (n_rows + 1)).tolist())
    return out


def _cycles_boundaries(columns, p):
    """Over GF(p): ``E[k]``, cycles completing a basis of ``B_k`` to one of ``Z_k``
    (``len(E[k])`` is the k-th Betti number over GF(p)), and ``B[k]``, an echelon basis of
    the boundaries ``B_k`` (pivot row → column).

    Column elimination from the top dimension down with clearing (Chen and Kerber,
    *Persistent homology computation with a twist*, 2011): a k-cell that is the pivot row
    of a reduced (k+1)-column would reduce to zero, and its cycle is that column, in ``B_k``.
    Pivot columns are kept as they are, with the inverse of their pivot entry (no
    rescaling of the column).
    """
    d = len(columns) - 1
    E, B = [[] for _ in range(d + 1)], [dict() for _ in range(d + 1)]
    cleared = set()
    for k in range(d, -1, -1):
        piv = {}
        for j, col in enumerate(columns[k]):
            if j in cleared:
                continue
            v = {r: x % p for r, x in col.items() if x % p}
            w = {j: 1}
            low = _reduce_vector(v, piv, p, w)
            if low is None:
                E[k].append(w)
            else:
                piv[low] = (v, w, pow(v[low], -1, p))
        if k:
            B[k - 1] = {r: v for r, (v, _, _) in piv.items()}
        cleared = set(piv)
    return E, B


def _reduce_vector(v, piv, p, w=None):
    """Reduce ``v`` (in place) by pivots ``{row: (column, ops, 1 / pivot entry)}``; also
    apply the same operations to ``w``. Returns the pivot row left, or None when ``v`` is 0."""
    while v:
        low = max(v)
        entry = piv.get(low)
        if entry is None:
            return low
        u, uw, inv = entry
        f = v[low] * inv % p
        _axpy(v, u, f, p)
        if w is not None:
            _axpy(w, uw, f, p)
    return None


def _axpy(v, u, f, p):
    """``v ← v − f u`` over GF(p), sparse."""
    get, pop = v.get, v.pop
    for r, x in u.items():
        y = (get(r, 0) - f * x) % p
        if y:
            v[r] = y
        else:
            pop(r, None)


def _extra_rank(vectors, basis, p):
    """``dim(span(basis) + span(vectors)) − dim span(basis)`` over GF(p)."""
    piv = {r: (u, None, pow(u[r], -1, p)) for r, u in basis.items()}
    extra = 0
    for v in vectors:
        v = dict(v)
        low = _reduce_vector(v, piv, p)
        if low is not None:
            piv[low] = (v, None, pow(v[low], -1, p))
            extra += 1
    return extra


# ---------------------------------------------------------------------------------------
# the whole analysis
# ---------------------------------------------------------------------------------------
def low_rank_homology(network, domain=None, *, manifold=None, layer=None, threshold=None,
                      complex=None, exactness="auto", volumes=True, check=None,
                      max_regions=None):
    """Low-rank set ``A``, data manifold ``M``, and ``H(A ∩ M)``, ``H(M)``, ``H(M, A ∩ M)``.

    ``A`` is the union of the closed activation regions on which the Jacobian of
    ``x ↦ h_ℓ(x)`` has rank ``< r`` (``docs/definitions.md``); ``M`` is the domain or a
    union of closed convex pieces. The canonical complex is refined by every facet
    hyperplane of every piece (:func:`manifold_complex`), so both are subcomplexes;
    homology is integral
    cellular homology (Smith normal form over Z), and the long exact sequence of
    ``(M, A ∩ M)`` is checked (:func:`check_exact_sequence`).

    Parameters
    ----------
    network : Network
    domain : Polytope, optional
        Default ``[-1, 1]^d``. With ``complex``, it must be the complex's domain (its
        volume is the denominator of the volume fractions), or None.
    manifold : sequence of Polytope, optional
        The pieces of ``M`` (inside the domain); default ``M`` = the domain.
    layer : int, optional
        Hidden layer ``ℓ`` from 1; default the last hidden layer.
    threshold : int, optional
        ``r``; default the input dimension ``d``.
    complex : CellComplex, optional
        The canonical complex of ``network`` on the domain, if already built.
    exactness : {"auto", "always", "never"}
        Check the long exact sequence always, never, or when ``M`` has at most
        :data:`AUTO_MAX_CELLS` cells. The Euler characteristic identity is always checked.
    volumes : bool
        Compute the exact low-rank volume fractions.
    check : callable, optional
        Called as ``check(what)`` between steps (e.g. a deadline's ``check``).
    max_regions : int, optional
        Stop with :class:`LimitExceeded` when refining by the manifold's facet hyperplanes
        leaves more top cells than this.

    Returns
    -------
    LowRankHomology

    Raises
    ------
    InputError
        For a layer or threshold out of range, or a manifold piece in another dimension.
    PointlessQuestion
        For a network without hidden layers.

    Examples
    --------
    ``relu(I x)`` on ``[-1, 1]^2``: three closed quadrants are low-rank, a contractible
    set; with ``M`` the square annulus ``1/2 ≤ ‖x‖_∞ ≤ 1``, ``A ∩ M`` is an arc of the
    annulus and ``H_1(M, A ∩ M) = Z``.

    >>> from polytopo.network import Network
    >>> from polytopo.geometry.polytope import Polytope
    >>> net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    >>> L = low_rank_homology(net, Polytope.cube(2))
    >>> L.n_low_rank, L.volume_fraction, [str(h) for h in L.homology]
    (3, Fraction(3, 4), ['Z', '0', '0'])
    >>> [str(h) for h in L.relative_homology], L.exact_sequence.exact
    (['0', '0', '0'], True)
    >>> h = "1/2"
    >>> ring = [Polytope.box([-1, h], [1, 1]), Polytope.box([-1, -1], [1, "-1/2"]),
    ...         Polytope.box([-1, "-1/2"], ["-1/2", h]), Polytope.box([h, "-1/2"], [1, h])]
    >>> L = low_rank_homology(net, Polytope.cube(2), manifold=ring)
    >>> [str(g) for g in L.manifold_homology], [str(g) for g in L.relative_homology]
    (['Z', 'Z', '0'], ['0', 'Z', '0'])
    >>> L.manifold_volume_fraction
    Fraction(3, 4)
    """
    from ..complex.build import canonical_complex
    from ..geometry.polytope import Polytope

    check_network(network)
    d = network.input_dim
    if complex is not None:
        check_complex(complex)
        if complex.dim != d:
            raise InputError(f"the complex is in dimension {complex.dim} but the network has "
                             f"{d} inputs", field="complex")
    check_domain(domain, d, optional=True)
    layer = network.check_layer(layer)
    threshold = _check_threshold(network, threshold)
    if not isinstance(exactness, str) or exactness not in ("auto", "always", "never"):
        raise InputError(f"exactness must be auto, always or never, got "
                         f"{_validate.show(exactness)}",
                         field="exactness")
    max_regions = _validate.check_positive_int("max_regions", max_regions)
    _validate.check_callable("check", check)
    # a piece outside the domain would leave M without its volume: refuse it by name
    around = domain if domain is not None or complex is not None else Polytope.cube(d)
    pieces = check_manifold(manifold, d, around)
    check = check or (lambda what: None)
    C = canonical_complex(network, domain) if complex is None else complex
    ranks = cell_ranks(C, network, layer=layer)
    check("ranks of the cells")
    by_pattern = {C.pattern((d, i)): r for i, r in enumerate(ranks[d])}
    Cm = manifold_complex(C, pieces) if pieces else C
    if pieces and around is None:  # the complex's own domain: its vertices tell
        check_vertices_in(pieces, Cm.vertices())
    if max_regions is not None and Cm.n_regions > max_regions:
        raise LimitExceeded(f"more than {max_regions} regions after refining by the data "
                            f"manifold ({Cm.n_regions})")
    check("refining by the manifold")
    top = ranks[d] if Cm is C else tuple(by_pattern[Cm.pattern((d, i))]
                                         for i in range(Cm.n_regions))
    A = low_rank_subcomplex(Cm, network, layer=layer, threshold=threshold, ranks=top)
    M = manifold_subcomplex(Cm, pieces)
    ccA, ccM, ccR = _pair_complexes(Cm, A, M)
    check("the manifold and low-rank subcomplexes")
    H_AM, H_M, H_rel = ccA.homology(), ccM.homology(), ccR.homology()
    H_A = Cm.homology(A) if pieces else H_AM
    check("homology")
    n_cells = sum(ccM.n_cells)
    if exactness == "always" or (exactness == "auto" and n_cells <= AUTO_MAX_CELLS):
        seq = _check_pair(ccA, ccM, ccR)
        check("the long exact sequence")
    else:
        why = ("not asked for" if exactness == "never" else
               f"M has {n_cells} cells, more than {AUTO_MAX_CELLS} (use exactness='always')")
        chi = {"A": _chi(H_AM), "M": _chi(H_M), "pair": _chi(H_rel)}
        seq = ExactSequenceCheck(False, None, euler_characteristic=chi, reason=why)
    vol_frac = man_frac = man_vol = None
    if volumes:  # exact volumes of the regions that count (one rational per face)
        vol = {}

        def volume_of(indices):
            missing = [i for i in indices if i not in vol]
            vol.update(zip(missing, Cm.region_volumes(missing)))
            return sum((vol[i] for i in indices), Fraction(0))

        if domain is None and complex is None:  # the default cube [-1, 1]^d
            total = Fraction(2) ** d
        elif domain is not None:  # the complex's domain, as one cell
            from ..complex.build import domain_complex

            total = domain_complex(domain).region_volumes([0])[0]
        else:  # the regions of the complex tile its domain
            total = volume_of(range(Cm.n_regions))
        low = [i for i in range(Cm.n_regions) if top[i] < threshold]
        high = [i for i in range(Cm.n_regions) if top[i] >= threshold]
        if pieces or len(low) <= len(high) or (len(vol) == Cm.n_regions):
            vol_frac = volume_of(low) / total
        else:  # the regions tile the domain: fewer volumes through the complement
            vol_frac = (total - volume_of(high)) / total
        if pieces:
            man_vol = volume_of(sorted(M[d]))
            man_frac = volume_of([i for i in low if i in M[d]]) / man_vol
        else:
            man_vol, man_frac = total, vol_frac
        check("volumes")
    low_in_m = {Cm.pattern((d, i)) for i in M[d] if top[i] < threshold}
    return LowRankHomology(
        layer=layer, threshold=threshold, n_regions=C.n_regions,
        n_low_rank=sum(1 for r in ranks[d] if r < threshold),
        n_low_rank_in_manifold=len(low_in_m),
        rank_counts=_counts(ranks[d]), cell_rank_counts=tuple(_counts(r) for r in ranks),
        volume_fraction=vol_frac, manifold_volume_fraction=man_frac, manifold_volume=man_vol,
        n_pieces=len(pieces) if pieces else 0, homology_A=H_A, homology=H_AM,
        manifold_homology=H_M, relative_homology=H_rel,
        manifold_f_vector=[len(s) for s in M], exact_sequence=seq, complex=Cm, A=A, M=M)


# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------
def _check_threshold(network, threshold):
    if threshold is None:
        return network.input_dim
    return _validate.check_nonnegative_int("threshold", threshold)


def _top_ranks(complex, network, layer):
    from ..geometry.exact import rank

    d, cache, out = complex.dim, {}, []
    for i in range(complex.n_regions):
        pattern = complex.pattern((d, i))
        if pattern not in cache:
            if len(pattern) != network.n_hidden:
                raise InputError("the complex is not a refinement of this network's "
                                 "canonical complex", field="complex")
            cache[pattern] = rank(network.affine_maps(pattern)[layer - 1][0])
        out.append(cache[pattern])
    return tuple(out)


def _hyperplane_key(a, b):
    """``a·x = b`` scaled to coprime integers with the first nonzero ``a_i`` positive."""
    a, b = canonical_inequality(a, b)
    if next(x for x in a if x) < 0:
        a, b = tuple(-x for x in a), -b
    return a, b


def _counts(values):
    out = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return tuple(sorted(out.items()))


def _chi(groups):
    return sum((-1) ** k * g.rank for k, g in enumerate(groups))


def _prime_factors(n):
    out, q = set(), 2
    while q * q <= n:
        while n % q == 0:
            out.add(q)
            n //= q
        q += 1
    if n > 1:
        out.add(n)
    return out
