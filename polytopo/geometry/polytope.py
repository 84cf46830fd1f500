"""Exact convex polytopes in H-representation: validation, vertices, faces, volume."""

__all__ = ["Polytope", "pulling_triangulation", "simplex_volume", "check_polytope",
           "check_domain", "check_manifold", "check_vertices_in"]

import math
import numbers
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import cdd
import cdd.gmp as _cdd

from ..runtime.checks import check_positive_int
from . import lp
from .exact import canonical_inequality, determinant, to_matrix, to_vector
from ..exceptions import InputError


@dataclass(frozen=True, eq=False)
class Polytope:
    """The polytope ``{x ∈ R^d : A x ≤ b}`` with exact rational data.

    Construction does not validate; :meth:`validated` checks that the set is a
    bounded, full-dimensional polytope (what a domain must be, ``docs/definitions.md``).

    Two polytopes are equal (``==``, and then of equal ``hash``) when they have the same
    inequalities up to order, repetition and positive scaling: the same set of rows
    ``a·x ≤ b`` once each is scaled to coprime integers
    (:func:`~polytopo.geometry.exact.canonical_inequality`). That is a comparison of
    representations, decided without any LP: the same set given by different
    inequalities (one more redundant row, say) is *not* equal; compare
    :meth:`irredundant` forms for that (canonical for full-dimensional polytopes).

    Examples
    --------
    >>> P = Polytope.box([-1, -1], [1, 1])
    >>> P.volume(), len(P.vertices())
    (Fraction(4, 1), 4)
    >>> P == Polytope.from_lists([[0, 2], [-1, 0], [1, 0], [0, -1]], [2, 1, 1, 1])
    True
    >>> P == Polytope.from_lists([[1, 0], [-1, 0], [0, 1], [0, -1], [1, 1]], [1, 1, 1, 1, 5])
    False
    """

    A: tuple
    b: tuple

    @cached_property
    def _key(self):
        """The set of the canonical (coprime integer) rows: what equality compares."""
        try:
            rows = frozenset(canonical_inequality(a, bi) for a, bi in zip(self.A, self.b))
            return ("rows", rows)
        except (TypeError, ValueError, ZeroDivisionError):  # not exact data: as given
            return ("raw", self.A, self.b)

    def __eq__(self, other):
        if not isinstance(other, Polytope):
            return NotImplemented
        return self is other or self._key == other._key

    def __hash__(self):
        return hash(self._key)

    @classmethod
    def from_fields(cls, A, b):
        """``Polytope(A, b)`` (equal, same hash and repr, frozen) without the frozen
        dataclass's per-field ``setattr``: for code that makes thousands at once.

        >>> Polytope.from_fields(((1,),), (2,)) == Polytope(((1,),), (2,))
        True
        """
        P = object.__new__(cls)
        P.__dict__.update(A=A, b=b)
        return P

    @classmethod
    def from_lists(cls, A, b, *, source=None):
        """Build from lists of numbers (anything :func:`polytopo.geometry.exact.to_fraction` reads)."""
        A = to_matrix(A, source=source, field="A")
        b = to_vector(b, source=source, field="b")
        if not A or not A[0]:
            raise InputError("the polytope needs at least one inequality in dimension ≥ 1",
                             source=source, field="A")
        if len(A) != len(b):
            raise InputError(f"A has {len(A)} rows but b has {len(b)} entries", source=source)
        return cls(A, b)

    @classmethod
    def box(cls, lo, hi):
        """The box ``∏ [lo_i, hi_i]``; ``lo``/``hi`` are sequences of exact numbers."""
        lo, hi = to_vector(lo, field="lo"), to_vector(hi, field="hi")
        if len(lo) != len(hi) or not lo:
            raise InputError("box bounds must have the same, positive, length")
        for i, (l, h) in enumerate(zip(lo, hi)):
            if not l < h:
                raise InputError(f"empty box: lower bound {l} is not below upper bound {h}",
                                 field=f"coordinate {i}")
        d = len(lo)
        A, b = [], []
        for i in range(d):
            e = tuple(Fraction(int(i == j)) for j in range(d))
            A += [tuple(-x for x in e), e]
            b += [-lo[i], hi[i]]
        return cls(tuple(A), tuple(b))

    @classmethod
    def cube(cls, d, lo=-1, hi=1):
        """The cube ``[lo, hi]^d``."""
        d = check_positive_int("d", d, optional=False)
        return cls.box([lo] * d, [hi] * d)

    def validated(self, *, source=None):
        """Return self after checking it is bounded and full-dimensional.

        Raises
        ------
        InputError
            If the set is empty, lower-dimensional or unbounded.
        TypeError
            If ``A`` or ``b`` holds something else than exact numbers.
        """
        check_polytope(self, "polytope")
        if lp.interior_point(self.A, self.b) is None:
            raise InputError("the polytope is empty or not full-dimensional", source=source)
        if not self.is_bounded():
            raise InputError("the polytope is unbounded", source=source)
        return self

    def is_bounded(self):
        """Whether the (non-empty) polytope is bounded: every coordinate is bounded above
        and below, by ``2 d`` exact LPs (no vertex enumeration: a 64-dimensional box has
        ``2^64`` vertices). An axis-parallel box is recognised without an LP.

        Examples
        --------
        >>> Polytope.cube(64).is_bounded(), Polytope.from_lists([[1]], [0]).is_bounded()
        (True, False)
        """
        d = self.dim
        lo, hi = [False] * d, [False] * d
        general = []
        for row, bi in zip(self.A, self.b):
            nz = [i for i, x in enumerate(row) if x != 0]
            if len(nz) == 1:
                (lo if row[nz[0]] < 0 else hi)[nz[0]] = True
            else:
                general.append(row)
        if all(lo) and all(hi):
            return True
        for i in range(d):
            for sign, known in ((1, hi[i]), (-1, lo[i])):
                if known:
                    continue
                c = [0] * d
                c[i] = sign
                if lp.maximize(c, self.A, self.b).status == "unbounded":
                    return False
        return True

    @property
    def dim(self):
        """Ambient dimension ``d``."""
        return len(self.A[0])

    def to_json(self):
        from .exact import format_number

        return {"A": [[format_number(x) for x in r] for r in self.A],
                "b": [format_number(x) for x in self.b]}

    # ---- exact geometry through cddlib --------------------------------------------
    def _cdd_matrix(self):
        rows = [[bi] + [-a for a in row] for row, bi in zip(self.A, self.b)]
        return _cdd.matrix_from_array(rows, rep_type=cdd.RepType.INEQUALITY)

    def _box_rows(self):
        """The irredundant rows of an axis-parallel box (every row has one non-zero), or
        None for another polytope: a box needs no LP (cddlib's redundancy removal of a
        64-dimensional box takes minutes)."""
        d = self.dim
        lo, hi = [None] * d, [None] * d
        for row, bi in zip(self.A, self.b):
            nz = [i for i, x in enumerate(row) if x != 0]
            if len(nz) != 1:
                return None
            i = nz[0]
            t = Fraction(bi) / Fraction(row[i])
            if row[i] > 0:
                hi[i] = t if hi[i] is None else min(hi[i], t)
            else:
                lo[i] = t if lo[i] is None else max(lo[i], t)
        if any(x is None for x in lo + hi):
            return None
        if any(a >= b for a, b in zip(lo, hi)):
            raise InputError("the polytope is not full-dimensional")
        keep = []
        for i in range(d):
            e = [Fraction(0)] * d
            e[i] = Fraction(1)
            keep.append((tuple(e), hi[i]))
            keep.append((tuple(-x for x in e), -lo[i]))
        return keep

    @cached_property
    def _irredundant(self):
        box = self._box_rows()
        if box is not None:
            return box
        mat = self._cdd_matrix()
        _cdd.matrix_canonicalize(mat)
        rows = [tuple(Fraction(x) for x in r) for r in mat.array]
        if mat.lin_set:
            raise InputError("the polytope is not full-dimensional")
        keep = [(tuple(-x for x in r[1:]), r[0]) for r in rows]
        return keep

    def irredundant(self):
        """The same polytope with redundant and duplicate inequalities removed.

        Rows are scaled to coprime integers and sorted, so equal polytopes give equal
        representations (a canonical H-representation of a full-dimensional polytope).

        Examples
        --------
        >>> P = Polytope.from_lists([[1], [2], [-1]], [1, 2, 0]).irredundant()
        >>> P.A, P.b
        (((Fraction(-1, 1),), (Fraction(1, 1),)), (Fraction(0, 1), Fraction(1, 1)))
        """
        rows = sorted(canonical_inequality(a, bi) for a, bi in self._irredundant)
        return Polytope(tuple(tuple(Fraction(x) for x in a) for a, _ in rows),
                        tuple(Fraction(bi) for _, bi in rows))

    @cached_property
    def _generators_cache(self):
        P = Polytope(tuple(a for a, _ in self._irredundant), tuple(bi for _, bi in self._irredundant))
        poly = _cdd.polyhedron_from_matrix(P._cdd_matrix())
        gen = _cdd.copy_generators(poly)
        verts, rays = [], []
        for i, row in enumerate(gen.array):
            if row[0] == 0 or i in gen.lin_set:
                rays.append(tuple(Fraction(x) for x in row[1:]))
            else:
                verts.append(tuple(Fraction(x) / Fraction(row[0]) for x in row[1:]))
        incidence = _cdd.copy_input_incidence(poly)
        return P, verts, rays, incidence

    def _generators(self):
        _, verts, rays, _ = self._generators_cache
        return verts, rays

    def vertices(self):
        """The exact vertices, sorted.

        Examples
        --------
        >>> Polytope.box([0], [2]).vertices()
        ((Fraction(0, 1),), (Fraction(2, 1),))
        """
        verts, rays = self._generators()
        if rays:
            raise InputError("the polytope is unbounded: it has no vertex description")
        return tuple(sorted(verts))

    def facet_incidence(self):
        """For each irredundant facet (in :meth:`irredundant` order), the set of indices
        into :meth:`vertices` of the vertices on it.

        Examples
        --------
        >>> [sorted(f) for f in Polytope.box([0, 0], [1, 1]).facet_incidence()]
        [[0, 1], [0, 2], [1, 3], [2, 3]]
        """
        P = self.irredundant()
        verts = self.vertices()
        out = []
        for a, bi in zip(P.A, P.b):
            out.append(frozenset(i for i, v in enumerate(verts)
                                 if sum(x * y for x, y in zip(a, v)) == bi))
        return tuple(out)

    def interior_point(self):
        """An exact point strictly inside, or ``None`` if the interior is empty."""
        return lp.interior_point(self.A, self.b)

    def contains(self, x, *, strict=False):
        """Whether ``x`` satisfies every inequality (strictly, if asked)."""
        if isinstance(x, (str, bytes)) or not hasattr(x, "__len__"):
            raise TypeError(f"a point must be a sequence of numbers, got {type(x).__name__}")
        if len(x) != self.dim:
            raise InputError(f"point has {len(x)} coordinates, the polytope is in dimension "
                             f"{self.dim}")
        for row, bi in zip(self.A, self.b):
            v = sum((Fraction(a) * Fraction(xi) for a, xi in zip(row, x)), Fraction(0))
            if v > bi or (strict and v == bi):
                return False
        return True

    def volume(self):
        """Exact ``d``-dimensional volume, by a pulling triangulation of the face lattice.

        Notes
        -----
        Vertices and vertex–facet incidences come from cddlib's exact double description.
        The faces of a face ``G`` are the maximal sets ``G ∩ F`` over the facets ``F``;
        pulling the smallest vertex of each face gives a triangulation whose simplices'
        exact volumes ``|det| / d!`` sum to the volume.
        """
        verts = self.vertices()
        facets = self.facet_incidence()
        d = self.dim
        top = frozenset(range(len(verts)))

        def facets_of(face):
            cands = {face & f for f in facets if not face <= f}
            return [c for c in cands if c and not any(c < o for o in cands)]

        total = Fraction(0)
        for simplex in pulling_triangulation(top, facets_of, lambda c: c, dim=d):
            total += simplex_volume([verts[i] for i in simplex])
        return total


