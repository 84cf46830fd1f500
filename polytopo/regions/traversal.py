"""Activation regions by layer-wise hyperplane-arrangement traversal with exact LPs.

This is the reference enumeration: simple, exact, and independent of the cell-complex
engine, which must agree with it on every case.
"""

__all__ = ["Region", "LazyMaps", "regions", "iter_regions", "brute_force_patterns"]

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from ..runtime import checks as v
from ..geometry import lp
from ..exceptions import InputError, LimitExceeded
from ..network.model import Network, check_network
from ..network.units import Max
from ..geometry.polytope import Polytope, check_domain
from ..runtime.progress import Deadline


@dataclass(frozen=True)
class Region:
    """An activation region: a full-dimensional cell of the canonical polyhedral complex.

    Regions compare by value (``==`` and ``hash``): equal when they have the same
    pattern, the same polytope (:class:`~polytopo.geometry.polytope.Polytope` equality:
    the same canonical inequalities), rank, volume and affine maps. The interior point
    is a witness, not part of the value: the LP traversal and the cell complex give
    equal regions with different interior points.

    Attributes
    ----------
    pattern : str
        One character per hidden neuron (layer-major): ``+`` / ``-`` the sign of its
        pre-activation on the interior, ``0`` when the neuron is identically zero there.
    interior_point : tuple of Fraction
        An exact point of the interior; the network's pattern there is ``pattern``.
    polytope : Polytope
        Irredundant, canonical H-representation of the closed region.
    rank : int
        Rank of the Jacobian of ``x ↦ h_L(x)`` (last hidden layer) on the region.
    volume : Fraction or None
        Exact volume (``None`` if volumes were not asked for).
    maps : tuple or LazyMaps
        ``((M_1, c_1), …, (M_L, c_L))``: the exact affine maps ``h_l(x) = M_l x + c_l``
        of every hidden layer's post-ReLU representation, and of the output last. Regions
        read off the cell complex compute them when first read (:class:`LazyMaps`, equal
        to the tuple).
    """

    pattern: str
    interior_point: tuple = field(compare=False)
    polytope: Polytope = field(repr=False)
    rank: int
    volume: Fraction | None
    maps: tuple = field(repr=False)

    @classmethod
    def from_fields(cls, pattern, interior_point, polytope, rank, volume, maps):
        """A region from its fields, as ``Region(...)`` makes it (equal, same hash and
        repr, frozen), without the frozen dataclass's per-field ``setattr``: for code that
        makes thousands at once (the read-out of the regions off a cell complex).

        Examples
        --------
        >>> Region.from_fields("+", (0,), None, 1, None, ()) == Region("+", (0,), None, 1, None, ())
        True
        """
        r = object.__new__(cls)
        r.__dict__.update(pattern=pattern, interior_point=interior_point, polytope=polytope,
                          rank=rank, volume=volume, maps=maps)
        return r

    def __repr__(self):
        return f"Region({self.pattern!r}, rank={self.rank}, volume={self.volume})"

    def to_json(self):
        from ..geometry.exact import format_number

        return {
            "pattern": self.pattern,
            "interior_point": [format_number(x) for x in self.interior_point],
            "inequalities": self.polytope.to_json(),
            "rank": self.rank,
            "volume": None if self.volume is None else format_number(self.volume),
        }


class LazyMaps(Sequence):
    """A region's affine maps, computed when first read: a sequence equal (``==``, and
    of the same hash) to the tuple of maps ``factory()`` returns.

    >>> m = LazyMaps(lambda: ((((1,),), (0,)),))
    >>> m == ((((1,),), (0,)),), len(m), m[-1]
    (True, 1, (((1,),), (0,)))
    """

    __slots__ = ("_factory", "_value")

    def __init__(self, factory):
        self._factory, self._value = factory, None

    def _get(self):
        if self._value is None:
            self._value = tuple(self._factory())
            self._factory = None
        return self._value

    def __getitem__(self, i):
        return self._get()[i]

    def __len__(self):
        return len(self._get())

    def __iter__(self):
        return iter(self._get())

    def __eq__(self, other):
        if isinstance(other, LazyMaps):
            other = other._get()
        return self._get() == other if isinstance(other, tuple) else NotImplemented

    def __hash__(self):
        return hash(self._get())

    def __repr__(self):
        return repr(self._get())

    def __reduce__(self):   # pickles as the tuple
        return (tuple, (self._get(),))


