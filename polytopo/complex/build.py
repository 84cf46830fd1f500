"""Building the canonical complex of a network (:func:`canonical_complex`) and reading its
activation regions off it (:func:`activation_regions`, :func:`regions_from_complex`)."""

import functools
from fractions import Fraction

import numpy as np

from . import plan as _plan
from . import labels as _labels
from . import state as _finished
from ..runtime import checks as _validate
from ..exceptions import InputError, PointlessQuestion
from ..geometry.polytope import Polytope, check_domain
from ..network.model import check_network
from .cells import CellComplex, check_complex
from .engine import no_gc


def canonical_complex(network, domain=None, *, output=False, progress=None, max_regions=None,
                      executor=None, workers=None):
    """The canonical polyhedral complex ``C(f, D)`` of a ReLU network on a polytope.

    Its cells are the closures of the non-empty sets of points of ``D`` sharing one sign
    vector (of every hidden neuron's pre-activation) and one face of ``D``
    (``docs/definitions.md``). It
    is the face complex of ``D`` refined by the hidden neurons one at a time, layer by
    layer: each neuron is affine on every cell once the earlier layers are inserted.

    Parameters
    ----------
    network : Network
    domain : Polytope, optional
        A bounded, full-dimensional polytope; default the cube ``[-1, 1]^d``.
    output : bool
        Also refine by the sign of the (scalar) output, so that the decision sets are
        subcomplexes (:meth:`CellComplex.decision_subcomplex`).
    progress : callable, optional
        Called as ``progress(n_inserted, n_total, n_regions)`` after each neuron.
    max_regions : int, optional
        Stop with :class:`LimitExceeded` as soon as there are more top cells than this.
    executor : concurrent.futures.Executor, optional
        Refine the regions of the first neurons' complex in tasks on this executor: a
        ``ThreadPoolExecutor``, a ``ProcessPoolExecutor``, or a Dask cluster's
        ``distributed.Client(...).get_executor()``. The result is identical (same cells,
        canonical order, labels and incidences) to the serial build. With an executor,
        ``progress`` is called as tasks finish (``n_inserted`` is then an estimate) and
        ``max_regions`` is checked against a lower bound on the count as they arrive.
    workers : int, optional
        The executor's number of workers, to cut the work into about four tasks per
        worker (default: the executor's ``max_workers`` attribute if it has one, else 16
        tasks). Only the speed depends on it, never the result.

    Returns
    -------
    CellComplex
        Labels over the hidden neurons, layer-major (then the output, if asked).

    Raises
    ------
    InputError
        If the domain's dimension is not the network's input dimension, or the domain
        is not a bounded full-dimensional polytope.
    PointlessQuestion
        If ``output=True`` and the output is not scalar.
    LimitExceeded
        Past ``max_regions``.

    Examples
    --------
    >>> from polytopo.network import Network
    >>> net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    >>> C = canonical_complex(net, Polytope.cube(2))
    >>> C.f_vector(), [r.pattern for r in C.regions()]
    ([9, 12, 4], ['++', '+-', '-+', '--'])

    Notes
    -----
    Exact incremental refinement (edge subdivision as in Berzins, *Polyhedral complex
    extraction from ReLU networks using edge subdivision*, ICML 2023, here exact and
    over faces of every dimension). Vertices are stored in integer homogeneous
    coordinates ``(X, w)``, ``x = X / w``, together with the pre-activations of the
    current layer, scaled to integers by a positive factor; a new vertex on an edge
    ``(u, v)`` with values ``g_u > 0 > g_v`` is ``g_u V − g_v U`` (and likewise its
    pre-activations), so no pre-activation is ever recomputed and no LP is solved.
    A cell with vertices of both strict signs is split into ``c+``, ``c0``, ``c−``
    bottom-up by dimension; the cells to look at are found from the split edges and
    the zero vertices through cofacet lists. Vertices where the neuron is exactly zero
    lie on its zero set: degenerate arrangements are handled exactly. Cost per neuron:
    linear in the numbers of vertices and edges, plus the cells around its zero set.
    Vertex coordinates and pre-activations live in numpy ``int64`` arrays while every
    entry is below ``2**62`` and every product is checked to fit, in Python integers
    otherwise; results never depend on which representation ran.

    With an ``executor``: the first neurons are inserted serially until there are a few
    regions per task; the regions are grouped into nearby batches, and each task refines
    the closure of its batch (a small complex carrying its labels so far) by all the
    remaining neurons. The pieces are glued by exact identity: a face shared by two
    batches is subdivided identically from both sides (the complex restricted to a cell
    depends only on the cell), so its vertices are matched by exact coordinates and its
    cells by their facets. The glued complex is then put in canonical order.
    """
    check_network(network)
    d = network.input_dim
    # the build checks that the domain is bounded and full-dimensional
    check_domain(domain, d, optional=True, validate=False)
    _validate.check_callable("progress", progress)
    max_regions = _validate.check_positive_int("max_regions", max_regions)
    _validate.check_executor(executor)
    workers = _validate.check_positive_int("workers", workers)
    check_enumerable(domain, d)
    if domain is None:
        start = CellComplex.from_box([-1] * d, [1] * d)
    else:
        start = domain_complex(domain)
    if not isinstance(output, (bool, np.bool_)):
        raise TypeError(f"output must be True or False, got {type(output).__name__}")
    if output and network.output_dim != 1:
        raise PointlessQuestion(f"decision sets need a scalar output, the network has "
                                f"{network.output_dim} outputs")
    plan = _plan.neuron_plan(network, output)
    with no_gc():
        if executor is None:
            state = _build(network, start.engine_state(), plan, progress, max_regions)
        else:
            from .parallel import build_parallel

            state = build_parallel(network, start.engine_state(), plan, executor, progress,
                                   max_regions, workers=workers)
    if _plan.has_max_units(network):
        from .coarsen import coarsen

        state = coarsen(state, _domain_rows(domain, d))
    return CellComplex(_state=state)