def pulling_triangulation(cell, facets_of, vertices_of, dim=None):
    """Yield the simplices (lists of vertex ids) of a pulling triangulation of a polytope cell.

    Parameters
    ----------
    cell : hashable
        A cell of a face lattice.
    facets_of : callable
        Cell → iterable of its facets (cells one dimension lower).
    vertices_of : callable
        Cell → frozenset of vertex ids (a vertex cell gives a one-element set).
    dim : int, optional
        Dimension of ``cell``; if omitted, each facet is triangulated until a cell with
        one vertex remains.

    Notes
    -----
    Pull the smallest vertex ``v`` of the cell and cone it over the triangulations of the
    facets not containing ``v``; the result is a triangulation using only the cell's
    vertices (De Loera, Rambau, Santos, *Triangulations*, §4.3).

    Examples
    --------
    >>> sq = {"Q": ["a", "b", "c", "d"], "a": ["0", "1"], "b": ["1", "2"], "c": ["2", "3"],
    ...       "d": ["3", "0"], "0": [], "1": [], "2": [], "3": []}
    >>> verts = lambda c: frozenset(c) if c in "0123" else frozenset().union(
    ...     *(verts(f) for f in sq[c]))
    >>> sorted(sorted(s) for s in pulling_triangulation("Q", sq.__getitem__, verts))
    [['0', '1', '2'], ['0', '2', '3']]
    """
    vs = vertices_of(cell)
    if len(vs) == 1 or (dim is not None and len(vs) == dim + 1):
        yield sorted(vs)
        return
    apex = min(vs)
    for f in facets_of(cell):
        if apex in vertices_of(f):
            continue
        for s in pulling_triangulation(f, facets_of, vertices_of,
                                       None if dim is None else dim - 1):
            yield [apex] + s