def _sign_char(v):
    return "+" if v > 0 else "-" if v < 0 else "0"


def _layer_of(network, prefix):
    """The hidden layer (from 0) refined after ``prefix``, which covers whole layers."""
    pos = 0
    for li, n in enumerate(network.sign_counts):
        if pos == len(prefix):
            return li
        pos += n
    return len(network.sign_counts)


def _splitters(network, li, M, c):
    """The pattern functions of hidden layer ``li`` (from 0) on a cell where its
    pre-activations are ``M x + c``: ``("cut", m, c0)`` for one sign of ``m x + c0`` (a
    breakpoint of a scalar unit) and ``("max", rows)`` for the signs of a max unit."""
    if network.is_relu:
        return [("cut", m, c0) for m, c0 in zip(M, c)]
    out, row = [], 0
    for u in network.units[li]:
        if isinstance(u, Max):
            out.append(("max", [(M[row + i], c[row + i]) for i in range(u.size)]))
        else:
            out.extend(("cut", M[row], c[row] - t) for t in u.breakpoints)
        row += u.n_inputs
    return out


def _cut(cell, m, c0):
    """The children of ``cell = (signs, A, b, point)`` on the two sides of ``m x + c0``."""
    signs, sA, sb, p = cell
    if not any(m):
        return [(signs + _sign_char(c0), sA, sb, p)]
    val = sum((x * y for x, y in zip(m, p)), c0)
    children = []
    for side, row, rhs in (("+", tuple(-x for x in m), c0), ("-", m, -c0)):
        if (val > 0 and side == "+") or (val < 0 and side == "-"):
            q = p
        else:
            q = lp.interior_point(sA + (row,), sb + (rhs,))
            if q is None:
                continue
        children.append((signs + side, sA + (row,), sb + (rhs,), q))
    if len(children) == 1:  # the hyperplane misses the interior: no inequality needed
        s, _, _, q = children[0]
        children = [(s, sA, sb, q)]
    return children


def _max_split(cell, pieces):
    """The children of ``cell`` by the argmax of a max unit with affine ``pieces``.

    Pieces equal as affine functions tie on the whole cell: they form one candidate, and
    their signs are ``0`` where the candidate is the maximum. A candidate's child is the
    part of the cell where it is at least every other piece, kept when it has interior.
    """
    signs, sA, sb, p = cell
    groups = {}
    for i, piece in enumerate(pieces):
        groups.setdefault(piece, []).append(i)
    reps = list(groups)
    children = []
    for g in reps:
        rows, rhs, ok = [], [], True
        for h in reps:
            if h is g:
                continue
            dm = tuple(a - b for a, b in zip(g[0], h[0]))
            dc = g[1] - h[1]
            if not any(dm):
                ok = ok and dc > 0
                continue
            rows.append(tuple(-x for x in dm))   # g - h >= 0
            rhs.append(dc)
        if not ok:
            continue
        strict = all(sum((a * x for a, x in zip(r, p)), Fraction(0)) < b
                     for r, b in zip(rows, rhs))
        q = p if strict else lp.interior_point(sA + tuple(rows), sb + tuple(rhs))
        if q is None:
            continue
        mark = "+" if len(groups[g]) == 1 else "0"
        s = "".join(mark if i in groups[g] else "-" for i in range(len(pieces)))
        children.append((signs + s, sA + tuple(rows), sb + tuple(rhs), q))
    if len(children) == 1:
        s, _, _, q = children[0]
        children = [(s, sA, sb, q)]
    return children


def _split_cell(network, cell, max_regions=None, check=None):
    """Refine one region of layers ``1..l`` by the pattern functions of layer ``l+1``.

    ``cell`` is ``(prefix, A, b, point)``; returns the list of children with non-empty
    interior, each with an exact interior point. LPs are solved only where the
    parent's interior point cannot decide a side. The pieces only multiply, so more than
    ``max_regions`` of them at any step is :class:`LimitExceeded` at once (a first layer
    in 64 dimensions could otherwise run for hours before the count is seen); ``check``
    (a deadline check) runs between cuts.
    """
    prefix, A, b, point = cell
    M, c = network.preactivation_maps(prefix)
    subcells = [("", A, b, point)]
    for split in _splitters(network, _layer_of(network, prefix), M, c):
        nxt = []
        for sub in subcells:
            nxt.extend(_cut(sub, split[1], split[2]) if split[0] == "cut"
                       else _max_split(sub, split[1]))
            if check is not None:
                check()
            if max_regions is not None and len(nxt) > max_regions:
                raise LimitExceeded(f"more than {max_regions} regions in hidden layer "
                                    f"{_layer_of(network, prefix) + 1}")
        subcells = nxt
    return [(prefix + s, sA, sb, p) for s, sA, sb, p in subcells]


