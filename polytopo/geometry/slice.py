"""Affine slices of the input space (docs/definitions.md, the slice).

A slice is ``x = p0 + U t`` with ``t`` in a polytope ``P`` of slice coordinates: the plane
through three images, a window around them. The regions, complex and homology of a
network on a slice are those of the composed network ``g(t) = f(p0 + U t)`` on ``P``
(:meth:`Slice.compose`, exact: the slice is folded into the first affine layer), so a
784-input net on a 2-dimensional slice costs what a 2-input net costs.

Examples
--------
>>> s = Slice.through([[0, 0, 0], [2, 0, 0], [0, 2, 2]])
>>> s.dim, s.ambient_dim
(2, 3)
>>> s.embed(["1/2", "1/4"])
(Fraction(1, 1), Fraction(1, 2), Fraction(1, 2))
>>> s.to_json()["directions"]
[[2, 0, 0], [0, 2, 2]]
"""

__all__ = ["Slice"]

from dataclasses import dataclass
from fractions import Fraction

from ..exceptions import InputError
from .exact import format_number, rank, to_fraction
from .polytope import Polytope

#: the keys of a slice domain file (docs/formats.md, "Domain and manifold")
KEYS = ("origin", "directions", "A", "b")


def _is_sequence(values):
    return not isinstance(values, (str, bytes, dict)) and hasattr(values, "__len__") \
        and hasattr(values, "__getitem__")


def _vector(values, field):
    """An exact vector (a tuple of :class:`~fractions.Fraction`) from a list of numbers
    (anything :func:`~polytopo.geometry.exact.to_fraction` reads; floats exactly)."""
    if not _is_sequence(values):
        raise InputError(f"must be a list of numbers, got {type(values).__name__}", field=field)
    return tuple(to_fraction(v, field=f"{field}[{i}]") for i, v in enumerate(values))


def _vectors(values, field):
    if not _is_sequence(values):
        raise InputError(f"must be a list of lists of numbers, got {type(values).__name__}",
                         field=field)
    return tuple(_vector(v, f"{field}[{i}]") for i, v in enumerate(values))


def _relocated(e, source):
    """``e`` with ``source`` when it has none (the file the slice was read from)."""
    if source is None or e.source is not None:
        return e
    return InputError(e.problem, source=source, field=e.field)