def simplex_volume(points):
    """Exact volume ``|det(p_1 − p_0, …, p_d − p_0)| / d!`` of a full-dimensional simplex in R^d.

    Examples
    --------
    >>> simplex_volume([(0, 0), (1, 0), (0, 1)])
    Fraction(1, 2)
    """
    p0 = points[0]
    rows = [[Fraction(a) - Fraction(b) for a, b in zip(p, p0)] for p in points[1:]]
    return abs(determinant(rows)) / math.factorial(len(rows))


# ---------------------------------------------------------------------------------------
# argument checks of the functions that take polytopes
# ---------------------------------------------------------------------------------------
def check_polytope(polytope, name="domain"):
    """``polytope`` after checking it is a :class:`Polytope` with exact data.

    Checks the structure only (rows of equal length, one right-hand side per row, exact
    rational entries), not that the set is bounded or full-dimensional.

    Raises
    ------
    TypeError
        For something else than a Polytope, or inexact entries.
    InputError
        For rows of different lengths or a right-hand side of the wrong length.

    Examples
    --------
    >>> check_polytope(Polytope(((1.5,),), (1,)))
    Traceback (most recent call last):
    ...
    TypeError: domain entries must be exact (int or Fraction), got float; build it with Polytope.from_lists
    """
    if not isinstance(polytope, Polytope):
        raise TypeError(f"{name} must be a Polytope, got {type(polytope).__name__}")
    A, b = polytope.A, polytope.b
    if not isinstance(A, (tuple, list)) or not isinstance(b, (tuple, list)):
        raise TypeError(f"{name}: A and b must be sequences, got {type(A).__name__} and "
                        f"{type(b).__name__}")
    if not A or not all(isinstance(r, (tuple, list)) for r in A):
        raise InputError(f"{name}: A must be a non-empty list of rows")
    d = len(A[0])
    if d == 0 or any(len(r) != d for r in A):
        raise InputError(f"{name}: the rows of A must have the same, positive, length")
    if len(A) != len(b):
        raise InputError(f"{name}: A has {len(A)} rows but b has {len(b)} entries")
    for values in (x for r in A for x in r), b:
        for x in values:
            if not isinstance(x, numbers.Rational) or isinstance(x, bool):
                raise TypeError(f"{name} entries must be exact (int or Fraction), got "
                                f"{type(x).__name__}; build it with Polytope.from_lists")
    return polytope


