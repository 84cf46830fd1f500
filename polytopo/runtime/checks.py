"""Argument checks shared by the public functions: a one-line error at the entry, not a crash deep inside.

Wrong Python types raise :class:`TypeError`; values of the right type that make no sense
(out of range, wrong dimension, a limit that is NaN or not positive) raise
:class:`~polytopo.exceptions.InputError`. Every message is one line, phrased like the
command line's (``max_regions must be a positive integer, got 0``).
"""

__all__ = ["IndexInputError", "show", "check_network", "check_polytope", "check_domain",
           "check_complex", "check_positive_int", "check_nonnegative_int", "check_time_limit",
           "check_executor", "check_callable", "check_layer", "check_index", "check_manifold",
           "check_vertices_in", "check_subcomplex", "check_cell", "check_graph"]

import math
import numbers

from ..exceptions import InputError, PointlessQuestion


class IndexInputError(InputError, IndexError):
    """An index out of range: an :class:`InputError` that is also an :class:`IndexError`."""


def _kind(value):
    return type(value).__name__


def show(value, limit=60):
    """A one-line, short ``repr`` of ``value`` for an error message.

    >>> import numpy as np
    >>> show(np.zeros((2, 2)))
    'array([[0., 0.], [0., 0.]])'
    """
    text = " ".join(repr(value).split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_network(network, name="network"):
    """``network`` itself, after checking it is a :class:`~polytopo.network.Network`.

    >>> check_network("net.json")
    Traceback (most recent call last):
    ...
    TypeError: network must be a Network, got str
    """
    from ..network.model import Network

    if not isinstance(network, Network):
        raise TypeError(f"{name} must be a Network, got {_kind(network)}")
    return network


def check_polytope(polytope, name="domain"):
    """``polytope`` after checking it is a :class:`~polytopo.geometry.polytope.Polytope` with exact data.

    Checks the structure only (rows of equal length, one right-hand side per row, exact
    rational entries), not that the set is bounded or full-dimensional.

    >>> from polytopo.geometry.polytope import Polytope
    >>> check_polytope(Polytope(((1.5,),), (1,)))
    Traceback (most recent call last):
    ...
    TypeError: domain entries must be exact (int or Fraction), got float; build it with Polytope.from_lists
    """
    from ..geometry.polytope import Polytope

    if not isinstance(polytope, Polytope):
        raise TypeError(f"{name} must be a Polytope, got {_kind(polytope)}")
    A, b = polytope.A, polytope.b
    if not isinstance(A, (tuple, list)) or not isinstance(b, (tuple, list)):
        raise TypeError(f"{name}: A and b must be sequences, got {_kind(A)} and {_kind(b)}")
    if not A or not all(isinstance(r, (tuple, list)) for r in A):
        raise InputError(f"{name}: A must be a non-empty list of rows")
    d = len(A[0])
    if d == 0 or any(len(r) != d for r in A):
        raise InputError(f"{name}: the rows of A must have the same, positive, length")
    if len(A) != len(b):
        raise InputError(f"{name}: A has {len(A)} rows but b has {len(b)} entries")
    for x in (x for r in A for x in r):
        if not isinstance(x, numbers.Rational) or isinstance(x, bool):
            raise TypeError(f"{name} entries must be exact (int or Fraction), got {_kind(x)}; "
                            f"build it with Polytope.from_lists")
    for x in b:
        if not isinstance(x, numbers.Rational) or isinstance(x, bool):
            raise TypeError(f"{name} entries must be exact (int or Fraction), got {_kind(x)}; "
                            f"build it with Polytope.from_lists")
    return polytope


def check_domain(domain, dim, *, name="domain", optional=False, validate=True):
    """A domain for a network with ``dim`` inputs: a polytope in ``R^dim`` (``None`` if optional).

    With ``validate`` the polytope must also be bounded and full-dimensional.

    >>> from polytopo.geometry.polytope import Polytope
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


def check_complex(complex, name="complex"):
    """``complex`` after checking it is a :class:`~polytopo.complex.CellComplex`."""
    from ..complex.cells import CellComplex

    if not isinstance(complex, CellComplex):
        raise TypeError(f"{name} must be a CellComplex, got {_kind(complex)}")
    return complex


def check_positive_int(name, value, *, optional=True):
    """``value`` as an ``int`` ≥ 1 (``None`` allowed when ``optional``); booleans are refused.

    >>> check_positive_int("max_regions", 0)
    Traceback (most recent call last):
    ...
    polytopo.exceptions.InputError: max_regions must be a positive integer, got 0
    """
    return _check_int(name, value, 1, "a positive integer", optional)


def check_nonnegative_int(name, value, *, optional=True):
    """``value`` as an ``int`` ≥ 0 (``None`` allowed when ``optional``); booleans are refused."""
    return _check_int(name, value, 0, "a non-negative integer", optional)


def _check_int(name, value, minimum, what, optional):
    if value is None and optional:
        return None
    if not _is_int(value):
        raise TypeError(f"{name} must be {what}, got {_kind(value)} {show(value)}")
    if value < minimum:
        raise InputError(f"{name} must be {what}, got {show(value)}")
    return int(value)


def check_time_limit(value, name="time_limit"):
    """``value`` as a positive finite number of seconds, or ``None`` (no limit).

    >>> check_time_limit(float("nan"))
    Traceback (most recent call last):
    ...
    polytopo.exceptions.InputError: time_limit must be a positive finite number of seconds, got nan
    """
    if value is None:
        return None
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"{name} must be a number of seconds, got {_kind(value)} {show(value)}")
    if not math.isfinite(value) or value <= 0:
        raise InputError(f"{name} must be a positive finite number of seconds, got {show(value)}")
    return value


def check_executor(executor, name="executor"):
    """``executor`` after checking it is ``None`` or has ``.submit`` (a concurrent.futures executor)."""
    if executor is not None and not callable(getattr(executor, "submit", None)):
        raise TypeError(f"{name} must be a concurrent.futures executor (with .submit), "
                        f"got {_kind(executor)}")
    return executor


def check_callable(name, value):
    """``value`` after checking it is ``None`` or callable (a progress callback)."""
    if value is not None and not callable(value):
        raise TypeError(f"{name} must be callable, got {_kind(value)}")
    return value


def check_layer(network, layer):
    """A hidden layer of ``network`` counted from 1 (default ``None``: the last).

    Raises
    ------
    PointlessQuestion
        If the network has no hidden layer.
    TypeError
        For a layer that is not an integer (or is a boolean).
    InputError
        For a layer out of range.

    >>> from polytopo.network import Network
    >>> check_layer(Network.from_lists([([[1]], [0]), ([[1]], [0])]), 2)
    Traceback (most recent call last):
    ...
    polytopo.exceptions.InputError: layer: layer must be a hidden layer between 1 and 1, got 2
    """
    n_layers = len(network.widths)
    if n_layers == 0:
        raise PointlessQuestion("the network has no hidden layer: no layer map to take the "
                                "rank of")
    if layer is None:
        return n_layers
    if not _is_int(layer):
        raise TypeError(f"layer must be a hidden layer between 1 and {n_layers}, got "
                        f"{_kind(layer)} {show(layer)}")
    if not 1 <= layer <= n_layers:
        raise InputError(f"layer must be a hidden layer between 1 and {n_layers}, got "
                         f"{show(layer)}", field="layer")
    return int(layer)


def check_index(i, n, what):
    """``i`` as an ``int`` with ``0 ≤ i < n``; ``what`` names the kind of thing indexed.

    >>> check_index(5, 2, "top cell")
    Traceback (most recent call last):
    ...
    polytopo.runtime.checks.IndexInputError: no top cell 5: there are 2
    """
    if not _is_int(i):
        raise TypeError(f"a {what} index must be an integer, got {_kind(i)} {show(i)}")
    if not 0 <= i < n:
        raise IndexInputError(f"no {what} {i}: there are {n}")
    return int(i)


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

    >>> from polytopo.geometry.polytope import Polytope
    >>> check_manifold([Polytope.cube(2), Polytope.cube(2, 5, 6)], 2, Polytope.cube(2))
    Traceback (most recent call last):
    ...
    polytopo.exceptions.InputError: manifold[1]: piece is not inside the domain
    """
    if manifold is None:
        return None
    from ..geometry.polytope import Polytope

    if isinstance(manifold, (str, bytes, dict, Polytope)) or not hasattr(manifold, "__iter__"):
        raise TypeError(f"{name} must be a list of Polytope, got {_kind(manifold)}")
    pieces = list(manifold)
    if not pieces:
        return None
    for i, P in enumerate(pieces):
        where = f"{name}[{i}]"
        if not isinstance(P, Polytope):
            raise TypeError(f"{where} must be a Polytope, got {_kind(P)}")
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
    domain exactly when its vertices are vertices of the complex)."""
    known = set(points)
    for i, P in enumerate(pieces):
        if not all(v in known for v in P.vertices()):
            raise InputError("piece is not inside the domain", field=f"{name}[{i}]")


def check_subcomplex(name, subcomplex, dim):
    """The shape of a subcomplex argument: at most ``dim + 1`` collections of cell indices
    (which cells, and whether they are closed under faces, the chain complex checks)."""
    from collections.abc import Mapping

    def collection(x):
        return not isinstance(x, (str, bytes, Mapping)) and hasattr(x, "__iter__")

    if not collection(subcomplex) or not hasattr(subcomplex, "__len__"):
        raise TypeError(f"{name} must be a list of collections of cell indices (one per "
                        f"dimension), got {_kind(subcomplex)}")
    if len(subcomplex) > dim + 1:
        raise InputError(f"{name} has {len(subcomplex)} dimensions, the complex {dim + 1}")
    for k, cells in enumerate(subcomplex):
        if not collection(cells):
            raise TypeError(f"{name}[{k}] must be a collection of cell indices, got "
                            f"{_kind(cells)}")
    return subcomplex


def check_cell(complex, cell):
    """``cell`` as a ``(dimension, index)`` pair of ``complex`` (InputError otherwise)."""
    check_complex(complex)
    complex.vertices_of(cell)  # raises InputError for a malformed or missing cell
    k, i = cell
    return int(k), int(i)


def check_graph(graph, name="graph"):
    """``graph`` after checking it is a networkx graph."""
    if not all(hasattr(graph, a) for a in ("nodes", "edges", "adj")):
        raise TypeError(f"{name} must be a networkx graph, got {_kind(graph)}")
    return graph