@dataclass(frozen=True)
class Slice:
    """The slice ``x = origin + Σ_j t_j directions[j]``, ``t ∈ polytope``, exactly.

    Parameters
    ----------
    origin : tuple of Fraction
        ``p0``, a point of the network's input space ``Q^n``.
    directions : tuple of tuples of Fraction
        The ``k`` columns of ``U`` (each with ``n`` entries), linearly independent.
    polytope : Polytope
        ``P``, a bounded, full-dimensional polytope in the slice coordinates ``t ∈ R^k``
        (validated by the constructors :meth:`from_json` and :meth:`through`).
    through_points : tuple of tuples of Fraction, optional
        The ``k + 1`` points the slice was spanned by (:meth:`through`), if it was.

    Raises
    ------
    InputError
        When the directions do not match the origin's length or are linearly dependent,
        or the polytope is not in ``k`` dimensions.

    Examples
    --------
    >>> s = Slice((0, 1), ((1, 1),), Polytope.box([0], [1]))
    >>> s.embed([Fraction(1, 2)])
    (Fraction(1, 2), Fraction(3, 2))
    >>> Slice((0, 1), ((1, 1), (2, 2)), Polytope.cube(2))
    Traceback (most recent call last):
    ...
    polytopo.exceptions.InputError: directions: the directions are linearly dependent (the slice would not be 2-dimensional)
    """

    origin: tuple
    directions: tuple
    polytope: Polytope
    through_points: tuple = None

    def __post_init__(self):
        origin = _vector(self.origin, "origin")
        dirs = _vectors(self.directions, "directions")
        n, k = len(origin), len(dirs)
        if n < 1:
            raise InputError("the origin has no coordinates", field="origin")
        if k < 1:
            raise InputError("a slice needs at least one direction", field="directions")
        for j, u in enumerate(dirs):
            if len(u) != n:
                raise InputError(f"has {len(u)} entries, the origin {n}",
                                 field=f"directions[{j}]")
        if k > n:
            raise InputError(f"{k} directions in {n} dimensions are linearly dependent",
                             field="directions")
        if rank([list(u) for u in dirs]) < k:
            raise InputError(f"the directions are linearly dependent (the slice would not "
                             f"be {k}-dimensional)", field="directions")
        if not isinstance(self.polytope, Polytope):
            raise TypeError(f"polytope must be a Polytope, got {type(self.polytope).__name__}")
        if self.polytope.dim != k:
            raise InputError(f"the slice polytope A t <= b has {self.polytope.dim} columns "
                             f"but the slice has {k} direction{'s' if k != 1 else ''}",
                             field="A")
        object.__setattr__(self, "origin", origin)
        object.__setattr__(self, "directions", dirs)
        if self.through_points is not None:
            object.__setattr__(self, "through_points",
                               _vectors(self.through_points, "through"))

    # ---- construction -------------------------------------------------------------
    @classmethod
    def from_json(cls, obj, dim=None, *, source=None):
        """The slice of a domain file ``{"origin", "directions", "A", "b"}``.

        Parameters
        ----------
        obj : dict
            ``origin`` (``n`` numbers), ``directions`` (``k`` lists of ``n`` numbers: the
            columns of ``U``), ``A`` and ``b`` (``A t ≤ b`` in slice coordinates, bounded
            and full-dimensional). An optional ``through`` (the spanning points, as
            :meth:`to_json` writes it) must agree with the origin and directions.
        dim : int, optional
            The network's input dimension ``n``, checked when given.
        source : str, optional
            The file, for error messages.

        Raises
        ------
        InputError
            One line naming the field, for a missing key, a malformed number, a wrong
            length, dependent directions, or an empty, unbounded or lower-dimensional
            ``P``.

        Examples
        --------
        >>> s = Slice.from_json({"origin": [0, 0, 1], "directions": [[1, 0, 0]],
        ...                      "A": [[1], [-1]], "b": [1, 1]}, 3)
        >>> s.dim, s.polytope.volume()
        (1, Fraction(2, 1))
        >>> Slice.from_json({"origin": [0, 0], "directions": [[1, 0]], "A": [[1], [-1]],
        ...                  "b": [1, 1]}, 3)
        Traceback (most recent call last):
        ...
        polytopo.exceptions.InputError: origin: has 2 coordinates, the network 3 inputs
        """
        try:
            if not isinstance(obj, dict):
                raise InputError(f"a slice domain must be a JSON object with keys "
                                 f"{', '.join(KEYS)}, got {type(obj).__name__}")
            missing = [key for key in KEYS if key not in obj]
            if missing:
                raise InputError(f"a slice domain needs {', '.join(repr(k) for k in KEYS)}; "
                                 f"missing {', '.join(repr(k) for k in missing)}",
                                 field=missing[0])
            origin = _vector(obj["origin"], "origin")
            if dim is not None and len(origin) != dim:
                raise InputError(f"has {len(origin)} coordinates, the network {dim} inputs",
                                 field="origin")
            dirs = _vectors(obj["directions"], "directions")
            P = Polytope.from_lists(obj["A"], obj["b"])
            s = cls(origin, dirs, P)
            try:
                P.validated()
            except InputError as e:
                raise InputError(f"the slice polytope A t <= b: {e.problem}",
                                 field="A") from None
            through = obj.get("through")
            if through is not None:
                pts = _vectors(through, "through")
                if len(pts) != s.dim + 1 or pts[0] != s.origin or any(
                        tuple(a - b for a, b in zip(p, pts[0])) != u
                        for p, u in zip(pts[1:], s.directions)):
                    raise InputError("the points do not span this origin and these "
                                     "directions", field="through")
                s = cls(origin, dirs, P, pts)
            return s
        except InputError as e:
            raise _relocated(e, source) from None

    @classmethod
    def through(cls, points, margin=0, *, dim=None, source=None):
        """The slice spanned by ``k + 1`` affinely independent points.

        The origin is the first point, the directions the others minus it, and ``P`` the
        ``k``-simplex ``t ≥ 0, Σ t ≤ 1`` (the points' convex hull: ``t = 0`` is the first
        point, ``t = e_j`` point ``j``) widened by ``margin``:
        ``P = {t : t_j ≥ −margin, Σ_j t_j ≤ 1 + margin}``: the simplex with vertices
        ``−margin·(1, …, 1) + (1 + (k + 1) margin) e_j`` and ``−margin·(1, …, 1)``, of
        volume ``(1 + (k + 1) margin)^k / k!``.

        Parameters
        ----------
        points : sequence of sequences of numbers
            Exact numbers (``int``, ``Fraction``, ``"p/q"``, numpy integers); floats are
            taken exactly (their binary value).
        margin : number, default 0
            A nonnegative rational.
        dim : int, optional
            The network's input dimension, checked when given.
        source : str, optional
            The file the points came from, for error messages.

        Raises
        ------
        InputError
            One line naming the field (``points``, ``points[i][j]``, ``margin``): fewer
            than two points, points of different lengths or of the wrong dimension,
            affinely dependent points, NaN or infinite coordinates, a negative margin.

        Examples
        --------
        >>> s = Slice.through([[0, 0], [1, 0], [0, 1]], margin=1)
        >>> s.polytope.to_json()
        {'A': [[-1, 0], [0, -1], [1, 1]], 'b': [1, 1, 2]}
        >>> s.polytope.volume()
        Fraction(8, 1)
        >>> Slice.through([[0, 0], [1, 1], [2, 2]])
        Traceback (most recent call last):
        ...
        polytopo.exceptions.InputError: points: the 3 points are affinely dependent: they do not span a 2-dimensional slice
        """
        try:
            if not _is_sequence(points):
                raise InputError(f"must be a list of points, got {type(points).__name__}",
                                 field="points")
            pts = _vectors(points, "points")
            if len(pts) < 2:
                raise InputError(f"a slice needs at least 2 points, got {len(pts)}",
                                 field="points")
            n = len(pts[0])
            for i, p in enumerate(pts):
                if len(p) != len(pts[0]):
                    raise InputError(f"has {len(p)} coordinates, points[0] has {n}",
                                     field=f"points[{i}]")
                if dim is not None and len(p) != dim:
                    raise InputError(f"has {len(p)} coordinates, the network {dim} inputs",
                                     field=f"points[{i}]")
            m = to_fraction(margin, field="margin")
            if m < 0:
                raise InputError(f"must be at least 0, got {format_number(m)}",
                                 field="margin")
            k = len(pts) - 1
            dirs = tuple(tuple(a - b for a, b in zip(p, pts[0])) for p in pts[1:])
            if n < 1 or k > n or rank([list(u) for u in dirs]) < k:
                raise InputError(f"the {k + 1} points are affinely dependent: they do not "
                                 f"span a {k}-dimensional slice", field="points")
            A = [[-int(i == j) for j in range(k)] for i in range(k)] + [[1] * k]
            b = [m] * k + [1 + m]
            return cls(pts[0], dirs, Polytope.from_lists(A, b), pts)
        except InputError as e:
            raise _relocated(e, source) from None

    # ---- use ----------------------------------------------------------------------
    @property
    def dim(self):
        """The slice's dimension ``k`` (the number of coordinates ``t``)."""
        return len(self.directions)

    @property
    def ambient_dim(self):
        """The dimension ``n`` of the input space (the network's inputs)."""
        return len(self.origin)

    @property
    def matrix(self):
        """``U`` as ``n`` rows of ``k`` entries (the directions are its columns).

        >>> Slice.through([[0, 0, 0], [1, 2, 3], [0, 0, 1]]).matrix
        ((Fraction(1, 1), Fraction(0, 1)), (Fraction(2, 1), Fraction(0, 1)), (Fraction(3, 1), Fraction(1, 1)))
        """
        return tuple(zip(*self.directions))

    def embed(self, t):
        """The input point ``x = p0 + U t`` of slice coordinates ``t``, exactly.

        >>> Slice.through([[1, 1], [3, 1]]).embed(["1/2"])
        (Fraction(2, 1), Fraction(1, 1))
        """
        t = _vector(t, "t")
        if len(t) != self.dim:
            raise InputError(f"slice coordinates have {self.dim} entries, got {len(t)}",
                             field="t")
        return tuple(o + sum((tj * u[i] for tj, u in zip(t, self.directions)), Fraction(0))
                     for i, o in enumerate(self.origin))

    def coordinates(self, x):
        """The slice coordinates ``t`` of the point of the slice's plane nearest to ``x``
        (the orthogonal projection, exact: ``(UᵀU) t = Uᵀ (x − p0)``); for a point on the
        slice, ``embed(coordinates(x)) == x``. Pictures use it to draw data on a slice.

        >>> Slice.through([[0, 0, 0], [2, 0, 0], [0, 2, 0]]).coordinates([1, 1, 5])
        (Fraction(1, 2), Fraction(1, 2))
        """
        x = _vector(x, "x")
        if len(x) != self.ambient_dim:
            raise InputError(f"a point of the input has {self.ambient_dim} coordinates, got "
                             f"{len(x)}", field="x")
        U, k = self.directions, self.dim
        r = [xi - oi for xi, oi in zip(x, self.origin)]
        G = [[sum((a * b for a, b in zip(U[i], U[j])), Fraction(0)) for j in range(k)]
             for i in range(k)]
        rhs = [sum((a * b for a, b in zip(U[i], r)), Fraction(0)) for i in range(k)]
        for c in range(k):       # Gauss-Jordan on the Gram matrix (positive definite)
            for i in range(k):
                if i != c and G[i][c] != 0:
                    f = G[i][c] / G[c][c]
                    G[i] = [a - f * b for a, b in zip(G[i], G[c])]
                    rhs[i] -= f * rhs[c]
        return tuple(rhs[i] / G[i][i] for i in range(k))

    def compose(self, network):
        """The ``k``-input network ``g(t) = f(p0 + U t)``, exactly.

        Its first affine layer is ``(W_1 U, b_1 + W_1 p0)``; the other layers, the units and
        the notes are those of ``network``, with a note saying on which slice it is
        analysed. Built with the network's own class (``Network(weights, biases, units,
        notes)``), so nothing above this layer is imported.

        Raises
        ------
        InputError
            When the network's input dimension is not the slice's ``n``.

        Examples
        --------
        >>> from polytopo.network.model import Network
        >>> net = Network.from_lists([([[1, -1, 2]], [1]), ([[1]], [0])])
        >>> s = Slice.through([[0, 0, 0], [1, 0, 0], [0, 0, 1]])
        >>> g = s.compose(net)
        >>> g.weights[0], g.biases[0]
        (((Fraction(1, 1), Fraction(2, 1)),), (Fraction(1, 1),))
        >>> g.forward([1, 1]) == net.forward(s.embed([1, 1]))
        True
        >>> g.notes[-1]
        'analysed on a 2-dimensional slice x = p0 + U t of its 3-dimensional input (coordinates t)'
        """
        for attr in ("weights", "biases", "units", "notes", "input_dim"):
            if not hasattr(network, attr):
                raise TypeError(f"network must be a Network, got {type(network).__name__}")
        if network.input_dim != self.ambient_dim:
            raise InputError(f"the slice lies in {self.ambient_dim} dimensions, the network "
                             f"has {network.input_dim} inputs")
        W, b = network.weights[0], network.biases[0]
        cols = self.directions
        W1 = tuple(tuple(sum((wi * ui for wi, ui in zip(w, u) if wi and ui), Fraction(0))
                         for u in cols) for w in W)
        b1 = tuple(bi + sum((wi * pi for wi, pi in zip(w, self.origin) if wi and pi),
                            Fraction(0)) for w, bi in zip(W, b))
        note = (f"analysed on a {self.dim}-dimensional slice x = p0 + U t of its "
                f"{self.ambient_dim}-dimensional input (coordinates t)")
        return type(network)((W1,) + tuple(network.weights[1:]),
                             (b1,) + tuple(network.biases[1:]),
                             network.units, tuple(network.notes) + (note,))

    def to_json(self):
        """The slice domain file ``{"origin", "directions", "A", "b"}``, plus ``"through"``
        (the spanning points) when it was spanned by points; every number exact
        (an ``int``, or a string ``"p/q"``).

        >>> Slice.through([[0, "1/2"], [1, 0]]).to_json()
        {'origin': [0, '1/2'], 'directions': [[1, '-1/2']], 'A': [[-1], [1]], 'b': [0, 1], 'through': [[0, '1/2'], [1, 0]]}
        """
        out = {"origin": [format_number(x) for x in self.origin],
               "directions": [[format_number(x) for x in u] for u in self.directions],
               **self.polytope.to_json()}
        if self.through_points is not None:
            out["through"] = [[format_number(x) for x in p] for p in self.through_points]
        return out

    def report_fields(self):
        """What a report, a regions file or a reference file computed on the slice adds:
        ``{"coordinates": "slice", "slice": self.to_json()}``.

        >>> sorted(Slice.through([[0], [1]]).report_fields())
        ['coordinates', 'slice']
        """
        return {"coordinates": "slice", "slice": self.to_json()}

    def describe(self):
        """One line for a human summary.

        >>> Slice.through([[0, 0, 0], [1, 0, 0], [0, 1, 0]]).describe()
        'a 2-dimensional slice through 3 points of the 3-dimensional input (coordinates t; x = p0 + U t)'
        """
        how = (f"through {len(self.through_points)} points" if self.through_points is not None
               else "x = p0 + U t")
        tail = "coordinates t; x = p0 + U t" if self.through_points is not None \
            else "coordinates t"
        return (f"a {self.dim}-dimensional slice {how} of the {self.ambient_dim}-dimensional "
                f"input ({tail})")