def check_domain(domain, dim, *, name="domain", optional=False, validate=True):
    """A domain for a network with ``dim`` inputs: a polytope in ``R^dim`` (``None`` if optional).

    With ``validate`` the polytope must also be bounded and full-dimensional.

    Examples
    --------
    >>> check_domain(Polytope.cube(3), 2)
    Traceback (most recent call last):
    ...
    polytopo.exceptions.InputError: the domain is in dimension 3 but the network has 2 inputs
    """
    if domain is None and optional:
        return None
    check_polytope(domain, name)
    if domain.dim != dim:
        raise InputError(f"the {name} is in dimension {domain.dim} but the network has "
                         f"{dim} inputs")
    if validate:
        try:
            domain.validated()
        except InputError as e:
            raise InputError(e.problem, field=name) from None
    return domain


def check_manifold(manifold, dim, domain=None, name="manifold"):
    """The pieces of a data manifold as a list: full-dimensional polytopes in ``R^dim``
    inside ``domain`` (when given). ``None`` or an empty sequence gives ``None``.

    Raises
    ------
    TypeError
        If ``manifold`` is not a sequence of Polytope.
    InputError
        Naming the piece (``manifold[i]``) in another dimension, not bounded and
        full-dimensional, or not inside the domain.

    Examples
    --------
    >>> check_manifold([Polytope.cube(2), Polytope.cube(2, 5, 6)], 2, Polytope.cube(2))
    Traceback (most recent call last):
    ...
    polytopo.exceptions.InputError: manifold[1]: piece is not inside the domain
    """
    if manifold is None:
        return None
    if isinstance(manifold, (str, bytes, dict, Polytope)) or not hasattr(manifold, "__iter__"):
        raise TypeError(f"{name} must be a list of Polytope, got {type(manifold).__name__}")
    pieces = list(manifold)
    if not pieces:
        return None
    for i, P in enumerate(pieces):
        where = f"{name}[{i}]"
        if not isinstance(P, Polytope):
            raise TypeError(f"{where} must be a Polytope, got {type(P).__name__}")
        check_polytope(P, where)
        if P.dim != dim:
            raise InputError(f"piece is in dimension {P.dim}, expected dimension {dim}",
                             field=where)
        try:
            P.validated()
        except InputError as e:
            raise InputError(e.problem, field=where) from None
        if domain is not None and not all(domain.contains(v) for v in P.vertices()):
            raise InputError("piece is not inside the domain", field=where)
    return pieces


def check_vertices_in(pieces, points, name="manifold"):
    """Check every vertex of every piece is one of ``points`` (the vertices of a complex
    refined by the pieces' facet hyperplanes: then a piece lies in the complex's convex
    domain exactly when its vertices are vertices of the complex).

    Examples
    --------
    >>> check_vertices_in([Polytope.box([0], [1])], [(0,), (1,), (2,)])
    >>> check_vertices_in([Polytope.box([0], [3])], [(0,), (1,), (2,)])
    Traceback (most recent call last):
    ...
    polytopo.exceptions.InputError: manifold[0]: piece is not inside the domain
    """
    known = set(points)
    for i, P in enumerate(pieces):
        if not all(v in known for v in P.vertices()):
            raise InputError("piece is not inside the domain", field=f"{name}[{i}]")
