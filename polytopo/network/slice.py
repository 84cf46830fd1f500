"""Affine slices of the input space (docs/definitions.md: slices).

A slice is ``x = p0 + U t`` with ``t`` in a polytope ``P`` of slice coordinates: the plane
through three images, a window around them. The regions, complex and homology of a
network on a slice are those of the composed network ``t ↦ f(p0 + U t)`` on ``P``
(:meth:`Slice.compose`, exact: the slice is folded into the first affine layer), so a
784-input net on a 2-dimensional slice costs what a 2-input net costs.
"""

__all__ = ["Slice"]

from dataclasses import dataclass
from fractions import Fraction

from ..exceptions import InputError
from ..geometry.exact import format_number, rank, to_fraction
from ..geometry.polytope import Polytope


def _vector(values, field):
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise InputError("must be a list of numbers", field=field)
    out = []
    for i, v in enumerate(values):
        if hasattr(v, "item") and not isinstance(v, Fraction):   # numpy scalars
            v = v.item()
        out.append(to_fraction(v, field=f"{field}[{i}]"))
    return tuple(out)


@dataclass(frozen=True)
class Slice:
    """The slice ``x = origin + Σ_j t_j directions[j]``, ``t ∈ polytope`` (exact).

    Examples
    --------
    >>> s = Slice.through([[0, 0, 0], [2, 0, 0], [0, 2, 2]])
    >>> s.dim, s.ambient_dim, s.embed([Fraction(1, 2), Fraction(1, 4)])
    (2, 3, (Fraction(1, 1), Fraction(1, 2), Fraction(1, 2)))
    >>> s.polytope.volume()
    Fraction(1, 2)
    """

    origin: tuple
    directions: tuple
    polytope: Polytope
    through_points: tuple = None

    def __post_init__(self):
        n, k = len(self.origin), len(self.directions)
        if k < 1:
            raise InputError("a slice needs at least one direction", field="directions")
        if any(len(u) != n for u in self.directions):
            raise InputError(f"every direction must have {n} entries (the origin's)",
                             field="directions")
        if k > n:
            raise InputError(f"{k} directions in {n} dimensions", field="directions")
        if rank([list(u) for u in self.directions]) < k:
            raise InputError("the directions are linearly dependent (the points do not span "
                             "a slice of that dimension)", field="directions")
        if self.polytope.dim != k:
            raise InputError(f"the slice polytope is in dimension {self.polytope.dim}, the "
                             f"slice has {k} directions", field="A")

    # ---- construction -------------------------------------------------------------
    @classmethod
    def from_json(cls, obj, dim=None, *, source=None):
        """From ``{"origin": [...], "directions": [[...], ...], "A": [[...]], "b": [...]}``
        (``A t ≤ b`` in slice coordinates; directions are the columns of ``U``)."""
        try:
            if not isinstance(obj, dict) or not {"origin", "directions", "A", "b"} <= set(obj):
                raise InputError("a slice domain needs 'origin', 'directions', 'A' and 'b'")
            origin = _vector(obj["origin"], "origin")
            dirs = obj["directions"]
            if isinstance(dirs, (str, bytes)) or not hasattr(dirs, "__len__"):
                raise InputError("must be a list of directions", field="directions")
            dirs = tuple(_vector(u, f"directions[{j}]") for j, u in enumerate(dirs))
            if dim is not None and len(origin) != dim:
                raise InputError(f"the origin has {len(origin)} coordinates but the network "
                                 f"has {dim} inputs", field="origin")
            P = Polytope.from_lists(obj["A"], obj["b"], source=source).validated(source=source)
            return cls(origin, dirs, P)
        except InputError as e:
            if e.source is None:
                raise InputError(e.problem, source=source, field=e.field) from None
            raise

    @classmethod
    def through(cls, points, margin=0, *, source=None):
        """The simplex spanned by ``k + 1`` affinely independent points: origin the first,
        directions the others minus it, ``P = {t : t_j ≥ −margin, Σ t_j ≤ 1 + margin}``
        (``margin = 0``: the points' convex hull; a margin widens it on every side).

        Examples
        --------
        >>> s = Slice.through([[0, 0], [1, 0], [0, 1]], margin=1)
        >>> s.polytope.volume()
        Fraction(8, 1)
        """
        try:
            if isinstance(points, (str, bytes)) or not hasattr(points, "__len__"):
                raise InputError("points must be a list of points", field="points")
            pts = [_vector(p, f"points[{i}]") for i, p in enumerate(points)]
            if len(pts) < 2:
                raise InputError("a slice needs at least 2 points", field="points")
            n = len(pts[0])
            if any(len(p) != n for p in pts):
                raise InputError("the points have different numbers of coordinates",
                                 field="points")
            m = to_fraction(margin, field="margin")
            if m < 0:
                raise InputError(f"the margin must be at least 0, got {m}", field="margin")
            k = len(pts) - 1
            dirs = tuple(tuple(a - b for a, b in zip(p, pts[0])) for p in pts[1:])
            if k > n or rank([list(u) for u in dirs]) < k:
                raise InputError(f"the {k + 1} points are affinely dependent: they do not "
                                 f"span a {k}-dimensional slice", field="points")
            A = [[-int(i == j) for j in range(k)] for i in range(k)] + [[1] * k]
            b = [m] * k + [1 + m]
            return cls(pts[0], dirs, Polytope.from_lists(A, b), tuple(pts))
        except InputError as e:
            if e.source is None:
                raise InputError(e.problem, source=source, field=e.field) from None
            raise

    # ---- use ----------------------------------------------------------------------
    @property
    def dim(self):
        """The slice's dimension ``k`` (its coordinates ``t``)."""
        return len(self.directions)

    @property
    def ambient_dim(self):
        """The input dimension ``n`` of the network."""
        return len(self.origin)

    def embed(self, t):
        """The input point ``origin + U t`` of slice coordinates ``t`` (exact)."""
        t = _vector(t, "t")
        if len(t) != self.dim:
            raise InputError(f"slice coordinates have {self.dim} entries, got {len(t)}")
        return tuple(o + sum((tj * u[i] for tj, u in zip(t, self.directions)), Fraction(0))
                     for i, o in enumerate(self.origin))

    def compose(self, network):
        """The network ``t ↦ f(origin + U t)``: the first layer ``(W U, W origin + b)``,
        everything else as it is, and a note saying so.

        Examples
        --------
        >>> from polytopo.network.model import Network
        >>> net = Network.from_lists([([[1, -1, 2]], [1]), ([[1]], [0])])
        >>> s = Slice.through([[0, 0, 0], [1, 0, 0], [0, 0, 1]])
        >>> g = s.compose(net)
        >>> g.weights[0], g.biases[0], g.forward([1, 1]) == net.forward(s.embed([1, 1]))
        (((Fraction(1, 1), Fraction(2, 1)),), (Fraction(1, 1),), True)
        """
        from .model import Network, check_network

        check_network(network)
        if network.input_dim != self.ambient_dim:
            raise InputError(f"the slice lives in dimension {self.ambient_dim} but the network "
                             f"has {network.input_dim} inputs")
        W, b = network.weights[0], network.biases[0]
        W1 = tuple(tuple(sum((w[i] * u[i] for i in range(len(w))), Fraction(0))
                         for u in self.directions) for w in W)
        b1 = tuple(bi + sum((w[i] * self.origin[i] for i in range(len(w))), Fraction(0))
                   for w, bi in zip(W, b))
        note = (f"analysed on a {self.dim}-dimensional slice x = p0 + U t of its "
                f"{self.ambient_dim}-dimensional input (coordinates t)")
        return Network((W1,) + tuple(network.weights[1:]), (b1,) + tuple(network.biases[1:]),
                       network.units, tuple(network.notes) + (note,))

    def to_json(self):
        """``{"origin", "directions", "A", "b"}`` (a slice domain file), plus
        ``"through"`` when the slice was spanned by points; exact numbers."""
        out = {"origin": [format_number(x) for x in self.origin],
               "directions": [[format_number(x) for x in u] for u in self.directions],
               **self.polytope.to_json()}
        if self.through_points is not None:
            out["through"] = [[format_number(x) for x in p] for p in self.through_points]
        return out

    def describe(self):
        """One line for a summary."""
        how = (f"through {len(self.through_points)} points" if self.through_points is not None
               else f"from origin {self.ambient_dim}-vector p0")
        return (f"a {self.dim}-dimensional slice {how} of the {self.ambient_dim}-dimensional "
                f"input: coordinates t, x = p0 + U t")