#: the most faces the domain's own face complex may have (the complex starts from it)
MAX_DOMAIN_FACES = 10 ** 7


def check_enumerable(domain, d):
    """Stop at once with :class:`LimitExceeded` when the face complex of the domain alone
    is beyond reach: a ``d``-dimensional box has ``3^d`` faces, any ``d``-polytope at least
    ``2^(d+1) − 1`` (the simplex), and the canonical complex refines it. The way out is a
    low-dimensional slice through the data (docs/cli.md).

    Examples
    --------
    >>> check_enumerable(None, 64)
    Traceback (most recent call last):
    ...
    polytopo.exceptions.LimitExceeded: the domain alone, a 64-dimensional box, has 3^64 faces ...
    """
    from ..exceptions import LimitExceeded

    box = domain is None or _is_box(domain)
    n, what = (3 ** d, f"3^{d}") if box else (2 ** (d + 1) - 1, f"at least 2^{d + 1} - 1")
    if n > MAX_DOMAIN_FACES:
        kind = "box" if box else "polytope"
        raise LimitExceeded(f"the domain alone, a {d}-dimensional {kind}, has {what} faces "
                            f"(more than {MAX_DOMAIN_FACES}): the complex of the full input "
                            f"space is out of reach; analyse a low-dimensional slice through "
                            f"the data (--through POINTS, docs/cli.md)")


def _is_box(domain):
    rows = [[x for x in row if x != 0] for row in domain.A]
    return all(len(r) == 1 for r in rows)


def _domain_rows(domain, d):
    """The domain's inequalities ``a·x <= c`` in integers (default ``[-1, 1]^d``)."""
    import math

    if domain is None:
        return [(tuple(s * int(i == j) for j in range(d)), 1) for i in range(d) for s in (1, -1)]
    out = []
    for a, c in zip(domain.A, domain.b):
        m = math.lcm(*(Fraction(x).denominator for x in list(a) + [c]))
        out.append((tuple(int(Fraction(x) * m) for x in a), int(Fraction(c) * m)))
    return out