def _finish(network, cell, volumes, layer):
    prefix, A, b, point = cell
    P = Polytope(A, b).irredundant()
    maps = tuple(network.affine_maps(prefix))
    from ..geometry.exact import rank

    r = rank(maps[layer - 1][0]) if network.widths else network.input_dim
    return Region(prefix, point, P, r, P.volume() if volumes else None, maps)


def regions(network: Network, domain: Polytope, *, volumes=True, executor=None,
            max_regions=None, progress=None, layer=None, time_limit=None):
    """All activation regions of ``network`` on ``domain``, exactly, in canonical order.

    Parameters
    ----------
    network : Network
    domain : Polytope
        A bounded, full-dimensional polytope (see :meth:`Polytope.validated`).
    volumes : bool
        Compute exact volumes (the costliest part in higher dimension).
    executor : concurrent.futures.Executor, optional
        Regions of one layer are refined independently, as ``executor.map`` tasks;
        the result is identical with any executor.
    max_regions : int, optional
        Stop with :class:`LimitExceeded` when a layer has more regions than this.
    progress : callable, optional
        Called as ``progress(layer, n_cells)`` after each layer.
    layer : int, optional
        Hidden layer (from 1) whose map's rank is reported; default the last.
    time_limit : float, optional
        Seconds; past it, stop with :class:`LimitExceeded` (checked between cells when
        serial, between layers with an executor).

    Returns
    -------
    list of Region
        Sorted by pattern (``+`` < ``-`` < ``0``).

    Notes
    -----
    On a region of layers ``1..l`` the pre-activations of layer ``l+1`` are affine, so the
    region is cut by a hyperplane arrangement. Neurons are inserted one at a time; for each
    current cell the side containing its interior point needs no LP, the other side one
    exact LP (cddlib, GMP). A neuron that is constant on a cell takes the sign of its
    constant, ``0`` when it is identically zero. Cost: ``O(Σ_l N_l · n_{l+1})`` LPs with
    ``N_l`` the number of regions after layer ``l``.

    Examples
    --------
    >>> net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    >>> [r.pattern for r in regions(net, Polytope.cube(2))]
    ['++', '+-', '-+', '--']
    >>> sum(r.volume for r in regions(net, Polytope.cube(2)))
    Fraction(4, 1)
    """
    return list(iter_regions(network, domain, volumes=volumes, executor=executor,
                             max_regions=max_regions, progress=progress, layer=layer,
                             time_limit=time_limit))


def _split_and_finish(network, cell, volumes, layer, max_regions=None, check=None):
    children = [_finish(network, ch, volumes, layer)
                for ch in _split_cell(network, cell, max_regions, check)]
    return sorted(children, key=lambda r: r.pattern)


def iter_regions(network: Network, domain: Polytope, *, volumes=True, executor=None,
                 max_regions=None, progress=None, layer=None, time_limit=None):
    """Yield the regions of :func:`regions` one by one, in the same canonical order.

    Layers ``1..L-1`` are refined in memory; the regions of the last layer are produced
    parent by parent, so a caller can stream them to a file without holding them all.
    Parameters as in :func:`regions`.

    Examples
    --------
    >>> net = Network.from_lists([([[1]], [0]), ([[1]], [0])])
    >>> [r.pattern for r in iter_regions(net, Polytope.box([-1], [1]))]
    ['+', '-']
    """
    _check_arguments(network, domain, executor, max_regions, progress, layer, time_limit)
    return _iter_regions(network, domain, volumes=volumes, executor=executor,
                         max_regions=max_regions, progress=progress, layer=layer,
                         time_limit=time_limit)


def _check_arguments(network, domain, executor, max_regions, progress, layer, time_limit):
    """The checks of :func:`regions` (run when it is called, not when iteration starts)."""
    check_network(network)
    check_domain(domain, network.input_dim)
    v.check_executor(executor)
    v.check_positive_int("max_regions", max_regions)
    v.check_callable("progress", progress)
    v.check_time_limit(time_limit)
    if layer is not None or network.widths:
        network.check_layer(layer)


#: the highest input dimension in which exact region volumes are attempted (each needs
#: the vertices of a d-polytope: a d-cube has 2^d)
MAX_VOLUME_DIM = 14