def _build(network, start, plan, progress, max_regions):
    """The serial build: every function of ``plan`` inserted into the whole complex."""
    d = start.d
    builder = _finished.builder_from_state(start, len(plan))
    layers = _plan.unit_program(network)
    total = len(plan)

    step = _plan.step_reporter(builder, total, progress, max_regions,
                               "neurons" if network.is_relu else "functions")
    _plan.run_plan(builder, layers, plan, 0, total, step)
    funcs = [desc for _, _, desc in plan]
    if _plan.has_max_units(network):   # coarsen reads the cells in any order
        nv = builder.nv
        fp, fi = [None], [None]
        for k in range(1, d + 1):
            p, i = _finished.csr(builder.fac[k])
            fp.append(p)
            fi.append(i)
        L = np.ascontiguousarray(builder.L[:nv, :_labels.n_label_bytes(builder.nf)])
        return _finished.State(d, builder.M[:nv, :d + 1], [L], fp, fi, funcs, network)
    # the engine keeps its rows primitive (values.interpolate)
    return _finished.finalize(d, builder.M[:builder.nv, :d + 1], builder.L[:builder.nv],
                              builder.fac, builder.nf, funcs, network, reduced=True)


def domain_complex(domain):
    """The face complex of a domain (one top cell), combinatorially when it is an
    axis-parallel box: the complex every build starts from."""
    P = domain.irredundant() if isinstance(domain, Polytope) else domain
    d = P.dim
    lo, hi = [None] * d, [None] * d
    ok = len(P.A) == 2 * d
    if ok:
        for row, bi in zip(P.A, P.b):
            nz = [i for i, x in enumerate(row) if x != 0]
            if len(nz) != 1:
                ok = False
                break
            i = nz[0]
            if row[i] > 0:
                hi[i] = bi / row[i]
            else:
                lo[i] = bi / row[i]
    if ok and None not in lo and None not in hi and all(a < c for a, c in zip(lo, hi)):
        return CellComplex.from_box(lo, hi)
    return CellComplex.from_polytope(domain)


def activation_regions(network, domain=None, *, volumes=True, layer=None, max_regions=None,
                       progress=None, executor=None):
    """The activation regions as :class:`polytopo.regions.Region` records, from the complex.

    The same regions, patterns, canonical H-representations, ranks and volumes as the LP
    traversal :func:`polytopo.regions.regions` (the tests check it), computed by
    :func:`canonical_complex` (``executor`` as there); the interior point is the centroid
    of the vertices.

    Examples
    --------
    >>> from polytopo.network import Network
    >>> net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    >>> [(r.pattern, r.volume) for r in activation_regions(net, Polytope.cube(2))][:2]
    [('++', Fraction(1, 1)), ('+-', Fraction(1, 1))]

    Notes
    -----
    The complex is a polyhedral complex, so every facet of a region is one (d−1)-cell; its
    inequality is the pre-activation of a neuron vanishing on it, or the domain's row
    tight on it (or, without a domain or beyond int64, the hyperplane through that cell's
    vertices, an exact null space), oriented by the region, scaled to coprime integers
    (:func:`regions_from_complex`).
    """
    check_network(network)
    if layer is not None or network.widths:
        network.check_layer(layer)
    C = canonical_complex(network, domain, max_regions=max_regions, progress=progress,
                          executor=executor)
    return regions_from_complex(C, network, volumes=volumes, layer=layer, domain=domain)


def regions_from_complex(complex, network, *, volumes=True, layer=None, domain=None):
    """The activation regions of ``network`` as :class:`polytopo.regions.Region` records,
    read off its canonical complex (no second build).

    Parameters
    ----------
    complex : CellComplex
        ``canonical_complex(network, domain)``: every hidden neuron inserted, nothing else.
    network : Network
    volumes : bool
        Compute the exact volumes.
    layer : int, optional
        Hidden layer (from 1) whose map's rank is reported; default the last.
    domain : Polytope, optional
        The complex's domain. With it, a ReLU network's regions are read off the engine's
        integer arrays for all regions at once (:mod:`polytopo.complex.export`); the
        affine maps are then computed when first read.

    Returns
    -------
    list of Region
        As :func:`activation_regions`, in canonical order.

    Raises
    ------
    InputError
        If ``complex`` is not the canonical complex of ``network``.

    Examples
    --------
    >>> from polytopo.network import Network
    >>> net = Network.from_lists([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])
    >>> C = canonical_complex(net, Polytope.box([-1], [1]))
    >>> [(r.pattern, r.polytope == Polytope.box(lo, hi)) for r, lo, hi in
    ...  zip(regions_from_complex(C, net), ([0], [-1]), ([1], [0]))]
    [('+-', True), ('-+', True)]
    """
    from ..geometry.exact import canonical_inequality, nullspace, rank
    from ..regions.traversal import LazyMaps, Region

    C = check_complex(complex)
    check_network(network)
    if layer is not None or network.widths:
        network.check_layer(layer)
    if C.network is None or C.network != network or \
            [tuple(f) for f in C.functions] != _plan.pattern_functions(network):
        raise InputError("regions_from_complex needs the canonical complex of this network "
                         "(every hidden neuron inserted, nothing else)", field="complex")
    d = C.dim
    n_layers = len(network.widths)
    layer = n_layers if layer is None else layer
    fast = None
    if network.is_relu and domain is not None:
        from .export import relu_region_ranks, relu_region_rows

        fast = relu_region_rows(C, network, domain)
        ranks = relu_region_ranks(C, network, layer) if fast is not None and n_layers \
            else None
    if fast is not None:
        out = []
        _, patterns, centroids, vols = C.region_fields(volumes)
        maps_of = network.affine_maps
        for i, (pattern, (A, b)) in enumerate(zip(patterns, fast)):
            r = ranks[i] if ranks is not None else (
                rank(maps_of(pattern)[layer - 1][0]) if n_layers else d)
            out.append(Region.from_fields(pattern, centroids[i], Polytope.from_fields(A, b), r,
                                          vols[i], LazyMaps(functools.partial(maps_of, pattern))))
        return out
    regs = C.regions(volumes=volumes)
    points = C.vertices()
    out = []
    relu = network.is_relu
    for reg in regs:
        pre = [] if relu else None
        maps = tuple(network.affine_maps(reg.pattern, integer_preactivations=pre))
        if relu:   # neuron j's integer pre-activation on the region: row j of the layers
            zrows = [(Z[i], z[i]) for Z, z in pre[:-1] for i in range(len(z))]
        rows = []
        for facet in C.facets_of((d, reg.index)):
            a = None
            if relu:   # a facet on a neuron's zero set lies on that neuron's hyperplane
                lab = C.label_string(facet)
                j = next((j for j, (s, r) in enumerate(zip(lab, reg.pattern))
                          if s == "0" and r != "0"), None)
                if j is not None:
                    Zj, zj = zrows[j]
                    a, b = tuple(int(x) for x in Zj), -int(zj)
            if a is None:   # a facet on the domain's boundary: through its vertices
                vs = [points[v] for v in C.vertices_of(facet)]
                (normal,) = nullspace([list(v) + [-1] for v in vs], d + 1)
                a, b = normal[:d], normal[d]
            if sum(x * y for x, y in zip(a, reg.interior_point)) > b:
                a, b = tuple(-x for x in a), -b
            rows.append(canonical_inequality(a, b))
        rows.sort()
        P = Polytope(tuple(tuple(Fraction(x) for x in a) for a, _ in rows),
                     tuple(Fraction(b) for _, b in rows))
        r = rank(maps[layer - 1][0]) if n_layers else d
        out.append(Region(reg.pattern, reg.interior_point, P, r, reg.volume, maps))
    return out