def _iter_regions(network, domain, *, volumes, executor, max_regions, progress, layer,
                  time_limit):
    d = network.input_dim
    if volumes and d > MAX_VOLUME_DIM:
        raise LimitExceeded(f"exact volumes of regions in {d} dimensions are out of reach "
                            f"(a {d}-cube has 2^{d} vertices): pass --no-volumes, or analyse "
                            f"a low-dimensional slice (--through POINTS, docs/cli.md)")
    start = domain.irredundant()
    point = start.interior_point()
    if point is None:
        raise InputError("the domain has empty interior", field="domain")
    cells = [("", start.A, start.b, point)]
    n_layers = len(network.widths)
    layer = n_layers if layer is None else layer
    deadline = Deadline(time_limit)

    def mapper(func, *iterables):
        if executor is not None:
            return executor.map(func, *iterables, itertools.repeat(max_regions))
        return (deadline.check() or func(*args, max_regions, deadline.check)
                for args in zip(*iterables))

    def limit(count, li):
        if max_regions is not None and count > max_regions:
            raise LimitExceeded(f"more than {max_regions} regions after hidden layer {li}")

    for li in range(n_layers - 1):
        children, nxt = mapper(_split_cell, itertools.repeat(network), cells), []
        for group in children:  # the count so far bounds the layer's count from below
            nxt.extend(group)   # (stays in canonical order)
            limit(len(nxt), li + 1)
        cells = nxt
        deadline.check(f"after hidden layer {li + 1}")
        if progress is not None:
            progress(li + 1, len(cells))
        limit(len(cells), li + 1)
    if n_layers == 0:
        yield _finish(network, cells[0], volumes, layer)
        return
    count = 0
    for group in mapper(_split_and_finish, itertools.repeat(network), cells,
                        itertools.repeat(volumes), itertools.repeat(layer)):
        count += len(group)
        limit(count, n_layers)
        deadline.check(f"hidden layer {n_layers}")
        yield from group
    if progress is not None:
        progress(n_layers, count)


def brute_force_patterns(network: Network, domain: Polytope):
    """Patterns of all regions by trying every choice of pieces with one exact LP each.

    Every ReLU chooses a sign, every scalar unit one of its pieces, every max unit its
    maximal piece; each choice is one exact LP (strict inequalities), and the pattern
    reported is the network's pattern at the LP's interior point. Exponential in the
    number of units: an independent check for tests only.

    Examples
    --------
    >>> net = Network.from_lists([([[1], [1]], [0, -1]), ([[1, 1]], [0])])
    >>> brute_force_patterns(net, Polytope.box([-2], [2]))
    ['++', '+-', '--']
    """
    found = set()
    choices = []   # per hidden layer, per unit: the list of its pieces
    for layer in network.layer_units:
        choices.append([range(u.size) if isinstance(u, Max) else range(u.n_signs + 1)
                        for u in layer])
    flat = [c for layer in choices for c in layer]
    for pick in itertools.product(*flat):
        A, b = list(domain.A), list(domain.b)
        consistent, k, prefix = True, 0, ""
        for li, layer in enumerate(network.layer_units):
            M, c = network.preactivation_maps(prefix)
            row, signs = 0, []
            for u in layer:
                choice = pick[k]
                k += 1
                if isinstance(u, Max):
                    cons = [(tuple(a - e for a, e in zip(M[row + choice], M[row + j])),
                             c[row + choice] - c[row + j]) for j in range(u.size) if j != choice]
                    signs.append("".join("+" if j == choice else "-" for j in range(u.size)))
                else:   # piece `choice`: past the first `choice` breakpoints, before the rest
                    cons = [(M[row] if i < choice else tuple(-x for x in M[row]),
                             (c[row] - t) if i < choice else (t - c[row]))
                            for i, t in enumerate(u.breakpoints)]
                    signs.append("".join("+" if i < choice else "-"
                                         for i in range(u.n_signs)))
                for m, c0 in cons:   # m x + c0 > 0
                    if not any(m):   # constant: consistent when it is not negative
                        consistent = consistent and c0 >= 0
                        continue
                    A.append(tuple(-x for x in m))
                    b.append(c0)
                row += u.n_inputs
            prefix += "".join(signs)
            if not consistent:
                break
        q = lp.interior_point(A, b) if consistent else None
        if q is not None:
            found.add(network.pattern(q))
    return sorted(found)
